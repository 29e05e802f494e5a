"""Run a command: parse the words, send the request, and keep or forget the session on log-in and log-out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from zcli.api.replies import SESSION_EXPIRED
from zcli.commands.context import Context, Result
from zcli.errors import ApiError, AuthError, UsageError
from zcli.zql import is_zql

if TYPE_CHECKING:  # pragma: no cover
    from zcli.catalog import Api
    from zcli.grammar import Command

#: The page size of ``--all`` when the command names no ``limit`` (the server's own default).
PAGE_SIZE = 1000
LOGOUT = "LogOut"
RENEW = "RenewSession"


def login_hint(ctx: Context) -> str:
    """How to log in again, for messages."""
    account = ctx.account.split("/")[0] if ctx.account else "NAME"
    return f"log in with: LogInByAccount accountName={account} password=PASSWORD"


def execute(words: list[str], ctx: Context, *, validate: bool = True) -> Result:
    """Run the command ``words`` (the API name first); ``validate``: check names against the catalogue.

    Raises:
        UsageError: the words are wrong; nothing was sent.
        AuthError: not logged in, or the session expired (then the kept session is forgotten).
        ApiError, TransportError: from the client.
    """
    from zcli.grammar import parse_command

    if words and is_zql(words[0]):  # ZQL: one word (a shell line, a quoted argument) or words a shell split
        from zcli.commands.zql import execute_zql

        return execute_zql(" ".join(words), ctx, validate=validate)
    if any("=@" in w for w in words[1:]):  # password=@FILE, password=@-: secrets kept off the command line
        from zcli.secret_input import read_secret_sources

        words = read_secret_sources(words, ask=ctx.ask_secret, remember=ctx.remember_secret)
    if ctx.ask_secret is not None:
        words = [*words, *asked_secrets(words, ctx)]
    cmd = parse_command(words, ctx.catalog, validate=validate)
    return run(cmd, ctx)


def asked_secrets(words: list[str], ctx: Context) -> list[str]:
    """``name=value`` words for the missing required parameters, asked with ``ctx.ask_secret``: a secret
    without echo, anything else with it (:func:`zcli.secrets.required_prompts` decides).

    They join the words as if typed, so the grammar treats them as it treats typed values (hashing,
    masking); a secret is never printed, kept in history or stored.
    """
    if not words or not ctx.catalog.has_api(words[0]):
        return []
    from zcli.secrets import required_prompts

    api = ctx.catalog.api(words[0])
    if api.query:
        return []
    from zcli.grammar.operators import split_condition

    parts = [split_condition(w) for w in words[1:]]
    if any(p is None or not p[0] for p in parts):  # the grammar refuses such a line: ask nothing first
        return []
    given = {p[0] for p in parts if p}
    return [f"{name}={ctx.ask_secret(f'{name}: ', echo)}" for name, echo in required_prompts(api, given)]


def run(cmd: Command, ctx: Context) -> Result:
    """Run an already parsed command (see :func:`execute`)."""
    from zcli.grammar import build_request

    api = cmd.api
    if api.name in (LOGOUT, RENEW) and "sessionUuid" not in cmd.params:
        if not ctx.client.session_uuid:
            raise AuthError(f"not logged in to {ctx.endpoint}: no session to "
                            + ("log out of" if api.name == LOGOUT else "renew"))
        cmd.params["sessionUuid"] = ctx.client.session_uuid
    if api.session and not ctx.client.session_uuid and ctx.client.access_key is None:
        raise AuthError(f"not logged in to {ctx.endpoint}: {login_hint(ctx)}")
    request = build_request(cmd)
    for note in cmd.notes:
        ctx.tell(note)
    try:
        try:
            reply = ctx.client.send(request, secrets=cmd.secret_params)
        except ApiError as exc:
            reply = _additional_auth(ctx, cmd, exc)
    except AuthError as exc:
        if exc.code != SESSION_EXPIRED:
            raise
        expired = cmd.params.get("sessionUuid") if api.name == LOGOUT else ctx.client.session_uuid
        hint = login_hint(ctx)
        _forget(ctx, expired)
        if api.name == LOGOUT:  # logging out of a session that has already ended: done
            return Result(api, {}, None)
        raise AuthError(f"{exc.message} on {ctx.endpoint}; the kept session is cleared: {hint}") \
            from None
    reply.pop("schema", None)
    from zcli.api import logins

    role = logins.role(api)
    if role == logins.LOGIN:
        _keep(ctx, cmd, reply)
    elif role == logins.RENEW:
        _renewed(ctx, reply)
    elif api.name == LOGOUT:
        _forget(ctx, cmd.params.get("sessionUuid"))
    return Result(api, reply, result_inventory(ctx, api, reply), asked_fields(cmd))


def _additional_auth(ctx: Context, cmd: Command, exc: ApiError) -> dict:
    """A login refused for want of a captcha or second factor (:mod:`zcli.api.extra_auth`): on a terminal, ask
    for the code and log in again; else AuthError (exit 4) saying what is needed. Other errors pass through."""
    from zcli.api import extra_auth, logins

    if exc.code not in extra_auth.AUTH_CODES:
        raise exc
    if exc.code == extra_auth.LOCKED:
        raise AuthError(f"{exc}; {extra_auth.locked_hint(cmd.api.name, cmd.params)}", exc.code) from None
    captcha = exc.code == extra_auth.CAPTCHA_MISSING
    if not captcha and (exc.code != extra_auth.NEED or logins.role(cmd.api) != logins.LOGIN):
        raise AuthError(str(exc), exc.code) from None
    procedures = ["captcha"] if captcha else extra_auth.needed(str((exc.error or {}).get("details") or exc.details))
    given = "captchaUuid" in cmd.params if captcha else (
        extra_auth.has_token(cmd.params) if extra_auth.TWO_FACTOR in procedures else "verifyCode" in cmd.params)
    if ctx.ask_secret is None or given:
        hint = extra_auth.captcha_hint(cmd.api.name, cmd.params) if captcha \
            else extra_auth.script_hint(cmd.api.name, procedures)
        raise AuthError(f"{exc.code}: {hint}", exc.code) from None
    from zcli.grammar import build_request, parse_command

    if "captcha" in procedures:
        name, login_type = extra_auth.login_name(cmd.params, cmd.api.name)
        got = ctx.client.send(build_request(parse_command(
            ["GetLoginCaptcha", f"resourceName={name}", f"loginType={login_type}"], ctx.catalog)))
        if not got.get("captchaUuid"):
            raise AuthError(f"{exc.code}: the server asks for a captcha but GetLoginCaptcha gave none", exc.code)
        cmd.params["captchaUuid"] = got.get("captchaUuid")
        ctx.tell(f"the server wants a captcha: the image is in {_keep_captcha(got.get('captcha'))}; open it to "
                 "read the code")
    procedure = procedures[0] if procedures else extra_auth.TWO_FACTOR
    prompt = extra_auth.PROMPTS.get(procedure, extra_auth.PROMPTS[extra_auth.TWO_FACTOR])[0]
    extra_auth.add_answer(cmd.params, procedure, ctx.ask_secret(prompt, True).strip())
    try:
        return ctx.client.send(build_request(cmd), secrets=cmd.secret_params)
    except ApiError as again:
        if again.code in extra_auth.AUTH_CODES:
            raise AuthError(str(again), again.code) from None
        raise


def _keep_captcha(data: object) -> str:
    """Write a captcha image (base64, maybe a ``data:`` URL) to a private file; where it is."""
    import base64
    import os
    import tempfile

    text = str(data or "")
    raw = base64.b64decode(text.split(",", 1)[-1] or b"", validate=False)
    fd, path = tempfile.mkstemp(prefix="zcli-captcha-", suffix=".png")  # mode 0600
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    return path


def asked_fields(cmd: Command) -> list[str] | None:
    """The fields a query's ``fields=`` names, in order (they become the columns), or None."""
    return list(cmd.options.fields) or None


def iter_pages(words: list[str], ctx: Context, *, validate: bool = True) -> Iterator[Result]:
    """Run a query page by page (``limit``/``start``) to the end, yielding each page's result.

    The page size is the command's ``limit`` or :data:`PAGE_SIZE`; paging starts at its ``start``.

    Raises:
        UsageError: the API is not a query, or the words are wrong.
    """
    from zcli.grammar import parse_command

    if words and is_zql(words[0]):
        raise UsageError("--all pages through q= queries; ZQL pages with limit and offset", word="--all")
    cmd = parse_command(words, ctx.catalog, validate=validate)
    if not cmd.api.query:
        raise UsageError(f"--all pages through queries; {cmd.api.name} is not one", word=cmd.api.name)
    if cmd.options.count:
        yield run(cmd, ctx)  # a count has no pages
        return
    size = PAGE_SIZE if cmd.options.limit is None else cmd.options.limit
    if size <= 0:
        raise UsageError("--all needs a limit of at least 1", word=f"limit={size}")
    start = cmd.options.start or 0
    while True:
        cmd.options = cmd.options.page(size, start)
        result = run(cmd, ctx)
        yield result
        got = len(result.reply.get("inventories") or ())
        if got < size:
            return
        start += got


def _keep(ctx: Context, cmd: Command, reply: dict) -> None:
    """Keep the session a login answered with (every login API: :mod:`zcli.api.logins`), with who it is, the
    login kind, its expiry and the server's version (GetVersion, asked once per endpoint)."""
    from zcli.api import logins

    inventory = reply.get("inventory") or {}
    session = inventory.get("uuid") if isinstance(inventory, dict) else None
    if not session:
        return
    kept = ctx.store.about(ctx.endpoint) if ctx.store is not None else None
    current = None
    if kept and kept.get("uuid") == ctx.client.session_uuid:
        current = logins.Identity(kept.get("login_account"), kept.get("user"), str(kept.get("kind") or ""))
    who = logins.identity(cmd.api.name, cmd.params, inventory, current)
    ctx.client.session_uuid = session
    ctx.account = who.key
    ctx.login = {"account": who.account, "user": who.user, "kind": who.kind,
                 "expires": inventory.get("expiredDate"), "created": inventory.get("createDate"),
                 "version": server_version(ctx, kept)}
    ctx.client.who = logins.describe_login(ctx.login)
    if ctx.store is not None:
        ctx.store.save(ctx.endpoint, who.key, session, login_account=who.account, user=who.user, kind=who.kind,
                       expires=inventory.get("expiredDate"), created=inventory.get("createDate"),
                       version=ctx.login["version"])


def server_version(ctx: Context, kept: dict | None) -> str | None:
    """The server's version: the one kept with a session of this endpoint, else asked with GetVersion (once)."""
    if kept and kept.get("version"):
        return str(kept["version"])
    if ctx.server_version:
        return ctx.server_version
    from zcli.errors import ZcliError

    try:
        from zcli.grammar import build_request, parse_command

        reply = ctx.client.send(build_request(parse_command(["GetVersion"], ctx.catalog)))
    except (ZcliError, KeyError):  # an old server without GetVersion: the version stays unknown
        return None
    version = reply.get("version")
    ctx.server_version = str(version) if version else None
    ctx.client.server_version = ctx.server_version
    return ctx.server_version


def _renewed(ctx: Context, reply: dict) -> None:
    """Keep the new expiry of a renewed session."""
    inventory = reply.get("inventory") or {}
    if isinstance(inventory, dict) and inventory.get("uuid") and ctx.store is not None:
        ctx.store.update(ctx.endpoint, str(inventory["uuid"]), expires=inventory.get("expiredDate"))
    if ctx.login is not None and isinstance(inventory, dict) and inventory.get("uuid") == ctx.client.session_uuid:
        ctx.login["expires"] = inventory.get("expiredDate")


def _forget(ctx: Context, session: object) -> None:
    """Forget ``session``: the client stops sending it and any kept file holding it goes."""
    if not session:
        return
    if ctx.client.session_uuid == session:
        ctx.client.session_uuid = None
        ctx.account = None
    if ctx.store is not None:
        ctx.store.discard(ctx.endpoint, str(session))


def result_inventory(ctx: Context, api: Api, reply: dict) -> str | None:
    """The inventory a reply holds: the API's own, or for a create or action the inventory whose name
    appears in the API's name (``CreateZone`` → ``ZoneInventory``, ``StartVmInstance`` → ``VmInstanceInventory``)."""
    if api.inventory:
        return api.inventory
    if not ("inventory" in reply or "inventories" in reply):
        return None
    best = None
    for name in ctx.catalog.inventory_names:
        stem = name.removesuffix("Inventory")
        if stem and stem in api.name and (best is None or len(stem) > len(best.removesuffix("Inventory"))):
            best = name
    return best
