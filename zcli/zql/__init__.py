"""ZQL, ZStack's query language: parser, checks against the catalogue, completion, highlighting and
result shaping, all pure (no I/O). See :mod:`zcli.zql.parser` for the grammar as parsed."""

from zcli.zql.errors import ZQLError

#: The words that start a ZQL statement: a line starting with one of them is ZQL.
STATEMENT_WORDS = ("query", "count", "sum", "search")


def is_zql(line: str) -> bool:
    """True when ``line`` starts with a ZQL statement keyword (followed by a blank or the end)."""
    head = line.lstrip().split(None, 1)
    return bool(head) and head[0] in STATEMENT_WORDS




def split_zql_line(line: str, options) -> tuple[str, str]:
    """(the ZQL text, the rest of the line from the first per-line option on).

    A per-line option (``-o json``, ``--query EXPR``, ``--no-validate``...) is a blank-separated word
    outside quotes spelled as one of ``options`` (or ``--opt=value``); ZQL itself never has such a word.
    """
    i, n, quote = 0, len(line), ""
    start = 0
    while i <= n:
        c = line[i] if i < n else " "
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in " \t":
            word = line[start:i]
            if word and (word in options or word.split("=", 1)[0] in options):
                return line[:start].strip(), line[start:]
            start = i + 1
        i += 1
    return line.strip(), ""


def line_words(line: str) -> list[str] | None:
    """The words of a ZQL line for the core: the ZQL text as one word (its quotes kept), then the line's
    own options (``-o json``, ``--query EXPR``) as words; None when the line is not ZQL."""
    if not is_zql(line):
        return None
    from zcli.grammar import split_line
    from zcli.options import LINE_FLAGS

    text, rest = split_zql_line(line, LINE_FLAGS)
    return [text, *split_line(rest)]


__all__ = ["STATEMENT_WORDS", "ZQLError", "is_zql", "line_words", "split_zql_line"]
