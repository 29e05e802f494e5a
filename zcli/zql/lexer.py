"""ZQL text → tokens, as the server's ZQL.g4 lexer splits it.

Keywords are lower-case, as the grammar spells them (``query``, ``order by``, ``is not null``); the
words of a two-word keyword may be separated by any blank. An identifier is ``[A-Za-z0-9_]+``; a
number is an identifier made of digits, optionally signed, with an optional fraction. A string is
double-quoted (no escape) or single-quoted (``''`` stands for a quote). Blanks are skipped.

The lexer never fails: a character it cannot place becomes an ``error`` token, which the parser
reports with its column, and a string left open becomes an ``error`` token up to the end.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Token kinds.
KEYWORD, ID, STRING, INT, FLOAT, BOOLEAN, PUNCT, OPERATOR, ERROR, EOF = (
    "keyword", "id", "string", "int", "float", "boolean", "punct", "operator", "error", "eof")

#: Keywords made of two or three words (the grammar's literal tokens), longest first.
PHRASES: tuple[str, ...] = ("is not null", "order by", "group by", "restrict by", "return with", "named as",
                            "filter by", "is null", "not in", "not like", "not has")
#: One-word keywords of the grammar.
WORDS: frozenset[str] = frozenset((
    "query", "count", "sum", "search", "where", "and", "or", "asc", "desc", "limit", "offset", "by", "from",
    "in", "like", "has", "inner", "left", "right", "join", "on", "getapi", "api", "output"))
#: Word-like operators (the others are symbols).
WORD_OPERATORS: frozenset[str] = frozenset(("in", "not in", "like", "not like", "has", "not has", "is null",
                                            "is not null"))
SYMBOL_OPERATORS: tuple[str, ...] = ("!=", ">=", "<=", "=", ">", "<")
_PUNCT = "(),.;{}*/%+-"

_BLANK = re.compile(r"[ \t\r\n]+")
_WORD = re.compile(r"[A-Za-z0-9_]+")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9_])")
_PHRASE = {p: re.compile(r"[ \t\r\n]+".join(p.split()) + r"(?![A-Za-z0-9_])") for p in PHRASES}


class Token(NamedTuple):
    """One token: ``kind``, its ``text`` as typed, and its ``start``/``end`` offsets in the line.

    ``value`` is the keyword in its canonical spelling (single blanks), the string without its
    quotes, or the text itself.
    """

    kind: str
    text: str
    start: int
    end: int
    value: str

    @property
    def column(self) -> int:
        """The 1-based column of the token's first character."""
        return self.start + 1


def _string(text: str, i: int) -> tuple[int, str | None]:
    """(end, value) of the string starting at ``i``; value None when it is not closed."""
    quote = text[i]
    j = i + 1
    parts: list[str] = []
    while j < len(text):
        c = text[j]
        if c == quote:
            if quote == "'" and text.startswith("''", j):
                parts.append("'")
                j += 2
                continue
            return j + 1, "".join(parts)
        parts.append(c)
        j += 1
    return len(text), None


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, ending with an ``eof`` token at its end."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        m = _BLANK.match(text, i)
        if m:
            i = m.end()
            continue
        c = text[i]
        if c in "'\"":
            end, value = _string(text, i)
            out.append(Token(STRING if value is not None else ERROR, text[i:end], i, end,
                             value if value is not None else text[i + 1:end]))
            i = end
            continue
        if (c.isascii() and (c.isalnum() or c == "_")) or (c == "-" and i + 1 < n and text[i + 1].isdigit()):
            num = _NUMBER.match(text, i)
            if num:
                kind = FLOAT if "." in num.group() else INT
                out.append(Token(kind, num.group(), i, num.end(), num.group()))
                i = num.end()
                continue
            if c == "-":
                out.append(Token(PUNCT, c, i, i + 1, c))
                i += 1
                continue
            phrase = next((p for p, rx in _PHRASE.items() if rx.match(text, i)), None)
            if phrase is not None:
                end = _PHRASE[phrase].match(text, i).end()
                kind = OPERATOR if phrase in WORD_OPERATORS else KEYWORD
                out.append(Token(kind, text[i:end], i, end, phrase))
                i = end
                continue
            word = _WORD.match(text, i).group()
            end = i + len(word)
            if word in ("true", "false"):
                out.append(Token(BOOLEAN, word, i, end, word))
            elif word == "list" and text.startswith("(", end):
                out.append(Token(KEYWORD, "list(", i, end + 1, "list("))
                end += 1
            elif word in WORD_OPERATORS:
                out.append(Token(OPERATOR, word, i, end, word))
            elif word in WORDS:
                out.append(Token(KEYWORD, word, i, end, word))
            else:
                out.append(Token(ID, word, i, end, word))
            i = end
            continue
        op = next((o for o in SYMBOL_OPERATORS if text.startswith(o, i)), None)
        if op is not None:
            out.append(Token(OPERATOR, op, i, i + len(op), op))
            i += len(op)
            continue
        if c in _PUNCT:
            out.append(Token(PUNCT, c, i, i + 1, c))
            i += 1
            continue
        out.append(Token(ERROR, c, i, i + 1, c))
        i += 1
    out.append(Token(EOF, "", n, n, ""))
    return out
