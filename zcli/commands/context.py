"""What running a command needs: the catalogue, the client, the endpoint, the kept session and the settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from zcli.api.client import ApiClient
    from zcli.catalog import Api, Catalog
    from zcli.config import Settings
    from zcli.sessions import SessionStore


@dataclass
class Result:
    """The outcome of one command.

    Attributes:
        api: the API called.
        reply: the reply body less the server's ``schema`` map.
        inventory: the inventory the reply holds, when known (tables use it to choose columns).
        fields: the fields the command asked for (``fields=a,b``), which are then the columns; else None.
    """

    api: Api
    reply: dict
    inventory: str | None = None
    fields: list[str] | None = None


@dataclass
class Context:
    """A connection to one endpoint and the settings commands run with.

    Attributes:
        catalog: the API catalogue.
        client: the API client (its ``session_uuid`` is the session in use).
        endpoint: the base URL, e.g. ``http://localhost:8080/zstack``.
        store: where sessions are kept, or None to keep none (``--demo``).
        account: the account of the session in use, when known.
        output: the output format, or None for "table on a terminal, JSON otherwise".
        query: a JMESPath expression applied to each reply, or None.
        all: follow ``limit``/``start`` pages to the end.
        validate: check names against the catalogue before sending.
        color: colour the output.
        width: the terminal width to render at.
        debug: show HTTP exchanges and tracebacks of internal errors.
        given: this run's command-line options (``use PROFILE`` resolves the profile under them).
        ask_secret: ``ask_secret(prompt, echo)`` asks for a missing required parameter when stdin is a
            terminal (a secret without echo); None (not a terminal): a missing parameter is the grammar's
            usage error (exit 2).
        note: shows a note the user should read although the command goes ahead (stderr); None: written to
            ``sys.stderr`` as ``zcli: NOTE``.
    """

    catalog: Catalog
    client: ApiClient
    endpoint: str
    store: SessionStore | None = None
    account: str | None = None
    output: str | None = None
    query: str | None = None
    all: bool = False
    validate: bool = True
    color: bool = False
    width: int = 80
    debug: bool = False
    given: dict[str, Any] = field(default_factory=dict)
    ask_secret: Callable[[str, bool], str] | None = None
    note: Callable[[str], None] | None = None

    def tell(self, text: str) -> None:
        """Show ``text`` as a note on stderr (see ``note``)."""
        if self.note is not None:
            self.note(text)
        else:
            import sys

            sys.stderr.write(f"zcli: {text}\n")
            sys.stderr.flush()

    @classmethod
    def from_settings(cls, settings: Settings, *, env: Mapping[str, str] = os.environ, catalog: Catalog | None = None,
                      store: SessionStore | bool | None = True, color: bool = False, width: int = 80,
                      on_wait: Callable[[float | None], None] | None = None,
                      log: Callable[[str], None] | None = None, **client_args: Any) -> Context:
        """Build a context for ``settings``, with the session kept for its endpoint.

        Args:
            settings: from :func:`zcli.config.resolve`.
            env: the environment (for the state folder and the user's catalogue files).
            catalog: the catalogue; the user's (``load_catalog(env)``) by default.
            store: a SessionStore, None for no kept sessions, or True for the one in the state folder.
            color: whether to colour (the caller decides from the settings and the terminal).
            width: the terminal width.
            on_wait: the client's async-job callback (a spinner).
            log: the client's debug log.
            client_args: more :class:`~zcli.api.client.ApiClient` arguments (tests).
        """
        from zcli.api.client import ApiClient

        if catalog is None:
            from zcli.catalog import load_catalog

            catalog = load_catalog(env)
        if store is True:
            from zcli.paths import state_dir
            from zcli.sessions import SessionStore

            store = SessionStore(state_dir(env))
        from zcli.api.deadline import reply_limit

        client_args.setdefault("max_reply", reply_limit(env))
        client = ApiClient(settings.url, timeout=settings.http_timeout, verify=settings.verify, on_wait=on_wait,
                           wait_timeout=settings.timeout, log=log, **client_args)
        ctx = cls(catalog=catalog, client=client, endpoint=settings.url, store=store or None,
                  output=settings.output, query=settings.query, all=settings.all, validate=settings.validate,
                  color=color, width=width, debug=settings.debug, given=dict(settings.given))
        ctx.use_kept_session()
        return ctx

    def use_kept_session(self) -> None:
        """Send the session kept for this endpoint, if any (with no store, the client's session stays)."""
        if self.store is not None:
            self.account, self.client.session_uuid = self.store.current(self.endpoint) or (None, None)
