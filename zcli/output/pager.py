"""The pager: long output goes through ``less -FRX`` (or ``$PAGER``), on a terminal only.

``-F`` quits at once when the text fits on one screen, ``-R`` passes colours through, ``-X`` leaves
the text on the screen afterwards. Everything the pager needs comes in as arguments (the stream, whether
it is a terminal, the environment), so tests run it with a fake command.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Mapping
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
    command = pager_command(env) if isatty and text else []
    if not command:
        _write(out, text)
        return
    child_env = dict(env)
    if command[0].rsplit("/", 1)[-1] == "less":
        child_env.setdefault("LESS", "FRX")  # as git does: a bare PAGER=less still passes colours
    try:
        fileno = out.fileno()
    except (AttributeError, OSError, ValueError):
        fileno = None
    out.flush()
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=fileno, env=child_env)
    except OSError:
        _write(out, text)
        return
    try:
        proc.stdin.write(text.encode(encoding, errors="replace"))
    except BrokenPipeError:
        pass  # the user quit the pager before the end
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
