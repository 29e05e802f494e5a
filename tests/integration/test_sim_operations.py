"""More families over HTTP, as a user's script drives them: templates and volumes made from others, clones,
migrations, resizes, snapshots, deletes by name, values kept in nested collections, AI bindings."""

from __future__ import annotations

import ipaddress

from tests.integration.simapi import new_vm


def test_a_root_volume_becomes_a_template_a_new_vm_boots_from(api):
    vm = new_vm(api, "tpl-source")
    image = api.ok("CreateRootVolumeTemplateFromRootVolume", rootVolumeUuid=vm["rootVolumeUuid"],
                   name="tpl-from-vm")["inventory"]
    root = api.one("QueryVolume", f"uuid={vm['rootVolumeUuid']}")
    assert (image["mediaType"], image["size"], image["platform"]) == ("RootVolumeTemplate", root["size"],
                                                                     vm["platform"])
    assert api.query("QueryImage", "name=tpl-from-vm", "backupStorageRefs.status=Ready")
    api.refused("CreateDataVolumeTemplateFromVolume", volumeUuid=vm["rootVolumeUuid"], name="not-a-data-volume")
    booted = api.ok("CreateVmInstance", name="from-tpl", imageUuid=image["uuid"],
                    instanceOfferingUuid=api.one("QueryInstanceOffering", "name=small")["uuid"],
                    l3NetworkUuids=[api.one("QueryL3Network", "name=private-1")["uuid"]])["inventory"]
    assert booted["imageUuid"] == image["uuid"] and booted["state"] == "Running"
    for v in (vm, booted):
        api.ok("DestroyVmInstance", uuid=v["uuid"])
    api.ok("DeleteImage", uuid=image["uuid"])


def test_clone_migrate_and_resize(api):
    vm = new_vm(api, "clone-src")
    result = api.ok("CloneVmInstance", vmInstanceUuid=vm["uuid"], names=["clone-a", "clone-b"])["result"]
    clones = [c["inventory"] for c in result["inventories"]]
    assert result["numberOfClonedVm"] == 2 and [c["name"] for c in clones] == ["clone-a", "clone-b"]
    assert all(c["imageUuid"] == vm["imageUuid"] and c["cpuNum"] == vm["cpuNum"] for c in clones)
    moved = api.ok("MigrateVm", vmInstanceUuid=vm["uuid"])["inventory"]
    assert moved["hostUuid"] != vm["hostUuid"] and moved["clusterUuid"] == vm["clusterUuid"]
    api.refused("MigrateVm", vmInstanceUuid=vm["uuid"], hostUuid=moved["hostUuid"])
    root = api.one("QueryVolume", f"uuid={vm['rootVolumeUuid']}")
    grown = api.ok("ResizeRootVolume", uuid=root["uuid"], size=root["size"] * 2)["inventory"]
    assert grown["size"] == root["size"] * 2
    assert "only grows" in api.refused("ResizeRootVolume", uuid=root["uuid"], size=1)["details"]
    for v in (vm, *clones):
        api.ok("DestroyVmInstance", uuid=v["uuid"])


def test_a_snapshot_reverts_a_stopped_vm_and_makes_a_volume(api):
    snap = api.query("QueryVolumeSnapshot", "latest=false")[0]
    vol = api.one("QueryVolume", f"uuid={snap['volumeUuid']}")
    vm = api.one("QueryVmInstance", f"uuid={vol['vmInstanceUuid']}")
    if vm["state"] == "Running":
        api.refused("RevertVolumeFromSnapshot", uuid=snap["uuid"])
        api.ok("StopVmInstance", uuid=vm["uuid"])
    api.ok("RevertVolumeFromSnapshot", uuid=snap["uuid"])
    assert api.one("QueryVolumeSnapshot", f"uuid={snap['uuid']}")["latest"] is True
    assert [s["uuid"] for s in api.query("QueryVolumeSnapshot", f"volumeUuid={vol['uuid']}", "latest=true")] \
        == [snap["uuid"]]
    made = api.ok("CreateDataVolumeFromVolumeSnapshot", volumeSnapshotUuid=snap["uuid"], name="from-snap")["inventory"]
    assert (made["type"], made["size"]) == ("Data", vol["size"])
    api.ok("DeleteDataVolume", uuid=made["uuid"])
    results = api.ok("BatchDeleteVolumeSnapshot", uuids=[snap["uuid"]])["results"]
    assert results[0]["success"] is True and api.query("QueryVolumeSnapshot", f"uuid={snap['uuid']}") == []


def test_values_kept_in_nested_collections(api):
    l3 = api.one("QueryL3Network", "name=private-1")
    api.ok("AddDnsToL3Network", l3NetworkUuid=l3["uuid"], dns="114.114.114.114")
    assert "114.114.114.114" in api.one("QueryL3Network", f"uuid={l3['uuid']}")["dns"]
    api.refused("AddDnsToL3Network", l3NetworkUuid=l3["uuid"], dns="114.114.114.114")
    api.ok("RemoveDnsFromL3Network", l3NetworkUuid=l3["uuid"], dns="114.114.114.114")
    assert "114.114.114.114" not in api.one("QueryL3Network", f"uuid={l3['uuid']}")["dns"]
    api.refused("RemoveDnsFromL3Network", l3NetworkUuid=l3["uuid"], dns="114.114.114.114")


def test_l2_network_attaches_to_a_new_cluster_and_candidates_follow(api):
    zone = api.one("QueryZone", "name=zone-1")
    cluster = api.ok("CreateCluster", name="c-l2", zoneUuid=zone["uuid"], hypervisorType="KVM")["inventory"]
    l2 = api.one("QueryL2Network", "name=l2-flat-1")
    candidates = api.ok("GetCandidateClustersForAttachingL2Network", l2NetworkUuid=l2["uuid"])["inventories"]
    assert cluster["uuid"] in [c["uuid"] for c in candidates]
    assert all(c["zoneUuid"] == zone["uuid"] for c in candidates)
    api.ok("AttachL2NetworkToCluster", l2NetworkUuid=l2["uuid"], clusterUuid=cluster["uuid"])
    assert cluster["uuid"] in api.one("QueryL2Network", f"uuid={l2['uuid']}")["attachedClusterUuids"]
    after = api.ok("GetCandidateClustersForAttachingL2Network", l2NetworkUuid=l2["uuid"])["inventories"]
    assert cluster["uuid"] not in [c["uuid"] for c in after]
    api.ok("DetachL2NetworkFromCluster", l2NetworkUuid=l2["uuid"], clusterUuid=cluster["uuid"])
    api.ok("DeleteCluster", uuid=cluster["uuid"])


def test_a_delete_by_name_checks_what_owns_the_row(api):
    acl = api.ok("CreateAccessControlList", name="acl-script")["inventory"]
    other = api.ok("CreateAccessControlList", name="acl-other")["inventory"]
    entry = api.ok("AddAccessControlListEntry", aclUuid=acl["uuid"], entries="10.0.0.0/8")["inventory"]
    assert entry["aclUuid"] == acl["uuid"]
    # The entry is not the other list's: refused, and still there to remove from its own list.
    assert "does not belong" in api.refused("RemoveAccessControlListEntry", aclUuid=other["uuid"],
                                            uuid=entry["uuid"])["details"]
    api.ok("RemoveAccessControlListEntry", aclUuid=acl["uuid"], uuid=entry["uuid"])
    # Gone now: the wrong list no longer meets a row it does not own.
    api.ok("RemoveAccessControlListEntry", aclUuid=other["uuid"], uuid=entry["uuid"])
    for a in (acl, other):
        api.ok("DeleteAccessControlList", uuid=a["uuid"])


def test_security_group_rules_deleted_by_their_uuids(api):
    sg = api.one("QuerySecurityGroup", "name=sg-db")
    rules = [r["uuid"] for r in api.query("QuerySecurityGroupRule", f"securityGroupUuid={sg['uuid']}")]
    assert len(rules) >= 2
    assert api.ok("ValidateSecurityGroupRule", securityGroupUuid=sg["uuid"], type="Ingress", protocol="TCP",
                  srcIpRange="0.0.0.0/0")["available"] is False
    api.ok("DeleteSecurityGroupRule", ruleUuids=rules[:1])
    assert [r["uuid"] for r in api.query("QuerySecurityGroupRule", f"securityGroupUuid={sg['uuid']}")] == rules[1:]
    assert api.query("QuerySecurityGroup", f"uuid={sg['uuid']}")


def test_free_ips_and_ip_statistics_come_from_ranges_and_used_ips(api):
    l3 = api.one("QueryL3Network", "name=private-1")
    used = {u["ip"] for u in api.query("QueryIpAddress", f"l3NetworkUuid={l3['uuid']}")}
    free = api.ok("GetFreeIpOfL3Network", l3NetworkUuid=l3["uuid"], limit=5)["inventories"]
    rng = api.one("QueryIpRange", f"l3NetworkUuid={l3['uuid']}")
    assert len(free) == 5 and not {f["ip"] for f in free} & (used | {rng["gateway"]})
    assert api.ok("CheckIpAvailability", l3NetworkUuid=l3["uuid"], ip=free[0]["ip"])["available"] is True
    assert api.ok("CheckIpAvailability", l3NetworkUuid=l3["uuid"], ip=sorted(used)[0])["available"] is False
    stats = api.ok("GetL3NetworkIpStatistic", l3NetworkUuid=l3["uuid"], limit=1000)
    assert stats["total"] == len(used) and {s["ip"] for s in stats["ipStatistics"]} == used
    cap = api.ok("GetIpAddressCapacity", l3NetworkUuids=[l3["uuid"]])
    span = int(ipaddress.ip_address(rng["endIp"])) - int(ipaddress.ip_address(rng["startIp"])) + 1
    assert (cap["totalCapacity"], cap["usedIpAddressNumber"]) == (span, len(used))


def test_models_bind_to_services_once(api):
    service = api.one("QueryModelService", "name=embedding-bge-m3")
    bound = {r["modelUuid"] for r in service["modelServiceRefs"]}
    model = next(m for m in api.query("QueryModel") if m["uuid"] not in bound)
    api.ok("BindModelToService", modelUuid=model["uuid"], modelServiceUuid=service["uuid"])
    assert api.query("QueryModelService", f"uuid={service['uuid']}", f"modelServiceRefs.modelUuid={model['uuid']}")
    api.refused("BindModelToService", modelUuid=model["uuid"], modelServiceUuid=service["uuid"])
    api.ok("UnbindModelFromService", modelUuid=model["uuid"], modelServiceUuid=service["uuid"])
    assert not api.query("QueryModelService", f"uuid={service['uuid']}",
                         f"modelServiceRefs.modelUuid={model['uuid']}")


def test_a_call_naming_no_resource_of_its_kind_changes_nothing(api):
    # UpdateQuota names an account (identityUuid) but changes a quota: never rename the account after the quota.
    # The admin account has no quotas (only Normal accounts get them), so it is refused as the server refuses it.
    admin = api.one("QueryAccount", "name=admin")
    assert "cannot find Quota[name: vm.num]" in api.refused("UpdateQuota", identityUuid=admin["uuid"], name="vm.num",
                                                            value=10)["details"]
    assert api.one("QueryAccount", f"uuid={admin['uuid']}")["name"] == "admin"


def test_power_and_reconnect_are_state_transitions(api):
    host = api.query("QueryHost", "status=Connected")[-1]
    vms = api.query("QueryVmInstance", f"hostUuid={host['uuid']}", "state=Running")
    api.ok("PowerOffHost", hostUuids=[host["uuid"]], adminPassword="password")
    assert api.one("QueryHost", f"uuid={host['uuid']}")["status"] == "Disconnected"
    for vm in vms:
        assert api.one("QueryVmInstance", f"uuid={vm['uuid']}")["state"] == "Stopped"
    assert api.ok("PowerOnHost", uuid=host["uuid"])["inventory"]["status"] == "Connected"
