"""Logins, sessions, extra authentication, AccessKey signing and whoami against ``zcli sim`` (issue 10)."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.integration.clirun import Zcli
from zcli.api.accesskey import AccessKey
from zcli.sim.logins import TWO_FACTOR_SECRET, totp


@pytest.fixture
def z(tmp_path, fresh_sim):
    return Zcli(tmp_path, ZCLI_URL=fresh_sim.url)


def whoami(z: Zcli) -> dict:
    ran = z.run("whoami", "-o", "json")
    assert ran.status == 0, ran.err
    return json.loads(ran.out)


# Every login kind keeps its session: the next command runs with it, and whoami names the account, user and kind.
LOGINS = [
    (["LogInByAccount", "accountName=admin", "password=password"], "account", "admin", None),
    (["LogInByUser", "accountName=admin", "userName=demo", "password=password"], "user", "admin", "demo"),
    (["LogIn", "username=admin", "password=password", "loginType=account"], "account", "admin", None),
    (["LogIn", "username=ldap-user", "password=password", "loginType=ldap"], "ldap", "ldap-user", None),
    (["LogInByLdap", "uid=ldap-user", "password=password"], "ldap", "ldap-user", None),
    (["LoginIAM2VirtualID", "name=iam2-user", "password=password"], "iam2", None, "iam2-user"),
    (["LoginIAM2VirtualIDWithLdap", "uid=ldap-user", "password=password"], "iam2-ldap", None, "ldap-user"),
    (["LoginByCas", "name=cas-user", "password=password", "type=cas"], "cas", "cas-user", None),
]


@pytest.mark.parametrize(("words", "kind", "account", "user"), LOGINS, ids=lambda x: str(x)[:40])
def test_every_login_keeps_its_session(z, words, kind, account, user):
    ran = z.run(*words, "-o", "json")
    assert ran.status == 0, ran.err
    assert z.run("QueryZone", "count=true", "-o", "json").status == 0
    me = whoami(z)
    assert (me.get("login"), me.get("account"), me.get("user")) == (kind, account, user)
    assert me["expires"] and me["serverVersion"]
    assert "password" not in json.dumps(me)


def test_a_project_login_from_a_virtual_id_session_is_kept_in_its_place(z):
    assert z.run("LoginIAM2VirtualID", "name=iam2-user", "password=password").status == 0
    assert z.run("LoginIAM2Project", "projectName=project-1").status == 0
    me = whoami(z)
    assert (me["login"], me["account"], me["user"]) == ("iam2-project", "project-1", "iam2-user")
    assert z.run("QueryZone", "count=true").status == 0
    assert z.run("LoginIAM2Platform").status == 0 and whoami(z)["login"] == "iam2-platform"


def test_wrong_passwords_are_refused(z):
    ran = z.run("LogIn", "username=admin", "password=nope", "loginType=account")
    assert ran.status == 1 and "ID.1000" in ran.err
    assert whoami(z)["session"] == "not logged in"


def test_debug_names_the_account(z):
    assert z.run("LogInByUser", "accountName=admin", "userName=demo", "password=password").status == 0
    ran = z.run("--debug", "QueryZone", "limit=1")
    assert "debug: as admin/demo (user login)" in ran.err


def test_a_second_factor_in_a_script_exits_4_saying_what_is_needed(z):
    ran = z.run("LogInByAccount", "accountName=secure", "password=password")
    assert ran.status == 4
    assert "ID.2001" in ran.err and "googleAuth" in ran.err and "systemTags=twofatoken::CODE" in ran.err, ran.err
    ran = z.run("LogInByAccount", "accountName=secure", "password=password", "systemTags=twofatoken::000000")
    assert ran.status == 4 and "ID.2002" in ran.err
    code = totp(TWO_FACTOR_SECRET, time.time())
    ran = z.run("LogInByAccount", "accountName=secure", "password=password", f"systemTags=twofatoken::{code}")
    assert ran.status == 0, ran.err
    assert whoami(z)["account"] == "secure"
    # LogIn (loginType=account) carries it the same way
    ran = z.run("LogIn", "username=secure", "password=password", "loginType=account",
                f"systemTags=twofatoken::{totp(TWO_FACTOR_SECRET, time.time())}")
    assert ran.status == 0, ran.err


def test_the_second_factor_follows_the_global_switch(z, fresh_sim):
    from tests.integration.simapi import Api

    assert z.run("LogInByAccount", "accountName=admin", "password=password").status == 0  # off: no code asked
    Api(fresh_sim).ok("UpdateGlobalConfig", category="twofa", name="twofa.enable", value="true")
    ran = z.run("LogInByAccount", "accountName=admin", "password=password")
    assert ran.status == 4 and "ID.2001" in ran.err and "googleAuth" in ran.err, ran.err
    got = z.run("GetTwoFactorAuthenticationSecret", "name=admin", "password=password", "type=account", "-o", "json")
    inv = json.loads(got.out)["inventory"]
    assert got.status == 0 and inv["status"] == "NewCreated" and inv["secret"], got.err
    ran = z.run("LogInByAccount", "accountName=admin", "password=password",
                f"systemTags=twofatoken::{totp(inv['secret'], time.time())}")
    assert ran.status == 0, ran.err
    again = json.loads(z.run("GetTwoFactorAuthenticationSecret", "name=admin", "password=password",
                             "type=account", "-o", "json").out)["inventory"]
    assert again["status"] == "Logined" and again["secret"] == ""  # no longer shown once used


def test_on_a_terminal_the_code_is_asked_and_the_login_sent_again(fresh_sim, tmp_path):
    from zcli.api.client import ApiClient
    from zcli.catalog import load_catalog
    from zcli.commands import execute
    from zcli.commands.context import Context
    from zcli.sessions import SessionStore

    asked = []

    def ask(prompt: str, echo: bool = False) -> str:
        asked.append((prompt, echo))
        return totp(TWO_FACTOR_SECRET, time.time())

    ctx = Context.open(load_catalog(), ApiClient(fresh_sim.url), fresh_sim.url, store=SessionStore(tmp_path),
                       ask_secret=ask)
    result = execute(["LogInByAccount", "accountName=secure", "password=password"], ctx)
    assert result.reply["inventory"]["uuid"] == ctx.client.session_uuid
    assert len(asked) == 1 and "two-factor" in asked[0][0] and asked[0][1] is True


def test_get_login_procedures_names_the_second_factor(z):
    ran = z.run("GetLoginProcedures", "username=secure", "loginType=account", "-o", "json")
    assert json.loads(ran.out)["procedures"] == [{"name": "twoFactorAuthentication", "order": 1,
                                                  "properties": {"authenticationSource": "GoogleAuthenticator"}}]
    ran = z.run("GetLoginProcedures", "username=admin", "loginType=account", "-o", "json")
    assert json.loads(ran.out)["procedures"] == []


def test_renew_session_moves_the_expiry(z):
    assert z.run("LogInByAccount", "accountName=admin", "password=password").status == 0
    before = whoami(z)["expires"]
    ran = z.run("RenewSession", "duration=86400", "-o", "json")  # the session in use is filled in
    assert ran.status == 0, ran.err
    after = whoami(z)["expires"]
    assert json.loads(ran.out)["inventory"]["expiredDate"] == after != before


def _make_key(z: Zcli) -> tuple[str, str]:
    assert z.run("LogInByAccount", "accountName=admin", "password=password").status == 0
    admin = "36c27e8ff05c4780bf6d2fa65700f22e"
    ran = z.run("CreateAccessKey", f"accountUuid={admin}", f"userUuid={admin}", "-o", "json")
    assert ran.status == 0, ran.err
    inv = json.loads(ran.out)["inventory"]
    return inv["AccessKeyID"], inv["AccessKeySecret"]


def test_an_access_key_needs_no_login(z, tmp_path):
    key_id, secret = _make_key(z)
    fresh = Zcli(tmp_path / "other", ZCLI_URL=z.env["ZCLI_URL"], ZCLI_ACCESS_KEY_ID=key_id,
                 ZCLI_ACCESS_KEY_SECRET=secret)
    ran = fresh.run("QueryZone", "count=true", "-o", "json")
    assert ran.status == 0, ran.err
    assert fresh.session_files() == []
    ran = fresh.run("CreateZone", "name=signed-zone", "-o", "json")  # async: the job is polled signed too
    assert ran.status == 0 and json.loads(ran.out)["inventory"]["name"] == "signed-zone"
    assert whoami(fresh)["accessKeyId"] == key_id
    assert secret not in fresh.run("--debug", "QueryZone", "limit=1").err


def test_the_secret_comes_from_a_private_file_only(z, tmp_path):
    key_id, secret = _make_key(z)
    path = tmp_path / "secret"
    path.write_text(secret + "\n")
    os.chmod(path, 0o644)
    fresh = Zcli(tmp_path / "other", ZCLI_URL=z.env["ZCLI_URL"], ZCLI_ACCESS_KEY_ID=key_id,
                 ZCLI_ACCESS_KEY_SECRET_FILE=str(path))
    ran = fresh.run("QueryZone", "count=true")
    assert ran.status == 2 and "chmod 600" in ran.err
    os.chmod(path, 0o600)
    assert fresh.run("QueryZone", "count=true").status == 0
    ran = Zcli(tmp_path / "third", ZCLI_URL=z.env["ZCLI_URL"], ZCLI_ACCESS_KEY_ID=key_id).run("QueryZone")
    assert ran.status == 2 and "has no secret" in ran.err


def test_a_wrong_secret_is_refused_with_exit_4(z, tmp_path):
    key_id, _ = _make_key(z)
    fresh = Zcli(tmp_path / "other", ZCLI_URL=z.env["ZCLI_URL"], ZCLI_ACCESS_KEY_ID=key_id,
                 ZCLI_ACCESS_KEY_SECRET="not-the-secret")
    ran = fresh.run("QueryZone", "count=true")
    assert ran.status == 4 and "ID.1000" in ran.err


def test_the_simulator_checks_signature_format_and_date_skew(z, fresh_sim):
    key_id, secret = _make_key(z)
    key = AccessKey(key_id, secret)
    url = f"{fresh_sim.api}/zones"
    assert requests.get(url, headers=key.headers("GET", "/zones"), timeout=10).status_code == 200
    old = key.headers("GET", "/zones", datetime.now(UTC) - timedelta(minutes=20))
    r = requests.get(url, headers=old, timeout=10)
    assert (r.status_code, r.text) == (403, "requestTimeTooSkewed")
    r = requests.get(url, headers={"Authorization": key.headers("GET", "/zones")["Authorization"]}, timeout=10)
    assert (r.status_code, r.text) == (400, "'Date' must be incuded in request header")
    r = requests.get(url, headers={**key.headers("GET", "/zones"), "Date": "yesterday"}, timeout=10)
    assert r.status_code == 400 and "'Date' format error" in r.text
    r = requests.get(url, headers={**key.headers("GET", "/zones"), "Authorization": f"ZStack {key_id}"}, timeout=10)
    assert (r.status_code, r.text) == (400, "accessKey format is 'ZStack AccessKeyId:Signature'")
    r = requests.get(url, headers=key.headers("GET", "/l3-networks"), timeout=10)  # signed for another path
    assert r.status_code == 503 and r.json()["error"]["code"] == "ID.1000"
