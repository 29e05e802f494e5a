"""Which API parameters the server compares as SHA-512 hex, and so are hashed before sending.

The server stores account and user passwords as the client sent them and compares what arrives with what is
stored, with no hashing of its own; clients send SHA-512 hex. So a parameter is hashed exactly where the server
compares it with, or stores it as, such a hash, and nowhere else: a password that an LDAP or CAS server, a host's
SSH daemon or a plugin checks travels as typed.

Each entry cites the server source that decides it (``zstackio/zstack``; for ValidatePassword and
ResetTwoFactorAuthenticationSecret, the premium plugin's code as public copies show it, down to the open-source
``AccountLoginBackend``/``AccountVO`` comparison), or, for APIs whose server side is not in the open-source tree
(IAM2, GetTwoFactorAuthenticationSecret, PowerOffHost), ``zstack-utility``'s ``zstackcli/cli.py``
(``do_command``), which hashed them, with the Java SDK's action as the API's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hashed:
    """One hashed parameter.

    Attributes:
        api: the API name.
        param: the parameter.
        source: the file and function of the server (or zstack-cli) that decides it.
        when: parameter values required for it to apply (``LogIn`` hashes only for ``loginType=account``).
    """

    api: str
    param: str
    source: str
    when: tuple[tuple[str, str], ...] = ()


_ID = "identity/src/main/java/org/zstack/identity/"
_CLI = "zstack-utility zstackcli/cli.py Cli.do_command"

#: The table (its test, tests/unit/test_server_hashing.py, checks every entry and every password kept as typed).
HASHED: tuple[Hashed, ...] = (
    Hashed("LogInByAccount", "password", _ID + "AccountManagerImpl.java handle(APILogInByAccountMsg) → "
           "AccountLoginBackend.java login(): Q(AccountVO).eq(AccountVO_.password, password)"),
    Hashed("LogIn", "password", _ID + "login/LoginManagerImpl.java handle(APILogInMsg) → doLogIn → "
           "AccountLoginBackend.java login() (loginType 'account', AccountConstant.LOGIN_TYPE)",
           when=(("loginType", "account"),)),
    Hashed("LogInByUser", "password", _ID + "AccountManagerImpl.java handle(APILogInByUserMsg): "
           "q.add(UserVO_.password, Op.EQ, msg.getPassword())"),
    Hashed("CreateAccount", "password", _ID + "AccountManagerImpl.java handle(APICreateAccountMsg): "
           "vo.setPassword(msg.getPassword()), later compared by AccountLoginBackend.login()"),
    Hashed("UpdateAccount", "password", _ID + "AccountBase.java handle(APIUpdateAccountMsg): "
           "!msg.getPassword().equals(account.getPassword()) → account.setPassword(msg.getPassword())"),
    Hashed("UpdateAccount", "oldPassword", _ID + "AccountManagerImpl.java validate(APIUpdateAccountMsg): "
           "msg.getOldPassword().equals(account.getPassword())"),
    Hashed("CreateUser", "password", _ID + "AccountBase.java handle(APICreateUserMsg): "
           "uvo.setPassword(msg.getPassword()), later compared by handle(APILogInByUserMsg)"),
    Hashed("UpdateUser", "password", _ID + "AccountBase.java handle(APIUpdateUserMsg): "
           "user.setPassword(msg.getPassword())"),
    Hashed("UpdateUser", "oldPassword", _ID + "AccountBase.java handle(APIUpdateUserMsg): "
           "msg.getOldPassword().equals(user.getPassword())"),
    Hashed("LoginIAM2VirtualID", "password", _CLI + ": LOGIN_BY_USER_IAM2 (APILoginIAM2VirtualIDMsg)"),
    Hashed("CreateIAM2VirtualID", "password", _CLI + ": CREATE_USER_IAM2 (APICreateIAM2VirtualIDMsg)"),
    Hashed("UpdateIAM2VirtualID", "password", _CLI + ": IAM2_USER_RESET_PASSWORD_NAME (APIUpdateIAM2VirtualIDMsg)"),
    Hashed("GetTwoFactorAuthenticationSecret", "password",
           _CLI + ": GET_TWO_FACTOR_AUTHENTICATION_SECRET (APIGetTwoFactorAuthenticationSecretMsg)"),
    Hashed("ValidatePassword", "password", _ID + "AccountLoginBackend.java authenticate(): "
           "Q(AccountVO).eq(AccountVO_.password, password), which the premium LoginControlManagerImpl."
           "handle(APIValidatePasswordMsg) calls as backend.authenticate(loginName, password)",
           when=(("loginType", "account"),)),
    Hashed("ResetTwoFactorAuthenticationSecret", "password", "premium TwoFactorAuthenticationManagerImpl.java "
           "handle(APIResetTwoFactorAuthenticationSecretMsg) → TwoFactorAuthenticationAccountFactory.java "
           "createAuthentication(): Q(AccountVO).eq(AccountVO_.password, param.getPassword())",
           when=(("type", "account"),)),
    Hashed("PowerOffHost", "adminPassword", _CLI + ": POWER_OFF_HOST (APIPowerOffHostMsg), the admin account's "
           "password"),
)

#: Passwords the server does not compare as hashes, with why (they are sent as typed); the test checks them.
AS_TYPED: tuple[tuple[str, str, str], ...] = (
    ("LogInByLdap", "password", "plugin/ldap/.../LdapManagerImpl.java isValid(): ldapUtil.isValid(uid, password), "
     "an LDAP bind"),
    ("LoginIAM2VirtualIDWithLdap", "password", "an LDAP bind, as LogInByLdap; zstack-cli did not hash it"),
    ("LoginByCas", "password", "checked by the CAS server; zstack-cli did not hash it (LOGIN_BY_CAS_MESSAGE_NAME)"),
    ("AddKVMHost", "password", "the host's SSH password (kvm/.../KVMHost.java connects with it)"),
    ("AddLdapServer", "password", "the LDAP server's bind password"),
)


_BY_KEY: dict[tuple[str, str], Hashed] = {(h.api, h.param): h for h in HASHED}


def hashed_entry(api: str, param: str, params: Mapping[str, Any] | None = None) -> Hashed | None:
    """The entry that hashes ``param`` of ``api`` given the other ``params`` typed, or None (sent as typed)."""
    params = params or {}
    entry = _BY_KEY.get((api, param))
    if entry is None:
        return None
    if any(str(params.get(k)) != v for k, v in entry.when):
        return None
    return entry


def sha512_hex(text: str) -> str:
    import hashlib  # only for passwords: keeps ~4 ms off every other command

    return hashlib.sha512(text.encode("utf-8")).hexdigest()
