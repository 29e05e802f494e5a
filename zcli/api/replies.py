"""HTTP replies → a reply dict or the :mod:`zcli.errors` exception that names the cause.

The ZStack REST server answers errors as ``{"error": {"code", "description", "details"}}`` (mostly with
HTTP 503), malformed requests as 400 in plain text, and a missing session as 400 too. A path or method it
does not know it answers 404/405 with its own plain-text messages ("no api mapping to /v1/...", "The
method[GET] is not allowed for the path[/v1/...]"): the URL is right, the server is older or newer than the
catalogue. Anything else that is not JSON did not come from the API (a proxy, a wrong port, a wrong base URL):
that is a transport error.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zcli.errors import ApiError, AuthError, TransportError, ZcliError

#: The ZStack error code of an expired or unknown session.
SESSION_EXPIRED = "ID.1001"


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line (whitespace runs collapsed), cut at ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def decode_json(content: bytes) -> Any:
    """The JSON value of ``content``; raises ValueError when it is not JSON.

    Raises:
        TransportError: the value nests deeper than :data:`zcli.limits.MAX_DEPTH` levels (no API reply does;
            every renderer works to that depth).
    """
    if not content:
        return {}
    try:
        value = json.loads(content.decode("utf-8"))
    except RecursionError:
        value = None
    else:
        if not _too_deep(value, content):
            return value
    from zcli.limits import MAX_DEPTH

    raise TransportError(f"the reply nests lists and maps deeper than {MAX_DEPTH} levels, more than zcli reads")


def _too_deep(value: Any, content: bytes) -> bool:
    """Whether ``value`` nests deeper than :data:`zcli.limits.MAX_DEPTH` (walked without recursion)."""
    from zcli.limits import MAX_DEPTH

    if content.count(b"[") + content.count(b"{") <= MAX_DEPTH:  # too few brackets to nest that deep
        return False
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        for child in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


#: The ZStack REST server's own plain-text answers to a path (404) or a method (405) it has no API for. Only
#: a path it quotes from ``/v1/`` on shows that its REST dispatcher got the request, i.e. the base URL is right;
#: "no api mapping to /not-zstack/v1/zones" says the base URL is wrong.
#: (Patterns here are text, compiled by :mod:`re` on first use, and kept: errors alone need them.)
_NO_ROUTE = r"(?i)^(no api mapping to |the method\[\w+\] is not allowed for the path\[)/v1/"


def no_route_hint(status: int | None, endpoint: str, api: str = "", versions: str = "") -> str:
    """What a 404/405 from the API itself means: the server has no such path or method."""
    what = "path" if status == 404 else "method for this path"
    hint = f"the server at {endpoint} has no such {what}: it is likely older or newer than zcli's catalogue"
    return hint + (f" ({api})" if api else "") + (f"; {versions}" if versions else "")


#: What the server says of a field or an API it does not have (ZQLMetadata: "inventory class[...] not having
#: field[...]", "has no field[...]", "no expand query[...] found"; RestServer: "no api mapping to", 404).
_NO_SUCH = r"(?i)not having field\[|has no field\[|no expand query\[|no api mapping to|unknown field"


def mismatch_hint(error: dict, versions: str) -> str:
    """For an ErrorCode saying a field or API does not exist: that the server and the catalogue differ, with
    both versions; "" for any other error."""
    text = " ".join(_text(level.get("details")) + " " + _text(level.get("description"))
                    for level in error_levels(error))
    if not re.search(_NO_SUCH, text):
        return ""
    return "the server and zcli's catalogue differ" + (f": {versions}" if versions else "")


#: How deep a ``cause`` chain is followed (a server never nests so deep; a loop or a hostile reply might).
MAX_CAUSES = 20


def error_levels(error: dict) -> list[dict]:
    """The ErrorCode ``error`` and each ``cause`` below it, root cause last (an ErrorCodeList's ``causes``
    are followed too, first to last)."""
    levels: list[dict] = []
    queue = [error]
    while queue and len(levels) <= MAX_CAUSES:
        level = queue.pop(0)
        if not isinstance(level, dict):
            continue
        levels.append(level)
        causes = level.get("causes")
        below = [level.get("cause"), *(causes if isinstance(causes, list) else ())]
        queue = [c for c in below if isinstance(c, dict)] + queue
    return levels


def level_line(level: dict, limit: int = 300) -> str:
    """One level of an ErrorCode: ``CODE: description: details (elaboration)``."""
    parts = [str(level.get("code") or ""), one_line(level.get("description") or "", limit),
             one_line(_text(level.get("details")), limit)]
    line = ": ".join(p for p in parts if p)
    elaboration = one_line(_text(level.get("elaboration")), limit)
    return f"{line} ({elaboration})" if elaboration else line


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def api_error(error: dict, http_status: int | None, hint: str = "") -> ZcliError:
    """The exception for a ZStack ErrorCode ``error``: AuthError for ID.1001, ApiError otherwise (with the whole
    ``cause`` chain, one line a level, and the ``elaboration`` of each)."""
    code = str(error.get("code") or "")
    description = one_line(error.get("description") or "")
    details = one_line(_text(error.get("details")))
    elaboration = one_line(_text(error.get("elaboration")))
    if elaboration:
        details = f"{details} ({elaboration})" if details else elaboration
    if hint:
        details = f"{details} ({hint})" if details else hint
    if code == SESSION_EXPIRED:
        return AuthError(f"the session is no longer valid ({code}: {description or 'Session expired'})", code)
    causes = [level_line(level) for level in error_levels(error)[1:]]
    return ApiError(code or f"HTTP {http_status}", description, details, http_status, causes=causes, error=error)


def reply_or_raise(status: int, content: bytes, content_type: str, endpoint: str, *,
                   authorized: bool, api: str = "", versions: str = "") -> dict:
    """The reply body of a finished (non-202) exchange, or raise the error it carries.

    Args:
        status: the HTTP status.
        content: the raw body.
        content_type: the Content-Type header ("" when absent).
        endpoint: the base URL, named in transport errors.
        authorized: whether the request carried a session (a 400 without one means "log in").
        api: what was called, e.g. ``UpdateZone, in the catalogue since 4.6.31``, named when the server has
            no such path or method.
        versions: ``server 5.4.0, catalogue 5.2.1 (zstackio/zstack@5a29293)``, named when the server has no
            such path, method, field or API.

    Raises:
        ApiError, AuthError, TransportError.
    """
    try:
        body = decode_json(content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        hint = no_route_hint(status, endpoint, api, versions) if status in (404, 405) \
            else mismatch_hint(body["error"], versions)
        raise api_error(body["error"], status, hint)
    if 200 <= status < 300:
        if isinstance(body, dict):
            return body
        text = summary(content, content_type)
        raise TransportError(f"{endpoint} did not answer as the ZStack API does "
                             f"(HTTP {status}, {content_type or 'no content type'}"
                             + (f": {text}" if text else "") + "): check the URL")
    text = summary(content, content_type)
    if status == 401 or (status == 400 and not authorized and _mentions_session(text)):
        raise AuthError(f"not logged in to {endpoint}" + (f" ({text})" if text else ""))
    if status in (404, 405) and not _is_html(content, content_type) and re.match(_NO_ROUTE, text):
        # The API's own words: the URL is right, this server lacks the API (another version).
        raise ApiError(f"HTTP {status}", text, no_route_hint(status, endpoint, api, versions), status)
    if status >= 500 and not _is_html(content, content_type):
        # The server itself failed (its message in plain text, not an ErrorCode): the URL is right.
        raise TransportError(f"the server at {endpoint} failed (HTTP {status}" + (f": {text}" if text else "") + ")")
    if status in (404, 405) or status >= 500:
        # Not an ErrorCode: a proxy, a wrong base URL or another service on that port.
        raise TransportError(f"{endpoint} did not answer as the ZStack API does (HTTP {status}"
                             + (f": {text}" if text else "") + "): check the URL")
    raise ApiError(f"HTTP {status}", text, "", status)


#: The longest piece of a non-API reply quoted in an error message.
SUMMARY_LIMIT = 100

_HTML_SKIP = r"(?is)<(head|script|style)\b.*?</\1\s*>"
_HTML_TAG = r"<[^>]*>"


def summary(content: bytes, content_type: str = "", limit: int = SUMMARY_LIMIT) -> str:
    """A short one-line summary of a reply that is not the API's: an HTML page's text without its markup,
    or a plain text's first line, cut at ``limit`` characters."""
    if not content:
        return ""
    text = content.decode("utf-8", "replace")
    if _is_html(content, content_type):
        import html

        text = html.unescape(re.sub(_HTML_TAG, " ", re.sub(_HTML_SKIP, " ", text)))
        return one_line(text, limit)
    first = next((line for line in text.splitlines() if line.strip()), "")
    return one_line(first, limit)


def _is_html(content: bytes, content_type: str) -> bool:
    if "html" in content_type.lower():
        return True
    head = content[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _mentions_session(text: str) -> bool:
    return bool(re.search(r"authori[sz]ation|session|oauth", text, re.IGNORECASE))


def transport_error(exc: Exception, endpoint: str, timeout: tuple[float, float]) -> TransportError:
    """A one-line TransportError for a ``requests`` exception raised while talking to ``endpoint``."""
    import requests

    if isinstance(exc, requests.exceptions.SSLError):
        from zcli.api.tls import tls_reason

        reason = tls_reason(exc) or _reason(exc)
        return TransportError(f"TLS failed with {endpoint}: {reason} (see --ca-bundle FILE or --insecure)")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransportError(f"timed out connecting to {endpoint} after {timeout[0]:g}s")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return TransportError(f"timed out waiting for {endpoint} after {timeout[1]:g}s (see --timeout)")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return TransportError(f"cannot reach {endpoint}: {_reason(exc)}")
    return TransportError(f"talking to {endpoint} failed: {_reason(exc)}")


def _reason(exc: Exception) -> str:
    """The innermost useful words of a requests/urllib3 exception (they nest several deep)."""
    text = str(exc)
    m = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if m:
        return m.group(1).strip().rstrip(".").lower()
    m = re.search(r"\[SSL: [A-Z_]+\] ([^(')\]]+)", text)
    if m:
        return m.group(1).strip()
    m = re.search(r"\((?:Caused by )?(\w+)\(", text)
    if m and m.group(1) not in ("MaxRetryError",):
        return one_line(m.group(1))
    return one_line(text, 160) or type(exc).__name__
