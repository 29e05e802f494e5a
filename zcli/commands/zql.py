"""Run a ZQL line: check it, send it as ZQLQuery (``GET /v1/zql?zql=…``), keep its statements with the reply.

The line is parsed before anything is sent, and with validation its names are checked against the
catalogue: a :class:`~zcli.zql.errors.ZQLError`, raised as the usage error (exit status 2), means nothing
was sent. ``--no-validate``
lets unknown names through; the syntax is always checked (the server could not read what the parser
cannot).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zcli.commands.context import Result
from zcli.record import Factory

if TYPE_CHECKING:  # pragma: no cover
    from zcli.commands.context import Context


class ZQLResult(Result):
    """A ZQLQuery result, with the text sent and its parsed statements (they shape the tables)."""

    text: str = ""
    statements: list[Any] = Factory(list)


def check_zql(text: str, catalog, *, validate: bool = True) -> list:
    """The statements of ``text``; a UsageError (the language's ZQLError translated) when it does not parse
    or (with ``validate``) names what the catalogue does not know."""
    from zcli.errors import UsageError
    from zcli.zql.errors import ZQLError
    from zcli.zql.schema import schema_for
    from zcli.zql.validate import check

    try:
        return check(text, schema_for(catalog) if validate else None)
    except ZQLError as exc:
        raise UsageError.of(exc) from None


def execute_zql(text: str, ctx: Context, *, validate: bool = True) -> ZQLResult:
    """Check and send one ZQL line (several statements separated by ``;``).

    Raises:
        UsageError: the line is wrong; nothing was sent.
        AuthError, ApiError, TransportError: as for any API.
    """
    from zcli.commands.execute import run
    from zcli.grammar import parse_command

    text = text.strip()
    statements = check_zql(text, ctx.catalog, validate=validate)
    cmd = parse_command(["ZQLQuery", f"zql={text}"], ctx.catalog, validate=True)
    result = run(cmd, ctx)
    return ZQLResult(result.api, result.reply, None, None, text=text, statements=statements)
