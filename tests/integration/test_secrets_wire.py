"""Secrets on the wire and on disk, against ``zcli sim`` (issue 12, Secrets): credentials in an endpoint URL
are refused, secrets come from a file or stdin instead of argv (``ps``), ``--debug`` masks the secret and
not its neighbours, password tags included."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from tests.integration.clirun import Zcli, login_args
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim):
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def _everything_under(folder) -> str:
    """Every name and every text under ``folder``."""
    out = []
    for root, dirs, files in os.walk(folder):
        out += dirs + files
        for name in files:
            out.append(Path(root, name).read_text(encoding="utf-8", errors="replace"))
    return "\n".join(out)


def _with_credentials(url: str, user: str = "admin", password: str = "Url1Secret") -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}:{password}@{rest}"


@pytest.mark.parametrize("how", ["space", "equals", "env", "profile"])
def test_credentials_in_an_endpoint_url_are_refused_and_never_stored(tmp_path, sim, how):
    url = _with_credentials(sim.url)
    z = Zcli(tmp_path)
    args, env = [], {}
    if how == "space":
        args = ["--url", url]
    elif how == "equals":
        args = [f"--url={url}"]
    elif how == "env":
        env = {"ZCLI_URL": url}
    else:
        z.write_config(f'[profiles.lab]\nurl = "{url}"\n')
        args = ["--profile", "lab"]
    ran = z.run(*args, *login_args(), env=env)
    assert ran.status == 2, ran
    assert "must not hold credentials" in ran.err and "admin:*****@" in ran.err
    assert "Url1Secret" not in ran.err + ran.out
    assert "Url1Secret" not in _everything_under(z.state)
    assert z.session_files() == []


def test_a_malformed_url_with_credentials_is_masked(tmp_path):
    ran = Zcli(tmp_path).run("--url", "http://a:Url2Secret@[::1", "QueryZone")
    assert ran.status == 2 and "Url2Secret" not in ran.err, ran


def test_password_from_a_file_logs_in(z, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("password\n")
    secret.chmod(0o600)
    ran = z.run("LogInByAccount", "accountName=admin", f"password=@{secret}", "-o", "json")
    assert ran.status == 0, ran
    assert len(z.session_files()) == 1


def test_password_from_stdin_logs_in(z):
    ran = z.run("LogInByAccount", "accountName=admin", "password=@-", "-o", "json", input="password\n")
    assert ran.status == 0, ran
    assert len(z.session_files()) == 1


def test_a_wrong_password_from_a_file_is_the_servers_refusal(z, tmp_path):
    (tmp_path / "pw").write_text("not-it\n")
    ran = z.run("LogInByAccount", "accountName=admin", f"password=@{tmp_path / 'pw'}")
    assert ran.status == 1 and "not-it" not in ran.err, ran


def test_a_missing_secret_file_is_a_usage_error(z, tmp_path):
    ran = z.run("LogInByAccount", "accountName=admin", f"password=@{tmp_path / 'absent'}")
    assert ran.status == 2 and "cannot read the secret file" in ran.err, ran


def test_a_literal_at_sign_is_doubled(z):
    ran = z.run("LogInByAccount", "accountName=admin", "password=@@password")
    assert ran.status == 1 and "ID.1000" in ran.err  # sent as "@password": the server refuses it


@pytest.fixture
def stalled():
    """A loopback server that accepts and never answers: a login waits on it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/zstack"
    listener.close()


def _cmdline_while_waiting(z: Zcli, *args: str) -> str:
    import subprocess

    proc = z.popen(*args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)  # the process is up and waiting for the stalled server (bounded by --timeout below)
        with open(f"/proc/{proc.pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode()
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_no_password_in_the_process_list_while_a_login_waits(tmp_path, stalled):
    z = Zcli(tmp_path, ZCLI_URL=stalled)
    (tmp_path / "pw").write_text("Ps1Secret\n")
    shown = _cmdline_while_waiting(z, "--timeout", "20", "LogInByAccount", "accountName=admin",
                                   f"password=@{tmp_path / 'pw'}")
    assert "LogInByAccount" in shown and "Ps1Secret" not in shown
    clear = _cmdline_while_waiting(z, "--timeout", "20", "LogInByAccount", "accountName=admin", "password=Ps2Secret")
    assert "Ps2Secret" in clear  # what the documented way avoids: argv is visible to every user


def test_debug_masks_the_console_password_and_keeps_the_uuid(tmp_path, fresh_sim):
    SessionStore(tmp_path / "state").save(fresh_sim.url, "admin", fresh_sim.session)
    z = Zcli(tmp_path, ZCLI_URL=fresh_sim.url)
    ran = z.run("--debug", "SetVmConsolePassword", "uuid=0123456789abcdef0123456789abcdef",
                "consolePassword=Dbg1Secret")
    assert "debug: > PUT" in ran.err, ran
    assert "vm-instances/0123456789abcdef0123456789abcdef/actions" in ran.err
    assert "{'setVmConsolePassword': {'consolePassword': '*****'}}" in ran.err  # the member, not the whole body
    assert "Dbg1Secret" not in ran.err + ran.out


def test_debug_masks_password_tags(tmp_path, fresh_sim):
    SessionStore(tmp_path / "state").save(fresh_sim.url, "admin", fresh_sim.session)
    z = Zcli(tmp_path, ZCLI_URL=fresh_sim.url)
    ran = z.run("--debug", "CreateZone", "name=tagged",
                "systemTags=consolePassword::Tag1Secret,rootPassword::Tag2Secret,hostname::h1")
    assert "debug: > POST" in ran.err, ran
    assert "consolePassword::*****" in ran.err and "rootPassword::*****" in ran.err and "hostname::h1" in ran.err
    assert "Tag1Secret" not in ran.err and "Tag2Secret" not in ran.err


@pytest.mark.parametrize("args", [["help", "LogInByAccount"], ["LogInByAccount", "--help"]])
def test_help_says_a_password_on_the_command_line_is_visible(tmp_path, args):
    ran = Zcli(tmp_path).run(*args, env={"COLUMNS": "200"})
    assert ran.status == 0, ran
    text = " ".join(ran.out.split())
    assert "visible to other users of this machine" in text and "asks for it without echo" in text
    assert "password=@FILE" in text and "password=@-" in text


@pytest.mark.parametrize("args", [
    ["-H", "admin:Host1Secret@127.0.0.1", "QueryZone"],
    ["--host=admin:Host1Secret@127.0.0.1", "QueryZone"],
    ["LogInByAccount", "accountName=admin", "password", "=Host1Secret"],
    ["LogInByAccount", "accountName=admin", "password=", "Host1Secret"],
    ["LogInByAccount", "accountName=admin", "password", "=", "Host1Secret"],
])
def test_error_lines_never_quote_a_secret(tmp_path, args):
    ran = Zcli(tmp_path).run(*args)
    assert ran.status == 2, ran
    assert "Host1Secret" not in ran.err + ran.out and "*****" in ran.err, ran.err
