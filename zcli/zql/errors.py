"""The one error the ZQL parser and validator raise: a wrong line, naming a column and a token.

It belongs to the language, not to either face (the simulator answers it with the server's error text):
the faces translate it into the command line's usage error (:class:`zcli.errors.UsageError`, exit 2,
nothing sent) with :meth:`UsageError.of`, as the grammar does the catalogue's errors.
"""

from __future__ import annotations


class ZQLError(ValueError):
    """A ZQL line is wrong.

    The message reads ``column N: REASON at 'TOKEN'`` (with did-you-mean names after it).

    Attributes:
        column: 1-based column of the offending token.
        start, end: the token's offsets in the line (``end == start`` at the end of the line).
        token: the offending token as typed ('' at the end of the line).
        why: the reason alone (no column, token or suggestions).
        reason: the message without the suggestions; word: the token to blame (None at the end of the
            line); suggestions: close names, best first (what :meth:`UsageError.of` reads).
    """

    def __init__(self, reason: str, start: int, end: int, token: str, suggestions: list[str] | tuple = ()):
        self.why = reason
        self.column = start + 1
        self.start = start
        self.end = end
        self.token = token
        where = f"at '{token}'" if token else "at the end of the line"
        self.reason = f"column {self.column}: {reason} {where}"
        self.word = token or None
        self.suggestions = list(suggestions)
        message = self.reason
        if self.suggestions:
            message = f"{message} (did you mean {', '.join(self.suggestions[:3])}?)"
        super().__init__(message)
