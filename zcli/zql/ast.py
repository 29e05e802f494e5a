"""The ZQL syntax tree: what the parser gives the validator, the simulator and the result shaper.

Every node keeps the offsets of the text it came from, so that an error found later (an unknown
field, a value of the wrong type) names its column and token as a syntax error does.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Span:
    """Offsets ``start``..``end`` of a piece of the line, and its text."""

    start: int
    end: int
    text: str

    @property
    def column(self) -> int:
        return self.start + 1


@dataclass
class Value:
    """A literal: ``kind`` is string, int, float, boolean or list (``items``), or subquery (``query``).

    ``raw`` is the text the server would place in its SQL (strings keep their quotes); ``value`` the
    Python value (str, int, float, bool)."""

    kind: str
    raw: str
    value: object
    span: Span
    items: list[Value] = field(default_factory=list)
    query: Statement | None = None


@dataclass
class Expr:
    """``path operator value``: ``path`` is the dotted field as segments; ``value`` None for null tests."""

    path: list[str]
    op: str
    value: Value | None
    path_span: Span
    op_span: Span
    entity: str | None = None  # restrict by ENTITY.field: the other entity


@dataclass
class Logic:
    """``left and|or right``. The server's grammar gives both the same precedence, left to right:
    ``a or b and c`` is ``(a or b) and c``."""

    op: str
    left: Condition
    right: Condition


Condition = Expr | Logic


@dataclass
class OrderItem:
    path: list[str]
    direction: str
    span: Span
    function: str | None = None


@dataclass
class Block:
    """``name { ... }`` of ``return with``/``filter by``: the text between the braces as typed."""

    name: str
    body: str
    span: Span


@dataclass
class Statement:
    """One ZQL statement. ``kind`` is query, count, sum or search."""

    kind: str
    span: Span
    entity: str = ""
    entity_span: Span | None = None
    fields: list[str] = field(default_factory=list)
    field_spans: list[Span] = field(default_factory=list)
    function: str | None = None
    function_span: Span | None = None
    where: Condition | None = None
    restrict_by: list[Expr] = field(default_factory=list)
    return_with: list[str] = field(default_factory=list)
    return_blocks: list[Block] = field(default_factory=list)
    return_spans: list[Span] = field(default_factory=list)
    group_by: list[str] = field(default_factory=list)
    group_spans: list[Span] = field(default_factory=list)
    order_by: list[OrderItem] = field(default_factory=list)
    limit: int | None = None
    offset: int | None = None
    filter_by: list[Block] = field(default_factory=list)
    named_as: str | None = None
    sum_by: str | None = None
    sum_by_span: Span | None = None
    keyword: str | None = None  # search
    indexes: list[str] = field(default_factory=list)  # search ... from


def walk(cond: Condition | None):
    """Every :class:`Expr` of a condition tree, left to right."""
    if cond is None:
        return
    if isinstance(cond, Expr):
        yield cond
    else:
        yield from walk(cond.left)
        yield from walk(cond.right)
