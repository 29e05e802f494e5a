"""Links whose members are given as maps: network services on an L3 network (provider → service types) and
a load balancer server group's back ends (``vmNics``: uuid and weight; ``servers``: ipAddress and weight).

Network services (L3BasicNetwork, NetworkServiceApiInterceptor): a provider may be named by uuid or by type
(``{"Flat": ["DHCP"]}``); each provider must exist and give the services asked; a service already on the L3
is refused; the link is a NetworkServiceL3NetworkRef row, shown in the L3's ``networkServices``. A detach
removes the rows it names and succeeds when there are none, as L3BasicNetwork answers.

Back ends (LoadBalancerApiInterceptor, LoadBalancerBase): each NIC exists, its L3 has the LoadBalancer service,
is not already in the group, weights are in 0..100 (100 when left out); server IPs are valid addresses not in
the group yet; a shared load balancer takes no server IPs. The rows (LoadBalancerServerGroupVmNicRef, Active;
LoadBalancerServerGroupServerIp) are what RemoveBackendServerFromServerGroup removes.
"""

from __future__ import annotations

import ipaddress
import json

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr, operr
from zcli.sim.tables import q

_REF = "NetworkServiceL3NetworkRefInventory"
_WEIGHT = (0, 100, 100)  # LoadBalancerConstants: min, max, default


def _service_map(params: dict) -> dict[str, list[str]]:
    """``networkServices`` as a map, from a JSON body or ``networkServices.<provider>`` query pairs."""
    value = params.get("networkServices")
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            raise argerr(f"invalid networkServices[{value}]") from None
    out: dict[str, list[str]] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out[str(k)] = [str(x) for x in (v if isinstance(v, list) else [v])]
    for k, v in params.items():
        if k.startswith("networkServices."):
            out.setdefault(k.split(".", 1)[1], []).extend(v if isinstance(v, list) else str(v).split(","))
    return out


class NetServices(ByName):
    kind = "netservice"

    def operations(self) -> dict:
        return {
            "AttachNetworkServiceToL3Network": ("NetworkServiceL3NetworkRef rows of the providers' services",
                                                lambda p: self.services(p, True)),
            "DetachNetworkServiceFromL3Network": ("removes the NetworkServiceL3NetworkRef rows named",
                                                  lambda p: self.services(p, False)),
            "AddBackendServerToServerGroup": ("LoadBalancerServerGroupVmNicRef and ServerIp rows of the group",
                                              self.backends),
            "RemoveBackendServerFromServerGroup": ("removes the group's back-end rows named", self.remove_backends),
        }

    # --- network services on an L3 -----------------------------------------------------------
    def _providers(self, asked: dict[str, list[str]]) -> dict[str, list[str]]:
        """Provider types replaced by their uuids (convertNetworkProviderTypeToUuid)."""
        _, rows = self.store.read('SELECT uuid, type FROM "NetworkServiceProviderInventory"')
        by_type = {t: u for u, t in rows}
        return {by_type.get(k, k): v for k, v in asked.items()}

    def services(self, params: dict, attach: bool):
        l3 = params.get("l3NetworkUuid")
        self.writer._get("L3NetworkInventory", l3)
        asked = self._providers(_service_map(params))
        if attach and not asked:
            raise argerr("networkServices cannot be empty")
        if attach:
            self._check_attach(l3, asked)
        now = self.writer.now()
        with self.store.transaction() as cur:
            for provider, types in asked.items():
                for t in dict.fromkeys(types):
                    if attach:
                        self.store.insert_many(cur, _REF, [{"l3NetworkUuid": l3, "networkServiceProviderUuid": provider,
                                                            "networkServiceType": t}])
                    else:
                        cur.execute(f"DELETE FROM {q(_REF)} WHERE l3NetworkUuid = ? AND networkServiceProviderUuid = ? "
                                    "AND networkServiceType = ?", [l3, provider, t])
            cur.execute('UPDATE "L3NetworkInventory" SET lastOpDate = ? WHERE uuid = ?', [now, l3])
        return {"inventory": self.writer._get("L3NetworkInventory", l3)}

    def _check_attach(self, l3: str, asked: dict[str, list[str]]) -> None:
        marks = ", ".join("?" * len(asked))
        _, rows = self.store.read(f'SELECT networkServiceProviderUuid, type FROM "NetworkServiceTypeInventory" '
                                  f"WHERE networkServiceProviderUuid IN ({marks})", list(asked))
        actual: dict[str, set[str]] = {}
        for p, t in rows:
            actual.setdefault(p, set()).add(t)
        for provider, types in asked.items():
            if not types:
                raise argerr(f"network service for provider[uuid:{provider}] must be specified")
            if provider not in actual:
                raise argerr(f"cannot find network service provider[uuid:{provider}] or it provides no services")
            missing = [t for t in types if t not in actual[provider]]
            if missing:
                raise argerr(f"network service provider[uuid:{provider}] doesn't provide services{missing}")
        _, rows = self.store.read(f"SELECT networkServiceType FROM {q(_REF)} WHERE l3NetworkUuid = ?", [l3])
        existing = {r[0] for r in rows}
        for types in asked.values():
            for t in types:
                if t in existing:
                    raise operr(f"there has been a network service[{t}] attached to L3 network[uuid:{l3}]")

    # --- load balancer back ends -------------------------------------------------------------
    @staticmethod
    def _entries(value) -> list[dict]:
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip()[:1] in "[{" else [{"uuid": v} for v in value.split(",")]
            except ValueError:
                raise argerr(f"invalid value[{value}]") from None
        if isinstance(value, dict):
            value = [value]
        return [v if isinstance(v, dict) else {"uuid": str(v)} for v in (value or [])]

    @staticmethod
    def _weight(entry: dict, what: str) -> int:
        raw = entry.get("weight")
        if raw in (None, ""):
            return _WEIGHT[2]
        try:
            weight = int(raw)
        except (TypeError, ValueError):
            raise argerr(f"could not add backend server {what}, because weight[{raw}] not a correct number") from None
        if not _WEIGHT[0] <= weight <= _WEIGHT[1]:
            raise argerr(f"invalid balancer weight[{what},weight:{weight}], weight is not in the range "
                         f"[{_WEIGHT[0]}, {_WEIGHT[1]}]")
        return weight

    def backends(self, params: dict):
        group_uuid = params.get("serverGroupUuid")
        group = self.writer._get("LoadBalancerServerGroupInventory", group_uuid)
        nics, servers = self._entries(params.get("vmNics")), self._entries(params.get("servers"))
        if not nics and not servers:
            raise argerr("vmnic or ip is null")
        nic_rows = []
        for n in nics:
            if not n.get("uuid"):
                raise argerr(f"could not add backend server vmnic to serverGroup[uuid:{group_uuid}],because vmnic "
                             "uuid is null")
            found = self.store.inventories("VmNicInventory", "uuid = ?", [n["uuid"]], depth=0)
            if not found:
                raise argerr(f"could not add backend server vmnic[uuid:{n['uuid']}] to serverGroup[uuid:{group_uuid}],"
                             "because vmnic uuid is not exist")
            nic_rows.append((found[0], self._weight(n, f"vmNic:{n['uuid']}")))
        l3s = {nic.get("l3NetworkUuid") for nic, _ in nic_rows}
        lacking = sorted(u for u in l3s if not self.store.count(_REF, "l3NetworkUuid = ? AND networkServiceType = "
                                                                      "'LoadBalancer'", [u]))
        if lacking:
            raise operr(f"L3 networks[uuids:{lacking}] of the vm nics has no network service[LoadBalancer] enabled")
        existing = [nic["uuid"] for nic, _ in nic_rows if self.store.count(
            "LoadBalancerServerGroupVmNicRefInventory", "serverGroupUuid = ? AND vmNicUuid = ?",
            [group_uuid, nic["uuid"]])]
        if existing:
            raise operr(f"the vm nics[uuid:{existing}] are already on the load balancer servegroup [uuid:{group_uuid}]")
        ip_rows = []
        for s in servers:
            ip = s.get("ipAddress")
            try:
                ipaddress.ip_address(ip or "")
            except ValueError:
                raise operr(f"could not add backend server ip to serverGroup [uuid:{group_uuid}], because ip "
                            f"[ipAddress:{ip}] is invalid") from None
            if ip in [r[0] for r in ip_rows] or self.store.count(
                    "LoadBalancerServerGroupServerIpInventory", "serverGroupUuid = ? AND ipAddress = ?",
                    [group_uuid, ip]):
                raise operr(f"the server ips [uuid:{[ip]}] are already on the load balancer servegroup "
                            f"[uuid:{group_uuid}]")
            ip_rows.append((ip, self._weight(s, f"serverIp:{ip}")))
        if ip_rows and group.get("loadBalancerUuid"):
            lb = self.store.inventories("LoadBalancerInventory", "uuid = ?", [group["loadBalancerUuid"]], depth=0)
            if lb and lb[0].get("type") == "Shared":
                raise argerr("could not add server ip to share load balancer server group")
        self._write(group_uuid, group.get("ipVersion") or 4, nic_rows, ip_rows)
        return {"inventory": self.writer._get("LoadBalancerServerGroupInventory", group_uuid)}

    def remove_backends(self, params: dict):
        group_uuid = params.get("serverGroupUuid")
        self.writer._get("LoadBalancerServerGroupInventory", group_uuid)
        nics = [e["uuid"] for e in self._entries(params.get("vmNicUuids")) if e.get("uuid")]
        ips = [e.get("ipAddress") or e.get("uuid") for e in self._entries(params.get("serverIps"))]
        if not nics and not ips:
            raise argerr("vmnic or ip is null")
        gone = 0
        with self.store.transaction() as cur:
            for table, field, values in (("LoadBalancerServerGroupVmNicRefInventory", "vmNicUuid", nics),
                                         ("LoadBalancerServerGroupServerIpInventory", "ipAddress", ips)):
                for v in values:
                    gone += cur.execute(f"DELETE FROM {q(table)} WHERE serverGroupUuid = ? AND {q(field)} = ?",
                                        [group_uuid, v]).rowcount
        if not gone:
            raise operr(f"vmnics are all not in servergroup [{group_uuid}]")
        self._show(group_uuid)
        return {"inventory": self.writer._get("LoadBalancerServerGroupInventory", group_uuid)}

    def _show(self, group_uuid: str) -> None:
        """The group's ``vmNicRefs`` and ``serverIps`` (list fields no catalogue link fills) kept equal to its rows."""
        shown = {f: self.store.inventories(t, "serverGroupUuid = ?", [group_uuid], order="id", depth=0)
                 for f, t in (("vmNicRefs", "LoadBalancerServerGroupVmNicRefInventory"),
                              ("serverIps", "LoadBalancerServerGroupServerIpInventory"))}
        self.writer.update("LoadBalancerServerGroupInventory", group_uuid, shown)

    def _write(self, group_uuid: str, ip_version: int, nic_rows, ip_rows) -> None:
        now = self.writer.now()
        with self.store.transaction() as cur:
            for table, rows in (("LoadBalancerServerGroupVmNicRefInventory", [
                    {"serverGroupUuid": group_uuid, "vmNicUuid": nic["uuid"], "weight": w, "status": "Active",
                     "ipVersion": nic.get("ipVersion") or ip_version} for nic, w in nic_rows]),
                    ("LoadBalancerServerGroupServerIpInventory", [
                        {"serverGroupUuid": group_uuid, "ipAddress": ip, "weight": w, "status": "Active"}
                        for ip, w in ip_rows])):
                start = cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {q(table)}").fetchone()[0]
                self.store.insert_many(cur, table, [{**r, "id": start + i + 1, "createDate": now, "lastOpDate": now}
                                                    for i, r in enumerate(rows)])
        self._show(group_uuid)
