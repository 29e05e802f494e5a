"""``whoami``: who this endpoint's session is, and until when (a command and a shell built-in).

It reads what was kept at login (:mod:`zcli.sessions`) and asks the server nothing: the endpoint and its
standby nodes, the account, the user, the login kind (:mod:`zcli.api.logins`), the session's expiry and the
server's version. The server renews a session on every call (``AuthorizationManager.evaluateSession``), so the
expiry shown is the one of the last login or RenewSession, and an idle session ends ``session.timeout`` after its
last use. The session's uuid is a credential: it is not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from zcli.commands.context import Context


def whoami(ctx: Context) -> dict:
    """The facts ``whoami`` prints, as a record (key → value; absent facts are left out)."""
    client = ctx.client
    facts: dict = {"endpoint": ctx.endpoint}
    if len(client.nodes) > 1:
        facts["nodes"] = ", ".join(client.nodes)
    if client.access_key is not None:
        facts.update({"auth": "access key", "accessKeyId": client.access_key.key_id,
                      "session": "none needed: every request is signed"})
        return facts
    if not client.session_uuid:
        facts["session"] = "not logged in"
        return facts
    login = ctx.login or {}
    facts.update({"auth": "session", "account": login.get("account") if login else ctx.account,
                  "user": login.get("user"), "login": login.get("kind") or "account",
                  "expires": login.get("expires"), "serverVersion": login.get("version") or ctx.server_version})
    return {k: v for k, v in facts.items() if v is not None}


def whoami_text(ctx: Context, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """``whoami`` in the output format ``fmt`` (a record on a terminal)."""
    from zcli.output.formats import render

    return render(whoami(ctx), fmt, width=width, color=color)
