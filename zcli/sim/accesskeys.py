"""AccessKey authentication in the simulator, as the server checks it.

``RestServer.handleApi``: an ``Authorization: ZStack <AccessKeyId>:<Signature>`` header needs a ``Date`` header
in ``EEE, dd MMM yyyy HH:mm:ss z`` (400 "'Date' must be incuded in request header" / "'Date' format error,
correct format is 'EEE, dd MMM yyyy HH:mm:ss z'"), within ``RestConstants.REQUEST_DURATION_MINUTES`` (15) of
the server's clock (``checkTimeSkewing``: 403 ``requestTimeTooSkewed``), and a ``id:signature`` pair (400
"accessKey format is 'ZStack AccessKeyId:Signature'"). The signature is the one the Java SDK computes
(``ZSClient.calculateAccessKeySignature``): base64 of HMAC-SHA1, keyed with the secret, over
``METHOD\\nDATE\\n/v1PATH``; the server reads the path from the request URI less its context path
(``getDecodedUrl``). Keys are made by CreateAccessKey and kept in the ``AccessKeyInventory`` table; a key
unknown, disabled, or with a wrong signature is refused with ``ID.1000`` (the checking backend is not in the
open-source tree; that is the identity module's authentication error).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import threading
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from zcli.sim.auth import AuthFailure, id_error

SKEW_SECONDS = 15 * 60
_ALPHABET = string.ascii_letters + string.digits


class BadAuthHeader(Exception):
    """An AccessKey request the REST layer refuses before any API runs: ``status`` and a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def signature(secret: str, method: str, date: str, uri: str) -> str:
    """``ZSClient.calculateAccessKeySignature``: base64(HMAC-SHA1(secret, METHOD\\nDATE\\nURI))."""
    text = f"{method}\n{date}\n{uri}"
    return base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()).decode()


def parse_date(text: str) -> datetime:
    """The instant of a ``Date`` header (``EEE, dd MMM yyyy HH:mm:ss z``); ValueError when not of that form."""
    parts = text.strip().split()
    if len(parts) != 6 or not parts[0].endswith(","):
        raise ValueError(text)
    zone = parts[5]
    if zone.upper() in ("GMT", "UTC", "UT", "Z"):
        when = parsedate_to_datetime(" ".join(parts[:5]) + " +0000")
    else:
        from zoneinfo import ZoneInfo

        naive = datetime.strptime(" ".join(parts[1:5]), "%d %b %Y %H:%M:%S")
        when = naive.replace(tzinfo=ZoneInfo(zone))
    if when.tzinfo is None:
        raise ValueError(text)
    return when


class AccessKeys:
    """The access keys of one simulator.

    Args:
        auth: the simulator's :class:`~zcli.sim.auth.Auth` (sessions, clock, store).
    """

    def __init__(self, auth):
        self.auth = auth
        self._sessions: dict[str, str] = {}  # key id → the session its requests run as
        self._lock = threading.Lock()

    def create(self, params: dict) -> dict:
        """CreateAccessKey: a new key of ``accountUuid``/``userUuid`` (id and secret made unless given)."""
        from zcli.sim.tables import zstack_time

        store = self.auth.store
        now = datetime.fromtimestamp(self.auth.clock()).strftime("%Y-%m-%d %H:%M:%S")
        row = {"uuid": params.get("resourceUuid") or secrets.token_hex(16),
               "accountUuid": params.get("accountUuid"), "userUuid": params.get("userUuid"),
               "description": params.get("description"),
               "AccessKeyID": params.get("AccessKeyID") or "".join(secrets.choice(_ALPHABET) for _ in range(20)),
               "AccessKeySecret": params.get("AccessKeySecret")
               or "".join(secrets.choice(_ALPHABET) for _ in range(40)),
               "state": "Enabled", "createDate": now, "lastOpDate": now}
        with store.transaction() as cur:
            store.insert_many(cur, "AccessKeyInventory", [row])
        out = {k: v for k, v in row.items() if v is not None}
        out["createDate"] = out["lastOpDate"] = zstack_time(now)
        return out

    def authenticate(self, header: str, method: str, uri: str, date: str | None) -> str:
        """The session an AccessKey request runs as.

        Args:
            header: the Authorization header (``ZStack id:signature``).
            method: the HTTP method.
            uri: the request path less the context path, e.g. ``/v1/zones``.
            date: the Date header, or None.

        Raises:
            BadAuthHeader: refused by the REST layer (400/403, plain text).
            AuthFailure: the key is unknown or disabled, or the signature is wrong (ID.1000).
        """
        if date is None:
            raise BadAuthHeader(400, "'Date' must be incuded in request header")
        try:
            when = parse_date(date)
        except (ValueError, TypeError, KeyError, ImportError):
            raise BadAuthHeader(400, "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'") \
                from None
        now = datetime.fromtimestamp(self.auth.clock(), UTC)
        if abs((when - now).total_seconds()) > SKEW_SECONDS:
            raise BadAuthHeader(403, "requestTimeTooSkewed")
        pair = header.replace("ZStack", "", 1).strip().split(":")
        if len(pair) != 2:
            raise BadAuthHeader(400, "accessKey format is 'ZStack AccessKeyId:Signature'")
        key_id, sent = pair
        _, rows = self.auth.store.read('SELECT AccessKeySecret, accountUuid, userUuid, state FROM "AccessKeyInventory"'
                                       " WHERE AccessKeyID = ?", (key_id,))
        if not rows or rows[0][3] != "Enabled":
            raise AuthFailure(id_error("ID.1000", f"the AccessKey[{key_id}] does not exist or is disabled"))
        secret, account, user, _ = rows[0]
        if not hmac.compare_digest(signature(secret, method, date, uri), sent):
            raise AuthFailure(id_error("ID.1000", f"the signature does not match the AccessKey[{key_id}]"))
        with self._lock:
            session = self._sessions.get(key_id)
            if session is None or not self.auth.valid(session):
                session = self.auth.open(account, user or account, "AccountVO" if user in (None, account)
                                         else "UserVO")["uuid"]
                self._sessions[key_id] = session
        return session
