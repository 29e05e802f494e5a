"""Two-factor authentication in the simulator, as the server's premium plugin does it.

Facts from ``TwoFactorAuthenticationManagerImpl``, ``TwoFactorAuthenticationSystemTags``,
``TwoFactorAuthenticationConstant`` and ``TwoFactorAuthenticationAccountFactory`` (public copies of the premium
code), with ``AuthorizationManager.createAdditionAuthErrorCode`` and ``conf/errorCodes/identity.xml`` of the
open-source tree:

* It is on when the global config ``twofa/twofa.enable`` is ``true``, for every account login (the account
  backend asks for the ``TWO_FACTOR_AUTH`` feature; LDAP logins do not). The simulator's demo account
  ``secure`` has a secret of its own and needs the code always, as though ``twofa.enable`` were set for it
  alone. It is checked before the password (``beforeExecuteLogin``).
* The code travels as the system tag ``twofatoken::CODE`` of the login (``systemTags``), not as a parameter.
  Without it: ``ID.2001`` with the detail ``{"authentications":["googleAuth"],"credentials":"NAME"}``; a
  wrong code: ``ID.2002`` "additional authentication failed"; an account with no secret: ``ID.2000``.
* The code is RFC 6238 (HMAC-SHA1, 30 s, 6 digits; one step of drift either way, as GoogleAuthenticator's
  default window). A secret is ``NewCreated`` until a login with it succeeds (``Logined``); then
  GetTwoFactorAuthenticationSecret answers it with ``secret`` empty. With ``twofa.enable`` off it answers
  "two factor authenticator is not enabled" (``SYS.1006``), except for ``secure``.
* ResetTwoFactorAuthenticationSecret (type ``account``: name and password as SHA-512 hex) gives the account a
  new ``NewCreated`` secret. GetTwoFactorAuthenticationState answers ``Enable``/``Disable`` from the config.
* GetLoginProcedures names it ``{"name": "twoFactorAuthentication", "order": 1,
  "properties": {"authenticationSource": "GoogleAuthenticator"}}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import uuid as uuidlib

from zcli.sim.auth import AuthFailure, error, id_error

TOTP_STEP = 30
TOKEN_TAG = "twofatoken::"
AUTHENTICATION_TYPE = "googleAuth"
PROCEDURE = {"name": "twoFactorAuthentication", "order": 1,
             "properties": {"authenticationSource": "GoogleAuthenticator"}}


def totp(secret_b32: str, at: float, step: int = TOTP_STEP) -> str:
    """The RFC 6238 code of ``secret_b32`` at time ``at``."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // step)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def new_secret() -> str:
    """A base32 secret of 16 characters, as GoogleAuthenticator.createCredentials makes them."""
    return base64.b32encode(uuidlib.uuid4().bytes[:10]).decode("ascii")


def enabled(auth) -> bool:
    from zcli.sim.logincontrol import of

    return of(auth).config("twofa", "twofa.enable").lower() == "true"


def _extra(row) -> dict:
    try:
        return json.loads(row[4]) if row and row[4] else {}
    except ValueError:
        return {}


def _save(auth, row, extra: dict) -> None:
    with auth.store.transaction() as cur:
        auth.set_password(cur, row[0], row[1], row[2], "account", row[3], json.dumps(extra))


def _own(row) -> bool:
    """Whether the account has two-factor on by itself (the demo account ``secure``)."""
    return bool(_extra(row).get("own"))


def required(auth, row) -> bool:
    return row is not None and (_own(row) or enabled(auth))


def secret_of(auth, row) -> str | None:
    """The account's secret, made (``NewCreated``) when two-factor is on and it has none, as the server makes
    one for every account when ``twofa.enable`` is switched on."""
    extra = _extra(row)
    if not extra.get("twofactor") and enabled(auth):
        extra.update(twofactor=new_secret(), status="NewCreated")
        _save(auth, row, extra)
    return extra.get("twofactor")


def token(params: dict) -> str | None:
    tags = params.get("systemTags") or []
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, str) and tag.startswith(TOKEN_TAG):
            return tag[len(TOKEN_TAG):]
    return None


def check(auth, name: object, params: dict) -> None:
    """``beforeExecuteLogin`` for an account login of ``name``: refuse it without the right code."""
    row = auth.identity("account", name)
    if not (enabled(auth) or (row is not None and _own(row))):
        return
    code = token(params)
    if code is None:
        raise AuthFailure(id_error("ID.2001", json.dumps({"authentications": [AUTHENTICATION_TYPE],
                                                           "credentials": str(name)}, separators=(",", ":"))))
    secret = secret_of(auth, row) if row is not None else None
    if not secret:
        raise AuthFailure(id_error("ID.2000", "additional authentication failed"))
    now = auth.clock()
    if code not in {totp(secret, now + d * TOTP_STEP) for d in (-1, 0, 1)}:
        raise AuthFailure(id_error("ID.2002", "additional authentication failed"))


def logged_in(auth, name: object) -> None:
    """``afterLoginSuccess``: the account's secret becomes ``Logined``."""
    row = auth.identity("account", name)
    extra = _extra(row)
    if row is not None and extra.get("twofactor") and extra.get("status") != "Logined":
        extra["status"] = "Logined"
        _save(auth, row, extra)


def secret_inventory(auth, row) -> dict:
    """GetTwoFactorAuthenticationSecret's inventory for the account ``row`` (its password checked)."""
    if not required(auth, row):
        raise AuthFailure(error("SYS.1006", "An operation failed", "two factor authenticator is not enabled"))
    secret = secret_of(auth, row)
    status = _extra(row).get("status") or "NewCreated"
    return {"uuid": uuidlib.uuid5(uuidlib.NAMESPACE_OID, row[0]).hex, "accountUuid": row[1],
            "secret": "" if status == "Logined" else secret, "resourceUuid": row[0], "resourceType": "AccountVO",
            "status": status}


def reset(auth, p: dict) -> dict:
    """ResetTwoFactorAuthenticationSecret: a new secret for the account ``name`` whose password is right."""
    if p.get("type") != "account":
        raise AuthFailure(id_error("ID.1000", "two-factor authentication failed"))
    try:
        row = auth.check("account", p.get("name"), p.get("password"))
    except AuthFailure:
        raise AuthFailure(id_error("ID.1000", "wrong account name or password")) from None
    extra = _extra(row)
    extra.update(twofactor=new_secret(), status="NewCreated")
    _save(auth, row, extra)
    return {"inventory": {"uuid": uuidlib.uuid5(uuidlib.NAMESPACE_OID, row[0]).hex, "accountUuid": row[1],
                          "secret": extra["twofactor"], "resourceUuid": row[0], "resourceType": "AccountVO",
                          "status": "NewCreated"}}


def state(auth) -> dict:
    return {"state": "Enable" if enabled(auth) else "Disable"}


def procedures(auth, login_type: object, name: object) -> list[dict]:
    """GetLoginProcedures' entry for two-factor (account logins only), or nothing."""
    if str(login_type) != "account":
        return []
    row = auth.identity("account", name)
    return [dict(PROCEDURE)] if enabled(auth) or (row is not None and _own(row)) else []
