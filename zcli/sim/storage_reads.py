"""Reads of primary and backup storage and of images, answered from the world.

* **Local disk per host** (GetLocalStorageHostDiskCapacity, LocalStorageBase): the ``LocalStorageHostRef`` rows
  of the storage, one per host of the clusters it is attached to (a host without one gets its share of the
  storage's total); the used part is the sum of the volumes kept on that host (the root and data volumes of the
  VMs it runs, on that storage). A Connected host the storage does not have is refused, as the server does.
* **Usage report** (GetPrimaryStorageUsageReport): the used physical capacity now, as history, and a linear
  forecast of it (none of the history the server's forecaster keeps: the world has one point).
* **Interdependence** (GetInterdependentL3NetworksImages, ...BackupStorages; VmInstanceManagerImpl): the backup
  storages attached to the zone of the L3 networks' clusters' primary storage, their images; or from an image,
  the L3 networks of the zone whose L2 reaches a cluster with primary storage.
* **Images**: CalculateImageHash keeps the image's md5Sum (of its install path on that backup storage: the
  simulator keeps no bytes); GetImagesFromImageStoreBackupStorage lists what the image store holds;
  GetUploadImageJobDetails the unfinished long jobs tagged ``uploadImage::<imageId>``.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar

from zcli.sim.computed import Computed
from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.naming import as_list

_PS = "PrimaryStorageInventory"
_REF = "LocalStorageHostRefInventory"


class StorageReads(Computed):
    kind = "storage-read"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetLocalStorageHostDiskCapacity": ("local_capacity", "computed: the host's share less its volumes' sizes"),
        "GetPrimaryStorageUsageReport": ("usage_report", "computed: the storage's used physical capacity"),
        "GetInterdependentL3NetworksImages": ("l3s_images", "computed: images reachable from the L3 networks, or "
                                                            "L3 networks from the image"),
        "GetInterdependentL3NetworksBackupStorages": ("l3s_backup_storages", "computed: backup storages reachable "
                                                                             "from the L3 networks, or the reverse"),
        "CalculateImageHash": ("image_hash", "keeps the image's md5Sum of its copy on the backup storage"),
        "GetImagesFromImageStoreBackupStorage": ("image_store_images", "the images the image store holds"),
        "GetUploadImageJobDetails": ("upload_jobs", "the unfinished long jobs tagged uploadImage::<imageId>"),
    }

    # --- local storage -----------------------------------------------------------------------
    def _local_hosts(self, ps: dict) -> list[dict]:
        return self.rows("HostInventory", 'clusterUuid IN (SELECT clusterUuid FROM "PrimaryStorageClusterRefInventory" '
                                          "WHERE primaryStorageUuid = ?)", [ps["uuid"]])

    def _used_on(self, ps_uuid: str, host_uuid: str) -> int:
        _, rows = self.store.read('SELECT COALESCE(SUM(size), 0) FROM "VolumeInventory" WHERE primaryStorageUuid = ? '
                                  "AND vmInstanceUuid IN (SELECT uuid FROM \"VmInstanceInventory\" "
                                  "WHERE COALESCE(hostUuid, lastHostUuid) = ?)", [ps_uuid, host_uuid])
        return int(rows[0][0] or 0)

    def _refs(self, ps: dict) -> list[dict]:
        """The storage's host refs, made for hosts that have none (their share of the storage's total), with the
        used part summed from the volumes on each host."""
        hosts = self._local_hosts(ps)
        have = {r["hostUuid"]: r for r in self.rows(_REF, "primaryStorageUuid = ?", [ps["uuid"]])}
        share = int(ps.get("totalCapacity") or 0) // max(1, len(hosts))
        now = self.writer.now()
        with self.store.transaction() as cur:
            for h in hosts:
                total = int(have[h["uuid"]]["totalCapacity"] or 0) if h["uuid"] in have else share
                avail = max(total - self._used_on(ps["uuid"], h["uuid"]), 0)
                if h["uuid"] in have:
                    cur.execute(f'UPDATE "{_REF}" SET availableCapacity = ?, availablePhysicalCapacity = ? '
                                "WHERE primaryStorageUuid = ? AND hostUuid = ?", (avail, avail, ps["uuid"], h["uuid"]))
                else:
                    self.store.insert_many(cur, _REF, [{"primaryStorageUuid": ps["uuid"], "hostUuid": h["uuid"],
                                                        "totalCapacity": total, "availableCapacity": avail,
                                                        "totalPhysicalCapacity": total,
                                                        "availablePhysicalCapacity": avail, "createDate": now,
                                                        "lastOpDate": now}])
        return self.rows(_REF, "primaryStorageUuid = ?", [ps["uuid"]])

    def local_capacity(self, params: dict) -> dict:
        ps = self.get(_PS, params.get("primaryStorageUuid"))
        if ps.get("type") != "LocalStorage":
            raise argerr(f"the primary storage[uuid:{ps['uuid']}] is not a local primary storage")
        fields = ("hostUuid", "totalCapacity", "availableCapacity", "totalPhysicalCapacity",
                  "availablePhysicalCapacity")
        refs = self._refs(ps)
        host_uuid = params.get("hostUuid")
        if host_uuid:
            host = self.get("HostInventory", host_uuid)
            mine = [r for r in refs if r["hostUuid"] == host_uuid]
            if not mine:
                if host.get("status") == "Connected":
                    raise Failure("SYS.1003", "A resource can not be found",
                                  f"local primary storage[uuid:{ps['uuid']}] doesn't have the host[uuid:{host_uuid}]")
                mine = [{"hostUuid": host_uuid}]
            refs = mine
        return {"inventories": [{f: int(r.get(f) or 0) if f != "hostUuid" else r[f] for f in fields} for r in refs]}

    def usage_report(self, params: dict) -> dict:
        ps = self.get(_PS, params.get("primaryStorageUuid"))
        total = int(ps.get("totalPhysicalCapacity") or ps.get("totalCapacity") or 0)
        used = total - int(ps.get("availablePhysicalCapacity") or ps.get("availableCapacity") or 0)
        interval = 86400
        start = int(self.now()) // interval * interval
        report = {"startTime": start * 1000, "interval": interval * 1000, "usedPhysicalCapacitiesHistory": [used],
                  "totalPhysicalCapacitiesHistory": [total], "usedPhysicalCapacitiesForecast": [used] * 7}
        uris = as_list(params.get("uris"))
        if not uris:
            return {"usageReport": report}
        url = ps.get("url") or ""
        for uri in uris:
            if not uri.startswith(url.split("?")[0]):
                raise operr(f"the uri[{uri}] is not on the primary storage[uuid:{ps['uuid']}, url:{url}]")
        return {"uriUsageForecast": {uri: report for uri in uris}}

    # --- interdependence ---------------------------------------------------------------------
    def _zone_bs(self, zone_uuid: str) -> list[dict]:
        return self.rows("BackupStorageInventory", 'uuid IN (SELECT backupStorageUuid FROM '
                                                   '"BackupStorageZoneRefInventory" WHERE zoneUuid = ?)', [zone_uuid])

    def _bs_of_l3s(self, zone_uuid: str, l3_uuids: list[str]) -> list[dict]:
        """Backup storages every L3 reaches: its L2's clusters have primary storage, the zone has the storage."""
        found = None
        for u in l3_uuids:
            l3 = self.get("L3NetworkInventory", u)
            reach = self.store.count("PrimaryStorageClusterRefInventory",
                                     'clusterUuid IN (SELECT clusterUuid FROM "L2NetworkClusterRefInventory" '
                                     "WHERE l2NetworkUuid = ?)", [l3.get("l2NetworkUuid")])
            mine = {b["uuid"] for b in self._zone_bs(l3.get("zoneUuid"))} if reach else set()
            found = mine if found is None else found & mine
        return [b for b in self._zone_bs(zone_uuid) if b["uuid"] in (found or set())]

    def _l3s_of(self, zone_uuid: str, bss: list[dict]) -> list[dict]:
        if not bss:
            return []
        return self.rows("L3NetworkInventory", "zoneUuid = ? AND (system IS NULL OR system = 0) AND l2NetworkUuid IN "
                                               '(SELECT l2NetworkUuid FROM "L2NetworkClusterRefInventory" WHERE '
                                               'clusterUuid IN (SELECT clusterUuid FROM '
                                               '"PrimaryStorageClusterRefInventory"))', [zone_uuid], depth=1)

    def _image_bs(self, zone_uuid: str, image_uuid: str) -> list[dict]:
        bss = [b for b in self._zone_bs(zone_uuid)
               if self.store.count("ImageBackupStorageRefInventory", "imageUuid = ? AND backupStorageUuid = ?",
                                   [image_uuid, b["uuid"]])]
        if not bss:
            raise argerr(f"the image[uuid:{image_uuid}] is not on any backup storage that has been attached to the "
                         f"zone[uuid:{zone_uuid}]")
        return bss

    def l3s_images(self, params: dict) -> dict:
        zone = self.get("ZoneInventory", params.get("zoneUuid"))
        if params.get("imageUuid"):
            self.get("ImageInventory", params["imageUuid"])
            return {"inventories": self._l3s_of(zone["uuid"], self._image_bs(zone["uuid"], params["imageUuid"]))}
        l3s = as_list(params.get("l3NetworkUuids"))
        if l3s:
            bss = [b["uuid"] for b in self._bs_of_l3s(zone["uuid"], l3s)]
            if not bss:
                return {"inventories": []}
            marks = ", ".join("?" * len(bss))
            where = ('uuid IN (SELECT imageUuid FROM "ImageBackupStorageRefInventory" '
                     f"WHERE backupStorageUuid IN ({marks}))")
            return {"inventories": self.rows("ImageInventory", where, bss, depth=1)}
        bss = self._zone_bs(zone["uuid"])
        if not bss:
            raise argerr(f"the zone[uuid:{zone['uuid']}] has no backup storage attached")
        return {"inventories": self._l3s_of(zone["uuid"], bss)}

    def l3s_backup_storages(self, params: dict) -> dict:
        zone = self.get("ZoneInventory", params.get("zoneUuid"))
        if params.get("backupStorageUuid"):
            bs = self.get("BackupStorageInventory", params["backupStorageUuid"])
            attached = [b for b in self._zone_bs(zone["uuid"]) if b["uuid"] == bs["uuid"]]
            return {"inventories": self._l3s_of(zone["uuid"], attached)}
        l3s = as_list(params.get("l3NetworkUuids"))
        if l3s:
            return {"inventories": self._bs_of_l3s(zone["uuid"], l3s)}
        return {"inventories": self._l3s_of(zone["uuid"], self._zone_bs(zone["uuid"]))}

    # --- images ------------------------------------------------------------------------------
    def image_hash(self, params: dict) -> dict:
        image = self.get("ImageInventory", params.get("uuid"))
        bs = self.get("BackupStorageInventory", params.get("backupStorageUuid"))
        algorithm = (params.get("algorithm") or "md5").lower()
        if algorithm != "md5":
            raise argerr(f"unsupported hash algorithm[{algorithm}], only md5 is supported")
        refs = self.rows("ImageBackupStorageRefInventory", "imageUuid = ? AND backupStorageUuid = ?",
                         [image["uuid"], bs["uuid"]])
        if not refs:
            raise operr(f"image[uuid:{image['uuid']}] is not on backup storage[uuid:{bs['uuid']}]")
        digest = hashlib.md5(str(refs[0].get("installPath") or image["uuid"]).encode()).hexdigest()
        return {"inventory": self.writer.update("ImageInventory", image["uuid"], {"md5Sum": digest})}

    def image_store_images(self, params: dict) -> dict:
        bs = self.get("BackupStorageInventory", params.get("uuid"))
        if bs.get("type") != "ImageStoreBackupStorage":
            raise argerr(f"the backup storage[uuid:{bs['uuid']}] is not an image store")
        out = []
        for ref in self.rows("ImageBackupStorageRefInventory", "backupStorageUuid = ?", [bs["uuid"]]):
            image = self.find("ImageInventory", ref["imageUuid"]) or {}
            out.append({"imageUuid": ref["imageUuid"], "name": image.get("name"), "installPath": ref.get("installPath"),
                        "size": image.get("size"), "actualSize": image.get("actualSize"), "format": image.get("format"),
                        "status": ref.get("status")})
        return {"infos": out}

    def upload_jobs(self, params: dict) -> dict:
        image_id = self.need(params, "imageId")
        tag = f"uploadImage::{image_id}"
        jobs = self.rows("LongJobInventory", "uuid IN (SELECT resourceUuid FROM \"SystemTagInventory\" WHERE tag = ?) "
                                             "AND state NOT IN ('Succeeded', 'Failed', 'Canceled')", [tag])
        out = []
        for job in jobs:
            ref = self.rows("ImageBackupStorageRefInventory", "imageUuid = ?", [job.get("targetResourceUuid")], limit=1)
            if not ref:
                continue
            out.append({"longJobUuid": job["uuid"], "longJobState": job.get("state"),
                        "imageUuid": job.get("targetResourceUuid"), "imageUploadUrl": ref[0].get("installPath"),
                        "offset": 0})
        return {"existingJobDetails": out}
