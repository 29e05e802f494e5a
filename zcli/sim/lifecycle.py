"""State machines: hosts, storage, the AI family, and the generic start/stop/reconnect/sync of any resource.

* **Hosts.** ChangeHostState ``maintain`` puts a host in Maintenance and moves its running VMs to another
  Enabled, Connected host of its cluster (stopping those that have nowhere to go), as the server's
  maintenance flow does; ``enable``/``disable`` set the state. ReconnectHost and PowerOnHost make it
  Connected, PowerOffHost Disconnected with its VMs Stopped. A host in Maintenance takes no new VM.
* **Storage.** ChangePrimaryStorageState ``maintain`` stops the VMs whose volumes are on it; Reconnect*
  makes primary or backup storage Connected; sync-capacity calls recompute capacity from the volumes.
* **AI.** DeployModelService creates a model service instance group (its service's type and yaml, the
  model asked for), a VM for its instance (the service's template image, requested CPU and memory, an L3
  network of the zone), and the group's dataset references; DeployModelEvalService does the same for an
  evaluation group and starts a ModelEvaluationTask.
* **Generic.** Start*/Stop*/Reboot*/Pause*/Resume*/PowerOn*/PowerOff* set a resource's ``state`` (or
  ``status``) to Running, Stopped... Reconnect* makes a ``status`` Connected; Sync*/Refresh*/Reload*
  bring a Disconnected status back and stamp ``lastOpDate``. Calls on a remote cloud (paths under ``/hybrid``
  and ``/nas``) are :mod:`zcli.sim.hybrid`'s, which moves the remote object and its local inventory together.
"""

from __future__ import annotations

from zcli.sim.naming import Names, as_list, verb_of
from zcli.sim.refs import LinkFailure, _now

_POWER = {"Start": "Running", "Stop": "Stopped", "Reboot": "Running", "Pause": "Paused", "Resume": "Running",
          "Shutdown": "Stopped"}
_POWER_STATUS = {"PowerOn": "Running", "PowerOff": "Stopped", "PowerReset": "Running"}
_TRANSITIONS = ("Reconnect", "Sync", "Refresh", "Reload")


class Lifecycle:
    def __init__(self, catalog, store, writer, setters):
        self.catalog = catalog
        self.store = store
        self.writer = writer
        self.setters = setters
        self.names = Names(catalog, store.specs)

    # --- planning ----------------------------------------------------------------------------
    def plan(self, api) -> str | None:
        name = api.name
        if name in ("DeployModelService", "DeployModelEvalService"):
            return "deploys a model service instance group with a VM per instance"
        if name == "ChangeHostState":
            return "host state machine (maintenance moves its VMs)"
        if name in ("ChangePrimaryStorageState",):
            return "storage state machine (maintenance stops its VMs)"
        verb = verb_of(name)
        if api.path.startswith(("/hybrid", "/nas")):
            return None  # the remote cloud's objects move with it: zcli.sim.hybrid
        target = self.setters.target(api)
        if target is None:
            return None
        kinds = self.store.specs[target[1]].kinds
        if name.startswith(tuple(_POWER_STATUS)) and ("status" in kinds or "state" in kinds):
            return "power state transition"
        if verb in _POWER and ("state" in kinds or "status" in kinds):
            return f"{verb.lower()}: state transition"
        if verb in _TRANSITIONS and ("status" in kinds or "lastOpDate" in kinds):
            return f"{verb.lower()}: status transition"
        return None

    def run(self, api, params: dict):
        name = api.name
        if name == "DeployModelService":
            return self._reply(api, self.deploy(params, evaluation=False))
        if name == "DeployModelEvalService":
            return self._reply(api, self.deploy(params, evaluation=True))
        if name == "ChangeHostState":
            return self._reply(api, self.host_state(params["uuid"], params.get("stateEvent")))
        if name == "ChangePrimaryStorageState":
            return self._reply(api, self.storage_state(params["uuid"], params.get("stateEvent")))
        param, inv = self.setters.target(api)
        key = params.get(param)
        if key in (None, ""):
            raise LinkFailure(f"missing mandatory field[{param}]")
        row = self.writer._get(inv, key)
        kinds = self.store.specs[inv].kinds
        verb = verb_of(name)
        power = next((v for p, v in _POWER_STATUS.items() if name.startswith(p)), None)
        if inv == "HostInventory" and power:
            return self._reply(api, self.host_power(key, power))
        if power or verb in _POWER:
            state = power or _POWER[verb]
            field = "state" if "state" in kinds and row.get("state") not in ("Enabled", "Disabled") else "status"
            if field not in kinds:
                field = "state"
            if row.get(field) in ("Destroyed", "Deleted", "Expunging"):
                raise LinkFailure(f"{inv.removesuffix('Inventory')}[uuid:{key}] is {row.get(field)}", "SYS.1000",
                                  "Operation not allowed in the resource's current state")
            return self._reply(api, self.writer.update(inv, key, {field: state}))
        changes = {"lastOpDate": _now()}
        if "status" in kinds and (verb == "Reconnect" or row.get("status") in ("Disconnected", "Connecting")):
            changes["status"] = "Connected"
        if inv == "PrimaryStorageInventory" and verb == "Sync":
            changes.update(self.storage_capacity(key, row))
        row = self.writer.update(inv, key, changes)
        return self._reply(api, row)

    def _reply(self, api, row: dict):
        key = self.names.reply_key(api)
        if not key:
            return None
        reply, many = self.names.reply_inventory(api)
        if reply is None:
            return {key: [row] if many else row}
        found = self.writer._get(reply, row["uuid"]) if self._has(reply, row["uuid"]) else row
        return {key: [found] if many else found}

    def _has(self, inv: str, key: str) -> bool:
        return bool(self.store.count(inv, "uuid = ?", [key]))

    # --- hosts -------------------------------------------------------------------------------
    def host_state(self, host_uuid: str, event: str | None) -> dict:
        host = self.writer._get("HostInventory", host_uuid)
        if event == "maintain":
            self._evacuate(host)
            return self.writer.update("HostInventory", host_uuid, {"state": "Maintenance"})
        if event in ("enable", "disable"):
            return self.writer.update("HostInventory", host_uuid, {"state": event.capitalize() + "d"})
        raise LinkFailure(f"valid values of field[stateEvent] are [enable, disable, maintain], but got {event}")

    def _evacuate(self, host: dict) -> None:
        """Move the host's running VMs to the least loaded other host of its cluster; stop the rest."""
        vms = self.store.inventories("VmInstanceInventory", "hostUuid = ?", [host["uuid"]], depth=0)
        for vm in vms:
            others = self.store.inventories(
                "HostInventory", "clusterUuid = ? AND uuid != ? AND state = 'Enabled' AND status = 'Connected'",
                [host.get("clusterUuid"), host["uuid"]], depth=0,
                order='(SELECT COUNT(*) FROM "VmInstanceInventory" v WHERE v.hostUuid = "HostInventory".uuid), uuid',
                limit=1)
            if others and vm.get("state") == "Running":
                self.writer.update("VmInstanceInventory", vm["uuid"], {"hostUuid": others[0]["uuid"],
                                                                       "lastHostUuid": others[0]["uuid"]})
            else:
                self.writer.update("VmInstanceInventory", vm["uuid"], {"state": "Stopped", "hostUuid": None,
                                                                       "lastHostUuid": host["uuid"]})

    def host_power(self, host_uuid: str, power: str) -> dict:
        if power == "Stopped":
            for vm in self.store.inventories("VmInstanceInventory", "hostUuid = ?", [host_uuid], depth=0):
                self.writer.update("VmInstanceInventory", vm["uuid"], {"state": "Stopped", "hostUuid": None})
            return self.writer.update("HostInventory", host_uuid, {"status": "Disconnected",
                                                                   "ipmiPowerStatus": "Power Off"})
        return self.writer.update("HostInventory", host_uuid, {"status": "Connected", "ipmiPowerStatus": "Power On"})

    # --- storage -----------------------------------------------------------------------------
    def storage_state(self, ps_uuid: str, event: str | None) -> dict:
        self.writer._get("PrimaryStorageInventory", ps_uuid)
        if event == "maintain":
            _, rows = self.store.read('SELECT DISTINCT vmInstanceUuid FROM "VolumeInventory" WHERE '
                                      "primaryStorageUuid = ? AND vmInstanceUuid IS NOT NULL", [ps_uuid])
            for (vm,) in rows:
                self.writer.update("VmInstanceInventory", vm, {"state": "Stopped", "hostUuid": None})
            return self.writer.update("PrimaryStorageInventory", ps_uuid, {"state": "Maintenance"})
        if event in ("enable", "disable"):
            return self.writer.update("PrimaryStorageInventory", ps_uuid, {"state": event.capitalize() + "d"})
        raise LinkFailure(f"valid values of field[stateEvent] are [enable, disable, maintain], but got {event}")

    def storage_capacity(self, ps_uuid: str, row: dict) -> dict:
        """Available capacity = total less the sizes of the volumes on it."""
        _, rows = self.store.read('SELECT COALESCE(SUM(size), 0) FROM "VolumeInventory" WHERE primaryStorageUuid = ?',
                                  [ps_uuid])
        total = row.get("totalCapacity") or 0
        return {"availableCapacity": max(total - rows[0][0], 0)}

    # --- AI ----------------------------------------------------------------------------------
    def deploy(self, params: dict, evaluation: bool) -> dict:
        service = self.writer._get("ModelServiceInventory", params.get("uuid"))
        zone = self.writer._get("ZoneInventory", params.get("zoneUuid"))
        model = self.writer._get("ModelInventory", params["modelUuid"]) if params.get("modelUuid") else {}
        datasets = [self.writer._get("DatasetInventory", d)["uuid"] for d in as_list(params.get("datasetUuids"))]
        l3s = as_list(params.get("l3NetworkUuids"))
        if not l3s:
            _, rows = self.store.read('SELECT uuid FROM "L3NetworkInventory" WHERE zoneUuid = ? ORDER BY rowid LIMIT 1',
                                      [zone["uuid"]])
            l3s = [rows[0][0]] if rows else []
        image = params.get("vmImageUuid")
        if not image:
            _, rows = self.store.read('SELECT vmImageUuid FROM "ModelServiceTemplateInventory" WHERE '
                                      "modelServiceUuid = ? AND vmImageUuid IS NOT NULL ORDER BY rowid LIMIT 1",
                                      [service["uuid"]])
            image = rows[0][0] if rows else None
        if not image:
            raise LinkFailure(f"the model service[uuid:{service['uuid']}] has no template image; give vmImageUuid")
        memory = params.get("memorySize") or (service.get("requestMemory") or 1024) << 20
        vm = self.writer.create("VmInstanceInventory", {
            "name": f"{params.get('name')}-instance-1", "imageUuid": image, "l3NetworkUuids": l3s,
            "cpuNum": params.get("cpuNum") or service.get("requestCpu") or 1, "memorySize": memory,
            "zoneUuid": zone["uuid"], "clusterUuid": params.get("clusterUuid"),
            "primaryStorageUuidForRootVolume": params.get("primaryStorageUuid"),
            "rootDiskSize": params.get("rootDiskSize"), "strategy": "InstantStart"})
        inv = "ModelEvalServiceInstanceGroupInventory" if evaluation else "ModelServiceInstanceGroupInventory"
        extra = {k: params[k] for k in self.store.specs[inv].kinds if k in params and k not in ("uuid", "type")}
        group = self.writer.create(inv, {**extra, "name": params.get("name"), "description": params.get("description"),
                                         "modelServiceUuid": service["uuid"], "modelUuid": model.get("uuid"),
                                         "status": "Running", "type": params.get("type"),
                                         "modelServiceType": service.get("type"), "yaml": service.get("yaml")})
        if evaluation and inv != "ModelServiceInstanceGroupInventory":
            with self.store.transaction() as cur:  # an evaluation group is a model service group too
                self.store.insert_many(cur, "ModelServiceInstanceGroupInventory", [group])
        nic = self.store.inventories("VmNicInventory", "vmInstanceUuid = ?", [vm["uuid"]], depth=0, limit=1)
        ip = nic[0].get("ip") if nic else None
        self.writer.create("ModelServiceInstanceInventory", {
            "name": f"{params.get('name')}-instance-1", "modelServiceGroupUuid": group["uuid"], "status": "Running",
            "vmInstanceUuid": vm["uuid"], "url": f"http://{ip}:8000" if ip else None, "nodeRank": 0,
            "architecture": vm.get("architecture") or "x86_64"})
        for d in datasets:
            self.writer.create("ModelServiceGroupDatasetRefInventory",
                               {"datasetUuid": d, "modelServiceInstanceGroupUuid": group["uuid"]})
        if evaluation:
            self.writer.create("ModelEvaluationTaskInventory", {
                "name": params.get("name"), "status": "Running", "percentage": 0, "type": params.get("taskType"),
                "modelServiceGroupUuid": group["uuid"], "evaluatedServiceGroupUuid": (as_list(
                    params.get("modelServiceGroupUuids")) or [None])[0], "datasetUuid": (datasets or [None])[0],
                **{k: params[k] for k in ("limits", "temperature", "topK", "topP", "maxNewTokens", "prompt",
                                          "repetitionPenalty", "maxLength", "parallel") if params.get(k) is not None}})
        return self.writer._get(inv, group["uuid"])
