"""Sessions in one-shot mode: login keeps a private file per endpoint and account, later commands use it,
LogOut ends it, an expired session (ID.1001) clears it; no password is kept or shown anywhere."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest

from tests.integration.clirun import Zcli, login_args
from zcli.sessions import SessionStore

HASH = hashlib.sha512(b"password").hexdigest()


@pytest.fixture
def z(tmp_path, sim):
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def test_login_keeps_a_private_session_file_used_by_later_commands(z, sim):
    ran = z.run(*login_args(), "-o", "json")
    assert ran.status == 0, ran.err
    session = json.loads(ran.out)["inventory"]["uuid"]
    [path] = z.session_files()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    kept = json.loads(path.read_text())
    assert kept["uuid"] == session and kept["account"] == "admin" and kept["endpoint"] == sim.url
    text = path.read_text()
    assert "password" not in text and HASH not in text
    assert HASH not in ran.out + ran.err
    ran = z.run("QueryZone", "-o", "json")
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["inventories"]


def test_the_kept_session_is_sent_as_the_oauth_header(z, sim, admin_session):
    SessionStore(z.state).save(sim.url, "admin", admin_session)
    assert z.run("QueryZone", "-o", "json").status == 0
    SessionStore(z.state).save(sim.url, "admin", "0" * 32)  # a session the server does not know
    ran = z.run("QueryZone", "-o", "json")
    assert ran.status == 4
    assert "ID.1001" in ran.err


def test_sessions_are_per_endpoint(z, sim, tmp_path):
    assert z.run(*login_args()).status == 0
    other = z.run("QueryZone", "--url", sim.url.replace("127.0.0.1", "localhost"))
    assert other.status == 4 and "not logged in" in other.err


def test_logout_ends_the_session_on_the_server_and_deletes_the_file(z, sim):
    ran = z.run(*login_args(), "-o", "json")
    session = json.loads(ran.out)["inventory"]["uuid"]
    assert z.run("LogOut").status == 0
    assert z.session_files() == []
    import requests

    valid = requests.get(f"{sim.api}/accounts/sessions/{session}/valid", timeout=10).json()
    assert valid.get("valid") is False
    ran = z.run("QueryZone")
    assert ran.status == 4 and "not logged in" in ran.err and "LogInByAccount" in ran.err
    ran = z.run("LogOut")
    assert ran.status == 4 and "not logged in" in ran.err


def test_expired_session_clears_the_file_and_says_how_to_log_in(tmp_path):
    from zcli.sim.clock import ManualClock
    from zcli.sim.server import start_in_thread

    clock = ManualClock()
    handle = start_in_thread(idle_timeout=60, clock=clock)
    try:
        z = Zcli(tmp_path, ZCLI_URL=handle.url)
        assert z.run(*login_args()).status == 0
        assert len(z.session_files()) == 1
        clock.advance(61)
        ran = z.run("QueryZone", "-o", "json")
        assert ran.status == 4
        assert ran.out == ""
        line = ran.err.strip()
        assert "\n" not in line
        assert "ID.1001" in line and "cleared" in line
        assert "LogInByAccount accountName=admin password=" in line
        assert z.session_files() == []
    finally:
        handle.stop()


def test_login_by_user_is_kept_too(z, sim):
    ran = z.run("LogInByUser", "accountName=admin", "userName=demo", "password=bad-pw")
    assert ran.status == 1 and z.session_files() == []  # a failed login keeps nothing
    assert "bad-pw" not in ran.err
    ran = z.run("LogInByUser", "accountName=admin", "userName=demo", "password=password", "-o", "json")
    assert ran.status == 0, ran.err
    [path] = z.session_files()
    kept = json.loads(path.read_text())
    assert kept["account"] == "admin/demo"
    assert kept["uuid"] == json.loads(ran.out)["inventory"]["uuid"]
    assert z.run("QueryZone").status == 0


def test_wrong_password_is_an_api_error_and_never_shown(z):
    ran = z.run(*login_args("s3cret-pw"), "--debug")
    assert ran.status == 1
    assert "ID.1000" in ran.err
    hashed = hashlib.sha512(b"s3cret-pw").hexdigest()
    for text in (ran.out, ran.err):
        assert "s3cret-pw" not in text and hashed not in text
    assert "debug: > PUT" in ran.err and "*****" in ran.err
    assert z.session_files() == []


def test_logout_confirms_in_a_table_and_prints_the_empty_reply_as_json(z, sim):
    assert z.run(*login_args()).status == 0
    ran = z.run("LogOut", "-o", "table")
    assert (ran.status, ran.out, ran.err) == (0, f"logged out of {sim.url}\n", "")
    assert z.run(*login_args()).status == 0
    ran = z.run("LogOut")  # piped: JSON, the reply as the API gave it
    assert (ran.status, json.loads(ran.out)) == (0, {})
    assert z.session_files() == []


def test_a_password_quoted_by_an_error_message_is_masked(z):
    ran = z.run("LogInByAccount", "accountName=admin", "password=first-pw", "password=second-pw")
    assert ran.status == 2 and "given twice" in ran.err and "password=*****" in ran.err
    assert "first-pw" not in ran.err and "second-pw" not in ran.err
    ran = z.run("-f", "-", input="LogInByAccount accountName=admin password=pw-one password=pw-two\n")
    assert ran.status == 2 and "stdin:1" in ran.err and "pw-one" not in ran.err and "pw-two" not in ran.err
    ran = z.run("LogInByAccount", "accountName=nobody", "password=password")
    assert ran.status == 1 and "wrong account name or password" in ran.err  # prose is left alone


def test_secrets_not_called_password_are_masked_in_debug_output(z):
    assert z.run(*login_args()).status == 0
    ran = z.run("--debug", "AddAliyunKeySecret", "name=k", "key=AKID", "secret=TOPSECRET")
    assert "debug: > POST" in ran.err and "'secret': '*****'" in ran.err
    assert "TOPSECRET" not in ran.err + ran.out


def test_debug_output_masks_the_password_of_a_url_and_shows_urls_and_tags(z):
    # Second pass, S2: url and tag are no secrets; credentials inside a URL are (user kept, password masked).
    assert z.run(*login_args()).status == 0
    ran = z.run("--debug", "AddImage", "name=a", "url=http://alice:P4ssw0rd@h/i.qcow2", "backupStorageUuids=b")
    assert "'url': 'http://alice:*****@h/i.qcow2'" in ran.err and "P4ssw0rd" not in ran.err
    ran = z.run("--debug", "AddImage", "name=a", "url=http://h/i.qcow2", "backupStorageUuids=b")
    assert "'url': 'http://h/i.qcow2'" in ran.err
    ran = z.run("--debug", "CreateUserTag", "resourceType=ZoneVO", "resourceUuid=x", "tag=owner::alice")
    assert ran.status == 0, ran.err
    assert "'tag': 'owner::alice'" in ran.err


@pytest.mark.parametrize("words", [
    ["QueryZone", "name=x", "password=Hunter2"],
    ["LogInByAccount", "accountName=admin", "password = Hunter2"],
    ["LogInByAccount", "accountName=admin", "pasword=Hunter2"],
    ["QueryZone", "secret=Hunter2"],
])
def test_a_secret_in_a_wrong_word_is_never_quoted_back(z, words):
    import shlex

    ran = z.run(*words)
    assert ran.status == 2 and "*****" in ran.err and "Hunter2" not in ran.err
    ran = z.run("-f", "-", input=shlex.join(words) + "\n")
    assert ran.status == 2 and "stdin:1" in ran.err and "Hunter2" not in ran.err


def test_no_password_anywhere_in_a_whole_session(tmp_path, fresh_sim):
    """Every command that carries a password, with --debug, in every format: neither the password nor its
    SHA-512 is in any output or any file zcli wrote."""
    z = Zcli(tmp_path, ZCLI_URL=fresh_sim.url)
    secrets = ["password", "Acct-Secret-1", "Acct-Secret-2"]
    texts = []

    def run(*args: str) -> str:
        ran = z.run(*args, "--debug")
        assert ran.status == 0, ran.err
        texts.extend((ran.out, ran.err))
        return ran.out

    run(*login_args(), "-o", "json")
    run(*login_args(), "-o", "yaml")
    acct = json.loads(run("CreateAccount", "name=acct", "password=Acct-Secret-1", "-o", "json"))["inventory"]["uuid"]
    run("UpdateAccount", f"uuid={acct}", "password=Acct-Secret-2", "-o", "table")
    run(*login_args(), "-o", "table")
    run("QueryZone", "-o", "jsonl")
    run("LogOut", "-o", "json")
    files = [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    assert any("debug: > PUT" in t for t in texts) and texts[0]
    for secret in secrets[1:]:
        hashed = hashlib.sha512(secret.encode()).hexdigest()
        for text in texts + files:
            assert secret not in text and hashed not in text
    for text in texts + files:
        assert HASH not in text  # the admin password, hashed ("password" itself is a key name)
