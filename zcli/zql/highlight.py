"""Highlighting of a ZQL line: each token's class, and the error to underline. Pure.

Classes: keyword, entity, field, function, operator, string, number, punct, error. Names take their
class from where the parser met them (``vminstance`` after ``query`` is an entity, ``state`` after
``where`` a field). With a schema, names the catalogue does not know are errors too, as for ``q=``.
"""

from __future__ import annotations

from typing import NamedTuple

from zcli.zql import lexer
from zcli.zql.errors import ZQLError
from zcli.zql.parser import Parser
from zcli.zql.schema import Schema
from zcli.zql.validate import check_statement

_CLASS = {lexer.KEYWORD: "keyword", lexer.OPERATOR: "operator", lexer.STRING: "string", lexer.INT: "number",
          lexer.FLOAT: "number", lexer.BOOLEAN: "keyword", lexer.PUNCT: "punct", lexer.ERROR: "error",
          lexer.ID: "name"}


class Piece(NamedTuple):
    start: int
    end: int
    cls: str


def highlight(text: str, schema: Schema | None = None) -> tuple[list[Piece], ZQLError | None]:
    """(the pieces of ``text`` with their class, the first error or None)."""
    p = Parser(text)
    error: ZQLError | None = None
    try:
        p.parse()
        if schema is not None:
            for st in p.statements:
                check_statement(schema, st)
    except ZQLError as e:
        error = e
    pieces = [Piece(t.start, t.end, p.roles.get(i, _CLASS[t.kind]))
              for i, t in enumerate(p.toks) if t.kind != lexer.EOF]
    return pieces, error
