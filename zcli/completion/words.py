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


# One piece of a word, or the blanks between words (as the shell's splitter reads them): plain characters,
# a backslash and the character it escapes, a closed single-quoted run, a closed double-quoted run.
_PIECE = re.compile(r"""([^\s'"\\]+)|\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"|(\s+)""", re.DOTALL)
_DQ_ESCAPE = re.compile(r'\\(["\\])')


def split_words(text: str) -> tuple[list[Word], Word]:
    """Split ``text`` into its finished words and the current word (empty after a blank).

    A piece of a word at a time, by one regular expression: linear time, however long the line.

    Args:
        text: the text before the cursor.

    Returns:
        (finished words, current word). An unterminated quote makes the rest of the text part of
        the current word.
    """
    words: list[Word] = []
    value: list[str] = []
    start: int | None = None
    pos, n = 0, len(text)
    match = _PIECE.match
    while pos < n:
        m = match(text, pos)
        if m is None:  # a lone backslash at the end, or a quote left open: the rest is the current word's
            if start is None:
                start = pos
            ch = text[pos]
            if ch == "'":
                value.append(text[pos + 1:])
            elif ch == '"':
                value.append(_DQ_ESCAPE.sub(r"\1", text[pos + 1:]))
            break
        plain, escaped, single, double, blanks = m.groups()
        if blanks is not None:
            if start is not None:
                words.append(Word("".join(value), text[start:pos], start))
                value, start = [], None
        else:
            if start is None:
                start = pos
            if double is not None:
                value.append(_DQ_ESCAPE.sub(r"\1", double) if "\\" in double else double)
            else:
                value.append(plain if plain is not None else escaped if escaped is not None else single)
        pos = m.end()
    current = Word("".join(value), text[start:], start) if start is not None else Word("", "", n)
    return words, current


def quote(value: str) -> str:
    """``value`` as one word of the zcli shell: unchanged when safe, else single-quoted."""
    if _SAFE.fullmatch(value) and value:
        return value
    if "'" not in value:
        return f"'{value}'"
    return '"' + re.sub(r'(["\\])', r"\\\1", value) + '"'
