"""The APIs of relations.txt over HTTP, as a user's script drives them (create, act, query, check, clean up):
links the catalogue keeps outside ``...Ref`` tables (relations.py), what is made from backups and snapshots
(restores.py), setters found through their reply (targets.py), records of no inventory (records.py), the
node's own settings (management.py), network services and back ends (netservices.py), Ceph mons."""

from __future__ import annotations

import time

from tests.integration.simapi import new_vm, put


def _zone(api, name="zone-1"):
    return api.one("QueryZone", f"name={name}")


def test_a_vm_joins_an_affinity_group_once_and_leaves_it(api):
    vm = new_vm(api, "affine-1")
    group = api.ok("CreateAffinityGroup", name="ag-1", policy="antiSoft")["inventory"]
    shown = api.ok("AddVmToAffinityGroup", affinityGroupUuid=group["uuid"], uuid=vm["uuid"])["inventory"]
    assert [(u["resourceUuid"], u["resourceType"]) for u in shown["usages"]] == [(vm["uuid"], "VmInstanceVO")]
    queried = api.one("QueryAffinityGroup", f"uuid={group['uuid']}")
    assert [u["resourceUuid"] for u in queried["usages"]] == [vm["uuid"]]
    assert "already attached" in api.refused("AddVmToAffinityGroup", affinityGroupUuid=group["uuid"],
                                             uuid=vm["uuid"])["details"]
    api.refused("AddVmToAffinityGroup", affinityGroupUuid=group["uuid"], uuid="0" * 32)
    left = api.ok("RemoveVmFromAffinityGroup", affinityGroupUuid=group["uuid"], uuid=vm["uuid"])["inventory"]
    assert left["usages"] == [] and api.one("QueryAffinityGroup", f"uuid={group['uuid']}")["usages"] == []
    assert "not attached" in api.refused("RemoveVmFromAffinityGroup", affinityGroupUuid=group["uuid"],
                                         uuid=vm["uuid"])["details"]
    api.ok("DeleteAffinityGroup", uuid=group["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_hosts_and_vms_join_scheduling_rule_groups(api):
    zone = _zone(api)
    host = api.query("QueryHost", f"zoneUuid={zone['uuid']}")[0]
    hosts = api.ok("CreateHostSchedulingRuleGroup", name="hg-1", zoneUuid=zone["uuid"])["inventory"]
    api.ok("AddHostToHostSchedulingRuleGroup", hostGroupUuid=hosts["uuid"], hostUuid=host["uuid"])
    assert "already attached" in api.refused("AddHostToHostSchedulingRuleGroup", hostGroupUuid=hosts["uuid"],
                                             hostUuid=host["uuid"])["details"]
    api.ok("DetachHostFromHostSchedulingRuleGroup", hostGroupUuid=hosts["uuid"], hostUuid=host["uuid"])
    assert "not attached" in api.refused("DetachHostFromHostSchedulingRuleGroup", hostGroupUuid=hosts["uuid"],
                                         hostUuid=host["uuid"])["details"]
    vm = new_vm(api, "sched-1")
    vms = api.ok("CreateVmSchedulingRuleGroup", name="vg-1", zoneUuid=zone["uuid"])["inventory"]
    api.ok("AddVmToVmSchedulingRuleGroup", vmGroupUuid=vms["uuid"], vmUuid=vm["uuid"])
    api.refused("AddVmToVmSchedulingRuleGroup", vmGroupUuid=vms["uuid"], vmUuid=vm["uuid"])
    api.ok("DetachVmFromVmSchedulingRuleGroup", vmGroupUuid=vms["uuid"], vmUuid=vm["uuid"])
    api.refused("DetachVmFromVmSchedulingRuleGroup", vmGroupUuid=vms["uuid"], vmUuid=vm["uuid"])
    api.ok("DeleteHostSchedulingRuleGroup", uuid=hosts["uuid"])
    api.ok("DeleteVmSchedulingRuleGroup", uuid=vms["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_provision_networks_and_pxe_servers_attach_to_clusters_of_their_zone(api):
    zone = _zone(api)
    cluster = api.query("QueryCluster", f"zoneUuid={zone['uuid']}")[0]
    net = api.ok("CreateBareMetal2ProvisionNetwork", name="pn-1", zoneUuid=zone["uuid"], dhcpInterface="eth1",
                 dhcpRangeStartIp="10.9.0.10", dhcpRangeEndIp="10.9.0.100", dhcpRangeNetmask="255.255.255.0")
    net = net["inventory"]
    shown = api.ok("AttachBareMetal2ProvisionNetworkToCluster", networkUuid=net["uuid"],
                   clusterUuid=cluster["uuid"])["inventory"]
    assert shown["attachedClusterUuids"] == [cluster["uuid"]]
    assert api.one("QueryBareMetal2ProvisionNetwork", f"uuid={net['uuid']}")["attachedClusterUuids"] == \
        [cluster["uuid"]]
    api.refused("AttachBareMetal2ProvisionNetworkToCluster", networkUuid=net["uuid"], clusterUuid=cluster["uuid"])
    other = api.ok("CreateZone", name="zone-far")["inventory"]
    far = api.ok("CreateCluster", name="c-far", zoneUuid=other["uuid"], hypervisorType="KVM")["inventory"]
    assert "zone" in api.refused("AttachBareMetal2ProvisionNetworkToCluster", networkUuid=net["uuid"],
                                 clusterUuid=far["uuid"])["details"]
    api.ok("DetachBareMetal2ProvisionNetworkFromCluster", networkUuid=net["uuid"], clusterUuid=cluster["uuid"])
    assert api.one("QueryBareMetal2ProvisionNetwork", f"uuid={net['uuid']}")["attachedClusterUuids"] == []
    api.refused("DetachBareMetal2ProvisionNetworkFromCluster", networkUuid=net["uuid"], clusterUuid=cluster["uuid"])

    pxe = api.ok("CreateBaremetalPxeServer", zoneUuid=zone["uuid"], name="pxe-1", hostname="10.9.0.2",
                 sshUsername="root", sshPassword="secret", storagePath="/pxe", dhcpInterface="eth1")["inventory"]
    shown = api.ok("AttachBaremetalPxeServerToCluster", pxeServerUuid=pxe["uuid"],
                   clusterUuid=cluster["uuid"])["inventory"]
    assert shown["uuid"] == pxe["uuid"] and shown["attachedClusterUuids"] == [cluster["uuid"]]
    api.ok("DetachBaremetalPxeServerFromCluster", pxeServerUuid=pxe["uuid"], clusterUuid=cluster["uuid"])
    assert api.one("QueryBaremetalPxeServer", f"uuid={pxe['uuid']}")["attachedClusterUuids"] == []
    api.ok("DeleteBaremetalPxeServer", uuid=pxe["uuid"])
    api.ok("DeleteBareMetal2ProvisionNetwork", uuid=net["uuid"])
    api.ok("DeleteZone", uuid=other["uuid"])


def test_l3_networks_of_an_ipsec_connection(api):
    vip = api.query("QueryVip")[0]
    l3s = [n["uuid"] for n in api.query("QueryL3Network", "category=Private")][:2]
    conn = api.ok("CreateIPsecConnection", name="ipsec-1", vipUuid=vip["uuid"], peerAddress="203.0.113.9",
                  authKey="k")["inventory"]
    shown = api.ok("AttachL3NetworksToIPsecConnection", uuid=conn["uuid"], l3NetworkUuids=l3s)["inventory"]
    assert shown["uuid"] == conn["uuid"] and [r["l3NetworkUuid"] for r in shown["l3NetworkRefs"]] == l3s
    assert len(api.query("QueryIPSecConnection")) == 1  # the attach made no second connection
    api.refused("AttachL3NetworksToIPsecConnection", uuid=conn["uuid"], l3NetworkUuids=l3s[:1])
    left = api.ok("DetachL3NetworksFromIPsecConnection", uuid=conn["uuid"], l3NetworkUuids=l3s[:1])["inventory"]
    assert [r["l3NetworkUuid"] for r in left["l3NetworkRefs"]] == l3s[1:]
    api.refused("DetachL3NetworksFromIPsecConnection", uuid=conn["uuid"], l3NetworkUuids=l3s[:1])
    api.ok("DeleteIPsecConnection", uuid=conn["uuid"])


def test_a_role_is_attached_to_an_account_once(api):
    role = api.ok("CreateRole", name="role-rel")["inventory"]
    account = api.ok("CreateAccount", name="acct-rel", password="Passw0rd!")["inventory"]
    api.ok("AttachRoleToAccount", roleUuid=role["uuid"], accountUuid=account["uuid"])
    assert "already attached" in api.refused("AttachRoleToAccount", roleUuid=role["uuid"],
                                             accountUuid=account["uuid"])["details"]
    api.ok("DetachRoleFromAccount", roleUuid=role["uuid"], accountUuid=account["uuid"])
    # RoleBase hard-deletes the ref whether or not it is there: a second detach succeeds too.
    api.ok("DetachRoleFromAccount", roleUuid=role["uuid"], accountUuid=account["uuid"])
    api.ok("AttachRoleToAccount", roleUuid=role["uuid"], accountUuid=account["uuid"])
    api.ok("DeleteAccount", uuid=account["uuid"])
    api.ok("DeleteRole", uuid=role["uuid"])


def test_a_vm_backup_brings_back_its_vm_volumes_and_templates(api):
    vm = new_vm(api, "backed-up")
    bs = api.query("QueryBackupStorage")[0]
    disk = api.ok("CreateDataVolume", name="backed-data", diskOfferingUuid=api.one(
        "QueryDiskOffering", "name=disk-50G")["uuid"])["inventory"]
    api.ok("AttachDataVolumeToVm", vmInstanceUuid=vm["uuid"], volumeUuid=disk["uuid"])
    backups = api.ok("CreateVmBackup", rootVolumeUuid=vm["rootVolumeUuid"], backupStorageUuid=bs["uuid"],
                     name="nightly")["inventories"]
    assert [b["volumeUuid"] for b in backups] == [vm["rootVolumeUuid"], disk["uuid"]]
    group = backups[0]["groupUuid"]
    assert {b["groupUuid"] for b in backups} == {group}
    assert [r["backupStorageUuid"] for r in backups[0]["backupStorageRefs"]] == [bs["uuid"]]
    assert len(api.query("QueryVolumeBackup", f"groupUuid={group}")) == 2
    api.refused("CreateVmBackup", rootVolumeUuid=disk["uuid"], backupStorageUuid=bs["uuid"], name="not-a-root")

    restored = api.ok("CreateVmFromVmBackup", groupUuid=group, name="restored")["inventory"]
    vols = api.query("QueryVolume", f"vmInstanceUuid={restored['uuid']}")
    root = next(v for v in vols if v["type"] == "Root")
    assert root["size"] == backups[0]["size"] and [v.get("size") for v in vols if v["type"] == "Data"] == \
        [disk.get("size")]
    assert restored["instanceOfferingUuid"] == vm["instanceOfferingUuid"]
    assert [n["l3NetworkUuid"] for n in restored["vmNics"]] == [n["l3NetworkUuid"] for n in vm["vmNics"]]

    from_root = api.ok("CreateVmFromVolumeBackup", backupUuid=backups[0]["uuid"], name="from-root",
                       instanceOfferingUuid=api.one("QueryInstanceOffering", "name=small")["uuid"],
                       l3NetworkUuids=[vm["vmNics"][0]["l3NetworkUuid"]])["inventory"]
    assert from_root["cpuNum"] == 1 and from_root["state"] == "Running"
    api.refused("CreateVmFromVolumeBackup", backupUuid=backups[1]["uuid"], name="from-data",
                instanceOfferingUuid=vm["instanceOfferingUuid"], l3NetworkUuids=[vm["vmNics"][0]["l3NetworkUuid"]])
    vol = api.ok("CreateDataVolumeFromVolumeBackup", backupUuid=backups[1]["uuid"], name="vol-back")["inventory"]
    assert (vol["type"], vol.get("size")) == ("Data", disk.get("size"))
    image = api.ok("CreateRootVolumeTemplateFromVolumeBackup", backupUuid=backups[0]["uuid"],
                   backupStorageUuid=bs["uuid"], name="tpl-back")["inventory"]
    assert image["mediaType"] == "RootVolumeTemplate" and api.query("QueryImage", "name=tpl-back")
    api.refused("CreateDataVolumeTemplateFromVolumeBackup", backupUuid=backups[0]["uuid"],
                backupStorageUuid=bs["uuid"], name="tpl-wrong-kind")
    data_image = api.ok("CreateDataVolumeTemplateFromVolumeBackup", backupUuid=backups[1]["uuid"],
                        backupStorageUuid=bs["uuid"], name="tpl-data-back")["inventory"]
    assert api.one("QueryImage", "name=tpl-data-back")["mediaType"] == "DataVolumeTemplate"

    api.ok("DeleteVmBackup", groupUuid=group)
    assert api.query("QueryVolumeBackup", f"groupUuid={group}") == []
    api.refused("DeleteVmBackup", groupUuid=group)
    for v in (vm, restored, from_root):
        api.ok("DestroyVmInstance", uuid=v["uuid"])
    api.ok("DeleteDataVolume", uuid=vol["uuid"])
    api.ok("DeleteImage", uuid=image["uuid"])
    api.ok("DeleteImage", uuid=data_image["uuid"])


def test_a_vm_made_from_a_root_volume_snapshot(api):
    vm = new_vm(api, "snap-src")
    snap = api.ok("CreateVolumeSnapshot", volumeUuid=vm["rootVolumeUuid"], name="s-root")["inventory"]
    made = api.ok("CreateVmInstanceFromVolumeSnapshot", volumeSnapshotUuid=snap["uuid"], name="from-snap")["inventory"]
    assert made["name"] == "from-snap" and made["uuid"] != vm["uuid"] and made["cpuNum"] == vm["cpuNum"]
    assert api.one("QueryVolume", f"uuid={made['rootVolumeUuid']}")["size"] == \
        api.one("QueryVolume", f"uuid={vm['rootVolumeUuid']}")["size"]
    data_snap = next((s for s in api.query("QueryVolumeSnapshot", "volumeType=Data")), None)
    if data_snap:
        api.refused("CreateVmInstanceFromVolumeSnapshot", volumeSnapshotUuid=data_snap["uuid"], name="no")
    for v in (vm, made):
        api.ok("DestroyVmInstance", uuid=v["uuid"])


def test_ceph_mons_are_added_updated_and_removed(api):
    zone = _zone(api, "华东区域")
    ps = api.ok("AddCephPrimaryStorage", name="ceph-rel", zoneUuid=zone["uuid"],
                monUrls=["root:pw@10.20.0.1/?monPort=7000", "root:pw@10.20.0.2:2222"])["inventory"]
    mons = api.one("QueryCephPrimaryStorage", f"uuid={ps['uuid']}")["mons"]
    assert sorted((m["hostname"], m["monPort"], m["sshPort"]) for m in mons) == \
        [("10.20.0.1", 7000, 22), ("10.20.0.2", 6789, 2222)]
    assert all("sshPassword" not in m for m in mons)
    api.refused("AddMonToCephPrimaryStorage", uuid=ps["uuid"], monUrls=["root:pw@10.20.0.1"])
    api.refused("AddMonToCephPrimaryStorage", uuid=ps["uuid"], monUrls=["no-at-sign"])
    grown = api.ok("AddMonToCephPrimaryStorage", uuid=ps["uuid"], monUrls=["root:pw@10.20.0.3"])["inventory"]
    assert grown["uuid"] == ps["uuid"] and len(grown["mons"]) == 3
    assert len(api.query("QueryCephPrimaryStorage", "name=ceph-rel")) == 1
    mon = next(m for m in grown["mons"] if m["hostname"] == "10.20.0.3")
    shown = api.ok("UpdateCephPrimaryStorageMon", monUuid=mon["monUuid"], hostname="10.20.0.33", monPort=6800)
    assert shown["inventory"]["uuid"] == ps["uuid"]
    assert ("10.20.0.33", 6800) in [(m["hostname"], m["monPort"]) for m in shown["inventory"]["mons"]]
    left = api.ok("RemoveMonFromCephPrimaryStorage", uuid=ps["uuid"], monHostnames=["10.20.0.33", "10.9.9.9"])
    assert sorted(m["hostname"] for m in left["inventory"]["mons"]) == ["10.20.0.1", "10.20.0.2"]
    api.ok("DeletePrimaryStorage", uuid=ps["uuid"])


def test_host_interfaces_bond_and_take_addresses(api):
    host = api.one("QueryHost", "name=host-1")
    eth = {i["interfaceName"]: i for i in api.query("QueryHostNetworkInterface", f"hostUuid={host['uuid']}")}
    assert eth["eth0"]["ipAddresses"] == [f"{host['managementIp']}/16"]
    bond = api.ok("CreateBonding", hostUuids=[host["uuid"]], bondingName="bond0", type="LinuxBonding",
                  mode="active-backup")["inventory"][0]  # a list: one bond per host (the SDK's CreateBondingResult)
    shown = api.ok("AttachNicToBonding", uuid=bond["uuid"], slaveUuids=[eth["eth1"]["uuid"]])["inventory"]
    assert [s["uuid"] for s in shown["slaves"]] == [eth["eth1"]["uuid"]]
    assert api.one("QueryHostNetworkInterface", f"uuid={eth['eth1']['uuid']}")["bondingUuid"] == bond["uuid"]
    api.refused("AttachNicToBonding", uuid=bond["uuid"], slaveUuids=[eth["eth1"]["uuid"]])
    other = api.query("QueryHostNetworkInterface", "interfaceName=eth1", f"hostUuid!={host['uuid']}")[0]
    assert "host" in api.refused("AttachNicToBonding", uuid=bond["uuid"], slaveUuids=[other["uuid"]])["details"]
    ip = api.ok("SetIpOnHostNetworkBonding", bondingUuid=bond["uuid"], ipAddress="192.168.7.5",
                netmask="255.255.255.0")["inventory"]
    assert ip["ipAddresses"] == ["192.168.7.5/24"]
    nic = api.ok("SetIpOnHostNetworkInterface", interfaceUuid=other["uuid"], ipAddress="192.168.8.9",
                 netmask="255.255.0.0")["inventory"]
    assert api.one("QueryHostNetworkInterface", f"uuid={other['uuid']}")["ipAddresses"] == ["192.168.8.9/16"] \
        == nic["ipAddresses"]
    api.refused("SetIpOnHostNetworkInterface", interfaceUuid=other["uuid"], ipAddress="300.1.1.1")
    api.ok("DetachNicFromBonding", uuid=bond["uuid"], slaveUuids=[eth["eth1"]["uuid"]])
    assert "bondingUuid" not in api.one("QueryHostNetworkInterface", f"uuid={eth['eth1']['uuid']}")
    api.refused("DetachNicFromBonding", uuid=bond["uuid"], slaveUuids=[eth["eth1"]["uuid"]])
    api.ok("DeleteBonding", uuid=bond["uuid"])


def test_network_services_on_an_l3_and_load_balancer_back_ends(api):
    l3 = api.one("QueryL3Network", "name=private-1")
    assert "LoadBalancer" not in [s["networkServiceType"] for s in l3["networkServices"]]
    vm = new_vm(api, "lb-backend")
    group = api.query("QueryLoadBalancerServerGroup")[0]
    nic = vm["vmNics"][0]["uuid"]
    assert "LoadBalancer" in api.refused("AddBackendServerToServerGroup", serverGroupUuid=group["uuid"],
                                         vmNics=[{"uuid": nic, "weight": "50"}])["details"]
    shown = api.ok("AttachNetworkServiceToL3Network", l3NetworkUuid=l3["uuid"],
                   networkServices={"vrouter": ["LoadBalancer"]})["inventory"]
    assert "LoadBalancer" in [s["networkServiceType"] for s in shown["networkServices"]]
    for services in ({"vrouter": ["LoadBalancer"]}, {"SecurityGroup": ["SNAT"]}, {"0" * 32: ["DHCP"]}):
        api.refused("AttachNetworkServiceToL3Network", l3NetworkUuid=l3["uuid"], networkServices=services)
    assert "LoadBalancer" in api.ok("GetVmNicAttachedNetworkService", vmNicUuid=nic)["networkServices"]

    api.refused("AddBackendServerToServerGroup", serverGroupUuid=group["uuid"],
                vmNics=[{"uuid": nic, "weight": "500"}])
    # The demo load balancer is a shared one: it takes NICs, not server IPs (LoadBalancerApiInterceptor).
    assert "share" in api.refused("AddBackendServerToServerGroup", serverGroupUuid=group["uuid"],
                                  vmNics=[{"uuid": nic}], servers=[{"ipAddress": "10.99.0.7"}])["details"]
    added = api.ok("AddBackendServerToServerGroup", serverGroupUuid=group["uuid"],
                   vmNics=[{"uuid": nic, "weight": "50"}])["inventory"]
    assert [(r["vmNicUuid"], r["weight"]) for r in added["vmNicRefs"] if r["vmNicUuid"] == nic] == [(nic, 50)]
    assert api.one("QueryLoadBalancerServerGroup", f"uuid={group['uuid']}", f"vmNicRef.vmNicUuid={nic}")
    api.refused("AddBackendServerToServerGroup", serverGroupUuid=group["uuid"], vmNics=[{"uuid": nic}])
    left = api.ok("RemoveBackendServerFromServerGroup", serverGroupUuid=group["uuid"], vmNicUuids=[nic])["inventory"]
    assert nic not in [r["vmNicUuid"] for r in left["vmNicRefs"]]
    api.refused("RemoveBackendServerFromServerGroup", serverGroupUuid=group["uuid"], vmNicUuids=[nic])

    # A map in a query string goes as networkServices.<provider>=<type> pairs, as zcli sends it.
    r = api.http.delete(f"{api.base}/l3-networks/{l3['uuid']}/network-services",
                        params=[("networkServices.vrouter", "LoadBalancer")], timeout=10)
    location = r.json().get("location") if r.status_code == 202 else None
    for _ in range(2000):
        if r.status_code != 202:
            break
        time.sleep(0.005)
        r = api.http.get(location, timeout=10)
    assert r.status_code == 200, r.text
    assert "LoadBalancer" not in [s["networkServiceType"] for s in
                                  api.one("QueryL3Network", f"uuid={l3['uuid']}")["networkServices"]]
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_a_nic_security_policy_exists_once_the_nic_is_in_a_group(api):
    vm = new_vm(api, "policy-1")
    nic = vm["vmNics"][0]["uuid"]
    assert "no security policy" in api.refused("ChangeVmNicSecurityPolicy", vmNicUuid=nic,
                                               ingressPolicy="ALLOW")["details"]
    group = api.query("QuerySecurityGroup")[0]
    api.ok("AddVmNicToSecurityGroup", securityGroupUuid=group["uuid"], vmNicUuids=[nic])
    policy = api.ok("ChangeVmNicSecurityPolicy", vmNicUuid=nic, ingressPolicy="ALLOW")["inventory"]
    assert (policy["ingressPolicy"], policy["egressPolicy"]) == ("ALLOW", "ALLOW")
    policy = api.ok("ChangeVmNicSecurityPolicy", vmNicUuid=nic, egressPolicy="DENY")["inventory"]
    assert (policy["ingressPolicy"], policy["egressPolicy"]) == ("ALLOW", "DENY")
    assert api.one("QueryVmNicSecurityPolicy", f"vmNicUuid={nic}")["egressPolicy"] == "DENY"
    api.refused("ChangeVmNicSecurityPolicy", vmNicUuid=nic, ingressPolicy="MAYBE")
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_guest_tools_iso_and_state(api):
    vm = new_vm(api, "tools-1")
    api.ok("AttachGuestToolsIsoToVm", uuid=vm["uuid"])
    cdroms = api.query("QueryVmCdRom", f"vmInstanceUuid={vm['uuid']}")
    assert [c["isoInstallPath"] for c in cdroms if c.get("isoInstallPath")] == \
        ["/var/lib/zstack/guesttools/GuestTools.iso"]
    assert "already" in api.refused("AttachGuestToolsIsoToVm", uuid=vm["uuid"])["details"]
    state = api.ok("UpdateGuestToolsState", vmInstanceUuid=vm["uuid"])["inventory"]
    assert (state["vmInstanceUuid"], state["qgaState"], state["platform"]) == (vm["uuid"], "Running", vm["platform"])
    api.ok("StopVmInstance", uuid=vm["uuid"])
    assert api.ok("UpdateGuestToolsState", vmInstanceUuid=vm["uuid"])["inventory"]["qgaState"] == "Stopped"
    assert len(api.query("QueryGuestToolsState", f"vmInstanceUuid={vm['uuid']}")) == 1
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


CERT = """-----BEGIN CERTIFICATE-----
MIICKDCCAZGgAwIBAgICEjQwDQYJKoZIhvcNAQELBQAwLzELMAkGA1UEBhMCQ04x
DTALBgNVBAoMBHpjbGkxETAPBgNVBAMMCGNjcy10ZXN0MB4XDTI2MTIwMTEzMTYx
NFoXDTM2MTEyODEzMTYxNFowLzELMAkGA1UEBhMCQ04xDTALBgNVBAoMBHpjbGkx
ETAPBgNVBAMMCGNjcy10ZXN0MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDP
UqtdmPc/x0RFy0mX5cXjpYbxuUMUfY6mU7GR0rMcz9SyzjdF0MbvIjLOOovNDgZO
Lr+uZiDYzlJzmiHykTzZ+LZgI9+YKAUtmo4iQDD6m4ysmQ7lhkCxSmuiBNr8uksE
rsVLa/3D/aGUPtgu3RZs1gnrtH4nZKwH/Qvxf+vPVQIDAQABo1MwUTAdBgNVHQ4E
FgQUuMzdMIdoCNtaJLXGT7/9RUzC8uMwHwYDVR0jBBgwFoAUuMzdMIdoCNtaJLXG
T7/9RUzC8uMwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOBgQBi7mcT
IzqqWwEgRtgSVRIQGeSSinRxHgxaG+TVXiiaAkaY3vNDVoYdJIGZOapWHbNVf8su
eHGs/mmgW5XDHyVpcItbVvLqlj2EJA/k2YZLb9PcZprYLmIjoSIbYC2zM5PHcf5B
2QsZ2b0YJGjXBIo1iLE/EYoIcswhFnR6cXRbAA==
-----END CERTIFICATE-----
"""


def test_a_ccs_certificate_is_read_attached_to_a_user_and_detached(api):
    cert = api.ok("AddCCSCertificate", certificate=CERT)["inventory"]
    assert (cert["subjectDN"], cert["serNumber"], cert["algorithm"]) == ("C=CN, O=zcli, CN=ccs-test", "1234",
                                                                         "SHA256withRSA")
    assert cert["expirationTime"].startswith("Nov 28, 2036")
    api.refused("AddCCSCertificate", certificate=CERT)
    api.refused("AddCCSCertificate", certificate="not a certificate")
    user = api.one("QueryUser", "name=demo")
    shown = api.ok("AttachCCSCertificateToUser", certificateUuid=cert["uuid"], userUuid=user["uuid"],
                   state="enable")["inventory"]
    assert [(r["userUuid"], r["state"]) for r in shown["userCertificateRefs"]] == [(user["uuid"], "enable")]
    api.refused("AttachCCSCertificateToUser", certificateUuid=cert["uuid"], userUuid=user["uuid"])
    changed = api.ok("UpdateCCSCertificateUserState", userUuid=user["uuid"], state="disable")["inventory"]
    assert [r["state"] for r in changed["userCertificateRefs"]] == ["disable"]
    api.ok("DetachCCSCertificateFromUser", userUuid=user["uuid"])
    assert api.one("QueryCCSCertificate", f"uuid={cert['uuid']}")["userCertificateRefs"] == []
    api.refused("DetachCCSCertificateFromUser", userUuid=user["uuid"])
    api.refused("UpdateCCSCertificateUserState", userUuid=user["uuid"], state="enable")
    api.ok("DeleteCCSCertificate", uuid=cert["uuid"])


def test_management_node_settings_and_log_configurations(api):
    assert api.ok("GetFactoryModeState")["factoryModeState"] is False
    api.ok("UpdateFactoryModeState", factoryModeState=True)
    assert api.ok("GetFactoryModeState")["factoryModeState"] is True
    api.ok("UpdateFactoryModeState", factoryModeState=False)
    api.ok("UpdateChronyServers", internalHostnames=["10.0.0.2"], externalHostnames=["ntp.example.com"])
    assert api.ok("GetChronyServers")["servers"] == ["10.0.0.2", "ntp.example.com"]
    api.refused("UpdateChronyServers", internalHostnames=["bad host!"])
    made = api.ok("AddLogConfiguration", name="audit", type="log4j2", level="DEBUG",
                  configuration="<Configuration/>")["inventory"]
    assert '"level": "DEBUG"' in made["labelValue"]
    api.refused("AddLogConfiguration", name="audit", type="log4j2", configuration="<Configuration/>")
    api.ok("UpdateLogConfiguration", configId=made["id"], description="who did what")
    kept = api.ok("GetLogConfiguration")["inventories"]
    assert [k["id"] for k in kept] == [made["id"]] and "who did what" in kept[0]["labelValue"]
    api.ok("DeleteLogConfiguration", configId=made["id"])
    assert api.ok("GetLogConfiguration")["inventories"] == []
    api.refused("DeleteLogConfiguration", configId=made["id"])
    zones = [z["uuid"] for z in api.query("QueryZone")]
    assert set(api.ok("CheckBatchDataIntegrity", resourceType="ZoneVO")["resourceMap"].values()) == {False}
    api.ok("AddIntegrityResource", resourceType="ZoneVO")
    assert api.ok("CheckBatchDataIntegrity", resourceType="ZoneVO")["resourceMap"] == {z: True for z in zones}
    api.ok("AddIntegrityResource", resourceType="ZoneVO")  # what is signed is not signed twice
    assert api.ok("CheckBatchDataIntegrity", resourceType="ZoneVO", resourceUuids=zones[:1])["resourceMap"] == \
        {zones[0]: True}
    api.refused("AddIntegrityResource", resourceType="NoSuchVO")


def test_records_without_an_inventory_of_their_own(api):
    image = api.one("QueryImage", "name=centos-7.9")
    bs = api.query("QueryBackupStorage")[0]
    api.ok("DeleteExportedImageFromBackupStorage", backupStorageUuid=bs["uuid"], imageUuid=image["uuid"])
    ref = api.one("QueryImage", f"uuid={image['uuid']}")["backupStorageRefs"][0]
    assert "exportUrl" not in ref
    elsewhere = api.ok("AddImageStoreBackupStorage", name="bs-2", url="/bs2", hostname="10.3.0.2", username="root",
                       password="pw")["inventory"]
    api.refused("DeleteExportedImageFromBackupStorage", backupStorageUuid=elsewhere["uuid"], imageUuid=image["uuid"])
    api.ok("DeleteBackupStorage", uuid=elsewhere["uuid"])
    vm = new_vm(api, "scaled-1")
    job = api.ok("CreateSchedulerJob", name="nightly-stop", targetResourceUuid=vm["uuid"], type="stopVm")["inventory"]
    assert "AutoScalingRule" in api.refused("CreateAutoScalingRuleSchedulerJobTrigger", schedulerJobUuid=job["uuid"],
                                            ruleUuid="0" * 32, name="t")["details"]
    api.refused("DeleteAutoScalingGroupInstance", instanceUuid=vm["uuid"])  # no group holds it
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_vips_share_a_vpc_qos_and_templates_join_scaling_groups(api):
    public = api.one("QueryL3Network", "name=pub")
    vip = api.query("QueryVip", f"l3NetworkUuid={public['uuid']}")[0]
    qos = api.ok("CreateVpcSharedQos", name="qos-1", vpcUuid="a" * 32, l3NetworkUuid=public["uuid"])["inventory"]
    api.ok("AttachVipToVpcSharedQos", sharedQosUuid=qos["uuid"], vipUuids=[vip["uuid"]])
    assert [v["vipUuid"] for v in api.one("QueryVpcSharedQos", f"uuid={qos['uuid']}")["vips"]] == [vip["uuid"]]
    api.refused("AttachVipToVpcSharedQos", sharedQosUuid=qos["uuid"], vipUuids=[vip["uuid"]])
    api.ok("DetachVipFromVpcSharedQos", sharedQosUuid=qos["uuid"], vipUuids=[vip["uuid"]])
    assert api.one("QueryVpcSharedQos", f"uuid={qos['uuid']}")["vips"] == []
    api.refused("DetachVipFromVpcSharedQos", sharedQosUuid=qos["uuid"], vipUuids=[vip["uuid"]])
    api.ok("DeleteVpcSharedQos", uuid=qos["uuid"])

    l3 = api.one("QueryL3Network", "name=private-1")["uuid"]
    group = api.ok("CreateAutoScalingGroup", name="asg-1", scalingResourceType="VmInstance", minResourceSize=1,
                   maxResourceSize=3, defaultCooldown=60, removalPolicy="OldestInstance")["inventory"]
    template = api.ok("CreateAutoScalingVmTemplate", name="asg-tpl", vmInstanceName="asg-vm",
                      vmInstanceOfferingUuid=api.one("QueryInstanceOffering", "name=small")["uuid"],
                      imageUuid=api.one("QueryImage", "name=centos-7.9")["uuid"], l3NetworkUuids=[l3],
                      defaultL3NetworkUuid=l3)["inventory"]
    shown = api.ok("AttachAutoScalingTemplateToGroup", uuid=template["uuid"], groupUuid=group["uuid"])["inventory"]
    assert [t["uuid"] for t in shown["attachedTemplates"]] == [template["uuid"]]
    api.refused("AttachAutoScalingTemplateToGroup", uuid=template["uuid"], groupUuid=group["uuid"])
    left = api.ok("DetachAutoScalingTemplateFromGroup", templateUuid=template["uuid"], groupUuid=group["uuid"])
    assert left["inventory"]["attachedTemplates"] == []
    assert api.one("QueryAutoScalingGroup", f"uuid={group['uuid']}")["attachedTemplates"] == []
    api.refused("DetachAutoScalingTemplateFromGroup", templateUuid=template["uuid"], groupUuid=group["uuid"])



def test_a_deleted_resource_leaves_the_links_that_named_it(api):
    zone = _zone(api)
    cluster = api.ok("CreateCluster", name="c-gone", zoneUuid=zone["uuid"], hypervisorType="KVM")["inventory"]
    net = api.ok("CreateBareMetal2ProvisionNetwork", name="pn-gone", zoneUuid=zone["uuid"], dhcpInterface="eth1",
                 dhcpRangeStartIp="10.8.0.10", dhcpRangeEndIp="10.8.0.100",
                 dhcpRangeNetmask="255.255.255.0")["inventory"]
    api.ok("AttachBareMetal2ProvisionNetworkToCluster", networkUuid=net["uuid"], clusterUuid=cluster["uuid"])
    api.ok("DeleteCluster", uuid=cluster["uuid"])
    assert api.one("QueryBareMetal2ProvisionNetwork", f"uuid={net['uuid']}")["attachedClusterUuids"] == []

    vm = new_vm(api, "affine-gone")
    group = api.ok("CreateAffinityGroup", name="ag-gone", policy="antiSoft")["inventory"]
    api.ok("AddVmToAffinityGroup", affinityGroupUuid=group["uuid"], uuid=vm["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("ExpungeVmInstance", uuid=vm["uuid"])
    assert api.one("QueryAffinityGroup", f"uuid={group['uuid']}")["usages"] == []

    host = api.one("QueryHost", "name=host-2")
    eth1 = api.one("QueryHostNetworkInterface", f"hostUuid={host['uuid']}", "interfaceName=eth1")
    bond = api.ok("CreateBonding", hostUuids=[host["uuid"]], bondingName="bond9", type="LinuxBonding",
                  mode="active-backup")["inventory"][0]  # one bond per host named
    api.ok("AttachNicToBonding", uuid=bond["uuid"], slaveUuids=[eth1["uuid"]])
    api.ok("DeleteBonding", uuid=bond["uuid"])
    assert "bondingUuid" not in api.one("QueryHostNetworkInterface", f"uuid={eth1['uuid']}")
    api.ok("DeleteAffinityGroup", uuid=group["uuid"])
    api.ok("DeleteBareMetal2ProvisionNetwork", uuid=net["uuid"])

# --- what agents and other systems report: rows the API cannot make, written as the discovery would ---------



def test_a_scsi_lun_leaves_a_host(reported):
    api, writer = reported
    hosts = api.query("QueryHost")[:2]
    lun = put(writer, "ScsiLunInventory", name="lun-1", wwid="wwid-1", type="disk", size=1 << 30, state="Enabled")
    for h in hosts:
        put(writer, "ScsiLunHostRefInventory", scsiLunUuid=lun["uuid"], hostUuid=h["uuid"], path="/dev/sdb")
    api.ok("DetachScsiLunFromHost", uuid=lun["uuid"], hostUuid=hosts[0]["uuid"])
    refs = api.one("QueryScsiLun", f"uuid={lun['uuid']}")["scsiLunHostRefs"]
    assert [r["hostUuid"] for r in refs] == [hosts[1]["uuid"]]
    api.refused("DetachScsiLunFromHost", uuid=lun["uuid"], hostUuid=hosts[0]["uuid"])
    api.ok("DetachScsiLunFromHost", uuid=lun["uuid"])  # no host named: every host it is on
    assert api.one("QueryScsiLun", f"uuid={lun['uuid']}")["scsiLunHostRefs"] == []


def test_ticket_types_of_a_flow_collection(reported):
    api, writer = reported
    flows = put(writer, "TicketFlowCollectionInventory", name="flows-1", isDefault=False, ticketTypeUuids=[])
    types = [put(writer, "TicketTypeInventory", name=f"type-{i}", type="Custom")["uuid"] for i in range(2)]
    api.ok("AddTicketTypesToTicketFlowCollection", ticketFlowCollectionUuid=flows["uuid"], ticketTypeUuids=types)
    assert api.one("QueryTicketFlowCollection", f"uuid={flows['uuid']}")["ticketTypeUuids"] == types
    api.refused("AddTicketTypesToTicketFlowCollection", ticketFlowCollectionUuid=flows["uuid"],
                ticketTypeUuids=types[:1])
    api.ok("RemoveTicketTypesFromTicketFlowCollection", ticketFlowCollectionUuid=flows["uuid"],
           ticketTypeUuids=types[:1])
    assert api.one("QueryTicketFlowCollection", f"uuid={flows['uuid']}")["ticketTypeUuids"] == types[1:]
    api.refused("RemoveTicketTypesFromTicketFlowCollection", ticketFlowCollectionUuid=flows["uuid"],
                ticketTypeUuids=types[:1])


def test_dns_of_a_vpc_router(reported):
    api, writer = reported
    router = put(writer, "VpcRouterVmInventory", name="vpc-1", state="Running", applianceVmType="vrouter",
                  type="ApplianceVm")
    shown = api.ok("AddDnsToVpcRouter", uuid=router["uuid"], dns="1.1.1.1")["inventory"]
    assert [d["dns"] for d in shown["dns"]] == ["1.1.1.1"]
    assert len(api.query("QueryVpcRouter")) == 1  # the add made no second router
    api.refused("AddDnsToVpcRouter", uuid=router["uuid"], dns="1.1.1.1")
    api.ok("RemoveDnsFromVpcRouter", uuid=router["uuid"], dns="1.1.1.1")
    assert api.one("QueryVpcRouter", f"uuid={router['uuid']}")["dns"] == []
    api.refused("RemoveDnsFromVpcRouter", uuid=router["uuid"], dns="1.1.1.1")


def test_records_the_agents_and_systems_report(reported):
    api, writer = reported
    vm = new_vm(api, "scaled")
    group = api.ok("CreateAutoScalingGroup", name="asg-r", scalingResourceType="VmInstance", minResourceSize=0,
                   maxResourceSize=2, defaultCooldown=60, removalPolicy="OldestInstance")["inventory"]
    put(writer, "AutoScalingGroupInstanceInventory", instanceUuid=vm["uuid"], scalingGroupUuid=group["uuid"],
         status="InService")
    api.ok("DeleteAutoScalingGroupInstance", instanceUuid=vm["uuid"])
    assert api.query("QueryAutoScalingGroupInstance", f"instanceUuid={vm['uuid']}") == []
    assert api.one("QueryVmInstance", f"uuid={vm['uuid']}")["state"] == "Destroyed"

    app = put(writer, "BuildApplicationInventory", name="app-1", version="1.0")
    for i in (1, 2):
        put(writer, "BuildAppExportHistoryInventory", id=i, buildAppUuid=app["uuid"], name=f"export-{i}")
    api.ok("DeleteBuildAppExportHistory", buildAppUuid=app["uuid"], exportId="1")
    assert [h["id"] for h in api.query("QueryBuildAppExportHistory", f"buildAppUuid={app['uuid']}")] == [2]
    api.refused("DeleteBuildAppExportHistory", buildAppUuid=app["uuid"], exportId="1")

    bs = api.query("QueryBackupStorage")[0]
    backup = put(writer, "DatabaseBackupInventory", name="db-1", state="Enabled", status="Ready")
    put(writer, "DatabaseBackupStorageRefInventory", databaseBackupUuid=backup["uuid"], backupStorageUuid=bs["uuid"],
         exportUrl="http://bs/export/db-1", status="Ready")
    api.ok("DeleteExportedDatabaseBackupFromBackupStorage", databaseBackupUuid=backup["uuid"],
           backupStorageUuid=bs["uuid"])
    assert writer.store.read('SELECT exportUrl FROM "DatabaseBackupStorageRefInventory" WHERE databaseBackupUuid = ?',
                             [backup["uuid"]])[1] == [(None,)]

    l3 = api.one("QueryL3Network", "name=private-1")
    area = api.ok("CreateVRouterOspfArea", areaId="0.0.0.1")["inventory"]
    ref = put(writer, "NetworkRouterAreaRefInventory", routerAreaUuid=area["uuid"], l3NetworkUuid=l3["uuid"],
               vRouterUuid="b" * 32)
    api.ok("RemoveVRouterNetworksFromOspfArea", uuids=[ref["uuid"]])
    assert api.query("QueryVRouterOspfNetwork", f"routerAreaUuid={area['uuid']}") == []
    api.refused("RemoveVRouterNetworksFromOspfArea", uuids=[ref["uuid"]])


def test_setters_found_through_what_they_answer(reported):
    api, writer = reported
    vm = new_vm(api, "vf-owner")
    vf = put(writer, "VmVfNicInventory", vmInstanceUuid=vm["uuid"], l3NetworkUuid=vm["vmNics"][0]["l3NetworkUuid"],
              type="VF", haState="Disabled", deviceId=5)
    assert api.ok("ChangeVfNicHaState", vfNicUuid=vf["uuid"], haState="Enabled")["inventory"]["haState"] == "Enabled"
    stored = writer.store.read('SELECT haState FROM "VmVfNicInventory" WHERE uuid = ?', [vf["uuid"]])[1]
    assert stored == [("Enabled",)]

    template = put(writer, "GlobalConfigTemplateInventory", name="tpl-1", type="Custom")
    row = api.ok("UpdateTemplateConfig", templateUuid=template["uuid"], category="vm", name="deletionPolicy",
                 value="Direct")["inventory"]
    assert (row["value"], row["defaultValue"]) == ("Direct", "Delay")
    assert api.one("QueryTemplateConfig", f"templateUuid={template['uuid']}", "name=deletionPolicy")["value"] \
        == "Direct"
    api.refused("UpdateTemplateConfig", templateUuid=template["uuid"], category="applianceVm",
                name="bootstrapinfo.timeout", value="soon")  # an Integer configuration
    api.refused("UpdateTemplateConfig", templateUuid=template["uuid"], category="vm", name="noSuchConfig",
                value="1")

    bs = api.ok("AddCephBackupStorage", name="ceph-bs", monUrls=["root:pw@10.30.0.1"])["inventory"]
    mon = api.one("QueryCephBackupStorage", f"uuid={bs['uuid']}")["mons"][0]
    shown = api.ok("UpdateCephBackupStorageMon", monUuid=mon["monUuid"], sshPort=2200, monPort=6800)["inventory"]
    assert shown["uuid"] == bs["uuid"] and [(m["sshPort"], m["monPort"]) for m in shown["mons"]] == [(2200, 6800)]
    api.refused("UpdateCephBackupStorageMon", monUuid=mon["monUuid"], monPort=70000)

    task = put(writer, "CdpTaskInventory", name="cdp-1", status="Running", state="Enabled", taskType="VM")
    put(writer, "CdpTaskResourceRefInventory", taskUuid=task["uuid"], resourceUuid=vm["uuid"],
         resourceType="VmInstanceVO")
    made = api.ok("CreateVmFromCdpBackup", name="from-cdp", groupId=3, cdpTaskUuid=task["uuid"],
                  instanceOfferingUuid=vm["instanceOfferingUuid"])["inventory"]
    assert made["imageUuid"] == vm["imageUuid"] and made["vmNics"][0]["l3NetworkUuid"] == \
        vm["vmNics"][0]["l3NetworkUuid"]
    api.refused("CreateVmFromCdpBackup", name="x", groupId=3, cdpTaskUuid="0" * 32,
                instanceOfferingUuid=vm["instanceOfferingUuid"])
