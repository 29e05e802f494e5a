"""The shell's built-in commands: help, history, more, save, set, connect, use, watch, exit and quit.

:data:`BUILTINS` is their one list (name, what runs it, its menu help): the shell's completion menu,
highlighting, toolbar and ``help`` all read it. Each built-in takes its arguments and the running shell
(:class:`zcli.shell.app.Shell`, duck-typed: ``core``, ``ctx``, ``show(text)``, ``write(text)``,
``render(result)``, ``run(words)``, ``results``, ``history``, ``clear()``, ``sleep(seconds)``,
``connected()``, ``env``) and reports problems as :class:`~zcli.errors.UsageError`, which the shell
prints in one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from zcli.errors import UsageError


class ExitShell(BaseException):
    """Raised by ``exit`` and ``quit``: the shell ends with status 0 (a BaseException: no error edge
    takes it for a failure)."""


class Builtin(NamedTuple):
    """A built-in command: what runs it, and its help in menus and ``help``."""

    run: Callable[[list[str], Any], None]
    help: str


@dataclass
class Kept:
    """A result kept for ``more`` and ``save``: its number, the line (secrets masked) and the result."""

    number: int
    line: str
    result: Any


def run_builtin(words: list[str], shell) -> None:
    """Run the built-in ``words[0]`` with the arguments ``words[1:]``.

    Raises:
        ExitShell: on exit/quit.
        UsageError: wrong arguments.
    """
    name, args = words[0], words[1:]
    BUILTINS[name].run(args, shell)


def is_builtin(name: str) -> bool:
    return name in BUILTINS


# --- help ---------------------------------------------------------------------------------------------
def _help(args: list[str], shell) -> None:
    """``help [TOPIC]``: the same pages as ``zcli help [TOPIC]``, at the terminal's width of the moment."""
    from zcli.help import help_text

    if len(args) > 1:
        raise UsageError("usage: help [API|CATEGORY|WORD|BUILTIN]")
    width = shell.current_width()
    shell.show(help_text(shell.ctx.catalog, args[0] if args else None, width=width, rich=shell.isatty,
                         color=shell.core.options.color, builtins=builtin_help()))


# --- history, more, save -----------------------------------------------------------------------------
def _history(args: list[str], shell) -> None:
    """``history [N]``: the lines (the last N), numbered; the number of a line with a kept result (``*``)
    is the one ``more N`` and ``save N FILE`` take."""
    count = _count(args[0]) if args else None
    lines = shell.lines
    first = max(len(lines) - count, 0) if count else 0
    kept = {k.number for k in shell.results}
    out = [f"{i:5}{'*' if i in kept else ' '} {line}" for i, line in enumerate(lines[first:], start=first + 1)]
    if kept:
        out.append("(* a kept result: more N, save N FILE)")
    shell.show("\n".join(out) + ("\n" if out else ""))


def _kept(shell, arg: str | None) -> Kept:
    n = None if arg is None else _count(arg)
    if not shell.results:
        raise UsageError("no results yet: run a command first")
    if n is None:
        return shell.results[-1]
    for k in shell.results:
        if k.number == n:
            return k
    first, last = shell.results[0].number, shell.results[-1].number
    raise UsageError(f"no result {n}: results {first} to {last} are kept", word=arg)


def _more(args: list[str], shell) -> None:
    if len(args) > 1:
        raise UsageError("usage: more [N]")
    kept = _kept(shell, args[0] if args else None)
    shell.show(f"# result {kept.number}: {kept.line}\n{shell.render(kept.result)}\n")


def _save(args: list[str], shell) -> None:
    force = any(a in ("--force", "-f") for a in args)  # replace an existing file (never a link or a FIFO)
    args = [a for a in args if a not in ("--force", "-f")]
    if len(args) not in (1, 2) or (len(args) == 1 and args[0].isdigit()):  # a lone number is N, not a file
        raise UsageError("usage: save [N] FILE [--force]")
    kept = _kept(shell, args[0] if len(args) == 2 else None)
    path = Path(args[-1]).expanduser()
    from zcli.output.formats import format_for_file

    fmt = format_for_file(path.name)  # .yml and .yaml YAML, .json, .csv, .tsv, .jsonl; no suffix JSON
    text = shell.render(kept.result, fmt=fmt)
    from zcli.privatefile import write_private

    write_private(path, text + "\n", replace=force)  # 0600, no link followed, no file replaced unless --force
    shell.write(f"saved result {kept.number} to {path} ({fmt})\n")


def _count(arg: str) -> int:
    try:
        n = int(arg)
    except ValueError:
        raise UsageError(f"'{arg}' is not a number", word=arg) from None
    if n < 1:
        raise UsageError(f"'{arg}' must be 1 or more", word=arg)
    return n


# --- settings and endpoints ---------------------------------------------------------------------------
_SET_USAGE = "usage: set output FORMAT | set timing on|off | set confirm on|off"


def _set(args: list[str], shell) -> None:
    if not args:
        shell.write(f"output {shell.core.format}\ntiming {'on' if shell.timing else 'off'}\n"
                    f"confirm {'on' if shell.confirm else 'off'}\n")
        return
    if len(args) != 2:
        raise UsageError(_SET_USAGE)
    name, value = args
    if name == "output":
        from zcli.config import check_format

        shell.core.set_options(output=check_format(value))
    elif name in ("timing", "confirm"):
        setattr(shell, name, on_off(value))
    else:
        raise UsageError(_SET_USAGE, word=name)
    shell.write(f"{name} {value}\n")


def on_off(value: str) -> bool:
    """``on``/``off`` (also true/false, yes/no, 1/0) as a boolean."""
    low = value.lower()
    if low in ("on", "true", "yes", "1"):
        return True
    if low in ("off", "false", "no", "0"):
        return False
    raise UsageError(f"'{value}' is not on or off", word=value)


def _connect(args: list[str], shell) -> None:
    if len(args) != 1:
        raise UsageError("usage: connect URL|HOST[:PORT]")
    from zcli.config import connect_target

    url = connect_target(args[0])
    shell.core.connect_url(url)
    shell.connected()


def _use(args: list[str], shell) -> None:
    if len(args) != 1:
        raise UsageError("usage: use PROFILE")
    shell.core.use_profile(args[0])
    shell.confirm = shell.core.settings.confirm  # every setting from the profile, this one too
    shell.connected()


# --- watch, exit ----------------------------------------------------------------------------------------
def _watch(args: list[str], shell) -> None:
    """``watch SECONDS COMMAND``: a read-only API again and again; one Ctrl-C stops it (zcli.shell.watch)."""
    if len(args) < 2:
        raise UsageError("usage: watch SECONDS COMMAND")
    from zcli.shell.watch import check_watchable, interval, watch

    seconds = interval(args[0])  # finite, from 0.5 s to a day
    words = args[1:]
    _, api_words = shell.core.line_options(words)
    if not api_words:
        raise UsageError("usage: watch SECONDS COMMAND")
    check_watchable(api_words, shell.ctx.catalog, BUILTINS)
    line = shell.masked(" ".join(words))

    def run() -> str:  # through the one core, as every line: the line's own -o/--query, masked as shown
        outcome = shell.core.run(words, shown=shell.masked_result)
        return "".join([*outcome.chunks(), *("\n" + shell.core.report.line(note) for note in outcome.notes)])

    def show(body: str) -> None:
        shell.clear()
        shell.write(f"Every {seconds:g}s: {line}    {time.strftime('%H:%M:%S')}  (Ctrl-C stops)\n\n{body}\n")

    watch(run, show, seconds, shell.sleep, shell.core.report.line)
    shell.write("\n")


def _exit(args: list[str], shell) -> None:
    raise ExitShell


def _clear(args: list[str], shell) -> None:
    if args:
        raise UsageError("usage: clear")
    shell.clear()


def _whoami(args: list[str], shell) -> None:
    if args:
        raise UsageError("usage: whoami")
    from zcli.commands.whoami import whoami_text

    shell.show(whoami_text(shell.ctx, shell.core.format, width=shell.core.environment.width,
                           color=shell.core.options.color))


#: The built-ins, by name: the one list (completion menus, highlighting, the toolbar and ``help`` read it).
BUILTINS: dict[str, Builtin] = {
    "help": Builtin(_help, "shell: list APIs by category; help API: its fields or parameters"),
    "history": Builtin(_history, "shell: the lines typed so far, numbered as more N and save N take them"),
    "more": Builtin(_more, "shell: show an earlier result again (more N)"),
    "save": Builtin(_save, "shell: save an earlier result to a file, 0600 (save N FILE [--force])"),
    "set": Builtin(_set, "shell: set output FORMAT, set timing on|off, set confirm on|off"),
    "connect": Builtin(_connect, "shell: connect URL|HOST[:PORT]"),
    "use": Builtin(_use, "shell: use a profile of the config file"),
    "watch": Builtin(_watch, "shell: watch SECONDS QUERY: run a read-only API again (Ctrl-C stops)"),
    "clear": Builtin(_clear, "shell: clear the screen"),
    "whoami": Builtin(_whoami, "shell: endpoint, account, user, login kind and session expiry"),
    "exit": Builtin(_exit, "shell: leave"),
    "quit": Builtin(_exit, "shell: leave"),
}


def builtin_help() -> dict[str, str]:
    """The built-ins' names → their menu help (for the completion engine, the lexer and ``help``)."""
    return {name: b.help for name, b in BUILTINS.items()}
