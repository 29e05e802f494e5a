"""The process's surroundings, as one injectable object both faces take: streams, terminal flags, width,
environment variables and the config folder (in the spirit of httpie's ``Environment``).

:mod:`zcli.cli` builds one from ``sys``; tests build one from ``io.StringIO`` streams and a dict, with
the terminal flags and the width they want.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO


def isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (False for a closed stream or one without ``isatty``)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Environment:
    """Streams, terminal flags, width and environment of one run.

    Args:
        stdin, stdout, stderr: the streams (``sys``'s by default).
        env: the environment variables (``os.environ`` by default).
        stdin_isatty, stdout_isatty, stderr_isatty: whether each stream is a terminal (asked of the
            stream when not given).
        columns: a fixed width in cells; by default ``COLUMNS`` of ``env``, else the terminal's width
            (asked on each use, so that output follows a resize), else 80.
    """

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 env: Mapping[str, str] | None = None, *, stdin_isatty: bool | None = None,
                 stdout_isatty: bool | None = None, stderr_isatty: bool | None = None, columns: int | None = None):
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.env = env if env is not None else os.environ
        self.stdin_isatty = isatty(self.stdin) if stdin_isatty is None else stdin_isatty
        self.stdout_isatty = isatty(self.stdout) if stdout_isatty is None else stdout_isatty
        self.stderr_isatty = isatty(self.stderr) if stderr_isatty is None else stderr_isatty
        self.columns = columns

    @property
    def width(self) -> int:
        """The width to render at, in cells."""
        if self.columns:
            return self.columns
        raw = self.env.get("COLUMNS", "")
        if raw.isdigit() and int(raw) > 0:
            return int(raw)
        for stream in (self.stdout, sys.__stdout__):
            try:
                return os.get_terminal_size(stream.fileno()).columns or 80
            except (AttributeError, ValueError, OSError):
                continue
        return 80

    @property
    def config_dir(self) -> Path:
        """zcli's config folder (config.toml, catalog.d/): ``ZCLI_CONFIG_DIR`` or the platform's."""
        from zcli.paths import config_dir

        return config_dir(self.env)

    @property
    def state_dir(self) -> Path:
        """zcli's state folder (sessions, history): ``ZCLI_STATE_DIR`` or the platform's."""
        from zcli.paths import state_dir

        return state_dir(self.env)

    def ask(self, prompt: str, echo: bool = False) -> str:
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

            return getpass.getpass(prompt, stream=self.stderr)
        except EOFError:
            raise KeyboardInterrupt from None

    def write(self, text: str) -> None:
        """``text`` on stdout, flushed."""
        self.stdout.write(text)
        self.stdout.flush()

    def write_error(self, line: str) -> None:
        """One line on stderr, flushed."""
        self.stderr.write(line + "\n")
        self.stderr.flush()
