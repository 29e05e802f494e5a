"""ZStack query parameters → parameterised SQL, parsed the way the real REST server parses them.

``q=`` conditions are split at the first operator found in the server's order (``!=`` before ``=``
and so on), once. A dotted name walks the catalogue's links; each hop becomes a nested ``IN``
subquery, as the server's query engine does. Values are always bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zcli.errors import UsageError
from zcli.sim.tables import q

#: The server's operator order: an operator contained in another comes after it.
QUERY_OPS: tuple[str, ...] = ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<", "is null", "not null")
_SQL_OPS = {"!=": "!=", ">=": ">=", "<=": "<=", "=": "=", ">": ">", "<": "<", "~=": "LIKE", "!~=": "NOT LIKE"}
_TAG_KEYS = {"__systemTag__": "SystemTagInventory", "__userTag__": "UserTagInventory"}
DEFAULT_LIMIT = 1000


class BadRequest(Exception):
    """A malformed parameter: the server answers 400 with this text."""


class BadQuery(Exception):
    """A well-formed query the server rejects (unknown field, bad value): 503 with an ErrorCode."""


class UnknownFilter(Exception):
    """A ``filterName`` of a type the server has no filter for: 503 with an internal error, as it fails."""


@dataclass
class Condition:
    name: str
    op: str
    value: str | list[str] | None = None


@dataclass
class QueryParams:
    """The parameters of one query request."""

    conditions: list[Condition] = field(default_factory=list)
    limit: int = DEFAULT_LIMIT
    start: int = 0
    count: bool = False
    reply_with_count: bool = False
    sort_by: str | None = None
    sort_direction: str = "asc"
    fields: list[str] | None = None
    group_by: str | None = None
    filter_name: str | None = None


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"Invalid query parameter. '{name}' must be an integer") from None


def parse_condition(cond: str) -> Condition:
    """Split one ``q=`` value as the server does."""
    for op in QUERY_OPS:
        if op in cond:
            name, _, value = cond.partition(op)
            if op in ("is null", "not null"):
                return Condition(name.strip(), op)
            return Condition(name.strip(), op, value)  # the value is not trimmed: a space may be data
    raise BadRequest(f"Invalid query parameter. The '{cond}' in the parameter[q] doesn't contain any query operator."
                     f" Valid query operators are {list(QUERY_OPS)}")


def parse_params(pairs: list[tuple[str, str]]) -> QueryParams:
    """The query string's (key, value) pairs → :class:`QueryParams`; unknown keys are ignored, as the server does."""
    p = QueryParams()
    for key, value in pairs:
        key = key.strip()
        if key == "q":
            p.conditions.append(parse_condition(value))
            continue
        value = value.strip()
        if key == "limit":
            p.limit = _int("limit", value)
        elif key == "start":
            p.start = _int("start", value)
        elif key == "count":
            p.count = value.lower() == "true"
        elif key == "replyWithCount":
            p.reply_with_count = value.lower() == "true"
        elif key == "groupBy":
            p.group_by = value or None
        elif key == "filterName":
            p.filter_name = value or None
        elif key == "sort":
            p.sort_direction = "desc" if value.startswith("-") else "asc"
            p.sort_by = value.lstrip("+-")
        elif key == "fields":
            fields = [f.strip() for f in value.split(",") if f.strip()]
            if not fields:
                raise BadRequest("Invalid query parameter. 'fields' contains zero field")
            p.fields = fields
    return p


def _typed(kind: str, name: str, value: str):
    """A condition's value converted to the field's type; BadQuery when it is not one."""
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise BadQuery(f"the value[{value}] of field[{name}] is not an integer") from None
    if kind == "float":
        try:
            return float(value)
        except ValueError:
            raise BadQuery(f"the value[{value}] of field[{name}] is not a number") from None
    if kind == "bool":
        if value.lower() not in ("true", "false"):
            raise BadQuery(f"the value[{value}] of field[{name}] is not a boolean (true or false)")
        return 1 if value.lower() == "true" else 0
    return value


def _leaf(column: str, kind: str, cond: Condition) -> tuple[str, list]:
    col = q(column)
    if cond.op == "is null":
        return f"{col} IS NULL", []
    if cond.op == "not null":
        return f"{col} IS NOT NULL", []
    if cond.op in ("?=", "!?="):
        values = cond.value if isinstance(cond.value, list) else cond.value.split(",")  # ZQL gives a list
        items = [_typed(kind, cond.name, v) for v in values]
        neg = "NOT " if cond.op == "!?=" else ""
        return f"{col} {neg}IN ({', '.join('?' * len(items))})", items
    value = cond.value if cond.op in ("~=", "!~=") else _typed(kind, cond.name, cond.value)
    return f"{col} {_SQL_OPS[cond.op]} ?", [value]


class QueryBuilder:
    """Builds WHERE clauses for one catalogue and the tables of a store."""

    def __init__(self, catalog, specs):
        self.catalog = catalog
        self.specs = specs

    def condition(self, inventory: str, cond: Condition) -> tuple[str, list]:
        """One condition → (SQL on ``inventory``'s table, parameters)."""
        if cond.name in _TAG_KEYS or cond.name == "__tagUuid__":
            return self._tag(inventory, cond)
        try:
            resolved = self.catalog.resolve(inventory, cond.name)
        except UsageError as e:
            raise BadQuery(str(e)) from None
        final = self.specs.get(resolved.inventory)
        if final is None or resolved.field.name not in final.kinds:
            raise BadQuery(f"field[{cond.name}] of {inventory} cannot be queried")
        sql, params = _leaf(resolved.field.name, final.kinds[resolved.field.name], cond)
        for link in reversed(resolved.hops):
            if self.specs.get(link.source) is None:
                raise BadQuery(f"field[{cond.name}] of {inventory} cannot be queried")
            sql = (f"{q(link.source_key)} IN (SELECT {q(link.target_key)} FROM {q(link.target)} "
                   f"WHERE {q(link.target_key)} IS NOT NULL AND {sql})")
        return sql, params

    def _tag(self, inventory: str, cond: Condition) -> tuple[str, list]:
        if "uuid" not in self.specs[inventory].kinds:
            raise BadQuery(f"{inventory} has no uuid to carry tags")
        if cond.name == "__tagUuid__":
            inner = [f"SELECT resourceUuid FROM {q(t)} WHERE resourceUuid IS NOT NULL AND " for t in _TAG_KEYS.values()]
            sql, params = _leaf("uuid", "string", cond)
            parts = [i + sql for i in inner]
            return f"uuid IN ({' UNION '.join(parts)})", params * len(parts)
        sql, params = _leaf("tag", "string", cond)
        return (f"uuid IN (SELECT resourceUuid FROM {q(_TAG_KEYS[cond.name])} "
                f"WHERE resourceUuid IS NOT NULL AND {sql})"), params

    def where(self, inventory: str, conditions: list[Condition]) -> tuple[str, list]:
        parts: list[str] = []
        params: list = []
        for c in conditions:
            sql, ps = self.condition(inventory, c)
            parts.append(sql)
            params.extend(ps)
        return " AND ".join(f"({p})" for p in parts), params

    def filter_condition(self, filter_name: str) -> Condition:
        """``filterName=TYPE:VALUE`` as a condition. The server knows one filter type, ``applianceType``
        (from its virtual router plugin), which keeps resources whose system tag is ``applianceType::VALUE``."""
        kind, _, value = filter_name.partition(":")
        if not value:
            raise BadQuery("filterName must be formatted as [filterType:condition(s)]")
        if kind != "applianceType":
            raise UnknownFilter(f"unable to find QueryBelongFilter with type[{filter_name}]")
        return Condition("__systemTag__", "=", f"applianceType::{value.split(':')[0]}")

    def grouped(self, inventory: str, where: str, group_by: str) -> str:
        """``where`` narrowed to one row per distinct value of ``group_by`` (the first stored; NULL is a value).

        The server's legacy query builder appended ``group by FIELD`` to the query of whole rows: the reply
        holds one row per value. Counts (``count``, ``replyWithCount``) then count those rows, so that pages
        and their total agree.
        """
        inner = f"SELECT MIN(rowid) FROM {q(inventory)}" + (f" WHERE {where}" if where else "")
        return f"rowid IN ({inner} GROUP BY {q(group_by)})"

    def order(self, inventory: str, p: QueryParams) -> str:
        spec = self.specs[inventory]
        if p.sort_by:
            if p.sort_by not in spec.kinds:
                raise BadQuery(f"cannot sort by [{p.sort_by}]: {inventory} has no such field")
            return f"{q(p.sort_by)} {'DESC' if p.sort_direction == 'desc' else 'ASC'}, rowid"
        return "rowid"

    def check_fields(self, inventory: str, p: QueryParams) -> None:
        spec = self.specs[inventory]
        if p.fields:
            unknown = [f for f in p.fields if f not in spec.kinds and f not in spec.fills]
            if unknown:
                raise BadQuery(f"{inventory} has no field {', '.join(unknown)}")
        if p.group_by and p.group_by not in spec.kinds:
            raise BadQuery(f"cannot group by [{p.group_by}]: {inventory} has no such field")
