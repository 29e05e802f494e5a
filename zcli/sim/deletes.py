"""Deletes as the server carries them out: deletion policies, cascades and ``deleteMode``.

* **Deletion policy.** An image or a data volume follows its global configuration (``image`` /
  ``volume`` ``deletionPolicy``: ``Delay`` by default): deleted, it stays with status ``Deleted`` until
  ExpungeImage/ExpungeDataVolume removes it, and RecoverImage/RecoverDataVolume brings it back ``Ready``
  (``Direct`` and ``Never`` remove it at once). A deleted data volume is detached from its VM first.
* **Cascades**, as the server's cascade extensions run them: a zone takes its clusters, hosts, L2 and L3
  networks, IP ranges and primary storage; a cluster its hosts; an L2 network its L3 networks; an L3
  network its IP ranges, DNS and used IPs; each with the reference rows that point at it.
* **deleteMode.** ``Permissive`` (the default) refuses a delete that would pull the ground from under a VM
  that is not destroyed (a host it runs on, an L3 network one of its NICs is on); ``Enforcing`` deletes
  anyway: such VMs are stopped off the deleted hosts, NICs on deleted networks are removed.
* A uuid that names nothing succeeds where the API says so (``successIfResourceNotExisting``, checked with
  the other parameters in :mod:`zcli.sim.params`).
"""

from __future__ import annotations

from zcli.sim.failures import Failure, argerr

#: parent inventory → (child inventory, the child's field naming the parent): deleted with the parent.
CHILDREN = {
    "ZoneInventory": (("ClusterInventory", "zoneUuid"), ("L2NetworkInventory", "zoneUuid"),
                      ("L3NetworkInventory", "zoneUuid"), ("PrimaryStorageInventory", "zoneUuid"),
                      ("HostInventory", "zoneUuid")),
    "ClusterInventory": (("HostInventory", "clusterUuid"),),
    "L2NetworkInventory": (("L3NetworkInventory", "l2NetworkUuid"),),
    "L3NetworkInventory": (("IpRangeInventory", "l3NetworkUuid"),),
}
#: inventory → (reference table, its field naming the inventory): rows removed with it, nothing further.
REFS = {
    "ZoneInventory": (("BackupStorageZoneRefInventory", "zoneUuid"),),
    "ClusterInventory": (("L2NetworkClusterRefInventory", "clusterUuid"),
                         ("PrimaryStorageClusterRefInventory", "clusterUuid")),
    "L2NetworkInventory": (("L2NetworkClusterRefInventory", "l2NetworkUuid"),),
    "PrimaryStorageInventory": (("PrimaryStorageClusterRefInventory", "primaryStorageUuid"),),
    "L3NetworkInventory": (("L3NetworkDnsInventory", "l3NetworkUuid"), ("UsedIpInventory", "l3NetworkUuid")),
    "IpRangeInventory": (("UsedIpInventory", "ipRangeUuid"),),
}
_CASCADING = {"DeleteZone": "ZoneInventory", "DeleteCluster": "ClusterInventory", "DeleteHost": "HostInventory",
              "DeleteL2Network": "L2NetworkInventory", "DeleteL3Network": "L3NetworkInventory",
              "DeleteIpRange": "IpRangeInventory", "DeletePrimaryStorage": "PrimaryStorageInventory"}
_VM = "VmInstanceInventory"


def _refuse(details: str) -> Failure:
    return Failure("SYS.1004", "Unable to delete a resource", details)


class Deletes:
    """Policy deletes and cascades against the writer's store."""

    PLAN = "delete: as the server's deletion policy and cascade extensions do (deleteMode Permissive/Enforcing)"

    def __init__(self, writer):
        self.writer = writer
        self.store = writer.store

    def handlers(self) -> dict:
        out = {name: self.cascade for name in _CASCADING}
        out.update({"DeleteImage": self.delete_image, "ExpungeImage": self.expunge_image,
                    "RecoverImage": self.recover_image, "DeleteDataVolume": self.delete_volume,
                    "ExpungeDataVolume": self.expunge_volume, "RecoverDataVolume": self.recover_volume})
        return out

    def _has(self, table: str, column: str) -> bool:
        spec = self.store.specs.get(table)
        return spec is not None and column in spec.kinds

    def _uuids(self, table: str, column: str, value: str) -> list[str]:
        if not self._has(table, column) or not self._has(table, "uuid"):
            return []
        _, rows = self.store.read(f'SELECT uuid FROM "{table}" WHERE "{column}" = ?', [value])
        return [r[0] for r in rows]

    def _policy(self, category: str) -> str:
        from zcli.sim.configs import Configs

        try:
            return Configs(self.writer).global_value(category, "deletionPolicy")
        except Failure:
            return "Delay"

    # --- cascades ------------------------------------------------------------------------------
    def plan(self, inv: str, uuid_: str) -> list[tuple[str, str]]:
        """(inventory, uuid) of the resource and everything its delete takes with it, parents first."""
        out, todo, seen = [], [(inv, uuid_)], set()
        while todo:
            kind, one = todo.pop(0)
            if one in seen:
                continue
            seen.add(one)
            out.append((kind, one))
            for child, field in CHILDREN.get(kind, ()):
                todo.extend((child, u) for u in self._uuids(child, field, one))
        return out

    def cascade(self, api, params: dict, account=None):
        inv = _CASCADING[api.name]
        uuid_ = params["uuid"]
        mode = params.get("deleteMode") or "Permissive"
        if mode not in ("Permissive", "Enforcing"):
            raise argerr(f"invalid deleteMode[{mode}], it must be Permissive or Enforcing")
        doomed = self.plan(inv, uuid_)
        hosts = [u for k, u in doomed if k == "HostInventory"]
        l3s = [u for k, u in doomed if k == "L3NetworkInventory"]
        vms = self._vms_on(hosts, l3s)
        if vms and mode == "Permissive":
            raise _refuse(f"the {inv.removesuffix('Inventory')}[uuid:{uuid_}] is in use by VM(s) {sorted(vms)[:5]} "
                          "that are not destroyed; delete them first, or use deleteMode=Enforcing")
        if hosts:
            self._stop_vms_on(hosts)
        for l3 in l3s:
            for nic in self._uuids("VmNicInventory", "l3NetworkUuid", l3):
                self.writer.delete("VmNicInventory", nic)
        for kind, one in reversed(doomed):  # children first, as the cascade runs
            for table, field in REFS.get(kind, ()):
                if self._has(table, field):
                    with self.store.transaction() as cur:
                        cur.execute(f'DELETE FROM "{table}" WHERE "{field}" = ?', (one,))
            self.writer.delete(kind, one)
        return None

    def _vms_on(self, hosts: list[str], l3s: list[str]) -> set[str]:
        out: set[str] = set()
        for h in hosts:
            _, rows = self.store.read(f'SELECT uuid FROM "{_VM}" WHERE hostUuid = ? AND state != ?', [h, "Destroyed"])
            out.update(r[0] for r in rows)
        for l3 in l3s:
            _, rows = self.store.read(f'SELECT v.uuid FROM "{_VM}" v JOIN "VmNicInventory" n ON n.vmInstanceUuid = '
                                      "v.uuid WHERE n.l3NetworkUuid = ? AND v.state != ?", [l3, "Destroyed"])
            out.update(r[0] for r in rows)
        return out

    def _stop_vms_on(self, hosts: list[str]) -> None:
        for h in hosts:
            for vm in self._uuids(_VM, "hostUuid", h):
                self.writer.update(_VM, vm, {"state": "Stopped", "hostUuid": None})
            for vm in self._uuids(_VM, "lastHostUuid", h):
                self.writer.update(_VM, vm, {"lastHostUuid": None})

    # --- images --------------------------------------------------------------------------------
    def _image(self, uuid_: str) -> dict:
        return self.writer._get("ImageInventory", uuid_)

    def delete_image(self, api, params: dict, account=None):
        image = self._image(params["uuid"])
        if self._policy("image") != "Delay":
            self.writer.delete("ImageInventory", image["uuid"])
        elif image.get("status") != "Deleted":
            self.writer.update("ImageInventory", image["uuid"], {"status": "Deleted"})
        return None

    def expunge_image(self, api, params: dict, account=None):
        uuid_ = params.get("imageUuid") or params.get("uuid")
        image = self._image(uuid_)
        if image.get("status") != "Deleted":
            raise Failure("SYS.1006", "An operation failed",
                          f"image[uuid:{uuid_}] is not deleted: only a deleted image can be expunged")
        self.writer.delete("ImageInventory", uuid_)
        return None

    def recover_image(self, api, params: dict, account=None):
        uuid_ = params.get("imageUuid") or params.get("uuid")
        image = self._image(uuid_)
        if image.get("status") != "Deleted":
            raise Failure("SYS.1006", "An operation failed", f"image[uuid:{uuid_}] is not deleted, nothing to recover")
        return self.writer._reply(api, self.writer.update("ImageInventory", uuid_, {"status": "Ready"}))

    # --- data volumes --------------------------------------------------------------------------
    def _volume(self, uuid_: str) -> dict:
        volume = self.writer._get("VolumeInventory", uuid_)
        if volume.get("type") == "Root":
            raise Failure("SYS.1006", "An operation failed",
                          f"the volume[uuid:{uuid_}] is a root volume: it goes with its VM")
        return volume

    def delete_volume(self, api, params: dict, account=None):
        volume = self._volume(params["uuid"])
        if self._policy("volume") != "Delay":
            self.writer.delete("VolumeInventory", volume["uuid"])
        elif volume.get("status") != "Deleted":
            self.writer.update("VolumeInventory", volume["uuid"],
                               {"status": "Deleted", "vmInstanceUuid": None, "deviceId": None})
        return None

    def expunge_volume(self, api, params: dict, account=None):
        volume = self._volume(params["uuid"])
        if volume.get("status") != "Deleted":
            raise Failure("SYS.1006", "An operation failed",
                          f"the volume[uuid:{volume['uuid']}] is not deleted: only a deleted volume can be expunged")
        self.writer.delete("VolumeInventory", volume["uuid"])
        return None

    def recover_volume(self, api, params: dict, account=None):
        volume = self._volume(params["uuid"])
        if volume.get("status") != "Deleted":
            raise Failure("SYS.1006", "An operation failed",
                          f"the volume[uuid:{volume['uuid']}] is not deleted, nothing to recover")
        return self.writer._reply(api, self.writer.update("VolumeInventory", volume["uuid"], {"status": "Ready"}))
