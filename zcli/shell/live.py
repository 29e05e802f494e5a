"""Live values for completion (uuids and names from the server), fetched in a background thread.

``values(inventory, field)`` never blocks: it answers from a cache kept per endpoint for a short time
(``ttl``) and, when the entry is missing or stale, asks a worker thread to fetch it. The next Tab sees
the fresh values (and ``on_update`` lets the shell redraw at once). A failed fetch is remembered as
"no values" for a while, so that an unreachable server is not asked on every key press.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from zcli.completion.live_query import LIMIT, LiveQueries, Values

# (endpoint, inventory, field) -> values, or (value, label) pairs such as (uuid, name).
Fetch = Callable[[str, str, str], Values]


class LiveValues:
    """A cache of server values, filled in the background.

    Args:
        fetch: fetches the values of ``field`` over the rows of ``inventory`` at an endpoint; may raise.
        endpoint: gives the endpoint in use (the cache is kept per endpoint; ``connect`` changes it).
        ttl: seconds a fetched answer is fresh.
        error_ttl: seconds a failed fetch keeps the entry empty before it is tried again.
        clock: monotonic time source (injectable for tests).
        on_update: called (from the worker thread) after a fetch stored new values.
    """

    def __init__(self, fetch: Fetch, endpoint: Callable[[], str], *, ttl: float = 30.0, error_ttl: float = 10.0,
                 clock: Callable[[], float] = time.monotonic, on_update: Callable[[], None] | None = None):
        self.fetch = fetch
        self.endpoint = endpoint
        self.ttl = ttl
        self.error_ttl = error_ttl
        self.clock = clock
        self.on_update = on_update
        self._cache: dict[tuple[str, str, str], tuple[float, Values]] = {}
        self._pending: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def values(self, inventory: str, field: str) -> Values | None:
        """The cached values (possibly stale), or None before the first fetch ends; never waits.

        The values are as the fetch gave them: plain, or (value, label) pairs.
        """
        key = (self.endpoint(), inventory, field)
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
            if (hit is None or hit[0] <= now) and key not in self._pending:
                self._pending.add(key)
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="zcli-live")
                # The caller's context goes along, so that on_update sees the application it came from.
                self._pool.submit(contextvars.copy_context().run, self._fill, key)
        return None if hit is None else hit[1]

    def _fill(self, key: tuple[str, str, str]) -> None:
        try:
            got = list(self.fetch(*key))
            expires = self.clock() + self.ttl
        except Exception:  # any failure (server down, logged out): no values for a while, never a crash
            got = []
            expires = self.clock() + self.error_ttl
        with self._lock:
            self._cache[key] = (expires, got)
            self._pending.discard(key)
        if self.on_update is not None and got:
            self.on_update()

    def wait(self, timeout: float = 5.0) -> None:
        """Wait until no fetch is pending (tests)."""
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            time.sleep(0.005)

    def clear(self) -> None:
        """Forget every cached value (after logging in or out, the server's answers change)."""
        with self._lock:
            self._cache.clear()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


class QueryFetcher:
    """Fetches live values with the query of :class:`~zcli.completion.live_query.LiveQueries`
    (``QueryX fields=FIELD limit=N``), built by the grammar and sent through an API client.

    Uuids come as (uuid, name) pairs when the inventory has names, so that the menu shows which
    resource each uuid is.

    Args:
        catalog: the catalogue (to find an inventory's query API).
        session: gives the session uuid in use (None: not logged in, nothing is fetched).
        make_client: builds an API client for an endpoint (a separate one: the worker thread must not
            share the shell's connection).
        limit: the most values fetched for one field.
    """

    def __init__(self, catalog, session: Callable[[], str | None], make_client: Callable[[str, str], object],
                 limit: int = LIMIT):
        self.catalog = catalog
        self.queries = LiveQueries(catalog, limit)
        self.session = session
        self.make_client = make_client
        self._clients: dict[tuple[str, str], object] = {}

    def query_api(self, inventory: str) -> str | None:
        """The query API of ``inventory`` (see :meth:`LiveQueries.query_api`)."""
        return self.queries.query_api(inventory)

    def __call__(self, endpoint: str, inventory: str, field: str) -> Values:
        from zcli.grammar import build_request, parse_command

        session = self.session()
        query = self.queries.get(inventory, field) if session else None
        if query is None:
            return []
        client = self._clients.get((endpoint, session))
        if client is None:
            client = self._clients[endpoint, session] = self.make_client(endpoint, session)
        return query.values(client.send(build_request(parse_command(query.words, self.catalog))))
