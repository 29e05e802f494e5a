"""Accounts, users and sessions, checked the way the real management node checks them.

Facts from the server's source (zstackio/zstack):

* Passwords are stored as the client sent them and compared as they arrive (``AccountLoginBackend.login``,
  ``AccountManagerImpl.handle(APILogInByUserMsg)``): the clients send SHA-512 hex where the server compares
  stored hashes; LDAP and CAS logins check the password with their own servers, so it travels as typed.
* Every API call renews its session to now + ``session.timeout`` (``AuthorizationManager.evaluateSession`` →
  ``Session.renewSession``); a session past its ``expiredDate`` is gone (``Session.checkSessionExpired``:
  ``ID.1001``). RenewSession sets it to now + ``duration`` (default ``session.timeout``).
* Additional authentication answers ``ID.2001`` with a JSON detail naming what is needed
  (``AuthorizationManager.createAdditionAuthErrorCode``): ``{"authentications": ["twofactor"]}``.

Sessions live in the ``SessionInventory`` table with their ``expiredDate``, so a ``--db`` database keeps them
across restarts. The logins themselves are in :mod:`zcli.sim.logins`; AccessKey checks in
:mod:`zcli.sim.accesskeys`.
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
#: An expiry moved by less than this is not written to the database at once (it is kept in memory).
_WRITE_SLACK = 60.0
#: The descriptions of the server's identity error codes (``conf/errorCodes/identity.xml``).
ID_DESCRIPTIONS = {
    "ID.1000": "Unable to authenticate a user",
    "ID.1001": "The session is invalid, either wrong session id or the session has been expired",
    "ID.1002": "The user doesn't have permission to perform the operation",
    "ID.2000": "Addition authentication error",
    "ID.2001": "The user has to login by addition authentication",
    "ID.2002": "Fail to authenticate a user due to addition authentication",
    "ID.2003": "Fail to authenticate a user due to remote authentication server error",
}


def sha512(text: str) -> str:
    return hashlib.sha512(text.encode("utf-8")).hexdigest()


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def _epoch(stamp: str) -> float:
    try:
        return datetime.strptime(str(stamp)[:19], "%Y-%m-%d %H:%M:%S").timestamp()
    except ValueError:
        return 0.0


def id_error(code: str, details: str) -> dict:
    """An identity ErrorCode reply: the code's description from :data:`ID_DESCRIPTIONS`, and ``details``."""
    return error(code, ID_DESCRIPTIONS[code], details)


def error(code: str, description: str, details: str = "", cause: dict | None = None) -> dict:
    """The body of an ErrorCode reply (``cause``: the ErrorCode it was caused by)."""
    body = {"code": code, "description": description, "details": details or description}
    if cause is not None:
        body["cause"] = cause
    return {"error": body}


class AuthFailure(Exception):
    """A failed login or a bad session; ``body`` is the ErrorCode reply (HTTP 503)."""

    def __init__(self, body: dict, status: int = 503):
        super().__init__(body["error"]["details"] if isinstance(body, dict) else body)
        self.body = body
        self.status = status


def session_expired(session_uuid: str) -> AuthFailure:
    # Session.checkSessionExpired: err(IdentityErrors.INVALID_SESSION, "Session expired")
    return AuthFailure(id_error("ID.1001", "Session expired"))


def wrong_password(details: str = "wrong account name or password") -> AuthFailure:
    return AuthFailure(id_error("ID.1000", details))


class Auth:
    """Logins, logouts and session checks.

    Args:
        store: the simulator's :class:`~zcli.sim.store.Store`.
        idle_timeout: seconds a session stays valid without use (the server's ``session.timeout``).
        clock: a time source (seconds since the epoch), injectable for tests.
    """

    def __init__(self, store, idle_timeout: float = DEFAULT_IDLE_TIMEOUT, clock=time.time):
        self.store = store
        self.idle_timeout = idle_timeout
        self.clock = clock
        self._lock = threading.Lock()
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_CRED} (uuid TEXT PRIMARY KEY, accountUuid TEXT, "
                        "name TEXT, kind TEXT, password TEXT, extra TEXT)")
            columns = {r[1] for r in cur.execute(f"PRAGMA table_info({_CRED})").fetchall()}
            if "extra" not in columns:  # a database of an older simulator
                cur.execute(f"ALTER TABLE {_CRED} ADD COLUMN extra TEXT")
        _, rows = store.read('SELECT uuid, expiredDate FROM "SessionInventory"')
        #: session uuid → (expiry, expiry last written to the table)
        self._expires: dict[str, tuple[float, float]] = {r[0]: (_epoch(r[1]), _epoch(r[1])) for r in rows}

    def seed_credentials(self) -> None:
        """Give the demo world's accounts and users the password ``password``, and add the demo identities of
        the other login kinds (see :func:`zcli.sim.logins.seed_identities`)."""
        from zcli.sim.logins import seed_identities

        _, accounts = self.store.read('SELECT uuid, name FROM "AccountInventory"')
        _, users = self.store.read('SELECT uuid, accountUuid, name FROM "UserInventory"')
        with self.store.transaction() as cur:
            for u, name in accounts:
                self.set_password(cur, u, u, name, "account", sha512("password"))
            for u, account, name in users:
                self.set_password(cur, u, account, name, "user", sha512("password"))
        seed_identities(self)

    @staticmethod
    def set_password(cur, uuid_: str, account_uuid: str, name: str, kind: str, hashed: str,
                     extra: str | None = None) -> None:
        cur.execute(f"INSERT OR REPLACE INTO {_CRED} (uuid, accountUuid, name, kind, password, extra) "
                    "VALUES (?,?,?,?,?,?)", (uuid_, account_uuid, name, kind, hashed.lower(), extra))

    def forget(self, cur, uuid_: str) -> None:
        cur.execute(f"DELETE FROM {_CRED} WHERE uuid = ?", (uuid_,))

    def identity(self, kind: str, name: object) -> tuple | None:
        """(uuid, accountUuid, name, password hash, extra) of the ``kind`` identity called ``name``."""
        _, rows = self.store.read(f"SELECT uuid, accountUuid, name, password, extra FROM {_CRED} "
                                  "WHERE kind = ? AND name = ?", (kind, name))
        return rows[0] if rows else None

    def check(self, kind: str, name: object, password: object, *, hashed: bool = True,
              account_uuid: str | None = None) -> tuple:
        """The ``kind`` identity ``name`` when ``password`` is its password: compared as sent when the server
        compares stored hashes (``hashed``), else hashed here first (a password checked by an LDAP or CAS
        server travels as typed). AuthFailure ``ID.1000`` otherwise."""
        if not isinstance(password, str):
            raise wrong_password()
        sent = password.lower() if hashed else sha512(password)
        sql, params = "kind = ? AND name = ?", [kind, name]
        if account_uuid is not None:
            sql += " AND accountUuid = ?"
            params.append(account_uuid)
        _, rows = self.store.read(f"SELECT uuid, accountUuid, name, password, extra FROM {_CRED} WHERE {sql}",
                                  tuple(params))
        for row in rows:
            if row[3] == sent:
                return row
        raise wrong_password()

    # --- sessions ----------------------------------------------------------------------------
    def open(self, account_uuid: str, user_uuid: str, user_type: str) -> dict:
        """A new session of ``user_uuid`` (of ``account_uuid``), valid for the idle timeout."""
        now = self.clock()
        expires = now + self.idle_timeout
        session = {"uuid": uuid.uuid4().hex, "accountUuid": account_uuid, "userUuid": user_uuid,
                   "userType": user_type, "createDate": _stamp(now), "expiredDate": _stamp(expires)}
        with self.store.transaction() as cur:
            self.store.insert_many(cur, "SessionInventory", [session])
        with self._lock:
            self._expires[session["uuid"]] = (expires, expires)
        return self.inventory(session)

    @staticmethod
    def inventory(session: dict) -> dict:
        out = dict(session)
        out["createDate"] = zstack_time(out["createDate"])
        out["expiredDate"] = zstack_time(out["expiredDate"])
        return out

    def session(self, session_uuid: str) -> dict | None:
        """The session's inventory, with its current expiry; None when it is not kept."""
        _, rows = self.store.read('SELECT uuid, accountUuid, userUuid, userType, createDate FROM "SessionInventory"'
                                  " WHERE uuid = ?", (session_uuid,))
        if not rows:
            return None
        u, account, user, user_type, created = rows[0]
        expires = self._expires.get(u, (0.0, 0.0))[0]
        return self.inventory({"uuid": u, "accountUuid": account, "userUuid": user, "userType": user_type,
                               "createDate": created, "expiredDate": _stamp(expires)})

    def valid(self, session_uuid: object, *, renew: bool = True) -> bool:
        """True when the session exists and has not expired; a valid use renews it to now + the idle timeout,
        as every API call does on the server."""
        if not isinstance(session_uuid, str):
            return False
        now = self.clock()
        with self._lock:
            entry = self._expires.get(session_uuid)
            if entry is None:
                return False
            if now > entry[0]:
                del self._expires[session_uuid]
                expired = True
            else:
                expired = False
                if renew:
                    self._set_expiry(session_uuid, max(entry[0], now + self.idle_timeout), entry[1])
        if expired:
            self.logout(session_uuid)
            return False
        return True

    def _set_expiry(self, session_uuid: str, expires: float, written: float, *, force: bool = False) -> None:
        """Keep ``expires`` in memory; write it to the table when it moved far (or ``force``). Lock held."""
        if force or abs(expires - written) >= _WRITE_SLACK:
            with self.store.transaction() as cur:
                cur.execute('UPDATE "SessionInventory" SET expiredDate = ? WHERE uuid = ?',
                            (_stamp(expires), session_uuid))
            written = expires
        self._expires[session_uuid] = (expires, written)

    def renew(self, session_uuid: str, duration: object = None) -> dict:
        """RenewSession: the session now expires ``duration`` seconds (default: the idle timeout) from now."""
        if not self.valid(session_uuid, renew=False):
            raise session_expired(session_uuid)
        try:
            seconds = float(duration) if duration not in (None, "") else self.idle_timeout
        except (TypeError, ValueError):
            raise AuthFailure(error("SYS.1007", "One or more API argument is invalid",
                                    f"duration[{duration}] is not a number")) from None
        with self._lock:
            entry = self._expires.get(session_uuid, (0.0, 0.0))
            self._set_expiry(session_uuid, self.clock() + seconds, entry[1], force=True)
        return self.session(session_uuid)

    def require(self, session_uuid: str) -> str:
        """The session's account uuid; AuthFailure (ID.1001) when the session is not valid."""
        if not self.valid(session_uuid):
            raise session_expired(session_uuid)
        _, rows = self.store.read('SELECT accountUuid FROM "SessionInventory" WHERE uuid = ?', (session_uuid,))
        return rows[0][0] if rows else ADMIN_ACCOUNT_UUID

    def logout(self, session_uuid: str) -> None:
        with self._lock:
            self._expires.pop(session_uuid, None)
        with self.store.transaction() as cur:
            cur.execute('DELETE FROM "SessionInventory" WHERE uuid = ?', (session_uuid,))
