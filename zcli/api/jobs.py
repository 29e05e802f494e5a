"""Async API jobs: a 202 reply names a job at ``location``; poll it until it ends.

The server names its own address in ``location`` (often an internal one, unreachable from here), so the
job is polled at the same path on the endpoint in use. Polls back off from 50 ms to 1 s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

from zcli.errors import Interrupted, TransportError

#: First and longest pause between two polls, in seconds.
FIRST_DELAY = 0.05
MAX_DELAY = 1.0
#: What Ctrl-C during the wait says.
INTERRUPTED_JOB = "interrupted: the job may still finish on the server"


def job_path(location: str) -> str:
    """The path (from ``/v1/``) of the job a 202 reply names at ``location``, to poll on the node in use:
    ``http://10.0.0.1:8080/zstack/v1/api-jobs/J`` gives ``/v1/api-jobs/J``."""
    loc = urlsplit(location)
    i = loc.path.find("/v1/")
    path = loc.path[i:] if i >= 0 else "/v1/api-jobs/" + loc.path.rstrip("/").rsplit("/", 1)[-1]
    return path + (f"?{loc.query}" if loc.query else "")


def job_url(location: str, base_url: str) -> str:
    """The URL to poll for ``location`` on the endpoint ``base_url`` (its host rewritten).

    ``http://10.0.0.1:8080/zstack/v1/api-jobs/J`` with base ``https://mn:443/zstack`` gives
    ``https://mn:443/zstack/v1/api-jobs/J``; a location without ``/v1/`` keeps its path.
    """
    loc = urlsplit(location)
    i = loc.path.find("/v1/")
    if i >= 0:
        tail = loc.path[i:] + (f"?{loc.query}" if loc.query else "")
        return base_url.rstrip("/") + tail
    base = urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, loc.path, loc.query, ""))


def delays(first: float = FIRST_DELAY, longest: float = MAX_DELAY) -> Iterator[float]:
    """The pauses between polls: doubling from ``first`` up to ``longest``, then steady."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, longest)


def wait_for_job(poll: Callable[[], dict | None], *, url: str, deadline: float | None,
                 clock: Callable[[], float], sleep: Callable[[float], None],
                 on_wait: Callable[[float | None], None] | None = None, job: str | None = None) -> dict:
    """Call ``poll`` until it returns the job's result.

    Args:
        poll: one GET of the job: None while it runs (HTTP 202), the reply when done; raises on failure.
        url: the job's URL, named when the wait times out.
        deadline: ``clock()`` value after which to give up, or None to wait as long as it takes.
        clock, sleep: time source and pause (injectable for tests).
        on_wait: called with the seconds waited so far before each pause, and with None once at the end
            (a spinner draws and then clears itself with it).
        job: the job's uuid, named when the wait ends early (poll it with ``GET /v1/api-jobs/JOB``).

    Raises:
        TransportError: the deadline passed; whatever ``poll`` raises.
        Interrupted: Ctrl-C was pressed: the request was accepted, so the job may still finish.
    """
    start = clock()
    try:
        for delay in delays():
            result = poll()
            if result is not None:
                return result
            now = clock()
            if deadline is not None and now >= deadline:
                raise TransportError(f"timed out after {now - start:.0f}s waiting for "
                                     + (f"job {job} at {url}" if job else f"the job at {url}")
                                     + " (see --timeout); it may still finish on the server")
            if on_wait:
                on_wait(now - start)
            if deadline is not None:
                delay = max(0.0, min(delay, deadline - now))
            sleep(delay)
    except KeyboardInterrupt:
        # The server took the request: leaving the wait does not cancel it, and the user must know.
        raise Interrupted(INTERRUPTED_JOB + (f" (job {job}, at {url})" if job else "")) from None
    finally:
        if on_wait:
            on_wait(None)
    raise AssertionError("unreachable")  # pragma: no cover - delays() never ends
