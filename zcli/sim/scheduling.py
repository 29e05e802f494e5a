"""Placement checks over the world: a VM scheduling rule against where the VMs run, and the private networks an
IPsec connection can reach.

* ValidateVmSchedulingRule (closed source; what the simulator chose): the VM group and the host group exist, in the
  zone asked; their members are the links the relation table keeps (AddVmToVmSchedulingRuleGroup,
  AddHostToHostSchedulingRuleGroup: :mod:`zcli.sim.relations`). The rule holds when, for AFFINITY, every running VM
  of the group is on a host of the host group (without one: all on one host), and for ANTIAFFINITY none is (without
  one: no two on the same host). A HARD rule the placement breaks is refused, naming the VMs; a SOFT one succeeds.
* GetCandidateL3NetworksForIpSecConnection: the private L3 networks of the virtual router that holds the VIP (the
  connection's, or the one named), that the connection does not reach yet (IPsecL3NetworkRef).
"""

from __future__ import annotations

from typing import ClassVar

from zcli.sim.computed import Computed, as_int
from zcli.sim.failures import argerr, operr

_RELATIONS = "_sim_relations"


class Scheduling(Computed):
    kind = "placement-check"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "ValidateVmSchedulingRule": ("validate_rule", "checks the rule against where the group's VMs run"),
        "GetCandidateL3NetworksForIpSecConnection": ("ipsec_l3s", "candidates: the VIP's router's private L3s not "
                                                                  "yet reached"),
    }

    def _members(self, group: str, member_inventory: str) -> list[str]:
        if not self.store.read("SELECT name FROM sqlite_master WHERE name = ?", [_RELATIONS])[1]:
            return []
        _, rows = self.store.read(f"SELECT owner, member, relation FROM {_RELATIONS} WHERE (owner = ? OR member = ?) "
                                  "AND relation LIKE ? ORDER BY rowid", [group, group, f"%{member_inventory}%"])
        return [m if o == group else o for o, m, _ in rows]

    def validate_rule(self, params: dict) -> dict:
        vm_group = self.get("VmSchedulingRuleGroupInventory", params.get("vmGroupUuid"))
        host_group = self.get("HostSchedulingRuleGroupInventory", params["hostGroupUuid"]) \
            if params.get("hostGroupUuid") else None
        zone = params.get("zoneUuid")
        if zone:
            self.get("ZoneInventory", zone)
        for g in filter(None, (vm_group, host_group)):
            if zone and g.get("zoneUuid") and g["zoneUuid"] != zone:
                raise argerr(f"the group[uuid:{g['uuid']}] is not in the zone[uuid:{zone}]")
        rule, mode = self.need(params, "rule"), self.need(params, "mode")
        vms = [v for v in (self.find("VmInstanceInventory", u) for u in self._members(vm_group["uuid"],
                                                                                       "VmInstanceInventory"))
               if v and v.get("state") == "Running" and v.get("hostUuid")]
        broken: list[str] = []
        if host_group is not None:
            hosts = set(self._members(host_group["uuid"], "HostInventory"))
            inside = [v["uuid"] for v in vms if v["hostUuid"] in hosts]
            broken = [v["uuid"] for v in vms if v["uuid"] not in inside] if rule == "AFFINITY" else inside
        elif rule == "AFFINITY":
            if len({v["hostUuid"] for v in vms}) > 1:
                broken = [v["uuid"] for v in vms]
        else:
            seen: dict[str, str] = {}
            for v in vms:
                if v["hostUuid"] in seen:
                    broken += [seen[v["hostUuid"]], v["uuid"]]
                seen[v["hostUuid"]] = v["uuid"]
        if broken and mode == "HARD":
            raise operr(f"the {rule} rule of the VM group[uuid:{vm_group['uuid']}] is broken by the VMs"
                        f"{sorted(set(broken))} where they run")
        return {}

    def ipsec_l3s(self, params: dict) -> dict:
        vip_uuid = params.get("vipUuid")
        connection = self.get("IPsecConnectionInventory", params["uuid"]) if params.get("uuid") else None
        if connection and not vip_uuid:
            vip_uuid = connection.get("vipUuid")
        if not vip_uuid:
            raise argerr("one of uuid and vipUuid is needed")
        vip = self.get("VipInventory", vip_uuid)
        public = params.get("publicL3Uuid") or vip.get("l3NetworkUuid")
        routers = self.rows("VirtualRouterVmInventory", "publicNetworkUuid = ? OR uuid IN (SELECT vmInstanceUuid FROM "
                                                        '"VmNicInventory" WHERE ip = ?)', [public, vip.get("ip")])
        if not routers:
            raise operr(f"the VIP[uuid:{vip['uuid']}] is on no virtual router")
        reached = set()
        if connection:
            reached = {r["l3NetworkUuid"] for r in self.rows("IPsecL3NetworkRefInventory", "connectionUuid = ?",
                                                              [connection["uuid"]])}
        where = ("category = 'Private' AND uuid != ? AND uuid IN (SELECT l3NetworkUuid FROM \"VmNicInventory\" "
                 "WHERE vmInstanceUuid = ?)")
        found = [n for n in self.rows("L3NetworkInventory", where, [public, routers[0]["uuid"]], depth=1)
                 if n["uuid"] not in reached]
        start, limit = as_int(params.get("start"), 0), as_int(params.get("limit"), len(found))
        return {"inventories": found[start:start + limit]}
