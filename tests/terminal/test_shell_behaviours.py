"""The shell's behaviours that pgcli and psql users expect, under a real pseudo-terminal."""

from __future__ import annotations

import pexpect
import pytest

from tests.terminal.screen import CTRL_C, ENTER, Terminal

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path)
    t.wait_for("zcli>")
    yield t
    t.close()


def test_help_follows_terminal_resizes(term):
    term.send("help CreateZone" + ENTER)
    screen = term.wait_for("tagUuids")
    assert "CreateZone: POST /v1/zones (async: polled to the end)" in screen
    term.send("clear" + ENTER)
    term.resize(40)
    term.settle()
    term.send("help CreateZone" + ENTER)
    screen = term.wait_for("tagUuids")
    lines = screen.splitlines()
    assert "CreateZone: POST /v1/zones (async:" in lines and "polled to the end)" in lines, screen
    assert "parameter     type" in screen


def test_make_demo_exits_0_after_ctrl_c_during_a_command(tmp_path):
    """Issue 9: Ctrl-C during a command reached make too, and ``make demo`` failed once the user left."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # BIN= the interpreter's own folder and STAMP= a file that exists: the suite's environment, no setup.
    make = ["make", "-s", "--no-print-directory", "demo", f"BIN={Path(sys.executable).parent}",
            f"STAMP={sys.executable}"]
    t = Terminal(tmp_path, command=make, cwd=root)
    try:
        t.wait_for("zcli>")
        t.send("watch 1 QueryZone count=true" + ENTER)
        t.wait_for("Every 1s")
        t.send(CTRL_C)
        t.settle()
        t.send(CTRL_C)  # and at the prompt: it clears the line
        t.send("exit" + ENTER)
        t.child.expect(pexpect.EOF, timeout=20)
        t.pump(0.2)
        screen = t.text()
    finally:
        status = t.close()
    assert "Interrupt" not in screen and "make:" not in screen, screen
    assert status == 0, screen
