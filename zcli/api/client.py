"""The ZStack REST client: one keep-alive ``requests.Session``, authentication, timeouts, safe retries, failover
between management nodes, and the polling of async jobs.

    client = ApiClient("http://localhost:8080/zstack")
    client.session_uuid = "..."                      # sent as ``Authorization: OAuth <uuid>``
    reply = client.send(build_request(command))     # the reply body, jobs already awaited

What is retried, and on which node (``rest/.../RestServer.java``), when the connection failed before any reply:

* anything, when nothing was sent (the connection could not be made): on the next node;
* a GET (idempotent): again, on the next node;
* an async call: it carries ``X-Job-UUID`` (chosen here, 32 hex digits), so it is sent again with the same
  uuid. The server refuses a duplicate job uuid (400 "Duplicate job uuid[...]") when the first one arrived:
  the job is then polled instead. A sync POST, PUT or DELETE is never repeated: it may have been applied.

Nodes are the base URL and its ``standby`` URLs (a profile's ``standby_urls``): a session is valid on every
node of a cluster, so the same ``Authorization`` goes to whichever answers. With an access key
(:mod:`zcli.api.accesskey`) each request is signed instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from zcli.api.deadline import Deadline, TimedOut, exchange
from zcli.api.jobs import job_path, wait_for_job
from zcli.api.replies import decode_json, reply_or_raise, summary, transport_error
from zcli.errors import ApiError, TransportError
from zcli.limits import MAX_REPLY_BYTES
from zcli.secrets.values import mask_data

if TYPE_CHECKING:  # pragma: no cover
    import requests

    from zcli.api.accesskey import AccessKey
    from zcli.grammar import Request

#: The server's answer to a job uuid it already has (RestServer.handleApi).
_DUPLICATE_JOB = "Duplicate job uuid["


def _new_job_uuid() -> str:
    """A fresh job uuid (``uuid`` is imported here: it loads ``platform``, which a query never needs)."""
    import uuid

    return uuid.uuid4().hex


class ApiClient:
    """A client for one endpoint (a cluster of management nodes).

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
        get_retries: how many times a request is repeated after a connection error (where that is safe).
        backoff: the first pause before a retry, doubled each time.
        clock, sleep: time source and pause (injectable for tests).
        log: called with one line per exchange (``--debug``); secrets are masked.
        api_timeout: seconds sent as ``X-API-Timeout`` (the server's timeout of the API), or None not to send it.
        standby: the other nodes' base URLs, tried in turn when one cannot be reached.
        access_key: sign requests with this key instead of sending a session (:mod:`zcli.api.accesskey`).
        new_job_uuid: makes the ``X-Job-UUID`` of an async call (injectable for tests); a random uuid4 by default.
    """

    def __init__(self, base_url: str, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = (5, 60), verify: bool | str = True,
                 on_wait: Callable[[float | None], None] | None = None, session_uuid: str | None = None,
                 wait_timeout: float | None = None, get_retries: int = 3, backoff: float = 0.2,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 log: Callable[[str], None] | None = None, max_reply: int | None = MAX_REPLY_BYTES,
                 api_timeout: float | None = None, standby: Collection[str] = (),
                 access_key: AccessKey | None = None, new_job_uuid: Callable[[], str] | None = None):
        self.base_url = base_url.rstrip("/")
        self.nodes = [self.base_url, *(u.rstrip("/") for u in standby if u.rstrip("/") != self.base_url)]
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
        self.api_timeout = api_timeout
        self.access_key = access_key
        self.new_job_uuid = new_job_uuid or _new_job_uuid
        #: Who the session is (``admin (account login)``), named by ``--debug``.
        self.who: str | None = None
        #: The server's version (GetVersion, kept with the login) and the catalogue's, named when the server
        #: answers that a path, field or API does not exist.
        self.server_version: str | None = None
        self.catalogue_version: str | None = None
        self._node = 0  # the node that answered last
        self._named = False

    @property
    def node(self) -> str:
        """The base URL of the node in use."""
        return self.nodes[self._node]

    @property
    def versions(self) -> str:
        """``server 5.4.0, catalogue 5.2.1 (...)``: what is known of both versions."""
        return ", ".join(f"{who} {v}" for who, v in (("server", self.server_version or "unknown (GetVersion)"),
                                                      ("catalogue", self.catalogue_version)) if v)

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

    def _auth_headers(self, method: str, path: str, needs_session: bool) -> dict[str, str]:
        if not needs_session:
            return {}
        if self.access_key is not None:  # it signs "/v1" + the path after it
            return self.access_key.headers(method, path.removeprefix("/v1"))
        if self.session_uuid:
            return {"Authorization": f"OAuth {self.session_uuid}"}
        return {}

    def send(self, request: Request, *, secrets: Collection[str] = ()) -> dict:
        """Send ``request`` and return the reply body; an async API's job is awaited first.

        Args:
            request: from :func:`zcli.grammar.build_request`.
            secrets: body keys never to show in debug output (any key naming a password is masked too).

        Raises:
            ApiError: the API answered with an error.
            AuthError: not logged in, or the session expired (``exc.code == "ID.1001"`` then); with an access
                key, the key refused or the clock too far off the server's.
            TransportError: unreachable, timed out, TLS, or not the API's reply; a timed-out job wait names the job.
            Interrupted: Ctrl-C while a job runs (the job is named).
        """
        deadline = self.deadline or Deadline(self.wait_timeout, self.clock)
        api = request.api
        headers = {"Accept": "application/json"}
        job_uuid = None
        if not api.sync and request.method != "GET":
            job_uuid = self.new_job_uuid()
            headers["X-Job-UUID"] = job_uuid
        if self.api_timeout:
            headers["X-API-Timeout"] = str(max(1, int(self.api_timeout)))
        authorized = bool(api.session and (self.session_uuid or self.access_key))
        resp = self._exchange(request.method, f"/v1{request.path}", params=request.query or None,
                              json=request.body, headers=headers, secrets=secrets, deadline=deadline,
                              retry=request.method == "GET" or bool(job_uuid), auth=api.session)
        if job_uuid and resp.status_code == 400 and _DUPLICATE_JOB in resp.content.decode("utf-8", "replace"):
            # A retry found that the first attempt arrived: follow the job it started.
            return self._wait(f"/v1/api-jobs/{job_uuid}", None, deadline, authorized)
        if resp.status_code != 202:
            called = f"{request.method} {request.path} for {api.name}" + (
                f", in the catalogue since {api.since}" if api.since else "")
            return self._reply(resp, authorized, called)
        location, api_timeout = _accepted(resp)
        if not location:
            raise TransportError(f"{self.node} answered 202 without a job location")
        reply = self._wait(job_path(location), api_timeout, deadline, authorized)
        if api.name == "SubmitLongJob":  # a long job is waited for as an api-job is
            from zcli.api.longjobs import follow

            return follow(self, reply, {"Accept": "application/json"}, deadline)
        return reply

    def _wait(self, path: str, api_timeout: object, deadline: Deadline, authorized: bool) -> dict:
        """Poll the job at ``path`` (``/v1/api-jobs/JOB``) on the node in use until it ends."""
        job = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]

        def poll() -> dict | None:
            try:
                r = self._exchange("GET", path, headers={"Accept": "application/json"}, deadline=deadline,
                                   retry=True, auth=True)
            except TimedOut:
                raise TransportError(f"timed out after {deadline.seconds:g}s waiting for job {job} at "
                                     f"{self.node}{path} (see --timeout); it may still finish on the server") \
                    from None
            if r.status_code == 202:
                return None
            if r.status_code == 404:
                text = summary(r.content, r.headers.get("Content-Type", ""))
                raise ApiError("HTTP 404", text or "the job has expired", f"job {job} at {self.node}{path}", 404)
            return self._reply(r, authorized)

        return wait_for_job(poll, url=f"{self.node}{path}", job=job, deadline=deadline.job_deadline(api_timeout),
                            clock=self.clock, sleep=self.sleep, on_wait=self.on_wait)

    def _reply(self, resp: requests.Response, authorized: bool, called: str = "") -> dict:
        """The reply body, or the error it carries; with an access key, ``ID.1000`` and the 403 of a skewed
        clock are authentication errors (exit 4)."""
        from zcli.errors import AuthError

        try:
            return reply_or_raise(resp.status_code, resp.content, resp.headers.get("Content-Type", ""), self.node,
                                  authorized=authorized, api=called, versions=self.versions)
        except ApiError as exc:
            if self.access_key is not None and exc.code == "ID.1000":
                raise AuthError(f"the access key {self.access_key.key_id} was refused: {exc}", exc.code) from None
            if resp.status_code == 403 and "requestTimeTooSkewed" in exc.description:
                raise AuthError("the server refused the request's Date (requestTimeTooSkewed): this clock is more "
                                "than 15 minutes off the server's; fix the time here") from None
            raise

    def _exchange(self, method: str, path: str, *, secrets: Collection[str] = (), deadline: Deadline | None = None,
                  retry: bool = False, auth: bool = True, headers: dict[str, str] | None = None,
                  **kwargs: Any) -> requests.Response:
        """One HTTP exchange with the node in use, within ``deadline``. On a connection failure the next node is
        tried (after a pause once every node was), when nothing was sent or when ``retry`` says that repeating
        is safe (a GET, a call carrying X-Job-UUID)."""
        import requests

        if deadline is None:
            deadline = self.deadline or Deadline(self.wait_timeout, self.clock)
        if self.log:
            if self.who and not self._named:
                self.log(f"as {self.who}")
                self._named = True
            query = [(k, mask(v, secrets, key=k)) for k, v in kwargs.get("params") or ()]
            body = kwargs.get("json")
            shown = {k: v for k, v in (headers or {}).items() if k.startswith("X-")}
            self.log(f"> {method} {self.node}{path}" + (f" {query}" if query else "")
                     + (f" {mask(body, secrets)}" if body is not None else "") + (f" {shown}" if shown else ""))
        attempts = 1 + self.get_retries
        delay = self.backoff
        failed: Exception | None = None
        for attempt in range(attempts):
            url = f"{self.node}{path}"
            sent = {**(headers or {}), **self._auth_headers(method, path, auth)}
            started = self.clock()
            try:
                resp = self._request(method, url, deadline, headers=sent, **kwargs)
            except requests.exceptions.ConnectTimeout as exc:
                failed = exc  # nothing was sent: the next node may answer
            except requests.exceptions.Timeout as exc:
                if deadline.end is not None:  # --timeout: the command's time is what ran out
                    raise deadline.timed_out(f"waiting for {self.node}") from None
                raise transport_error(exc, self.node, self.timeout) from None
            except requests.exceptions.SSLError as exc:
                raise transport_error(exc, self.node, self.timeout) from None
            except requests.exceptions.ConnectionError as exc:
                if not (retry or _nothing_sent(exc)):
                    raise transport_error(exc, self.node, self.timeout) from None
                failed = exc
            except requests.exceptions.RequestException as exc:
                raise transport_error(exc, self.node, self.timeout) from None
            else:
                if self.log:
                    self.log(f"< {resp.status_code} {url} {len(resp.content)} bytes "
                             f"{(self.clock() - started) * 1000:.0f} ms")
                return resp
            if attempt + 1 >= attempts:
                break
            moved = len(self.nodes) > 1
            if moved:
                self._node = (self._node + 1) % len(self.nodes)
            if self.log:
                self.log(f"! {method} {url}: connection failed, "
                         + (f"trying {self.node}" if moved else f"retrying in {delay:g}s"))
            if not moved or self._node == 0:  # a pause once every node was tried
                left = deadline.remaining()
                self.sleep(delay if left is None else min(delay, left))
                delay *= 2
        error = transport_error(failed, self.node, self.timeout)
        if len(self.nodes) > 1:
            error = TransportError(f"{error.message} (tried every node: {', '.join(self.nodes)})")
        raise error

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


def _nothing_sent(exc: Exception) -> bool:
    """Whether a connection error happened before the request went out (the connection was never made)."""
    text = repr(exc)
    return any(s in text for s in ("NewConnectionError", "Failed to establish a new connection",
                                   "Connection refused", "Name or service not known", "No route to host"))


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
    """``value`` with every secret masked, by the one policy (:func:`zcli.secrets.values.mask_data`)."""
    return mask_data(value, secrets, key=key)


def _only_zcli_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An auth hook that adds nothing: set on the session, it keeps ``requests`` from adding credentials of its
    own (``~/.netrc``, a URL's ``user:password@``), so the only ``Authorization`` sent is zcli's ``OAuth``."""
    return request


def _user_agent() -> str:
    from zcli import __version__

    return f"zcli/{__version__}"
