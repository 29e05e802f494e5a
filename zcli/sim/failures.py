"""The failure every simulator module raises when an API fails as the server fails: HTTP 503 with an ErrorCode."""

from __future__ import annotations

from zcli.sim.auth import error


class Failure(Exception):
    """The API failed; ``body`` is its ErrorCode reply (HTTP 503)."""

    def __init__(self, code: str, description: str, details: str = ""):
        super().__init__(details or description)
        self.body = error(code, description, details)


def argerr(details: str) -> Failure:
    """SYS.1007, the server's invalid-argument error."""
    return Failure("SYS.1007", "One or more API argument is invalid", details)


def operr(details: str) -> Failure:
    """SYS.1006, the server's operation error (``operr``): the operation is not allowed, or failed."""
    return Failure("SYS.1006", "An operation failed", details)
