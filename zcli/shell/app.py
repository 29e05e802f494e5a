"""The interactive shell: a prompt_toolkit session over the same grammar, commands and renderers as the
one-shot face.

Tab completes from the catalogue (in a thread, so typing never waits) with live uuids and names fetched
in the background; the line is highlighted and its secrets masked; the bottom toolbar shows the endpoint,
the account and what the word under the cursor is. History persists (0600) without secret lines; results
are kept in memory for ``more`` and ``save``. A bad line is explained in one line and the shell stays up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.history import History

from zcli.completion import CompletionEngine
from zcli.completion.describe import describe
from zcli.errors import ExitStatus
from zcli.options import line_option_help
from zcli.shell.builtins import ExitShell, Kept, builtin_help, is_builtin, run_builtin
from zcli.shell.completer import EngineCompleter
from zcli.shell.interrupts import CommandInterrupts
from zcli.shell.lexer import STYLE, ShellLexer
from zcli.shell.live import LiveValues, QueryFetcher
from zcli.shell.menu import show_arrived_values
from zcli.shell.secrets import has_secret, mask, secret_spans
from zcli.zql import line_words

if TYPE_CHECKING:  # pragma: no cover
    from zcli.commands import Context, Result
    from zcli.core import Core

PROMPT = "zcli> "
#: Results kept for ``more`` and ``save``.
KEEP_RESULTS = 100


class Shell:
    """One interactive session.

    Args:
        core: the face-neutral core (environment, connection, run options, report); the shell's streams,
            terminal flags, width and environment variables are its environment's.
        input, output: prompt_toolkit input and output (tests pass a pipe input and a DummyOutput).
        history: the line history; a :class:`~zcli.shell.history.SafeFileHistory` in the state folder by default.
        sleep: pause used by ``watch`` (tests inject one).
        live_fetch: fetches live values, ``(endpoint, inventory, field) -> list[str]``; queries the server by default.
        clock: the time source of ``set timing on`` (tests inject one).
    """

    def __init__(self, core: Core, *, input=None, output=None, history: History | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 live_fetch: Callable[[str, str, str], list[str]] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        from zcli.shell.paste import Pasted

        self.core = core
        self.sleep = sleep
        self.interrupts = CommandInterrupts()
        self.clock = clock
        self.results: list[Kept] = []
        self.confirm = core.settings.confirm if core.settings else True  # set confirm on|off; the file's confirm
        self.timing = False  # say how long each command took (set timing on|off)
        self.pasted = Pasted()  # the lines of a paste waiting to run
        ctx = core.connection
        fetch = live_fetch or QueryFetcher(ctx.catalog, lambda: self.ctx.client.session_uuid, self._live_client)
        self.live = LiveValues(fetch, lambda: self.ctx.endpoint, on_update=self._live_arrived)
        line_options = line_option_help()
        builtins = builtin_help()
        self.engine = CompletionEngine(ctx.catalog, live=self.live, builtins=builtins, profiles=self.profiles,
                                       line_options=line_options)
        if history is None:
            from zcli.paths import private_dir
            from zcli.shell.history import HISTORY_FILE, SafeFileHistory

            history = SafeFileHistory(private_dir(core.environment.state_dir) / HISTORY_FILE, self.is_secret)
        self.history = history
        # The lines of ``history``, numbered from 1: the earlier sessions' (from the history), then this
        # session's, secret ones masked (on the screen only). A line's number is its result's number.
        self.lines: list[str] = list(reversed(list(history.load_history_strings())))
        from prompt_toolkit.key_binding import merge_key_bindings

        from zcli.shell.paste import paste_keys

        self.session = PromptSession(
            PROMPT, history=history, completer=EngineCompleter(self.engine), complete_in_thread=True,
            complete_while_typing=True, auto_suggest=AutoSuggestFromHistory(),
            lexer=ShellLexer(ctx.catalog, builtins, line_options),
            style=STYLE, include_default_pygments_style=False, bottom_toolbar=self.toolbar, input=input, output=output,
            reserve_space_for_menu=16, key_bindings=merge_key_bindings([completion_keys(), paste_keys(self.pasted)]))

    # --- the loop -------------------------------------------------------------------------------------
    def loop(self) -> int:
        """Read and run lines until exit, quit or Ctrl-D; Ctrl-C clears the line. Returns 0."""
        from zcli.commands.renew import start_renewer

        renewer = start_renewer(lambda: self.ctx)  # the session outlives an idle shell (zcli.api.renewal)
        try:
            with self.interrupts:  # a Ctrl-C between commands cannot end the shell
                while True:
                    if self.interrupts.take_missed():
                        self.pasted.drop()  # a Ctrl-C between two lines of a paste stops it too
                    line = self.pasted.next_line()  # the next line of a paste, shown as if typed
                    if line is not None:
                        self.write(PROMPT + self.masked(line) + "\n")
                        self.history.append_string(line)
                    else:
                        try:
                            line = self.session.prompt(default=self.pasted.take_rest())
                        except KeyboardInterrupt:
                            continue  # Ctrl-C: the line is dropped, a fresh prompt comes
                        except EOFError:
                            return 0
                    try:
                        if self.handle(line) == ExitStatus.INTERRUPTED:
                            self.pasted.drop()  # Ctrl-C stops a paste too: its other lines do not run
                    except ExitShell:
                        return 0
        finally:
            renewer.stop()
            self.live.close()

    @property
    def ctx(self) -> Context:
        """The connection in use (``connect``/``use`` replace it)."""
        return self.core.connection

    @property
    def env(self):
        return self.core.environment.env

    @property
    def out(self) -> TextIO:
        return self.core.environment.stdout

    @property
    def err(self) -> TextIO:
        return self.core.environment.stderr

    @property
    def isatty(self) -> bool:
        return self.core.environment.stdout_isatty

    def handle(self, line: str) -> int:
        """Run one line; a failure becomes the core's one error line, and the shell stays up. Its status."""
        if line.strip():
            self.lines.append(self.masked(line))

        def run() -> None:
            with self.interrupts.command():
                self.run_line(line)

        return self.core.report.guard(run)

    @property
    def number(self) -> int:
        """The number of the line running now (``history`` shows it; ``more N`` and ``save N`` take it)."""
        return len(self.lines)

    def run_line(self, line: str) -> None:
        """Run one line: a built-in, or an API command whose result is shown and kept (secrets masked);
        its output to a command or a file when it ends with ``| COMMAND`` or ``> FILE``."""
        from zcli.shell.redirect import split_redirect

        for start, end in secret_spans(self.ctx.catalog, line):
            self.core.report.secrets.remember_value(line[start:end])
        # A ZQL line is the language's own (``cpuNum > 4``): no | or > of the shell's in it.
        line, redirect = (line, None) if line_words(line) else split_redirect(line)
        if redirect is None:
            self._run_words(line)
            return
        from zcli.shell.redirect import send

        saved, self._sink = self._sink, []
        options = self.core.options
        self.core.set_options(color=False)  # no colour codes into a file or a program
        try:
            self._run_words(line)
            text = "".join(self._sink)
        finally:
            self._sink = saved
            self.core.options = options
        send(text, redirect, env=self.env, out=self.out)

    _sink: list[str] | None = None  # where output goes while a line is redirected

    def _run_words(self, line: str) -> None:
        from zcli.grammar import split_line

        words = line_words(line) or split_line(line)  # a ZQL line keeps its quotes: one word
        head = line.split(None, 2)
        if len(head) == 3 and head[0] == "watch" and line_words(head[2]):  # watch N ZQL: the same
            words = [head[0], head[1], *line_words(head[2])]
        if not words:
            return
        self.core.report.secrets.remember(words)
        if is_builtin(words[0]):
            run_builtin(words, self)
            return
        if self.confirm and not self._confirmed(words, line):
            self.write("not run\n")
            return
        if not self.timing:
            self._run_api(words, line)
            return
        start = self.clock()
        try:
            self._run_api(words, line)
        finally:
            self.err.write(f"Time: {self.clock() - start:.3f}s\n")
            self.err.flush()

    def _confirmed(self, words: list[str], line: str) -> bool:
        """False when the line's API is destructive and the user does not say yes (y/N)."""
        from zcli.shell.confirm import is_destructive, is_yes, question

        _, rest = self.core.line_options(words)
        if not rest or not is_destructive(rest[0]) or not self.ctx.catalog.has_api(rest[0]):
            return True
        return is_yes(self.ask(question(self.masked(line), self.ctx.endpoint)))

    def ask(self, message: str) -> str | None:
        """Ask ``message`` on the terminal and read one answer; None on Ctrl-C or Ctrl-D."""
        try:
            return PromptSession(input=self.session.input, output=self.session.output).prompt(message)
        except (KeyboardInterrupt, EOFError):
            return None

    def _run_api(self, words: list[str], line: str) -> None:
        outcome = self.core.run(words, shown=self.masked_result)  # the screen shows what is kept: masked
        if outcome.pages is not None:  # --all: the pages as they come, through the pager
            if self._sink is not None:
                self._sink.extend(outcome.chunks())
            else:
                from zcli.output.pager import paged

                with paged(out=self.out, isatty=self.isatty, env=self.env) as write:
                    for chunk in outcome.chunks():
                        write(chunk)
            return
        if words[0].startswith(("LogIn", "LogOut")):
            self.live.clear()
        self.keep(line, outcome.result)
        if outcome.text:  # a blank line after it on the screen; a file or a program gets the text alone
            self.show(outcome.text if self._sink is not None else outcome.text + "\n")
        for note in outcome.notes:  # more rows may exist, and nothing else would say so
            self.core.report.note(note)

    @staticmethod
    def masked_result(result: Result) -> Result:
        """``result`` with its secrets masked (:func:`zcli.api.client.mask`): what the shell shows and keeps."""
        from zcli.api.client import mask as mask_reply

        return result.replace(reply=mask_reply(result.reply))  # a ZQL result keeps its statements

    def keep(self, line: str, result: Result) -> None:
        """Keep ``result`` (already masked, :meth:`masked_result`) for ``more`` and ``save``, under the
        number of its line in ``history``."""
        self.results = [*self.results, Kept(self.number, self.masked(line), result)][-KEEP_RESULTS:]

    # --- output ---------------------------------------------------------------------------------------
    def render(self, result: Result, fmt: str | None = None) -> str:
        """``result`` as text in ``fmt`` (default: the shell's output format)."""
        return self.core.render(result, fmt)

    def show(self, text: str) -> None:
        """Write ``text``, through the pager when stdout is a terminal (``less -F`` quits on short text)."""
        if self._sink is not None:
            self._sink.append(text)
            return
        from zcli.output.pager import page

        page(text, out=self.out, isatty=self.isatty, env=self.env)

    def write(self, text: str) -> None:
        if self._sink is not None:
            self._sink.append(text)
            return
        self.core.environment.write(text)

    def error(self, message: str) -> None:
        self.core.report.error(message)

    def clear(self) -> None:
        """Clear the screen (``watch``), on a terminal only."""
        if self.isatty:
            self.write("\x1b[H\x1b[2J")

    def current_width(self) -> int:
        """The terminal's width now (it follows resizes)."""
        return self.core.environment.width

    # --- secrets, endpoints, live values --------------------------------------------------------------
    def is_secret(self, line: str) -> bool:
        return has_secret(self.ctx.catalog, line)

    def masked(self, line: str) -> str:
        return mask(self.ctx.catalog, line)

    def profiles(self) -> list[str]:
        """The profiles of the config file (``use`` completes them); none when the file is absent or bad."""
        from zcli.completion.scripts import profile_names  # the same list as ``zcli --profile <Tab>``

        return profile_names(self.env)

    def connected(self) -> None:
        """Say where the shell is now connected (after ``connect``, ``use``)."""
        ctx = self.ctx
        who = f"logged in as {ctx.account}" if ctx.client.session_uuid else "not logged in"
        self.write(f"connected to {ctx.endpoint} ({who})\n")

    def _live_client(self, endpoint: str, session: str) -> Any:
        from zcli.api.client import ApiClient

        return ApiClient(endpoint, session_uuid=session, timeout=(2.0, 5.0), verify=self.ctx.client.verify,
                         get_retries=0)

    def _live_arrived(self) -> None:
        """Live values came in (worker thread): refresh an open completion menu on the UI loop."""
        show_arrived_values(self.session.app)

    def toolbar(self) -> list[tuple[str, str]]:
        """Endpoint, account, and what the word under the cursor is."""
        return [("class:bottom-toolbar", self.toolbar_text(self.session.app.current_buffer.document))]

    def toolbar_text(self, doc) -> str:
        """The toolbar's text for the document ``doc`` (a prompt_toolkit Document)."""
        after = doc.current_line_after_cursor
        word_end = next((i for i, ch in enumerate(after) if ch.isspace()), len(after))  # the rest of the word
        about = describe(self.ctx.catalog, doc.current_line_before_cursor + after[:word_end], self.engine.builtins)
        account = self.ctx.account or ("logged in" if self.ctx.client.session_uuid else "not logged in")
        text = f" {self.ctx.endpoint} · {account}"
        if about:
            text += f" │ {about}"
        return text


def completion_keys():
    """Enter on a highlighted completion accepts it and closes the menu (as pgcli does); the line runs on
    the next Enter. Without this, Enter ran the half-typed line with the highlighted value in it."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @Condition
    def completion_chosen() -> bool:
        from prompt_toolkit.application.current import get_app

        state = get_app().current_buffer.complete_state
        return state is not None and state.current_completion is not None

    @keys.add("enter", filter=completion_chosen)
    def _accept(event) -> None:
        event.current_buffer.complete_state = None  # the chosen text is already in the buffer

    return keys


def run_shell(core: Core, **options: Any) -> int:
    """Run the interactive shell over ``core`` (the one-shot face's environment: streams, width, env)
    until the user leaves; returns the exit status (0).

    Args:
        core: the face-neutral core.
        options: :class:`Shell` arguments (tests inject input, output, history).
    """
    return Shell(core, **options).loop()
