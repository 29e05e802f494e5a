"""What is made from a backup or a snapshot, whose reply is an inventory of another name: VMs, data volumes and
templates from volume backups, VM backups (groups of volume backups) and the VMs made from them, VMs from a
volume snapshot or a CDP task.

A **VM backup** is no inventory of its own: CreateVmBackup makes one VolumeBackup for each volume of the VM
(its root volume first), all with one ``groupUuid``, each kept on the backup storage named (a
VolumeBackupStorageRef row, also shown in the backup's ``backupStorageRefs``); DeleteVmBackup removes the group
(or only its copies on the backup storages named). A new VM takes the backed-up root volume's size and image
(when the image is still there), the source VM's offering, networks and zone unless the call names others; a
VM backup's data volumes come back as data volumes attached to it. Checks: the source exists and is of the
right kind (a root volume's backup or snapshot for a VM, a data volume's for a data volume or a data volume
template), the backup is on the backup storage named.
"""

from __future__ import annotations

import uuid as uuidlib

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list

_VM_KEYS = ("description", "instanceOfferingUuid", "cpuNum", "memorySize", "reservedMemorySize", "type",
            "zoneUuid", "clusterUuid", "hostUuid", "primaryStorageUuidForRootVolume", "strategy",
            "defaultL3NetworkUuid", "resourceUuid", "rootVolumeSystemTags")


class Restores(ByName):
    kind = "restore"

    def operations(self) -> dict:
        return {
            "CreateVmBackup": ("a VolumeBackup of each volume of the VM, one groupUuid", self.vm_backup),
            "DeleteVmBackup": ("deletes the VolumeBackups of the group (or their copies named)", self.delete_group),
            "CreateVmFromVmBackup": ("a VM from the group's root backup, data volumes from the others",
                                     self.vm_from_group),
            "CreateVmFromVolumeBackup": ("a VM from a root volume's backup", self.vm_from_backup),
            "CreateDataVolumeFromVolumeBackup": ("a data volume from a data volume's backup", self.volume_from_backup),
            "CreateRootVolumeTemplateFromVolumeBackup": ("an image from a root volume's backup",
                                                         lambda p: self.template(p, "Root")),
            "CreateDataVolumeTemplateFromVolumeBackup": ("an image from a data volume's backup",
                                                         lambda p: self.template(p, "Data")),
            "CreateVmInstanceFromVolumeSnapshot": ("a VM from a root volume's snapshot", self.vm_from_snapshot),
            "CreateVmFromCdpBackup": ("a VM like the one the CDP task protects", self.vm_from_cdp),
        }

    def plan(self, api) -> str | None:
        return super().plan(api) if self.catalog.has_api(api.name) else None

    # --- helpers -----------------------------------------------------------------------------
    def _one(self, inv: str, value, param: str) -> dict:
        if value in (None, ""):
            raise argerr(f"missing mandatory field[{param}]")
        found = self.store.inventories(inv, "uuid = ?", [value], limit=1, depth=0)
        if not found:
            raise argerr(f"invalid field[{param}], resource[uuid:{value}, type:{inv.replace('Inventory', 'VO')}] "
                         "is not found")
        return found[0]

    def _kind(self, backup: dict) -> str:
        """Root or Data: the backed-up volume's type (kept on the backup, the volume may be gone)."""
        if backup.get("type") in ("Root", "Data"):
            return backup["type"]
        vol = self.store.inventories("VolumeInventory", "uuid = ?", [backup.get("volumeUuid")], depth=0)
        return vol[0].get("type", "Data") if vol else "Data"

    def _backup(self, params: dict, kind: str) -> dict:
        backup = self._one("VolumeBackupInventory", params.get("backupUuid"), "backupUuid")
        if self._kind(backup) != kind:
            raise argerr(f"the volume backup[uuid:{backup['uuid']}] is of a {self._kind(backup).lower()} volume, "
                         f"not of a {kind.lower()} volume")
        bs = params.get("backupStorageUuid")
        if bs and not self.store.count("VolumeBackupStorageRefInventory", "volumeBackupUuid = ? AND "
                                       "backupStorageUuid = ?", [backup["uuid"], bs]):
            raise argerr(f"the volume backup[uuid:{backup['uuid']}] is not on the backup storage[uuid:{bs}]")
        return backup

    def _source_vm(self, vm_uuid: str | None) -> dict:
        found = self.store.inventories("VmInstanceInventory", "uuid = ?", [vm_uuid], depth=0) if vm_uuid else []
        return found[0] if found else {}

    def _new_vm(self, params: dict, source_vm: dict, image: str | None, size) -> dict:
        """A VM as CreateVmInstance makes it, whose root volume holds what the source held (``size``)."""
        spec = {k: params[k] for k in _VM_KEYS if params.get(k) not in (None, "")}
        spec["name"] = params.get("name")
        if not spec.get("instanceOfferingUuid") and spec.get("cpuNum") in (None, ""):
            if source_vm.get("instanceOfferingUuid"):
                spec["instanceOfferingUuid"] = source_vm["instanceOfferingUuid"]
            else:
                spec.update(cpuNum=source_vm.get("cpuNum"), memorySize=source_vm.get("memorySize"))
        l3s = as_list(params.get("l3NetworkUuids"))
        if not l3s and source_vm:
            nics = self.store.inventories("VmNicInventory", "vmInstanceUuid = ?", [source_vm["uuid"]],
                                          order="deviceId", depth=0)
            l3s = [n["l3NetworkUuid"] for n in nics if n.get("l3NetworkUuid")]
            spec.setdefault("defaultL3NetworkUuid", source_vm.get("defaultL3NetworkUuid"))
        spec["l3NetworkUuids"] = l3s
        if image and self.store.count("ImageInventory", "uuid = ?", [image]):
            spec["imageUuid"] = image
        else:
            spec["diskAOs"] = [{"boot": True, "size": size}]  # no image left: the root volume is the source's
            spec["rootDiskSize"] = size
        spec["platform"] = source_vm.get("platform")
        spec["guestOsType"] = source_vm.get("guestOsType")
        spec["architecture"] = source_vm.get("architecture")
        vm = self.writer.create("VmInstanceInventory", {k: v for k, v in spec.items() if v is not None})
        if size is not None:
            self.writer.update("VolumeInventory", vm["rootVolumeUuid"], {"size": size})
        return self.writer._get("VmInstanceInventory", vm["uuid"])

    def _data_volume(self, name: str, size, ps: str | None, vm: str | None, description=None) -> dict:
        from zcli.sim.operations import Operations

        params = {"name": name, "description": description, "vmInstanceUuid": vm}
        if ps is None:
            _, rows = self.store.read('SELECT uuid FROM "PrimaryStorageInventory" ORDER BY rowid LIMIT 1')
            ps = rows[0][0] if rows else None
        return Operations(self.catalog, self.store, self.writer)._new_volume(params, size, ps, "qcow2")["inventory"]

    # --- VM backups --------------------------------------------------------------------------
    def vm_backup(self, params: dict):
        root = self._one("VolumeInventory", params.get("rootVolumeUuid"), "rootVolumeUuid")
        if root.get("type") != "Root" or not root.get("vmInstanceUuid"):
            raise argerr(f"the volume[uuid:{root['uuid']}] is not the root volume of a VM")
        bs = self._one("BackupStorageInventory", params.get("backupStorageUuid"), "backupStorageUuid")
        vm = root["vmInstanceUuid"]
        data = self.store.inventories("VolumeInventory", "vmInstanceUuid = ? AND type = 'Data'", [vm],
                                      order="deviceId", depth=0)
        group = uuidlib.uuid4().hex
        made = []
        for vol in [root, *data]:
            backup = self.writer.create("VolumeBackupInventory", {
                "name": params.get("name"), "description": params.get("description"), "volumeUuid": vol["uuid"],
                "vmInstanceUuid": vm, "groupUuid": group, "type": vol.get("type"), "size": vol.get("size"),
                "mode": params.get("mode") or "full", "state": "Enabled", "status": "Ready",
                **({"resourceUuid": params["resourceUuid"]} if vol is root and params.get("resourceUuid") else {})})
            self._keep_on(backup, bs["uuid"])
            made.append(self.writer._get("VolumeBackupInventory", backup["uuid"]))
        return {"inventories": made}

    def _keep_on(self, backup: dict, bs: str) -> None:
        now = self.writer.now()
        ref = {"volumeBackupUuid": backup["uuid"], "backupStorageUuid": bs, "status": "Ready",
               "installPath": f"/zstack_bs/volume-backups/{backup['uuid']}", "createDate": now, "lastOpDate": now}
        with self.store.transaction() as cur:
            self.store.insert_many(cur, "VolumeBackupStorageRefInventory", [ref])
        self._show_refs(backup["uuid"])

    def _show_refs(self, backup: str) -> None:
        refs = self.store.inventories("VolumeBackupStorageRefInventory", "volumeBackupUuid = ?", [backup],
                                      order="rowid", depth=0)
        self.writer.update("VolumeBackupInventory", backup, {"backupStorageRefs": refs})

    def _group(self, group: str | None) -> list[dict]:
        if group in (None, ""):
            raise argerr("missing mandatory field[groupUuid]")
        backups = self.store.inventories("VolumeBackupInventory", "groupUuid = ?", [group], order="rowid", depth=0)
        if not backups:
            raise argerr(f"invalid field[groupUuid], no VM backup[groupUuid:{group}] is found")
        return backups

    def delete_group(self, params: dict):
        backups = self._group(params.get("groupUuid"))
        stores = as_list(params.get("backupStorageUuids"))
        for b in backups:
            where, bound = "volumeBackupUuid = ?", [b["uuid"]]
            if stores:
                where += f" AND backupStorageUuid IN ({', '.join('?' * len(stores))})"
                bound += stores
            with self.store.transaction() as cur:
                cur.execute(f'DELETE FROM "VolumeBackupStorageRefInventory" WHERE {where}', bound)
            if not self.store.count("VolumeBackupStorageRefInventory", "volumeBackupUuid = ?", [b["uuid"]]):
                self.writer.delete("VolumeBackupInventory", b["uuid"])
            else:
                self._show_refs(b["uuid"])
        return None

    def vm_from_group(self, params: dict):
        backups = self._group(params.get("groupUuid"))
        roots = [b for b in backups if self._kind(b) == "Root"]
        if not roots:
            raise argerr(f"the VM backup[groupUuid:{params['groupUuid']}] holds no root volume backup")
        root = roots[0]
        bs = params.get("backupStorageUuid")
        if bs and not self.store.count("VolumeBackupStorageRefInventory", "volumeBackupUuid = ? AND "
                                       "backupStorageUuid = ?", [root["uuid"], bs]):
            raise argerr(f"the VM backup[groupUuid:{root['groupUuid']}] is not on the backup storage[uuid:{bs}]")
        vm = self._new_vm(params, self._source_vm(root.get("vmInstanceUuid")), self._image_of(root), root.get("size"))
        for b in backups:
            if b is not root and self._kind(b) == "Data":
                self._data_volume(f"DATA-from-{b.get('name')}", b.get("size"),
                                  params.get("primaryStorageUuidForDataVolume"), vm["uuid"])
        return {"inventory": self.writer._get("VmInstanceInventory", vm["uuid"])}

    def _image_of(self, backup: dict) -> str | None:
        vol = self.store.inventories("VolumeInventory", "uuid = ?", [backup.get("volumeUuid")], depth=0)
        return vol[0].get("rootImageUuid") if vol else None

    # --- volume backups ----------------------------------------------------------------------
    def vm_from_backup(self, params: dict):
        backup = self._backup(params, "Root")
        vm = self._new_vm(params, self._source_vm(backup.get("vmInstanceUuid")), self._image_of(backup),
                          backup.get("size"))
        return {"inventory": vm}

    def volume_from_backup(self, params: dict):
        backup = self._backup(params, "Data")
        vol = self._data_volume(params.get("name"), backup.get("size"), params.get("primaryStorageUuid"),
                                params.get("vmInstanceUuid"), params.get("description"))
        return {"inventory": vol}

    def template(self, params: dict, kind: str):
        from zcli.sim.operations import Operations

        backup = self._backup(params, kind)
        self._one("BackupStorageInventory", params.get("backupStorageUuid"), "backupStorageUuid")
        vm = self._source_vm(backup.get("vmInstanceUuid")) or None
        media = "RootVolumeTemplate" if kind == "Root" else "DataVolumeTemplate"
        source = {"size": backup.get("size"), "actualSize": backup.get("size"), "format": "qcow2"}
        return Operations(self.catalog, self.store, self.writer)._image(params, source, media, vm)

    # --- snapshots and CDP -------------------------------------------------------------------
    def vm_from_snapshot(self, params: dict):
        snap = self._one("VolumeSnapshotInventory", params.get("volumeSnapshotUuid"), "volumeSnapshotUuid")
        vol = self.store.inventories("VolumeInventory", "uuid = ?", [snap.get("volumeUuid")], depth=0)
        kind = snap.get("volumeType") or (vol[0].get("type") if vol else None)
        if kind != "Root":
            raise argerr(f"the volume snapshot[uuid:{snap['uuid']}] is not of a root volume")
        source = self._source_vm(vol[0].get("vmInstanceUuid")) if vol else {}
        if params.get("primaryStorageUuid"):
            params = {**params, "primaryStorageUuidForRootVolume": params["primaryStorageUuid"]}
        image = vol[0].get("rootImageUuid") if vol else None
        return {"inventory": self._new_vm(params, source, image, vol[0].get("size") if vol else snap.get("size"))}

    def vm_from_cdp(self, params: dict):
        task = self._one("CdpTaskInventory", params.get("cdpTaskUuid"), "cdpTaskUuid")
        if int(params.get("groupId") or 0) < 0:
            raise argerr(f"invalid field[groupId]: {params.get('groupId')} is no recovery point")
        refs = self.store.inventories("CdpTaskResourceRefInventory", "taskUuid = ? AND resourceType = 'VmInstanceVO'",
                                      [task["uuid"]], depth=0)
        if not refs:
            raise argerr(f"the CDP task[uuid:{task['uuid']}] protects no VM")
        source = self._source_vm(refs[0]["resourceUuid"])
        root = self.store.inventories("VolumeInventory", "uuid = ?", [source.get("rootVolumeUuid")], depth=0)
        size = root[0].get("size") if root else None
        return {"inventory": self._new_vm(params, source, source.get("imageUuid"), size)}
