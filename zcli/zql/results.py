"""A ZQLQuery reply → sections to print, one per statement. Pure.

Each result of ``results`` becomes a :class:`Section`: the rows of a table and what chooses its columns
(the inventory, the fields a ``query entity.f1,f2`` names), and the ``total`` when the server gave one.
``count … group by`` counts become rows of the grouped fields and ``count``; ``sum F by G`` rows
``G`` and ``F``; ``max``/``min``/``avg`` rows the field and the function. With several statements, each
section is titled with its ``named as`` name, else the statement's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from zcli.zql.ast import Statement


@dataclass
class Section:
    """One statement's result, ready for a table renderer.

    Attributes:
        title: the ``named as`` name, or the statement's text when there are several; None for one.
        rows: table rows (dicts); None when the result holds no rows (a plain ``count``).
        inventory: the inventory of the rows, for the column choice and colours of query results.
        fields: the columns to show in order, or None to let the renderer choose.
        total: the ``total`` the server gave, or None.
    """

    title: str | None
    rows: list[dict] | None
    inventory: str | None
    fields: list[str] | None
    total: int | None
    source: str | None = None  # the statement's inventory, also for counts and sums (size columns)


def _pairs(value) -> list[tuple[object, object]]:
    """A map with object keys: Gson's ``[[key, value], ...]``, or a plain JSON object."""
    if isinstance(value, dict):
        return list(value.items())
    out = []
    for item in value if isinstance(value, list) else ():
        if isinstance(item, list) and len(item) == 2:
            out.append((item[0], item[1]))
    return out


def _key_columns(key: object, fallback: list[str]) -> dict:
    if isinstance(key, dict):
        return dict(key)
    return {(fallback[0] if fallback else "value"): key}


def section(result: dict, st: Statement | None, inventory: str | None, title: str | None) -> Section:
    """One result of the reply, shaped by its statement (None when the text did not parse locally)."""
    total = result.get("total") if isinstance(result.get("total"), int) else None
    title = result.get("name") or title
    if result.get("inventoryCounts") is not None or (st is not None and st.kind == "count" and st.group_by):
        group = list(st.group_by) if st is not None else []
        rows = [{**_key_columns(k, group), "count": n} for k, n in _pairs(result.get("inventoryCounts"))]
        fields = [*group, "count"] if group else None
        return Section(title, rows, None, fields, total)
    if result.get("inventoryAggregateFunctions") is not None:
        func = (st.function or "value").lower() if st is not None else "value"
        fields = list(st.fields) if st is not None else []
        rows = [{**_key_columns(k, fields), func: v} for k, v in _pairs(result["inventoryAggregateFunctions"])]
        return Section(title, rows, None, [*fields, func] if fields else None, total)
    items = result.get("inventories")
    if (st is not None and st.kind == "sum") or (isinstance(items, list) and items and isinstance(items[0], list)):
        names = [st.sum_by or "by", *st.fields] if st is not None else ["by", "sum"]
        rows = []
        for item in items or ():
            cells = item if isinstance(item, list) else [item]
            rows.append({n: c for n, c in zip(names + [f"value{i}" for i in range(len(cells))], cells, strict=False)})
        return Section(title, rows, None, names, total)
    if isinstance(items, list):
        return Section(title, items, inventory, list(st.fields) if st is not None and st.fields else None, total)
    return Section(title, None, None, None, total)


def sections(reply: dict, statements: list[Statement] | None, inventory_of=lambda entity: None) -> list[Section]:
    """Every statement's section, in order.

    Args:
        reply: the ZQLQuery reply (``{"results": [...]}``).
        statements: the parsed statements of the text sent, or None.
        inventory_of: entity → inventory name (the schema's), for the column choice.
    """
    results = reply.get("results")
    results = results if isinstance(results, list) else []
    out = []
    many = len(results) > 1
    for i, r in enumerate(results):
        if not isinstance(r, dict):
            continue
        st = statements[i] if statements and i < len(statements) else None
        inventory = inventory_of(st.entity) if st is not None and st.entity else None
        title = st.span.text if many and st is not None else (f"statement {i + 1}" if many else None)
        sec = section(r, st, inventory, title)
        sec.source = inventory
        out.append(sec)
    return out
