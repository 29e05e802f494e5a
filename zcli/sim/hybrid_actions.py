"""Actions on the remote cloud's objects: power, attach and detach, reads of the remote, database backups.

Every action changes the remote object and its local inventory together (the remote twin is written again
from the local row), with the state checks Aliyun makes (``IncorrectInstanceStatus``, ``IncorrectDiskStatus``,
``IncorrectEipStatus``...). Reads of the remote (``Get*FromRemote``, ``Get*Remote``) answer from
:mod:`zcli.sim.remote`, not from the local inventories: what a sync would bring. Kinds the management node
keeps no inventory of live only on the remote: the instance types a zone offers (``InstanceType``), the files
of an OSS bucket (``OssFile``), the database backup bucket of a region and its files (``BackupBucket``,
``BackupFile``).
"""

from __future__ import annotations

import hashlib
import ipaddress

from zcli.sim.failures import Failure, argerr
from zcli.sim.hybrid_model import DC, FAMILIES, find, one, region_of, rid_of

_ECS = "EcsInstanceInventory"
_RULE = "AliyunNasAccessRuleInventory"
_POWER = {"StartEcsInstance": ("Stopped", "Running"), "StopEcsInstance": ("Running", "Stopped"),
          "RebootEcsInstance": ("Running", "Running")}
_VBR = {"TerminateVirtualBorderRouterRemote": ("active", "terminated"),
        "RecoveryVirtualBorderRouterRemote": ("terminated", "active")}
_CURRENT = {"AttachAliyunKey": ("HybridAccountInventory", "uuid", "true"),
            "AttachHybridKey": ("HybridAccountInventory", "uuid", "true"),
            "DetachAliyunKey": ("HybridAccountInventory", "uuid", "false"),
            "DetachHybridKey": ("HybridAccountInventory", "uuid", "false"),
            "AttachOssBucketToEcsDataCenter": ("OssBucketInventory", "ossBucketUuid", "true"),
            "DetachOssBucketFromEcsDataCenter": ("OssBucketInventory", "ossBucketUuid", "false")}
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


def _fail(code: str, message: str) -> Failure:
    return Failure("SYS.1006", "An operation failed", f"aliyun: {code}: {message}")


class Actions:
    def __init__(self, hybrid):
        self.h = hybrid
        self.store = hybrid.store
        self.remote = hybrid.remote
        self.writer = hybrid.writer

    def plan(self, api) -> str | None:
        name = api.name
        if name in _POWER:
            return f"ECS instance power: {_POWER[name][0]} → {_POWER[name][1]} (remote and local)"
        if name in _VBR:
            return f"virtual border router: {_VBR[name][0]} → {_VBR[name][1]}"
        if name == "StartConnectionBetweenAliyunRouterInterface":
            return "connects two router interfaces (both Active, each the other's opposite)"
        if name in ("AttachAliyunDiskToEcs", "DetachAliyunDiskFromEcs"):
            return "attaches/detaches an Aliyun disk (In_use/Available, same zone)"
        if name in ("AttachHybridEipToEcs", "DetachHybridEipFromEcs"):
            return "binds/unbinds a hybrid EIP and an ECS instance's public IP"
        if name in _CURRENT:
            return f"makes the {_CURRENT[name][0].removesuffix('Inventory')} current (or not)"
        if name in _REMOTE_LISTS:
            return f"lists the remote cloud's {_REMOTE_LISTS[name][0]} objects"
        if name == "GetEcsInstanceType":
            return "lists the instance types the remote zone offers"
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
        if name in _POWER:
            return self._move(_ECS, params.get("uuid"), "ecsStatus", *_POWER[name], "IncorrectInstanceStatus")
        if name in _VBR:
            return self._move("VirtualBorderRouterInventory", params.get("uuid"), "status", *_VBR[name],
                              "IncorrectVbrStatus")
        if name == "StartConnectionBetweenAliyunRouterInterface":
            return {"inventory": self._connect(params.get("vrouterInterfaceUuid"), params.get("vbrInterfaceUuid"))}
        if name in ("AttachAliyunDiskToEcs", "DetachAliyunDiskFromEcs"):
            row = self._disk(params.get("diskUuid") or params.get("uuid"), params.get("ecsUuid"))
            return {"inventory": row} if api.reply_key else None
        if name in ("AttachHybridEipToEcs", "DetachHybridEipFromEcs"):
            row = self._eip(params.get("eipUuid"), params.get("ecsUuid") if name.startswith("Attach") else None)
            return {"inventory": row} if api.reply_key else None
        if name in _CURRENT:
            row = self._current(*_CURRENT[name], params)
            return {"inventory": row} if api.reply_key else None
        if name in _REMOTE_LISTS:
            return {"inventories": self._list(*_REMOTE_LISTS[name], params)}
        if name == "GetEcsInstanceType":
            zone = self.h.get("IdentityZoneInventory", params.get("identityZoneUuid"))
            region = region_of(self.store, FAMILIES["IdentityZoneInventory"], zone)
            return {"types": [b for _, b in self.remote.items("InstanceType", region, zone["zoneId"])]}
        if name in ("GetOssBucketFileFromRemote", "DeleteOssBucketFileRemote"):
            return self._files(params.get("uuid"), params.get("fileName") if name.startswith("Delete") else None)
        if name == "GetVpcVpnConfigurationFromRemote":
            fam = FAMILIES["VpcVpnConnectionInventory"]
            region, rid, _ = self.h.place(fam, self.h.get(fam.inv, params.get("uuid")))
            body = self.remote.get(fam.kind, region, rid)
            if body is None:
                raise _fail("InvalidVpnConnectionInstanceId.NotFound", f"the VPN connection[{rid}] does not exist")
            return {"ikeConf": body.get("ikeConf"), "ipSecConf": body.get("ipSecConf")}
        return self._backup(name, params)

    # --- state -------------------------------------------------------------------------------
    def _move(self, inv: str, uuid_: str, field: str, before: str, after: str, code: str):
        row = self.h.get(inv, uuid_)
        if row.get(field) != before:
            raise _fail(code, f"the {inv.removesuffix('Inventory')}[uuid:{uuid_}] is {row.get(field)}, not {before}")
        return {"inventory": self._set(inv, uuid_, {field: after})}

    def _set(self, inv: str, uuid_: str, changes: dict) -> dict:
        row = self.writer.update(inv, uuid_, changes)
        if inv in FAMILIES:
            self.h.publish(FAMILIES[inv], row)
        return row

    def _connect(self, first: str, second: str) -> dict:
        inv = "AliyunRouterInterfaceInventory"
        a, b = self.h.get(inv, first), self.h.get(inv, second)
        if a["uuid"] == b["uuid"]:
            raise argerr("a router interface cannot connect to itself")
        for ri in (a, b):
            if ri.get("status") == "Active":
                raise _fail("IncorrectStatus", f"the router interface[{ri.get('routerInterfaceId')}] is Active")
        self._set(inv, b["uuid"], {"status": "Active", "oppositeInterfaceUuid": a["uuid"], "role": "AcceptingSide"})
        return self._set(inv, a["uuid"], {"status": "Active", "oppositeInterfaceUuid": b["uuid"],
                                          "role": "InitiatingSide"})

    def _disk(self, disk_uuid: str, ecs_uuid: str | None) -> dict:
        inv = "AliyunDiskInventory"
        disk = self.h.get(inv, disk_uuid)
        if ecs_uuid is None:
            if disk.get("status") != "In_use":
                raise _fail("IncorrectDiskStatus", f"the disk[{disk.get('diskId')}] is not attached")
            return self._set(inv, disk["uuid"], {"status": "Available", "ecsInstanceUuid": None})
        ecs = self.h.get(_ECS, ecs_uuid)
        if disk.get("status") != "Available":
            raise _fail("IncorrectDiskStatus", f"the disk[{disk.get('diskId')}] is {disk.get('status')}")
        if disk.get("identityZoneUuid") != ecs.get("identityZoneUuid"):
            raise _fail("InvalidDiskId.ZoneMismatch", "the disk and the instance are in different zones")
        return self._set(inv, disk["uuid"], {"status": "In_use", "ecsInstanceUuid": ecs["uuid"]})

    def _eip(self, eip_uuid: str, ecs_uuid: str | None) -> dict:
        inv = "HybridEipAddressInventory"
        eip = self.h.get(inv, eip_uuid)
        if ecs_uuid is None:
            if eip.get("status") != "InUse":
                raise _fail("IncorrectEipStatus", f"the EIP[{eip.get('eipId')}] is not bound")
            if one(self.store, _ECS, eip.get("allocateResourceUuid")):
                self._set(_ECS, eip["allocateResourceUuid"], {"publicIpAddress": None})
            return self._set(inv, eip["uuid"], {"status": "Available", "allocateResourceUuid": None,
                                                "allocateResourceType": None, "allocateTime": None})
        ecs = self.h.get(_ECS, ecs_uuid)
        if eip.get("status") != "Available":
            raise _fail("IncorrectEipStatus", f"the EIP[{eip.get('eipId')}] is {eip.get('status')}")
        if ecs.get("publicIpAddress"):
            raise _fail("InvalidAssociation.Duplicated", f"the instance[{ecs.get('ecsInstanceId')}] has a public IP")
        self._set(_ECS, ecs["uuid"], {"publicIpAddress": eip.get("eipAddress")})
        return self._set(inv, eip["uuid"], {"status": "InUse", "allocateResourceUuid": ecs["uuid"],
                                            "allocateResourceType": "EcsInstance", "allocateTime": self.writer.now()})

    def _current(self, inv: str, param: str, value: str, params: dict) -> dict:
        row = self.h.get(inv, params.get(param))
        if value == "false" and row.get("current") != "true":
            raise argerr(f"the {inv.removesuffix('Inventory')}[uuid:{row['uuid']}] is not attached")
        if value == "true":  # one current key per account, one current bucket per data center
            peers = ("accountUuid",) if inv == "HybridAccountInventory" else ("dataCenterUuid",)
            where = " AND ".join(f'"{p}" IS ?' for p in peers)
            for other in self.store.inventories(inv, f"{where} AND uuid != ?", [row.get(p) for p in peers]
                                                + [row["uuid"]], depth=0):
                if other.get("current") == "true":
                    self.writer.update(inv, other["uuid"], {"current": "false"})
        return self.writer.update(inv, row["uuid"], {"current": value})

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
            raise _fail("NoSuchKey", f"the bucket[{rid}] has no file[{delete}]")
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
            raise _fail("InvalidRegionId.NotFound", f"the region[{region}] does not exist")
        buckets = self.remote.items("BackupBucket", region)
        if name == "CreateOssBackupBucketRemote":
            if buckets:
                raise _fail("BucketAlreadyExists", f"the region[{region}] has a backup bucket[{buckets[0][0]}]")
            rid = self.remote.mint("zstack-backup-", region, "BackupBucket", 12)
            self.remote.put("BackupBucket", region, rid, f"/{region}/{rid}/", {"bucketName": rid, "regionId": region})
            return None
        if not buckets:
            raise _fail("NoSuchBucket", f"the region[{region}] has no backup bucket: create one first")
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
            raise _fail("NoSuchKey", f"the backup bucket[{bucket}] has no file[{file}]")
        if name == "DeleteBackupFileInPublic":
            self.remote.remove("BackupFile", region, files[file])
            return None
        return {"local": f"{_BACKUP_DIR}/{file}"}

    # --- what a create derives, and what follows it ------------------------------------------
    def derive(self, fam, row: dict, params: dict) -> None:
        inv, get = fam.inv, self.h.get
        if inv == "EcsVSwitchInventory":
            vpc = get("EcsVpcInventory", row.get("ecsVpcUuid"))
            from zcli.sim.hybrid import cidr_inside

            if not cidr_inside(str(row.get("cidrBlock")), str(vpc.get("cidrBlock"))):
                raise _fail("InvalidCidrBlock.Malformed", f"{row.get('cidrBlock')} is not inside the VPC's "
                                                          f"{vpc.get('cidrBlock')}")
            row["availableIpAddressCount"] = ipaddress.ip_network(row["cidrBlock"], strict=False).num_addresses - 4
        elif inv == _ECS:
            self._instance(row, params)
        elif inv == "AliyunSnapshotInventory":
            disk = get("AliyunDiskInventory", row.get("diskUuid"))
            row["dataCenterUuid"] = get("IdentityZoneInventory", disk.get("identityZoneUuid")).get("dataCenterUuid")
        elif inv == "EcsImageInventory":
            if params.get("snapshotUuid"):
                row["dataCenterUuid"] = get("AliyunSnapshotInventory", params["snapshotUuid"]).get("dataCenterUuid")
            if row.get("localImageUuid"):
                image = get("ImageInventory", row["localImageUuid"])
                row.update(ecsImageSize=(image.get("size") or 0) >> 30, platform=image.get("platform"),
                           osName=image.get("guestOsType"), format=image.get("format") or "qcow2")
        elif inv == "HybridEipAddressInventory":
            row["bandWidth"] = str(row.get("bandWidth") or 1)
        elif inv == "VpcVirtualRouteEntryInventory":
            hinv, hop = find(self.store, (_ECS, "AliyunRouterInterfaceInventory", "VpcVpnGatewayInventory"),
                             params.get("nextHopUuid"))
            if hop is None:
                raise argerr(f"invalid field[nextHopUuid], resource[uuid:{params.get('nextHopUuid')}] is not found")
            row["nextHopId"] = rid_of(FAMILIES[hinv], hop, self.store)
        elif inv == "VpcVpnConnectionInventory":
            get("VpcVpnIkeConfigInventory", row.get("ikeConfigUuid"))
            get("VpcVpnIpSecConfigInventory", row.get("ipsecConfigUuid"))
        elif inv == "AliyunNasMountTargetInventory":
            fs = get("AliyunNasFileSystemInventory", row.get("nasFileSystemUuid"))
            n = self.store.count(inv, '"nasFileSystemUuid" = ?', [fs["uuid"]])
            region = region_of(self.store, FAMILIES["AliyunNasFileSystemInventory"], fs)
            row["mountDomain"] = f"{fs.get('fileSystemId')}-{n + 1:04x}.{region}.nas.aliyuncs.com"

    def _instance(self, row: dict, params: dict) -> None:
        vsw = self.h.get("EcsVSwitchInventory", row.get("ecsVSwitchUuid"))
        sg = self.h.get("EcsSecurityGroupInventory", row.get("ecsSecurityGroupUuid"))
        if sg.get("ecsVpcUuid") != vsw.get("ecsVpcUuid"):
            raise _fail("InvalidSecurityGroupId.VPCMismatch",
                        "the security group and the vSwitch are in different VPCs")
        zone = self.h.get("IdentityZoneInventory", vsw.get("identityZoneUuid"))
        row["identityZoneUuid"] = zone["uuid"]
        region = region_of(self.store, FAMILIES["IdentityZoneInventory"], zone)
        offered = {b["typeId"]: b for _, b in self.remote.items("InstanceType", region, zone.get("zoneId"))}
        wanted = row.get("ecsInstanceType") or next(iter(offered), None)
        if wanted not in offered:
            raise _fail("InvalidInstanceType.NotSupported", f"the zone[{zone.get('zoneId')}] offers no {wanted}")
        row.update(ecsInstanceType=wanted, cpuCores=offered[wanted]["cpu"], memorySize=offered[wanted]["memory"])
        if not row.get("privateIpAddress"):
            net = ipaddress.ip_network(vsw["cidrBlock"], strict=False)
            used = self.store.count(_ECS, '"ecsVSwitchUuid" = ?', [vsw["uuid"]])
            row["privateIpAddress"] = str(net.network_address + 10 + used)
        if str(params.get("allocatePublicIp")).lower() == "true":
            n = int(hashlib.sha1(str(params.get("name")).encode()).hexdigest()[:6], 16)
            row["publicIpAddress"] = f"121.{40 + n % 16}.{(n >> 4) % 256}.{(n >> 12) % 254 + 1}"

    def born(self, fam, created: dict, params: dict) -> None:
        if fam.inv == _RULE:
            self._rules(created["accessGroupUuid"])
        elif fam.inv == "HybridEipAddressInventory":  # the address the remote allocates, from the EIP's id
            n = int(hashlib.sha1(str(created.get("eipId")).encode()).hexdigest()[:8], 16)
            self._set(fam.inv, created["uuid"], {"eipAddress": f"47.{96 + n % 32}.{(n >> 5) % 256}."
                                                               f"{(n >> 13) % 254 + 1}"})
        elif fam.inv == "EcsVpcInventory":  # Aliyun makes a VPC's router with it
            router = self.h.create("VpcVirtualRouterInventory", {"name": params.get("vRouterName") or created["name"],
                                                                 "vpcUuid": created["uuid"]})
            self._set(fam.inv, created["uuid"], {"vRouterId": router["vrId"]})

    def gone(self, fam, row: dict) -> None:
        """Before a remote delete: an instance's disks come off it and its EIPs free; a rule leaves its group."""
        if fam.inv == _RULE:
            self._rules(row["accessGroupUuid"], without=row["uuid"])
        if fam.inv != _ECS:
            return
        for disk in self.store.inventories("AliyunDiskInventory", '"ecsInstanceUuid" = ?', [row["uuid"]], depth=0):
            self._set("AliyunDiskInventory", disk["uuid"], {"status": "Available", "ecsInstanceUuid": None})
        for eip in self.store.inventories("HybridEipAddressInventory", '"allocateResourceUuid" = ?', [row["uuid"]],
                                          depth=0):
            self._set("HybridEipAddressInventory", eip["uuid"], {"status": "Available", "allocateResourceUuid": None,
                                                                 "allocateResourceType": None})


    def _rules(self, group_uuid: str, without: str | None = None) -> None:
        """An access group's ``rules``: its rule inventories, as the server lists them."""
        rules = [r for r in self.store.inventories(_RULE, '"accessGroupUuid" = ?', [group_uuid], depth=0)
                 if r["uuid"] != without]
        self.writer.update("AliyunNasAccessGroupInventory", group_uuid, {"rules": rules})
