"""Values offered after an operator: filtering them by what is typed, and reading a live source's answer."""

from __future__ import annotations

from collections.abc import Iterable

from zcli.limits import COMPLETION_WIDTH
from zcli.output.safe import cell_line, is_safe

#: Offered after a boolean field or parameter.
BOOLEANS = ("true", "false")
# Metas of values that are not labels of live values: typed text is not matched against them.
_STATIC_META = ("", "boolean", "value", "live", "is null", "is not null")


def live_pairs(values: Iterable[str | tuple[str, str]] | None) -> list[tuple[str, str]]:
    """A live source's answer as (value, meta) pairs.

    A source gives plain values, or (value, label) pairs where the label says what the value is (the
    name of the resource a uuid names); the label becomes the menu's meta, "live" when there is none.

    Server text: a value wider than :data:`~zcli.limits.COMPLETION_WIDTH` or holding a control, bidi or
    invisible character is not offered (it could not be typed back, and would reach the terminal); a label
    is cut to that width and shown safe.
    """
    out = []
    for item in values or ():
        value, label = (item[0], item[1]) if isinstance(item, tuple) else (item, "")
        value = str(value)
        if len(value) > COMPLETION_WIDTH or not is_safe(value):
            continue
        out.append((value, safe_label(str(label)) if label else "live"))
    return out


def safe_label(label: str, width: int = COMPLETION_WIDTH) -> str:
    """A menu label (server text) cut to ``width`` characters and shown safe on a terminal."""
    if len(label) > width:
        label = label[: width - 1] + "…"
    return cell_line(label)


def filter_values(typed: str, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Values starting with ``typed`` (case-insensitive), then those containing it, then those whose
    meta contains it (``uuid=qwen`` finds the uuids of the resources named ``qwen...``); each value once."""
    low = typed.lower()
    seen: set[str] = set()
    first, then, last = [], [], []
    for v, meta in candidates:
        if v in seen:
            continue
        seen.add(v)
        lv = v.lower()
        if lv.startswith(low):
            first.append((v, meta))
        elif low in lv:
            then.append((v, meta))
        elif meta not in _STATIC_META and low in meta.lower():
            last.append((v, meta))
    return first + then + last
