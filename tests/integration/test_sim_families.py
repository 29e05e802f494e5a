"""Each family the simulator's generic mechanisms carry out, as a user's script would drive it over HTTP:
create, act, query, check the state, clean up (see IMPLEMENTATION_COVERAGE.md for the mechanisms)."""

from __future__ import annotations

import ipaddress

from tests.integration.simapi import new_vm


def test_primary_storage_attaches_to_a_cluster_once_and_detaches(api):
    zone = api.one("QueryZone", "name=zone-1")
    cluster = api.ok("CreateCluster", name="c-attach", zoneUuid=zone["uuid"], hypervisorType="KVM")["inventory"]
    ps = api.one("QueryPrimaryStorage", f"zoneUuid={zone['uuid']}")
    done = api.ok("AttachPrimaryStorageToCluster", clusterUuid=cluster["uuid"], primaryStorageUuid=ps["uuid"])
    assert done["inventory"]["uuid"] == ps["uuid"]
    assert cluster["uuid"] in api.one("QueryPrimaryStorage", f"uuid={ps['uuid']}")["attachedClusterUuids"]
    assert "already attached" in api.refused("AttachPrimaryStorageToCluster", clusterUuid=cluster["uuid"],
                                             primaryStorageUuid=ps["uuid"])["details"]
    assert "not found" in api.refused("AttachPrimaryStorageToCluster", clusterUuid="0" * 32,
                                      primaryStorageUuid=ps["uuid"])["details"]
    api.ok("DetachPrimaryStorageFromCluster", clusterUuid=cluster["uuid"], primaryStorageUuid=ps["uuid"])
    assert cluster["uuid"] not in api.one("QueryPrimaryStorage", f"uuid={ps['uuid']}").get("attachedClusterUuids", [])
    api.refused("DetachPrimaryStorageFromCluster", clusterUuid=cluster["uuid"], primaryStorageUuid=ps["uuid"])
    api.ok("DeleteCluster", uuid=cluster["uuid"])


def test_a_data_volume_attaches_to_one_vm_at_a_time(api):
    vm, other = new_vm(api, "vol-host-1"), new_vm(api, "vol-host-2")
    vol = api.ok("CreateDataVolume", name="d-attach",
                 diskOfferingUuid=api.one("QueryDiskOffering", "name=disk-50G")["uuid"])["inventory"]
    attached = api.ok("AttachDataVolumeToVm", volumeUuid=vol["uuid"], vmInstanceUuid=vm["uuid"])["inventory"]
    assert attached["vmInstanceUuid"] == vm["uuid"] and attached["deviceId"] >= 1
    assert vol["uuid"] in [v["uuid"] for v in api.one("QueryVmInstance", f"uuid={vm['uuid']}")["allVolumes"]]
    assert "detach it first" in api.refused("AttachDataVolumeToVm", volumeUuid=vol["uuid"],
                                            vmInstanceUuid=other["uuid"])["details"]
    api.refused("AttachDataVolumeToVm", volumeUuid=vm["rootVolumeUuid"], vmInstanceUuid=other["uuid"])
    candidates = api.ok("GetVmAttachableDataVolume", vmInstanceUuid=other["uuid"])["inventories"]
    assert vol["uuid"] not in [c["uuid"] for c in candidates]
    api.ok("DetachDataVolumeFromVm", uuid=vol["uuid"])
    detached = api.one("QueryVolume", f"uuid={vol['uuid']}")
    assert "vmInstanceUuid" not in detached and "deviceId" not in detached
    assert vol["uuid"] in [c["uuid"] for c in api.ok("GetVmAttachableDataVolume",
                                                    vmInstanceUuid=other["uuid"])["inventories"]]
    api.ok("DeleteDataVolume", uuid=vol["uuid"])
    for v in (vm, other):
        api.ok("DestroyVmInstance", uuid=v["uuid"])


def test_an_l3_network_attached_to_a_vm_is_a_nic_with_an_address(api):
    vm = new_vm(api, "nic-vm")
    pub = api.one("QueryL3Network", "name=pub")
    before = api.ok("GetIpAddressCapacity", l3NetworkUuids=[pub["uuid"]])
    reply = api.ok("AttachL3NetworkToVm", vmInstanceUuid=vm["uuid"], l3NetworkUuid=pub["uuid"])["inventory"]
    assert reply["uuid"] == vm["uuid"]
    nic = api.one("QueryVmNic", f"vmInstanceUuid={vm['uuid']}", f"l3NetworkUuid={pub['uuid']}")
    rng = api.one("QueryIpRange", f"l3NetworkUuid={pub['uuid']}")
    assert ipaddress.ip_address(rng["startIp"]) <= ipaddress.ip_address(nic["ip"]) <= ipaddress.ip_address(rng["endIp"])
    after = api.ok("GetIpAddressCapacity", l3NetworkUuids=[pub["uuid"]])
    assert after["usedIpAddressNumber"] == before["usedIpAddressNumber"] + 1
    assert after["availableCapacity"] == before["availableCapacity"] - 1
    api.ok("DetachL3NetworkFromVm", vmNicUuid=nic["uuid"])
    assert api.query("QueryVmNic", f"uuid={nic['uuid']}") == []
    assert api.ok("GetIpAddressCapacity", l3NetworkUuids=[pub["uuid"]]) == before
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_security_group_rules_networks_and_nics(api):
    sg = api.ok("CreateSecurityGroup", name="sg-script")["inventory"]
    api.ok("AddSecurityGroupRule", securityGroupUuid=sg["uuid"],
           rules=[{"type": "Ingress", "protocol": "TCP", "startPort": 80, "endPort": 80, "allowedCidr": "0.0.0.0/0"}])
    l3 = api.one("QueryL3Network", "name=private-1")
    api.ok("AttachSecurityGroupToL3Network", securityGroupUuid=sg["uuid"], l3NetworkUuid=l3["uuid"])
    api.refused("AttachSecurityGroupToL3Network", securityGroupUuid=sg["uuid"], l3NetworkUuid=l3["uuid"])
    vm = new_vm(api, "sg-vm")
    nic = api.one("QueryVmNic", f"vmInstanceUuid={vm['uuid']}")
    api.ok("AddVmNicToSecurityGroup", securityGroupUuid=sg["uuid"], vmNicUuids=[nic["uuid"]])
    assert [g["uuid"] for g in api.query("QuerySecurityGroup", f"vmNic.uuid={nic['uuid']}")] == [sg["uuid"]]
    api.ok("DeleteVmNicFromSecurityGroup", securityGroupUuid=sg["uuid"], vmNicUuids=[nic["uuid"]])
    assert api.query("QuerySecurityGroup", f"vmNic.uuid={nic['uuid']}") == []
    api.ok("DetachSecurityGroupFromL3Network", securityGroupUuid=sg["uuid"], l3NetworkUuid=l3["uuid"])
    api.ok("DeleteSecurityGroup", uuid=sg["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_eip_attaches_to_a_nic_and_takes_its_address(api):
    pub = api.one("QueryL3Network", "name=pub")
    vip = api.ok("CreateVip", name="vip-script", l3NetworkUuid=pub["uuid"])["inventory"]
    eip = api.ok("CreateEip", name="eip-script", vipUuid=vip["uuid"])["inventory"]
    vm = new_vm(api, "eip-vm")
    nic = api.one("QueryVmNic", f"vmInstanceUuid={vm['uuid']}")
    done = api.ok("AttachEip", eipUuid=eip["uuid"], vmNicUuid=nic["uuid"])["inventory"]
    assert (done["vmNicUuid"], done["guestIp"]) == (nic["uuid"], nic["ip"])
    api.refused("AttachEip", eipUuid=eip["uuid"], vmNicUuid=nic["uuid"])
    api.ok("DetachEip", uuid=eip["uuid"])
    assert "vmNicUuid" not in api.one("QueryEip", f"uuid={eip['uuid']}")
    api.refused("DetachEip", uuid=eip["uuid"])
    api.ok("DeleteEip", uuid=eip["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_a_detach_with_a_vm_uuid_never_deletes_the_vm(api):
    vm = new_vm(api, "scsi-vm")
    api.refused("DetachScsiLunFromVmInstance", vmInstanceUuid=vm["uuid"], uuid=vm["uuid"])
    assert api.one("QueryVmInstance", f"uuid={vm['uuid']}")["state"] == "Running"
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_capacity_reads_are_sums_over_the_world(api):
    hosts = api.query("QueryHost")
    cap = api.ok("GetCpuMemoryCapacity")
    assert cap["totalCpu"] == sum(h["totalCpuCapacity"] for h in hosts)
    assert cap["totalMemory"] == sum(h["totalMemoryCapacity"] for h in hosts)
    vm = new_vm(api, "cap-vm")
    after = api.ok("GetCpuMemoryCapacity")
    assert after["availableCpu"] == cap["availableCpu"] - vm["cpuNum"]
    assert after["availableMemory"] == cap["availableMemory"] - vm["memorySize"]
    pss = api.query("QueryPrimaryStorage")
    assert api.ok("GetPrimaryStorageCapacity")["totalCapacity"] == sum(p["totalCapacity"] for p in pss)
    console = api.ok("GetVmConsoleAddress", uuid=vm["uuid"])
    assert console["hostIp"] == api.one("QueryHost", f"uuid={vm['hostUuid']}")["managementIp"]
    api.ok("StopVmInstance", uuid=vm["uuid"])
    api.refused("GetVmConsoleAddress", uuid=vm["uuid"])
    assert api.ok("GetCpuMemoryCapacity")["availableCpu"] == cap["availableCpu"]
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_candidates_follow_placement(api):
    l3 = api.one("QueryL3Network", "name=private-1")
    got = api.ok("GetCandidateZonesClustersHostsForCreatingVm", l3NetworkUuids=[l3["uuid"]],
                 imageUuid=api.one("QueryImage", "name=centos-7.9")["uuid"])
    assert {z["uuid"] for z in got["zones"]} == {l3["zoneUuid"]}
    assert got["hosts"] and all(h["zoneUuid"] == l3["zoneUuid"] and h["state"] == "Enabled" for h in got["hosts"])
    host = got["hosts"][0]
    api.ok("ChangeHostState", uuid=host["uuid"], stateEvent="disable")
    again = api.ok("GetCandidateZonesClustersHostsForCreatingVm", l3NetworkUuids=[l3["uuid"]],
                   imageUuid=api.one("QueryImage", "name=centos-7.9")["uuid"])
    assert host["uuid"] not in [h["uuid"] for h in again["hosts"]]
    api.ok("ChangeHostState", uuid=host["uuid"], stateEvent="enable")


def test_settings_are_kept_read_and_forgotten(api):
    vm = new_vm(api, "hostname-vm")
    api.ok("SetVmHostname", uuid=vm["uuid"], hostname="web-1")
    assert api.ok("GetVmHostname", uuid=vm["uuid"])["hostname"] == "web-1"
    assert [v["uuid"] for v in api.query("QueryVmInstance", "__systemTag__=hostname::web-1")] == [vm["uuid"]]
    api.ok("DeleteVmHostname", uuid=vm["uuid"])
    assert api.ok("GetVmHostname", uuid=vm["uuid"]).get("hostname") is None
    group = api.query("QueryModelServiceInstanceGroup")[0]
    api.ok("UpdateModelServiceInstanceGroup", uuid=group["uuid"], description="tuned by a script")
    assert api.one("QueryModelServiceInstanceGroup", f"uuid={group['uuid']}")["description"] == "tuned by a script"
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_host_maintenance_moves_its_vms_and_reconnect_connects(api):
    vm = new_vm(api, "maint-vm")
    host = vm["hostUuid"]
    moved = api.ok("ChangeHostState", uuid=host, stateEvent="maintain")["inventory"]
    assert moved["state"] == "Maintenance"
    after = api.one("QueryVmInstance", f"uuid={vm['uuid']}")
    assert after["hostUuid"] != host and after["state"] == "Running"
    assert api.query("QueryVmInstance", f"hostUuid={host}") == []
    assert api.ok("ReconnectHost", uuid=host)["inventory"]["status"] == "Connected"
    assert api.ok("ChangeHostState", uuid=host, stateEvent="enable")["inventory"]["state"] == "Enabled"
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_primary_storage_maintenance_stops_its_vms(api):
    ps = api.one("QueryPrimaryStorage", "name=ps-ceph-2")
    running = api.query("QueryVmInstance", "state=Running", f"allVolumes.primaryStorageUuid={ps['uuid']}")
    assert running
    assert api.ok("ChangePrimaryStorageState", uuid=ps["uuid"], stateEvent="maintain")["inventory"]["state"] \
        == "Maintenance"
    assert api.query("QueryVmInstance", "state=Running", f"allVolumes.primaryStorageUuid={ps['uuid']}") == []
    assert api.ok("ReconnectPrimaryStorage", uuid=ps["uuid"])["inventory"]["status"] == "Connected"
    api.ok("ChangePrimaryStorageState", uuid=ps["uuid"], stateEvent="enable")
    for vm in running:
        api.ok("StartVmInstance", uuid=vm["uuid"])


def test_deploying_a_model_service_makes_a_running_group_on_a_vm(api):
    service = api.one("QueryModelService", "name=qwen-chat")
    zone = api.one("QueryZone", "name=zone-1")
    dataset = api.query("QueryDataset")[0]
    group = api.ok("DeployModelService", uuid=service["uuid"], zoneUuid=zone["uuid"], name="qwen-chat-prod",
                   type="ModelService", datasetUuids=[dataset["uuid"]])["inventory"]
    assert (group["status"], group["modelServiceUuid"]) == ("Running", service["uuid"])
    [instance] = api.one("QueryModelServiceInstanceGroup", f"uuid={group['uuid']}")["instances"]
    vm = api.one("QueryVmInstance", f"uuid={instance['vmInstanceUuid']}")
    assert vm["state"] == "Running" and vm["zoneUuid"] == zone["uuid"]
    assert [r["datasetUuid"] for r in api.one("QueryModelServiceInstanceGroup",
                                              f"uuid={group['uuid']}")["datasetRefInventories"]] == [dataset["uuid"]]
    api.refused("DeployModelService", uuid="0" * 32, zoneUuid=zone["uuid"], name="x", type="ModelService")
    api.ok("DeleteModelServiceInstanceGroup", uuid=group["uuid"])
    assert api.query("QueryModelServiceInstanceGroup", f"uuid={group['uuid']}") == []
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_what_makes_nothing_makes_no_row(api):
    """A POST under a resource's path that reads, checks or tests makes no new row of that resource (the generic
    create once made a VpcRouterVm for GetVpcAttachedEip and a PrimaryStorage for AddStorageProtocol)."""
    storages = len(api.query("QueryPrimaryStorage"))
    ps = api.query("QueryPrimaryStorage")[0]
    r = api("AddStorageProtocol", uuid=ps["uuid"], outputProtocol="NVMEoF")
    assert r.status_code != 200 or r.json().get("inventory", {}).get("uuid") in (None, ps["uuid"]), r.text
    assert len(api.query("QueryPrimaryStorage")) == storages
    def counts():
        return [len(api.query(q)) for q in ("QuerySNSHttpEndpoint", "QueryBareMetal2Instance")]

    for name in ("SNSHttpTestConnection", "CheckStaticProvisionIp"):
        before = counts()
        api(name)
        assert counts() == before, name
