"""Additional authentication: a captcha or a second factor that a login needs beyond the password.

The server answers such a login ``ID.2001`` (``IdentityErrors.NEED_ADDITION_AUTHENTICATION``) with a JSON detail
that names what is needed (``AuthorizationManager.createAdditionAuthErrorCode``; the two-factor plugin's is
``{"authentications":["googleAuth"],"credentials":"NAME"}``); a wrong code ``ID.2002``, an authentication
server's failure ``ID.2003``, anything else ``ID.2000`` (``conf/errorCodes/identity.xml``). The two-factor code
travels as the login's system tag ``twofatoken::CODE`` (``TwoFactorAuthenticationManagerImpl.beforeExecuteLogin``
reads it from ``systemTags``); GetLoginProcedures lists the procedures of a user beforehand.

Login control (``conf/errorCodes/loginControl.xml``; the premium ``LoginControlCaptchaOperation``): after
``loginControl/login.attempts.maximum`` failed logins of an identity the server wants a captcha, and answers a
login without one ``LOGIN_CONTROL.1005`` (Missing captcha), a wrong one ``LOGIN_CONTROL.1003`` (Wrong captcha);
``GetLoginCaptcha resourceName= loginType=`` gives ``captchaUuid`` and the image (base64 PNG), and the login
carries ``captchaUuid`` and ``verifyCode``. A locked identity is ``LOGIN_CONTROL.1002``.

On a terminal zcli asks for the code and logs in again; in a script it exits 4 saying what is needed.
"""

from __future__ import annotations

import json

NEED = "ID.2001"
#: Login control: a captcha is missing, wrong; the identity is locked.
CAPTCHA_MISSING, CAPTCHA_WRONG, LOCKED = "LOGIN_CONTROL.1005", "LOGIN_CONTROL.1003", "LOGIN_CONTROL.1002"
AUTH_CODES = ("ID.2000", "ID.2001", "ID.2002", "ID.2003", CAPTCHA_MISSING, CAPTCHA_WRONG, LOCKED)

#: The server's two-factor kind (``TwoFactorAuthenticationConstant.GOOGLE_AUTHENTICATION_TYPE``), and the system
#: tag its code travels in (``TwoFactorAuthenticationSystemTags.TWOFA_TOKEN``: ``twofatoken::{twofatoken}``).
TWO_FACTOR = "googleAuth"
TOKEN_TAG = "twofatoken::"
#: What each procedure asks for on a terminal, and how a script gives it.
PROMPTS = {
    TWO_FACTOR: ("two-factor code (from your authenticator app): ",
                 f"systemTags={TOKEN_TAG}CODE (the authenticator's code)"),
    "captcha": ("captcha code: ", "captchaUuid=UUID verifyCode=CODE (GetLoginCaptcha gives the captcha)"),
}


def has_token(params: dict) -> bool:
    """Whether a login's ``systemTags`` already carry a two-factor code."""
    tags = params.get("systemTags") or []
    return any(str(t).startswith(TOKEN_TAG) for t in (tags if isinstance(tags, list) else [tags]))


def add_answer(params: dict, procedure: str, code: str) -> None:
    """Put the code asked for ``procedure`` where the server reads it: a two-factor code as the system tag
    ``twofatoken::CODE``, any other (a captcha) as ``verifyCode``."""
    if procedure == TWO_FACTOR:
        tags = params.get("systemTags") or []
        params["systemTags"] = [*(tags if isinstance(tags, list) else [tags]), TOKEN_TAG + code]
    else:
        params["verifyCode"] = code


def needed(details: str) -> list[str]:
    """The procedures an ``ID.2001`` detail names (``["twofactor"]``); the whole detail when it is not JSON."""
    try:
        data = json.loads(details)
    except (TypeError, ValueError):
        return [details] if details else []
    names = data.get("authentications") if isinstance(data, dict) else None
    return [str(n) for n in names] if isinstance(names, list) else []


def script_hint(api_name: str, procedures: list[str]) -> str:
    """What a script must add to log in: ``LogInByAccount needs ... : add verifyCode=CODE``."""
    how = [PROMPTS.get(p, (None, f"the {p} answer"))[1] for p in procedures] or [PROMPTS[TWO_FACTOR][1]]
    return (f"{api_name} needs additional authentication ({', '.join(procedures) or 'unnamed'}): add "
            f"{' and '.join(how)}, or run it on a terminal to be asked (GetLoginProcedures lists what a user needs)")


def login_name(params: dict, api_name: str = "") -> tuple[str | None, str]:
    """(name, loginType) of a login's parameters, for GetLoginCaptcha and UnlockIdentity: LogInByLdap (a ``uid``)
    is an ``ldap`` login, LogIn says its own ``loginType``, the others are ``account`` logins."""
    name = params.get("accountName") or params.get("username") or params.get("userName") or params.get("name") \
        or params.get("uid")
    kind = params.get("loginType") or ("ldap" if api_name == "LogInByLdap" or "uid" in params else "account")
    return (str(name) if name else None), str(kind)


def captcha_hint(api_name: str, params: dict) -> str:
    """What a script must do to pass the captcha the server wants."""
    name, kind = login_name(params, api_name)
    return (f"{api_name} needs a captcha (too many failed logins of {name}): run GetLoginCaptcha "
            f"resourceName={name} loginType={kind}, read the image it gives (captcha, a base64 PNG), and add "
            "captchaUuid=UUID verifyCode=CODE; or run it on a terminal to be shown the image and asked")


def locked_hint(api_name: str, params: dict) -> str:
    name, kind = login_name(params, api_name)
    return (f"{name} is locked after too many failed logins: wait for the lock to end, or have an admin run "
            f"UnlockIdentity resourceName={name} loginType={kind}")
