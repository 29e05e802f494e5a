"""The shell's behaviours that pgcli and psql users expect, under a real pseudo-terminal."""

from __future__ import annotations

import pytest

from tests.terminal.screen import ENTER, Terminal

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
