"""The one secret policy (:mod:`zcli.secrets`): every layer makes the same decision for every parameter of every
API in the catalogue: the grammar, ``--debug``, kept results, the shell's history and highlighting, the prompts,
completion and one-shot error lines."""

from __future__ import annotations

import io
import json
import time

import pytest

from zcli import secret_input, secrets
from zcli.api.client import mask as debug_mask
from zcli.catalog import load_catalog, type_kind
from zcli.catalog.kinds import element_type
from zcli.completion.params import ParamCompleter
from zcli.core import Environment, Report
from zcli.errors import UsageError
from zcli.grammar import build_request, parse_command
from zcli.secrets import MASK
from zcli.secrets.redactor import Redactor
from zcli.secrets.values import mask_data, mask_text, part_spans
from zcli.secrets.words import has_secret_words, words_secret_values
from zcli.shell.secrets import has_secret, mask, secret_spans

_SAMPLE = {"int": "1", "float": "1.5", "bool": "true"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog({})


def _value(param, marker: str) -> str:
    """A valid value for ``param`` that holds ``marker`` wherever the type allows text."""
    if param.values:
        return str(param.values[0])
    kind = param.kind
    if param.range and kind in ("int", "float"):
        return str(param.range[0])
    if kind in _SAMPLE:
        return _SAMPLE[kind]
    if kind in ("map", "object"):
        return "{}"
    if kind == "list":
        element = element_type(param.type)
        return marker if type_kind(element) == "string" else "[]"
    if param.max_length and param.max_length < len(marker):
        return marker[: param.max_length]
    return marker


def _cases(catalog):
    """(api, param, marker, words) for each text parameter of each non-query API: the words give every
    parameter of the API, each with its own marker."""
    for name in catalog.api_names:
        api = catalog.api(name)
        if api.query:
            continue
        values = {p.name: _value(p, f"M{i}x{p.name}Q") for i, p in enumerate(api.params)}
        words = [name, *(f"{k}={v}" for k, v in values.items())]
        yield api, values, words


def _find(data, key):
    """Every value held under ``key`` anywhere in ``data``."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            yield from _find(v, key)
    elif isinstance(data, list):
        for v in data:
            yield from _find(v, key)


def test_every_layer_decides_as_the_policy_for_every_parameter(catalog):
    completer = ParamCompleter(catalog)
    checked = secret_count = 0
    for api, values, words in _cases(catalog):
        cmd = parse_command(words, catalog)
        body = build_request(cmd).body
        logged = debug_mask(body, cmd.secret_params)
        query = dict(debug_mask(dict(build_request(cmd).query or {}), cmd.secret_params))
        for param in api.params:
            value = values[param.name]
            secret = secrets.is_secret(param.name)
            secret_count += secret
            where = f"{api.name} {param.name}"
            # the grammar
            assert (param.name in cmd.secret_params) == secret, where
            # --debug and kept results (one function): the value is masked where it is sent
            sent = [*_find(logged, param.name), *([query[param.name]] if param.name in query else [])]
            if value.startswith("M") and sent:
                assert all((v == MASK) == secret for v in sent), (where, sent)
            # the shell: highlighting and history
            line = f"{api.name} {param.name}={value}"
            assert has_secret(catalog, line) == (secret and bool(value)), where
            if secret:
                assert value not in mask(catalog, line), where
            # the prompts: a secret without echo, anything else with it
            if param.required:
                asked = dict(secrets.required_prompts(api, set()))
                assert asked[param.name] == (not secret), where
            # completion offers a secret nothing
            if secret:
                assert completer.complete(api, f"{param.name}=", set()) == [], where
            # one-shot error lines
            report = Report(Environment(io.StringIO(), io.StringIO(), io.StringIO(), {}))
            report.secrets.remember(words)
            shown = report.line(f"the server refused '{value}'")
            assert (value in shown) == (not secret or len(value) < 2), where
            checked += 1
    assert checked > 5000 and secret_count > 50, (checked, secret_count)


def test_required_url_is_asked_with_echo_and_password_without(catalog):
    """Issue 9: ``AddImage`` without ``url=`` asked for it without echo, as if it were a password."""
    prompts = dict(secrets.required_prompts(catalog.api("AddImage"), {"name"}))
    assert prompts["url"] is True
    login = dict(secrets.required_prompts(catalog.api("LogInByAccount"), {"accountName"}))
    assert login == {"password": False}
    flagged = [(a, p.name) for a in catalog.api_names for p in catalog.api(a).params
               if p.required and p.password and not secrets.is_secret(p.name)]
    assert len(flagged) >= 10  # url, monUrls...: flagged by ZStack for its logs, asked with echo by zcli
    assert all(secrets.prompt_echoes(name) for _, name in flagged)


@pytest.mark.parametrize("body, expected", [
    ({"setVmConsolePassword": {"uuid": "u1", "consolePassword": "pw"}},
     {"setVmConsolePassword": {"uuid": "u1", "consolePassword": MASK}}),
    ({"params": {"name": "vm", "systemTags": ["consolePassword::pw1", "hostname::h1", "rootPassword::pw2"]}},
     {"params": {"name": "vm", "systemTags": [f"consolePassword::{MASK}", "hostname::h1", f"rootPassword::{MASK}"]}}),
    ({"params": {"resourceUuid": "u", "tag": "userdata::I2Nsb3VkLWNvbmZpZw=="}},
     {"params": {"resourceUuid": "u", "tag": f"userdata::{MASK}"}}),
    ({"params": {"url": "http://bob:pw@h/i.qcow2", "sshKey": "ssh-rsa AAA"}},
     {"params": {"url": f"http://bob:{MASK}@h/i.qcow2", "sshKey": "ssh-rsa AAA"}}),
    ({"inventory": {"uuid": "s", "password": None}}, {"inventory": {"uuid": "s", "password": None}}),
])
def test_mask_data_masks_the_secret_not_its_neighbours(body, expected):
    assert mask_data(body) == expected


@pytest.mark.parametrize("line, hidden, kept", [
    ("LogInByAccount accountName=admin password =PW1x", "PW1x", "admin"),
    ("LogInByAccount accountName=admin password= PW2x", "PW2x", "admin"),
    ("LogInByAccount accountName=admin password = PW3x", "PW3x", "admin"),
    ("CreateVmInstance name=v systemTags=consolePassword::PW4x,hostname::h1", "PW4x", "hostname::h1"),
    ("CreateSystemTag resourceUuid=u resourceType=VmInstanceVO tag=rootPassword::PW5x", "PW5x", "resourceUuid=u"),
    ("QueryVmInstance __systemTag__=consolePassword::PW6x", "PW6x", "QueryVmInstance"),
    ("connect http://bob:PW7x@127.0.0.1:8080/zstack", "PW7x", "bob"),
    ("SetVmConsolePassword uuid=u1 consolePassword='PW 8x'", "PW 8x", "uuid=u1"),
])
def test_shell_line_secrets(catalog, line, hidden, kept):
    assert has_secret(catalog, line)
    shown = mask(catalog, line)
    assert hidden not in shown and kept in shown, shown
    assert all(line[s:e] for s, e in secret_spans(catalog, line))


@pytest.mark.parametrize("words, hidden", [
    (["LogInByAccount", "accountName=admin", "password", "=PW1x"], "PW1x"),
    (["LogInByAccount", "password=", "PW2x"], "PW2x"),
    (["--url", "http://admin:PW3x@h/zstack", "QueryZone"], "PW3x"),
    (["CreateVmInstance", "systemTags=rootPassword::PW4x"], "PW4x"),
])
def test_redactor_hides_what_was_typed(words, hidden):
    redactor = Redactor()
    redactor.remember(words)
    assert hidden not in redactor.text(f"error near {' '.join(words)} and '{hidden}'")


def test_plain_words_are_not_secret():
    assert words_secret_values(["QueryZone", "name=password", "uuid=secret"]) == []
    assert not has_secret_words(["CreateZone", "name=z", "description=my token"])


def test_secret_source():
    assert secret_input.secret_source("@-") == ("stdin", "")
    assert secret_input.secret_source("@/run/pw") == ("file", "/run/pw")
    assert secret_input.secret_source("@@lit") == ("value", "@lit")
    assert secret_input.secret_source("plain") == ("value", "plain")
    assert secret_input.secret_source("@") == ("value", "@")


@pytest.mark.parametrize("text", [
    "x" * 100_000,
    "http" * 25_000,
    "a:" * 50_000,
    "://" + "a" * 100_000,
    "rootPassword::" + "p" * 100_000,
    "k=" * 50_000,
])
def test_long_values_cost_linear_time(text):
    started = time.perf_counter()
    mask_text(text)
    part_spans(text, "monUrls")
    words_secret_values(["AddImage", f"url={text}"])
    assert time.perf_counter() - started < 0.5


def test_mask_text_masks_key_values_and_tags():
    text = json.dumps({"a": 1}) + " password=abc rootPassword::xyz http://u:p@h"
    shown = mask_text(text)
    assert "abc" not in shown and "xyz" not in shown and ":p@" not in shown and '{"a": 1}' in shown


def test_mask_text_keeps_placeholders():
    hint = "log in with: LogInByAccount accountName=NAME password=PASSWORD (or password=@FILE)"
    assert mask_text(hint) == hint
    redactor = Redactor()
    redactor.remember(["LogInByAccount", "password=SHOUTED"])
    assert "SHOUTED" not in redactor.text("refused password=SHOUTED")


def test_read_secret_sources(tmp_path):


    (tmp_path / "pw").write_text("from-file\nsecond line\n")
    redactor = Redactor()
    words = ["CreateAccount", "name=a", f"password=@{tmp_path / 'pw'}", "url=@kept", "description=@x"]
    assert secret_input.read_secret_sources(words, remember=redactor.remember_value) == \
        ["CreateAccount", "name=a", "password=from-file", "url=@kept", "description=@x"]
    assert "from-file" not in redactor.text("bad from-file")
    assert secret_input.read_secret_sources(["X", "password=@-"], stdin=io.StringIO("piped\n")) == \
        ["X", "password=piped"]
    assert secret_input.read_secret_sources(["X", "password=@-"], ask=lambda p, e: f"asked {p}{e}") == \
        ["X", "password=asked password: False"]
    assert secret_input.read_secret_sources(["X", "password=@@lit"]) == ["X", "password=@lit"]
    with pytest.raises(UsageError, match="one secret a command"):
        secret_input.read_secret_sources(["X", "password=@-", "oldPassword=@-"], stdin=io.StringIO("a\nb\n"))
    with pytest.raises(UsageError, match="empty"):
        secret_input.read_secret_sources(["X", "password=@-"], stdin=io.StringIO(""))
