"""Volume, VM and database backups on backup storage: made, reverted to, recovered to another image store,
synchronised with what the image store holds; images and database backups exported.

The backup module is closed source; the facts are the reference's inventories (VolumeBackup with its
``groupUuid`` for the backups of one VM, VolumeBackupStorageRef, DatabaseBackup and its refs, the
SyncBackupResult counts). What the simulator chose:

* ``CreateVolumeBackup``: a Ready backup of the volume's current bits (its actual size) on the backup storage
  named, whose available capacity it takes;
* ``RevertVolumeFromVolumeBackup`` / ``RevertVmFromVmBackup``: the volume (each volume of the group) gets the
  backed-up bits back (its actual size becomes the backup's); the bits it had become trash (RevertVolume);
  the VM must be stopped;
* ``Recover*FromImageStoreBackupStorage``: the backup's bits copied from one image store to another (a new
  ref on the destination, which gives up the capacity);
* ``Sync*Backup``: the database made to agree with the image store: a ref whose bits the store no longer
  holds (status other than Ready) is dropped, and a backup left without a ref is deleted
  (``deletedBackupCount``); the simulator's image stores hold nothing the database does not know
  (``newBackupCount`` 0);
* ``ExportImageFromBackupStorage`` / ``ExportDatabaseBackupFromBackupStorage``: the image store serves the
  bits over HTTP: the ref keeps the export URL (and the image's MD5) that the reply gives.
"""

from __future__ import annotations

import hashlib

from zcli.sim.acting import Family, state_err
from zcli.sim.failures import argerr, operr
from zcli.sim.trash import keep_volume_bits

_VB = "VolumeBackupInventory"
_VB_REF = "VolumeBackupStorageRefInventory"
_DB = "DatabaseBackupInventory"
_DB_REF = "DatabaseBackupStorageRefInventory"
_BS = "BackupStorageInventory"
_STORE = "ImageStoreBackupStorageInventory"


class Backups(Family):
    kind = "backups"

    def table(self) -> dict:
        return {
            "CreateVolumeBackup": ("a Ready backup of the volume's bits on the backup storage", self.create),
            "RevertVolumeFromVolumeBackup": ("the volume gets the backed-up bits back", self.revert_volume),
            "RevertVmFromVmBackup": ("the VM's volumes get their backed-up bits back", self.revert_vm),
            "RecoverBackupFromImageStoreBackupStorage": ("the backup copied to another image store",
                                                         self.recover_volume),
            "RecoverVmBackupFromImageStoreBackupStorage": ("the VM's backups copied to another image store",
                                                           self.recover_vm),
            "SyncVolumeBackup": ("backups agree with what the image store holds", self.sync_volumes),
            "SyncVmBackup": ("VM backups agree with what the image store holds", self.sync_volumes),
            "SyncDatabaseBackup": ("database backups agree with what the image store holds", self.sync_databases),
            "ExportImageFromBackupStorage": ("the image store serves the image: its export URL", self.export_image),
            "ExportDatabaseBackupFromBackupStorage": ("the image store serves the database backup",
                                                      self.export_database),
        }

    # --- helpers -------------------------------------------------------------------------------
    def _bs(self, value, param: str, connected: bool = True) -> dict:
        bs = self.get(_BS, value, param)
        if connected and bs.get("status") in ("Disconnected", "Connecting"):
            raise operr(f"the backup storage[uuid:{bs['uuid']}] is not Connected, its status is {bs.get('status')}")
        return bs

    def _take(self, bs: dict, size: int) -> None:
        free = bs.get("availableCapacity") or 0
        if size > free:
            raise operr(f"the backup storage[uuid:{bs['uuid']}] has {free} bytes free, {size} are needed")
        self.update(_BS, bs["uuid"], {"availableCapacity": free - size})

    def _url(self, bs: dict, path: str) -> str:
        found = self.rows(_STORE, "uuid = ?", [bs["uuid"]])
        host = (found[0].get("hostname") if found else None) or bs.get("url") or "localhost"
        return f"http://{host}:8000/{path.lstrip('/')}"

    def _refs_field(self, backups: str, refs: str, key: str, uuid_: str) -> None:
        """The backup's ``backupStorageRefs`` field agrees with its ref rows."""
        found = self.store.inventories(refs, f'"{key}" = ?', [uuid_], order="rowid", depth=0)
        self.set_where(backups, {"backupStorageRefs": found}, "uuid = ?", [uuid_])

    def _image_store(self, bs: dict) -> dict:
        if not self.store.count(_STORE, "uuid = ?", [bs["uuid"]]):
            raise argerr(f"the backup storage[uuid:{bs['uuid']}] is not an image store")
        return bs

    def _group(self, group: str) -> list[dict]:
        found = self.rows(_VB, "groupUuid = ?", [group])
        if not found:
            raise argerr(f"invalid field[groupUuid], no vm backup[groupUuid:{group}] is found")
        return found

    # --- make, revert, recover -----------------------------------------------------------------
    def create(self, params: dict):
        vol = self.get("VolumeInventory", params.get("volumeUuid"), "volumeUuid")
        bs = self._bs(params.get("backupStorageUuid"), "backupStorageUuid")
        if vol.get("status") != "Ready":
            raise state_err("volume", vol, "backing it up", "status")
        size = int(vol.get("actualSize") or 0)
        self._take(bs, size)
        row = self.insert(_VB, {"name": params.get("name"), "description": params.get("description"),
                                "volumeUuid": vol["uuid"], "vmInstanceUuid": vol.get("vmInstanceUuid"),
                                "type": vol.get("type"), "state": "Enabled", "status": "Ready", "size": size,
                                "mode": params.get("mode") or "full"})
        self.insert(_VB_REF, {"volumeBackupUuid": row["uuid"], "backupStorageUuid": bs["uuid"], "status": "Ready",
                              "installPath": f"{bs.get('url') or ''}/backups/{row['uuid']}"})
        self._refs_field(_VB, _VB_REF, "volumeBackupUuid", row["uuid"])
        return {"inventory": self.get(_VB, row["uuid"])}

    def _revert(self, backup: dict, bs_uuid) -> None:
        if backup.get("status") != "Ready":
            raise state_err("volume backup", backup, "reverting", "status")
        refs = self.rows(_VB_REF, "volumeBackupUuid = ? AND status = 'Ready'", [backup["uuid"]])
        if bs_uuid:
            refs = [r for r in refs if r["backupStorageUuid"] == bs_uuid]
        if not refs:
            raise operr(f"the volume backup[uuid:{backup['uuid']}] is on no backup storage that could restore it")
        vol = self.get("VolumeInventory", backup.get("volumeUuid"), "volumeUuid")
        changes = keep_volume_bits(self.writer, vol, "RevertVolume", True)
        self.update("VolumeInventory", vol["uuid"], {"actualSize": backup.get("size"), **changes})

    def _stopped(self, vm_uuid) -> None:
        if vm_uuid:
            vm = self.get("VmInstanceInventory", vm_uuid, "vmInstanceUuid")
            if vm.get("state") != "Stopped":
                raise state_err("vm", vm, "reverting its volumes from a backup")

    def revert_volume(self, params: dict):
        backup = self.get(_VB, params.get("uuid"))
        vol = self.get("VolumeInventory", backup.get("volumeUuid"), "volumeUuid")
        self._stopped(vol.get("vmInstanceUuid"))
        self._revert(backup, params.get("backupStorageUuid"))
        return None

    def revert_vm(self, params: dict):
        backups = self._group(params.get("groupUuid"))
        self._stopped(backups[0].get("vmInstanceUuid"))
        for backup in backups:
            self._revert(backup, params.get("backupStorageUuid"))
        return None

    def _recover(self, backup: dict, src: dict, dst: dict) -> dict:
        ref = self.rows(_VB_REF, "volumeBackupUuid = ? AND backupStorageUuid = ?", [backup["uuid"], src["uuid"]])
        if not ref:
            raise operr(f"the volume backup[uuid:{backup['uuid']}] is not on the backup storage[uuid:{src['uuid']}]")
        if self.store.count(_VB_REF, "volumeBackupUuid = ? AND backupStorageUuid = ?", [backup["uuid"], dst["uuid"]]):
            raise operr(f"the volume backup[uuid:{backup['uuid']}] is already on the backup storage"
                        f"[uuid:{dst['uuid']}]")
        self._take(dst, int(backup.get("size") or 0))
        self.insert(_VB_REF, {"volumeBackupUuid": backup["uuid"], "backupStorageUuid": dst["uuid"], "status": "Ready",
                              "installPath": f"{dst.get('url') or ''}/backups/{backup['uuid']}"})
        self._refs_field(_VB, _VB_REF, "volumeBackupUuid", backup["uuid"])
        return self.get(_VB, backup["uuid"])

    def _stores(self, params: dict) -> tuple[dict, dict]:
        src = self._bs(params.get("srcBackupStorageUuid"), "srcBackupStorageUuid")
        dst = self._bs(params.get("dstBackupStorageUuid"), "dstBackupStorageUuid")
        if src["uuid"] == dst["uuid"]:
            raise argerr("the source and the destination backup storage are the same")
        for bs in (src, dst):
            self._image_store(bs)
        return src, dst

    def recover_volume(self, params: dict):
        backup = self.get(_VB, params.get("uuid"))
        src, dst = self._stores(params)
        return {"inventory": self._recover(backup, src, dst)}

    def recover_vm(self, params: dict):
        backups = self._group(params.get("groupUuid"))
        src, dst = self._stores(params)
        return {"inventories": [self._recover(b, src, dst) for b in backups]}

    # --- sync and export -----------------------------------------------------------------------
    def _sync(self, backups: str, refs: str, key: str, params: dict) -> dict:
        bs = self._image_store(self._bs(params.get("imageStoreUuid"), "imageStoreUuid"))
        _, rows = self.store.read(f'SELECT DISTINCT "{key}" FROM "{refs}" WHERE backupStorageUuid = ? AND '
                                  "(status IS NULL OR status != 'Ready')", [bs["uuid"]])
        gone = [r[0] for r in rows]
        self.delete_where(refs, "backupStorageUuid = ? AND (status IS NULL OR status != 'Ready')", [bs["uuid"]])
        deleted = 0
        for uuid_ in gone:
            if not self.store.count(refs, f'"{key}" = ?', [uuid_]):
                self.writer.delete(backups, uuid_)
                deleted += 1
            else:
                self._refs_field(backups, refs, key, uuid_)
        return {"result": {"deletedBackupCount": deleted, "newBackupCount": 0}}

    def sync_volumes(self, params: dict):
        return self._sync(_VB, _VB_REF, "volumeBackupUuid", params)

    def sync_databases(self, params: dict):
        return self._sync(_DB, _DB_REF, "databaseBackupUuid", params)

    def export_image(self, params: dict):
        bs = self._bs(params.get("backupStorageUuid"), "backupStorageUuid")
        image = self.get("ImageInventory", params.get("imageUuid"), "imageUuid")
        refs = self.rows("ImageBackupStorageRefInventory", "imageUuid = ? AND backupStorageUuid = ?",
                         [image["uuid"], bs["uuid"]])
        if not refs or refs[0].get("status") != "Ready":
            raise operr(f"the image[uuid:{image['uuid']}] is not Ready on the backup storage[uuid:{bs['uuid']}]")
        fmt = params.get("exportFormat") or image.get("format") or "qcow2"
        url = self._url(bs, f"export/{image['uuid']}.{fmt}")
        md5 = hashlib.md5(f"{refs[0].get('installPath')}:{fmt}".encode()).hexdigest()
        self.set_where("ImageBackupStorageRefInventory", {"exportUrl": url, "exportMd5Sum": md5},
                       "imageUuid = ? AND backupStorageUuid = ?", [image["uuid"], bs["uuid"]])
        return {"imageUrl": url, "exportMd5Sum": md5}

    def export_database(self, params: dict):
        bs = self._bs(params.get("backupStorageUuid"), "backupStorageUuid")
        backup = self.get(_DB, params.get("databaseBackupUuid"), "databaseBackupUuid")
        if not self.store.count(_DB_REF, "databaseBackupUuid = ? AND backupStorageUuid = ?",
                                [backup["uuid"], bs["uuid"]]):
            raise operr(f"the database backup[uuid:{backup['uuid']}] is not on the backup storage[uuid:{bs['uuid']}]")
        url = self._url(bs, f"export/database/{backup['uuid']}.gz")
        self.set_where(_DB_REF, {"exportUrl": url}, "databaseBackupUuid = ? AND backupStorageUuid = ?",
                       [backup["uuid"], bs["uuid"]])
        self._refs_field(_DB, _DB_REF, "databaseBackupUuid", backup["uuid"])
        return {"databaseBackupUrl": url}
