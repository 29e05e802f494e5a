"""Checks and catalogue-like reads the world answers: snapshot chains, offering user configs, network service
types, load balancer ACL entries, the resource types a stack template may create.

* ValidateVolumeSnapshotChain: each snapshot of the volume has its parent in the same tree of the same volume,
  one distance further, and each tree has one latest snapshot at most; the first break is refused.
* ValidateDiskOfferingUserConfig / ValidateInstanceOfferingUserConfig (the validators are closed source; the fields
  of ``DiskOfferingUserConfig``/``InstanceOfferingUserConfig`` are the facts): a JSON object of ``allocate``
  (``primaryStorage``/``primaryStorages``: ``{"type", "uuid"}``, ``clusterUuid``) and ``displayAttribute``;
  a storage or cluster it names must exist, and be of the type it says.
* GetNetworkServiceTypes (NetworkServiceManagerImpl): each service type → the providers that give it (the
  ``NetworkServiceType`` rows, as the server's NetworkServiceTypeVO).
* GetLoadBalancerListenerACLEntries: each listener's ACL entries of the type asked, through its ACL refs.
* GetSupportedCloudFormationResources: ``ZStack::Resource::<Kind>`` for every kind a Create API of the catalogue
  makes and the simulator keeps.
"""

from __future__ import annotations

import json
from typing import ClassVar

from zcli.sim.computed import Computed
from zcli.sim.failures import argerr, operr
from zcli.sim.naming import Names, as_list

_SNAP = "VolumeSnapshotInventory"


class Checks(Computed):
    kind = "check"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "ValidateVolumeSnapshotChain": ("snapshot_chain", "checks the volume's snapshot trees link up"),
        "ValidateDiskOfferingUserConfig": ("disk_config", "checks the config's JSON and the storage it names"),
        "ValidateInstanceOfferingUserConfig": ("instance_config", "checks the config's JSON and what it names"),
        "GetNetworkServiceTypes": ("service_types", "computed: each service type's providers"),
        "GetLoadBalancerListenerACLEntries": ("acl_entries", "the listeners' ACL entries through their ACL refs"),
        "GetSupportedCloudFormationResources": ("stack_resources", "computed: the kinds the catalogue's Create "
                                                                   "APIs make"),
    }

    def snapshot_chain(self, params: dict) -> dict:
        volume = self.get("VolumeInventory", params.get("uuid"))
        snaps = {s["uuid"]: s for s in self.rows(_SNAP, "volumeUuid = ?", [volume["uuid"]])}
        latest: dict[str, str] = {}
        for s in snaps.values():
            parent = s.get("parentUuid")
            if parent:
                p = snaps.get(parent)
                if p is None:
                    raise operr(f"the snapshot[uuid:{s['uuid']}] of volume[uuid:{volume['uuid']}] has a parent"
                                f"[uuid:{parent}] that is not a snapshot of the volume")
                if p.get("treeUuid") != s.get("treeUuid"):
                    raise operr(f"the snapshot[uuid:{s['uuid']}] and its parent[uuid:{parent}] are in different trees")
                if s.get("distance") is not None and p.get("distance") is not None \
                        and int(s["distance"]) != int(p["distance"]) + 1:
                    raise operr(f"the snapshot[uuid:{s['uuid']}] is at distance {s['distance']}, its parent at "
                                f"{p['distance']}")
            if s.get("latest"):
                tree = str(s.get("treeUuid"))
                if tree in latest:
                    raise operr(f"the snapshot tree[uuid:{tree}] has two latest snapshots[{latest[tree]}, {s['uuid']}]")
                latest[tree] = s["uuid"]
        return {}

    # --- offering configs --------------------------------------------------------------------
    def _config(self, params: dict, allowed: set[str]) -> dict:
        text = self.need(params, "config")
        try:
            config = json.loads(text) if isinstance(text, str) else text
        except ValueError:
            raise argerr(f"the config[{str(text)[:80]}] is not JSON") from None
        if not isinstance(config, dict):
            raise argerr("the config must be a JSON object")
        unknown = sorted(set(config) - allowed)
        if unknown:
            raise argerr(f"the config has unknown fields{unknown}, it may have {sorted(allowed)}")
        allocate = config.get("allocate") or {}
        if not isinstance(allocate, dict):
            raise argerr("the config's allocate must be an object")
        for ps in [allocate.get("primaryStorage"), *(allocate.get("primaryStorages") or [])]:
            if not ps:
                continue
            if not isinstance(ps, dict):
                raise argerr(f"invalid primaryStorage[{ps}], it must be an object of type and uuid")
            if ps.get("uuid"):
                row = self.get("PrimaryStorageInventory", ps["uuid"])
                if ps.get("type") and ps["type"] != row.get("type"):
                    raise argerr(f"the primary storage[uuid:{row['uuid']}] is of type {row.get('type')}, "
                                 f"not {ps['type']}")
        if allocate.get("clusterUuid"):
            self.get("ClusterInventory", allocate["clusterUuid"])
        display = config.get("displayAttribute")
        if display is not None and not isinstance(display, dict):
            raise argerr("the config's displayAttribute must be an object")
        return config

    def disk_config(self, params: dict) -> dict:
        self._config(params, {"allocate", "displayAttribute"})
        return {}

    def instance_config(self, params: dict) -> dict:
        self._config(params, {"allocate", "displayAttribute"})
        return {}

    # --- network services --------------------------------------------------------------------
    def service_types(self, params: dict) -> dict:
        out: dict[str, list[str]] = {}
        for row in self.rows("NetworkServiceTypeInventory"):
            out.setdefault(row["type"], []).append(row["networkServiceProviderUuid"])
        return {"serviceAndProviderTypes": out}

    def acl_entries(self, params: dict) -> dict:
        uuids = as_list(params.get("listenerUuids"))
        listeners = [self.get("LoadBalancerListenerInventory", u) for u in uuids] if uuids else \
            self.rows("LoadBalancerListenerInventory")
        wanted = params.get("type")
        out = {}
        for listener in listeners:
            entries = []
            for ref in self.rows("LoadBalancerListenerACLRefInventory", "listenerUuid = ?", [listener["uuid"]]):
                for entry in self.rows("AccessControlListEntryInventory", "aclUuid = ?", [ref["aclUuid"]]):
                    if wanted and entry.get("type") != wanted:
                        continue
                    entries.append({**entry, "aclType": ref.get("type"), "serverGroupUuid": ref.get("serverGroupUuid")})
            out[listener["uuid"]] = entries
        return {"inventories": out}

    def stack_resources(self, params: dict) -> dict:
        names = Names(self.catalog, self.store.specs)
        kinds = set()
        for name in self.catalog.api_names:
            if name.startswith("Create"):
                inv, many = names.reply_inventory(self.catalog.api(name))
                if inv and not many and "uuid" in self.store.specs[inv].kinds:
                    kinds.add(inv.removesuffix("Inventory"))
        return {"resources": [f"ZStack::Resource::{k}" for k in sorted(kinds)]}
