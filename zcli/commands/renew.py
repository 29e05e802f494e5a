"""The shell's background renewal of its session (the rule: :mod:`zcli.api.renewal`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from zcli.api.renewal import Renewer
    from zcli.commands.context import Context


def renew_session(ctx: Context) -> None:
    """Send RenewSession for the session in use on a connection of its own, and keep its new expiry."""
    if not ctx.client.session_uuid or ctx.client.access_key is not None:
        return
    from zcli.api.client import ApiClient
    from zcli.commands.execute import _renewed
    from zcli.grammar import build_request, parse_command

    own = ApiClient(ctx.client.base_url, timeout=ctx.client.timeout, verify=ctx.client.verify,
                    session_uuid=ctx.client.session_uuid, standby=ctx.client.nodes[1:])
    try:
        cmd = parse_command(["RenewSession", f"sessionUuid={ctx.client.session_uuid}"], ctx.catalog)
        _renewed(ctx, own.send(build_request(cmd)))
    finally:
        own.close()


def start_renewer(current: Callable[[], Context]) -> Renewer:
    """A started :class:`~zcli.api.renewal.Renewer` for the shell's context of the moment (``connect`` and
    ``use`` replace it)."""
    import os

    from zcli.api.renewal import Renewer, clock_from, idle_timeout

    renewer = Renewer(lambda: renew_session(current()), lambda: idle_timeout(current().login),
                      clock=clock_from(os.environ), session=lambda: current().client.session_uuid)
    renewer.start()
    return renewer
