"""Which APIs log in, and what a kept session records about the login.

An API logs in when it answers with a session: its reply carries a ``SessionInventory`` (the catalogue's
``session_reply``, from the reference's ``responseClassFields``), and it is neither LogOut (DELETE) nor a
renewal (a ``{sessionUuid}`` in its path: RenewSession). The name does not decide: ``LoginIAM2VirtualID``
logs in as much as ``LogInByAccount``. ``LoginIAM2Project`` is called with a session and answers with a
project session, which is kept in its place.

:data:`LOGINS` says, per login API, the login kind and which parameters name the account and the user; an API
the table does not know (a newer server's) is still kept, as kind ``other``.
"""

# Annotations are evaluated here, not kept as strings (no `from __future__ import annotations`):
# typing.NamedTuple compiles each string annotation of its fields, which start-up pays for.

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from zcli.catalog import Api

LOGIN, RENEW, LOGOUT = "login", "renew", "logout"


class LoginKind(NamedTuple):
    """How one login API names who logs in.

    Attributes:
        kind: the login kind shown by ``whoami`` (``LogIn``: its ``loginType``).
        account: the parameters naming the account, first given wins.
        user: the parameter naming the user (or virtual ID), if any.
        from_session: the login is made from the current session (it keeps its account and user unless named).
    """

    kind: str
    account: tuple[str, ...] = ()
    user: str | None = None
    from_session: bool = False


#: The login APIs of the reference (their source: header/.../identity, plugin/ldap, the IAM2 and CAS SDK actions).
LOGINS: dict[str, LoginKind] = {
    "LogInByAccount": LoginKind("account", ("accountName",)),
    "LogInByUser": LoginKind("user", ("accountName", "accountUuid"), "userName"),
    "LogInByLdap": LoginKind("ldap", ("uid",)),
    "LogIn": LoginKind("loginType", ("username",)),
    "LoginIAM2VirtualID": LoginKind("iam2", (), "name"),
    "LoginIAM2VirtualIDWithLdap": LoginKind("iam2-ldap", (), "uid"),
    "LoginIAM2Platform": LoginKind("iam2-platform", (), None, from_session=True),
    "LoginByCas": LoginKind("cas", ("name",)),
    "LoginIAM2Project": LoginKind("iam2-project", ("projectName",), None, from_session=True),
}


def role(api: "Api") -> str | None:
    """``login``, ``renew`` or ``logout`` for an API that answers with a session; None for any other."""
    if not api.session_reply:
        return None
    if api.method == "DELETE":
        return LOGOUT
    if "{sessionUuid}" in api.path or any("{sessionUuid}" in p for p in api.paths):
        return RENEW
    return LOGIN


class Identity(NamedTuple):
    """Who a kept session is: ``key`` names its file (``account`` or ``account/user``)."""

    account: str | None
    user: str | None
    kind: str

    @property
    def key(self) -> str:
        who = self.account or self.user or "session"
        return f"{who}/{self.user}" if self.account and self.user else who


def identity(api_name: str, params: Mapping[str, Any], inventory: Mapping[str, Any],
             current: Identity | None = None) -> Identity:
    """Who the session that ``api_name`` answered with (``inventory``) belongs to.

    Args:
        api_name: the login API.
        params: the parameters it was called with (passwords already hashed: they are not read).
        inventory: the session inventory of the reply.
        current: who the session in use was, for logins made from it (LoginIAM2Project, LoginIAM2Platform).
    """
    spec = LOGINS.get(api_name, LoginKind("other", ("accountName", "username", "name")))
    kind = str(params.get("loginType") or "account") if spec.kind == "loginType" else spec.kind
    account = next((str(params[k]) for k in spec.account if params.get(k)), None)
    user = str(params[spec.user]) if spec.user and params.get(spec.user) else None
    if spec.from_session and current is not None:
        user = user or current.user or current.account
        if api_name == "LoginIAM2Platform":
            account = account or current.account
    if account is None and user is None:
        account = str(inventory.get("accountUuid") or "") or None
    return Identity(account, user, kind)


def describe_login(login: dict | None) -> str | None:
    """``admin (account login)``: who a session is, for ``--debug``."""
    if not login:
        return None
    who = "/".join(str(x) for x in (login.get("account"), login.get("user")) if x) or "?"
    return f"{who} ({login.get('kind') or 'account'} login)"
