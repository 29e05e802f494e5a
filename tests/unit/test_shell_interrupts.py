"""Ctrl-C (SIGINT) in the shell interrupts the command that runs, and cannot end the shell between commands.

The signal is sent to this process at the exact point under test, so the race a person hits with two quick
Ctrl-Cs happens on every run.
"""

from __future__ import annotations

import io
import os
import signal

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.unit.test_shell import FakeClient, new_shell
from zcli.catalog import Catalog
from zcli.commands import Context


@pytest.fixture(autouse=True)
def python_sigint():
    """Python's own SIGINT handler during the test, whatever this process inherited (a job started in the
    background by a non-interactive shell has SIGINT ignored, and the shell then leaves it so)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def shell_over(pipe, err):
    ctx = Context(catalog=Catalog(), client=FakeClient(), endpoint="http://mn:8080/zstack", account="admin")
    return new_shell(ctx, input=pipe, output=DummyOutput(), stderr=err, history=InMemoryHistory(),
                     live_fetch=lambda *a: [])


def test_a_sigint_just_after_a_command_leaves_the_shell_up():
    err = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("QueryZone\rQueryZone\rexit\r")
        shell = shell_over(pipe, err)
        handle, handled = shell.handle, []

        def then_ctrl_c(line):
            handle(line)
            handled.append(line)
            os.kill(os.getpid(), signal.SIGINT)  # the command has ended, the prompt is not up yet

        shell.handle = then_ctrl_c
        try:
            status = shell.loop()
        except KeyboardInterrupt:
            pytest.fail("a Ctrl-C between commands ended the shell")
    assert status == 0 and handled == ["QueryZone", "QueryZone"]  # exit left by its own ExitShell
    assert [r.api.name for r in shell.ctx.client.requests] == ["QueryZone", "QueryZone"]
    assert "interrupted" not in err.getvalue()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back


def test_a_sigint_during_a_command_interrupts_it_and_the_shell_goes_on():
    err = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("QueryZone\rexit\r")
        shell = shell_over(pipe, err)
        run_line, ran = shell.run_line, []

        def interrupted(line):
            if line == "QueryZone":
                os.kill(os.getpid(), signal.SIGINT)
                ran.append("not interrupted")  # never reached: the signal raises at once
            run_line(line)

        shell.run_line = interrupted
        assert shell.loop() == 0
    assert ran == [] and "zcli: interrupted" in err.getvalue()
