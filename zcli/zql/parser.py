"""A recursive-descent parser of the server's ZQL.g4 grammar.

``parse(text)`` gives the statements of a line (separated by ``;``, a trailing one allowed) or raises
:class:`~zcli.zql.errors.ZQLError` at the first token that does not fit, naming what would. Where
the grammar is loose and the server's SQL would fail, the parser is strict and says why: a value
is required after every operator but the null tests, ``where a=1 b=2`` needs ``and``/``or``, and
``order by`` needs ``asc`` or ``desc`` (as the grammar does). Joins and ``getapi`` values are not
parsed: they are refused with a message saying so.

The parser also records, at every position, what it would have accepted there (``expected``): the
completion engine parses the text before the cursor and reads what the end of it expects.
"""

from __future__ import annotations

from zcli.zql.ast import Block, Expr, Logic, OrderItem, Span, Statement, Value
from zcli.zql.cursor import Cursor, Expect
from zcli.zql.errors import ZQLError
from zcli.zql.lexer import (
    BOOLEAN,
    EOF,
    FLOAT,
    ID,
    INT,
    KEYWORD,
    OPERATOR,
    PUNCT,
    STRING,
    SYMBOL_OPERATORS,
    Token,
)

STATEMENTS = ("query", "count", "sum", "search")
#: Every operator of the grammar, in the order completion offers them.
OPERATORS: tuple[str, ...] = (*SYMBOL_OPERATORS, "in", "not in", "like", "not like", "is null", "is not null",
                              "has", "not has")
NULL_OPERATORS = ("is null", "is not null")
#: Functions of ``query FUNCTION(entity.field)`` the server knows (MySqlKeyword).
FUNCTIONS = ("distinct", "max", "min", "avg")


class Parser(Cursor):
    """One parse of one line. Use :func:`parse`; completion uses ``expected``/``roles`` after a partial parse."""

    def __init__(self, text: str):
        super().__init__(text)
        self.statements: list[Statement] = []

    # --- statements ---------------------------------------------------------------------------
    def parse(self) -> list[Statement]:
        while True:
            self.statements.append(self._statement())
            if self._at_punct(";"):
                self._next()
                if self.tok.kind == EOF:  # a trailing ';' (the server strips it)
                    self._want(Expect("keyword", STATEMENTS))
                    break
                continue
            if self.tok.kind != EOF:
                self._fail()
            break
        return self.statements

    def _statement(self) -> Statement:
        first = self._kw(*STATEMENTS)
        st = Statement(first.value, Span(first.start, first.end, first.text))
        if st.kind == "search":
            self._search(st)
        elif st.kind == "sum":
            self._target(st, functions=False)
            self._kw("by")
            t = self._id(Expect("field", entity=st.entity, role="sum"), "field")
            st.sum_by, st.sum_by_span = t.text, self._span(t, t)
            self._where(st)
            self._tail(st, ("order by", "limit", "offset", "named as"))
        else:
            self._target(st, functions=True)
            self._where(st)
            clauses = ("restrict by", "return with", "group by", "order by", "limit", "offset", "filter by",
                       "named as")
            if st.kind == "count":
                clauses = tuple(c for c in clauses if c not in ("return with", "filter by"))
            self._tail(st, clauses)
        last = self.toks[self.i - 1] if self.i else first
        st.span = Span(first.start, last.end, self.text[first.start:last.end])
        return st

    def _target(self, st: Statement, functions: bool) -> None:
        self._want(Expect("entity"))
        if functions:
            self._want(Expect("function"))
        t = self.tok
        if functions and t.kind == ID and self.toks[self.i + 1].value == "(" and self.toks[self.i + 1].kind == PUNCT:
            self.roles[self.i] = "function"
            self._next()
            self._next()
            st.function, st.function_span = t.text, self._span(t, t)
            self._target(st, functions=False)
            self._punct(")")
            return
        ent = self._id(Expect("entity"), "entity")
        st.entity, st.entity_span = ent.text, self._span(ent, ent)
        if self._at_punct("."):
            self._next()
            while True:
                f = self._id(Expect("field", entity=st.entity, role="target", done=tuple(st.fields)), "field")
                st.fields.append(f.text)
                st.field_spans.append(self._span(f, f))
                if st.kind == "sum" or not self._at_punct(","):
                    break
                self._next()
        if self.tok.kind == KEYWORD and self.tok.value in ("inner", "left", "right"):
            self._fail("joins are not supported by zcli's ZQL")

    def _where(self, st: Statement) -> None:
        if self._at_kw("where"):
            self._next()
            st.where = self._condition(st.entity)

    def _tail(self, st: Statement, clauses: tuple[str, ...]) -> None:
        for clause in clauses:
            # In the grammar's order, each optional; every check records itself as expected here.
            if not self._at_kw(clause):
                continue
            self._next()
            getattr(self, "_" + clause.replace(" ", "_"))(st)

    # --- conditions ---------------------------------------------------------------------------
    def _condition(self, entity: str):
        left = self._atom(entity)
        while self._at_kw("and", "or"):
            op = self._next().value
            left = Logic(op, left, self._atom(entity))
        if self.tok.kind in (ID, STRING) or (self.tok.kind == PUNCT and self.tok.value == "("):
            self._fail()  # ``where a=1 b=2``: the grammar takes it, the server's SQL fails
        return left

    def _atom(self, entity: str):
        self._want(Expect("punct", ("(",)))
        if self.tok.kind == PUNCT and self.tok.value == "(":
            self._next()
            inner = self._condition(entity)
            self._punct(")")
            return inner
        return self._expr(entity)

    def _path(self, entity: str, role: str) -> tuple[list[str], Span]:
        first = self._id(Expect("field", entity=entity, role=role), "field")
        path = [first.text]
        last = first
        while self._at_punct("."):
            self._next()
            last = self._id(Expect("field", entity=entity, path=tuple(path), role=role), "field")
            path.append(last.text)
        return path, self._span(first, last)

    def _operator(self, entity: str, path: list[str]) -> Token:
        self._want(Expect("operator", entity=entity, path=tuple(path)))
        if self.tok.kind != OPERATOR:
            self._fail()
        return self._next()

    def _expr(self, entity: str, role: str = "where") -> Expr:
        path, pspan = self._path(entity, role)
        op = self._operator(entity, path)
        ospan = self._span(op, op)
        if op.value in NULL_OPERATORS:
            return Expr(path, op.value, None, pspan, ospan)
        return Expr(path, op.value, self._complex_value(entity, path, op.value), pspan, ospan)

    # --- values -------------------------------------------------------------------------------
    def _complex_value(self, entity: str, path: list[str], op: str) -> Value:
        want = Expect("value", entity=entity, path=tuple(path), op=op)
        self._want(want)
        t = self.tok
        if t.kind == PUNCT and t.value == "(" and self.toks[self.i + 1].value == "query":
            self._next()
            sub = Statement("query", Span(t.start, t.end, t.text))
            self._next()
            self._target(sub, functions=False)
            if not sub.fields:
                self._fail("a subquery names one field: query ENTITY.FIELD")
            self._where(sub)
            end = self._punct(")")
            return Value("subquery", self.text[t.start:end.end], None, self._span(t, end), query=sub)
        if t.kind == KEYWORD and t.value == "getapi":
            self._fail("getapi values are not supported by zcli's ZQL")
        return self._value(want)

    def _value(self, want: Expect) -> Value:
        self._want(want)
        self._want(Expect("punct", ("(",)))
        t = self.tok
        if t.kind == PUNCT and t.value == "(":
            self._next()
            items = [self._value(want)]
            while self._at_punct(","):
                self._next()
                items.append(self._value(want))
            end = self._punct(")")
            raw = "(" + ",".join(v.raw for v in items) + ")"
            return Value("list", raw, [v.value for v in items], self._span(t, end), items)
        if t.kind == STRING:
            self._next()
            return Value("string", t.text, t.value, self._span(t, t))
        if t.kind == INT:
            self._next()
            return Value("int", t.text, int(t.text), self._span(t, t))
        if t.kind == FLOAT:
            self._next()
            return Value("float", t.text, float(t.text), self._span(t, t))
        if t.kind == BOOLEAN:
            self._next()
            return Value("boolean", t.text, t.text == "true", self._span(t, t))
        if t.kind == ID:
            q = t.text.replace("'", "''")
            self._fail(f"a value must be quoted: '{q}'")
        self._fail()
        raise AssertionError  # pragma: no cover

    # --- clauses ------------------------------------------------------------------------------
    def _restrict_by(self, st: Statement) -> None:
        self._punct("(")
        while True:
            other = None
            self._want(Expect("entity"))
            if self.tok.kind == ID and self.toks[self.i + 1].value == "." and self.toks[self.i + 1].kind == PUNCT:
                self.roles[self.i] = "entity"
                other = self._next().text
                self._next()
            e = self._expr(other or st.entity, "restrict")
            e.entity = other
            st.restrict_by.append(e)
            if not self._at_punct(","):
                break
            self._next()
        self._punct(")")

    def _return_with(self, st: Statement) -> None:
        self._punct("(")
        while True:
            first = self._id(Expect("name", words=("total",), role="return"))
            parts = [first.text]
            if self._at_punct("{"):
                st.return_blocks.append(self._block(first))
            else:
                while self._at_punct("."):
                    self._next()
                    parts.append(self._id(Expect("name")).text)
            st.return_with.append(".".join(parts))
            st.return_spans.append(self._span(first, self.toks[self.i - 1]))
            if not self._at_punct(","):
                break
            self._next()
        self._punct(")")

    def _block(self, name: Token) -> Block:
        start = self._punct("{")
        depth = 1
        while depth:
            t = self.tok
            if t.kind == EOF:
                self._want(Expect("punct", ("}",)))
                self._fail()
            if t.kind == PUNCT and t.value in "{}":
                depth += 1 if t.value == "{" else -1
            self._next()
        end = self.toks[self.i - 1]
        return Block(name.text, self.text[start.end:end.start], self._span(name, end))

    def _group_by(self, st: Statement) -> None:
        while True:
            t = self._id(Expect("field", entity=st.entity, role="group", done=tuple(st.group_by)), "field")
            st.group_by.append(t.text)
            st.group_spans.append(self._span(t, t))
            if not self._at_punct(","):
                break
            self._next()

    def _order_by(self, st: Statement) -> None:
        while True:
            self._want(Expect("function"))
            t = self.tok
            function = None
            if t.kind == ID and self.toks[self.i + 1].kind == PUNCT and self.toks[self.i + 1].value == "(":
                self.roles[self.i] = "function"
                function = t.text
                self._next()
                self._next()
                path, span = self._path(st.entity, "order")
                self._punct(")")
            else:
                path, span = self._path(st.entity, "order")
            direction = self._kw("asc", "desc").value
            st.order_by.append(OrderItem(path, direction, span, function))
            if not self._at_punct(","):
                break
            self._next()

    def _limit(self, st: Statement) -> None:
        st.limit = self._int()

    def _offset(self, st: Statement) -> None:
        st.offset = self._int()

    def _filter_by(self, st: Statement) -> None:
        while True:
            name = self._id(Expect("name"))
            st.filter_by.append(self._block(name))
            if not self._at_punct(","):
                break
            self._next()

    def _named_as(self, st: Statement) -> None:
        self._want(Expect("string"))
        if self.tok.kind != STRING:
            self._fail()
        st.named_as = self._next().value

    def _search(self, st: Statement) -> None:
        self._want(Expect("string"))
        if self.tok.kind != STRING:
            self._fail()
        st.keyword = self._next().value
        if self._at_kw("from"):
            self._next()
            while True:
                st.indexes.append(self._id(Expect("entity"), "entity").text)
                if not self._at_punct(","):
                    break
                self._next()
        self._tail(st, ("restrict by", "limit", "offset"))


def parse(text: str) -> list[Statement]:
    """The statements of a ZQL line.

    Raises:
        ZQLError: the first token that does not fit, with its column and what was expected.
    """
    if not text.strip():
        raise ZQLError("a ZQL statement starts with query, count, sum or search", 0, 0, "")
    return Parser(text).parse()


def partial(text: str) -> Parser:
    """Parse ``text`` as far as it goes; the parser's ``expected`` then tells what its end expects
    (empty when the text went wrong before its end)."""
    p = Parser(text)
    try:
        p.parse()
    except ZQLError:
        pass
    if p.tok.kind != EOF or not p.expects_here():
        p.expected = []
    return p


__all__ = ["FUNCTIONS", "NULL_OPERATORS", "OPERATORS", "STATEMENTS", "Parser", "parse", "partial"]
