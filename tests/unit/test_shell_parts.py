"""The shell's parts: completer adapter, live-value cache, lexer (with secrets masked), secret detection,
history file."""

from __future__ import annotations

import stat
import threading

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from zcli.catalog import Catalog
from zcli.completion import CompletionEngine
from zcli.shell.builtins import builtin_help
from zcli.shell.completer import EngineCompleter
from zcli.shell.history import SafeFileHistory
from zcli.shell.lexer import ShellLexer
from zcli.shell.live import LiveValues, QueryFetcher
from zcli.shell.secrets import has_secret, mask

BUILTINS = builtin_help()  # the shell's


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


# --- completer adapter ------------------------------------------------------------------------------
def test_completer_adapts_engine_suggestions(catalog):
    completer = EngineCompleter(CompletionEngine(catalog, builtins=BUILTINS))
    doc = Document("QueryVmInstance vmNics.l3N")
    got = list(completer.get_completions(doc, CompleteEvent(completion_requested=True)))
    assert [c.text for c in got] == ["vmNics.l3NetworkUuid", "vmNics.l3Network."]
    assert all(c.start_position == -len("vmNics.l3N") for c in got)
    assert got[1].display_text == "l3Network." and "L3NetworkInventory" in got[1].display_meta_text


def test_completer_uses_the_current_line_only(catalog):
    completer = EngineCompleter(CompletionEngine(catalog, builtins=BUILTINS))
    doc = Document("QueryZone\nQueryModelS", len("QueryZone\nQueryModelS"))
    assert next(c.text for c in completer.get_completions(doc, CompleteEvent())) == "QueryModelService"


# --- live values ------------------------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_live_values_never_block_and_fill_in_the_background():
    gate = threading.Event()
    calls = []

    def fetch(endpoint, inventory, field):
        calls.append((endpoint, inventory, field))
        gate.wait(5)
        return ["u1", "u2"]

    updates = []
    live = LiveValues(fetch, lambda: "http://a", on_update=lambda: updates.append(1))
    assert live.values("ZoneInventory", "uuid") is None  # nothing cached: answers at once
    assert live.values("ZoneInventory", "uuid") is None  # a fetch is pending: not scheduled twice
    gate.set()
    live.wait()
    assert live.values("ZoneInventory", "uuid") == ["u1", "u2"]
    assert calls == [("http://a", "ZoneInventory", "uuid")]
    assert updates == [1]
    live.close()


def test_live_values_expire_and_are_kept_per_endpoint():
    clock = Clock()
    endpoint = ["http://a"]
    answers = {"http://a": ["a1"], "http://b": ["b1"]}
    calls = []

    def fetch(ep, inventory, field):
        calls.append(ep)
        return answers[ep]

    live = LiveValues(fetch, lambda: endpoint[0], ttl=30, clock=clock)
    live.values("ZoneInventory", "uuid")
    live.wait()
    assert live.values("ZoneInventory", "uuid") == ["a1"]
    endpoint[0] = "http://b"
    assert live.values("ZoneInventory", "uuid") is None  # another endpoint: its own cache
    live.wait()
    assert live.values("ZoneInventory", "uuid") == ["b1"]
    endpoint[0] = "http://a"
    answers["http://a"] = ["a2"]
    clock.now = 31  # stale: the old answer is given while a fresh one is fetched
    assert live.values("ZoneInventory", "uuid") == ["a1"]
    live.wait()
    assert live.values("ZoneInventory", "uuid") == ["a2"]
    assert calls == ["http://a", "http://b", "http://a"]
    live.close()


def test_live_fetch_failures_give_no_values_for_a_while():
    clock = Clock()
    calls = []

    def fetch(*key):
        calls.append(key)
        raise ConnectionError("down")

    live = LiveValues(fetch, lambda: "http://a", error_ttl=10, clock=clock)
    live.values("ZoneInventory", "uuid")
    live.wait()
    assert live.values("ZoneInventory", "uuid") == []
    assert len(calls) == 1
    clock.now = 11
    live.values("ZoneInventory", "uuid")
    live.wait()
    assert len(calls) == 2
    live.close()


def test_query_fetcher_asks_the_inventory_query_api(catalog):
    sent = []

    class Client:
        def send(self, request):
            sent.append(request)
            return {"inventories": [{"name": "a"}, {"name": "b"}, {"name": "a"}, {"name": None}, {}]}

    session = ["s1"]
    fetcher = QueryFetcher(catalog, lambda: session[0], lambda ep, s: Client(), limit=50)
    assert fetcher("http://a", "VmInstanceInventory", "name") == ["a", "b"]
    (req,) = sent
    assert req.api.name == "QueryVmInstance"
    assert ("limit", "50") in req.query and ("fields", "name") in req.query
    assert fetcher.query_api("ZoneInventory") == "QueryZone"
    session[0] = None
    assert fetcher("http://a", "VmInstanceInventory", "name") == []  # not logged in: nothing asked
    assert len(sent) == 1


def test_query_fetcher_gives_uuids_with_their_names(catalog):
    sent = []

    class Client:
        def send(self, request):
            sent.append(request)
            return {"inventories": [{"uuid": "u1", "name": "web"}, {"uuid": "u2"}, {"uuid": "u1", "name": "x"}]}

    fetcher = QueryFetcher(catalog, lambda: "s1", lambda ep, s: Client())
    assert fetcher("http://a", "VmInstanceInventory", "uuid") == [("u1", "web"), ("u2", "")]
    assert ("fields", "uuid,name") in sent[0].query
    # An inventory without names: plain uuids.
    nameless = next(inv for inv in ("VmNicInventory", "SystemTagInventory")
                    if "name" not in catalog.fields(inv) and fetcher.query_api(inv))
    assert fetcher("http://a", nameless, "uuid") == ["u1", "u2"]
    assert ("fields", "uuid") in sent[1].query


# --- lexer ------------------------------------------------------------------------------------------
def styles(catalog, line):
    return [(style.removeprefix("class:"), text) for style, text in ShellLexer(catalog, BUILTINS).fragments(line)]


def test_lexer_colours_api_keys_operators_values(catalog):
    assert styles(catalog, "QueryVmInstance vmNics.ip!=10.0.0.1 limit=3") == [
        ("api", "QueryVmInstance"), ("", " "), ("key", "vmNics.ip"), ("operator", "!="), ("value", "10.0.0.1"),
        ("", " "), ("special", "limit"), ("operator", "="), ("value", "3")]


def test_lexer_marks_errors(catalog):
    assert styles(catalog, "QueryVmInstanc")[0] == ("error", "QueryVmInstanc")
    assert ("error", "nosuch") in styles(catalog, "QueryVmInstance nosuch=1")
    assert ("error", "bogus") in styles(catalog, "CreateZone bogus=1")
    assert styles(catalog, "watch 2 QueryZone")[:3] == [("builtin", "watch"), ("", " 2 "), ("api", "QueryZone")]


def test_lexer_colours_per_line_options_and_their_values(catalog):
    from zcli.options import line_option_help

    got = [(style.removeprefix("class:"), text) for style, text in
           ShellLexer(catalog, BUILTINS, line_option_help()).fragments("QueryZone -o json --query a[?b=='c'] --all")]
    assert got == [("api", "QueryZone"), ("", " "), ("special", "-o"), ("", " "), ("value", "json"), ("", " "),
                   ("special", "--query"), ("", " "), ("value", "a[?b=='c']"), ("", " "), ("special", "--all")]


def test_lexer_masks_passwords_keeping_the_length(catalog):
    line = "LogInByAccount accountName=admin password='s3 cret'"
    got = styles(catalog, line)
    assert got[-1] == ("secret", "*" * len("'s3 cret'"))
    assert "".join(text for _, text in got) == line.replace("'s3 cret'", "*********")


# --- secrets and the history file --------------------------------------------------------------------
@pytest.mark.parametrize(("line", "secret"), [
    ("LogInByAccount accountName=admin password=x", True),
    ("AddKVMHost username=root password=x managementIp=1.2.3.4", True),
    ("UpdateAccount uuid=1 password=x", True),
    ("NoSuchApi newPassword=x", True),  # any key that looks like a password
    ("watch 5 LogInByAccount accountName=a password=x", True),
    ("LogInByAccount accountName=admin", False),
    ("QueryVmInstance name=password", False),
    ("", False),
    ("LogInByAccount 'password=x", True),  # an open quote still hides it
    ("LogInByAccount accountName=admin pasword=Typo77", True),  # a key close to a secret name
    ("LogInByAccount accountName=admin Password=x", True),
    ("AddAliyunKeySecret name=k key=AKID secret=S", True),
    ("QueryZone sshPrivKey=x", True),
    ("AddImage name=a url=http://u:p@h/i", True),  # the URL holds credentials
    # the catalogue's log-masking flag on url/monUrls/tag is no secret (second pass, S2)
    ("AddImage name=a url=http://h/i backupStorageUuids=b", False),
    ("AddNfsPrimaryStorage name=n url=nfs-host:/export zoneUuid=z", False),
    ("CreateUserTag resourceType=VmInstanceVO resourceUuid=r tag=owner::alice", False),
    ("CreateSystemTags tags=a::b,c::d", False),
    ("AddCephPrimaryStorage name=c monUrls=root:pw@10.0.0.1,root:pw@10.0.0.2 zoneUuid=z", True),
    ("AddLdapServer name=l url=\"ldap://cn=admin:S3c@ldap.example\"", True),
    ("QuerySecretResourcePool secretResourcePoolUuid=x tokenUrl=y", False),
])
def test_secret_lines(catalog, line, secret):
    assert has_secret(catalog, line) is secret


def test_mask(catalog):
    assert mask(catalog, "LogInByAccount accountName=a password=\"p w\" x=1") == \
        "LogInByAccount accountName=a password=***** x=1"


@pytest.mark.parametrize(("line", "masked"), [
    ("AddImage name=a url=http://alice:P4ss@h/i.qcow2", "AddImage name=a url=http://alice:*****@h/i.qcow2"),
    ("AddImage name=a url='http://alice:P4ss@h/i'", "AddImage name=a url='http://alice:*****@h/i'"),
    ("AddCephPrimaryStorage monUrls=root:Pw1@10.0.0.1,admin:Pw2@10.0.0.2",
     "AddCephPrimaryStorage monUrls=root:*****@10.0.0.1,admin:*****@10.0.0.2"),
    ("AddImage name=a url=http://h/i", "AddImage name=a url=http://h/i"),
    ("CreateUserTag tag=owner::alice", "CreateUserTag tag=owner::alice"),
])
def test_mask_keeps_urls_and_tags_and_hides_only_url_passwords(catalog, line, masked):
    assert mask(catalog, line) == masked


def test_lexer_masks_only_the_password_of_a_url(catalog):
    line = "AddImage name=a url=http://alice:P4ss@h/i"
    got = styles(catalog, line)
    assert ("secret", "****") in got
    assert "".join(text for _, text in got) == line.replace("P4ss", "****")
    plain = "AddImage name=a url=http://h/i"
    assert "".join(text for _, text in styles(catalog, plain)) == plain
    assert all(style != "secret" for style, _ in styles(catalog, plain))


def test_history_file_is_private_and_drops_secret_lines(tmp_path, catalog):
    path = tmp_path / "s" / "history"
    path.parent.mkdir()
    path.write_text("")
    path.chmod(0o644)
    history = SafeFileHistory(path, lambda line: has_secret(catalog, line))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    history.append_string("QueryZone")
    history.append_string("LogInByAccount accountName=admin password=pw")
    assert list(history.get_strings()) == ["QueryZone"]
    assert "pw" not in path.read_text() and "QueryZone" in path.read_text()
    again = SafeFileHistory(path, lambda line: False)
    assert list(again.load_history_strings()) == ["QueryZone"]


def test_history_file_drops_a_misspelt_password(tmp_path, catalog):
    path = tmp_path / "history"
    history = SafeFileHistory(path, lambda line: has_secret(catalog, line))
    history.append_string("LogInByAccount accountName=admin pasword=Typo77")
    history.append_string("AddAliyunKeySecret name=k key=AKID secret=TOPSECRET")
    assert list(history.get_strings()) == []
    assert "Typo77" not in path.read_text() and "TOPSECRET" not in path.read_text()
    assert mask(catalog, "LogInByAccount accountName=admin pasword=Typo77") == \
        "LogInByAccount accountName=admin pasword=*****"
