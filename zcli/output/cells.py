"""Cells: a value as the text a table shows, its width on a terminal, and the colour of a state.

Display width is measured with :mod:`unicodedata` (East Asian Wide and Fullwidth characters take two
cells, combining marks none) rather than rich or wcwidth: it is in the standard library and costs
nothing to import, and ASCII text, nearly all of an API's replies, takes the ``len`` fast path.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache

from zcli.output.safe import cell_line

ELLIPSIS = "…"
RESET = "\x1b[0m"
BOLD = "\x1b[1m"
GREEN, YELLOW, RED, CYAN = "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[36m"

_ZERO_WIDTH_CATEGORIES = {"Mn", "Me", "Cf"}

_GOOD = {"running", "enabled", "connected", "ready", "active", "available", "online", "succeeded", "success",
         "up", "ok", "healthy", "normal", "attached"}
_WARN = {"stopped", "disabled", "paused", "suspended", "maintenance", "premaintenance", "inactive", "offline",
         "detached", "unknown", "nostate", "expired"}
_BAD = {"error", "disconnected", "failed", "failure", "crashed", "destroyed", "deleted", "expunged", "down",
        "unavailable", "fault", "abnormal", "broken"}
_BUSY = {"pending", "waiting", "queued", "processing", "unstable"}


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Cells one character takes on a terminal: 0, 1 or 2."""
    if ch == "\xad":  # the soft hyphen is a format character that terminals draw as a hyphen
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in _ZERO_WIDTH_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Cells ``text`` (free of control characters: see :func:`clean`) takes on a terminal."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` cells, ending with an ellipsis when anything was cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    room, used, end = width - 1, 0, 0
    for end, ch in enumerate(text):  # noqa: B007 - ``end`` is read after the loop
        w = char_width(ch)
        if used + w > room:
            break
        used += w
    return text[:end] + ELLIPSIS


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` cells, breaking at a space when one is near."""
    width = max(width, 1)
    lines: list[str] = []
    while display_width(text) > width:
        used, cut = 0, 0
        for cut, ch in enumerate(text):  # noqa: B007 - ``cut`` is read after the loop
            used += char_width(ch)
            if used > width:
                break
        space = text.rfind(" ", 0, cut + 1)
        if space > cut // 2:
            lines.append(text[:space].rstrip())
            text = text[space + 1:]
        else:
            cut = max(cut, 1)
            lines.append(text[:cut])
            text = text[cut:]
    lines.append(text)
    return lines


def clean(text: str) -> str:
    """``text`` as one line safe on a terminal: tabs and line breaks as spaces, other control, bidi and
    invisible characters as escapes (``\\x1b``, ``\\u202e``: :func:`zcli.output.safe.cell_line`)."""
    return cell_line(text)


def is_nested(value: object) -> bool:
    return isinstance(value, (list, dict))


def compact_json(value: object) -> str:
    """A list or map as one line of JSON, non-ASCII kept as text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def scalar_text(value: object) -> str:
    """A scalar as text: ``None`` is empty, booleans are ``true``/``false`` as in the JSON."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if isinstance(value, str) else str(value)


def flat_text(value: object) -> str:
    """A value for csv, tsv and value output: scalars as text, lists and maps as compact JSON."""
    return compact_json(value) if is_nested(value) else scalar_text(value)


def _plural(n: int, word: str) -> str:
    return f"[{n} {word}{'' if n == 1 else 's'}]"


def cell_text(value: object) -> str:
    """A value as a table cell: one line; lists of scalars joined, bigger structures summarised.

    ``["a", "b"]`` → ``a, b``; a list holding maps → ``[3 items]``; a small flat map → ``k=v, k2=v2``;
    a bigger map → ``{5 keys}``.
    """
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        if any(is_nested(v) for v in value):
            return _plural(len(value), "item")
        return clean(", ".join(scalar_text(v) for v in value))
    if isinstance(value, dict):
        if not value:
            return "{}"
        if len(value) <= 4 and not any(is_nested(v) for v in value.values()):
            return clean(", ".join(f"{k}={scalar_text(v)}" for k, v in value.items()))
        return "{" + f"{len(value)} key{'' if len(value) == 1 else 's'}" + "}"
    return scalar_text(value)


def is_state_column(name: str) -> bool:
    """True for columns whose values are states worth colouring: state, status, powerState..."""
    return name in ("state", "status") or name.endswith(("State", "Status"))


def state_colour(text: str) -> str | None:
    """The ANSI colour for a state: green when good, yellow when stopped, red when broken, cyan when
    on its way somewhere (Starting, Migrating...); None when the value says nothing we know."""
    low = text.lower()
    if low in _GOOD:
        return GREEN
    if low in _WARN:
        return YELLOW
    if low in _BAD:
        return RED
    if low in _BUSY or (low.endswith("ing") and len(low) > 4):
        return CYAN
    return None
