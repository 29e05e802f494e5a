"""Checking parsed ZQL against the catalogue before anything is sent.

The names (entities, fields, dotted paths, ``group by``/``order by``/``sum … by`` columns) must
exist, with did-you-mean suggestions when they do not; the operators must take the value given
(``in``/``has`` a list or a subquery, the others one value). ``--no-validate`` skips this step (the
syntax is still checked: the server could not read a line the parser cannot).
"""

from __future__ import annotations

from zcli.catalog.errors import CatalogError
from zcli.zql.ast import Expr, Span, Statement, walk
from zcli.zql.errors import ZQLError
from zcli.zql.parser import FUNCTIONS, parse
from zcli.zql.schema import TAG_FIELDS, Schema

_LIST_OPS = ("in", "not in", "has", "not has")


def _err(reason: str, span: Span, suggestions=()) -> ZQLError:
    return ZQLError(reason, span.start, span.end, span.text, suggestions)


def _entity(schema: Schema, name: str, span: Span) -> str:
    inv = schema.inventory(name)
    if inv is None:
        raise _err("unknown entity", span, schema.suggest_entity(name))
    return inv


def _column(schema: Schema, entity: str, name: str, span: Span, what: str, extra=()) -> None:
    fields = schema.plain_fields(entity)
    if name in fields or name in extra:
        return
    import difflib

    close = difflib.get_close_matches(name, [*fields, *extra], n=3, cutoff=0.6)
    raise _err(f"{what}: {entity} has no such field", span, close)


def _expr(schema: Schema, entity: str, e: Expr) -> None:
    if not (len(e.path) == 1 and e.path[0] in TAG_FIELDS):
        try:
            schema.resolve(entity, e.path)
        except CatalogError as u:
            raise _err(u.reason, e.path_span, u.suggestions) from None
        if e.op in ("has", "not has") and e.op not in schema.operators(entity, e.path):
            raise _err(f"'{e.op}' needs a path to another table's rows (such as vmNics.ip)", e.op_span)
    v = e.value
    if v is None:
        return
    if e.op in _LIST_OPS and v.kind not in ("list", "subquery"):
        raise _err(f"'{e.op}' takes a list in parentheses: ('a', 'b')", v.span)
    if e.op not in _LIST_OPS and v.kind in ("list", "subquery"):
        raise _err(f"'{e.op}' takes one value, not a list", v.span)
    if v.kind == "subquery":
        check_statement(schema, v.query)


def check_statement(schema: Schema, st: Statement) -> None:
    """Raise :class:`ZQLError` for the first name of ``st`` the catalogue does not know."""
    if st.kind == "search":
        return
    _entity(schema, st.entity, st.entity_span)
    if st.function is not None:
        if st.function.lower() in ("count", "sum"):
            raise _err(f"query grammar can't support {st.function}: use '{st.function.lower()} ENTITY'",
                       st.function_span)
        if st.function.lower() not in FUNCTIONS:
            raise _err(f"unknown function (functions: {', '.join(FUNCTIONS)})", st.function_span)
        if not st.fields and st.function.lower() != "distinct":
            raise _err(f"{st.function}() takes ENTITY.FIELD", st.function_span)
    for name, span in zip(st.fields, st.field_spans, strict=True):
        if st.kind == "query":
            fields = schema.catalog.fields(schema.inventory(st.entity))
            if name not in fields:
                import difflib

                raise _err(f"{st.entity} has no such field", span,
                           difflib.get_close_matches(name, list(fields), n=3, cutoff=0.6))
        else:
            _column(schema, st.entity, name, span, "sum")
    if st.kind == "sum":
        if not st.fields:
            raise _err("the field to sum must be specified: sum ENTITY.FIELD by FIELD", st.entity_span)
        _column(schema, st.entity, st.sum_by, st.sum_by_span, "by")
    for e in walk(st.where):
        _expr(schema, st.entity, e)
    for e in st.restrict_by:
        if e.entity is not None:
            _entity(schema, e.entity, e.path_span)
            _expr(schema, e.entity, e)
    for name, span in zip(st.group_by, st.group_spans, strict=True):
        _column(schema, st.entity, name, span, "group by")
    grouped = ("groupCount",) if st.kind == "count" and st.group_by else ()
    for item in st.order_by:
        if len(item.path) == 1:
            _column(schema, st.entity, item.path[0], item.span, "order by", grouped)
        else:
            _entity(schema, item.path[0], item.span)


def check(text: str, schema: Schema | None = None) -> list[Statement]:
    """Parse ``text`` and, with a schema, check its names; the statements, or :class:`ZQLError`."""
    statements = parse(text)
    if schema is not None:
        for st in statements:
            check_statement(schema, st)
    return statements
