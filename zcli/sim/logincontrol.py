"""Login control (a captcha after failed logins, locking), and the identity APIs around it, in the simulator.

Facts from the server (the open-source ``core/.../captcha/CaptchaImpl.java``, ``conf/errorCodes/loginControl.xml``,
``identity/.../login/LoginManagerImpl.doLogIn``, and the premium login-control plugin's
``LoginControlManagerImpl``, ``LoginControlCaptchaOperation`` and ``LoginControlLockIdentityOperation``):

* It is off unless the global config ``loginControl/login.control`` is ``true``. It counts, per identity (the
  *target*: an account's uuid; for LDAP, the LDAP identity), the failed logins of the backends that ask for
  it (``account`` and ``ldap``: LogInByAccount, LogIn, LogInByLdap, GetTwoFactorAuthenticationSecret). Any
  failure counts, a refused captcha too; a success sets the count back to 0 and drops the target's captchas.
* Once the count reaches ``loginControl/login.attempts.maximum`` (default 6), a login needs ``captchaUuid`` and
  ``verifyCode``: without them ``LOGIN_CONTROL.1005`` (Missing captcha: "Missing verify code. Get verify code
  through captcha related API: GetLoginCaptcha"), with a wrong pair ``LOGIN_CONTROL.1003`` (Wrong captcha:
  "Wrong verify code"). A failed login that carried a ``captchaUuid`` gives that captcha a new code.
* ``GetLoginCaptcha resourceName= loginType= [captchaUuid=]`` answers ``{}`` (nothing to solve: control off, an
  unknown name, fewer failures than the maximum), else ``{captchaUuid, captcha}`` (a base64 PNG): the captcha
  named, or a new one. ``RefreshCaptcha uuid=`` gives the captcha a new code and image.
* With ``passwordStrategy/enable.lock.login.attempts.maximum`` ``true``, the failure that brings the count to
  ``passwordStrategy/lock.login.attempts.maximum`` (6) locks the target for ``passwordStrategy/lock.login.period``
  seconds (600): ``LOGIN_CONTROL.1002`` "this user is locked, remaining time: N seconds", for logins and
  GetLoginCaptcha alike; ``UnlockIdentity resourceName= loginType=`` (with a session) unlocks it at once.
* ``ValidatePassword loginName= password= loginType=`` answers ``available``: whether the backend accepts the
  password (no session is made, no failure counted); an empty loginType is ``ID.1000``.
* ``GetTwoFactorAuthenticationState`` and ``ResetTwoFactorAuthenticationSecret``: :mod:`zcli.sim.twofactor`.
* ``GetLoginProcedures`` names login control, when it is on, as ``{"name": "loginControl", "order": 0,
  "properties": {"captchaUuid", "captcha"}}`` (empty, or the captcha to solve).
* ``GetSupportedIdentityModels`` answers the server's ``identity.init.type`` default, ``IAM,IAM2``.
* ``TokenIntrospection token= tokenType=`` (closed source; the simulator's choice): ``active`` is whether the
  token is a session that is valid now (tokenType ``session``, ``OAuth`` or ``Bearer``); nothing is renewed.

The captcha is deterministic: its codes come from a random generator seeded per simulator, and its image shows
the code (five digits). A test reads the answer through the **test-only door** :meth:`LoginControl.answer` (in
process) or ``GET /zstack/_sim/captchas/{uuid}`` (over HTTP: ``{"verifyCode": ...}``, 404 for an unknown
uuid), as moto's ``/moto-api``; the login's check itself is the server's, unweakened.
"""

from __future__ import annotations

import base64
import random
import struct
import uuid as uuidlib
import zlib

from zcli.sim import twofactor
from zcli.sim.auth import AuthFailure, error, id_error

DOOR = "/zstack/_sim/captchas/"
_ATTEMPTS = "_sim_login_attempts"
_CAPTCHAS = "_sim_captcha"
_MISSING = ("LOGIN_CONTROL.1005", "Missing captcha",
            "Missing verify code. Get verify code through captcha related API: GetLoginCaptcha")
_WRONG = ("LOGIN_CONTROL.1003", "Wrong captcha", "Wrong verify code")
_LOCKED = ("LOGIN_CONTROL.1002", "Target is locked")
#: The premium configurations login control reads (``LoginControlGlobalConfig``, ``PasswordStrategyGlobalConfig``,
#: ``TwoFactorAuthenticationGlobalConfig``), in the form of :func:`zcli.sim.configs.definitions`.
PREMIUM_CONFIGS = {
    ("loginControl", "login.control"): ("false", "Boolean", "Enable login control, including login attempts check "
                                                            "and verify code generation"),
    ("loginControl", "login.attempts.maximum"): ("6", "Long", "The maximum value to tolerate login failures verify "
                                                              "code will be required after that"),
    ("passwordStrategy", "enable.lock.login.attempts.maximum"): ("false", "Boolean", "Enable lock login fail accounts"),
    ("passwordStrategy", "lock.login.attempts.maximum"): ("6", "Long", "The maximum to lock login fail accounts"),
    ("passwordStrategy", "lock.login.period"): ("600", "Long", "The time period, deny account login operation"),
    ("twofa", "twofa.enable"): ("false", "Boolean", "Enable two-factor authentication"),
}
#: loginType → the kind of identity it logs in (:mod:`zcli.sim.auth`'s credential kinds).
BACKENDS = {"account": "account", "ldap": "ldap"}
APIS = frozenset({"GetLoginCaptcha", "RefreshCaptcha", "UnlockIdentity", "ValidatePassword",
                  "GetTwoFactorAuthenticationState", "ResetTwoFactorAuthenticationSecret", "TokenIntrospection",
                  "GetSupportedIdentityModels"})
CODE_LENGTH = 5


def premium_definitions() -> dict:
    return {key: {"default": d, "type": t, "description": desc, "values": [], "types": []}
            for key, (d, t, desc) in PREMIUM_CONFIGS.items()}


def of(auth) -> LoginControl:
    """The login control of ``auth``'s simulator (made on first use)."""
    control = getattr(auth, "login_control", None)
    if control is None:
        control = auth.login_control = LoginControl(auth)
    return control


class LoginControl:
    """Failed-login counts, locks and captchas, in the simulator's database."""

    def __init__(self, auth, seed: int = 1):
        self.auth = auth
        self.store = auth.store
        self._random = random.Random(f"zcli-sim-captcha-{seed}")
        with self.store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_ATTEMPTS} (target TEXT PRIMARY KEY, attempts INTEGER, "
                        "locked INTEGER, unlockDate REAL)")
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_CAPTCHAS} (uuid TEXT PRIMARY KEY, target TEXT, "
                        "verifyCode TEXT, captcha TEXT, createDate REAL)")

    # --- configuration ------------------------------------------------------------------------
    def config(self, category: str, name: str) -> str:
        _, rows = self.store.read('SELECT value FROM "GlobalConfigInventory" WHERE category = ? AND name = ?',
                                  (category, name))
        return str(rows[0][0]) if rows else PREMIUM_CONFIGS[(category, name)][0]

    def _on(self, category: str, name: str) -> bool:
        return self.config(category, name).lower() == "true"

    def _number(self, category: str, name: str) -> int:
        try:
            return int(self.config(category, name))
        except ValueError:
            return int(PREMIUM_CONFIGS[(category, name)][0])

    @property
    def enabled(self) -> bool:
        return self._on("loginControl", "login.control")

    @property
    def locking(self) -> bool:
        return self._on("passwordStrategy", "enable.lock.login.attempts.maximum")

    # --- who --------------------------------------------------------------------------------
    def target(self, login_type: object, name: object) -> str | None:
        """The identity a login of ``name`` with ``login_type`` is counted against; None when unknown."""
        kind = BACKENDS.get(str(login_type))
        row = self.auth.identity(kind, name) if kind else None
        return row[0] if row else None

    def _attempts(self, target: str) -> tuple[int, bool, float] | None:
        _, rows = self.store.read(f"SELECT attempts, locked, unlockDate FROM {_ATTEMPTS} WHERE target = ?", (target,))
        return (int(rows[0][0]), bool(rows[0][1]), float(rows[0][2] or 0)) if rows else None

    # --- the login's halves (LoginManagerImpl.doLogIn's extension calls) ---------------------------
    def before(self, target: str | None, captcha_uuid: object, verify_code: object) -> None:
        """``beforeExecuteLogin``: refuse a locked target, or one past the maximum without the right captcha."""
        if target is None:
            return
        if self._attempts(target) is None:
            with self.store.transaction() as cur:
                cur.execute(f"INSERT INTO {_ATTEMPTS} (target, attempts, locked, unlockDate) VALUES (?, 0, 0, 0)",
                            (target,))
        self._check_lock(target)
        if not self.enabled:
            return
        attempts = self._attempts(target)[0]
        if attempts < self._number("loginControl", "login.attempts.maximum"):
            return
        if captcha_uuid in (None, "") or verify_code in (None, ""):
            raise AuthFailure(error(*_MISSING))
        _, rows = self.store.read(f"SELECT 1 FROM {_CAPTCHAS} WHERE uuid = ? AND verifyCode = ? AND target = ?",
                                  (str(captcha_uuid), str(verify_code), target))
        if not rows:
            raise AuthFailure(error(*_WRONG))

    def _check_lock(self, target: str) -> None:
        if not self.locking:
            return
        _, locked, unlock = self._attempts(target)
        if not locked:
            return
        now = self.auth.clock()
        if unlock < now:  # the lock has run out: count afresh
            with self.store.transaction() as cur:
                cur.execute(f"UPDATE {_ATTEMPTS} SET attempts = 0, locked = 0 WHERE target = ?", (target,))
            return
        raise AuthFailure(error(*_LOCKED, f"this user is locked, remaining time: {int(unlock - now)} seconds"))

    def failed(self, target: str | None, captcha_uuid: object) -> None:
        """``afterLoginFailure``: count it; lock at the lock maximum; give a captcha used in vain a new code."""
        if target is None or self._attempts(target) is None:
            return
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {_ATTEMPTS} SET attempts = attempts + 1 WHERE target = ?", (target,))
        attempts, locked, _ = self._attempts(target)
        if self.locking and attempts >= self._number("passwordStrategy", "lock.login.attempts.maximum") and not locked:
            until = self.auth.clock() + self._number("passwordStrategy", "lock.login.period")
            with self.store.transaction() as cur:
                cur.execute(f"UPDATE {_ATTEMPTS} SET locked = 1, unlockDate = ? WHERE target = ?", (until, target))
        if self.enabled and attempts >= self._number("loginControl", "login.attempts.maximum") \
                and captcha_uuid not in (None, ""):
            self._refresh(str(captcha_uuid))

    def succeeded(self, target: str | None) -> None:
        """``afterLoginSuccess``: the count goes back to 0 and the target's captchas are gone."""
        if target is None:
            return
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {_ATTEMPTS} SET attempts = 0 WHERE target = ?", (target,))
            if self.enabled:
                cur.execute(f"DELETE FROM {_CAPTCHAS} WHERE target = ?", (target,))

    def guard(self, target: str | None, params: dict, attempt):
        """Run ``attempt()`` (a login) between :meth:`before` and :meth:`failed`/:meth:`succeeded`."""
        try:
            self.before(target, params.get("captchaUuid"), params.get("verifyCode"))
            done = attempt()
        except AuthFailure:
            self.failed(target, params.get("captchaUuid"))
            raise
        self.succeeded(target)
        return done

    # --- captchas -----------------------------------------------------------------------------
    def _code(self) -> str:
        return "".join(self._random.choice("0123456789") for _ in range(CODE_LENGTH))

    def _new(self, target: str) -> tuple[str, str]:
        code = self._code()
        captcha_uuid = uuidlib.UUID(int=self._random.getrandbits(128)).hex
        image = captcha_png(code, self._random)
        with self.store.transaction() as cur:
            cur.execute(f"INSERT INTO {_CAPTCHAS} (uuid, target, verifyCode, captcha, createDate) VALUES (?,?,?,?,?)",
                        (captcha_uuid, target, code, image, self.auth.clock()))
        return captcha_uuid, image

    def _refresh(self, captcha_uuid: str) -> str | None:
        code = self._code()
        image = captcha_png(code, self._random)
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {_CAPTCHAS} SET verifyCode = ?, captcha = ? WHERE uuid = ?",
                        (code, image, captcha_uuid))
        _, rows = self.store.read(f"SELECT captcha FROM {_CAPTCHAS} WHERE uuid = ?", (captcha_uuid,))
        return rows[0][0] if rows else None

    def answer(self, captcha_uuid: str) -> str | None:
        """TEST-ONLY DOOR: the code of captcha ``captcha_uuid`` (None when there is none)."""
        _, rows = self.store.read(f"SELECT verifyCode FROM {_CAPTCHAS} WHERE uuid = ?", (captcha_uuid,))
        return rows[0][0] if rows else None

    def get_login_captcha(self, p: dict) -> dict:
        if not self.enabled:
            return {}
        if str(p.get("loginType")) not in BACKENDS:
            raise AuthFailure(error("SYS.1006", "An operation failed", f"unsupported login type {p.get('loginType')}"))
        target = self.target(p.get("loginType"), p.get("resourceName"))
        state = self._attempts(target) if target else None
        if state is None:  # no such user, or no failure yet: nothing to solve (nothing said of who exists)
            return {}
        self._check_lock(target)
        if self._attempts(target)[0] < self._number("loginControl", "login.attempts.maximum"):
            return {}
        wanted = p.get("captchaUuid")
        if wanted:
            _, rows = self.store.read(f"SELECT uuid, captcha FROM {_CAPTCHAS} WHERE uuid = ? AND target = ?",
                                      (str(wanted), target))
            return {"captchaUuid": rows[0][0], "captcha": rows[0][1]} if rows else {}
        captcha_uuid, image = self._new(target)
        return {"captchaUuid": captcha_uuid, "captcha": image}

    def refresh_captcha(self, p: dict) -> dict:
        wanted = str(p.get("uuid") or "")
        image = self._refresh(wanted)
        if image is None:
            raise AuthFailure(error("SYS.1003", "A resource can not be found",
                                    f"invalid field[uuid], resource[uuid:{wanted}, type:CaptchaVO] not found"))
        return {"captchaUuid": wanted, "captcha": image}

    def unlock(self, p: dict) -> dict:
        if not self.locking:
            return {}
        if str(p.get("loginType")) not in BACKENDS:
            raise AuthFailure(error("SYS.1006", "An operation failed", f"unsupported login type {p.get('loginType')}"))
        target = self.target(p.get("loginType"), p.get("resourceName"))
        if target is None:
            raise AuthFailure(error("SYS.1006", "An operation failed", f"No available user with name: "
                                    f"{p.get('resourceName')}, type: {p.get('loginType')}"))
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {_ATTEMPTS} SET locked = 0, attempts = 0, unlockDate = ? WHERE target = ?",
                        (self.auth.clock(), target))
        return {}

    def procedure(self, p: dict) -> list[dict]:
        """GetLoginProcedures' entry for login control (``getAdditionalAuthDesc``), or nothing when it is off."""
        if not self.enabled or str(p.get("loginType")) not in BACKENDS:
            return []
        got = self.get_login_captcha({"resourceName": p.get("username"), "loginType": p.get("loginType")})
        return [{"name": "loginControl", "order": 0,
                 "properties": {"captchaUuid": got.get("captchaUuid", ""), "captcha": got.get("captcha", "")}}]

    def door(self, method: str, path: str) -> tuple[int, object]:
        """TEST-ONLY DOOR over HTTP: ``GET /zstack/_sim/captchas/{uuid}`` → ``{"verifyCode": ...}``."""
        if method != "GET":
            return 405, "only GET reads a captcha's answer"
        code = self.answer(path[len(DOOR):].strip("/"))
        return (200, {"verifyCode": code}) if code is not None else (404, "no such captcha")


# --- the other identity APIs ---------------------------------------------------------------------------
def validate_password(auth, p: dict) -> dict:
    kind = p.get("loginType")
    if kind in (None, ""):
        raise AuthFailure(id_error("ID.1000", "AccountType cannot be empty"))
    if str(kind) not in BACKENDS:
        raise AuthFailure(error("SYS.1006", "An operation failed", f"unsupported login type {kind}"))
    try:
        auth.check(BACKENDS[str(kind)], p.get("loginName"), p.get("password"), hashed=kind == "account")
    except AuthFailure:
        return {"available": False}
    return {"available": True}


def introspect(auth, p: dict) -> dict:
    if str(p.get("tokenType") or "").lower() not in ("session", "oauth", "bearer"):
        return {"active": False}
    return {"active": auth.valid(p.get("token"), renew=False)}


def handle(auth, api_name: str, params: dict, session_check) -> dict:
    """The reply of one of :data:`APIS` (AuthFailure for the server's errors); ``session_check()`` checks the
    caller's session for the APIs that need one."""
    control = of(auth)
    if api_name == "GetLoginCaptcha":
        return control.get_login_captcha(params)
    if api_name == "RefreshCaptcha":
        return control.refresh_captcha(params)
    if api_name == "UnlockIdentity":
        session_check()
        return control.unlock(params)
    if api_name == "ValidatePassword":
        return validate_password(auth, params)
    if api_name == "GetTwoFactorAuthenticationState":
        return twofactor.state(auth)
    if api_name == "ResetTwoFactorAuthenticationSecret":
        session_check()
        return twofactor.reset(auth, params)
    if api_name == "TokenIntrospection":
        return introspect(auth, params)
    return {"configs": ["IAM", "IAM2"]}  # GetSupportedIdentityModels: identity.init.type's default


# --- the captcha's image: the code in a 3x5 pixel font, scaled, with noise ------------------------------
_FONT = {"0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
         "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001010010010",
         "8": "111101111101111", "9": "111101111001111"}
_SCALE, _GAP = 4, 1


def captcha_png(code: str, rng: random.Random) -> str:
    """A grayscale PNG (base64) showing ``code`` dark on light, with speckles from ``rng``."""
    width = (len(code) * (3 + _GAP) + _GAP) * _SCALE
    height = 7 * _SCALE
    pixels = [[235 - rng.randrange(0, 40) for _ in range(width)] for _ in range(height)]
    for i, ch in enumerate(code):
        glyph = _FONT.get(ch, "0" * 15)
        x0 = (_GAP + i * (3 + _GAP)) * _SCALE
        for gy in range(5):
            for gx in range(3):
                if glyph[gy * 3 + gx] == "1":
                    for dy in range(_SCALE):
                        for dx in range(_SCALE):
                            pixels[(gy + 1) * _SCALE + dy][x0 + gx * _SCALE + dx] = rng.randrange(10, 60)
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    return base64.b64encode(png).decode("ascii")

