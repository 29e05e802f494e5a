"""The completion engine over the packaged catalogue: table-driven situations."""

from __future__ import annotations

import pytest

from zcli.catalog import Catalog
from zcli.completion import CompletionEngine, Suggestion
from zcli.completion.engine import ZQL_STATEMENTS
from zcli.grammar.operators import OPERATORS_BY_KIND, SPECIAL_KEYS, TAG_KEYS
from zcli.shell.builtins import builtin_help

BUILTINS = builtin_help()  # the shell's


class FakeLive:
    """A live source with fixed answers; records what it was asked."""

    def __init__(self, answers: dict[tuple[str, str], list[str]] | None = None):
        self.answers = answers or {}
        self.asked: list[tuple[str, str]] = []

    def values(self, inventory: str, field: str) -> list[str] | None:
        self.asked.append((inventory, field))
        return self.answers.get((inventory, field))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


@pytest.fixture(scope="module")
def engine(catalog) -> CompletionEngine:
    return CompletionEngine(catalog, builtins=BUILTINS)


def texts(engine: CompletionEngine, line: str) -> list[str]:
    return [s.text for s in engine.complete(line)]


def displays(engine: CompletionEngine, line: str) -> list[str]:
    return [s.display for s in engine.complete(line)]


# --- what each situation must offer (and must not) ------------------------------------------------
CONTAINS = [
    # first word: APIs and built-ins
    ("", ["help", "exit", "QueryModelService", "CreateVmInstance"]),
    ("QueryModelS", ["QueryModelService", "QueryModelServiceInstanceGroup"]),
    ("querymodels", ["QueryModelService"]),  # case-insensitive prefix
    ("he", ["help"]),
    ("wat", ["watch"]),
    # after a query API: fields, tables as name., special and tag keys
    ("QueryModelService ", ["name", "requestCpu", "modelCenterUuid", "modelServiceRefs.", "modelCenter.",
                            "limit=", "sortBy=", "fields=", "__systemTag__", "__userTag__", "__tagUuid__"]),
    ("QueryModelService modelServiceRefs.", ["modelServiceRefs.modelServiceUuid"]),
    ("QueryVmInstance ", ["vmNics.", "zone.", "allVolumes.", "cluster.", "host.", "state", "uuid"]),
    ("QueryVmInstance vmNics.", ["vmNics.ip", "vmNics.mac", "vmNics.l3Network.", "vmNics.eip.",
                                 "vmNics.securityGroup."]),  # aliases offered as tables too
    ("QueryVmInstance vmNics.l3Network.", ["vmNics.l3Network.name", "vmNics.l3Network.l2Network."]),
    ("QueryVmInstance vmNics.l3Network.l2Network.zone.", ["vmNics.l3Network.l2Network.zone.name"]),
    ("QueryVmInstance vmNics.l3Network.l2", ["vmNics.l3Network.l2NetworkUuid", "vmNics.l3Network.l2Network."]),
    ("QueryVmNic securityGroup.", ["securityGroup.name", "securityGroup.rules."]),
    ("QueryL3Network dn", ["dns", "dnsDomain"]),  # a collection of primitives is a field
    ("QueryModelService cpu", ["requestCpu"]),  # fuzzy within fields
    ("QueryModelService requestCpu", ["requestCpu>=", "requestCpu<=", "requestCpu?="]),
    ("QueryModelService name!", ["name!=", "name!~=", "name!?="]),
    ("QueryModelService name~", ["name~="]),
    ("QueryModelService requestCpu>", ["requestCpu>="]),
    # values
    ("QueryModelService system=", ["system=true", "system=false", "system=null"]),
    ("QueryModelService system!=", ["system!=null"]),
    ("QueryAccount type=", ["type=SystemAdmin", "type=Normal"]),
    ("QueryAccount type=Sys", ["type=SystemAdmin"]),
    ("QueryAccount type?=SystemAdmin,", ["type?=SystemAdmin,Normal"]),
    ("QueryVmInstance sortDirection=", ["sortDirection=asc", "sortDirection=desc"]),
    ("QueryVmInstance count=", ["count=true", "count=false"]),
    ("QueryVmInstance replyWithCount=t", ["replyWithCount=true"]),
    ("QueryVmInstance sortBy=", ["sortBy=name", "sortBy=createDate"]),
    ("QueryVmInstance fields=", ["fields=uuid", "fields=name"]),
    ("QueryVmInstance fields=uuid,", ["fields=uuid,name", "fields=uuid,state"]),
    ("QueryVmInstance groupBy=zone", ["groupBy=zoneUuid"]),
    # non-query APIs
    ("CreateVmInstance ", ["name=", "instanceOfferingUuid=", "imageUuid=", "systemTags=", "userTags="]),
    ("CreateVmInstance name=vm1 ", ["imageUuid=", "l3NetworkUuids="]),
    ("CreateVmInstance type=", ["type=UserVm", "type=ApplianceVm"]),
    ("CreateVmInstance strategy=Just", ["strategy=JustCreate"]),
    ("CreateVmInstance virtio=", ["virtio=true", "virtio=false"]),
    # built-ins
    ("help ", ["QueryVmInstance"]),
    ("help QueryVmI", ["QueryVmInstance", "QueryVmInstanceDeviceAddressGroup"]),
    ("set ", ["output"]),
    ("set output ", ["table", "json", "yaml", "csv", "tsv", "jsonl", "value"]),
    ("watch 5 QueryVm", ["QueryVmInstance"]),
    ("watch 5 QueryVmInstance na", ["name"]),
]


@pytest.mark.parametrize(("line", "expected"), CONTAINS)
def test_offers(engine, line, expected):
    got = texts(engine, line)
    missing = [e for e in expected if e not in got]
    assert not missing, f"{line!r}: missing {missing}; got {got[:30]}"


ABSENT = [
    ("QueryModelService ", ["modelServiceRefs", "modelServiceImages"]),  # tables only as name.
    ("QueryVmNic ", ["securityGroupRef.", "loadBalancerListenerRef.", "loadBalancerServerGroupRef."]),  # hidden
    ("QueryVmInstance vmNics.", ["vmNics.usedIps", "vmNics.securityGroupRef."]),  # objects; hidden expansion
    ("QueryVmInstance limit=5 ", ["limit="]),  # special key used already
    ("QueryVmInstance sortBy=name ", ["sortBy="]),
    ("QueryVmInstance fields=uuid,", ["fields=uuid,uuid"]),  # no repeats
    ("QueryVmInstance fields=", ["fields=vmNics.", "fields=vmNics", "fields=zone.", "fields=limit="]),  # own fields
    ("QueryVmInstance sortBy=", ["sortBy=vmNics", "sortBy=vmNics.", "sortBy=allVolumes"]),  # one primitive field
    ("QueryAccount type?=SystemAdmin,", ["type?=SystemAdmin,SystemAdmin", "type?=SystemAdmin,null"]),
    ("QueryModelService system>", ["system>="]),  # booleans take = and != only
    ("QueryModelService requestCpu", ["requestCpu~="]),  # no like on integers
    ("QueryModelService system", ["system>", "system~="]),
    ("QueryModelService requestCpu>=", ["requestCpu>=null"]),  # null only after = and !=
    ("CreateVmInstance name=vm1 ", ["name="]),  # given already
    ("CreateVmInstance ", ["name", "uuid="]),
    ("QueryVmInstance na", ["help", "QueryVmInstance"]),  # not a first word
    ("NoSuchApi ", ["name"]),
    ("QueryVmInstance nosuch.", ["nosuch.name"]),
    ("he", ["QueryModelService"]),  # two letters: prefix matches only
]


@pytest.mark.parametrize(("line", "unexpected"), ABSENT)
def test_does_not_offer(engine, line, unexpected):
    got = texts(engine, line)
    present = [u for u in unexpected if u in got]
    assert not present, f"{line!r}: should not offer {present}"


def test_nothing_for_unknown_things(engine):
    assert engine.complete("NoSuchApi ") == []
    assert engine.complete("QueryVmInstance nosuch.") == []
    assert engine.complete("QueryVmInstance nosuch=") == []
    assert engine.complete("QueryVmInstance limit=") == []  # a number: nothing to offer
    assert engine.complete("history ") == []


# --- ordering and ranking -------------------------------------------------------------------------
def test_prefix_matches_come_before_fuzzy_ones(engine):
    got = texts(engine, "QueryModelS")
    assert got[:2] == ["QueryModelService", "QueryModelServiceInstanceGroup"]
    assert all(t.lower().startswith("querymodels") for t in got[:2])


def test_fuzzy_initials_find_query_model_service_first(engine):
    assert texts(engine, "qms")[0] == "QueryModelService"
    assert texts(engine, "cvi")[0] == "CreateVmInstance"


def test_fuzzy_ranks_compact_matches_higher(engine):
    got = texts(engine, "QueryModelService rcpu")
    assert got[0] == "requestCpu"


def test_builtins_first_and_omittable(catalog):
    with_builtins = CompletionEngine(catalog, builtins=BUILTINS)
    assert texts(with_builtins, "")[: len(BUILTINS)] == list(BUILTINS)
    one_shot = CompletionEngine(catalog, builtins={})
    got = texts(one_shot, "")
    assert not set(BUILTINS) & set(got)
    assert len(got) == len(catalog.api_names) + len(ZQL_STATEMENTS)  # the ZQL keywords start lines too
    assert one_shot.complete("help ") == []


def test_fields_first_then_tables_then_special_keys(engine):
    got = texts(engine, "QueryModelService ")
    assert got[:2] == ["uuid", "name"]
    assert got.index("lastOpDate") < got.index("modelCenter.") < got.index("limit=") < got.index("__systemTag__")


def test_operators_follow_a_complete_field_in_kind_order(engine):
    got = displays(engine, "QueryModelService requestCpu")
    assert got[: len(OPERATORS_BY_KIND["int"])] == list(OPERATORS_BY_KIND["int"])
    got = displays(engine, "QueryModelService system")
    assert got[:2] == ["=", "!="]
    assert "supportDistributed" not in got


def test_required_parameters_first_and_marked(engine):
    got = engine.complete("CreateVmInstance ")
    assert got[0].text == "name=" and got[0].meta.startswith("required")
    assert not any(s.meta.startswith("required") for s in got[1:])


def test_every_special_and_tag_key_offered_on_an_empty_word(engine):
    got = texts(engine, "QueryZone ")
    assert all(k + "=" in got for k in SPECIAL_KEYS)
    assert all(k in got for k in TAG_KEYS)


# --- what a suggestion holds ------------------------------------------------------------------------
def test_suggestion_replaces_the_current_word(engine):
    s = engine.complete("QueryVmInstance vmNics.l3Network.l2")[0]
    assert s.start == -len("vmNics.l3Network.l2")
    assert s.text.startswith("vmNics.l3Network.")
    assert s.display == s.text.removeprefix("vmNics.l3Network.")
    assert engine.complete("QueryVmInstance ")[0].start == 0


def test_first_word_meta_shows_category_and_since(engine):
    (s,) = [s for s in engine.complete("QueryModelService") if s.text == "QueryModelService"]
    assert s.meta == "ai/model-services · since 5.2.1"
    (s,) = [s for s in engine.complete("QueryVmInstance") if s.text == "QueryVmInstance"]
    assert "vm-instances" in s.meta and "since 0.6" in s.meta


def test_field_meta_shows_type_and_description(engine, catalog):
    (s,) = [s for s in engine.complete("QueryModelService requestC") if s.text == "requestCpu"]
    field = catalog.fields("ModelServiceInventory")["requestCpu"]
    assert s.meta.startswith("Integer · ") and field.desc in s.meta
    (s,) = [s for s in engine.complete("QueryVmInstance vmN") if s.text == "vmNics."]
    assert "VmNicInventory" in s.meta


def test_operator_meta_is_operator_help(engine):
    by_op = {s.display: s.meta for s in engine.complete("QueryModelService name")}
    assert by_op["~="].startswith("like")
    assert by_op["?="].startswith("in")


def test_quotes_open_at_the_end_belong_to_the_current_word(catalog):
    live = FakeLive({("VmInstanceInventory", "name"): ["my vm", "web-1"]})
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=live)
    got = engine.complete('QueryVmInstance name="my')
    assert [(s.text, s.start) for s in got] == [("name='my vm'", -len('name="my'))]


def test_values_needing_quotes_are_quoted(catalog):
    live = FakeLive({("VmInstanceInventory", "name"): ["it's mine", "a b"]})
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=live)
    got = texts(engine, "QueryVmInstance name=")
    assert "name=\"it's mine\"" in got and "name='a b'" in got


# --- live values ------------------------------------------------------------------------------------
def test_live_values_for_uuid_and_name_fields(catalog):
    live = FakeLive({("VmInstanceInventory", "uuid"): ["u1", "u2"],
                     ("ZoneInventory", "uuid"): ["z1"],
                     ("L3NetworkInventory", "name"): ["public-net"]})
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=live)
    # Live values come before the null test: after ``uuid=`` an operator wants a uuid.
    assert texts(engine, "QueryVmInstance uuid=") == ["uuid=u1", "uuid=u2", "uuid=null"]
    assert texts(engine, "QueryVmInstance uuid=u2") == ["uuid=u2"]
    assert "zoneUuid=z1" in texts(engine, "QueryVmInstance zoneUuid=")  # through the zone link
    assert texts(engine, "QueryVmInstance vmNics.l3Network.name=pub") == ["vmNics.l3Network.name=public-net"]
    assert texts(engine, "QueryVmInstance uuid?=u1,") == ["uuid?=u1,u2"]
    assert ("VmInstanceInventory", "description") not in live.asked  # only uuid and name fields
    engine.complete("QueryVmInstance description=")
    assert ("VmInstanceInventory", "description") not in live.asked


def test_live_uuids_show_their_resource_names_and_match_them(catalog):
    live = FakeLive({("VmInstanceInventory", "uuid"): [("u1", "qwen-infer-1"), ("u2", "vm-2"), ("u3", "")],
                     ("VmInstanceInventory", "name"): ["qwen-infer-1", "vm-2"]})
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=live)
    got = [(s.text, s.display, s.meta) for s in engine.complete("QueryVmInstance uuid=")]
    assert got == [("uuid=u1", "u1", "qwen-infer-1"), ("uuid=u2", "u2", "vm-2"), ("uuid=u3", "u3", "live"),
                   ("uuid=null", "null", "is null")]
    # Typing part of a name finds the uuid of that resource (value matches first).
    assert texts(engine, "QueryVmInstance uuid=qwen") == ["uuid=u1"]
    assert texts(engine, "QueryVmInstance uuid=u2") == ["uuid=u2"]
    assert texts(engine, "QueryVmInstance uuid!?=u1,vm-") == ["uuid!?=u1,u2"]
    # Static metas are not matched: "is null" does not answer "is".
    assert texts(engine, "QueryVmInstance uuid=is") == []
    assert texts(engine, "QueryVmInstance name=") == ["name=qwen-infer-1", "name=vm-2", "name=null"]
    assert [(s.text, s.meta) for s in engine.complete("StartVmInstance uuid=vm")] == [("uuid=u2", "vm-2")]


def test_use_offers_profiles_and_watch_offers_apis_only(catalog):
    engine = CompletionEngine(catalog, builtins=BUILTINS, profiles=lambda: ["prod", "lab", "lab2"])
    assert texts(engine, "use ") == ["lab", "lab2", "prod"]
    assert texts(engine, "use la") == ["lab", "lab2"]
    assert texts(CompletionEngine(catalog, builtins=BUILTINS), "use ") == []  # no profile source
    assert "exit" not in texts(engine, "watch 5 ") and "QueryZone" in texts(engine, "watch 5 ")
    assert texts(engine, "watch 5 ex") == [t for t in texts(engine, "watch 5 ex") if t not in BUILTINS]


def test_live_values_for_resource_parameters(catalog):
    live = FakeLive({("VmInstanceInventory", "uuid"): ["vm-a", "vm-b"], ("L3NetworkInventory", "uuid"): ["n1", "n2"]})
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=live)
    assert texts(engine, "StartVmInstance uuid=") == ["uuid=vm-a", "uuid=vm-b"]
    assert texts(engine, "CreateVmInstance l3NetworkUuids=n1,") == ["l3NetworkUuids=n1,n2"]


def test_live_source_answering_none_gives_static_values_only(catalog):
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=FakeLive())
    assert texts(engine, "QueryVmInstance uuid=") == ["uuid=null"]


def test_passwords_are_never_offered_values(catalog):
    live = FakeLive({("AccountInventory", "uuid"): ["a1"]})
    engine = CompletionEngine(catalog, builtins=BUILTINS, live=live)
    assert engine.complete("LogInByAccount password=") == []
    assert "password=" in texts(engine, "LogInByAccount ")


# --- the whole catalogue --------------------------------------------------------------------------
def test_every_query_api_completes_fields_without_hidden_ones(catalog, engine):
    for name in catalog.query_api_names():
        inventory = catalog.api_summary(name)[3]
        got = engine.complete(name + " ")
        assert all(isinstance(s, Suggestion) and s.start == 0 for s in got)
        hidden = {n for n, f in catalog.fields(inventory).items() if f.hidden}
        hidden |= {n + "." for n, lk in catalog.links(inventory).items() if lk.hidden}
        assert not hidden & {s.text for s in got}, name


def test_every_offered_path_resolves(catalog, engine):
    """Whatever the engine offers as a field (not a table) resolves in the catalogue, three hops deep."""
    for api in ("QueryVmInstance", "QueryModelService", "QueryL3Network", "QueryVmNic"):
        inventory = catalog.api_summary(api)[3]
        frontier = [""]
        for _depth in range(3):
            nxt = []
            for prefix in frontier:
                for s in engine.complete(f"{api} {prefix}"):
                    if s.text.endswith("."):
                        nxt.append(s.text)
                    elif s.text.split("=")[0] not in SPECIAL_KEYS and s.text not in TAG_KEYS:
                        assert catalog.resolve(inventory, s.text).field is not None
            frontier = nxt[:6]


def test_per_line_options_complete_in_the_shell_flavour():
    from zcli.options import line_option_help

    engine = CompletionEngine(Catalog(), builtins=BUILTINS, line_options=line_option_help())

    def texts(line):
        return [s.text for s in engine.complete(line)]

    assert set(texts("QueryZone --")) == {"--output", "--query", "--all", "--no-validate"}
    assert texts("QueryZone name=z -o j") == ["json", "jsonl"]
    assert texts("QueryZone --query ") == []  # a JMESPath: nothing to offer
    # options and their values are not conditions: the fields still complete after them
    assert texts("QueryZone -o json --all na") == ["name"]
    assert texts("CreateZone -o json na") == ["name="]
    # one-shot completion handles options itself: a plain engine offers none
    assert CompletionEngine(Catalog(), builtins=BUILTINS).complete("QueryZone --") == []
