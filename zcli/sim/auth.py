"""Accounts, users and sessions, checked the way the real management node checks them.

Passwords arrive as SHA-512 hex (zstack-cli and the SDKs hash them on the client) and are stored
that way. Sessions live in the ``SessionInventory`` table, so that a ``--db`` database keeps them
across restarts; the idle clock is kept in memory and restarts with the process.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from datetime import datetime

from zcli.sim.tables import zstack_time
from zcli.sim.world import ADMIN_ACCOUNT_UUID

_CRED = "_sim_credential"
DEFAULT_IDLE_TIMEOUT = 7200.0  # the server's session.timeout default, in seconds


def sha512(text: str) -> str:
    return hashlib.sha512(text.encode("utf-8")).hexdigest()


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def error(code: str, description: str, details: str = "") -> dict:
    """The body of an ErrorCode reply."""
    return {"error": {"code": code, "description": description, "details": details or description}}


class AuthFailure(Exception):
    """A failed login or a bad session; ``body`` is the ErrorCode reply (HTTP 503)."""

    def __init__(self, body: dict):
        super().__init__(body["error"]["details"])
        self.body = body


def session_expired(session_uuid: str) -> AuthFailure:
    return AuthFailure(error("ID.1001", "Session expired",
                             f"Session expired: the session[uuid:{session_uuid}] is invalid or has timed out"))


class Auth:
    """Logins, logouts and session checks.

    Args:
        store: the simulator's :class:`~zcli.sim.store.Store`.
        idle_timeout: seconds a session stays valid without use.
        clock: a time source (seconds), injectable for tests.
    """

    def __init__(self, store, idle_timeout: float = DEFAULT_IDLE_TIMEOUT, clock=time.time):
        self.store = store
        self.idle_timeout = idle_timeout
        self.clock = clock
        self._last_used: dict[str, float] = {}
        self._lock = threading.Lock()
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_CRED} (uuid TEXT PRIMARY KEY, accountUuid TEXT, "
                        "name TEXT, kind TEXT, password TEXT)")
        _, rows = store.read('SELECT uuid FROM "SessionInventory"')
        now = clock()
        self._last_used = {r[0]: now for r in rows}

    def seed_credentials(self) -> None:
        """Give the demo world's accounts and users the password ``password``."""
        _, accounts = self.store.read('SELECT uuid, name FROM "AccountInventory"')
        _, users = self.store.read('SELECT uuid, accountUuid, name FROM "UserInventory"')
        with self.store.transaction() as cur:
            for u, name in accounts:
                self.set_password(cur, u, u, name, "account", sha512("password"))
            for u, account, name in users:
                self.set_password(cur, u, account, name, "user", sha512("password"))

    @staticmethod
    def set_password(cur, uuid_: str, account_uuid: str, name: str, kind: str, hashed: str) -> None:
        cur.execute(f"INSERT OR REPLACE INTO {_CRED} (uuid, accountUuid, name, kind, password) VALUES (?,?,?,?,?)",
                    (uuid_, account_uuid, name, kind, hashed.lower()))

    def forget(self, cur, uuid_: str) -> None:
        cur.execute(f"DELETE FROM {_CRED} WHERE uuid = ?", (uuid_,))

    # --- logins ------------------------------------------------------------------------------
    def _check(self, sql: str, params: tuple, password: str) -> tuple:
        _, rows = self.store.read(f"SELECT uuid, accountUuid, password FROM {_CRED} WHERE {sql}", params)
        for row in rows:
            if isinstance(password, str) and row[2] == password.lower():
                return row
        raise AuthFailure(error("ID.1000", "Authentication error", "wrong account name or password"))

    def login_account(self, params: dict) -> dict:
        row = self._check("kind = 'account' AND name = ?", (params.get("accountName"),), params.get("password"))
        return self._open(row[1], row[1], "AccountVO")

    def login_user(self, params: dict) -> dict:
        account = params.get("accountUuid")
        if not account and params.get("accountName"):
            _, rows = self.store.read(f"SELECT uuid FROM {_CRED} WHERE kind = 'account' AND name = ?",
                                      (params["accountName"],))
            account = rows[0][0] if rows else None
        row = self._check("kind = 'user' AND name = ? AND accountUuid = ?", (params.get("userName"), account),
                          params.get("password"))
        return self._open(row[1], row[0], "UserVO")

    def _open(self, account_uuid: str, user_uuid: str, user_type: str) -> dict:
        now = self.clock()
        session = {"uuid": uuid.uuid4().hex, "accountUuid": account_uuid, "userUuid": user_uuid,
                   "userType": user_type, "createDate": _stamp(now), "expiredDate": _stamp(now + self.idle_timeout)}
        with self.store.transaction() as cur:
            self.store.insert_many(cur, "SessionInventory", [session])
        with self._lock:
            self._last_used[session["uuid"]] = now
        return self.inventory(session)

    @staticmethod
    def inventory(session: dict) -> dict:
        out = dict(session)
        out["createDate"] = zstack_time(out["createDate"])
        out["expiredDate"] = zstack_time(out["expiredDate"])
        return out

    # --- sessions ----------------------------------------------------------------------------
    def valid(self, session_uuid: str) -> bool:
        """True when the session exists and has been used within the idle timeout (which this use renews)."""
        now = self.clock()
        with self._lock:
            last = self._last_used.get(session_uuid)
            if last is None:
                return False
            if now - last > self.idle_timeout:
                del self._last_used[session_uuid]
                return False
            self._last_used[session_uuid] = now
        return True

    def require(self, session_uuid: str) -> str:
        """The session's account uuid; AuthFailure (ID.1001) when the session is not valid."""
        if not self.valid(session_uuid):
            raise session_expired(session_uuid)
        _, rows = self.store.read('SELECT accountUuid FROM "SessionInventory" WHERE uuid = ?', (session_uuid,))
        return rows[0][0] if rows else ADMIN_ACCOUNT_UUID

    def logout(self, session_uuid: str) -> None:
        with self._lock:
            self._last_used.pop(session_uuid, None)
        with self.store.transaction() as cur:
            cur.execute('DELETE FROM "SessionInventory" WHERE uuid = ?', (session_uuid,))
