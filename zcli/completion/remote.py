"""Live values (uuids, names) for one-shot shell completion, fetched with a short timeout.

The zcli shell fills its live cache in a background thread; a Tab in bash, zsh or fish is a fresh
process, so it asks the server there and then: one small query per (inventory, field), with a short
timeout and an overall time budget, so that a slow or absent server never stalls the user's shell.
Only when a session is kept for the endpoint (``zcli LogInByAccount ...`` keeps one). The query is the
shell's own (:mod:`zcli.completion.live_query`); it is sent with the standard library's ``http.client``,
imported only when a value is asked for, rather than :class:`zcli.api.client.ApiClient`: ``requests``
(and the grammar's parser) cost more start-up time than one Tab can spare.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import SplitResult, urlencode, urlsplit

from zcli.completion.live_query import LiveQueries, Values

#: Seconds to wait for one connection or reply.
TIMEOUT = 0.3
#: Seconds all fetches of one Tab may take together.
BUDGET = 0.6


class HttpLiveValues:
    """``values(inventory, field)`` answered by a query on the server, within a time budget.

    Args:
        catalog: the catalogue (to find the query API of an inventory).
        base_url: e.g. ``http://127.0.0.1:8080/zstack``.
        session: the session uuid kept for that endpoint.
        timeout: seconds for one connection or reply.
        budget: seconds for all fetches together; once spent, no more are made.
        verify: check TLS certificates; ``ca_bundle`` names a CA file to check them against.
        clock: monotonic time source (injectable for tests).
    """

    def __init__(self, catalog, base_url: str, session: str, *, timeout: float = TIMEOUT,
                 budget: float = BUDGET, verify: bool = True, ca_bundle: str | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.catalog = catalog
        self.queries = LiveQueries(catalog)
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.timeout = timeout
        self.verify = verify
        self.ca_bundle = ca_bundle
        self.clock = clock
        self.deadline = clock() + budget
        self._cache: dict[tuple[str, str], Values | None] = {}

    def values(self, inventory: str, field: str) -> Values | None:
        """The values of ``field`` over the rows of ``inventory`` (uuids with their resources' names);
        None when the server did not answer."""
        key = (inventory, field)
        if key not in self._cache:
            self._cache[key] = self._fetch(inventory, field)
        return self._cache[key]

    def _fetch(self, inventory: str, field: str) -> Values | None:
        left = self.deadline - self.clock()
        query = self.queries.get(inventory, field) if left > 0 else None
        if query is None:
            return None
        url = urlsplit(self.base_url)
        target = f"{url.path}/v1{self.catalog.api(query.api).path}?{urlencode(query.query_pairs())}"
        try:
            body = self._get(url, target, min(self.timeout, left))
        except (OSError, ValueError):  # refused, timed out, TLS, or not the API's reply
            self.deadline = 0.0  # the server is not answering: spend no more time on it this Tab
            return None
        return query.values(body)

    def _get(self, url: SplitResult, target: str, timeout: float):
        """The JSON body of a GET of ``target``; OSError or ValueError when there is none."""
        import http.client

        if url.scheme == "https":
            import ssl

            ctx = ssl.create_default_context(cafile=self.ca_bundle)
            if not self.verify:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(url.hostname, url.port, timeout=timeout, context=ctx)
        else:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        try:
            conn.request("GET", target, headers={"Authorization": f"OAuth {self.session}",
                                                 "Accept": "application/json"})
            reply = conn.getresponse()
            data = reply.read()
            if reply.status != 200:
                raise ValueError(f"HTTP {reply.status}")
            return json.loads(data)
        except http.client.HTTPException as exc:  # not HTTP at all (``BadStatusLine``): no server of ours
            raise ValueError(str(exc)) from None
        finally:
            conn.close()
