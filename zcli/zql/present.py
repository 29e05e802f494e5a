"""A ZQLQuery result as tables: one section per statement, as query results are shown.

Inventories get the column choice, fitting and colours of query results (the statement's entity sets
the columns; ``query e.f1,f2`` makes exactly those the columns) with the row count, or ``showing N of
TOTAL`` when the server gave a ``total``. ``count … group by`` and ``sum … by`` are tables of their
columns; a plain ``count`` is its total. With several statements, each is titled with its name (from
``named as``) or its text. Server text is cleaned of control characters before it reaches a terminal.
"""

from __future__ import annotations

from typing import Any

from zcli.zql.results import Section, sections


def _section_text(s: Section, *, width: int, color: bool, catalog, terminal: bool) -> str:
    from zcli.output.formats import NO_RESULTS, chosen_columns, render, row_count
    from zcli.output.table import render_table

    if s.rows is None:
        return f"total: {s.total}\n" if s.total is not None else NO_RESULTS
    if s.inventory is not None or s.fields is None:  # a query's inventories: as query results
        reply: dict[str, Any] = {"inventories": s.rows}
        if s.total is not None:
            reply["total"] = s.total
        return render(reply, "table", inventory=s.inventory, width=width, color=color, catalog=catalog,
                      fields=s.fields, terminal=terminal)
    if not s.rows:
        return NO_RESULTS + (f"total: {s.total}\n" if s.total is not None else "")
    from zcli.output.sizes import size_fields

    text = render_table(s.rows, chosen_columns(s.fields), width=width, color=color,
                        sizes=size_fields(s.source, catalog) if s.source else frozenset())
    # A count's total counts rows, not groups: said apart from the table's own row count.
    return text + row_count(len(s.rows)) + (f"total: {s.total}\n" if s.total is not None else "")


def render_zql(reply: dict, statements: list | None, *, width: int = 80, color: bool = False,
               catalog=None, terminal: bool = False) -> str:
    """The table text of a ZQLQuery reply (``results``), one section per statement (cells and titles are
    one line each, shown safe as every table cell is; ``terminal`` as for :func:`zcli.output.render`)."""
    from zcli.output.cells import clean
    from zcli.zql.schema import schema_for

    inventory_of = schema_for(catalog).inventory if catalog is not None else (lambda entity: None)
    parts = []
    for s in sections(reply, statements, inventory_of):
        head = f"{clean(str(s.title))}:\n" if s.title else ""
        parts.append(head + _section_text(s, width=width, color=color, catalog=catalog, terminal=terminal))
    return "\n".join(parts) if parts else "no results\n"
