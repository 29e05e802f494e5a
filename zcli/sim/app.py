"""The simulator as a function from a request to a reply, apart from any HTTP server.

:class:`Simulator` owns the store, sessions, jobs and routes. ``handle`` takes what arrived
(method, path, query pairs, headers, body) and gives back (status, body), where a dict body is
JSON and a str body is plain text. Replies without fields (a job in progress, a finished delete, a
logout) are ``{}``: the server's reply is a JSON map even when nothing is in it.
"""

from __future__ import annotations

import json
import re
import uuid

from zcli.catalog.errors import UnknownName
from zcli.sim import audits, logincontrol, logins
from zcli.sim.accesskeys import AccessKeys, BadAuthHeader
from zcli.sim.auth import Auth, AuthFailure, error, session_expired
from zcli.sim.clock import SYSTEM
from zcli.sim.jobs import DEFAULT_API_TIMEOUT_MS, DEFAULT_EXPIRED_PERIOD, PROCESSING, DuplicateJob, Jobs
from zcli.sim.params import Gone, ParamError, check_params
from zcli.sim.query import BadQuery, BadRequest, Condition, QueryBuilder, QueryParams, UnknownFilter, parse_params
from zcli.sim.query_bind import BadQueryParameter, bind_query
from zcli.sim.routes import RouteError, Router
from zcli.sim.store import Store
from zcli.sim.writes import Writer

PREFIX = "/zstack/v1"
MAX_DEPTH = 64  # levels of nesting a body may have
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_AUTH_APIS = logins.APIS


def schema_of(store: Store, inventory: str, items: list[dict], prefix: str = "inventories", *,
              java_class=lambda name: name, many: bool = True) -> dict[str, str]:
    """The reply's ``schema``: JSON path → class of each object, as the server's JsonSchemaBuilder writes it
    (the full Java class name; ``java_class`` maps an inventory to it)."""
    out: dict[str, str] = {}
    spec = store.specs.get(inventory)
    for i, item in enumerate(items):
        path = f"{prefix}[{i}]" if many else prefix
        if spec is not None:
            for name, fill in spec.fills.items():
                value = item.get(name)
                if fill.value_field is None and isinstance(value, (list, dict)):
                    out.update(schema_of(store, fill.target, value if isinstance(value, list) else [value],
                                         f"{path}.{name}", java_class=java_class, many=isinstance(value, list)))
        out[path] = java_class(inventory)
    return out


def _too_deep(value) -> bool:
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(v, dict):
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)
    return False


def parse_body(body: bytes) -> dict | str:
    """A request body as a JSON object, or the text of the 400 it gets (not UTF-8, not JSON, nested
    beyond what can be read, a lone surrogate, not an object)."""
    if not body.strip():
        return {}
    try:
        text = body.decode("utf-8")
        payload = json.loads(text)
    except UnicodeDecodeError:
        return "the body is not valid UTF-8"
    except (ValueError, RecursionError):
        return "the body is not valid JSON"
    if not isinstance(payload, dict):
        return "the body must be a JSON object"
    if _too_deep(payload):
        return f"the body is nested deeper than {MAX_DEPTH} levels"
    if _SURROGATE.search(text):
        try:
            json.dumps(payload, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return "the body holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is no character"
        except (ValueError, RecursionError):
            return "the body is not valid JSON"
    return payload


class Simulator:
    """A ZStack management node in a SQLite database.

    Args:
        catalog: the API catalogue.
        store: an opened :class:`Store` (seeded by the caller).
        idle_timeout: session idle timeout, seconds.
        job_delay: seconds each async job waits before it runs.
        clock: the time source of everything timed (:mod:`zcli.sim.clock`; tests pass a ManualClock).
        job_expired_period: seconds a finished job is kept (the server's rest.completedApi.expiredPeriod).
        server_version: what GetVersion answers (default: the catalogue's newest release), so that a test can
            play a server older or newer than the catalogue.
    """

    def __init__(self, catalog, store: Store, *, idle_timeout: float = 7200.0, job_delay: float = 0.0,
                 clock=SYSTEM, job_expired_period: float = DEFAULT_EXPIRED_PERIOD, server_version: str | None = None):
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.auth = Auth(store, idle_timeout, clock=clock.time)
        self.keys = AccessKeys(self.auth)
        self.jobs = Jobs(job_delay, clock=clock, store=store, expired_period=job_expired_period)
        self.router = Router(catalog)
        self.writer = Writer(catalog, store, self.auth, clock=clock)
        if server_version:
            self.writer.server_version = server_version
        self.queries = QueryBuilder(catalog, store.specs)
        self._java: dict[str, str] = {}
        self._zql_runner = None
        self.audit = audits.log_of(store, catalog)

    def java_class(self, inventory: str) -> str:
        """The inventory's full Java class name where the catalogue knows it (the AI family: its simple name)."""
        if inventory not in self._java:
            try:
                self._java[inventory] = self.catalog.inventory(inventory).java_class or inventory
            except UnknownName:  # an inventory named only as a type
                self._java[inventory] = inventory
        return self._java[inventory]

    def close(self) -> None:
        self.writer.longjobs.stop.set()
        self.jobs.close()
        self.audit.flush()
        self.store.close()

    # --- the request -------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: list[tuple[str, str]], headers, body: bytes,
               base_url: str) -> tuple[int, object]:
        """Answer one request.

        Args:
            method: HTTP method.
            path: the decoded URL path, e.g. ``/zstack/v1/zones``.
            query: the decoded query string pairs, in order.
            headers: a case-insensitive mapping (``.get``).
            body: the raw request body.
            base_url: ``http://host:port`` as the client reached us, for job locations.
        """
        if path.startswith(logincontrol.DOOR):  # the test-only door to a captcha's answer
            return logincontrol.of(self.auth).door(method, path)
        if not path.startswith(PREFIX + "/"):
            return 404, f"no api mapping to {path}"
        rest = path[len(PREFIX):]
        if rest.startswith("/api-jobs/"):
            return self._job(method, rest[len("/api-jobs/"):].strip("/"))
        payload = parse_body(body)
        if isinstance(payload, str):
            return 400, payload
        try:
            api, variables = self.router.match(method, rest, payload)
        except RouteError as e:
            return e.status, e.message
        session = None
        if api.session:
            auth = headers.get("Authorization")
            if auth is None:
                return 400, "missing header 'Authorization'"
            auth = auth.strip()
            if auth.startswith("OAuth"):
                session = auth[len("OAuth"):].strip()
            elif auth.startswith("ZStack"):
                try:
                    session = self.keys.authenticate(auth, method, path[len("/zstack"):], headers.get("Date"))
                except BadAuthHeader as e:
                    return e.status, e.message
                except AuthFailure as f:
                    return f.status, f.body
            else:
                return 400, "Authorization type must be 'OAuth'"
        if api.name == "ZQLQuery":
            return self._zql(query, session)
        if api.query:
            return self._query(api, variables, query, session)
        if method in ("GET", "DELETE"):
            try:
                params = bind_query(api, query)
            except BadQueryParameter as e:
                return 400, str(e)
        else:
            params = payload.get(api.body_key) if api.body_key else {}
            if params is None:
                params = {}
            if not isinstance(params, dict):
                return 400, f"the body's '{api.body_key}' must be a JSON object"
            params = dict(params)
        job_id = headers.get("X-Job-UUID")
        if job_id is not None:
            if len(job_id) != 32:
                return 400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped"
            if method in ("POST", "PUT", "DELETE") and self.jobs.exists(job_id):
                return 400, f"Duplicate job uuid[{job_id}]"
        if api.name in _AUTH_APIS:
            if method in ("POST", "PUT") and isinstance(payload.get("systemTags"), list):
                params.setdefault("systemTags", payload["systemTags"])  # top level, as RestServer reads it
            try:  # parameters checked as the server's API layer does, before any login runs
                check_params(api, {**params, **variables}, lambda *_: None, from_query=method in ("GET", "DELETE"))
            except (ParamError, Gone) as e:
                return 503, error(getattr(e, "code", "SYS.1007"), "One or more API argument is invalid", str(e))
            if api.sync:
                started = self.clock.time()
                return self._audited(api, params, None, self._auth(api, variables, params, session), started)
        params.update(variables)
        if api.sync:
            started = self.clock.time()
            try:
                account = self._account(session)
            except AuthFailure as f:
                return self._audited(api, params, None, (503, f.body), started)
            return self._audited(api, params, account, self.writer.run(api, params, account=account), started)
        timeout = headers.get("X-API-Timeout")
        try:
            api_timeout = int(timeout) * 1000 if timeout is not None else DEFAULT_API_TIMEOUT_MS
        except ValueError:
            return 400, f"Invalid header[X-API-Timeout], {timeout} is not a number of seconds"
        try:
            job = self._submit(api, params, session, job_id)
        except DuplicateJob:
            return 400, f"Duplicate job uuid[{job_id}]"
        return 202, {"location": f"{base_url}{PREFIX}/api-jobs/{job}", "apiTimeout": api_timeout}

    def _audited(self, api, params: dict, account, result: tuple[int, object], started: float,
                 job_id: str | None = None) -> tuple[int, object]:
        """``result``, once the audit has recorded the call (:mod:`zcli.sim.audits`)."""
        self.audit.served(api, params, account, result[0], result[1], started, self.clock.time(), job_id)
        return result

    def _submit(self, api, params: dict, session: str | None, job_id: str | None = None) -> str:
        job_id = job_id or uuid.uuid4().hex
        started = self.clock.time()
        if api.name in _AUTH_APIS:  # RenewSession: async on the server
            return self.jobs.submit(lambda: self._audited(api, params, None, self._auth(api, params, params, session),
                                                          started, job_id), job_id)

        def work():
            # The session is checked when the job runs, as the server's API mediator does.
            try:
                account = self._account(session)
            except AuthFailure as f:
                return self._audited(api, params, None, (503, f.body), started, job_id)
            try:
                return self._audited(api, params, account, self.writer.run(api, params, account=account), started,
                                     job_id)
            finally:
                self.audit.finished(job_id)

        self.audit.started(job_id, api, params, started)
        try:
            return self.jobs.submit(work, job_id)
        except DuplicateJob:
            self.audit.finished(job_id)
            raise

    def _account(self, session: str | None) -> str | None:
        """The account of a valid session (a new resource's owner), None for an API without one;
        AuthFailure (ID.1001) when the session is not valid."""
        return None if session is None else self.auth.require(session)

    def _job(self, method: str, job_id: str) -> tuple[int, object]:
        if method != "GET":
            return 405, "only GET method is allowed for querying job status"
        result = self.jobs.poll(job_id)
        if result is False:
            return 404, "the job has been expired"
        if result is PROCESSING:
            return 202, {}
        return result

    def _auth(self, api, variables: dict, params: dict, session: str | None) -> tuple[int, object]:
        """The logins, sessions and keys of :mod:`zcli.sim.logins`."""
        return logins.handle(self.auth, self.keys, api.name, variables, params, session)

    # --- queries -----------------------------------------------------------------------------
    def _zql(self, query: list[tuple[str, str]], session: str) -> tuple[int, object]:
        from zcli.sim.zql import ZQLRunner
        from zcli.sim.zql_where import ZQLFailure

        if not self.auth.valid(session):
            return 503, session_expired(session).body
        if self._zql_runner is None:
            self._zql_runner = ZQLRunner(self.catalog, self.store, self.queries, self.java_class, schema_of)
        text = next((v for k, v in query if k == "zql"), "")
        try:
            return 200, self._zql_runner.run(text)
        except ZQLFailure as f:
            return 503, error(f.code, f.description, f.details)

    def _query(self, api, variables: dict, query: list[tuple[str, str]], session: str) -> tuple[int, object]:
        inventory = api.inventory
        if inventory not in self.store.specs:
            return 503, error("SYS.1000", "Not supported by the simulator", f"no table for {inventory}")
        if variables:
            # GET /resources/{uuid}: that resource; the server reads no other parameter then.
            name, value = next(iter(variables.items()))
            name = name if name in self.store.specs[inventory].kinds else "uuid"
            params = QueryParams(conditions=[Condition(name, "=", value)])
        else:
            try:
                params = parse_params(query)
            except BadRequest as e:
                return 400, str(e)
        if not self.auth.valid(session):
            return 503, session_expired(session).body
        try:
            if params.filter_name:
                params.conditions.append(self.queries.filter_condition(params.filter_name))
            where, bound = self.queries.where(inventory, params.conditions)
            self.queries.check_fields(inventory, params)
            order = self.queries.order(inventory, params)
        except BadQuery as e:
            return 503, error("SYS.1007", "One or more API argument is invalid", str(e))
        except UnknownFilter as e:
            return 503, error("SYS.1000", "An internal error happened in the system", str(e))
        if params.count:
            return 200, {"total": self.store.count(inventory, where, bound), "schema": {}}
        items = self.store.inventories(inventory, where, bound, order=order, limit=max(params.limit, 0),
                                       offset=max(params.start, 0), fields=params.fields)
        reply: dict = {"inventories": items}
        if params.reply_with_count:
            reply["total"] = self.store.count(inventory, where, bound)
        reply["schema"] = schema_of(self.store, inventory, items, java_class=self.java_class)
        return 200, reply
