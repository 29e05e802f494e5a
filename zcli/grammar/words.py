"""Splitting a typed line into words, as a POSIX shell does (quotes and backslashes)."""

from __future__ import annotations

import shlex

from zcli.errors import UsageError


def split_line(line: str) -> list[str]:
    """Split ``line`` into words like a POSIX shell; ``#`` is an ordinary character.

    Raises:
        UsageError: a quote is left open or the line ends in a lone backslash.
    """
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        raise UsageError(f"cannot split the line: {str(exc).lower()}") from None


def split_list(value: str) -> list[str]:
    """Split a list value on ``,``; ``\\,`` stands for a comma inside an item."""
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] == ",":
            current.append(",")
            i += 2
            continue
        if ch == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip() != ""]
