"""On a terminal: a table by default (coloured states unless --no-color/NO_COLOR), and a spinner on stderr
while an async job runs."""

from __future__ import annotations

import re
import sys

import pexpect
import pytest

from tests.integration.clirun import Zcli
from zcli.sessions import SessionStore


def spawn(z: Zcli, *args: str, env: dict | None = None) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "zcli", *args], env={**z.env, "PAGER": "cat", "COLUMNS": "120",
                                                                    "TERM": "xterm", **(env or {})},
                         encoding="utf-8", timeout=30, dimensions=(40, 120))


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def test_table_with_coloured_states_on_a_terminal(z):
    child = spawn(z, "QueryZone")
    child.expect(pexpect.EOF)
    child.close()
    text = child.before
    assert child.exitstatus == 0
    assert "uuid" in text and "zone-1" in text and "华东区域" in text
    assert re.search(r"\x1b\[[0-9;]*m\s*Enabled", text)  # states coloured on a terminal
    assert "{" not in text  # not JSON


@pytest.mark.parametrize("args,env", [(["--no-color"], {}), ([], {"NO_COLOR": "1"})])
def test_no_colour_on_a_terminal_when_asked(z, args, env):
    child = spawn(z, *args, "QueryZone", env=env)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "zone-1" in child.before and "\x1b[" not in child.before


def test_spinner_while_a_job_runs(tmp_path):
    from tests.conftest import login
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(job_delay=1.5)
    try:
        SessionStore(tmp_path / "state").save(handle.url, "admin", login(handle.url + "/v1"))
        z = Zcli(tmp_path, ZCLI_URL=handle.url)
        child = spawn(z, "CreateZone", "name=spun")
        child.expect("waiting for the job")
        child.expect("spun")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        handle.stop()


def test_a_missing_password_is_asked_for_without_echo_on_a_terminal(z):
    child = spawn(z, "LogInByAccount", "accountName=admin", "-o", "json")
    child.expect("password: ")
    child.sendline("password")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert '"uuid"' in child.before
    typed = child.before.split("password: ", 1)[-1]
    assert not typed.lstrip().startswith("password")  # what was typed is not echoed
    for path in z.session_files():
        assert "password" not in path.read_text() and "b109f3bbbc244eb8" not in path.read_text()


def test_a_missing_password_is_the_usage_error_when_stdin_is_not_a_terminal(z):
    result = z.run("LogInByAccount", "accountName=admin", input="")
    assert result.status == 2 and "password" in result.err


def test_the_config_files_output_applies_on_a_terminal(z):
    z.write_config('output = "yaml"\n')
    child = spawn(z, "QueryZone", "fields=name")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "inventories:" in child.before and "- name: zone-1" in child.before
