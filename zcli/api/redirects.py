"""HTTP redirects: followed only within the endpoint's origin, each one shown by ``--debug``.

A redirect to another scheme, host or port is refused (exit 3), so that nothing zcli sends (a login's
password hash, the session header) ever reaches another origin: ``requests`` would follow a 307 from
``https://`` to ``http://`` with the body. Within the origin, at most :data:`MAX_REDIRECTS` are followed; a 303
(and a 301/302 after anything but GET or HEAD) continues as a GET without the body, as browsers do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from zcli.errors import TransportError
from zcli.secrets.values import mask_text

if TYPE_CHECKING:  # pragma: no cover
    import requests

MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the port filled in from the scheme; ValueError for a malformed one."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def follow(send: Callable[..., requests.Response], method: str, url: str, kwargs: dict[str, Any], *,
           log: Callable[[str], None] | None = None) -> requests.Response:
    """``send(method, url, **kwargs)`` (which must not follow redirects itself), then its same-origin redirects.

    Raises:
        TransportError: a redirect to another origin, a malformed location, or too many redirects.
    """
    start = url
    for _ in range(MAX_REDIRECTS + 1):
        resp = send(method, url, **kwargs)
        location = resp.headers.get("Location") if resp.status_code in REDIRECT_CODES else None
        if not location:
            return resp
        target = urljoin(url, location)
        shown = mask_text(target)
        if log:
            log(f"< {resp.status_code} {url} redirects to {shown}")
        resp.close()
        try:
            other = origin(target) != origin(url)
        except ValueError:
            raise TransportError(f"{start} redirected to a malformed location: {shown}") from None
        if other:
            raise TransportError(f"{url} redirected {method} to {shown}, another origin (scheme, host or port): not "
                                 "followed, so nothing is sent there; use that address with --url if you trust it")
        if resp.status_code == 303 or (resp.status_code in (301, 302) and method not in ("GET", "HEAD")):
            method = "GET"
            kwargs = {k: v for k, v in kwargs.items() if k not in ("json", "data")}
        url = target
    raise TransportError(f"{start}: more than {MAX_REDIRECTS} redirects")
