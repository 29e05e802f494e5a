"""The pager: long output goes through ``less -FRX`` (or ``$PAGER``), on a terminal only.

``-F`` quits at once when the text fits on one screen, ``-R`` passes colours through, ``-X`` leaves
the text on the screen afterwards. Everything the pager needs comes in as arguments (the stream, whether
it is a terminal, the environment), so tests run it with a fake command.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

DEFAULT_PAGER = "less -FRX"


def pager_command(env: Mapping[str, str]) -> list[str]:
    """The pager to run: ``$PAGER`` split as a shell would, else ``less -FRX``; [] when ``PAGER`` is
    set but blank (the user wants no pager)."""
    command = env.get("PAGER")
    if command is None:
        command = DEFAULT_PAGER
    try:
        return shlex.split(command)
    except ValueError:  # unbalanced quotes in $PAGER: take it as one program name
        return [command.strip()] if command.strip() else []


def _write(out: TextIO, text: str) -> None:
    out.write(text)
    out.flush()


def page(text: str, *, out: TextIO, isatty: bool, env: Mapping[str, str]) -> None:
    """Show ``text``: through the pager when ``out`` is a terminal, else written to ``out`` directly.

    The pager inherits ``out``'s file descriptor. When it cannot be started, the text is written
    directly; when the user quits it early, the rest is dropped quietly.

    Args:
        text: what to show.
        out: the output stream (stdout).
        isatty: whether ``out`` is a terminal.
        env: the environment (``PAGER``, ``LESS``); the pager runs with it.
    """
    if not text:
        return
    with paged(out=out, isatty=isatty, env=env) as write:
        write(text)


@contextmanager
def paged(*, out: TextIO, isatty: bool, env: Mapping[str, str]) -> Iterator[Callable[[str], None]]:
    """A ``write(text)`` function whose text goes through one pager run (on a terminal) as it comes, so a
    stream of pages (``--all``) is paged as it arrives; off a terminal, or with no pager, to ``out``.

    When the user quits the pager early, what is written after is dropped quietly; the block then ends
    once the pager has exited (Ctrl-C belongs to the pager meanwhile).
    """
    command = pager_command(env) if isatty else []
    proc = None
    if command:
        child_env = dict(env)
        if command[0].rsplit("/", 1)[-1] == "less":
            child_env.setdefault("LESS", "FRX")  # as git does: a bare PAGER=less still passes colours
        try:
            fileno = out.fileno()
        except (AttributeError, OSError, ValueError):
            fileno = None
        out.flush()
        try:
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=fileno, env=child_env)
        except OSError:
            proc = None
    if proc is None:
        yield lambda text: _write(out, text)
        return
    encoding = getattr(out, "encoding", None) or "utf-8"
    gone = False

    def write(text: str) -> None:
        nonlocal gone
        if gone or not text:
            return
        try:
            proc.stdin.write(text.encode(encoding, errors="replace"))
            proc.stdin.flush()
        except BrokenPipeError:  # the user quit the pager before the end
            gone = True

    try:
        yield write
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:
                continue  # Ctrl-C belongs to the pager (less handles it); wait until it exits
