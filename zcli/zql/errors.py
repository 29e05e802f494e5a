"""The one error the ZQL parser and validator raise: a usage error naming a column and a token."""

from __future__ import annotations

from zcli.errors import UsageError


class ZQLError(UsageError):
    """A ZQL line is wrong; nothing was sent (exit status 2).

    The message reads ``column N: REASON at 'TOKEN'`` (with did-you-mean names after it).

    Attributes:
        column: 1-based column of the offending token.
        start, end: the token's offsets in the line (``end == start`` at the end of the line).
        token: the offending token as typed ('' at the end of the line).
        why: the reason alone (no column, token or suggestions).
    """

    def __init__(self, reason: str, start: int, end: int, token: str, suggestions: list[str] | tuple = ()):
        self.why = reason
        self.column = start + 1
        self.start = start
        self.end = end
        self.token = token
        where = f"at '{token}'" if token else "at the end of the line"
        super().__init__(f"column {self.column}: {reason} {where}", word=token or None, suggestions=suggestions)
