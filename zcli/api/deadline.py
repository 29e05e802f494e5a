"""Nothing waits forever: a command's deadline, and one HTTP exchange bounded in time and in size.

``--timeout SECONDS`` bounds the whole command: connecting, every read, a body that trickles in a byte a
second, and the wait for an async job. Per-read socket timeouts alone cannot do that (each byte resets
them), so an exchange runs in a worker thread that the caller waits for no longer than the time left;
when it is up, the connection is closed and the command fails with exit 3. The body is read in chunks,
decompressed as it comes, and refused past :data:`zcli.limits.MAX_REPLY_BYTES` (a gzip bomb stops there).

Without ``--timeout`` (see :mod:`zcli.limits`): connecting takes at most 5 s, each read 60 s, one whole
exchange 300 s, and a job wait the API's own timeout (the 202 reply's ``apiTimeout``, in milliseconds)
plus 5 s and a tenth, or 3 hours when it names none. ``--timeout 0`` means no limit at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zcli.errors import TransportError
from zcli.limits import (
    CONNECT_SECONDS,
    EXCHANGE_SECONDS,
    JOB_GRACE_SECONDS,
    JOB_SECONDS,
    MAX_REPLY_BYTES,
    MAX_REPLY_ENV,
    READ_SECONDS,
)

if TYPE_CHECKING:  # pragma: no cover
    import requests

#: Bytes read (and decompressed) at a time: a gzip chunk inflates at most ~1000 times, so this bounds
#: the memory one step of decompression may take.
CHUNK = 16 * 1024


class TimedOut(TransportError):
    """The command's time is up."""


class ReplyTooLarge(TransportError):
    """A reply body is larger than the limit."""


class Deadline:
    """When one command must be done.

    Args:
        seconds: ``--timeout``: None for the default bounds, 0 for no limit, else the seconds the whole
            command may take from now.
        clock: the time source (injectable for tests).
    """

    def __init__(self, seconds: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.start = clock()
        self.end = self.start + seconds if seconds else None

    @property
    def unlimited(self) -> bool:
        """``--timeout 0``: wait as long as it takes."""
        return self.seconds == 0

    def remaining(self) -> float | None:
        """Seconds left, or None when the command has no overall bound."""
        return None if self.end is None else max(0.0, self.end - self.clock())

    def check(self, what: str) -> None:
        """Raise :class:`TimedOut` when the time is up; ``what`` says what was being done."""
        if self.end is not None and self.clock() >= self.end:
            raise self.timed_out(what)

    def timed_out(self, what: str) -> TimedOut:
        return TimedOut(f"timed out after {self.seconds:g}s {what} (see --timeout)")

    def http_timeouts(self, connect: float = CONNECT_SECONDS, read: float = READ_SECONDS
                      ) -> tuple[float | None, float | None]:
        """(connect, read) socket timeouts for the next exchange: the defaults given, within the time left;
        with ``--timeout N`` each read may take all the time left; none at all with ``--timeout 0``."""
        if self.unlimited:
            return (None, None)
        left = self.remaining()
        if left is None:
            return (connect, read)
        left = max(left, 0.001)
        return (min(connect, left), left)

    def exchange_limit(self) -> float | None:
        """How long one whole exchange (connect, headers, body) may take; None for no limit."""
        if self.unlimited:
            return None
        left = self.remaining()
        return EXCHANGE_SECONDS if left is None else left

    def job_deadline(self, api_timeout_ms: object = None) -> float | None:
        """The ``clock()`` value after which to stop waiting for a job: the command's end with ``--timeout``,
        none with ``--timeout 0``, else the API's own timeout (the reply's ``apiTimeout``, ms) plus a grace."""
        if self.unlimited:
            return None
        if self.end is not None:
            return self.end
        seconds = JOB_SECONDS
        if isinstance(api_timeout_ms, (int, float)) and not isinstance(api_timeout_ms, bool) and api_timeout_ms > 0:
            seconds = min(api_timeout_ms / 1000.0, JOB_SECONDS * 8)
            seconds += JOB_GRACE_SECONDS + seconds / 10
        return self.clock() + seconds


def reply_limit(env: Any) -> int | None:
    """The largest reply body, in bytes: :data:`MAX_REPLY_BYTES`, or ``ZCLI_MAX_REPLY_MB`` megabytes
    (``0``: no limit).

    Raises:
        UsageError: the variable is not a whole number of megabytes.
    """
    raw = (env.get(MAX_REPLY_ENV) or "").strip()
    if not raw:
        return MAX_REPLY_BYTES
    if not raw.isdigit() or len(raw) > 9:
        from zcli.errors import UsageError

        raise UsageError(f"{MAX_REPLY_ENV}={raw[:40]}: give a whole number of megabytes (0: no limit)",
                         word=MAX_REPLY_ENV)
    megabytes = int(raw)
    return megabytes * 1024 * 1024 if megabytes else None


def read_body(resp: requests.Response, max_bytes: int | None, deadline: Deadline, url: str) -> None:
    """Read ``resp``'s body (``stream=True``) into ``resp.content``, decompressed, bounded in size and time.

    Raises:
        ReplyTooLarge: the body (decompressed) is larger than ``max_bytes``.
        TimedOut: the deadline passed while it came in.
        requests.exceptions.RequestException: the connection failed.
    """
    length = resp.headers.get("Content-Length", "")
    if max_bytes and length.isdigit() and int(length) > max_bytes and not resp.headers.get("Content-Encoding"):
        resp.close()
        raise _too_large(url, max_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.iter_content(CHUNK):
            size += len(chunk)
            if max_bytes and size > max_bytes:
                raise _too_large(url, max_bytes)
            chunks.append(chunk)
            deadline.check(f"reading the reply from {url}")
    except TransportError:
        resp.close()  # the rest is not read: the connection cannot be reused
        raise
    resp._content = b"".join(chunks)
    resp._content_consumed = True


def _too_large(url: str, max_bytes: int) -> ReplyTooLarge:
    return ReplyTooLarge(f"the reply from {url} is larger than {max_bytes // (1024 * 1024)} MB, zcli's limit "
                         f"(set {MAX_REPLY_ENV} to raise it)")


def exchange(http: requests.Session, method: str, url: str, *, deadline: Deadline, max_bytes: int | None,
             connect: float = CONNECT_SECONDS, read: float = READ_SECONDS, **kwargs: Any) -> requests.Response:
    """One HTTP exchange, its body read whole, within the deadline and the size limit.

    Args:
        http: the session.
        method, url, kwargs: as ``requests.Session.request`` takes them (``timeout`` and ``stream`` are set here).
        deadline: the command's deadline.
        max_bytes: the largest body, or None.
        connect, read: the default socket timeouts (within the deadline).

    Raises:
        TimedOut, ReplyTooLarge: see :func:`read_body`.
        requests.exceptions.RequestException: the exchange failed.
    """
    deadline.check(f"before {method} {url}")
    timeouts = deadline.http_timeouts(connect, read)

    def run() -> requests.Response:
        resp = http.request(method, url, timeout=timeouts, stream=True, **kwargs)
        box["resp"] = resp
        read_body(resp, max_bytes, deadline, url)
        return resp

    box: dict[str, Any] = {}
    limit = deadline.exchange_limit()
    if limit is None:
        return run()
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = run()
        except BaseException as exc:  # handed to the waiting thread, which raises it
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="zcli-exchange", daemon=True).start()
    if not done.wait(limit):
        _abort(box.get("resp"))
        if deadline.end is not None:
            raise deadline.timed_out(f"waiting for {url}")
        raise TimedOut(f"timed out after {limit:g}s waiting for {url} (see --timeout)")
    if "error" in box:
        raise box["error"]
    return box["result"]


def _abort(resp: requests.Response | None) -> None:
    """Wake a worker blocked reading ``resp``: shut its socket down (closing the response would wait for the
    reader's lock). Before the reply's head came there is no response yet: the worker then ends within its
    socket timeouts, which the deadline bounds."""
    conn = getattr(getattr(resp, "raw", None), "_connection", None)
    sock = getattr(conn, "sock", None)
    if sock is not None:
        import socket

        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
