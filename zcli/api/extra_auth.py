"""Additional authentication: a captcha or a second factor that a login needs beyond the password.

The server answers such a login ``ID.2001`` (``IdentityErrors.NEED_ADDITION_AUTHENTICATION``) with a JSON detail
that names what is needed (``AuthorizationManager.createAdditionAuthErrorCode``:
``{"authentications": ["twofactor"], ...}``); a wrong code ``ID.2002``, an authentication server's failure
``ID.2003``, anything else ``ID.2000`` (``conf/errorCodes/identity.xml``). The login APIs take the answer as
``verifyCode`` (and ``captchaUuid`` for a captcha, from GetLoginCaptcha); GetLoginProcedures lists the
procedures of a user beforehand.

On a terminal zcli asks for the code and logs in again; in a script it exits 4 saying what is needed.
"""

from __future__ import annotations

import json

NEED = "ID.2001"
AUTH_CODES = ("ID.2000", "ID.2001", "ID.2002", "ID.2003")

#: What each procedure asks for on a terminal, and how a script gives it.
PROMPTS = {
    "twofactor": ("two-factor code (from your authenticator app): ", "verifyCode=CODE (the authenticator's code)"),
    "captcha": ("captcha code: ", "captchaUuid=UUID verifyCode=CODE (GetLoginCaptcha gives the captcha)"),
}


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
    how = [PROMPTS.get(p, (None, f"the {p} answer"))[1] for p in procedures] or ["verifyCode=CODE"]
    return (f"{api_name} needs additional authentication ({', '.join(procedures) or 'unnamed'}): add "
            f"{' and '.join(how)}, or run it on a terminal to be asked (GetLoginProcedures lists what a user needs)")


def login_name(params: dict) -> tuple[str | None, str | None]:
    """(name, loginType) of a login's parameters, for GetLoginCaptcha."""
    name = params.get("accountName") or params.get("username") or params.get("userName") or params.get("name") \
        or params.get("uid")
    return (str(name) if name else None), str(params.get("loginType") or "account")
