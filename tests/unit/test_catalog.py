"""The catalogue: completeness against the reference, lookup, inheritance and path resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zcli.catalog import ApiSummary, BadCatalogFile, Catalog, UnknownName, load_catalog
from zcli.catalog.compact import category_of
from zcli.errors import ExitStatus, UsageError
from zcli.grammar import parse_command

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "zstack-api.json"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog()


def test_counts_match_the_reference(cat):
    assert len(cat.api_names) == 1936
    assert len(cat.query_api_names()) == 337
    assert len(cat.inventory_names) == 532


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference file not beside the project")
def test_every_reference_api_and_inventory_is_kept(cat):
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert {a["name"] for a in ref["apis"]} == set(cat.api_names)
    assert set(ref["inventories"]) == set(cat.inventory_names)
    for a in ref["apis"]:
        api = cat.api(a["name"])
        assert api.method == a["method"]
        assert [p.name for p in api.params] == [p["name"] for p in a["params"]]
        assert api.query == a["query"]
    for name, inv in ref["inventories"].items():
        own = [f.name for f in cat.inventory(name).own_fields]
        assert own == [f["name"] for f in inv["fields"]]
        links = cat.links(name)
        for e in inv["expandedQueries"]:
            assert links[e["name"]].target == e["inventory"]
        assert set(cat.aliases(name)) == {a["alias"] for a in inv["aliases"]}


def test_api_lookup_is_case_sensitive_with_suggestions(cat):
    api = cat.api("QueryVmInstance")
    assert (api.method, api.path, api.inventory) == ("GET", "/vm-instances", "VmInstanceInventory")
    assert api.paths == ("/vm-instances/{uuid}",)
    with pytest.raises(UnknownName) as e:  # the catalogue's own error (a LookupError) ...
        cat.api("queryvminstance")
    assert isinstance(e.value, LookupError) and not isinstance(e.value, UsageError)
    assert e.value.suggestions[0] == "QueryVmInstance"
    usage = UsageError.of(e.value)  # ... which the grammar translates
    assert usage.status == ExitStatus.USAGE and usage.suggestions[0] == "QueryVmInstance"
    with pytest.raises(UsageError) as e:
        parse_command(["queryvminstance"], cat)
    assert e.value.suggestions[0] == "QueryVmInstance"
    with pytest.raises(UnknownName) as e:
        cat.api("QueryModelServce")
    assert "QueryModelService" in e.value.suggestions


def test_api_attributes(cat):
    start = cat.api("StartVmInstance")
    assert (start.method, start.action, start.body_key, start.sync) == ("PUT", True, "startVmInstance", False)
    assert start.param("uuid").location == "path"
    login = cat.api("LogInByAccount")
    assert login.session is False and login.param("password").password
    destroy = cat.api("DestroyVmInstance")
    assert destroy.param("deleteMode").location == "query"
    # literal "null" paths take the first optional path, as the Java SDK does
    assert cat.api("GetFreeIp").path != "null"


def test_categories_group_every_api(cat):
    groups = cat.categories()
    assert sum(len(v) for v in groups.values()) == 1936
    assert "QueryVmInstance" in groups["vm-instances"]
    assert "QueryModelService" in groups["ai/model-services"]
    assert category_of("/hosts/kvm") == "hosts"


def test_summary_from_index_without_parsing(cat):
    assert cat.api_summary("QueryModelService") == ("ai/model-services", "5.2.1", True, "ModelServiceInventory")


def test_fields_include_inherited_ones(cat):
    kvm = cat.fields("KVMHostInventory")
    host = cat.fields("HostInventory")
    assert set(host) <= set(kvm)
    assert kvm["uuid"].owner == "HostInventory"
    assert list(kvm)[: len(host)] == list(host)


def test_field_metadata(cat):
    f = cat.fields("ModelServiceInventory")["requestCpu"]
    assert (f.type, f.kind, f.since) == ("Integer", "int", "5.1.8")
    assert f.desc
    assert cat.fields("ModelServiceInventory")["supportDistributed"].kind == "bool"
    assert cat.fields("VmInstanceInventory")["internalId"].hidden
    # enum values learnt from the APIs that return the inventory
    assert "ISO" in cat.fields("ImageInventory")["mediaType"].values


@pytest.mark.parametrize(
    ("inventory", "path", "target", "field", "hops"),
    [
        ("VmInstanceInventory", "name", "VmInstanceInventory", "name", []),
        ("VmInstanceInventory", "vmNics.ip", "VmNicInventory", "ip", ["vmNics"]),
        ("VmInstanceInventory", "vmNics.l3Network.l2Network.zone.name", "ZoneInventory", "name",
         ["vmNics", "l3Network", "l2Network", "zone"]),
        ("ModelServiceInventory", "modelServiceRefs.uuid", "ModelServiceRefInventory", "uuid",
         ["modelServiceRefs"]),
        ("ModelServiceInventory", "modelCenter.name", "ModelCenterInventory", "name", ["modelCenter"]),
        # an alias stands for its longer path
        ("VmNicInventory", "securityGroup.name", "SecurityGroupInventory", "name",
         ["securityGroupRef", "securityGroup"]),
        # a collection of primitives: the element column of the child table
        ("L3NetworkInventory", "dns", "L3NetworkDnsInventory", "dns", ["dns"]),
        # expansions inherited from a parent inventory
        ("KVMHostInventory", "cluster.name", "ClusterInventory", "name", ["cluster"]),
    ],
)
def test_resolve(cat, inventory, path, target, field, hops):
    r = cat.resolve(inventory, path)
    assert (r.inventory, r.field.name, [h.name for h in r.hops]) == (target, field, hops)
    assert not r.hidden


def test_resolve_link_keys(cat):
    nic, l3 = cat.resolve("VmInstanceInventory", "vmNics.l3Network.name").hops
    assert (nic.source_key, nic.target, nic.target_key) == ("uuid", "VmNicInventory", "vmInstanceUuid")
    assert (l3.source_key, l3.target, l3.target_key) == ("l3NetworkUuid", "L3NetworkInventory", "uuid")
    (refs,) = cat.resolve("ModelServiceInventory", "modelServiceRefs.uuid").hops
    assert (refs.kind, refs.source_key, refs.target_key) == ("collection", "uuid", "modelServiceUuid")


def test_hidden_expansions_resolve_but_are_flagged(cat):
    r = cat.resolve("VmNicInventory", "securityGroupRef.securityGroupUuid")
    assert r.hidden and r.field.name == "securityGroupUuid"


@pytest.mark.parametrize(
    ("path", "message", "suggestion"),
    [
        ("nmae", "unknown field 'nmae' of VmInstanceInventory", "name"),
        ("vmNics.l3Netwrk.name", "unknown field 'l3Netwrk' of VmNicInventory", "vmNics.l3Network"),
        ("vmNics", "names a table", "vmNics.uuid"),
        ("vmNics..ip", "malformed", None),
    ],
)
def test_resolve_errors(cat, path, message, suggestion):
    with pytest.raises(UnknownName) as e:
        cat.resolve("VmInstanceInventory", path)
    assert message in str(e.value)
    if suggestion:
        assert suggestion in e.value.suggestions


def test_user_catalogue_adds_and_overrides(tmp_path):
    extra = {
        "apis": [
            {"name": "QueryGadget", "method": "GET", "path": "/gadgets", "optionalPaths": ["/gadgets/{uuid}"],
             "query": True, "inventory": "GadgetInventory", "params": [], "since": "9.0"},
            {"name": "QueryVmInstance", "method": "GET", "path": "/v2/vms", "query": True,
             "inventory": "VmInstanceInventory", "params": []},
        ],
        "inventories": {"GadgetInventory": {"fields": [{"name": "uuid", "type": "String"},
                                                       {"name": "size", "type": "Long"}]}},
    }
    (tmp_path / "catalog.d").mkdir()
    (tmp_path / "catalog.d" / "newer.json").write_text(json.dumps(extra))
    cat = load_catalog({"ZCLI_CONFIG_DIR": str(tmp_path)})
    assert cat.api("QueryGadget").path == "/gadgets"
    assert cat.fields("GadgetInventory")["size"].kind == "int"
    assert cat.api("QueryVmInstance").path == "/v2/vms"
    assert len(cat.api_names) == 1937
    assert cat.fields("VmInstanceInventory")["uuid"]  # packaged inventories still load


def test_bad_user_catalogue_is_the_catalogues_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(BadCatalogFile, match=r"bad\.json"):
        load_catalog({"ZCLI_CATALOG": str(bad), "ZCLI_CONFIG_DIR": str(tmp_path)})


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference file not beside the project")
def test_committed_catalogue_is_fresh(tmp_path):
    """The files in the package are what scripts/build_catalog.py makes of the reference."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "data"
    subprocess.run([sys.executable, str(root / "scripts" / "build_catalog.py"), str(REFERENCE), str(out)],
                   check=True, capture_output=True)
    for name in ("index.json", "lookup.tsv", "records.jsonl"):
        assert (out / name).read_bytes() == (root / "zcli" / "catalog" / "data" / name).read_bytes(), name


def test_has_inventory_and_typed_summaries(cat):
    assert cat.has_inventory("VmInstanceInventory") and not cat.has_inventory("NoSuchInventory")
    summary = cat.api_summary("QueryVmInstance")
    assert summary == ApiSummary("vm-instances", summary.since, True, "VmInstanceInventory")
    assert (summary.query, summary.inventory) == (True, "VmInstanceInventory")


def test_the_catalogue_imports_nothing_of_the_faces():
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "zcli" / "catalog"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.startswith("zcli.catalog") or node.module in ("zcli.paths", "__future__") \
                    or not node.module.startswith("zcli"), (path.name, node.module)


def test_field_kinds_and_formats_are_enums(cat):
    from zcli.catalog import FieldKind, type_kind
    from zcli.options import FORMATS, OutputFormat
    from zcli.output.formats import check_format

    assert type_kind("List<String>") is FieldKind.LIST and type_kind("Integer") is FieldKind.INT
    assert isinstance(cat.fields("VmInstanceInventory")["cpuNum"].kind, FieldKind)
    assert isinstance(check_format("json"), OutputFormat) and tuple(OutputFormat) == FORMATS


def test_one_command_finds_its_api_without_the_whole_index(tmp_path, cat):
    """A one-shot command reads lookup.tsv and its records, never index.json (2 ms to parse): the same
    store without index.json gives the same APIs, inventories, misses and meta as the packaged one."""
    import shutil

    from zcli.catalog.store import DATA_DIR, CatalogStore

    for name in ("lookup.tsv", "records.jsonl"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    small = Catalog(CatalogStore(tmp_path))
    assert small.api("QueryVmInstance") == cat.api("QueryVmInstance")
    assert small.api("AckAlarmData") == cat.api("AckAlarmData")  # the first line after the meta
    assert small.fields("VmInstanceInventory") == cat.fields("VmInstanceInventory")
    assert small.has_api("CreateZone") and not small.has_api("CreateZon") and not small.has_api("Query")
    assert small.has_inventory("ZoneInventory") and not small.has_inventory("QueryZone")  # an API, not one
    assert not small.has_api("VmInstanceInventory") and not small.has_api("A\tB")
    assert small.store.meta == cat.store.meta
    with pytest.raises(FileNotFoundError):  # what needs every name still reads the whole index
        small.api_names  # noqa: B018
    for _ in range(40):  # past the single reads, the records file is read once and sliced
        assert small.inventory("HostInventory") is small.inventory("HostInventory")
        assert small.store.inventory_record("HostInventory") == cat.store.inventory_record("HostInventory")
