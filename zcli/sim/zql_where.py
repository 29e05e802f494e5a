"""ZQL conditions → parameterised SQL over the simulator's tables, with the server's semantics.

A comparison, ``in``, ``like`` or null test is the ``q=`` condition it stands for, built by the same
:class:`~zcli.sim.query.QueryBuilder` (one translation of fields, dotted paths, values and tags for
both languages). What ``q=`` cannot say is built here: ``has``/``not has`` (the rows reached hold
every / none of the values), subquery values, and ``and``/``or`` trees, which the server nests left
to right with one precedence (``a or b and c`` is ``(a or b) and c``).
"""

from __future__ import annotations

from zcli.catalog.errors import CatalogError
from zcli.sim.query import BadQuery, Condition, QueryBuilder
from zcli.sim.tables import q
from zcli.zql.ast import Expr, Logic, Value

#: ZQL operator → the q= operator that means the same.
_AS_QUERY_OP = {"=": "=", "!=": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<=", "in": "?=", "not in": "!?=",
                "like": "~=", "not like": "!~=", "is null": "is null", "is not null": "not null"}
_TAGS = ("__systemTag__", "__userTag__", "__tagUuid__")


class ZQLFailure(Exception):
    """The server's ZQL failure: ``code``/``description`` of its ErrorCode and the details text."""

    def __init__(self, details: str, code: str = "SYS.1000",
                 description: str = "An internal error happened in the system"):
        super().__init__(details)
        self.details = details
        self.code = code
        self.description = description


def _text(v: Value) -> str:
    """A literal as the q= value that means it (booleans and numbers as their text)."""
    return v.value if v.kind == "string" else v.raw


class WhereBuilder:
    """Builds the WHERE of a ZQL statement; ``statement_sql`` builds subqueries (the executor's)."""

    def __init__(self, catalog, queries: QueryBuilder, java_class, subquery):
        self.catalog = catalog
        self.queries = queries
        self.java_class = java_class
        self.subquery = subquery

    def build(self, inventory: str, cond) -> tuple[str, list]:
        if isinstance(cond, Logic):
            left, lp = self.build(inventory, cond.left)
            right, rp = self.build(inventory, cond.right)
            return f"({left} {cond.op.upper()} {right})", lp + rp
        return self.expr(inventory, cond)

    def expr(self, inventory: str, e: Expr) -> tuple[str, list]:
        name = ".".join(e.path)
        if name not in _TAGS:
            self.check_path(inventory, e.path)
        v = e.value
        if e.op in ("has", "not has"):
            return self._has(inventory, e)
        if v is not None and v.kind == "subquery":
            return self._subquery(inventory, e)
        if v is not None and v.kind == "list":
            if e.op not in ("in", "not in"):
                raise ZQLFailure(f"the operator[{e.op}] takes one value, got a list {v.raw}")
            value: object = [_text(i) for i in v.items]
        elif v is not None:
            if e.op in ("in", "not in"):
                raise ZQLFailure(f"the operator[{e.op}] takes a list of values, got {v.raw}")
            value = _text(v)
        else:
            value = None
        try:
            return self.queries.condition(inventory, Condition(name, _AS_QUERY_OP[e.op], value))
        except BadQuery as b:
            raise ZQLFailure(str(b), "SYS.1007", "One or more API argument is invalid") from None

    # --- names, as the server reports them ----------------------------------------------------
    def check_path(self, inventory: str, path: list[str]) -> None:
        """Raise the server's error for a path that names nothing (ZQLMetadata's wording)."""
        try:
            self.catalog.resolve(inventory, ".".join(path))
            return
        except CatalogError:
            pass
        current = inventory
        for seg in path[:-1]:
            link = self.catalog.links(current).get(seg)
            alias = self.catalog.aliases(current).get(seg)
            if link is None and alias is None:
                raise ZQLFailure(f"no expand query[{seg}] found on class {self.java_class(current)}")
            if link is None:
                try:
                    current = self.catalog.resolve(current, alias.path + ".uuid").inventory
                except CatalogError:
                    return
            else:
                current = link.target
        raise ZQLFailure(f"inventory class[class {self.java_class(current)}] not having field[{path[-1]}]")

    # --- what q= cannot say -------------------------------------------------------------------
    def _hops(self, inventory: str, e: Expr):
        resolved = self.catalog.resolve(inventory, ".".join(e.path))
        for link in resolved.hops:
            if self.queries.specs.get(link.source) is None or self.queries.specs.get(link.target) is None:
                raise ZQLFailure(f"field[{'.'.join(e.path)}] of {inventory} cannot be queried")
        return resolved

    def _wrap(self, hops, sql: str) -> str:
        for link in reversed(hops):
            sql = (f"{q(link.source_key)} IN (SELECT {q(link.target_key)} FROM {q(link.target)} "
                   f"WHERE {q(link.target_key)} IS NOT NULL AND {sql})")
        return sql

    def _has(self, inventory: str, e: Expr) -> tuple[str, list]:
        v = e.value
        if v is None or v.kind != "list":
            raise ZQLFailure(f"the operator[{e.op}] takes a list of values")
        if ".".join(e.path) in _TAGS:
            raise ZQLFailure(f"the simulator does not support [{e.op}] on tags")
        resolved = self._hops(inventory, e)
        if not resolved.hops:
            raise ZQLFailure(f"the operator[{e.op}] needs a field of another inventory, got [{'.'.join(e.path)}]")
        last = resolved.hops[-1]
        column = q(resolved.field.name if last.value_field is None else last.value_field)
        values = list(dict.fromkeys(_text(i) for i in v.items))
        marks = ", ".join("?" * len(values))
        key, table = q(last.target_key), q(last.target)
        if e.op == "has":
            inner = (f"SELECT {key} FROM {table} WHERE {column} IN ({marks}) GROUP BY {key} "
                     f"HAVING COUNT(DISTINCT {column}) = {len(values)}")
        else:
            inner = (f"SELECT {key} FROM {table} WHERE {key} NOT IN "
                     f"(SELECT {key} FROM {table} WHERE {column} IN ({marks}))")
        sql = f"{q(last.source_key)} IN ({inner})"
        return self._wrap(resolved.hops[:-1], sql), values

    def _subquery(self, inventory: str, e: Expr) -> tuple[str, list]:
        if e.op not in ("in", "not in"):
            raise ZQLFailure(f"the operator[{e.op}] cannot take a subquery")
        resolved = self._hops(inventory, e)
        inner, params = self.subquery(e.value.query)
        neg = "NOT " if e.op == "not in" else ""
        return self._wrap(resolved.hops, f"{q(resolved.field.name)} {neg}IN ({inner})"), params
