"""What the completion engine hands back, and the candidate entries it ranks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from zcli.completion.fuzzy import Name


class Suggestion(NamedTuple):
    """One completion (a named tuple: immutable, and cheap to build by the hundred on every key press).

    Attributes:
        text: the word that replaces the last ``-start`` characters before the cursor.
        start: ``<= 0``, as prompt_toolkit's ``start_position``: minus the length of the current
            word as typed (quotes included), or 0 after a blank.
        display: the short form a menu shows (``l3Network.`` for ``vmNics.l3Network.``).
        meta: help text for the menu (type, description, category, since...).
    """

    text: str
    start: int
    display: str
    meta: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """A candidate before it is placed: ``key`` is matched, ``insert`` is what the word gets."""

    key: Name
    insert: str
    meta: str = ""


def entry(key: str, insert: str | None = None, meta: str = "", weight: int = 0) -> Entry:
    return Entry(Name(key, weight), key if insert is None else insert, meta)


def short(text: str | None, width: int = 60) -> str:
    """The first line of ``text``, cut to ``width`` characters."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def entry_key(e: Entry) -> Name:
    """An entry's :class:`Name`: the ``key`` argument of :func:`~zcli.completion.fuzzy.rank` for entries."""
    return e.key


def join_meta(*parts: str | None) -> str:
    """The non-empty ``parts`` joined for a menu's meta column."""
    return " · ".join(p for p in parts if p)


def since(version: str | None) -> str:
    """``since 0.6`` for a version, empty for none (undocumented APIs and fields have none)."""
    return f"since {version}" if version else ""
