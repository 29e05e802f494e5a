"""The base of a mechanism of a family of its own (see :data:`zcli.sim.generic.MORE`), and what such families share.

A :class:`Family` lists its APIs in :meth:`Family.table` as ``(API name, how, handler)``; ``plan`` answers the
how for the coverage table and ``run`` calls ``handler(params)``. The helpers read rows of the world, refuse
with the server's "not found" text and turn a list parameter (a JSON list, or ``a,b`` in a query string) into
a list.
"""

from __future__ import annotations

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.tables import q


def as_list(value) -> list:
    """A list parameter as a list: a JSON list as sent, a query string's ``a,b`` split, nothing as []."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return list(value) if isinstance(value, (list, tuple)) else [value]


class Family(ByName):
    """A mechanism answering the APIs of :meth:`table`, asked before the built-in ones (``before``)."""

    def operations(self) -> dict:
        return {name: (how, fn) for name, how, fn in self.table() if self.catalog.has_api(name)}

    def table(self):
        """(API name, how it is carried out, handler(params) -> reply body) for each API of the family."""
        return ()

    def run(self, api, params: dict):
        return super().run(api, params) or {}

    # --- the world --------------------------------------------------------------------------
    def rows(self, inv: str, where: str = "", args=(), **kw) -> list[dict]:
        return self.store.inventories(inv, where, list(args), **kw)

    def one(self, inv: str, uuid_, field: str = "uuid") -> dict:
        """The ``inv`` of uuid ``uuid_`` (named by parameter ``field``); refused as the server does when missing."""
        found = self.store.inventories(inv, "uuid = ?", [uuid_], limit=1) if uuid_ else []
        if not found:
            raise argerr(f"invalid field[{field}], resource[uuid:{uuid_}, type:{inv.removesuffix('Inventory')}VO]"
                         " is not found")
        return found[0]

    def exec(self, sql: str, args=()) -> None:
        with self.store.transaction() as cur:
            cur.execute(sql, tuple(args))

    def insert(self, inv: str, rows: list[dict]) -> None:
        with self.store.transaction() as cur:
            self.store.insert_many(cur, inv, rows)

    def set_fields(self, inv: str, uuid_: str, **fields) -> dict:
        """Change fields of a resource (in its whole family of tables) and return it as it is now."""
        return self.writer.update(inv, uuid_, fields)

    def delete_where(self, inv: str, where: str, args=()) -> int:
        with self.store.transaction() as cur:
            return cur.execute(f"DELETE FROM {q(inv)} WHERE {where}", tuple(args)).rowcount

    def now(self) -> str:
        return self.writer.now()
