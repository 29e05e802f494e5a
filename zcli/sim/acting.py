"""The frame of the families of actions on hosts, guests, storage and backups (issue 11).

Each family (``sharing``, ``trash``, ``vdevices``, ``snapshot_ops``, ``backups``, ``equipment``, ``agents``,
``prometheus``...) is a :class:`Family`: a table of the APIs it carries out (name → how, function of the
parameters) and the helpers they share, the server's checks first (the resource exists, its state allows
it), then the change to the world. It joins the dispatcher through ``zcli.sim.generic.MORE``.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib

from zcli.sim.byname import ByName
from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.tables import q

#: The simulator's own table of what agents report (see :meth:`Family.remember`).
_AGENT = "_sim_agent_state"


def state_err(kind: str, row: dict, what: str, field: str = "state") -> Failure:
    return operr(f"the {kind}[uuid:{row.get('uuid')}] is in {field}[{row.get(field)}], {what} is not allowed")


class Family(ByName):
    """One family of APIs: ``kind`` (unique), asked ``before`` the generic mechanisms (see generic.MORE)."""

    def operations(self) -> dict:
        return self.table()

    def table(self) -> dict:
        """API name → (how it is carried out, function of the parameters returning the reply's body)."""
        raise NotImplementedError

    # --- helpers -----------------------------------------------------------------------------
    def now(self) -> str:
        return self.writer.now()

    def get(self, inv: str, value, param: str = "uuid") -> dict:
        """The row ``param`` names, refused as the server's API layer refuses a missing or unknown uuid."""
        if value in (None, ""):
            raise argerr(f"missing mandatory field[{param}]")
        found = self.store.inventories(inv, "uuid = ?", [value], limit=1)
        if not found:
            raise argerr(f"invalid field[{param}], resource[uuid:{value}, type:{inv.removesuffix('Inventory')}VO] "
                         "is not found")
        return found[0]

    def rows(self, inv: str, where: str = "", params=(), depth: int = 0) -> list[dict]:
        return self.store.inventories(inv, where, list(params), order="rowid", depth=depth)

    def insert(self, inv: str, row: dict) -> dict:
        """A new row of ``inv`` (and of its parents' tables), with a uuid and dates when the kind has them."""
        spec = self.store.specs[inv]
        row = dict(row)
        if "uuid" in spec.kinds:
            row.setdefault("uuid", uuidlib.uuid4().hex)
        for name in ("createDate", "lastOpDate"):
            if name in spec.kinds:
                row.setdefault(name, self.now())
        with self.store.transaction() as cur:
            for table in self.writer.line(inv):
                self.store.insert_many(cur, table, [row])
        return row

    def update(self, inv: str, uuid_: str, changes: dict) -> dict:
        return self.writer.update(inv, uuid_, changes)

    def set_where(self, inv: str, changes: dict, where: str, params=()) -> None:
        """Set fields of the rows of ``inv`` that ``where`` selects (link rows have no uuid)."""
        spec = self.store.specs[inv]
        mine = {k: v for k, v in changes.items() if k in spec.kinds}
        encoded = dict(zip(spec.columns, spec.encode(mine), strict=True))
        sets = ", ".join(f"{q(k)} = ?" for k in mine)
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {q(inv)} SET {sets} WHERE {where}", [encoded[k] for k in mine] + list(params))

    def delete_where(self, inv: str, where: str, params=()) -> int:
        with self.store.transaction() as cur:
            return cur.execute(f"DELETE FROM {q(inv)} WHERE {where}", list(params)).rowcount

    def next_id(self, inv: str, column: str = "id") -> int:
        _, rows = self.store.read(f"SELECT COALESCE(MAX({q(column)}), 0) + 1 FROM {q(inv)}")
        return int(rows[0][0])

    # --- what agents and guests report, that no inventory holds ------------------------------
    def remember(self, resource: str, key: str, value) -> None:
        """Keep a fact an agent reports about ``resource`` (an LED lit, a snapshot file compacted...)."""
        with self.store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_AGENT} (resource TEXT, key TEXT, value TEXT, "
                        "PRIMARY KEY (resource, key))")
            cur.execute(f"INSERT OR REPLACE INTO {_AGENT} VALUES (?, ?, ?)", (resource, key, json.dumps(value)))

    def recall(self, resource: str, key: str, default=None):
        try:
            _, rows = self.store.read(f"SELECT value FROM {_AGENT} WHERE resource = ? AND key = ?", [resource, key])
        except sqlite3.OperationalError:  # nothing kept yet
            return default
        return json.loads(rows[0][0]) if rows else default
