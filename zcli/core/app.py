"""The face-neutral core both faces drive: environment, connection, run options, redaction, run, report.

The one-shot face is argv → :class:`Core` → print the :class:`~zcli.core.outcome.Outcome`; the shell is a
prompt loop, kept results and built-ins over the same object. Everything a run decides (the default
format, the notes, what a line's own options change, how a failure reads) is decided here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zcli.core.environment import Environment
from zcli.core.outcome import Outcome, RunOptions
from zcli.core.present import View, choose_format, compile_query, default_limit_note, format_result
from zcli.core.report import Report
from zcli.errors import UsageError
from zcli.options import OutputFormat

if TYPE_CHECKING:  # pragma: no cover
    from zcli.catalog import Catalog
    from zcli.commands.context import Context, Result
    from zcli.config import Settings


def run_options(settings: Settings, environment: Environment) -> RunOptions:
    """The run options ``settings`` give in ``environment`` (colour: when stdout is a terminal, unless set)."""
    color = settings.color if settings.color is not None else environment.stdout_isatty
    return RunOptions(output=settings.output, terminal_output=settings.terminal_output, query=settings.query,
                      all=settings.all, validate=settings.validate, color=color, debug=settings.debug)


def connect(settings: Settings, environment: Environment, *, catalog: Catalog, store: Any = True,
            report: Report | None = None, **client_args: Any) -> Context:
    """A connection to ``settings.url``: the client the settings describe, the session kept for it.

    Args:
        settings: from :func:`zcli.config.resolve`.
        environment: gives the spinner (stderr on a terminal), the password prompt (stdin on a
            terminal) and the debug log (stderr).
        catalog: the catalogue.
        store: a SessionStore, None for no kept sessions (``--demo``), or True for the state folder's.
        report: remembers the secrets asked for, and shows the grammar's notes and, for a connection that
            does not verify TLS (``insecure``), the warning.
        client_args: more :class:`~zcli.api.client.ApiClient` arguments (tests).
    """
    from zcli.api.client import ApiClient
    from zcli.commands.context import Context

    if settings.insecure and report is not None:  # said once a connection: at start, on connect and on use
        from zcli.api.tls import INSECURE_WARNING

        report.error(INSECURE_WARNING)
    if store is True:
        from zcli.sessions import SessionStore

        store = SessionStore(environment.state_dir)
    on_wait = None
    if environment.stderr_isatty:
        from zcli.output.spinner import Spinner

        on_wait = Spinner(environment.stderr)
    log = None
    if settings.debug:
        from zcli.output.safe import message_line

        def log(line: str) -> None:
            environment.stderr.write(f"debug: {message_line(line)}\n")
    from zcli.api.deadline import reply_limit
    from zcli.commands.context import catalogue_version

    client_args.setdefault("max_reply", reply_limit(environment.env))
    client_args.setdefault("standby", settings.standby_urls)  # the other management nodes (failover)
    client_args.setdefault("api_timeout", settings.timeout)  # X-API-Timeout where --timeout is given
    if "access_key" not in client_args and settings.access_key_id:  # signing: imported only when a key is set
        from zcli.api.accesskey import load_access_key

        client_args["access_key"] = load_access_key(settings.access_key_id, settings.access_key_secret_file,
                                                    environment.env)
    client = ApiClient(settings.url, timeout=settings.http_timeout, verify=settings.verify, on_wait=on_wait,
                       wait_timeout=settings.timeout, log=log, **client_args)
    meta = (getattr(catalog, "store", None) and catalog.store.meta) or {}
    client.catalogue_version = catalogue_version(meta)
    ask = None
    if environment.stdin_isatty:  # a person is there: ask, not fail
        def ask(prompt: str, echo: bool = False) -> str:
            value = environment.ask(prompt, echo)
            if not echo and report is not None:
                report.secrets.remember_value(value)
            return value
    note = report.note if report is not None else None
    remember = report.secrets.remember_value if report is not None else None
    return Context.open(catalog, client, settings.url, store=store or None, ask_secret=ask, note=note,
                        remember_secret=remember)


class Core:
    """One session of zcli, whichever face drives it.

    Args:
        environment: streams, terminal flags, width, environment variables.
        connection: the endpoint, client and kept session (``connect``/``use`` replace it).
        options: the run options; a line's own options apply to a copy, for that line.
        settings: what the options came from (``connect``/``use`` resolve their endpoint under it).
        report: the error report (made for ``environment`` when not given).
    """

    def __init__(self, environment: Environment, connection: Context, options: RunOptions | None = None, *,
                 settings: Settings | None = None, report: Report | None = None):
        self.environment = environment
        self.connection = connection
        self.options = options or RunOptions()
        self.settings = settings
        self.report = report or Report(environment, debug=self.options.debug)
        self.report.json_errors = self.options.output == "json"  # asked for: a script reads the ErrorCode whole
        if connection.note is None:
            connection.note = self.report.note

    @classmethod
    def open(cls, environment: Environment, settings: Settings, *, report: Report | None = None,
             catalog: Catalog | None = None, store: Any = True) -> Core:
        """The core for ``settings`` in ``environment``: the user's catalogue, the session kept for the endpoint."""
        if catalog is None:
            from zcli.catalog import load_catalog

            catalog = load_catalog(environment.env)
        report = report or Report(environment, debug=settings.debug)
        connection = connect(settings, environment, catalog=catalog, store=store, report=report)
        return cls(environment, connection, run_options(settings, environment), settings=settings, report=report)

    # --- what the faces ask --------------------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        return self.connection.catalog

    @property
    def format(self) -> OutputFormat:
        """The output format of a line without its own ``-o``."""
        return self.format_for(self.options)

    def format_for(self, options: RunOptions) -> OutputFormat:
        return choose_format(options.output, options.terminal_output, self.environment.stdout_isatty)

    def view(self, options: RunOptions | None = None) -> View:
        """What rendering needs, now (the width follows the terminal)."""
        options = options or self.options
        return View(self.catalog, width=self.environment.width, color=options.color,
                    endpoint=self.connection.endpoint, terminal=self.environment.stdout_isatty)

    def line_options(self, words: list[str]) -> tuple[RunOptions, list[str]]:
        """The run options for a line with its own ``-o``/``--query``/``--all``/``--no-validate`` taken
        out, and the line's other words.

        Raises:
            UsageError: such an option is malformed (no value, an unknown format).
        """
        from zcli.options import LineOptionError, split_line_options

        try:
            overrides, rest = split_line_options(words)
        except LineOptionError as exc:
            raise UsageError(str(exc), word=exc.word) from None
        return self.options.with_line(overrides), rest

    # --- running ---------------------------------------------------------------------------------------
    def run(self, words: list[str], *, shown: Callable[[Result], Result] | None = None) -> Outcome:
        """Run one command line's ``words`` (an API and its arguments, maybe the line's own options).

        Args:
            words: the line's words.
            shown: makes the result that is printed and handed back from the one received (the shell
                masks secrets in what it shows and keeps; one-shot prints the reply as it came).

        Returns:
            the outcome: its text, or for ``--all`` its pages (requests run as they are read), and notes.

        Raises:
            ZcliError: the command failed (nothing printed: the face reports it).
        """
        from zcli.commands import execute, iter_pages

        self.report.secrets.remember(words)
        options, words = self.line_options(words)
        if not words:
            raise UsageError("no command given")
        fmt = self.format_for(options)
        query = compile_query(options.query)  # a bad expression fails before anything is sent
        view = self.view(options)
        client = self.connection.client
        if options.all:
            from zcli.core.present import page_texts

            def pages():
                with client.command():  # --timeout bounds the whole command: every page
                    got = iter_pages(words, self.connection, validate=options.validate)
                    if shown is not None:  # each page is shown as a whole reply would be
                        got = map(shown, got)
                    yield from page_texts(got, view, fmt, query)

            return Outcome(fmt, pages=pages())
        with client.command():  # --timeout bounds the whole command: the exchanges and the job wait
            result = execute(words, self.connection, validate=options.validate)
        if shown is not None:
            result = shown(result)
        note = default_limit_note(words, result)  # more rows may exist, and nothing else would say so
        notes = [note] if note else []
        return Outcome(fmt, text=format_result(result, view, fmt, query), notes=notes, result=result)

    def render(self, result: Result, fmt: OutputFormat | str | None = None) -> str:
        """``result`` (a kept one) as text in ``fmt``, by default the current format, through ``--query``."""
        fmt = self.format if fmt is None else OutputFormat(fmt)
        return format_result(result, self.view(), fmt, compile_query(self.options.query))

    def print(self, outcome: Outcome, *, pager: bool = False) -> None:
        """Write ``outcome`` to stdout (a table through the pager when ``pager`` and on a terminal), then
        its notes to stderr."""
        env = self.environment
        if pager and outcome.pages is None and outcome.fmt == OutputFormat.TABLE and env.stdout_isatty:
            from zcli.output.pager import page

            page(outcome.text, out=env.stdout, isatty=True, env=env.env)
        else:
            for chunk in outcome.chunks():
                env.write(chunk)
        for note in outcome.notes:
            self.report.note(note)

    # --- settings and endpoints ------------------------------------------------------------------------
    def set_options(self, **changes: Any) -> None:
        """Change the run options from now on (the shell's ``set output``)."""
        self.options = self.options._replace(**changes)

    def connect_url(self, url: str) -> None:
        """Switch to another endpoint with the same settings (the shell's ``connect``)."""
        from zcli.config import Settings

        settings = (self.settings or Settings()).replace(url=url)
        self.connection = connect(settings, self.environment, catalog=self.catalog, store=self._store(),
                                  report=self.report)
        self.settings = settings

    def use_profile(self, profile: str) -> None:
        """Switch to a profile of the config file: every setting from it (or the defaults), under this
        run's own command-line options, none kept from the old one (the shell's ``use``)."""
        from zcli.config import config_file, load_config, resolve

        given = {**(self.settings.given if self.settings else {}), "profile": profile}
        env = self.environment.env
        settings = resolve(given, env, load_config(config_file(env)))
        self.connection = connect(settings, self.environment, catalog=self.catalog, store=self._store(),
                                  report=self.report)
        self.settings = settings
        self.options = run_options(settings, self.environment)

    def _store(self) -> Any:
        return self.connection.store  # None stays None (--demo keeps no sessions)
