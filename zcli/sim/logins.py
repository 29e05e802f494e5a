"""Every login API of the server, RenewSession, GetLoginProcedures and the second factor, in the simulator.

:func:`handle` answers the APIs of :data:`HANDLERS` (``(status, body)``). The identities other than the demo
world's accounts and users are seeded by :func:`seed_identities` (all with the password ``password``):

=====================  ==========================================  ==============================
login                  who                                        password
=====================  ==========================================  ==============================
LogInByAccount, LogIn  an account (``loginType=account``)         SHA-512 hex
LogInByUser            a user of an account                       SHA-512 hex
LogInByLdap, LogIn     LDAP uid ``ldap-user`` (``loginType=ldap``)  as typed (the LDAP server checks)
LoginIAM2VirtualID     IAM2 virtual ID ``iam2-user``               SHA-512 hex
...WithLdap            LDAP uid ``ldap-user`` as a virtual ID      as typed
LoginByCas             CAS user ``cas-user``                       as typed
LoginIAM2Platform      the virtual ID of the session              (a session)
LoginIAM2Project       project ``project-1`` of that virtual ID    (a session)
=====================  ==========================================  ==============================

Account ``secure`` needs a second factor (:mod:`zcli.sim.twofactor`, as the server's plugin does it when
``twofa/twofa.enable`` is on): its login carries the code as the system tag ``twofatoken::CODE``; without it
``ID.2001`` with ``{"authentications":["googleAuth"],"credentials":"secure"}``, a wrong code ``ID.2002``. The
code is the RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) of :data:`TWO_FACTOR_SECRET`, which
GetTwoFactorAuthenticationSecret returns until the first such login. Login control (captchas, locks) is in
:mod:`zcli.sim.logincontrol`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from zcli.sim import logincontrol, twofactor
from zcli.sim.auth import AuthFailure, error, id_error, sha512, wrong_password
from zcli.sim.twofactor import TOTP_STEP, totp
from zcli.sim.world import ADMIN_ACCOUNT_UUID

#: Demo identities: (kind, name, account uuid or None for admin's).
TWO_FACTOR_ACCOUNT = "secure"
TWO_FACTOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # base32, fixed so that a test can compute the code
VIRTUAL_ID = "iam2-user"
LDAP_UID = "ldap-user"
CAS_USER = "cas-user"
PROJECT = "project-1"
PROJECT_ACCOUNT_UUID = "5e0c7d2a9b3f4c1e8a6d0f2b4c6e8a01"
__all__ = ["TOTP_STEP", "totp"]  # kept importable from here (tests compute codes with them)


def seed_identities(auth) -> None:
    """Seed the identities of the table above (and the account ``secure`` in AccountInventory)."""
    from zcli.sim.tables import zstack_time  # noqa: F401 - the store formats dates itself

    store = auth.store
    secure = uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim-secure").hex
    with store.transaction() as cur:
        if "AccountInventory" in store.specs:
            store.insert_many(cur, "AccountInventory", [{"uuid": secure, "name": TWO_FACTOR_ACCOUNT, "type": "Normal",
                                                          "description": "an account with a second factor"}])
        auth.set_password(cur, secure, secure, TWO_FACTOR_ACCOUNT, "account", sha512("password"),
                          json.dumps({"twofactor": TWO_FACTOR_SECRET, "status": "NewCreated", "own": True}))
        vid = uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim-iam2-user").hex
        auth.set_password(cur, vid, ADMIN_ACCOUNT_UUID, VIRTUAL_ID, "virtualid", sha512("password"))
        auth.set_password(cur, uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim-ldap").hex, ADMIN_ACCOUNT_UUID, LDAP_UID,
                          "ldap", sha512("password"), json.dumps({"virtualId": vid}))
        auth.set_password(cur, uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim-cas").hex, ADMIN_ACCOUNT_UUID, CAS_USER,
                          "cas", sha512("password"))
        auth.set_password(cur, uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim-project").hex, PROJECT_ACCOUNT_UUID,
                          PROJECT, "project", "", json.dumps({"members": [vid]}))


def _extra(row) -> dict:
    try:
        return json.loads(row[4]) if row and row[4] else {}
    except ValueError:
        return {}


def _account(auth, p: dict) -> dict:
    def attempt():
        twofactor.check(auth, p.get("accountName"), p)  # before the password, as beforeExecuteLogin
        row = auth.check("account", p.get("accountName"), p.get("password"))
        session = auth.open(row[1], row[1], "AccountVO")
        twofactor.logged_in(auth, p.get("accountName"))
        return session

    control = logincontrol.of(auth)
    return control.guard(control.target("account", p.get("accountName")), p, attempt)


def _user(auth, p: dict) -> dict:
    account = p.get("accountUuid")
    if not account and p.get("accountName"):
        found = auth.identity("account", p["accountName"])
        account = found[0] if found else None
    if not account:
        raise wrong_password("wrong account or username or password")
    row = auth.check("user", p.get("userName"), p.get("password"), account_uuid=account)
    return auth.open(row[1], row[0], "UserVO")


def _ldap(auth, p: dict) -> dict:
    def attempt():
        row = auth.check("ldap", p.get("uid"), p.get("password"), hashed=False)
        return auth.open(row[1], row[1], "AccountVO")

    control = logincontrol.of(auth)
    return control.guard(control.target("ldap", p.get("uid")), p, attempt)


def _login(auth, p: dict) -> dict:
    kind = p.get("loginType")
    if kind == "account":
        return _account(auth, {"accountName": p.get("username"), "password": p.get("password"),
                               "verifyCode": p.get("verifyCode"), "captchaUuid": p.get("captchaUuid"),
                               "systemTags": p.get("systemTags")})
    if kind == "ldap":
        return _ldap(auth, {"uid": p.get("username"), "password": p.get("password"),
                            "verifyCode": p.get("verifyCode"), "captchaUuid": p.get("captchaUuid")})
    raise AuthFailure(error("SYS.1007", "One or more API argument is invalid",
                            f"no login backend for loginType[{kind}]; the simulator has account and ldap"))


def _virtual_id(auth, p: dict) -> dict:
    row = auth.check("virtualid", p.get("name"), p.get("password"))
    return auth.open(row[1], row[0], "IAM2VirtualIDVO")


def _virtual_id_ldap(auth, p: dict) -> dict:
    row = auth.check("ldap", p.get("uid"), p.get("password"), hashed=False)
    return auth.open(row[1], _extra(row).get("virtualId") or row[0], "IAM2VirtualIDVO")


def _cas(auth, p: dict) -> dict:
    row = auth.check("cas", p.get("name"), p.get("password"), hashed=False)
    return auth.open(row[1], row[0], "AccountVO")


def _session_of(auth, session: str | None) -> dict:
    inv = auth.session(session) if session and auth.valid(session) else None
    if inv is None:
        from zcli.sim.auth import session_expired

        raise session_expired(str(session))
    return inv


def _platform(auth, p: dict, session: str | None) -> dict:
    me = _session_of(auth, session)
    return auth.open(me["accountUuid"], me["userUuid"], me["userType"])


def _project(auth, p: dict, session: str | None) -> dict:
    me = _session_of(auth, session)
    world = _world_project(auth.store, p.get("projectName"))
    if world is not None:  # the world's IAM2 project and its memberships (zcli/sim/iam2_members.py)
        account, members = world
    else:
        row = auth.identity("project", p.get("projectName"))
        if row is None:
            raise AuthFailure(error("SYS.1007", "One or more API argument is invalid",
                                    f"no project named {p.get('projectName')}"))
        account, members = row[1], _extra(row).get("members", [])
    if me["userUuid"] not in members:
        raise AuthFailure(id_error("ID.1002", f"the virtual ID[uuid:{me['userUuid']}] is not a member of the project"))
    return auth.open(account, me["userUuid"], "IAM2VirtualIDVO")


def _world_project(store, name) -> tuple[str, set[str]] | None:
    """(its account: the linked one, else its uuid; its member virtual IDs) of the world's project named ``name``
    that is not deleted, or None."""
    from zcli.sim.iam2_members import TABLE

    try:
        _, rows = store.read('SELECT uuid, linkedAccountUuid FROM "IAM2ProjectInventory" WHERE name = ? AND '
                             "(state IS NULL OR state != 'Deleted') ORDER BY rowid LIMIT 1", [name])
        if not rows:
            return None
        _, members = store.read(f"SELECT member FROM {TABLE} WHERE relation = 'project-vid' AND owner = ?",
                                [rows[0][0]])
    except sqlite3.Error:  # a database without the IAM2 tables
        return None
    return rows[0][1] or rows[0][0], {m for (m,) in members}


#: API → handler(auth, params) of the logins that need no session; LoginIAM2Platform and LoginIAM2Project
#: take the caller's session too.
HANDLERS = {
    "LogInByAccount": _account, "LogInByUser": _user, "LogInByLdap": _ldap, "LogIn": _login,
    "LoginIAM2VirtualID": _virtual_id, "LoginIAM2VirtualIDWithLdap": _virtual_id_ldap, "LoginByCas": _cas,
}
SESSION_HANDLERS = {"LoginIAM2Platform": _platform, "LoginIAM2Project": _project}
OTHER_APIS = {"LogOut", "ValidateSession", "RenewSession", "GetLoginProcedures",
              "GetTwoFactorAuthenticationSecret", "CreateAccessKey"}
APIS = frozenset(HANDLERS) | frozenset(SESSION_HANDLERS) | OTHER_APIS | logincontrol.APIS


def handle(auth, keys, api_name: str, variables: dict, params: dict, session: str | None) -> tuple[int, object]:
    """Answer the auth API ``api_name``; failures as the server's ErrorCodes."""
    try:
        if api_name in HANDLERS:
            inv = HANDLERS[api_name](auth, params)
            if api_name == "LogInByLdap":
                return 200, {"inventory": inv, "accountInventory": {"uuid": inv["accountUuid"]}}
            return 200, {"inventory": inv}
        if api_name in SESSION_HANDLERS:
            return 200, {"inventory": SESSION_HANDLERS[api_name](auth, params, session)}
        if api_name == "LogOut":
            auth.logout(variables.get("sessionUuid", ""))
            return 200, {}
        if api_name == "ValidateSession":
            return 200, {"valid": auth.valid(variables.get("sessionUuid", ""), renew=False)}
        if api_name == "RenewSession":
            target = variables.get("sessionUuid") or params.get("sessionUuid") or ""
            return 200, {"inventory": auth.renew(target, params.get("duration"))}
        if api_name == "GetLoginProcedures":
            return 200, {"procedures": _procedures(auth, params)}
        if api_name == "GetTwoFactorAuthenticationSecret":  # a validate-only login: login control counts it
            control = logincontrol.of(auth)
            row = control.guard(control.target("account", params.get("name")), params,
                                lambda: auth.check("account", params.get("name"), params.get("password")))
            return 200, {"inventory": twofactor.secret_inventory(auth, row)}
        if api_name == "CreateAccessKey":
            _session_of(auth, session)
            return 200, {"inventory": keys.create(params)}
        if api_name in logincontrol.APIS:
            return 200, logincontrol.handle(auth, api_name, params, lambda: _session_of(auth, session))
    except AuthFailure as f:
        return f.status, f.body
    return 503, error("SYS.1000", "Not supported by the simulator", api_name)


def _procedures(auth, p: dict) -> list[dict]:
    """GetLoginProcedures: what a login of ``username`` with ``loginType`` needs beyond the password (the
    extensions of the login's backend: login control, then two-factor for account logins)."""
    out = logincontrol.of(auth).procedure(p)
    return out + twofactor.procedures(auth, p.get("loginType"), p.get("username"))
