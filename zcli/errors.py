"""Exit statuses and the exceptions that carry them.

Every failure a user can cause is one of these exceptions; the two faces (one-shot CLI and shell)
convert them to a one-line message and, in one-shot mode, to the exit status below. Nothing else
ever reaches a user as a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The documented exit statuses (README, DESIGN.md §1)."""

    OK = 0
    API_ERROR = 1
    USAGE = 2
    TRANSPORT = 3
    AUTH = 4
    INTERNAL = 70  # a bug in zcli itself (sysexits' EX_SOFTWARE): never what the API answered
    INTERRUPTED = 130


#: Between the levels of an error's message (an ErrorCode's cause chain): the error report prints one line a
#: level (zcli.core.report); anything that flattens whitespace reads it as a space. Server text never holds it
#: (each level is made one line first).
LEVEL_BREAK = "\x1e"


class ZcliError(Exception):
    """Base of every error zcli reports to a user; ``status`` is the exit status."""

    status: ExitStatus = ExitStatus.API_ERROR

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ZcliError):
    """The command line is wrong: nothing was sent.

    Attributes:
        word: the offending word, when one word is to blame.
        suggestions: close matches for a misspelt name, best first.
    """

    status = ExitStatus.USAGE

    def __init__(self, message: str, word: str | None = None, suggestions: list[str] | tuple = ()):
        self.reason = message  # without the suggestions, for wrapping in a longer message
        if suggestions:
            message = f"{message} (did you mean {', '.join(suggestions[:3])}?)"
        super().__init__(message)
        self.word = word
        self.suggestions = list(suggestions)

    @classmethod
    def of(cls, exc) -> UsageError:
        """The usage error for a lower layer's error that carries ``reason``, ``word`` and ``suggestions``
        (the catalogue's :class:`~zcli.catalog.errors.CatalogError`): the grammar's translation of it."""
        return cls(exc.reason, word=exc.word, suggestions=exc.suggestions)


class ApiError(ZcliError):
    """The API answered with an error (its ErrorCode).

    Attributes:
        causes: the lines of the ErrorCode's ``cause`` chain below the top level, root cause last
            (``CODE: description: details (elaboration)``); the message holds them, one line a level.
        error: the ErrorCode as the server sent it (``-o json`` prints it to stderr), or None.
    """

    status = ExitStatus.API_ERROR

    def __init__(self, code: str, description: str = "", details: str = "", http_status: int | None = None,
                 *, causes: list[str] | tuple[str, ...] = (), error: dict | None = None):
        parts = [p for p in (code, description, details) if p]
        message = ": ".join(parts) or f"HTTP {http_status}"
        super().__init__(LEVEL_BREAK.join([message, *(f"caused by {c}" for c in causes)]))
        self.code = code
        self.description = description
        self.details = details
        self.http_status = http_status
        self.causes = list(causes)
        self.error = error


class TransportError(ZcliError):
    """The endpoint could not be reached, timed out, failed TLS, or did not answer as the API does."""

    status = ExitStatus.TRANSPORT


class AuthError(ZcliError):
    """Not logged in, or the session is no longer valid.

    Attributes:
        code: the API's error code when the server said so (``ID.1001``: the session expired), else None.
    """

    status = ExitStatus.AUTH

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


class Interrupted(ZcliError):
    """The user pressed Ctrl-C where more than "interrupted" must be said (a job left running on the server)."""

    status = ExitStatus.INTERRUPTED
