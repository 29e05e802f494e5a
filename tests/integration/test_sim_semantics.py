"""The server's semantics over HTTP: string comparison, tags, and the API layer's parameter checks."""

from __future__ import annotations

import pytest


def error_of(r) -> dict:
    assert r.status_code == 503, r.text
    return r.json()["error"]


# --- strings compare as utf8_general_ci ------------------------------------------------------------
def test_equal_and_in_ignore_case(client):
    vm = client.query("QueryVmInstance", "name=vm-2")
    assert len(vm) == 1
    assert [v["uuid"] for v in client.query("QueryVmInstance", "name=VM-2")] == [vm[0]["uuid"]]
    assert [v["uuid"] for v in client.query("QueryVmInstance", "name?=VM-2,nope")] == [vm[0]["uuid"]]
    assert vm[0]["uuid"] not in [v["uuid"] for v in client.query("QueryVmInstance", "name!=Vm-2")]
    assert vm[0]["uuid"] not in [v["uuid"] for v in client.query("QueryVmInstance", "name!?=VM-2")]
    assert [v["uuid"] for v in client.query("QueryVmInstance", "name~=VM-2")] == [vm[0]["uuid"]]
    assert client.query("QueryZone", "name=ZONE-1")[0]["name"] == "zone-1"


def test_like_uses_the_value_as_sent(client):
    assert client.query("QueryZone", "name~=zone") == []  # no % added: a LIKE without wildcards is an equality
    assert [z["name"] for z in client.query("QueryZone", "name~=ZONE%")] == ["zone-1"]
    assert [z["name"] for z in client.query("QueryZone", "name~=zone-_")] == ["zone-1"]


def test_sorting_ignores_case(client):
    made = [client.call("CreateZone", {"name": n}).json()["inventory"]["uuid"] for n in ("b-sort", "A-sort", "c-sort")]
    try:
        r = client.http.get(f"{client.api_url}/zones", params={"q": "name~=%-sort", "sort": "+name"}, timeout=10)
        assert [z["name"] for z in r.json()["inventories"]] == ["A-sort", "b-sort", "c-sort"]
    finally:
        for u in made:
            client.http.delete(f"{client.api_url}/zones/{u}", timeout=10)


def test_case_and_accents_do_not_count_beyond_ascii_as_in_utf8_general_ci(client):
    # a zone's name takes ASCII and Chinese only (its validRegexValues); its description takes any text
    texts = ("Étoile ci", "straße ci", "ΑΛΦΑ ci", "beta ci")
    made = [client.call("CreateZone", {"name": f"ci-{i}", "description": t}).json()["inventory"]["uuid"]
            for i, t in enumerate(texts)]
    try:
        def zones(*conds):
            return [z["description"] for z in client.query("QueryZone", *conds)]

        assert zones("description=étoile ci") == zones("description=ETOILE CI") == ["Étoile ci"]
        assert zones("description=etoile ci  ") == ["Étoile ci"]  # PAD SPACE
        assert zones("description=STRASSE ci") == [] and zones("description=strase ci") == ["straße ci"]
        assert zones("description=αλφα ci") == ["ΑΛΦΑ ci"]
        assert zones("description?=ÉTOILE CI,alfa") == ["Étoile ci"]
        assert "Étoile ci" not in zones("description!=etoile ci") and "beta ci" in zones("description!=etoile ci")
        assert "Étoile ci" not in zones("description!?=ETOILE ci,x")
        assert zones("description~=%TOILE%") == zones("description~=étoi%") == ["Étoile ci"]
        assert zones("description~=αλ%") == ["ΑΛΦΑ ci"] and zones("description~=BETA%") == ["beta ci"]
        assert "Étoile ci" not in zones("description!~=%toile%") and "beta ci" in zones("description!~=%toile%")
        r = client.http.get(f"{client.api_url}/zones", params={"q": "name~=ci-%", "sort": "+description"},
                            timeout=10)
        assert [z["description"] for z in r.json()["inventories"]] == ["beta ci", "Étoile ci", "straße ci", "ΑΛΦΑ ci"]
        r = client.http.get(f"{client.api_url}/zql",
                            params={"zql": "query zone where name like 'ci-%' order by description desc"}, timeout=10)
        assert r.status_code == 200, r.text
        got = [z["description"] for z in r.json()["results"][0]["inventories"]]
        assert got == ["ΑΛΦΑ ci", "straße ci", "Étoile ci", "beta ci"]
    finally:
        for u in made:
            client.http.delete(f"{client.api_url}/zones/{u}", timeout=10)


# --- tags -------------------------------------------------------------------------------------------
def test_a_negated_tag_condition_means_no_matching_tag(client):
    every = {v["uuid"] for v in client.query("QueryVmInstance")}
    tagged = {v["uuid"] for v in client.query("QueryVmInstance", "__systemTag__=ha::NeverStop")}
    assert tagged and tagged < every
    untagged = every - tagged
    assert {v["uuid"] for v in client.query("QueryVmInstance", "__systemTag__!=ha::NeverStop")} == untagged
    assert {v["uuid"] for v in client.query("QueryVmInstance", "__systemTag__!?=ha::NeverStop,x")} == untagged
    assert {v["uuid"] for v in client.query("QueryVmInstance", "__systemTag__!~=ha::%")} == untagged
    # a VM with a second, different tag is still "has no ha::NeverStop"
    user = {v["uuid"] for v in client.query("QueryVmInstance", "__userTag__=env::prod")}
    assert {v["uuid"] for v in client.query("QueryVmInstance", "__userTag__!=env::prod")} == every - user


def test_tag_uuid_matches_by_tag_pattern(client):
    pattern = client.call("CreateTag", {"name": "team", "value": "team::blue", "color": "#0000ff",
                                        "type": "simple"})
    assert pattern.status_code == 200, pattern.text
    pattern = pattern.json()["inventory"]
    vm = client.query("QueryVmInstance", "name=vm-3")[0]
    r = client.call("AttachTagToResources", {"tagUuid": pattern["uuid"], "resourceUuids": [vm["uuid"]]})
    assert r.status_code == 200 and r.json()["results"] == [{"resourceUuid": vm["uuid"], "success": True}], r.text
    assert [v["uuid"] for v in client.query("QueryVmInstance", f"__tagUuid__={pattern['uuid']}")] == [vm["uuid"]]
    tag = client.query("QueryUserTag", f"tagPatternUuid={pattern['uuid']}")
    assert [(t["resourceUuid"], t["tag"], t["resourceType"]) for t in tag] == [(vm["uuid"], "team::blue",
                                                                                "VmInstanceVO")]
    again = client.call("AttachTagToResources", {"tagUuid": pattern["uuid"], "resourceUuids": [vm["uuid"]]})
    assert again.json()["results"][0]["success"] is False  # already attached
    assert len(client.query("QueryUserTag", f"tagPatternUuid={pattern['uuid']}")) == 1
    assert vm["uuid"] not in [v["uuid"] for v in client.query("QueryVmInstance", f"__tagUuid__!={pattern['uuid']}")]
    r = client.call("DetachTagFromResources", {"tagUuid": pattern["uuid"], "resourceUuids": [vm["uuid"]]})
    assert r.status_code == 200, r.text
    assert client.query("QueryVmInstance", f"__tagUuid__={pattern['uuid']}") == []


def test_create_system_tag_refuses_what_no_format_matches_and_duplicates(client):
    vm = client.query("QueryVmInstance", "name=vm-4")[0]

    def tag(text, rtype="VmInstanceVO", ruuid=vm["uuid"]):
        return client.call("CreateSystemTag", {"resourceType": rtype, "resourceUuid": ruuid, "tag": text})

    err = error_of(tag("no::such::tag"))
    assert err["code"] == "SYS.1007" and err["details"] == \
        "no system tag matches[no::such::tag] for resourceType[VmInstanceVO]"
    assert error_of(tag("hostname"))["code"] == "SYS.1007"  # one segment short of hostname::{token}
    made = tag("hostname::web-1")
    assert made.status_code == 200 and made.json()["inventory"]["tag"] == "hostname::web-1"
    err = error_of(tag("hostname::web-1"))
    assert err["code"] == "SYS.1006" and err["details"].startswith("Duplicated Tag[tag:hostname::web-1")
    assert error_of(tag("hostname::web-2", "NoSuchVO"))["details"] == "no resource type[NoSuchVO] found in tag system"
    zone = client.lookup("zone")
    assert error_of(tag("hostname::web-2", "VmInstanceVO", zone))["details"] == \
        "The argument :'resourceType' doesn't match uuid"
    assert tag("host::reservedMemory::1G", "ZoneVO", zone).status_code == 200


# --- parameters as the API layer checks them ---------------------------------------------------------
def test_max_length(client):
    err = error_of(client.call("CreateZone", {"name": "z" * 256}))
    assert err["code"] == "SYS.1007" and "exceeds max length of string. expected was <= 255, actual was 256" \
        in err["details"]
    err = error_of(client.call("CreateZone", {"name": "z", "description": "d" * (5 << 20)}))
    assert "expected was <= 2048" in err["details"]
    assert client.call("CreateZone", {"name": "z" * 255}).status_code == 200


def test_number_ranges_and_java_types(client):
    err = error_of(client.call("CreateInstanceOffering", {"name": "io", "cpuNum": 2 ** 40, "memorySize": 1 << 30}))
    assert err["code"] == "SYS.1007" and "cpuNum" in err["details"]
    err = error_of(client.call("CreateInstanceOffering", {"name": "io", "cpuNum": "four", "memorySize": 1 << 30}))
    assert "must be an integer" in err["details"]
    err = error_of(client.call("CreateInstanceOffering", {"name": "io", "cpuNum": 1, "memorySize": int("9" * 400)}))
    assert "memorySize" in err["details"]


def test_declared_number_range(client):
    host = client.query("QueryHost")[0]
    err = error_of(client.call("AddKVMHost", {"name": "h", "managementIp": "172.30.9.9", "username": "root",
                                              "password": "pw", "clusterUuid": host["clusterUuid"],
                                              "sshPort": 70000}))
    assert err["details"] == "field[sshPort] must be in range of [1, 65535]"


def test_valid_values(client):
    err = error_of(client.call("CreateL3Network", {"name": "n", "l2NetworkUuid": client.lookup("l2"),
                                                   "category": "Nope"}))
    assert err["code"] == "SYS.1007" and "valid value for field[category]" in err["details"]


def test_required(client):
    err = error_of(client.call("CreateCluster", {"name": "c", "hypervisorType": "KVM"}))
    assert "field[zoneUuid] of message[APICreateClusterMsg] is mandatory, can not be null" in err["details"]


def test_resource_uuids_must_exist_and_be_of_the_right_type(client):
    l3 = client.lookup("l3")
    err = error_of(client.call("CreateCluster", {"name": "c", "hypervisorType": "KVM", "zoneUuid": l3}))
    assert err["code"] == "SYS.1003" and f"resource[uuid:{l3}, type:ZoneVO] not found" in err["details"]
    err = error_of(client.call("AddImage", {"name": "i", "url": "http://x/i", "backupStorageUuids": [l3]}))
    assert err["code"] == "SYS.1003" and "backupStorageUuids" in err["details"]


def test_resource_uuid_is_32_hex_and_unique(client):
    for bad in ("not-a-uuid", "0123456789ABCDEF0123456789ABCDEF", "0" * 32):
        err = error_of(client.call("CreateZone", {"name": "z", "resourceUuid": bad}))
        assert err["code"] == "SYS.1007" and "is not a valid uuid" in err["details"]
    mine = "5b1e3e9f0a3c4d2e8f7a6b5c4d3e2f1a"
    assert client.call("CreateZone", {"name": "z1", "resourceUuid": mine}).status_code == 200
    err = error_of(client.call("CreateZone", {"name": "z2", "resourceUuid": mine}))
    assert err["code"] == "SYS.1007" and mine in err["details"]
    assert [z["name"] for z in client.query("QueryZone", f"uuid={mine}")] == ["z1"]


@pytest.mark.parametrize("name", ["DeleteZone", "DeleteL3Network", "DeleteImage"])
def test_deleting_what_is_gone_succeeds_as_the_server_does(client, name):
    # successIfResourceNotExisting: a well-formed uuid of nothing succeeds; a malformed one is refused
    assert client.call(name, {"uuid": "5b1e3e9f0a3c4d2e8f7a6b5c4d3e0000"}).status_code == 200
    err = error_of(client.call(name, {"uuid": "nope"}))
    assert err["code"] == "SYS.1003" and "invalid value[nope]" in err["details"]
