"""A real pseudo-terminal running ``python -m zcli --demo``, read back as a screen.

pexpect gives the pseudo-terminal; pyte (a VT100 emulator) turns what the program draws into the
rows a person would see, so tests read the completion menu and the toolbar as text.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte

COLS, ROWS = 120, 36


class _Screen(pyte.Screen):
    """A pyte screen that answers the terminal's queries (prompt_toolkit asks where the cursor is, and
    shows its bottom toolbar only once it knows)."""

    reply = None

    def write_process_input(self, data: str) -> None:
        if self.reply is not None:
            self.reply(data)


class Terminal:
    """``zcli --demo`` in a pseudo-terminal of COLS x ROWS.

    Args:
        state_dir: the state folder (history file) for this run.
        args: arguments after ``python -m zcli``.
    """

    def __init__(self, state_dir: Path, args: tuple[str, ...] = ("--demo",), env: dict | None = None,
                 command: list[str] | None = None, cwd: Path | None = None):
        self.screen = _Screen(COLS, ROWS)
        self.stream = pyte.Stream(self.screen)
        child_env = {k: v for k, v in os.environ.items() if not k.startswith(("ZCLI_", "PYTEST", "MAKE", "MFLAGS"))}
        child_env.update({"ZCLI_STATE_DIR": str(state_dir), "ZCLI_CONFIG_DIR": str(state_dir / "config"),
                          "TERM": "xterm", "PAGER": "cat", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        child_env.update(env or {})
        program, *argv = command or [sys.executable, "-m", "zcli", *args]  # another program: make demo
        self.child = pexpect.spawn(program, argv, env=child_env, encoding="utf-8", dimensions=(ROWS, COLS),
                                   timeout=20, cwd=str(cwd) if cwd else None)
        self.screen.reply = self.child.send

    def pump(self, seconds: float = 0.1) -> None:
        """Feed what the program drew during ``seconds`` to the emulator."""
        end = time.monotonic() + seconds
        while True:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=max(0.0, end - time.monotonic())))
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                return
            if time.monotonic() >= end:
                return

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display).rstrip()

    def wait_for(self, needle: str, timeout: float = 15.0) -> str:
        """Pump until ``needle`` is on the screen; returns the screen. Fails with the screen shown."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.05)
            screen = self.text()
            if needle in screen:
                return screen
            if not self.child.isalive():
                break
        raise AssertionError(f"{needle!r} never appeared on the screen:\n{self.text()}")

    def wait_until(self, ready, timeout: float = 15.0) -> str:
        """Pump until ``ready(screen)`` holds; returns the screen. A readiness wait, not a quiet spell: on a
        loaded machine the program may be silent for a while before it draws what comes next."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.05)
            screen = self.text()
            if ready(screen):
                return screen
            if not self.child.isalive():
                break
        return self.text()

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> str:
        """Pump until the screen stops changing for ``quiet`` seconds; returns it."""
        end = time.monotonic() + timeout
        last = None
        stable_since = time.monotonic()
        while time.monotonic() < end:
            self.pump(0.05)
            now = self.text()
            if now != last:
                last, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                break
        return self.text()

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def resize(self, cols: int, rows: int = ROWS) -> None:
        """Resize the terminal (the program gets SIGWINCH) and the emulator's screen with it."""
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)

    def close(self) -> int | None:
        if self.child.isalive():
            self.child.sendcontrol("c")  # clear whatever is typed: Ctrl-D leaves only from an empty line
            self.pump(0.1)
            self.child.sendcontrol("d")
            try:
                self.child.expect(pexpect.EOF, timeout=10)
            except pexpect.TIMEOUT:
                self.child.terminate(force=True)
        self.child.close()
        return self.child.exitstatus


TAB = "\t"
CTRL_C = "\x03"
CTRL_D = "\x04"
CTRL_R = "\x12"
ENTER = "\r"
