"""The record view: one row as ``key: value`` lines, every field shown in full.

A table of one row hides most fields and cuts the rest; a record lists them all, wrapping long values
under the value column. A multi-line text keeps its lines; a list of scalars is joined with commas; a
list of maps (a VM's ``vmNics``, ``allVolumes``) is summarised, ``[N items]`` then one short line an item
(its name, uuid and ip, at most :data:`MAX_ITEMS` of them), since the whole of it would fill screens:
``-o json`` has it all.
"""

from __future__ import annotations

import json

from zcli.output.cells import (
    BOLD,
    RESET,
    cell_text,
    clean,
    display_width,
    is_nested,
    is_state_column,
    scalar_text,
    state_colour,
    truncate,
    wrap,
)

MIN_VALUE_WIDTH = 20
#: Items of a list of maps listed in a record; the rest are counted.
MAX_ITEMS = 10
#: What names an item of a list of maps, in this order.
ITEM_KEYS = ("name", "uuid", "ip")


def _json(value: object) -> str:
    # Spaces after commas and colons give the wrapping places to break between items.
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _item_line(item: object) -> str:
    """One line naming an item of a list: its name, uuid and ip, else its first few scalar fields."""
    if not isinstance(item, dict):
        return cell_text(item)
    named = [scalar_text(item[k]) for k in ITEM_KEYS if item.get(k) not in (None, "")]
    if named:
        return clean("  ".join(named))
    flat = [(k, v) for k, v in item.items() if not is_nested(v)][:3]
    return cell_text(dict(flat)) if flat else cell_text(item)


def _summary_lines(items: list, width: int) -> list[str]:
    """A list holding maps: a count, then one line an item cut to ``width``."""
    lines = [f"[{len(items)} item{'' if len(items) == 1 else 's'}]"]
    lines += [truncate(f"- {_item_line(item)}", width) for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(f"  ... {len(items) - MAX_ITEMS} more (-o json shows them all)")
    return lines


def _value_lines(value: object, width: int) -> list[str]:
    if isinstance(value, str):
        pieces = [clean(line) for line in value.splitlines()] or [""]
    elif isinstance(value, list) and value:
        if any(is_nested(v) for v in value):
            return _summary_lines(value, width)
        else:
            pieces = [clean(", ".join(scalar_text(v) for v in value))]
    elif is_nested(value):
        pieces = [_json(value)]
    else:
        pieces = [scalar_text(value)]
    return [line for piece in pieces for line in wrap(piece, width)]


def render_record(record: dict, *, width: int, color: bool, sizes: frozenset[str] | set[str] = frozenset()) -> str:
    """One map as aligned ``key: value`` lines fitted to ``width`` cells; "" for an empty map.

    The byte counts of the ``sizes`` keys show as sizes (``40 GiB``, :mod:`zcli.output.sizes`)."""
    from zcli.output.sizes import human_size

    if not record:
        return ""
    label_width = min(max(display_width(clean(str(k))) for k in record) + 1, max(width // 2, 8))
    value_width = max(width - label_width - 1, MIN_VALUE_WIDTH)
    indent = " " * (label_width + 1)
    out: list[str] = []
    for key, value in record.items():
        label = truncate(clean(f"{key}:"), label_width)
        label += " " * (label_width - display_width(label))
        size = human_size(value) if key in sizes else None
        lines = _value_lines(value if size is None else size, value_width)
        first = lines[0]
        if color:
            colour = state_colour(first) if is_state_column(str(key)) else None
            if colour:
                first = f"{colour}{first}{RESET}"
            label = f"{BOLD}{label}{RESET}"
        out.append(f"{label} {first}".rstrip(" "))
        out.extend(indent + line for line in lines[1:])
    return "\n".join(out) + "\n"
