"""The pager: direct output off a terminal, the configured pager command on one (fake commands here)."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import stat
import sys

import pytest

from zcli.output.pager import page, pager_command

TEXT = "uuid  name\n----  ----\nu1    数据\n"
UPPER = shlex.join([sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"])


def run_paged(tmp_path, text: str, env: dict, isatty: bool = True) -> str:
    target = tmp_path / "out.txt"
    with open(target, "w", encoding="utf-8") as out:
        page(text, out=out, isatty=isatty, env=env)
    return target.read_text(encoding="utf-8")


def test_not_a_terminal_writes_directly_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    out = io.StringIO()
    page(TEXT, out=out, isatty=False, env={"PAGER": f"touch {marker}"})
    assert out.getvalue() == TEXT
    assert not marker.exists()


def test_terminal_runs_the_configured_pager_with_the_text(tmp_path):
    assert run_paged(tmp_path, TEXT, {"PAGER": "cat"}) == TEXT
    assert run_paged(tmp_path, TEXT, {"PAGER": UPPER}) == TEXT.upper()


def test_blank_pager_means_no_pager(tmp_path):
    assert run_paged(tmp_path, TEXT, {"PAGER": ""}) == TEXT


def test_missing_pager_falls_back_to_direct_output(tmp_path):
    assert run_paged(tmp_path, TEXT, {"PAGER": str(tmp_path / "no-such-pager")}) == TEXT


def test_default_is_less_FRX_and_less_gets_LESS_when_unset(tmp_path):
    assert pager_command({}) == ["less", "-FRX"]
    fake_less = tmp_path / "less"
    fake_less.write_text('#!/bin/sh\necho "LESS=$LESS"\ncat\n')
    fake_less.chmod(fake_less.stat().st_mode | stat.S_IEXEC)
    env = {"PAGER": str(fake_less), "PATH": os.environ.get("PATH", "")}
    assert run_paged(tmp_path, TEXT, env) == "LESS=FRX\n" + TEXT
    assert run_paged(tmp_path, TEXT, {**env, "LESS": "-S"}) == "LESS=-S\n" + TEXT


def test_pager_quitting_early_is_quiet(tmp_path):
    # `true` reads nothing and exits: writing a large text into it must not raise BrokenPipeError.
    assert run_paged(tmp_path, "x" * 2_000_000, {"PAGER": "true"}) == ""


def test_empty_text_runs_no_pager(tmp_path):
    marker = tmp_path / "ran"
    assert run_paged(tmp_path, "", {"PAGER": f"touch {marker}"}) == ""
    assert not marker.exists()


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_real_less_in_a_pseudo_terminal():
    import pexpect

    code = ("import os, sys; from zcli.output.pager import page;"
            "page(''.join(f'row {i}\\n' for i in range(int(sys.argv[1]))), out=sys.stdout,"
            " isatty=sys.stdout.isatty(), env=os.environ)")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm"}
    short = pexpect.spawn(sys.executable, ["-c", code, "3"], env=env, encoding="utf-8", timeout=10,
                          dimensions=(24, 80))
    short.expect(pexpect.EOF)  # -F: it fits on one screen, so less quits by itself
    assert "row 2" in short.before
    long = pexpect.spawn(sys.executable, ["-c", code, "200"], env=env, encoding="utf-8", timeout=10,
                         dimensions=(24, 80))
    long.expect("row 22")
    assert long.isalive()  # less waits for the user on a long text
    long.send("q")
    long.expect(pexpect.EOF)
    assert "row 199" not in long.before


def test_paged_streams_every_write_through_one_pager_run(tmp_path):
    """``--all`` in the shell: the pages go through the pager as they come, one pager for all of them."""
    from zcli.output.pager import paged

    path = tmp_path / "out"
    with open(path, "w") as out, paged(out=out, isatty=True, env={"PAGER": "sh -c 'echo START; cat'"}) as write:
        write("page 1\n")
        write("page 2\n")
    assert path.read_text() == "START\npage 1\npage 2\n"


def test_paged_off_a_terminal_writes_straight_through():
    import io

    from zcli.output.pager import paged

    out = io.StringIO()
    with paged(out=out, isatty=False, env={"PAGER": "false"}) as write:
        write("a")
        write("b")
    assert out.getvalue() == "ab"
