"""Reads of the remote cloud (``Get*FromRemote``, ``Get*Remote``) and the objects that live only there.

They answer from :mod:`zcli.sim.remote`, never from the local inventories: what a sync or an ``Add*`` call
would bring. Kinds the management node keeps no inventory of live only on the remote: the instance types a zone
offers (``InstanceType``), the files of an OSS bucket (``OssFile``), and the database backup bucket of a region
with its files (``BackupBucket``, ``BackupFile``), which the backup calls write, list, download and delete.
"""

from __future__ import annotations

from zcli.sim.failures import Failure, argerr
from zcli.sim.hybrid_model import DC, FAMILIES, find, region_of, rid_of

_REMOTE_LISTS = {  # API → (kind, scope parameter, filter parameter → body field)
    "GetConnectionAccessPointFromRemote": ("ConnectionAccessPoint", "dataCenterUuid", {}),
    "GetOssBucketNameFromRemote": ("OssBucket", "dataCenterUuid", {}),
    "GetAliyunNasFileSystemRemote": ("AliyunNasFileSystem", "dataCenterUuid", {"fileSystemId": "fileSystemId"}),
    "GetAliyunNasAccessGroupRemote": ("AliyunNasAccessGroup", "dataCenterUuid", {"groupName": "name"}),
    "GetAliyunNasMountTargetRemote": ("AliyunNasMountTarget", "nasFSUuid", {"mountDomain": "mountDomain"}),
}
_BACKUP = ("CreateOssBackupBucketRemote", "BackupDatabaseToPublicCloud", "DownloadBackupFileFromPublicCloud",
           "DeleteBackupFileInPublic", "GetOssBackupBucketFromRemote")
_BACKUP_DIR = "/var/lib/zstack/mysql-backup"
_VNC = "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html"


def fail(code: str, message: str) -> Failure:
    """What the server answers when the remote cloud refused: the remote's error code and message."""
    return Failure("SYS.1006", "An operation failed", f"aliyun: {code}: {message}")


class RemoteReads:
    def __init__(self, hybrid):
        self.h = hybrid
        self.store = hybrid.store
        self.remote = hybrid.remote
        self.writer = hybrid.writer

    def plan(self, api) -> str | None:
        name = api.name
        if name in _REMOTE_LISTS:
            return f"lists the remote cloud's {_REMOTE_LISTS[name][0]} objects"
        if name == "GetDataCenterFromRemote":
            return "lists the remote cloud's regions"
        if name == "GetIdentityZoneFromRemote":
            return "lists the zones of the data center's region on the remote"
        if name == "GetEcsInstanceType":
            return "lists the instance types the remote zone offers"
        if name == "GetEcsInstanceVncUrl":
            return "the remote instance's VNC address (running instances only)"
        if name == "GetOssBucketFileFromRemote":
            return "lists the files of the remote OSS bucket"
        if name == "DeleteOssBucketFileRemote":
            return "deletes a file of the remote OSS bucket"
        if name == "GetVpcVpnConfigurationFromRemote":
            return "the remote VPN connection's IKE and IPsec configuration"
        if name in _BACKUP:
            return "database backups in the region's remote OSS backup bucket"
        return None

    def run(self, api, params: dict):
        name = api.name
        if name in _REMOTE_LISTS:
            return {"inventories": self._list(*_REMOTE_LISTS[name], params)}
        if name == "GetDataCenterFromRemote":
            return {"inventories": [{**b, "dcType": params.get("type") or "aliyun"}
                                    for r in self.remote.regions() for b in [self.remote.get("DataCenter", r, r)]]}
        if name == "GetIdentityZoneFromRemote":
            dc = self.h.get(DC, params.get("dataCenterUuid"))
            region = params.get("regionId") or dc["regionId"]
            return {"inventories": [b for _, b in self.remote.items("IdentityZone", region, region)]}
        if name == "GetEcsInstanceType":
            zone = self.h.get("IdentityZoneInventory", params.get("identityZoneUuid"))
            region = region_of(self.store, FAMILIES["IdentityZoneInventory"], zone)
            return {"types": [b for _, b in self.remote.items("InstanceType", region, zone["zoneId"])]}
        if name == "GetEcsInstanceVncUrl":
            return self._vnc(params.get("uuid"))
        if name in ("GetOssBucketFileFromRemote", "DeleteOssBucketFileRemote"):
            return self._files(params.get("uuid"), params.get("fileName") if name.startswith("Delete") else None)
        if name == "GetVpcVpnConfigurationFromRemote":
            fam = FAMILIES["VpcVpnConnectionInventory"]
            region, rid, _ = self.h.place(fam, self.h.get(fam.inv, params.get("uuid")))
            body = self.remote.get(fam.kind, region, rid)
            if body is None:
                raise fail("InvalidVpnConnectionInstanceId.NotFound", f"the VPN connection[{rid}] does not exist")
            return {"ikeConf": body.get("ikeConf"), "ipSecConf": body.get("ipSecConf")}
        return self._backup(name, params)

    def _vnc(self, uuid_: str) -> dict:
        fam = FAMILIES["EcsInstanceInventory"]
        region, rid, _ = self.h.place(fam, self.h.get(fam.inv, uuid_))
        body = self.remote.get(fam.kind, region, rid)
        if body is None:
            raise fail("InvalidInstanceId.NotFound", f"the instance[{rid}] does not exist")
        if body.get("ecsStatus") != "Running":
            raise fail("IncorrectInstanceStatus", f"the instance[{rid}] is {body.get('ecsStatus')}, not Running")
        return {"ecsId": rid, "vncUrl": f"{_VNC}?instanceId={rid}&isWindows=false&vncUrl=wss%3A%2F%2F"
                                        f"{region}.ecs-vnc.aliyuncs.com%2F{rid}"}

    # --- reads of the remote -----------------------------------------------------------------
    def _list(self, kind: str, scope: str, filters: dict, params: dict) -> list[dict]:
        fam = FAMILIES[kind + "Inventory"]
        sinv, row = find(self.store, (DC, *(fam.up[1] if fam.up else ())), params.get(scope))
        if row is None:
            raise argerr(f"invalid field[{scope}], resource[uuid:{params.get(scope)}] is not found")
        sfam = FAMILIES[sinv]
        region = region_of(self.store, sfam, row)
        items = self.remote.items(kind, region, None if sinv == DC else rid_of(sfam, row, self.store))
        for p, f in filters.items():
            if params.get(p):
                items = [(r, b) for r, b in items if b.get(f) == params[p]]
        return [b for _, b in items]

    def _files(self, bucket_uuid: str, delete: str | None):
        fam = FAMILIES["OssBucketInventory"]
        region, rid, _ = self.h.place(fam, self.h.get(fam.inv, bucket_uuid))
        files = {r: b for r, b in self.remote.items("OssFile", region, rid)}
        if delete is None:
            return {"files": [b["name"] for b in files.values()]}
        key = f"{rid}/{delete}"
        if key not in files:
            raise fail("NoSuchKey", f"the bucket[{rid}] has no file[{delete}]")
        self.remote.remove("OssFile", region, key)
        return None

    def _backup(self, name: str, params: dict):
        region = params.get("regionId")
        if name == "GetOssBackupBucketFromRemote":
            return {"inventories": [{"regionId": b["regionId"], "bucketName": b["bucketName"],
                                     "files": [f["name"] for _, f in self.remote.items("BackupFile", reg, rid)]}
                                    for reg in self.remote.regions()
                                    for rid, b in self.remote.items("BackupBucket", reg)]}
        if region not in self.remote.regions():
            raise fail("InvalidRegionId.NotFound", f"the region[{region}] does not exist")
        buckets = self.remote.items("BackupBucket", region)
        if name == "CreateOssBackupBucketRemote":
            if buckets:
                raise fail("BucketAlreadyExists", f"the region[{region}] has a backup bucket[{buckets[0][0]}]")
            rid = self.remote.mint("zstack-backup-", region, "BackupBucket", 12)
            self.remote.put("BackupBucket", region, rid, f"/{region}/{rid}/", {"bucketName": rid, "regionId": region})
            return None
        if not buckets:
            raise fail("NoSuchBucket", f"the region[{region}] has no backup bucket: create one first")
        bucket = buckets[0][0]
        files = {b["name"]: r for r, b in self.remote.items("BackupFile", region, bucket)}
        if name == "BackupDatabaseToPublicCloud":
            stamp = self.writer.now().replace("-", "").replace(":", "").replace(" ", "-")
            file = f"zstack-db-backup-{stamp}.gz"
            self.remote.put("BackupFile", region, f"{bucket}/{file}", f"/{region}/{bucket}/{bucket}/{file}/",
                            {"name": file, "bucketName": bucket, "createDate": self.writer.now()})
            return {"local": params.get("local") or f"{_BACKUP_DIR}/{file}", "remote": file, "regionId": region}
        file = params.get("file")
        if file not in files:
            raise fail("NoSuchKey", f"the backup bucket[{bucket}] has no file[{file}]")
        if name == "DeleteBackupFileInPublic":
            self.remote.remove("BackupFile", region, files[file])
            return None
        return {"local": f"{_BACKUP_DIR}/{file}"}
