"""Where a ZQL parse stands, and what it would accept there: the token cursor under the parser.

:class:`Cursor` walks the tokens of one line, records at every position what the grammar would have
accepted there (:class:`Expect`, read back by completion after a partial parse), and fails with a
:class:`~zcli.zql.errors.ZQLError` naming those expectations. The grammar's rules are
:class:`zcli.zql.parser.Parser`'s.
"""

from __future__ import annotations

from typing import NamedTuple

from zcli.zql.ast import Span
from zcli.zql.errors import ZQLError
from zcli.zql.lexer import EOF, ERROR, ID, INT, KEYWORD, OPERATOR, PUNCT, Token, tokenize


class Expect(NamedTuple):
    """What the parser would accept at a position.

    ``kind``: keyword (``words``), entity, function, field (``entity``, ``path`` typed so far,
    ``role``: target, where, restrict, group, order, sum, return), operator (``entity``, ``path``),
    value (``entity``, ``path``, ``op``), int, string, punct (``words``), name.
    """

    kind: str
    words: tuple[str, ...] = ()
    entity: str = ""
    path: tuple[str, ...] = ()
    role: str = ""
    op: str = ""
    done: tuple[str, ...] = ()  # fields already listed (query e.a,b,)


def _describe(e: Expect) -> str:
    return {"entity": "an entity name", "function": "a function", "field": "a field name", "operator": "an operator",
            "value": "a value (a quoted string, a number, true or false)", "int": "a whole number",
            "string": "a quoted string", "name": "a name"}.get(e.kind, "")


class Cursor:
    """The tokens of one line, the position in them, and what was expected at the furthest position."""

    def __init__(self, text: str):
        self.text = text
        self.toks: list[Token] = tokenize(text)
        self.i = 0
        self.expected: list[Expect] = []
        self._exp_at = -1
        self.roles: dict[int, str] = {}  # token index → entity, field, function (for highlighting)

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def _want(self, e: Expect) -> None:
        if self._exp_at != self.i:
            self._exp_at, self.expected = self.i, []
        self.expected.append(e)

    def _next(self) -> Token:
        t = self.toks[self.i]
        if t.kind != EOF:
            self.i += 1
        return t

    def _at_kw(self, *words: str) -> bool:
        self._want(Expect("keyword", words))
        t = self.tok
        return t.kind in (KEYWORD, OPERATOR) and t.value in words

    def _at_punct(self, p: str) -> bool:
        self._want(Expect("punct", (p,)))
        return self.tok.kind == PUNCT and self.tok.value == p

    def _fail(self, reason: str | None = None, suggestions=()):
        t = self.tok
        if reason is None:
            wanted: list[str] = []
            for e in self.expected if self.expects_here() else ():
                items = [f"'{w}'" for w in e.words] if e.kind in ("keyword", "punct") else [_describe(e)]
                wanted += [w for w in items if w and w not in wanted]
            reason = "expected " + (", ".join(wanted[:-1]) + " or " + wanted[-1] if len(wanted) > 1
                                    else (wanted[0] if wanted else "something else"))
            if t.kind == ERROR and t.text[:1] in "'\"":
                reason = "a string is not closed"
            elif t.kind == ERROR:
                reason = f"'{t.text}' is not part of ZQL; " + reason
        raise ZQLError(reason, t.start, t.end, t.text, suggestions)

    def _kw(self, *words: str) -> Token:
        if not self._at_kw(*words):
            self._fail()
        return self._next()

    def _punct(self, p: str) -> Token:
        if not self._at_punct(p):
            self._fail()
        return self._next()

    def _id(self, e: Expect, role: str | None = None) -> Token:
        self._want(e)
        t = self.tok
        if t.kind != ID:
            self._fail()
        if role:
            self.roles[self.i] = role
        return self._next()

    def _int(self) -> int:
        self._want(Expect("int"))
        if self.tok.kind != INT:
            self._fail()
        return int(self._next().text)

    def _span(self, first: Token, last: Token) -> Span:
        return Span(first.start, last.end, self.text[first.start:last.end])

    def expects_here(self) -> bool:
        """Whether the recorded expectations are those of the current position."""
        return self._exp_at == self.i
