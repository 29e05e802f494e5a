"""The one tokenizer of the shell syntax: a typed line into words, as a POSIX shell does (quotes, backslashes,
``#`` comments). :func:`split_line` splits what runs; :func:`split_words` is its partial mode, for the text
before the cursor (completion, highlighting, secret spans), where a quote may be left open.

The words are those of ``shlex`` in POSIX mode with ``whitespace_split`` (the property tests hold the two
equal), found by one regular expression a piece of a word at a time: a long value costs linear time and no
Python loop a character (shlex took 0.6 s for a 200,000-character line).
"""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

import re
from typing import NamedTuple

from zcli.errors import UsageError

# One piece of a word, or the blanks between words: plain characters, a backslash and the character it
# escapes, a single-quoted run, a double-quoted run (in which a backslash escapes only " and \\).
_PIECE = re.compile(r"""([^ \t\r\n'"\\]+)|\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"|([ \t\r\n]+)""", re.DOTALL)
_DQ_ESCAPE = re.compile(r'\\(["\\])')
_RUN = re.compile(r"[^ \t\r\n]+")  # a word of a text without quotes or backslashes


class Word(NamedTuple):
    """A word of the line.

    Attributes:
        value: the word with quotes and backslashes removed.
        raw: the word as typed.
        start: its offset in the text.
    """

    value: str
    raw: str
    start: int


def scan(text: str, *, partial: bool) -> tuple[list[Word], Word]:
    """The one tokenizer: ``text`` split into its finished words and its last (current) word.

    Args:
        text: a whole line (``partial=False``), or the text before the cursor (``partial=True``).
        partial: a quote left open or a lone final backslash makes the rest of the text the current word
            (the cursor is inside it); a whole line with one is an error.

    Returns:
        (finished words, current word); the current word is empty (``raw == ""``) after a blank.

    Raises:
        UsageError: not ``partial``, and a quote is left open or the line ends in a lone backslash.
    """
    n = len(text)
    if "'" not in text and '"' not in text and "\\" not in text:  # no quoting: a word is a run of non-blanks
        words = [Word(m.group(), m.group(), m.start()) for m in _RUN.finditer(text)]
        if words and words[-1].start + len(words[-1].raw) == n:
            return words[:-1], words[-1]
        return words, Word("", "", n)
    words = []
    value: list[str] = []
    start: int | None = None
    pos = 0
    match = _PIECE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            if not partial:
                raise UsageError(f"cannot split the line: {_why(text, pos)}")
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


def split_line(line: str) -> list[str]:
    """Split ``line`` into words like a POSIX shell (what runs).

    As in a POSIX shell, an unquoted ``#`` that begins a word starts a comment to the end of the line;
    inside a word (``name=a#b``) or quoted (``'#1'``) it is data.

    Raises:
        UsageError: a quote is left open or the line ends in a lone backslash.
    """
    words, current = scan(line[:comment_start(line)], partial=False)
    return [w.value for w in words] + ([current.value] if current.raw else [])


def split_words(text: str, *, comments: bool = True) -> tuple[list[Word], Word]:
    """The words of the text before the cursor (completion, highlighting, secret spans): :func:`scan` in
    its partial mode, never failing.

    With ``comments``, a comment (:func:`comment_start`) holds no words, as when the line runs: the cursor in
    a comment has an empty current word at the end of the text (completion offers nothing there).
    """
    cut = comment_start(text) if comments else len(text)
    words, current = scan(text[:cut], partial=True)
    if cut < len(text):
        if current.raw:
            words.append(current)
        current = Word("", "", len(text))
    return words, current


def _why(text: str, pos: int) -> str:
    """Why no piece starts at ``pos``: shlex's words for it."""
    if text[pos] == "\\":
        return "no escaped character"
    if text[pos] == '"' and re.fullmatch(r'"(?:[^"\\]|\\.)*\\', text[pos:], re.DOTALL):
        return "no escaped character"
    return "no closing quotation"


def unquoted(line: str):
    """``(index, character)`` for each character of ``line`` outside quotes and not escaped, in order: the
    one quoting rule of a line (``'…'`` literal, ``"…"`` with ``\\`` escapes, ``\\x`` outside quotes), for
    whatever looks for a character that means something only unquoted (``#``, a shell line's ``|``)."""
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
        else:
            yield i, ch


def comment_start(line: str) -> int:
    """Where the comment of ``line`` starts (an unquoted ``#`` beginning a word); ``len(line)`` when none.

    shlex's own comment handling is not used: it also cuts at a ``#`` inside a word.
    """
    if "#" not in line:  # the common case, without a Python loop a character
        return len(line)
    for i, ch in unquoted(line):
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
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
