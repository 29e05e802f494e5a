"""Links the catalogue keeps outside ``...Ref`` tables, over HTTP as a user's script drives them: affinity
groups, scheduling rule groups, provision networks and PXE servers on clusters, IPsec L3 networks, shared QoS
VIPs, roles of accounts (zcli/sim/relations.py)."""

from __future__ import annotations

from tests.integration.simapi import new_vm


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
