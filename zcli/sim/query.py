"""ZStack query parameters → parameterised SQL, parsed the way the real REST server parses them.

``q=`` conditions are split at the first operator found in the server's order (``!=`` before ``=``
and so on), once. A dotted name walks the catalogue's links; each hop becomes a nested ``IN``
subquery, as the server's query engine does. Values are always bound parameters.

Strings compare as the server's MySQL tables (``utf8_general_ci``) do: without regard to case, for
``=``, ``!=``, ``?=``, ``!?=``, ``~=``, ``!~=`` and sorting (the rule is :mod:`zcli.sim.collation`; keys
such as ``uuid`` and ``*Uuid`` compare exactly, so that their indexes serve). ``~=`` takes the value as sent: the
server adds no ``%``. ``groupBy`` is parsed and ignored, as the current (ZQL) query engine ignores it.
A negated tag condition (``__systemTag__!=x``, ``!?=``, ``!~=``) keeps the resources with no matching tag,
as the server's ``createTagSQL`` does; ``__tagUuid__`` matches user tags by their tag pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zcli.catalog.errors import CatalogError
from zcli.sim import collation
from zcli.sim.tables import q

#: The server's operator order: an operator contained in another comes after it.
QUERY_OPS: tuple[str, ...] = ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<", "is null", "not null")
_SQL_OPS = {"!=": "!=", ">=": ">=", "<=": "<=", "=": "=", ">": ">", "<": "<", "~=": "LIKE", "!~=": "NOT LIKE"}
_TAG_KEYS = {"__systemTag__": "SystemTagInventory", "__userTag__": "UserTagInventory"}
_POSITIVE = {"!=": "=", "!?=": "?=", "!~=": "~="}  # the server's TAG_FALSE_OP
DEFAULT_LIMIT = 1000
_JAVA_INT = (-(1 << 31), (1 << 31) - 1)  # limit and start are Java ints on the server
_JAVA_LONG = (-(1 << 63), (1 << 63) - 1)
_LIKE_MAX = 50_000  # SQLite's longest LIKE pattern
_IN_INLINE = 64  # longer ?= lists are bound as one JSON array


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
    """An ``Integer.valueOf`` of the server: a Java int, else 400."""
    try:
        if len(value) > 12:
            raise ValueError(value)
        n = int(value)
    except ValueError:
        raise BadRequest(f"Invalid query parameter. '{name}' must be an integer") from None
    if not _JAVA_INT[0] <= n <= _JAVA_INT[1]:
        raise BadRequest(f"Invalid query parameter. '{name}' must be an integer")
    return n


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


def _short(value: str) -> str:
    return value if len(value) <= 64 else value[:61] + "..."


def _typed(kind: str, name: str, value: str):
    """A condition's value converted to the field's type; BadQuery when it is not one."""
    if kind == "int":
        try:
            if len(value.strip()) > 21:
                raise ValueError(value)
            n = int(value)
        except ValueError:
            raise BadQuery(f"the value[{_short(value)}] of field[{name}] is not an integer") from None
        if not _JAVA_LONG[0] <= n <= _JAVA_LONG[1]:
            raise BadQuery(f"the value[{_short(value)}] of field[{name}] is out of the range of a long")
        return n
    if kind == "float":
        try:
            if len(value) > 400:
                raise ValueError(value)
            f = float(value)
        except ValueError:
            raise BadQuery(f"the value[{_short(value)}] of field[{name}] is not a number") from None
        if f != f or f in (float("inf"), float("-inf")):
            raise BadQuery(f"the value[{_short(value)}] of field[{name}] is not a number")
        return f
    if kind == "bool":
        if value.lower() not in ("true", "false"):
            raise BadQuery(f"the value[{_short(value)}] of field[{name}] is not a boolean (true or false)")
        return 1 if value.lower() == "true" else 0
    return value


def is_key(column: str) -> bool:
    """A uuid column: compared exactly (its index serves), as uuids are hex of one case."""
    return column == "uuid" or column.endswith("Uuid")


def like_pattern(value: str, name: str) -> str:
    """A LIKE pattern as sent, with runs of ``%`` made one (the same matches, and no blow-up)."""
    if "%%" in value:
        import re

        value = re.sub("%{2,}", "%", value)
    if len(value) > _LIKE_MAX:
        raise BadQuery(f"the LIKE pattern of field[{name}] is longer than {_LIKE_MAX} characters")
    return value


def _leaf(column: str, kind: str, cond: Condition) -> tuple[str, list]:
    col = q(column)
    if cond.op == "is null":
        return f"{col} IS NULL", []
    if cond.op == "not null":
        return f"{col} IS NOT NULL", []
    collate = f" COLLATE {collation.NAME}" if kind == "string" and not is_key(column) else ""
    if cond.op in ("?=", "!?="):
        values = cond.value if isinstance(cond.value, list) else cond.value.split(",")  # ZQL gives a list
        items = [_typed(kind, cond.name, v) for v in values]
        neg = "NOT " if cond.op == "!?=" else ""
        if len(items) > _IN_INLINE:  # one bound JSON array: no limit on the number of SQL variables
            import json

            return f"{col}{collate} {neg}IN (SELECT value FROM json_each(?))", [json.dumps(items)]
        return f"{col}{collate} {neg}IN ({', '.join('?' * len(items))})", items
    if cond.op in ("~=", "!~="):
        pattern = like_pattern(cond.value, cond.name)
        if kind != "string" or is_key(column):
            return f"{col} {_SQL_OPS[cond.op]} ?", [pattern]
        # SQLite's LIKE folds ASCII case (in C); a row holding other characters is folded by the collation's rule
        like = (f"({col} LIKE ? OR ({col} GLOB ? AND {collation.FOLD}({col}) LIKE ?))",
                [pattern, collation.NON_ASCII_GLOB, collation.fold(pattern)])
        return (like[0], like[1]) if cond.op == "~=" else (f"{col} IS NOT NULL AND NOT {like[0]}", like[1])
    return f"{col}{collate} {_SQL_OPS[cond.op]} ?", [_typed(kind, cond.name, cond.value)]


def conjunction(parts: list[str]) -> str:
    """``parts`` joined by AND as a balanced tree: SQLite refuses expressions deeper than 1,000, and
    zcli itself sends more conditions than that."""
    if len(parts) <= 16:
        return " AND ".join(f"({p})" for p in parts)
    mid = len(parts) // 2
    return f"({conjunction(parts[:mid])}) AND ({conjunction(parts[mid:])})"


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
        except CatalogError as e:
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
        """A tag condition, as the server's createTagSQL/createTagPatternSQL build it: a negated operator
        (``!=``, ``!?=``, ``!~=``) keeps the resources that have no tag matching the positive one."""
        if "uuid" not in self.specs[inventory].kinds:
            raise BadQuery(f"{inventory} has no uuid to carry tags")
        negated = _POSITIVE.get(cond.op)
        positive = Condition(cond.name, negated or cond.op, cond.value)
        if cond.name == "__tagUuid__":
            table, sql_params = "UserTagInventory", _leaf("tagPatternUuid", "string", positive)
        else:
            table, sql_params = _TAG_KEYS[cond.name], _leaf("tag", "string", positive)
        sql, params = sql_params
        return (f"uuid {'NOT ' if negated else ''}IN (SELECT resourceUuid FROM {q(table)} "
                f"WHERE resourceUuid IS NOT NULL AND {sql})"), params

    def where(self, inventory: str, conditions: list[Condition]) -> tuple[str, list]:
        parts: list[str] = []
        params: list = []
        for c in conditions:
            sql, ps = self.condition(inventory, c)
            parts.append(sql)
            params.extend(ps)
        return conjunction(parts), params

    def filter_condition(self, filter_name: str) -> Condition:
        """``filterName=TYPE:VALUE`` as a condition. The server knows one filter type, ``applianceType``
        (from its virtual router plugin), which keeps resources whose system tag is ``applianceType::VALUE``."""
        kind, _, value = filter_name.partition(":")
        if not value:
            raise BadQuery("filterName must be formatted as [filterType:condition(s)]")
        if kind != "applianceType":
            raise UnknownFilter(f"unable to find QueryBelongFilter with type[{filter_name}]")
        return Condition("__systemTag__", "=", f"applianceType::{value.split(':')[0]}")

    def order(self, inventory: str, p: QueryParams) -> str:
        spec = self.specs[inventory]
        if p.sort_by:
            if p.sort_by not in spec.kinds:
                raise BadQuery(f"cannot sort by [{p.sort_by}]: {inventory} has no such field")
            text = spec.kinds[p.sort_by] == "string" and not is_key(p.sort_by)
            collate = f" COLLATE {collation.NAME}" if text else ""
            return f"{q(p.sort_by)}{collate} {'DESC' if p.sort_direction == 'desc' else 'ASC'}, rowid"
        return "rowid"

    def check_fields(self, inventory: str, p: QueryParams) -> None:
        spec = self.specs[inventory]
        if p.fields:
            unknown = [f for f in p.fields if f not in spec.kinds and f not in spec.fills]
            if unknown:
                raise BadQuery(f"{inventory} has no field {', '.join(unknown)}")
