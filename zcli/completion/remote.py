"""Live values (uuids, names) for one-shot shell completion, fetched with a short timeout.

The zcli shell fills its live cache in a background thread; a Tab in bash, zsh or fish is a fresh
process, so it asks the server there and then: one small query per (inventory, field), with a short
timeout and an overall time budget, so that a slow or absent server never stalls the user's shell.
Only when a session is kept for the endpoint (``zcli LogInByAccount ...`` keeps one). The standard
library's ``http.client`` is used, imported only when a value is asked for: ``requests`` costs more
start-up time than one Tab can spare.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import quote, urlsplit

#: Seconds to wait for one connection or reply.
TIMEOUT = 0.3
#: Seconds all fetches of one Tab may take together.
BUDGET = 0.6
#: Values fetched at most per field.
LIMIT = 500


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
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.timeout = timeout
        self.verify = verify
        self.ca_bundle = ca_bundle
        self.clock = clock
        self.deadline = clock() + budget
        self._cache: dict[tuple[str, str], list[str] | None] = {}

    def values(self, inventory: str, field: str) -> list[str] | None:
        """The values of ``field`` over the rows of ``inventory``; None when the server did not answer."""
        key = (inventory, field)
        if key not in self._cache:
            self._cache[key] = self._fetch(inventory, field)
        return self._cache[key]

    def _query_path(self, inventory: str) -> str | None:
        cat = self.catalog
        preferred = "Query" + inventory.removesuffix("Inventory")
        names = [preferred] if cat.has_api(preferred) else []
        names += [n for n in cat.query_api_names() if n != preferred]
        for name in names:
            if cat.api_summary(name)[3] == inventory:
                return cat.api(name).path
        return None

    def _fetch(self, inventory: str, field: str) -> list[str] | None:
        left = self.deadline - self.clock()
        path = self._query_path(inventory)
        if left <= 0 or path is None:
            return None
        url = urlsplit(self.base_url)
        target = f"{url.path}/v1{path}?fields={quote(field)}&limit={LIMIT}"
        try:
            body = self._get(url, target, min(self.timeout, left))
        except (OSError, ValueError):  # refused, timed out, TLS, or not the API's reply
            self.deadline = 0.0  # the server is not answering: spend no more time on it this Tab
            return None
        rows = body.get("inventories") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            return None
        seen = dict.fromkeys(str(r[field]) for r in rows if isinstance(r, dict) and r.get(field) not in (None, ""))
        return list(seen)

    def _get(self, url, target: str, timeout: float):
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
        finally:
            conn.close()
