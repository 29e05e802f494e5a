"""What a virtual router's agent reports: its OSPF neighbours and its flow meters' counters (closed source;
the reference's fields are the facts, and this is what the simulator chose).

* GetVRouterOspfNeighbor: the other routers with a network in the same OSPF area on the same L3 network
  (``NetworkRouterAreaRef``), each with its address on that network; ``Full`` when both run, ``Down`` otherwise.
* GetVRouterFlowCounter: for each flow meter on the router (``NetworkRouterFlowMeterRef``), the packets and bytes
  seen since the meter was put on it while the router ran: a steady rate of the ref (deterministic from its uuid)
  times the seconds on the simulator's clock.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import ClassVar

from zcli.sim.computed import Computed

_ROUTER = "VirtualRouterVmInventory"


def _epoch(shown: str | None) -> int:
    for fmt in ("%b %d, %Y %I:%M:%S %p", "%Y-%m-%d %H:%M:%S"):
        try:
            return int(datetime.strptime(str(shown), fmt).timestamp())
        except ValueError:
            continue
    return 0


class VRouterReads(Computed):
    kind = "vrouter-read"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetVRouterOspfNeighbor": ("ospf", "the routers sharing an OSPF area and an L3 network with it"),
        "GetVRouterFlowCounter": ("flows", "computed: each flow meter's packets and bytes while the router ran"),
    }

    def _address(self, router_uuid: str, l3_uuid: str) -> str | None:
        nics = self.rows("VmNicInventory", "vmInstanceUuid = ? AND l3NetworkUuid = ?", [router_uuid, l3_uuid])
        return nics[0].get("ip") if nics else None

    def ospf(self, params: dict) -> dict:
        router = self.get(_ROUTER, params.get("vRouterUuid"))
        out = []
        for ref in self.rows("NetworkRouterAreaRefInventory", "vRouterUuid = ?", [router["uuid"]]):
            area = self.find("RouterAreaInventory", ref.get("routerAreaUuid")) or {}
            peers = self.rows("NetworkRouterAreaRefInventory", "routerAreaUuid = ? AND l3NetworkUuid = ? AND "
                                                               "vRouterUuid != ?",
                              [ref.get("routerAreaUuid"), ref.get("l3NetworkUuid"), router["uuid"]])
            for peer in peers:
                other = self.find(_ROUTER, peer["vRouterUuid"]) or {}
                address = self._address(peer["vRouterUuid"], ref["l3NetworkUuid"])
                up = router.get("state") == "Running" and other.get("state") == "Running"
                out.append({"neighborId": address or peer["vRouterUuid"], "vRouterUuid": peer["vRouterUuid"],
                            "areaId": area.get("areaId"), "l3NetworkUuid": ref["l3NetworkUuid"], "address": address,
                            "priority": 1, "state": "Full" if up else "Down", "deadTime": "00:00:40",
                            "interface": self._address(router["uuid"], ref["l3NetworkUuid"])})
        return {"neighbors": out}

    def flows(self, params: dict) -> dict:
        router = self.get(_ROUTER, params.get("vRouterUuid"))
        now = int(self.now())
        out = []
        for ref in self.rows("NetworkRouterFlowMeterRefInventory", "vRouterUuid = ?", [router["uuid"]]):
            seconds = max(0, now - _epoch(ref.get("createDate"))) if router.get("state") == "Running" else 0
            rate = 1 + zlib.crc32(ref["uuid"].encode()) % 10  # MB/s
            octets = seconds * rate * (1 << 20)
            out.append({"flowMeterUuid": ref.get("flowMeterUuid"), "l3NetworkUuid": ref.get("l3NetworkUuid"),
                        "bytes": octets, "packets": octets // 1000, "seconds": seconds})
        return {"counters": out}
