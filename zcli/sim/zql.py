"""``GET /v1/zql?zql=…``: ZQL statements run over the simulator's store, answered as the server answers.

The reply is ``{"results": [...]}``, one ZQLQueryReturn per statement, with only the fields the server
sets (it omits nulls):

- ``query``: ``inventories`` (only the named fields for ``query e.f1,f2``); ``total`` with
  ``return with (total)``; ``max``/``min``/``avg`` give ``inventoryAggregateFunctions``;
- ``count``: ``total``; with ``group by``, ``inventoryCounts`` as ``[[{field: value}, count], ...]``
  (Gson writes a map with object keys as an array of pairs) and ``total`` the count of every row;
- ``sum F by G``: ``inventories`` as ``[[G value, sum], ...]``;
- ``name`` from ``named as``.

No default limit applies (the server's ZQL has none). Errors are the server's: a syntax error or a
name that names nothing fails the whole request with an internal error whose details say why.
"""

from __future__ import annotations

from zcli.sim import collation
from zcli.sim.query import is_key
from zcli.sim.tables import q
from zcli.sim.zql_where import WhereBuilder, ZQLFailure
from zcli.zql.ast import Expr, Statement
from zcli.zql.errors import ZQLError
from zcli.zql.parser import parse
from zcli.zql.schema import entity_name

_AGGREGATES = ("max", "min", "avg")


class ZQLRunner:
    """Runs ZQL text over a store.

    Args:
        catalog: the catalogue.
        store: the simulator's :class:`~zcli.sim.store.Store`.
        queries: its :class:`~zcli.sim.query.QueryBuilder` (the q= translation, shared).
        java_class: inventory name → the server's Java class name (for errors and ``schema``).
        schema_of: the simulator's reply-schema builder.
    """

    def __init__(self, catalog, store, queries, java_class, schema_of):
        self.catalog = catalog
        self.store = store
        self.java_class = java_class
        self.schema_of = schema_of
        self.where = WhereBuilder(catalog, queries, java_class, self._subquery)
        self._entities = {entity_name(n): n for n in store.specs}

    def run(self, text: str) -> dict:
        """The reply body for ``text``. Raises :class:`ZQLFailure` as the server fails."""
        text = text.strip()
        if text.endswith(";"):
            text = text[:-1]
        try:
            statements = parse(text)
        except ZQLError as e:
            around = text[max(0, e.start - 10):min(e.start + 10, max(len(text) - 1, 0))]
            raise ZQLFailure(f"error {e.why} at line 1:{e.start}, {around}") from None
        results = [self.statement(st) for st in statements]
        reply: dict = {"results": results}
        schema: dict[str, str] = {}
        for i, (st, r) in enumerate(zip(statements, results, strict=True)):
            if st.kind == "query" and "inventories" in r:
                inv = self.inventory(st.entity)
                schema.update(self.schema_of(self.store, inv, r["inventories"], f"results[{i}].inventories",
                                             java_class=self.java_class))
        reply["schema"] = schema
        return reply

    # --- names --------------------------------------------------------------------------------
    def inventory(self, entity: str) -> str:
        found = self._entities.get(entity.lower())
        if found is None:
            raise ZQLFailure(f"cannot find inventory with name[{entity}]")
        return found

    def _column(self, inventory: str, name: str, extra=()) -> None:
        if name not in self.store.specs[inventory].kinds and name not in extra:
            raise ZQLFailure(f"inventory[${{selfInventoryClass}}] has no field[{name}]")

    # --- one statement ------------------------------------------------------------------------
    def statement(self, st: Statement) -> dict:
        if st.kind == "search":
            raise ZQLFailure("search module disabled", "SEARCH.1000", "search module disabled")
        inv = self.inventory(st.entity)
        where, params = self._conditions(inv, st)
        out: dict
        if st.kind == "count":
            out = self._count(inv, st, where, params)
        elif st.kind == "sum":
            out = self._sum(inv, st, where, params)
        else:
            out = self._query(inv, st, where, params)
        if st.named_as is not None:
            out["name"] = st.named_as
        return out

    def _conditions(self, inv: str, st: Statement) -> tuple[str, list]:
        parts, params = [], []
        if st.where is not None:
            sql, ps = self.where.build(inv, st.where)
            parts.append(sql)
            params += ps
        for e in st.restrict_by:
            sql, ps = self._restrict(inv, e)
            parts.append(sql)
            params += ps
        return " AND ".join(f"({p})" for p in parts), params

    def _restrict(self, inv: str, e: Expr) -> tuple[str, list]:
        """``restrict by (entity.field op value)``: the rows linked to the other entity's matching rows,
        through the shortest chain of the catalogue's links (the server walks its table graph)."""
        if e.entity is None:
            raise ZQLFailure(f"the restrict by clause[{'.'.join(e.path)} {e.op} {e.value.raw if e.value else ''}]"
                             " without entity name is not handled by any extension")
        target = self.inventory(e.entity)
        path = self._route(inv, target)
        if path is None:
            raise ZQLFailure(f"invalid restrict by clause, inventory[{e.entity}] has no restriction to "
                             f"inventory[{inv}]")
        return self.where.expr(inv, Expr([*path, *e.path], e.op, e.value, e.path_span, e.op_span))

    def _route(self, source: str, target: str) -> list[str] | None:
        frontier = [(source, [])]
        seen = {source}
        for _ in range(3):
            nxt = []
            for inv, path in frontier:
                if inv not in self.store.specs:
                    continue
                for name, link in self.catalog.links(inv).items():
                    if link.value_field or link.target in seen:
                        continue
                    if link.target == target:
                        return [*path, name]
                    seen.add(link.target)
                    nxt.append((link.target, [*path, name]))
            frontier = nxt
        return None

    def _order(self, inv: str, st: Statement, extra=()) -> str:
        parts = []
        for item in st.order_by:
            name = item.path[-1]
            if len(item.path) > 2 or (len(item.path) == 2 and self.inventory(item.path[0]) != inv):
                raise ZQLFailure(f"invalid order by clause, inventory[{inv}] doesn't have field[{'.'.join(item.path)}]")
            if name not in self.store.specs[inv].kinds and name not in extra:
                raise ZQLFailure(f"invalid order by clause, inventory[{inv}] doesn't have field[{name}]")
            column = q(name)
            if item.function:
                column = f"{item.function.upper()}({column})"
            elif self.store.specs[inv].kinds.get(name) == "string" and not is_key(name):
                column += f" COLLATE {collation.NAME}"
            parts.append(f"{column} {item.direction.upper()}")
        return ", ".join(parts)

    @staticmethod
    def _paging(st: Statement) -> str:
        if st.limit is None and st.offset is None:
            return ""
        return f" LIMIT {int(st.limit if st.limit is not None else -1)} OFFSET {int(st.offset or 0)}"

    def _query(self, inv: str, st: Statement, where: str, params: list) -> dict:
        spec = self.store.specs[inv]
        function = (st.function or "").lower()
        if function in ("count", "sum"):
            raise ZQLFailure(f"query grammar can't support, {st.function}")
        for f in st.fields:
            if f not in spec.kinds and f not in spec.fills:
                raise ZQLFailure(f"inventory[${{selfInventoryClass}}] has no field[{f}]")
        for f in st.group_by:
            self._column(inv, f)
        if st.function and function not in (*_AGGREGATES, "distinct"):
            raise ZQLFailure(f"FUNCTION {st.function.upper()} does not exist")
        if function in _AGGREGATES:
            return self._aggregate(inv, st, where, params)
        clause = where
        if function == "distinct" or st.group_by:
            keys = st.group_by or st.fields or [c for c in spec.columns]
            for k in keys:
                self._column(inv, k)
            inner = f"SELECT MIN(rowid) FROM {q(inv)}" + (f" WHERE {where}" if where else "")
            clause = f"rowid IN ({inner} GROUP BY {', '.join(q(k) for k in keys)})"
        order = self._order(inv, st)
        order = f"{order}, rowid" if order else "rowid"
        items = self.store.inventories(inv, clause, params, order=order, limit=st.limit, offset=st.offset or 0,
                                       fields=st.fields or None)
        out: dict = {"inventories": items}
        for name in st.return_with:
            if name != "total":
                raise ZQLFailure(f"cannot find any ReturnWithExtensionPoint dealing with {name}")
        if "total" in st.return_with:
            out["total"] = self.store.count(inv, clause, params)
        return out

    def _aggregate(self, inv: str, st: Statement, where: str, params: list) -> dict:
        if not st.fields:
            raise ZQLFailure(f"{st.function}() needs a field: {st.function}({st.entity}.FIELD)")
        for f in st.fields:
            self._column(inv, f)
        func = st.function.upper()
        cols = ", ".join(f"{func}({q(f)})" for f in st.fields)
        sql = f"SELECT {cols} FROM {q(inv)}" + (f" WHERE {where}" if where else "")
        _, rows = self.store.read(sql, params)
        spec = self.store.specs[inv]
        pairs = []
        for row in rows:
            values = spec.decode(st.fields, row) if func != "AVG" else dict(zip(st.fields, row, strict=True))
            pairs.append([values, row[-1] if func == "AVG" else values.get(st.fields[-1])])
        return {"inventoryAggregateFunctions": pairs}

    def _count(self, inv: str, st: Statement, where: str, params: list) -> dict:
        total = self.store.count(inv, where, params)
        if not st.group_by:
            return {"total": total}
        for f in st.group_by:
            self._column(inv, f)
        order = self._order(inv, st, extra=("groupCount",)).replace('"groupCount"', "groupCount")
        cols = ", ".join(q(f) for f in st.group_by)
        sql = (f"SELECT {cols}, COUNT(*) AS groupCount FROM {q(inv)}" + (f" WHERE {where}" if where else "")
               + f" GROUP BY {cols}" + (f" ORDER BY {order}" if order else "") + self._paging(st))
        _, rows = self.store.read(sql, params)
        spec = self.store.specs[inv]
        out: dict = {}
        if rows:
            out["inventoryCounts"] = [[spec.decode(st.group_by, row[:-1]), row[-1]] for row in rows]
        out["total"] = total
        return out

    def _sum(self, inv: str, st: Statement, where: str, params: list) -> dict:
        if not st.fields:
            raise ZQLFailure("the field to sum must be specified", "SYS.1007", "One or more API argument is invalid")
        for f in (*st.fields, st.sum_by):
            self._column(inv, f)
        by = q(st.sum_by)
        sums = ", ".join(f"SUM({q(f)}) AS {q(f)}" for f in st.fields)
        order = self._order(inv, st)
        sql = (f"SELECT {by}, {sums} FROM {q(inv)}" + (f" WHERE {where}" if where else "") + f" GROUP BY {by}"
               + (f" ORDER BY {order}" if order else "") + self._paging(st))
        _, rows = self.store.read(sql, params)
        spec = self.store.specs[inv]
        return {"inventories": [[spec.decode([st.sum_by], row[:1]).get(st.sum_by), *row[1:]] for row in rows]}

    def _subquery(self, st: Statement) -> tuple[str, list]:
        """``(query entity.field where ...)`` as a SELECT of that column."""
        inv = self.inventory(st.entity)
        if len(st.fields) != 1:
            raise ZQLFailure("a subquery selects one field")
        self._column(inv, st.fields[0])
        where, params = self._conditions(inv, st)
        return f"SELECT {q(st.fields[0])} FROM {q(inv)}" + (f" WHERE {where}" if where else ""), params
