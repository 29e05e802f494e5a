"""The shape the device and monitoring families share: a mechanism of :data:`zcli.sim.generic.MORE` whose APIs
are each answered by one method of its own, computed from the world.

A family declares ``APIS``: API name → (method name, how it is carried out, for the coverage table). The
methods take the call's parameters and give the reply's body, or raise :class:`~zcli.sim.failures.Failure`
with the check the server makes (the resource does not exist, is in the wrong state...).
"""

from __future__ import annotations

import json
from typing import ClassVar

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list
from zcli.sim.tables import q


def as_bool(value) -> bool:
    return value is True or str(value).lower() == "true"


def as_int(value, default: int | None = None) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise argerr(f"invalid value[{value}], it is not a number") from None


def as_items(value) -> list:
    """A list parameter whose items may be objects: a JSON list as sent, or a JSON text of one (a GET's query)."""
    if value in (None, ""):
        return []
    if isinstance(value, str) and value.lstrip().startswith(("[", "{")):
        try:
            value = json.loads(value)
        except ValueError:
            raise argerr(f"invalid value[{value[:60]}], it is not JSON") from None
    if isinstance(value, dict):
        return [value]
    return list(value) if isinstance(value, (list, tuple)) else as_list(value)


class Computed(ByName):
    """Base of a family: ``cls(catalog, store, writer)``, with ``kind``, ``before``, ``plan`` and ``run``."""

    #: API name → (method name, how it is carried out).
    APIS: ClassVar[dict[str, tuple[str, str]]] = {}

    def operations(self) -> dict:
        return {name: (how, getattr(self, method)) for name, (method, how) in self.APIS.items()
                if self.catalog.has_api(name)}

    # --- helpers -----------------------------------------------------------------------------
    def now(self) -> float:
        """Seconds on the simulator's clock."""
        return self.writer.clock.time()

    def need(self, params: dict, name: str):
        value = params.get(name)
        if value in (None, "", []):
            raise argerr(f"missing mandatory field[{name}]")
        return value

    def get(self, inv: str, uuid_) -> dict:
        """The row of ``inv`` named ``uuid_``, or the server's not-found refusal."""
        if uuid_ in (None, ""):
            raise argerr(f"missing mandatory field[uuid] of {inv.removesuffix('Inventory')}")
        return self.writer._get(inv, str(uuid_))

    def find(self, inv: str, uuid_) -> dict | None:
        rows = self.store.inventories(inv, "uuid = ?", [str(uuid_)], limit=1) if uuid_ else []
        return rows[0] if rows else None

    def rows(self, inv: str, where: str = "", bound=(), depth: int = 0, limit: int | None = None) -> list[dict]:
        return self.store.inventories(inv, where, list(bound), order="rowid", depth=depth, limit=limit)

    def insert(self, inv: str, row: dict) -> None:
        """Insert ``row`` into ``inv`` and its ancestors' tables (as the writer's create does)."""
        with self.store.transaction() as cur:
            for table in self.writer.line(inv):
                self.store.insert_many(cur, table, [row])

    def execute(self, sql: str, bound=()) -> int:
        with self.store.transaction() as cur:
            return cur.execute(sql, tuple(bound)).rowcount

    def delete_where(self, inv: str, where: str, bound=()) -> int:
        return self.execute(f"DELETE FROM {q(inv)} WHERE {where}", bound)
