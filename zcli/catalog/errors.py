"""The catalogue's own errors: a name it does not know, a catalogue file it cannot read.

They belong to the catalogue, not to either face: the grammar translates them into the command line's
usage error (:class:`zcli.errors.UsageError`, exit 2), the simulator into the server's own error texts,
completion and highlighting into "nothing known".
"""

from __future__ import annotations


class CatalogError(Exception):
    """A question the catalogue cannot answer.

    Attributes:
        reason: what is wrong, without suggestions.
        word: the name to blame, when one is.
        suggestions: close names, best first.
    """

    def __init__(self, reason: str, word: str | None = None, suggestions: list[str] | tuple = ()):
        self.reason = reason
        self.word = word
        self.suggestions = list(suggestions)
        message = f"{reason} (did you mean {', '.join(self.suggestions[:3])}?)" if self.suggestions else reason
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownName(CatalogError, LookupError):
    """No API, inventory or field path of that name."""


class BadCatalogFile(CatalogError, ValueError):
    """A user's catalogue file is missing or not in the reference format."""
