"""Splitting a typed line into words, as a POSIX shell does (quotes and backslashes)."""

from __future__ import annotations

import shlex

from zcli.errors import UsageError


def split_line(line: str) -> list[str]:
    """Split ``line`` into words like a POSIX shell.

    As in a POSIX shell, an unquoted ``#`` that begins a word starts a comment to the end of the line;
    inside a word (``name=a#b``) or quoted (``'#1'``) it is data.

    Raises:
        UsageError: a quote is left open or the line ends in a lone backslash.
    """
    lexer = shlex.shlex(line[:comment_start(line)], posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        raise UsageError(f"cannot split the line: {str(exc).lower()}") from None


def comment_start(line: str) -> int:
    """Where the comment of ``line`` starts (an unquoted ``#`` beginning a word); ``len(line)`` when none.

    shlex's own comment handling is not used: it also cuts at a ``#`` inside a word.
    """
    quote = ""
    escaped = False
    for i, ch in enumerate(line):
        if escaped:
            escaped = False
        elif quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                escaped = True
        elif ch == "\\":
            escaped = True
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return i
    return len(line)


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
