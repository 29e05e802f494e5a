"""The hosts' physical network, as the agents report it: interfaces, bonds and the services they carry, per host.

The server learns a host's NICs and bonds from its agent (``HostNetworkInterfaceVO``, ``HostNetworkBondingVO``)
and keeps which service each carries at which VLAN (``HostNetworkInterfaceServiceRefVO``). The simulator keeps
the same rows in those tables (:mod:`zcli.sim.host_nics`: eth0 with the management address, carrying the
management network and the VLANs of its cluster's L2 networks; eth1 free to bond; a host added later gets them
on first read), changed by the bonding and service APIs, so that the next read sees what the last call did.

GetHostNetworkFacts and GetClusterHostNetworkFacts read them; GetCandidateNetworkInterfaces answers the
interfaces (and bonds) of that name on every host asked, not enslaved; GetCandidateInterfaceVlanIds the VLANs no
service uses on them; GetInterfaceServiceTypeStatistic the service refs with their hosts; IsVfNicAvailableInL3Network
whether the host's NIC of the L3's L2 is SR-IOV virtualized (``virtStatus``); CheckNetworkReachable whether each
target is an address the world holds (a connected host, a backup storage, an IP in use); the LLDP APIs keep each
interface's mode and answer its switch port (LldpManagerImpl's checks).
"""

from __future__ import annotations

import uuid as uuidlib
import zlib
from typing import ClassVar

from zcli.sim.computed import Computed, as_bool, as_int
from zcli.sim.failures import argerr, operr
from zcli.sim.host_nics import BOND, BOND_REF, NIC, REF, host_rows
from zcli.sim.naming import as_list


class HostNetwork(Computed):
    kind = "host-network"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetHostNetworkFacts": ("host_facts", "the host's NICs and bonds (kept per host, seeded from its address)"),
        "GetClusterHostNetworkFacts": ("cluster_facts", "the NICs and bonds of the cluster's hosts"),
        "GetCandidateNetworkInterfaces": ("candidates", "candidates: NICs/bonds of that name on every host, "
                                                        "not enslaved"),
        "GetCandidateInterfaceVlanIds": ("vlan_ids", "computed: VLAN ids no service uses on the interfaces"),
        "GetInterfaceServiceTypeStatistic": ("statistic", "the interfaces' service refs with their hosts"),
        "IsVfNicAvailableInL3Network": ("vf_available", "computed: the host's NIC of the L3's L2 and its SR-IOV"),
        "CheckNetworkReachable": ("reachable", "computed: whether each target is an address the world holds"),
        "ChangeHostNetworkInterfaceLldpMode": ("lldp_mode", "keeps each interface's LLDP mode (one host's)"),
        "GetHostNetworkInterfaceLldp": ("lldp", "the switch port the interface's LLDP receives (rx modes)"),
        "CreateBonding": ("create_bonding", "create: a bond on each host, its slaves (by uuid or name) enslaved"),
        "DeleteBonding": ("delete_bonding", "delete: the bond, its slaves freed and its service refs gone"),
    }

    def ensure(self, host: dict) -> None:
        """Give ``host`` its NICs when it has none yet (a host added after the world was seeded)."""
        if self.store.count(NIC, "hostUuid = ?", [host["uuid"]]):
            return
        l2s = self.rows("L2NetworkInventory", 'uuid IN (SELECT l2NetworkUuid FROM "L2NetworkClusterRefInventory" '
                                              "WHERE clusterUuid = ?)", [host.get("clusterUuid")])
        with self.store.transaction() as cur:
            for table, rows in host_rows(host, l2s, self.writer.now()).items():
                self.store.insert_many(cur, table, rows)

    def _facts(self, hosts: list[dict], start: int = 0, limit: int | None = None) -> dict:
        for h in hosts:
            self.ensure(h)
        ids = [h["uuid"] for h in hosts]
        if not ids:
            return {"nics": [], "bondings": []}
        marks = ", ".join("?" * len(ids))
        nics = self.store.inventories(NIC, f"hostUuid IN ({marks})", ids, order="rowid", limit=limit, offset=start)
        bonds = self.store.inventories(BOND, f"hostUuid IN ({marks})", ids, order="rowid", limit=limit, offset=start)
        return {"nics": nics, "bondings": bonds}

    def host_facts(self, params: dict) -> dict:
        return self._facts([self.get("HostInventory", params.get("hostUuid"))])

    def cluster_facts(self, params: dict) -> dict:
        cluster = self.get("ClusterInventory", params.get("clusterUuid"))
        hosts = self.rows("HostInventory", "clusterUuid = ?", [cluster["uuid"]])
        return self._facts(hosts, as_int(params.get("start"), 0), as_int(params.get("limit")))

    def candidates(self, params: dict) -> dict:
        hosts = [self.get("HostInventory", u) for u in as_list(self.need(params, "hostUuids"))]
        kind = params.get("interfaceType") or "interface"
        facts = self._facts(hosts)
        by_host: dict[str, dict[str, dict]] = {h["uuid"]: {} for h in hosts}
        slaves = set()
        for nic in facts["nics"]:
            if nic.get("bondingUuid"):
                slaves.add(nic["interfaceName"])
            elif kind in ("interface", "all"):
                by_host[nic["hostUuid"]][nic["interfaceName"]] = nic
        if kind in ("bonding", "all"):
            for bond in facts["bondings"]:
                by_host[bond["hostUuid"]][bond["bondingName"]] = bond
        common = set.intersection(*(set(v) for v in by_host.values())) if by_host else set()
        first = by_host[hosts[0]["uuid"]] if hosts else {}
        found = [first[n] for n in sorted(common)]
        start, limit = as_int(params.get("start"), 0), as_int(params.get("limit"))
        found = found[start:start + limit] if limit is not None else found[start:]
        return {"candidateNics": found, "slaveNames": sorted(slaves)}

    def _interface(self, uuid_: str) -> tuple[str, dict]:
        for table in (NIC, BOND):
            row = self.find(table, uuid_)
            if row:
                return table, row
        raise argerr(f"invalid field[interfaceUuids], resource[uuid:{uuid_}, type:HostNetworkInterfaceVO] is not found")

    def _used_vlans(self, uuid_: str) -> set[int]:
        used = set()
        for table, key in ((REF, "interfaceUuid"), (BOND_REF, "bondingUuid")):
            _, rows = self.store.read(f'SELECT vlanId FROM "{table}" WHERE {key} = ?', [uuid_])
            used |= {int(r[0] or 0) for r in rows}
        return used

    def vlan_ids(self, params: dict) -> dict:
        used = set()
        for u in as_list(self.need(params, "interfaceUuids")):
            self._interface(u)
            used |= self._used_vlans(u)
        free = [v for v in range(1, 4095) if v not in used]
        start, limit = as_int(params.get("start"), 0), as_int(params.get("limit"), 1000)
        return {"vlanIds": free[start:start + limit]}

    def statistic(self, params: dict) -> dict:
        for name, inv in (("hostUuid", "HostInventory"), ("clusterUuid", "ClusterInventory"),
                          ("zoneUuid", "ZoneInventory")):
            if params.get(name):
                self.get(inv, params[name])
        hosts = {h["uuid"]: h for h in self.rows("HostInventory")}
        for h in hosts.values():
            if (not params.get("hostUuid") or h["uuid"] == params["hostUuid"]) and \
                    (not params.get("clusterUuid") or h.get("clusterUuid") == params["clusterUuid"]):
                self.ensure(h)
        clusters = {c["uuid"]: c for c in self.rows("ClusterInventory")}
        kind = (params.get("interfaceType") or "All").lower()
        services = set(as_list(params.get("serviceType")))
        vlan = as_int(params.get("vlanId"))
        out = []
        for table, ref_table, key, name_field, label in ((NIC, REF, "interfaceUuid", "interfaceName", "Interface"),
                                                         (BOND, BOND_REF, "bondingUuid", "bondingName", "Bonding")):
            if kind not in ("all", label.lower()):
                continue
            owners = {r["uuid"]: r for r in self.rows(table)}
            for ref in self.rows(ref_table):
                owner = owners.get(ref.get(key))
                host = hosts.get(owner.get("hostUuid")) if owner else None
                if host is None:
                    continue
                if params.get("interfaceUuid") and owner["uuid"] != params["interfaceUuid"]:
                    continue
                if params.get("hostUuid") and host["uuid"] != params["hostUuid"]:
                    continue
                if params.get("clusterUuid") and host.get("clusterUuid") != params["clusterUuid"]:
                    continue
                if params.get("zoneUuid") and host.get("zoneUuid") != params["zoneUuid"]:
                    continue
                if vlan is not None and ref.get("vlanId") != vlan:
                    continue
                if services and ref["serviceType"] not in services:
                    continue
                cluster = clusters.get(host.get("clusterUuid"), {})
                out.append({"interfaceUuid": owner["uuid"], "interfaceName": owner[name_field], "interfaceType": label,
                            "vlanId": ref.get("vlanId"), "serviceType": ref["serviceType"], "hostUuid": host["uuid"],
                            "hostName": host.get("name"), "hostIp": host.get("managementIp"),
                            "clusterUuid": cluster.get("uuid"), "clusterName": cluster.get("name"),
                            "zoneUuid": host.get("zoneUuid"), "createDate": ref.get("createDate")})
        sort = {"InterfaceName": "interfaceName", "VlanId": "vlanId", "HostIp": "hostIp", "HostName": "hostName",
                "ClusterName": "clusterName", "CreateDate": "createDate"}[params.get("sortBy") or "InterfaceName"]
        out.sort(key=lambda r: (str(r.get(sort) or "") if sort != "vlanId" else f"{r.get(sort) or 0:05d}",
                                r["hostUuid"], r["interfaceName"]), reverse=params.get("sortDirection") == "desc")
        start, limit = as_int(params.get("start"), 0), as_int(params.get("limit"), 1000)
        reply = {"serviceTypeStatistics": out[start:start + limit]}
        if as_bool(params.get("replyWithCount")):
            reply["total"] = len(out)
        return reply

    def vf_available(self, params: dict) -> dict:
        l3 = self.get("L3NetworkInventory", params.get("l3NetworkUuid"))
        host = self.get("HostInventory", params.get("hostUuid"))
        self.ensure(host)
        l2 = self.find("L2NetworkInventory", l3.get("l2NetworkUuid")) or {}
        nic = self.rows(NIC, "hostUuid = ? AND interfaceName = ?", [host["uuid"], l2.get("physicalInterface")])
        attached = self.store.count("L2NetworkClusterRefInventory", "l2NetworkUuid = ? AND clusterUuid = ?",
                                    [l2.get("uuid"), host.get("clusterUuid")])
        return {"vfNicAvailable": bool(nic and attached and nic[0].get("virtStatus") == "SRIOV_VIRTUALIZED")}

    def reachable(self, params: dict) -> dict:
        targets = as_list(self.need(params, "targetHostnames"))
        sources = as_list(params.get("sourceHostnames")) or ["management-node"]
        known = set()
        _, rows = self.store.read("SELECT managementIp, name FROM \"HostInventory\" WHERE status = 'Connected'")
        known |= {v for r in rows for v in r if v}
        if "hostname" in self.store.specs["ImageStoreBackupStorageInventory"].kinds:
            _, rows = self.store.read('SELECT hostname FROM "ImageStoreBackupStorageInventory"')
            known |= {r[0] for r in rows if r[0]}
        marks = ", ".join("?" * len(targets))
        _, rows = self.store.read(f'SELECT ip FROM "UsedIpInventory" WHERE ip IN ({marks})', targets)
        known |= {r[0] for r in rows}
        return {"results": [{"sourceHostname": s, "targetHostname": t, "reachable": t in known}
                            for s in sources for t in targets]}

    # --- bonds ---------------------------------------------------------------------------------
    def create_bonding(self, params: dict) -> dict:
        """A bond of ``bondingName`` on each host; its slaves are the host's NICs named by uuid or name, which
        must be free (not a slave already, carrying no IP address)."""
        name = self.need(params, "bondingName")
        hosts = [self.get("HostInventory", u) for u in as_list(self.need(params, "hostUuids"))]
        by_uuid, by_name = set(as_list(params.get("slaveUuids"))), set(as_list(params.get("slaveNames")))
        plan = []
        for host in hosts:
            self.ensure(host)
            if self.store.count(BOND, "hostUuid = ? AND bondingName = ?", [host["uuid"], name]):
                raise operr(f"the host[uuid:{host['uuid']}] has a bonding[{name}] already")
            slaves = [n for n in self.rows(NIC, "hostUuid = ?", [host["uuid"]])
                      if n["uuid"] in by_uuid or n["interfaceName"] in by_name]
            for nic in slaves:
                if nic.get("bondingUuid") or nic.get("ipAddresses"):
                    raise operr(f"the interface[{nic['interfaceName']}] of host[uuid:{host['uuid']}] is "
                                f"{'a slave of a bonding' if nic.get('bondingUuid') else 'in use (it has an IP)'}")
            plan.append((host, slaves))
        known = {n["uuid"] for _, slaves in plan for n in slaves}
        if by_uuid - known:
            raise argerr(f"the interfaces{sorted(by_uuid - known)} are not NICs of the hosts given")
        made, now = [], self.writer.now()
        for host, slaves in plan:
            bond = {"uuid": uuidlib.uuid4().hex, "hostUuid": host["uuid"], "bondingName": name,
                    "type": params.get("type") or "LinuxBonding", "mode": self.need(params, "mode"),
                    "xmitHashPolicy": params.get("xmitHashPolicy"), "description": params.get("description"),
                    "bondingType": "noBridge", "miiStatus": "up", "miimon": 100, "allSlavesActive": bool(slaves),
                    "speed": sum(int(n.get("speed") or 0) for n in slaves), "ipAddresses": [],
                    "mac": slaves[0].get("mac") if slaves else None, "createDate": now, "lastOpDate": now}
            self.insert(BOND, bond)
            for nic in slaves:
                self.execute(f'UPDATE "{NIC}" SET bondingUuid = ?, interfaceType = \'bondingSlave\', slaveActive = 1 '
                             "WHERE uuid = ?", [bond["uuid"], nic["uuid"]])
            made.append(self.store.inventories(BOND, "uuid = ?", [bond["uuid"]])[0])
        return {"inventory": made}

    def delete_bonding(self, params: dict) -> dict:
        uuid_ = self.need(params, "uuid")
        self.execute(f'UPDATE "{NIC}" SET bondingUuid = NULL, interfaceType = \'nomaster\', slaveActive = 0 '
                     "WHERE bondingUuid = ?", [uuid_])
        self.delete_where(BOND_REF, "bondingUuid = ?", [uuid_])
        self.delete_where(BOND, "uuid = ?", [uuid_])
        return {}

    # --- LLDP (LldpManagerImpl, LldpApiInterceptor) -------------------------------------------
    def lldp_mode(self, params: dict) -> dict:
        uuids = as_list(self.need(params, "interfaceUuids"))
        nics = [self.get(NIC, u) for u in uuids]
        if len({n["hostUuid"] for n in nics}) > 1:
            raise argerr("could not change lldp mode for the interfaces of different hosts")
        mode, now = self.need(params, "mode"), self.writer.now()
        for nic in nics:
            if not self.execute('UPDATE "HostNetworkInterfaceLldpInventory" SET mode = ?, lastOpDate = ? '
                                "WHERE interfaceUuid = ?", [mode, now, nic["uuid"]]):
                self.insert("HostNetworkInterfaceLldpInventory", {"uuid": uuidlib.uuid4().hex, "mode": mode,
                                                                  "interfaceUuid": nic["uuid"], "createDate": now,
                                                                  "lastOpDate": now})
        return {"inventories": self.rows("HostNetworkInterfaceLldpInventory",
                                         f"interfaceUuid IN ({', '.join('?' * len(uuids))})", uuids)}

    def lldp(self, params: dict) -> dict:
        nic = self.get(NIC, params.get("interfaceUuid"))
        kept = self.rows("HostNetworkInterfaceLldpInventory", "interfaceUuid = ?", [nic["uuid"]])
        if kept and "rx" not in str(kept[0].get("mode")):
            raise argerr("could not get interface lldp info which is not in receive mode")
        host = self.get("HostInventory", nic["hostUuid"])
        rack = ".".join((host.get("managementIp") or "0.0.0.0").split(".")[:3])
        port = int(nic["interfaceName"].removeprefix("eth") or 0) if nic["interfaceName"][3:].isdigit() else 0
        return {"lldp": {"lldpUuid": kept[0]["uuid"] if kept else None, "chassisId": f"mac {_switch_mac(rack)}",
                         "timeToLive": 120, "managementAddress": f"{rack}.254", "systemName": f"tor-{rack}",
                         "systemDescription": "top-of-rack switch", "systemCapabilities": "Bridge, Router",
                         "portId": f"Ethernet1/{int(host.get('managementIp', '0').split('.')[-1]) % 48 + 1}"
                                   f".{port}", "portDescription": nic["interfaceName"], "vlanId": 1,
                         "aggregationPortId": 0, "mtu": 9216}}


def _switch_mac(rack: str) -> str:
    n = zlib.crc32(rack.encode())
    return "00:1c:73:" + ":".join(f"{(n >> s) & 255:02x}" for s in (16, 8, 0))
