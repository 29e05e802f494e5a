"""The shell's persistent history: a file readable by its owner alone that never receives a secret."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from prompt_toolkit.history import FileHistory

HISTORY_FILE = "history"


class SafeFileHistory(FileHistory):
    """prompt_toolkit's FileHistory (so Up, Ctrl-R and auto-suggest work across sessions), except that
    a line for which ``is_secret`` is true is dropped: kept neither in memory nor in the file.

    Args:
        path: the history file; created with mode 0600, tightened to it if looser.
        is_secret: tells whether a line holds a secret.
    """

    def __init__(self, path: Path, is_secret: Callable[[str], bool]):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        self.is_secret = is_secret
        super().__init__(str(path))

    def append_string(self, string: str) -> None:
        if self.is_secret(string):
            return
        super().append_string(string)
