"""Queries over HTTP: operators, cross-table paths, the other parameters, replies and errors."""

from __future__ import annotations

import pytest
import requests


@pytest.fixture(scope="module")
def get(sim, admin_session):
    auth = {"Authorization": f"OAuth {admin_session}"}
    http = requests.Session()

    def get(path: str, *conds: str, **params):
        query = [("q", c) for c in conds] + list(params.items())
        return http.get(f"{sim.api}{path}", params=query, headers=auth, timeout=10)

    return get


def items(r) -> list[dict]:
    assert r.status_code == 200, r.text
    return r.json()["inventories"]


def names(r) -> list[str]:
    return [i["name"] for i in items(r)]


def test_reply_shape_has_inventories_and_schema(get):
    body = get("/zones").json()
    assert set(body) == {"inventories", "schema"}
    assert len(body["inventories"]) == 2
    assert body["schema"]["inventories[0]"] == "org.zstack.header.zone.ZoneInventory"


def test_path_and_uuid_path_with_and_without_trailing_slash(get):
    all_zones = items(get("/zones"))
    assert items(get("/zones/")) == all_zones
    uuid = all_zones[1]["uuid"]
    assert items(get(f"/zones/{uuid}")) == [all_zones[1]]
    assert items(get(f"/zones/{uuid}/")) == [all_zones[1]]
    groups = items(get("/ai/model-services/instances/groups/"))  # declared with a trailing slash
    assert groups and items(get("/ai/model-services/instances/groups")) == groups
    assert items(get(f"/ai/model-services/instances/groups/{groups[0]['uuid']}")) == [groups[0]]


def test_equal_not_equal_and_null(get):
    assert names(get("/zones", "name=zone-1")) == ["zone-1"]
    assert names(get("/zones", "name!=zone-1")) == ["华东区域"]
    stopped = items(get("/vm-instances", "state=Stopped"))
    assert stopped and all(v["state"] == "Stopped" for v in stopped)
    assert {v["uuid"] for v in items(get("/vm-instances", "hostUuid is null"))} == {v["uuid"] for v in stopped}
    running = items(get("/vm-instances", "hostUuid not null"))
    assert running and all(v["hostUuid"] for v in running)


def test_comparisons_on_numbers(get):
    assert sorted(i["cpuNum"] for i in items(get("/instance-offerings", "cpuNum>2"))) == [4, 8]
    assert sorted(i["cpuNum"] for i in items(get("/instance-offerings", "cpuNum>=2"))) == [2, 4, 8]
    assert sorted(i["cpuNum"] for i in items(get("/instance-offerings", "cpuNum<2"))) == [1]
    assert sorted(i["cpuNum"] for i in items(get("/instance-offerings", "cpuNum<=2"))) == [1, 2]
    assert names(get("/ai/model-services", "requestCpu>=4", "requestMemory<=1024")) == ["text to text model service"]


def test_in_not_in_like_not_like(get):
    assert sorted(names(get("/instance-offerings", "name?=small,large"))) == ["large", "small"]
    assert sorted(names(get("/instance-offerings", "name!?=small,large"))) == ["GPU-推理型", "medium"]
    qwen = names(get("/ai/model-services", "name~=%qwen%"))
    assert sorted(qwen) == ["DeepSeek-R1-qwen-distill", "qwen-chat", "qwen2-vl-图像理解"]
    rest = names(get("/ai/model-services", "name!~=%qwen%"))
    assert "text to text model service" in rest and not set(rest) & set(qwen)
    assert sorted(i["cpuNum"] for i in items(get("/instance-offerings", "cpuNum?=1,8"))) == [1, 8]


def test_operators_are_found_in_the_servers_order(get):
    # "a=b!=c" splits at "!=" (first in the server's order), so the field is "name=zone-1": unknown.
    r = get("/zones", "name=zone-1!=x")
    assert r.status_code == 503 and r.json()["error"]["code"] == "SYS.1007"
    # The value keeps everything after the first operator, spaces included.
    assert names(get("/ai/model-services", "name=text to text model service")) == ["text to text model service"]
    assert names(get("/ai/model-services", "name= text to text model service")) == []


def test_chinese_values(get):
    assert names(get("/zones", "name=华东区域")) == ["华东区域"]
    assert len(items(get("/vm-instances", "name~=测试%"))) == 2


def test_cross_table_two_and_three_hops(get):
    on_pub = items(get("/vm-instances", "vmNics.l3Network.name=pub"))
    assert on_pub
    pub = items(get("/l3-networks", "name=pub"))[0]
    assert all(any(n["l3NetworkUuid"] == pub["uuid"] for n in v["vmNics"]) for v in on_pub)
    zone1 = items(get("/zones", "name=zone-1"))[0]
    deep = items(get("/vm-instances", "vmNics.l3Network.l2Network.zone.name=zone-1"))
    assert deep and all(v["zoneUuid"] == zone1["uuid"] for v in deep)
    others = items(get("/vm-instances", "vmNics.l3Network.l2Network.zone.name!=zone-1"))
    assert all(v["zoneUuid"] != zone1["uuid"] for v in others)
    assert len(deep) + len(others) == 20


def test_collections_aliases_and_primitive_collections(get):
    assert len(items(get("/l3-networks", "dns=223.5.5.5"))) == 4
    # services are bound to models i and i+2: bge-m3 (model 3) serves services 1 and 3
    assert names(get("/ai/model-services", "modelServiceRefs.model.name=bge-m3")) == ["qwen-chat", "embedding-bge-m3"]
    # an alias: Zone.backupStorage → backupStorageRef.backupStorage
    assert len(items(get("/zones", "backupStorage.name=bs-imagestore-1"))) == 2
    assert names(get("/zones", "backupStorage.name=none")) == []
    assert len(items(get("/backup-storage", "zone.name=华东区域"))) == 1


def test_nested_collections_are_filled(get):
    vm = items(get("/vm-instances", "name=qwen-infer-1"))[0]
    assert len(vm["vmNics"]) == 2 and all(n["vmInstanceUuid"] == vm["uuid"] for n in vm["vmNics"])
    assert {v["type"] for v in vm["allVolumes"]} == {"Root", "Data"}
    svc = items(get("/ai/model-services", "name=text to text model service"))[0]
    assert len(svc["modelServiceRefs"]) == 2 and svc["modelServiceImages"][0]["modelServiceUuid"] == svc["uuid"]
    l3 = items(get("/l3-networks", "name=pub"))[0]
    assert l3["dns"] == ["223.5.5.5", "8.8.8.8"] and l3["ipRanges"][0]["l3NetworkUuid"] == l3["uuid"]


def test_schema_names_nested_objects_by_java_class(get):
    body = get("/vm-instances", "name=qwen-infer-1").json()
    assert body["schema"] == {
        "inventories[0]": "org.zstack.header.vm.VmInstanceInventory",
        "inventories[0].vmNics[0]": "org.zstack.header.vm.VmNicInventory",
        "inventories[0].vmNics[1]": "org.zstack.header.vm.VmNicInventory",
        "inventories[0].allVolumes[0]": "org.zstack.header.volume.VolumeInventory",
        "inventories[0].allVolumes[1]": "org.zstack.header.volume.VolumeInventory",
    }
    # The catalogue has no Java class for the AI family: the simple name stands in.
    ai = get("/ai/model-services", "name=qwen-chat").json()["schema"]
    assert ai["inventories[0]"] == "ModelServiceInventory"
    assert ai["inventories[0].modelServiceRefs[0]"] == "ModelServiceRefInventory"


def test_count_reply_with_count_limit_start_sort_fields(get):
    assert get("/vm-instances", count="true").json()["total"] == 20
    assert "inventories" not in get("/vm-instances", count="true").json()
    body = get("/vm-instances", "state=Running", replyWithCount="true", limit="3").json()
    assert body["total"] == 15 and len(body["inventories"]) == 3
    asc = [i["cpuNum"] for i in items(get("/instance-offerings", sort="+cpuNum"))]
    desc = [i["cpuNum"] for i in items(get("/instance-offerings", sort="-cpuNum"))]
    assert asc == [1, 2, 4, 8] and desc == [8, 4, 2, 1]
    page = items(get("/instance-offerings", sort="+cpuNum", limit="2", start="1"))
    assert [i["cpuNum"] for i in page] == [2, 4]
    only = items(get("/zones", fields="name,uuid"))
    assert all(set(z) == {"name", "uuid"} for z in only)


def test_default_limit_is_1000(sim):
    from tests.conftest import login
    from zcli.sim.server import start_in_thread

    handle = start_in_thread(scale=60)  # 1,200 VMs
    try:
        auth = {"Authorization": f"OAuth {login(handle.url + '/v1')}"}
        r = requests.get(f"{handle.url}/v1/vm-instances", params={"fields": "uuid"}, headers=auth)
        assert len(r.json()["inventories"]) == 1000
        r = requests.get(f"{handle.url}/v1/vm-instances", params={"count": "true"}, headers=auth)
        assert r.json()["total"] == 1200
    finally:
        handle.stop()


def test_quote_in_value_is_data(get):
    assert names(get("/zones", "name=zone-1' OR '1'='1")) == []
    assert names(get("/zones", 'name~=%"%')) == []
    assert len(items(get("/zones"))) == 2  # still there


def test_tags(get):
    tagged = items(get("/vm-instances", "__systemTag__=ha::NeverStop"))
    assert tagged and all(v["name"].startswith("qwen-infer") for v in tagged)
    assert items(get("/vm-instances", "__userTag__~=env::%"))


@pytest.mark.parametrize(("params", "fragment"), [
    ({"q": "name"}, "operator"),
    ({"limit": "ten"}, "'limit' must be an integer"),
    ({"start": "x"}, "'start' must be an integer"),
    ({"fields": ","}, "zero field"),
])
def test_malformed_parameters_are_400_plain_text(get, params, fragment):
    r = get("/zones", **params)
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain") and fragment in r.text


@pytest.mark.parametrize("cond", ["nosuchfield=1", "vmNics.nope.name=x", "cpuNum=abc", "cpuNum?=1,x"])
def test_unknown_fields_and_bad_values_are_503_error_codes(get, cond):
    r = get("/vm-instances", cond)
    assert r.status_code == 503
    err = r.json()["error"]
    assert err["code"] == "SYS.1007" and err["details"]


def test_bad_sort_and_fields_are_503(get):
    assert get("/zones", sort="+nope").status_code == 503
    assert get("/zones", fields="name,nope").status_code == 503


def test_boolean_and_timestamp_values(get):
    assert names(get("/zones", "isDefault=true")) == ["zone-1"]
    assert get("/zones", "isDefault=maybe").status_code == 503
    assert len(items(get("/zones", "createDate>2024-01-01"))) == 2
    assert items(get("/zones", "createDate<2000-01-01")) == []


def test_unknown_path_is_404(sim, admin_session):
    r = requests.get(f"{sim.api}/no-such-thing", headers={"Authorization": f"OAuth {admin_session}"})
    assert r.status_code == 404


def test_group_by_is_parsed_and_ignored_as_the_server_does(get):
    # The server's query engine (ZQL) reads groupBy into the message and never uses it.
    every = items(get("/vm-instances", limit="100"))
    assert items(get("/vm-instances", groupBy="state", limit="100")) == every
    assert get("/vm-instances", groupBy="nope", count="true").json()["total"] == len(every)


def test_filter_name_as_the_server_checks_it(get):
    r = get("/vm-instances", filterName="vrouter")
    assert r.status_code == 503 and r.json()["error"]["code"] == "SYS.1007"
    assert "filterType:condition" in r.json()["error"]["details"]
    r = get("/vm-instances", filterName="colour:blue")  # a filter type the server does not have
    assert r.status_code == 503 and r.json()["error"]["code"] == "SYS.1000"
    assert items(get("/vm-instances", filterName="applianceType:vrouter")) == []  # no appliance VM in the world


def test_uuid_path_reads_no_other_parameter(get):
    zone = items(get("/zones", "name=zone-1"))[0]
    assert items(get(f"/zones/{zone['uuid']}", "name=nothing", limit="abc", fields="name")) == [zone]


def test_child_kinds_have_their_own_query(get):
    vlans = items(get("/l2-networks/vlan"))
    assert sorted((n["name"], n["vlan"]) for n in vlans) == [("l2-vlan-1", 100), ("l2-vlan-2", 101)]
    assert {n["uuid"] for n in vlans} < {n["uuid"] for n in items(get("/l2-networks"))}
    assert [b["hostname"] for b in items(get("/backup-storage/image-store"))] == ["172.20.0.2"]
    assert [p["type"] for p in items(get("/primary-storage/ceph"))] == ["Ceph"]


# (condition, HTTP status, names expected when 200): each shows where the server's operator order splits.
SPLITS = [
    ("name!=zone-1", 200, ["华东区域"]),       # "!=" before "="
    ("name=zone-1!=x", 503, None),            # "!=" first even when "=" comes earlier: field "name=zone-1"
    ("name=zone-1>=x", 503, None),            # ">=" before "="
    ("name=zone-1<=x", 503, None),            # "<=" before "="
    ("name!?=zone-1", 200, ["华东区域"]),      # "!?=" is not "!=" (a "?" between)
    ("name!~=zone%", 200, ["华东区域"]),       # "!~=" before "~=" and "="
    ("name~=zone%", 200, ["zone-1"]),         # "~=" before "="
    ("name?=zone-1,x", 200, ["zone-1"]),      # "?=" before "="
    ("name~=a?=b", 200, []),                  # "~=" before "?=": the value is "a?=b"
    ("name?=a~=b", 503, None),                # "~=" before "?=": the field is "name?=a"
    ("name=a>b", 200, []),                    # "=" before ">": the value is "a>b"
    ("name>a=b", 503, None),                  # "=" before ">": the field is "name>a"
    ("name<zz", 200, ["zone-1"]),             # "<" alone, compared as text
    ("description=is null", 200, []),         # "=" before "is null": the value is the text "is null"
    ("description is null", 200, ["华东区域"]),
    ("description not null", 200, ["zone-1"]),
]


@pytest.mark.parametrize(("cond", "status", "expected"), SPLITS, ids=[c for c, _, _ in SPLITS])
def test_every_operator_is_found_in_the_servers_order(get, cond, status, expected):
    r = get("/zones", cond)
    assert r.status_code == status, r.text
    if status == 200:
        assert sorted(names(r)) == sorted(expected)
    else:
        assert r.json()["error"]["code"] == "SYS.1007"
