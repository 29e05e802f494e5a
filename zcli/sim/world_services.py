"""The demo world's network services and storage history: what a user tries after the first query.

VIPs on the public networks (their addresses taken from the range, as used IPs), EIPs (most attached to
a VM's NIC, some free), security groups with ingress and egress rules attached to the private networks
and to VM NICs, a load balancer with a listener, a server group and back-end NICs, volume snapshots, and
data volumes both attached and detached. Everything is derived from the rows already in the world, in a
fixed order, so that the same seed gives the same world; ``scale`` grows the per-VM parts.
"""

from __future__ import annotations

import ipaddress


def add_services(w, l3s: list[dict], disks: list[dict], pss: list[dict]) -> None:
    vms = w.rows.get("VmInstanceInventory", [])
    nics = w.rows.get("VmNicInventory", [])
    nic_of_vm: dict[str, list[dict]] = {}
    for n in nics:
        nic_of_vm.setdefault(n["vmInstanceUuid"], []).append(n)
    public = [n for n in l3s if n.get("category") == "Public"]
    private = [n for n in l3s if n.get("category") == "Private"]
    vips = _vips(w, public, 3 * w.scale + 1)
    _eips(w, vips[:-1], [n for n in nics if n["l3NetworkUuid"] in {p["uuid"] for p in private}])
    _security_groups(w, private, nics)
    _load_balancer(w, vips[-1], [n for vm in vms[:4] for n in nic_of_vm.get(vm["uuid"], [])[:1]])
    _volumes(w, vms, disks, pss)


def _vips(w, public: list[dict], count: int) -> list[dict]:
    out = []
    for i in range(count):
        l3 = public[i % len(public)]
        rng = l3["_range"]
        # The top of the range, counting down: the VMs' NICs take the bottom.
        ip = str(ipaddress.ip_address(rng["endIp"]) - i // len(public))
        vip = w.entity("VipInventory", f"vip-{i + 1}", l3NetworkUuid=l3["uuid"], ipRangeUuid=rng["uuid"], ip=ip,
                       state="Enabled", gateway=rng["gateway"], netmask=rng["netmask"], prefixLen=16,
                       useFor="Eip", system=False, serviceProvider="Flat")
        used = w.add("UsedIpInventory", uuid=w.uid(), ipRangeUuid=rng["uuid"], l3NetworkUuid=l3["uuid"],
                     ipVersion=4, ip=ip, netmask=rng["netmask"], gateway=rng["gateway"], usedFor="Vip",
                     ipInLong=int(ipaddress.ip_address(ip)))
        vip["usedIpUuid"] = used["uuid"]
        out.append(vip)
    return out


def _eips(w, vips: list[dict], nics: list[dict]) -> None:
    for i, vip in enumerate(vips):
        attached = nics[i * 3] if i % 3 != 2 and i * 3 < len(nics) else None
        w.entity("EipInventory", f"eip-{i + 1}", vipUuid=vip["uuid"], vipIp=vip["ip"], state="Enabled",
                 vmNicUuid=attached["uuid"] if attached else None, guestIp=attached["ip"] if attached else None)
        w.add("VipNetworkServicesRefInventory", uuid=vip["uuid"], vipUuid=vip["uuid"], serviceType="Eip")


def _security_groups(w, private: list[dict], nics: list[dict]) -> None:
    rules = (("Ingress", "TCP", 22, 22, "0.0.0.0/0", "SSH"), ("Ingress", "TCP", 443, 443, "0.0.0.0/0", "HTTPS"),
             ("Ingress", "ICMP", -1, -1, "10.0.0.0/8", "ping from the private networks"),
             ("Egress", "ALL", -1, -1, "0.0.0.0/0", "all outbound"))
    groups = []
    for gi, name in enumerate(("sg-web", "sg-db", "默认安全组")):
        sg = w.entity("SecurityGroupInventory", name, state="Enabled", ipVersion=4, internalId=gi + 1,
                      description=f"security group {name}")
        groups.append(sg)
        for ri, (direction, proto, start, end, cidr, desc) in enumerate(rules[:2 + gi]):
            ports = "" if start < 0 else f"{start}" if start == end else f"{start}-{end}"
            w.entity("SecurityGroupRuleInventory", None, securityGroupUuid=sg["uuid"], type=direction, ipVersion=4,
                     protocol=proto, state="Enabled", priority=ri + 1, description=desc, action="ACCEPT",
                     srcIpRange=cidr if direction == "Ingress" else None,
                     dstIpRange=cidr if direction == "Egress" else None, dstPortRange=ports or None,
                     allowedCidr=cidr, startPort=start, endPort=end)
        for l3 in private[:1 + gi % len(private)]:
            w.add("SecurityGroupL3NetworkRefInventory", uuid=w.uid(), l3NetworkUuid=l3["uuid"],
                  securityGroupUuid=sg["uuid"])
    attached = {r["l3NetworkUuid"]: [] for r in w.rows["SecurityGroupL3NetworkRefInventory"]}
    for r in w.rows["SecurityGroupL3NetworkRefInventory"]:
        attached[r["l3NetworkUuid"]].append(r["securityGroupUuid"])
    for ni, nic in enumerate(nics):
        if ni % 4 == 3:
            continue
        for pi, sg in enumerate(attached.get(nic["l3NetworkUuid"], [])[:1 + ni % 2]):
            w.add("VmNicSecurityGroupRefInventory", uuid=w.uid(), vmNicUuid=nic["uuid"], securityGroupUuid=sg,
                  vmInstanceUuid=nic["vmInstanceUuid"], priority=pi + 1)
    # A rule's name column does not exist: drop the None the generic entity() put there.
    for rule in w.rows.get("SecurityGroupRuleInventory", []):
        rule.pop("name", None)


def _load_balancer(w, vip: dict, nics: list[dict]) -> None:
    lb = w.entity("LoadBalancerInventory", "lb-web", state="Enabled", type="Shared", vipUuid=vip["uuid"],
                  description="the web front end")
    vip["useFor"] = "LoadBalancer"
    group = w.entity("LoadBalancerServerGroupInventory", "servers-web", loadBalancerUuid=lb["uuid"], ipVersion=4)
    lb["serverGroupUuid"] = group["uuid"]
    listener = w.entity("LoadBalancerListenerInventory", "http-80", loadBalancerUuid=lb["uuid"], protocol="http",
                        loadBalancerPort=80, instancePort=8080, serverGroupUuid=group["uuid"],
                        securityPolicyType="tls_cipher_policy_default")
    w.add("LoadBalancerListenerServerGroupRefInventory", id=1, listenerUuid=listener["uuid"],
          serverGroupUuid=group["uuid"])
    w.add("VipNetworkServicesRefInventory", uuid=w.uid(), vipUuid=vip["uuid"], serviceType="LoadBalancer")
    for i, nic in enumerate(nics):
        w.add("LoadBalancerServerGroupVmNicRefInventory", id=i + 1, serverGroupUuid=group["uuid"],
              vmNicUuid=nic["uuid"], weight=100, ipVersion=4, status="Active")
        w.add("LoadBalancerListenerVmNicRefInventory", id=i + 1, listenerUuid=listener["uuid"], vmNicUuid=nic["uuid"],
              status="Active")


def _volumes(w, vms: list[dict], disks: list[dict], pss: list[dict]) -> None:
    """Detached data volumes (one per scale unit and zone), and snapshots of some volumes."""
    for k in range(w.scale):
        for pi, ps in enumerate(pss):
            d = disks[(k + pi) % len(disks)]
            w.entity("VolumeInventory", f"data-detached-{k * len(pss) + pi + 1}", primaryStorageUuid=ps["uuid"],
                     diskOfferingUuid=d["uuid"], installPath=f"/zstack_ps/dataVolumes/detached-{k}-{pi}",
                     type="Data", format="qcow2", size=d["diskSize"], actualSize=1 << 30, state="Enabled",
                     status="Ready", isShareable=False, description="a data volume attached to no VM")
    volumes = [v for v in w.rows["VolumeInventory"] if v.get("vmInstanceUuid")]
    for i, vol in enumerate(volumes[:6 * w.scale:3]):
        tree = w.add("VolumeSnapshotTreeInventory", uuid=w.uid(), volumeUuid=vol["uuid"], current=True,
                     status="Completed")
        parent = None
        for s in range(1 + i % 2):
            snap = w.entity("VolumeSnapshotInventory", f"snap-{vol['name']}-{s + 1}", type="Hypervisor",
                            volumeUuid=vol["uuid"], treeUuid=tree["uuid"], parentUuid=parent,
                            primaryStorageUuid=vol["primaryStorageUuid"], volumeType=vol["type"], format="qcow2",
                            latest=s == i % 2, size=1 << 29, distance=s + 1, state="Enabled", status="Ready",
                            primaryStorageInstallPath=f"{vol['installPath']}.snap{s + 1}")
            parent = snap["uuid"]


def settle_hosts(w) -> None:
    """A host's available CPU and memory are its totals less what its running VMs take."""
    used: dict[str, list[int]] = {}
    for vm in w.rows.get("VmInstanceInventory", []):
        if vm.get("state") == "Running" and vm.get("hostUuid"):
            u = used.setdefault(vm["hostUuid"], [0, 0])
            u[0] += vm.get("cpuNum") or 0
            u[1] += vm.get("memorySize") or 0
    for host in w.rows.get("HostInventory", []):
        cpu, mem = used.get(host["uuid"], [0, 0])
        host["availableCpuCapacity"] = max(host["totalCpuCapacity"] - cpu, 0)
        host["availableMemoryCapacity"] = max(host["totalMemoryCapacity"] - mem, 0)
