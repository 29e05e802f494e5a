"""Help pages of ZQL: ``help zql`` (the language, with examples drawn from the catalogue) and
``help ENTITY`` (an entity's fields and links, as ``help QueryX`` shows them)."""

from __future__ import annotations

from zcli.catalog import Catalog
from zcli.help.model import Columns, Heading, Page, Para, Tree
from zcli.zql.schema import OPERATOR_HELP, entity_name, schema_for

_CLAUSES = (
    ("query ENTITY[.F1,F2]", "rows (all fields, or the ones named); query max|min|avg|distinct(ENTITY.F) too"),
    ("count ENTITY", "the number of rows; with group by F: a count per value"),
    ("sum ENTITY.F by G", "the total of F for each value of G"),
    ("where COND", "PATH OP VALUE, joined by and/or (left to right, one precedence: use parentheses)"),
    ("restrict by (E.F OP V)", "rows linked to another entity's matching rows"),
    ("return with (total)", "adds the number of matching rows before limit"),
    ("group by F[,F]", "one row per value (count: the counts)"),
    ("order by F asc|desc", "sorting (asc or desc is required)"),
    ("limit N, offset N", "paging (ZQL has no default limit)"),
    ("named as 'NAME'", "the result's name, shown above its table"),
    ("filter by NAME{...}", "a server-side filter"),
    ("STATEMENT; STATEMENT", "several statements in one request, each with its own table"),
)


def _examples(catalog: Catalog) -> list[str]:
    """Examples over the catalogue's own names: an entity with an enum field, a link, a group and a sum."""
    preferred = ["VmInstanceInventory", "VolumeInventory", "HostInventory"]  # familiar ones first
    names = [n for n in preferred if n in catalog.inventory_names] + list(catalog.inventory_names)
    out: list[str] = []
    for inv in names:
        fields = catalog.fields(inv)
        enums = [f for f in fields.values() if f.values and not f.hidden]
        enum = next((f for f in enums if f.name in ("state", "status")), enums[0] if enums else None)
        if enum is None:
            continue
        ent = entity_name(inv)
        value = str(enum.values[0]).replace("'", "''")
        link = next((lk for lk in catalog.links(inv).values() if not lk.hidden and not lk.value_field
                     and "name" in catalog.fields(lk.target)), None)
        out.append(f"query {ent} where {enum.name}='{value}'"
                   + (f" and {link.name}.name like 'web%'" if link else "")
                   + (" order by createDate desc" if "createDate" in fields else "") + " limit 10")
        out.append(f"count {ent} group by {enum.name}")
        out.append(f"query {ent}.uuid,name where {enum.name} in ('{value}') return with (total)")
        break
    for inv in names:
        fields = catalog.fields(inv)
        number = next((n for n, f in fields.items() if f.kind == "int" and n.lower().endswith("size")), None)
        group = next((n for n in ("type", "state", "status") if n in fields and fields[n].kind == "string"), None)
        if number and group:
            out.append(f"sum {entity_name(inv)}.{number} by {group}")
            break
    if out:
        first = out[0].split()[1]
        out.append(f"count {first} named as 'all'; query {first}.name limit 3 named as 'some'")
    return out


def zql_page(catalog: Catalog) -> Page:
    """``help zql``."""
    ops = ", ".join(f"{op} ({text})" for op, text in OPERATOR_HELP.items())
    return Page((
        Heading("ZQL: ZStack's query language (sent as ZQLQuery: GET /v1/zql?zql=...)"),
        Para("A line that starts with query, count, sum or search is ZQL. In one-shot: zcli 'query ENTITY where "
             "...' (quote the line: ZQL strings are in quotes). The line is checked before it is sent (exit 2 "
             "and nothing sent on an error; --no-validate lets unknown names through); Tab completes "
             "entities, fields, dotted paths, operators, values and clauses."),
        Para("An entity is an inventory's name lower-cased without 'Inventory' (VmInstanceInventory: "
             "vminstance); help ENTITY lists its fields and links. Values are quoted strings ('it''s' holds "
             "a quote), numbers, true or false, or lists in parentheses."),
        Columns("Statements and clauses (in this order)", ("form", "meaning"), _CLAUSES),
        Para("Operators: " + ops + "."),
        Columns("Examples", None, tuple((e,) for e in _examples(catalog))),
    ))


def entity_page(catalog: Catalog, entity: str) -> Page | None:
    """``help ENTITY``: the entity's fields and cross-table names; None when no entity has that name."""
    from zcli.help.topics import link_lines, query_fields

    schema = schema_for(catalog)
    inv = schema.inventory(entity)
    if inv is None:
        return None
    ent = entity_name(inv)
    api = schema.query_api(inv)
    shown = query_fields(catalog, inv)
    blocks: list = [Heading(f"{ent}: the ZQL entity of {inv}" + (f" (what {api} queries)" if api else "")),
                    Columns(f"Fields of {ent} ({len(shown)}; where PATH takes them and dotted paths)",
                            ("field", "type", "description"), tuple(shown)),
                    Tree(f"Cross-table names of {ent} (where vmNics.l3Network.name='x' style; Tab completes "
                         "deeper paths)", tuple(link_lines(catalog, inv))),
                    Para(f"e.g. query {ent} limit 10; count {ent}; help zql for the language.")]
    return Page(tuple(blocks))
