"""The one-shot face's work once the options are parsed: one command or a batch, printed.

Everything the runs touch (streams, terminal flags, environment) comes in a :class:`Terminal`, so
tests can run them without a process; :mod:`zcli.cli` builds one from ``sys``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from zcli.errors import UsageError, ZcliError

if TYPE_CHECKING:  # pragma: no cover
    from zcli.commands.context import Context
    from zcli.config import Settings
    from zcli.secrets import Redactor


def _redactor() -> Redactor:
    from zcli.secrets import Redactor

    return Redactor()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Terminal:
    """The process's streams and environment."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    debug: bool = False  # set from --debug: the edge then shows tracebacks of internal errors
    redactor: Redactor = field(default_factory=lambda: _redactor())  # the secrets given in this run

    @property
    def stdin_isatty(self) -> bool:
        return _isatty(self.stdin)

    @property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_isatty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def width(self) -> int:
        import shutil

        return shutil.get_terminal_size().columns  # COLUMNS wins; 80 when not a terminal

    def keep_secrets(self, words: list[str]) -> None:
        """Remember the secrets typed in ``words`` (``password=...``, a URL's password, a password tag's
        value, a value typed apart from its secret key), so that no message shows them."""
        self.redactor.remember(words)

    def ask_secret(self, prompt: str, echo: bool = False) -> str:
        """Ask for a missing parameter on the terminal: a secret without echo, anything else with it
        (:func:`zcli.secrets.prompt_echoes` decides); Ctrl-D (or Ctrl-C) interrupts the command."""
        try:
            if echo:
                self.stderr.write(prompt)
                self.stderr.flush()
                line = self.stdin.readline()
                if not line:
                    raise EOFError
                return line.rstrip("\r\n")
            import getpass

            value = getpass.getpass(prompt, stream=self.stderr)
        except EOFError:
            raise KeyboardInterrupt from None
        self.redactor.remember_value(value)
        return value

    def error(self, message: str) -> None:
        """One line on stderr, prefixed ``zcli:``; a secret given in this run is masked, server text in it
        shown safe (:func:`zcli.output.safe.message_line`)."""
        from zcli.output.safe import message_line

        self.stderr.write(f"zcli: {message_line(self.redact(message))}\n")
        self.stderr.flush()

    def redact(self, text: str) -> str:
        """``text`` with each secret given in this run masked (:class:`zcli.secrets.Redactor`)."""
        return self.redactor.text(text)


def make_context(settings: Settings, term: Terminal, **kwargs: Any) -> Context:
    """A :class:`Context` for ``settings``: colour, width, spinner and debug log chosen for ``term``."""
    from zcli.commands.context import Context

    if settings.insecure:  # --insecure or ZCLI_INSECURE: said once, on stderr
        from zcli.api.tls import INSECURE_WARNING

        term.error(INSECURE_WARNING)
    color = settings.color if settings.color is not None else term.stdout_isatty
    on_wait = None
    if term.stderr_isatty:
        from zcli.commands.spinner import Spinner

        on_wait = Spinner(term.stderr)
    log = None
    if settings.debug:
        from zcli.output.safe import message_line

        def log(line: str) -> None:
            term.stderr.write(f"debug: {message_line(line)}\n")

    ctx = Context.from_settings(settings, env=term.env, color=color, width=term.width, on_wait=on_wait, log=log,
                                **kwargs)
    if term.stdin_isatty:  # a person is there: ask for a missing password rather than fail
        ctx.ask_secret = term.ask_secret
    return ctx


class Runner:
    """Runs commands against one context and prints their results.

    Args:
        ctx: the context.
        term: the streams.
        pager: send a table on a terminal through the pager (one-shot commands; not batches).
    """

    def __init__(self, ctx: Context, term: Terminal, *, pager: bool = False):
        from zcli.commands.present import choose_format, compile_query

        self.ctx = ctx
        self.term = term
        self.pager = pager
        self.fmt = choose_format(ctx, term.stdout_isatty)
        self.query = compile_query(ctx.query)  # a bad expression fails before anything is sent

    def run(self, words: list[str]) -> None:
        """Run one command and print its result; raises ZcliError on failure.

        A batch line may carry its own -o/--output, --query, --all and --no-validate, for that line alone.
        """
        from zcli.commands.options import applied, split_line_options

        self.term.keep_secrets(words)  # a batch line's passwords too
        overrides, words = split_line_options(words)
        if not overrides:
            self._run(words, self.fmt, self.query)
            return
        from zcli.commands.present import choose_format, compile_query

        with applied(self.ctx, overrides):
            self._run(words, choose_format(self.ctx, self.term.stdout_isatty), compile_query(self.ctx.query))

    def _run(self, words: list[str], fmt: str, query: Any) -> None:
        from zcli.commands import execute, iter_pages
        from zcli.commands.present import default_limit_note, format_result, stream_pages

        with self.ctx.client.command():  # --timeout bounds the whole command: every page, the job wait
            if self.ctx.all:
                stream_pages(iter_pages(words, self.ctx), self.ctx, fmt, self.term.stdout, query,
                             terminal=self.term.stdout_isatty)
                return
            result = execute(words, self.ctx)
        text = format_result(result, self.ctx, fmt, query, terminal=self.term.stdout_isatty)
        if self.pager and fmt == "table" and self.term.stdout_isatty:
            from zcli.output.pager import page

            page(text, out=self.term.stdout, isatty=True, env=self.term.env)
        else:
            self.term.stdout.write(text)
            self.term.stdout.flush()
        note = default_limit_note(words, result)
        if note:  # more rows may exist: said on stderr, on a terminal or not (stdout stays the reply)
            self.term.error(note)

    def batch(self, source: str, *, keep_going: bool) -> int:
        """Run the batch file ``source`` (``-`` for stdin); the status of the first failure, or 0."""
        from zcli.commands.batch import run_batch

        def report(number: int, exc: ZcliError) -> None:
            self.term.error(f"{name}:{number}: {exc}")

        from zcli.commands.lines import read_lines

        if not source:
            raise UsageError("-f needs a batch file name, or - for stdin", word="-f")
        name = "stdin" if source == "-" else source
        try:
            if source == "-":
                return run_batch(read_lines(self.term.stdin, name), self.run, keep_going=keep_going, report=report)
            try:
                fh = open(source, encoding="utf-8")  # noqa: SIM115 - closed below, after the run
            except OSError as exc:
                raise UsageError(f"cannot read batch file {source}: {exc.strerror}", word=source) from None
            with fh:
                return run_batch(read_lines(fh, name), self.run, keep_going=keep_going, report=report)
        except UnicodeDecodeError:
            raise UsageError(f"the batch {name} is not UTF-8 text", word=name) from None
