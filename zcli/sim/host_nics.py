"""The model of a host's physical network (its NICs and the services they carry), deterministic from the host.

Pure rows, no store. The demo world's hosts get their NICs from :mod:`zcli.sim.world_network` (eth0 holding the
management address, eth1 free to bond); :func:`add_to_world` adds what they carry (``HostNetworkInterfaceServiceRef``:
the management network on eth0, and the VLANs of the L2 networks on eth0 attached to the host's cluster), and
:func:`host_rows` gives a host added later the same shape (see :mod:`zcli.sim.host_network`).
"""

from __future__ import annotations

import uuid as uuidlib

NIC = "HostNetworkInterfaceInventory"
BOND = "HostNetworkBondingInventory"
REF = "HostNetworkInterfaceServiceRefInventory"
BOND_REF = "HostNetworkBondingServiceRefInventory"


def _id(host_uuid: str, name: str) -> str:
    return uuidlib.uuid5(uuidlib.NAMESPACE_OID, f"{host_uuid}/nic/{name}").hex


def service_refs(nic: dict, l2s: list[dict], when: str) -> list[dict]:
    """What ``nic`` (a host's eth0) carries: the management network, and the VLANs of the L2s on it."""
    dates = {"createDate": when, "lastOpDate": when}
    refs = [{"interfaceUuid": nic["uuid"], "vlanId": 0, "serviceType": "ManagementNetwork", **dates}]
    for l2 in l2s:
        if l2.get("physicalInterface") == nic.get("interfaceName"):
            refs.append({"interfaceUuid": nic["uuid"], "vlanId": int(l2.get("virtualNetworkId") or 0),
                         "serviceType": "TenantNetwork", **dates})
    return refs


def host_rows(host: dict, l2s: list[dict], when: str) -> dict[str, list[dict]]:
    """The NICs and service refs of a host that has none (deterministic from its uuid and managementIp);
    ``l2s``: the L2 networks attached to its cluster."""
    ip = host.get("managementIp") or "0.0.0.0"
    dates = {"createDate": when, "lastOpDate": when}
    n = uuidlib.UUID(hex=host["uuid"]).int if len(host["uuid"]) == 32 else 0
    nics = [{"uuid": _id(host["uuid"], f"eth{dev}"), "hostUuid": host["uuid"], "interfaceName": f"eth{dev}",
             "interfaceType": "nomaster", "speed": 10000, "slaveActive": False, "carrierActive": True,
             "mac": f"52:54:01:{n >> 8 & 0xFF:02x}:{n & 0xFF:02x}:{dev:02x}",
             "ipAddresses": [f"{ip}/16"] if dev == 0 else [], "pciDeviceAddress": f"0000:3b:00.{dev}",
             "interfaceModel": "Intel X710", "vendorId": "8086", "deviceId": "1572", "offloadStatus": "none",
             "virtStatus": "none", **dates} for dev in range(2)]
    return {NIC: nics, REF: service_refs(nics[0], l2s, when)}


def add_to_world(w) -> None:
    """The service refs of the demo world's hosts' eth0 (and NICs for a host that has none)."""
    attached: dict[str, list[dict]] = {}
    l2_by_uuid = {r["uuid"]: r for r in w.rows.get("L2NetworkInventory", [])}
    for ref in w.rows.get("L2NetworkClusterRefInventory", []):
        attached.setdefault(ref["clusterUuid"], []).append(l2_by_uuid[ref["l2NetworkUuid"]])
    eth0 = {r["hostUuid"]: r for r in w.rows.get(NIC, []) if r.get("interfaceName") == "eth0"}
    for host in w.rows.get("HostInventory", []):
        l2s, when = attached.get(host.get("clusterUuid"), []), host.get("createDate")
        if host["uuid"] in eth0:
            w.rows.setdefault(REF, []).extend(service_refs(eth0[host["uuid"]], l2s, when))
            continue
        for table, rows in host_rows(host, l2s, when).items():
            w.rows.setdefault(table, []).extend(rows)
