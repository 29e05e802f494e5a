"""Run a command: parse the words, send the request, and keep or forget the session on log-in and log-out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from zcli.api.replies import SESSION_EXPIRED
from zcli.commands.context import Context, Result
from zcli.errors import AuthError, UsageError
from zcli.zql import is_zql

if TYPE_CHECKING:  # pragma: no cover
    from zcli.catalog import Api
    from zcli.grammar import Command

#: The page size of ``--all`` when the command names no ``limit`` (the server's own default).
PAGE_SIZE = 1000
LOGOUT = "LogOut"


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
    if api.name == LOGOUT and "sessionUuid" not in cmd.params:
        if not ctx.client.session_uuid:
            raise AuthError(f"not logged in to {ctx.endpoint}: nothing to log out of")
        cmd.params["sessionUuid"] = ctx.client.session_uuid
    if api.session and not ctx.client.session_uuid:
        raise AuthError(f"not logged in to {ctx.endpoint}: {login_hint(ctx)}")
    request = build_request(cmd)
    for note in cmd.notes:
        ctx.tell(note)
    try:
        reply = ctx.client.send(request, secrets=cmd.secret_params)
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
    if api.name.startswith("LogIn"):
        _keep(ctx, cmd, reply)
    elif api.name == LOGOUT:
        _forget(ctx, cmd.params.get("sessionUuid"))
    return Result(api, reply, result_inventory(ctx, api, reply), asked_fields(cmd))


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
    inventory = reply.get("inventory") or {}
    session = inventory.get("uuid") if isinstance(inventory, dict) else None
    if not session:
        return
    p = cmd.params
    account = str(p.get("accountName") or p.get("accountUuid") or p.get("name") or inventory.get("accountUuid")
                  or "session")
    if p.get("userName"):
        account = f"{account}/{p['userName']}"
    ctx.client.session_uuid = session
    ctx.account = account
    if ctx.store is not None:
        ctx.store.save(ctx.endpoint, account, session)


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
