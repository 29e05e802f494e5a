"""The ZStack REST client: one keep-alive ``requests.Session``, the session header, timeouts,
retries of idempotent GETs, TLS, and the polling of async jobs.

    client = ApiClient("http://localhost:8080/zstack")
    client.session_uuid = "..."                      # sent as ``Authorization: OAuth <uuid>``
    reply = client.send(build_request(command))     # the reply body, jobs already awaited

Only GETs are retried, and only when the connection failed before any reply (refused, reset):
a POST, PUT or DELETE may have been applied, so repeating it is the user's call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from zcli.api.deadline import Deadline, TimedOut, exchange
from zcli.api.jobs import job_url, wait_for_job
from zcli.api.replies import decode_json, reply_or_raise, summary, transport_error
from zcli.errors import ApiError, TransportError
from zcli.limits import MAX_REPLY_BYTES
from zcli.secrets import mask_data

if TYPE_CHECKING:  # pragma: no cover
    import requests

    from zcli.grammar import Request


class ApiClient:
    """A client for one endpoint.

    Args:
        base_url: e.g. ``http://localhost:8080/zstack``; requests go to ``<base_url>/v1<path>``.
        session: a ``requests.Session`` to use (tests inject one); made on the first request otherwise.
        timeout: (connect, read) timeouts in seconds for each HTTP exchange.
        verify: True to verify TLS, False not to (``--insecure``), or a CA bundle path.
        on_wait: called while an async job runs (see :func:`zcli.api.jobs.wait_for_job`).
        session_uuid: the ZStack session to send, or None.
        wait_timeout: ``--timeout``: the seconds a whole command may take (connect, reads, body, job
            wait); None for the default bounds, 0 for no limit (see :mod:`zcli.api.deadline`).
        max_reply: the largest reply body read, in bytes, decompressed (None: no limit).
        get_retries: how many times a GET is retried after a connection error.
        backoff: the first pause before a retry, doubled each time.
        clock, sleep: time source and pause (injectable for tests).
        log: called with one line per exchange (``--debug``); secrets are masked.
    """

    def __init__(self, base_url: str, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = (5, 60), verify: bool | str = True,
                 on_wait: Callable[[float | None], None] | None = None, session_uuid: str | None = None,
                 wait_timeout: float | None = None, get_retries: int = 3, backoff: float = 0.2,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 log: Callable[[str], None] | None = None, max_reply: int | None = MAX_REPLY_BYTES):
        self.base_url = base_url.rstrip("/")
        self._http = session
        self.timeout = timeout
        self.verify = verify
        self.on_wait = on_wait
        self.session_uuid = session_uuid
        self.wait_timeout = wait_timeout
        self.get_retries = get_retries
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self.log = log
        self.max_reply = max_reply
        self.deadline: Deadline | None = None  # a whole command's, while one runs (see command())

    @property
    def http(self) -> requests.Session:
        """The keep-alive session, made (and ``requests`` imported) on first use."""
        if self._http is None:
            import requests

            self._http = requests.Session()
            self._http.headers["User-Agent"] = _user_agent()
            self._http.auth = _only_zcli_auth  # no Basic auth from ~/.netrc or from a URL's user:password@
        return self._http

    @contextmanager
    def command(self) -> Iterator[Deadline]:
        """Within the block, every exchange shares one deadline: ``--timeout`` bounds the whole command."""
        outer = self.deadline
        if outer is None:
            self.deadline = Deadline(self.wait_timeout, self.clock)
        try:
            yield self.deadline
        finally:
            self.deadline = outer

    def close(self) -> None:
        """Close the pooled connections."""
        if self._http is not None:
            self._http.close()

    def send(self, request: Request, *, secrets: Collection[str] = ()) -> dict:
        """Send ``request`` and return the reply body; an async API's job is awaited first.

        Args:
            request: from :func:`zcli.grammar.build_request`.
            secrets: body keys never to show in debug output (any key naming a password is masked too).

        Raises:
            ApiError: the API answered with an error.
            AuthError: not logged in, or the session expired (``exc.code == "ID.1001"`` then).
            TransportError: unreachable, timed out, TLS, or not the API's reply.
        """
        deadline = self.deadline or Deadline(self.wait_timeout, self.clock)
        headers = {"Accept": "application/json"}
        authorized = bool(self.session_uuid and request.api.session)
        if authorized:
            headers["Authorization"] = f"OAuth {self.session_uuid}"
        url = f"{self.base_url}/v1{request.path}"
        resp = self._exchange(request.method, url, params=request.query or None, json=request.body,
                              headers=headers, secrets=secrets, deadline=deadline)
        if resp.status_code != 202:
            api = request.api
            called = f"{request.method} {request.path} for {api.name}" + (
                f", in the catalogue since {api.since}" if api.since else "")
            return reply_or_raise(resp.status_code, resp.content, resp.headers.get("Content-Type", ""),
                                  self.base_url, authorized=authorized, api=called)
        location, api_timeout = _accepted(resp)
        if not location:
            raise TransportError(f"{self.base_url} answered 202 without a job location")
        poll_url = job_url(location, self.base_url)

        def poll() -> dict | None:
            try:
                r = self._exchange("GET", poll_url, headers=headers, deadline=deadline)
            except TimedOut:
                raise TransportError(f"timed out after {deadline.seconds:g}s waiting for the job at {poll_url} "
                                     "(see --timeout); it may still finish on the server") from None
            if r.status_code == 202:
                return None
            if r.status_code == 404:
                text = summary(r.content, r.headers.get("Content-Type", ""))
                raise ApiError("HTTP 404", text or "the job has expired", poll_url, 404)
            return reply_or_raise(r.status_code, r.content, r.headers.get("Content-Type", ""), self.base_url,
                                  authorized=authorized)

        reply = wait_for_job(poll, url=poll_url, deadline=deadline.job_deadline(api_timeout), clock=self.clock,
                             sleep=self.sleep, on_wait=self.on_wait)
        if request.api.name == "SubmitLongJob":  # a long job is waited for as an api-job is
            from zcli.api.longjobs import follow

            return follow(self, reply, headers, deadline)
        return reply

    def _exchange(self, method: str, url: str, *, secrets: Collection[str] = (), deadline: Deadline | None = None,
                  **kwargs: Any) -> requests.Response:
        """One HTTP exchange within ``deadline``; GETs are retried with backoff when the connection fails."""
        import requests

        if deadline is None:
            deadline = self.deadline or Deadline(self.wait_timeout, self.clock)

        if self.log:
            query = [(k, mask(v, secrets, key=k)) for k, v in kwargs.get("params") or ()]
            body = kwargs.get("json")
            self.log(f"> {method} {url}" + (f" {query}" if query else "")
                     + (f" {mask(body, secrets)}" if body is not None else ""))
        attempts = 1 + (self.get_retries if method == "GET" else 0)
        delay = self.backoff
        for attempt in range(attempts):
            started = self.clock()
            try:
                resp = self._request(method, url, deadline, **kwargs)
            except requests.exceptions.Timeout as exc:
                if deadline.end is not None:  # --timeout: the command's time is what ran out
                    raise deadline.timed_out(f"waiting for {self.base_url}") from None
                raise transport_error(exc, self.base_url, self.timeout) from None
            except requests.exceptions.SSLError as exc:
                raise transport_error(exc, self.base_url, self.timeout) from None
            except requests.exceptions.ConnectionError as exc:
                if attempt + 1 >= attempts:
                    raise transport_error(exc, self.base_url, self.timeout) from None
                if self.log:
                    self.log(f"! {method} {url}: connection failed, retrying in {delay:g}s")
                left = deadline.remaining()
                self.sleep(delay if left is None else min(delay, left))
                delay *= 2
                continue
            except requests.exceptions.RequestException as exc:
                raise transport_error(exc, self.base_url, self.timeout) from None
            if self.log:
                self.log(f"< {resp.status_code} {url} {len(resp.content)} bytes "
                         f"{(self.clock() - started) * 1000:.0f} ms")
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, method: str, url: str, deadline: Deadline, **kwargs: Any) -> requests.Response:
        """One request and its redirects within the endpoint's origin (:mod:`zcli.api.redirects`), all within
        the deadline (:mod:`zcli.api.deadline`)."""
        from zcli.api.redirects import follow

        def once(method: str, url: str, **kwargs: Any) -> requests.Response:
            return self._request_once(method, url, deadline, **kwargs)

        return follow(once, method, url, kwargs, log=self.log)

    def _request_once(self, method: str, url: str, deadline: Deadline, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        connect, read = self.timeout
        bounds = {"deadline": deadline, "max_bytes": self.max_reply, "connect": connect, "read": read}
        if self.verify is False:
            import warnings

            from urllib3.exceptions import InsecureRequestWarning

            with warnings.catch_warnings():  # the user asked for --insecure: do not nag on every request
                warnings.simplefilter("ignore", InsecureRequestWarning)
                return exchange(self.http, method, url, verify=False, **bounds, **kwargs)
        return exchange(self.http, method, url, verify=self.verify, **bounds, **kwargs)


def _accepted(resp: requests.Response) -> tuple[str | None, object]:
    """A 202 reply's job ``location`` and ``apiTimeout`` (the API's own timeout, in milliseconds)."""
    try:
        body = decode_json(resp.content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("location"), str):
        return body["location"], body.get("apiTimeout")
    return resp.headers.get("Location"), None


def mask(value: Any, secrets: Collection[str] = (), *, key: object = "") -> Any:
    """``value`` with every secret masked, by the one policy (:func:`zcli.secrets.mask_data`)."""
    return mask_data(value, secrets, key=key)


def _only_zcli_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An auth hook that adds nothing: set on the session, it keeps ``requests`` from adding credentials of its
    own (``~/.netrc``, a URL's ``user:password@``), so the only ``Authorization`` sent is zcli's ``OAuth``."""
    return request


def _user_agent() -> str:
    from zcli import __version__

    return f"zcli/{__version__}"
