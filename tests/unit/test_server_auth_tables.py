"""The login table and the hashing table (issue 10), each entry checked against the catalogue and the grammar."""

from __future__ import annotations

import hashlib

import pytest

from zcli.api import logins
from zcli.catalog import load_catalog
from zcli.grammar import parse_command
from zcli.grammar.hashing import AS_TYPED, HASHED, hashed_entry


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def sha(text: str) -> str:
    return hashlib.sha512(text.encode()).hexdigest()


# The login table: (API, its words, role, kind, account, user). The role comes from what the API is (its reply
# carries a SessionInventory), never from its name.
LOGIN_TABLE = [
    ("LogInByAccount", ["accountName=admin", "password=p"], "login", "account", "admin", None),
    ("LogInByUser", ["accountName=admin", "userName=demo", "password=p"], "login", "user", "admin", "demo"),
    ("LogInByLdap", ["uid=ldap-user", "password=p"], "login", "ldap", "ldap-user", None),
    ("LogIn", ["username=admin", "password=p", "loginType=account"], "login", "account", "admin", None),
    ("LogIn", ["username=u", "password=p", "loginType=ldap"], "login", "ldap", "u", None),
    ("LogIn", ["username=u", "password=p", "loginType=plugin"], "login", "plugin", "u", None),
    ("LoginIAM2VirtualID", ["name=iam2-user", "password=p"], "login", "iam2", None, "iam2-user"),
    ("LoginIAM2VirtualIDWithLdap", ["uid=ldap-user", "password=p"], "login", "iam2-ldap", None, "ldap-user"),
    ("LoginIAM2Platform", [], "login", "iam2-platform", "acc", "iam2-user"),
    ("LoginByCas", ["name=cas-user", "password=p", "type=cas"], "login", "cas", "cas-user", None),
    ("LoginIAM2Project", ["projectName=project-1"], "login", "iam2-project", "project-1", "iam2-user"),
    ("RenewSession", ["sessionUuid=s"], "renew", None, None, None),
    ("LogOut", ["sessionUuid=s"], "logout", None, None, None),
    ("ValidateSession", ["sessionUuid=s"], None, None, None, None),
    ("QueryAccount", [], None, None, None, None),
]


@pytest.mark.parametrize(("api", "words", "role", "kind", "account", "user"), LOGIN_TABLE)
def test_login_table(cat, api, words, role, kind, account, user):
    cmd = parse_command([api, *words], cat)
    assert logins.role(cmd.api) == role
    if role != "login":
        return
    current = logins.Identity("acc", "iam2-user", "iam2")  # the session a project/platform login is made from
    who = logins.identity(api, cmd.params, {"accountUuid": "A"}, current)
    assert (who.kind, who.account, who.user) == (kind, account, user)


def test_every_api_answering_with_a_session_is_in_the_table(cat):
    answering = {n for n in cat.api_names if logins.role(cat.api(n)) == logins.LOGIN}
    assert answering == set(logins.LOGINS)
    assert {row[0] for row in LOGIN_TABLE if row[2] == "login"} == answering


def test_an_unknown_login_api_is_still_kept_by_what_it_is():
    who = logins.identity("LogInByNewThing", {"username": "bob"}, {"accountUuid": "A"})
    assert (who.kind, who.account) == ("other", "bob")


# The hashing table: every entry names an API and parameter of the catalogue, cites its source, and is hashed;
# every password kept as typed is sent as typed.
@pytest.mark.parametrize("entry", HASHED, ids=lambda h: f"{h.api}.{h.param}")
def test_hashed_entries_are_hashed(cat, entry):
    assert cat.api(entry.api).param(entry.param) is not None
    assert ".java" in entry.source or "zstackcli/cli.py" in entry.source
    words = [entry.api, *_required_words(cat, entry.api, entry.param), f"{entry.param}=Secret1"]
    words += [f"{k}={v}" for k, v in entry.when]
    assert parse_command(words, cat).params[entry.param] == sha("Secret1")


@pytest.mark.parametrize(("api", "param", "why"), AS_TYPED, ids=lambda x: str(x)[:30])
def test_passwords_checked_elsewhere_go_as_typed(cat, api, param, why):
    assert cat.api(api).param(param) is not None and why
    words = [api, *_required_words(cat, api, param), f"{param}=Secret1"]
    assert parse_command(words, cat).params[param] == "Secret1"


@pytest.mark.parametrize("login_type", ["ldap", "plugin"])
def test_login_hashes_only_for_account_logins(cat, login_type):
    cmd = parse_command(["LogIn", "username=u", "password=Secret1", f"loginType={login_type}"], cat)
    assert cmd.params["password"] == "Secret1"
    assert hashed_entry("LogIn", "password", {"loginType": login_type}) is None
    cmd = parse_command(["LogIn", "password=Secret1", "username=u", "loginType=account"], cat)  # any order
    assert cmd.params["password"] == sha("Secret1")


def test_nothing_else_is_hashed(cat):
    hashed = {(h.api, h.param) for h in HASHED}
    for name in cat.api_names:
        for p in cat.api(name).params:
            if (name, p.name) not in hashed:
                assert hashed_entry(name, p.name, {"loginType": "account"}) is None


def _required_words(cat, api: str, skip: str) -> list[str]:
    out = []
    fixed = {k for h in HASHED for k, _ in h.when if h.api == api}
    for p in cat.api(api).params:
        if p.required and p.name != skip and p.name not in fixed:
            value = "1" if p.kind == "int" else ("a,b" if p.kind == "list" else "x")
            if p.values:
                value = str(p.values[0])
            out.append(f"{p.name}={value}")
    return out
