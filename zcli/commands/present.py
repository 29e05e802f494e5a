"""From a result to text: the ``--query`` (JMESPath) projection, the format, and streaming for ``--all``.

The output package renders; this module decides what to hand it. ``jmespath`` is imported only when
``--query`` is given, and the renderers only when something is printed.
"""

from __future__ import annotations

from typing import Any, TextIO

from zcli.commands.context import Context, Result
from zcli.errors import UsageError


def choose_format(ctx: Context, isatty: bool) -> str:
    """The output format: the one asked for, else a table on a terminal and JSON when piped."""
    return ctx.output or ("table" if isatty else "json")


def compile_query(expression: str | None) -> Any:
    """A compiled JMESPath expression, or None.

    Raises:
        UsageError: the expression does not parse (checked before anything is sent).
    """
    if not expression:
        return None
    import jmespath

    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        reason = " ".join(str(exc).split())
        raise UsageError(f"--query '{expression}' is not JMESPath: {reason}", word=expression) from None


def project(query: Any, reply: dict) -> Any:
    """``reply`` through the compiled ``query`` (None: unchanged)."""
    return reply if query is None else query.search(reply)


def format_result(result: Result, ctx: Context, fmt: str, query: Any = None) -> str:
    """The text of ``result`` in ``fmt`` (ending with a newline; empty when there is nothing to show).

    With a ``--query``, its value is rendered as it is (a list, a value) and the columns come from it.
    A table of an empty reply (``LogOut``, most deletes) is a short confirmation, so that a person sees
    that it was done; the other formats print the reply as it is (``{}`` in JSON) for scripts.
    """
    from zcli.output import render

    if fmt == "table" and query is None and result.reply == {}:
        return confirmation(result, ctx)
    value = project(query, result.reply)
    inventory = None if query is not None else result.inventory
    return render(value, fmt, inventory=inventory, width=ctx.width, color=ctx.color, catalog=ctx.catalog)


def confirmation(result: Result, ctx: Context) -> str:
    """One line saying that a command with nothing to show was done."""
    if result.api.name == "LogOut":
        return f"logged out of {ctx.endpoint}\n"
    return f"{result.api.name}: done\n"


def stream_pages(pages, ctx: Context, fmt: str, out: TextIO, query: Any = None) -> None:
    """Write each page of an ``--all`` run as it arrives (one page in memory at a time).

    Args:
        pages: results from :func:`zcli.commands.iter_pages`.
        ctx: the context (width, colour).
        fmt: the output format.
        out: where to write.
        query: a compiled ``--query``, applied to each page's reply; it should give a list.
    """
    from zcli.output import StreamWriter

    writer = None
    try:
        for result in pages:
            value = project(query, result.reply)
            if isinstance(value, dict) and "inventories" in value:
                items = value.get("inventories") or []
            elif isinstance(value, list):
                items = value
            elif value is None:
                items = []
            else:
                items = [value]
            if writer is None:
                inventory = None if query is not None else result.inventory
                writer = StreamWriter(fmt, out, inventory=inventory, width=ctx.width, color=ctx.color,
                                      catalog=ctx.catalog)
            writer.write(items)
    finally:
        if writer is not None:
            writer.close()
