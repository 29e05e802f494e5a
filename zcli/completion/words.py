"""The words of a partly typed line, split as a POSIX shell would, with where each one starts.

Completion sees the text before the cursor, which may end inside a quote (``name="my v``): the open
quote then belongs to the current word, the one being completed. Unlike
:func:`zcli.grammar.split_line`, splitting here never fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters a completed word may hold without quoting in the zcli shell (operators included: the
# shell's own splitter treats them as ordinary characters).
_SAFE = re.compile(r"[\w@%+=:,./!?~<>^*#-]*")


@dataclass(frozen=True)
class Word:
    """A word of the line.

    Attributes:
        value: the word with quotes and backslashes removed.
        raw: the word as typed.
        start: its offset in the text.
    """

    value: str
    raw: str
    start: int


def split_words(text: str) -> tuple[list[Word], Word]:
    """Split ``text`` into its finished words and the current word (empty after a blank).

    Args:
        text: the text before the cursor.

    Returns:
        (finished words, current word). An unterminated quote makes the rest of the text part of
        the current word.
    """
    words: list[Word] = []
    value: list[str] = []
    start: int | None = None
    quote: str | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote is None:
            if ch.isspace():
                if start is not None:
                    words.append(Word("".join(value), text[start:i], start))
                    value, start = [], None
                i += 1
                continue
            if start is None:
                start = i
            if ch == "\\":
                if i + 1 < n:
                    value.append(text[i + 1])
                i += 2
                continue
            if ch in "'\"":
                quote = ch
            else:
                value.append(ch)
        elif quote == "'":
            if ch == "'":
                quote = None
            else:
                value.append(ch)
        elif ch == '"':
            quote = None
        elif ch == "\\" and i + 1 < n and text[i + 1] in '"\\':  # as shlex (the shell's splitter) does
            value.append(text[i + 1])
            i += 1
        else:
            value.append(ch)
        i += 1
    current = Word("".join(value), text[start:], start) if start is not None else Word("", "", n)
    return words, current


def quote(value: str) -> str:
    """``value`` as one word of the zcli shell: unchanged when safe, else single-quoted."""
    if _SAFE.fullmatch(value) and value:
        return value
    if "'" not in value:
        return f"'{value}'"
    return '"' + re.sub(r'(["\\])', r"\\\1", value) + '"'
