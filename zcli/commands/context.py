"""What running a command needs: the catalogue, the client, the endpoint, the kept session and the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from zcli.record import Record

if TYPE_CHECKING:  # pragma: no cover
    from zcli.api.client import ApiClient
    from zcli.catalog import Api, Catalog
    from zcli.sessions import SessionStore


class Result(Record):
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


class Context(Record):
    """A connection to one endpoint: what running a command needs besides the words.

    The run options (output format, ``--query``, ``--all``, validation) are not here: they belong to the
    face-neutral core (:class:`zcli.core.RunOptions`), frozen, and reach :func:`zcli.commands.execute` as
    arguments. What changes here is the session: a log-in or log-out sets ``account`` and the client's
    ``session_uuid``.

    Attributes:
        catalog: the API catalogue.
        client: the API client (its ``session_uuid`` is the session in use).
        endpoint: the base URL, e.g. ``http://localhost:8080/zstack``.
        store: where sessions are kept, or None to keep none (``--demo``).
        account: the account of the session in use, when known.
        ask_secret: ``ask_secret(prompt, echo)`` asks for a missing required parameter when stdin is a
            terminal (a secret without echo); None (not a terminal): a missing parameter is the grammar's
            usage error (exit 2).
        remember_secret: told each secret read for a command (``password=@FILE``, ``@-``), so that the face's
            redaction masks it in every later message; None: nothing to tell.
        note: shows a note the user should read although the command goes ahead (stderr); None: written to
            ``sys.stderr`` as ``zcli: NOTE``.
    """

    catalog: Catalog
    client: ApiClient
    endpoint: str
    store: SessionStore | None = None
    account: str | None = None
    ask_secret: Callable[[str, bool], str] | None = None
    note: Callable[[str], None] | None = None
    remember_secret: Callable[[str], None] | None = None
    #: What is kept about the session in use (account, user, kind, expires, created, version), or None.
    login: dict | None = None
    #: The server's version (GetVersion), once known.
    server_version: str | None = None

    def tell(self, text: str) -> None:
        """Show ``text`` as a note on stderr (see ``note``)."""
        if self.note is not None:
            self.note(text)
        else:
            import sys

            sys.stderr.write(f"zcli: {text}\n")
            sys.stderr.flush()

    @classmethod
    def open(cls, catalog: Catalog, client: ApiClient, endpoint: str, *, store: SessionStore | None = None,
             ask_secret: Callable[[str, bool], str] | None = None, note: Callable[[str], None] | None = None,
             remember_secret: Callable[[str], None] | None = None) -> Context:
        """A connection that sends the session kept for ``endpoint`` in ``store``, if any."""
        ctx = cls(catalog=catalog, client=client, endpoint=endpoint, store=store, ask_secret=ask_secret, note=note,
                  remember_secret=remember_secret)
        ctx.use_kept_session()
        return ctx

    def use_kept_session(self) -> None:
        """Send the session kept for this endpoint, if any (with no store, the client's session stays)."""
        if self.store is not None:
            about = self.store.about(self.endpoint)
            self.account, self.client.session_uuid = (about["account"], about["uuid"]) if about else (None, None)
            self.login = None if about is None else {
                # a file of an older zcli has no kind: its key was the account
                "account": about.get("login_account") if "kind" in about else about.get("account"),
                "user": about.get("user"), "kind": about.get("kind") or "account", "expires": about.get("expires"),
                "created": about.get("created"), "version": about.get("version")}
            self.server_version = about.get("version") if about else None
            self.client.server_version = self.server_version
            from zcli.api.logins import describe_login

            self.client.who = describe_login(self.login)


def catalogue_version(meta: dict) -> str | None:
    """The catalogue's version as named in messages: ``5.2.1 (zstackio/zstack@5a29293)``."""
    source = f"{meta.get('reference')}@{str(meta.get('commit'))[:7]}" if meta.get("commit") else None
    version = meta.get("version")
    if version and source:
        return f"{version} ({source})"
    return version or source
