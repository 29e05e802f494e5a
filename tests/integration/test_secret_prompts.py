"""Prompts for missing required parameters on a terminal (issue 9): a secret is asked without echo, anything
else (``url``, which ZStack flags for its logs) with echo; not on a terminal, a missing parameter is exit 2."""

from __future__ import annotations

import pexpect
import pytest

from tests.integration.clirun import Zcli
from tests.integration.test_cli_tty import spawn
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def test_a_missing_url_is_asked_for_with_echo(z):
    child = spawn(z, "AddImage", "name=img", "backupStorageUuids=bs1", "-o", "json")
    child.expect("url: ")
    child.sendline("http://h/x.qcow2")
    child.expect(r"http://h/x\.qcow2\r\n", timeout=10)  # echoed as typed, right after the prompt
    assert child.before == ""
    child.expect(pexpect.EOF)
    child.close()


def test_each_missing_required_parameter_is_asked_in_turn(tmp_path, fresh_sim):
    SessionStore(tmp_path / "state").save(fresh_sim.url, "admin", fresh_sim.session)
    child = spawn(Zcli(tmp_path, ZCLI_URL=fresh_sim.url), "CreateZone", "-o", "json")
    child.expect("name: ")
    child.sendline("asked-zone")
    child.expect(r"asked-zone\r\n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert '"name": "asked-zone"' in child.before


def test_a_missing_url_is_the_usage_error_when_stdin_is_not_a_terminal(z):
    result = z.run("AddImage", "name=img", "backupStorageUuids=bs1", input="")
    assert result.status == 2 and "missing required parameter url" in result.err
