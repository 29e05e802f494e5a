"""The shell's behaviours that pgcli and psql users expect, under a real pseudo-terminal."""

from __future__ import annotations

import re

import pexpect
import pytest

from tests.terminal.screen import CTRL_C, ENTER, Terminal

pytestmark = pytest.mark.timeout(90)


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
        t.wait_for("zcli>")  # the watch ended, the prompt is back
        t.send(CTRL_C)  # and at the prompt: it clears the line
        t.send("exit" + ENTER)
        t.child.expect(pexpect.EOF, timeout=20)
        t.pump(0.2)
        screen = t.text()
    finally:
        status = t.close()
    assert "Interrupt" not in screen and "make:" not in screen, screen
    assert status == 0, screen
def prompt_count(screen: str) -> int:
    return sum(line.startswith("zcli>") for line in screen.splitlines())


def test_a_paste_of_several_lines_runs_each_line_in_turn(term):
    """Issue 9: ``QueryZone⏎name=foo`` pasted became one command; psql, pgcli and bash run each line."""
    term.send("\x1b[200~QueryZone fields=name\nQueryCluster fields=name\nname=foo\n\x1b[201~")
    screen = term.wait_for("unknown API 'name=foo'")
    assert "zone-1" in screen and "cluster-1" in screen, screen
    assert "zcli> QueryCluster fields=name" in screen and "zcli> name=foo" in screen  # shown as if typed
    assert "QueryZone fields=name QueryCluster" not in screen


def test_ctrl_c_stops_watch_at_once_with_one_press(term):
    term.send("watch 0.5 QueryZone count=true" + ENTER)
    term.wait_for("Every 0.5s: QueryZone count=true")
    term.send(CTRL_C)  # one press
    screen = term.wait_for("zcli>")
    assert "Every 0.5s" in screen
    before = term.settle(quiet=1.2)  # a second run would redraw the screen within 0.5 s
    assert term.settle(quiet=0.6) == before  # nothing more comes: the watch is over
    assert "interrupted" not in before and "Traceback" not in before
    term.send("watch 1 StartVmInstance uuid=x" + ENTER)
    term.wait_for("watch runs queries and other read-only APIs")
    term.send("watch inf QueryZone" + ENTER)
    term.wait_for("give a finite one")


def test_all_goes_through_the_pager_and_keeps_full_names(tmp_path):
    t = Terminal(tmp_path, env={"PAGER": "sed s/^/PAGED:/"})
    try:
        t.wait_for("zcli>")
        t.send("QueryVmInstance fields=name,uuid limit=3 --all" + ENTER)
        screen = t.wait_for("PAGED:", timeout=20)
        screen = t.wait_for(" rows", timeout=20)
        names = [line.split(":", 1)[1].split()[0] for line in screen.splitlines()
                 if line.startswith("PAGED:") and not line.startswith(("PAGED:name", "PAGED:---", "PAGED:showing"))
                 and line.split(":", 1)[1].split() and not line.split(":", 1)[1].split()[0].isdigit()]
        assert names and not any(n.endswith("…") for n in names), screen
    finally:
        assert t.close() == 0


def test_destructive_apis_ask_first(term):
    term.send("CreateZone name=doomed" + ENTER)
    term.wait_for("name:")
    term.send("DeleteZone uuid=nosuch" + ENTER)
    term.wait_for("Run it? [y/N]")
    term.send(ENTER)  # Enter alone: no
    term.wait_for("not run")
    term.send("QueryZone name=doomed fields=uuid -o value" + ENTER)
    term.wait_for("zcli> QueryZone name=doomed")
    screen = term.wait_until(lambda s: re.search(r"^[0-9a-f]{32}$", s, re.M))  # the reply, however late
    uuid = next(line.strip() for line in reversed(screen.splitlines()) if re.fullmatch(r"[0-9a-f]{32}", line.strip()))
    term.send(f"DeleteZone uuid={uuid}" + ENTER)
    term.wait_for("Run it? [y/N]")
    term.send("y" + ENTER)
    term.wait_for("DeleteZone: done")
    term.send("set confirm off" + ENTER)
    term.wait_for("confirm off")
    term.send("DeleteZone uuid=nosuch" + ENTER)
    term.wait_for("zcli> DeleteZone uuid=nosuch")
    screen = term.wait_for("can not be found")  # it ran: the server's answer, then nothing more to ask
    screen = term.settle()
    assert screen.count("Run it? [y/N]") == 2, screen  # no third question: it ran (and the server said no)


def test_pipe_redirect_timing_history_and_save(term, tmp_path):
    term.send("QueryZone fields=name | grep -c zone" + ENTER)
    term.wait_for("zcli> QueryZone fields=name | grep -c zone")
    term.send(f"QueryZone fields=name,uuid -o json > {tmp_path}/zones.json" + ENTER)
    term.wait_for("zones.json")
    term.send("set timing on" + ENTER)
    term.wait_for("timing on")
    term.send("QueryZone count=true" + ENTER)
    screen = term.wait_for("Time: ")
    term.send("history" + ENTER)
    screen = term.wait_for("(* a kept result")  # the listing's last line: it is all on the screen
    number = next(line.split()[0].rstrip("*") for line in screen.splitlines()
                  if line.strip().endswith("QueryZone count=true") and "*" in line)
    term.send(f"more {number}" + ENTER)
    term.wait_for(f"# result {number}: QueryZone count=true")
    term.send(f"save {number} {tmp_path}/count.yml" + ENTER)
    term.wait_for("(yaml)")
    import json

    import yaml

    assert {z["name"] for z in json.loads((tmp_path / "zones.json").read_text())["inventories"]} >= {"zone-1"}
    assert yaml.safe_load((tmp_path / "count.yml").read_text()) == {"total": 2}
