"""ZQL, ZStack's query language: parser, checks against the catalogue, completion, highlighting and
result shaping, all pure (no I/O). See :mod:`zcli.zql.parser` for the grammar as parsed."""

from zcli.zql.errors import ZQLError

#: The words that start a ZQL statement: a line starting with one of them is ZQL.
STATEMENT_WORDS = ("query", "count", "sum", "search")


def is_zql(line: str) -> bool:
    """True when ``line`` starts with a ZQL statement keyword (followed by a blank or the end)."""
    head = line.lstrip().split(None, 1)
    return bool(head) and head[0] in STATEMENT_WORDS


__all__ = ["STATEMENT_WORDS", "ZQLError", "is_zql"]
