"""Storage trash and image caches: the bits a storage keeps after the resource moved on, and their clean-up.

Trash (the server's ``InstallPathRecycleVO``, ``TrashType``): when a volume migrates to another primary
storage, is reverted to a snapshot or reimaged, or an image migrates to another backup storage, the old
bits stay on their storage as a trash entry with their size (:func:`put`, called by those operations).
``GetTrashOn*`` lists a storage's entries; ``CleanUpTrashOn*`` (one ``trashId`` or all) deletes them and
gives their size back to the storage's available capacity, answering ``result`` (CleanTrashResult) and
``results`` (a TrashCleanupResult each), as PrimaryStorageBase.cleanUpTrash does. ``ReclaimSpaceFromImageStore``
is the image store's garbage collection of the same unreferenced bits (``freedSpaceInBytes``).

``CleanUpStorageTrashOnPrimaryStorage`` (Ceph's and SMP's: the storage's files no database record owns) deletes
the trash entries whose resource is gone altogether (``force``: also those whose resource still exists), gives
their size back and answers the paths deleted.

Image caches (``ImageCacheVO``): a primary storage caches each image a root volume was made from. The
clean-up removes the caches no volume on that storage was made from and whose image is gone or deleted
(``force``: every cache no volume uses), and gives their size back.
"""

from __future__ import annotations

from zcli.sim.acting import Family
from zcli.sim.failures import Failure, operr
from zcli.sim.tables import q
from zcli.sim.tags import resource_type_of

_TRASH = "InstallPathRecycleInventory"
_CACHE = "ImageCacheInventory"
_PS = "PrimaryStorageInventory"
_BS = "BackupStorageInventory"


def put(writer, cur, storage: dict, storage_kind: str, resource_uuid: str, resource_type: str, install_path: str,
        size, trash_type: str, host_uuid: str | None = None) -> None:
    """Keep old bits on ``storage`` as a trash entry (inside ``cur``'s transaction)."""
    store = writer.store
    row = cur.execute(f"SELECT COALESCE(MAX(trashId), 0) + 1 FROM {q(_TRASH)}").fetchone()
    store.insert_many(cur, _TRASH, [{
        "trashId": int(row[0]), "resourceUuid": resource_uuid, "resourceType": resource_type,
        "storageUuid": storage["uuid"], "storageType": storage_kind, "installPath": install_path,
        "isFolder": False, "hostUuid": host_uuid, "hypervisorType": "KVM", "size": int(size or 0),
        "trashType": trash_type, "createDate": writer.now()}])


def keep_volume_bits(writer, volume: dict, trash_type: str, renew: bool = False) -> dict:
    """The volume's bits on its primary storage become trash (a migration, a revert, a reimage); with ``renew``
    the volume gets new bits beside them: the changes to the volume (its new install path)."""
    found = writer.store.inventories(_PS, "uuid = ?", [volume.get("primaryStorageUuid")], limit=1, depth=0)
    if not found or not volume.get("installPath"):
        return {}
    ps = found[0]
    host = None
    if ps.get("type") == "LocalStorage":
        _, rows = writer.store.read('SELECT hostUuid FROM "LocalStorageResourceRefInventory" WHERE resourceUuid = ?',
                                    [volume["uuid"]])
        host = rows[0][0] if rows else None
    with writer.store.transaction() as cur:
        put(writer, cur, ps, ps.get("type") or "", volume["uuid"], "VolumeVO", volume["installPath"],
            volume.get("actualSize") or volume.get("size"), trash_type, host)
        n = cur.execute(f"SELECT MAX(trashId) FROM {q(_TRASH)}").fetchone()[0]
    return {"installPath": f"{volume['installPath']}.{n}"} if renew else {}


def keep_image_bits(writer, image: dict, bs: dict) -> None:
    """The image's bits on backup storage ``bs`` become trash (the image migrates away from it)."""
    _, paths = writer.store.read('SELECT installPath FROM "ImageBackupStorageRefInventory" WHERE imageUuid = ? AND '
                                 "backupStorageUuid = ?", [image["uuid"], bs["uuid"]])
    with writer.store.transaction() as cur:
        put(writer, cur, bs, bs.get("type") or "", image["uuid"], "ImageVO", paths[0][0] if paths else "",
            image.get("actualSize"), "MigrateImage")


class Trash(Family):
    kind = "trash"

    def table(self) -> dict:
        return {
            "GetTrashOnPrimaryStorage": ("the primary storage's trash entries", lambda p: self.list(_PS, p)),
            "GetTrashOnBackupStorage": ("the backup storage's trash entries", lambda p: self.list(_BS, p)),
            "CleanUpTrashOnPrimaryStorage": ("deletes trash entries, their size back to the storage",
                                             lambda p: self.clean(_PS, p)),
            "CleanUpTrashOnBackupStorage": ("deletes trash entries, their size back to the storage",
                                            lambda p: self.clean(_BS, p)),
            "ReclaimSpaceFromImageStore": ("the image store's unreferenced bits deleted, the space freed",
                                           self.reclaim),
            "CleanUpImageCacheOnPrimaryStorage": ("removes the image caches no volume uses", self.clean_caches),
            "CleanUpStorageTrashOnPrimaryStorage": ("deletes the bits no resource owns any more, size back",
                                                    self.clean_storage),
        }

    def _entries(self, storage: str, trash_id=None) -> list[dict]:
        where, bound = "storageUuid = ?", [storage]
        if trash_id not in (None, ""):
            where, bound = where + " AND trashId = ?", [*bound, int(trash_id)]
        return self.store.inventories(_TRASH, where, bound, order="trashId")

    def list(self, inv: str, params: dict):
        storage = self.get(inv, params.get("uuid"))
        rows = self._entries(storage["uuid"])
        if params.get("trashType"):
            rows = [r for r in rows if r.get("trashType") == params["trashType"]]
        if params.get("resourceUuid"):
            rows = [r for r in rows if r.get("resourceUuid") == params["resourceUuid"]
                    and r.get("resourceType") == params.get("resourceType")]
        return {"inventories": rows}

    def _give_back(self, inv: str, storage: dict, size: int) -> None:
        if size:
            total = storage.get("totalCapacity") or 0
            free = min((storage.get("availableCapacity") or 0) + size, total) if total else \
                (storage.get("availableCapacity") or 0) + size
            self.update(inv, storage["uuid"], {"availableCapacity": free})

    def _in_use(self, entry: dict) -> bool:
        """The bits are still some resource's: a volume or image whose install path they are."""
        path = entry.get("installPath")
        return bool(self.store.count("VolumeInventory", "installPath = ? AND primaryStorageUuid = ?",
                                     [path, entry["storageUuid"]])
                    or self.store.count("ImageBackupStorageRefInventory", "installPath = ? AND backupStorageUuid = ?",
                                        [path, entry["storageUuid"]]))

    def _clean(self, inv: str, storage: dict, trash_id=None) -> list[dict]:
        results = []
        if trash_id not in (None, "") and not self._entries(storage["uuid"], trash_id):
            return [{"trashId": int(trash_id), "success": True, "size": 0}]  # TrashCleanupResult(trashId)
        for entry in self._entries(storage["uuid"], trash_id):
            if self._in_use(entry):
                results.append({"resourceUuid": entry["resourceUuid"], "trashId": entry["trashId"], "size": 0,
                                "success": False, "error": operr(f"{entry['installPath']} is still in use by "
                                                                 f"{entry['resourceType']}").body["error"]})
                continue
            self.delete_where(_TRASH, "trashId = ?", [entry["trashId"]])
            results.append({"resourceUuid": entry["resourceUuid"], "trashId": entry["trashId"],
                            "size": entry.get("size") or 0, "success": True})
        self._give_back(inv, storage, sum(r["size"] for r in results if r["success"]))
        return results

    def clean(self, inv: str, params: dict):
        storage = self.get(inv, params.get("uuid"))
        results = self._clean(inv, storage, params.get("trashId"))
        done = [r for r in results if r["success"] and r.get("resourceUuid")]
        result = {"resourceUuids": [r["resourceUuid"] for r in done], "size": sum(r["size"] for r in done),
                  "details": [r["error"]["details"] for r in results if not r["success"]]}
        return {"result": result, "results": results}

    def clean_storage(self, params: dict):
        """The storage's bits that no resource of the database owns any more (the resource of a trash entry is
        gone: an orphan); ``force``: every trash entry no resource uses. ``result``: the storage's URL → the
        install paths deleted, ``total`` their count."""
        ps = self.get(_PS, params.get("uuid"))
        if ps.get("status") != "Connected":
            raise operr(f"the primary storage[uuid:{ps['uuid']}] is {ps.get('status')}, its storage trash cannot be "
                        "cleaned up")
        force = params.get("force") is True or str(params.get("force")).lower() == "true"
        paths, freed = [], 0
        for entry in self._entries(ps["uuid"]):
            if self._in_use(entry) or (not force and self._owned(entry["resourceUuid"])):
                continue
            self.delete_where(_TRASH, "trashId = ?", [entry["trashId"]])
            paths.append(entry["installPath"])
            freed += entry.get("size") or 0
        self._give_back(_PS, ps, freed)
        return {"result": {ps.get("url") or ps["uuid"]: paths} if paths else {}, "total": len(paths)}

    def _owned(self, resource_uuid: str) -> bool:
        try:
            resource_type_of(self.writer, resource_uuid)
        except Failure:
            return False
        return True

    def reclaim(self, params: dict):
        storage = self.get("ImageStoreBackupStorageInventory", params.get("uuid"))
        if storage.get("status") != "Connected":
            raise operr(f"the image store[uuid:{storage['uuid']}] is {storage.get('status')}, it cannot reclaim space")
        bs = self.get(_BS, storage["uuid"])
        results = self._clean(_BS, bs)
        return {"gcResult": {"freedSpaceInBytes": sum(r["size"] for r in results if r["success"])}}

    def clean_caches(self, params: dict):
        ps = self.get(_PS, params.get("uuid"))
        if ps.get("status") != "Connected":
            raise operr(f"the primary storage[uuid:{ps['uuid']}] is {ps.get('status')}, its image cache cannot be "
                        "cleaned up")
        force = params.get("force") is True or str(params.get("force")).lower() == "true"
        freed = 0
        for cache in self.rows(_CACHE, "primaryStorageUuid = ?", [ps["uuid"]]):
            image = cache.get("imageUuid")
            if self.store.count("VolumeInventory", "primaryStorageUuid = ? AND rootImageUuid = ?", [ps["uuid"], image]):
                continue
            alive = self.store.count("ImageInventory", "uuid = ? AND status != 'Deleted'", [image])
            if alive and not force:
                continue
            self.delete_where(_CACHE, "id = ?", [cache["id"]])
            freed += cache.get("size") or 0
        self._give_back(_PS, ps, freed)
        return None

