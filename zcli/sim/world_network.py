"""The demo world's network service providers and hosts' physical interfaces, as a management node has them.

The server registers its providers at start (FlatProviderFactory, SecurityGroup, the vrouter of VyosConstants)
with the services each gives (NetworkServiceTypeVO); a flat private network has the Flat provider's DHCP,
Userdata, Eip and DNS and the SecurityGroup service attached. Each host reports two physical interfaces
(HostNetworkInterface): eth0, holding its management address, and eth1, free to bond.
"""

from __future__ import annotations

#: provider type → the network service types it gives.
PROVIDERS = {
    "Flat": ("DHCP", "Userdata", "Eip", "DNS", "HostRoute"),
    "SecurityGroup": ("SecurityGroup",),
    "vrouter": ("DHCP", "DNS", "SNAT", "PortForwarding", "Eip", "LoadBalancer", "IPsec", "VipQos", "CentralizedDNS"),
}
_ON_PRIVATE = {"Flat": ("DHCP", "Userdata", "Eip", "DNS"), "SecurityGroup": ("SecurityGroup",)}


def add_network(w, l3s: list[dict], hosts: list[dict]) -> None:
    providers = {}
    for kind, types in PROVIDERS.items():
        p = w.entity("NetworkServiceProviderInventory", f"{kind} Network Service Provider", type=kind,
                     description=f"the {kind} network service provider")
        providers[kind] = p
        for t in types:
            w.add("NetworkServiceTypeInventory", networkServiceProviderUuid=p["uuid"], type=t)
    for l3 in l3s:
        if l3.get("category") != "Private":
            continue
        for kind, types in _ON_PRIVATE.items():
            for t in types:
                w.add("NetworkServiceL3NetworkRefInventory", l3NetworkUuid=l3["uuid"],
                      networkServiceProviderUuid=providers[kind]["uuid"], networkServiceType=t)
    for hi, host in enumerate(hosts):
        for dev in range(2):
            mac = f"52:54:00:{hi >> 8 & 0xFF:02x}:{hi & 0xFF:02x}:{dev:02x}"
            w.add("HostNetworkInterfaceInventory", uuid=w.uid(), hostUuid=host["uuid"], interfaceName=f"eth{dev}",
                     interfaceType="nomaster", speed=10000, slaveActive=False, carrierActive=True, mac=mac,
                     ipAddresses=[f"{host['managementIp']}/16"] if dev == 0 else [],
                     pciDeviceAddress=f"0000:3b:00.{dev}", interfaceModel="Intel X710", vendorId="8086",
                     deviceId="1572", offloadStatus="none", virtStatus="none")
