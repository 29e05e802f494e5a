"""Actions on the remote cloud's objects: power, attach and detach, current keys and buckets, router interfaces,
snapshot garbage collection; and what a create derives (an instance's zone, type, CPU and address...).

Every action changes the remote object and its local inventory together (the remote twin is written again
from the local row), with the state checks Aliyun makes (``IncorrectInstanceStatus``, ``IncorrectDiskStatus``,
``IncorrectEipStatus``...). Reads of the remote are :mod:`zcli.sim.hybrid_reads`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json

from zcli.sim.failures import argerr
from zcli.sim.hybrid_model import FAMILIES, find, local_uuid, one, region_of, rid_of
from zcli.sim.hybrid_reads import RemoteReads, fail

_ECS = "EcsInstanceInventory"
_RULE = "AliyunNasAccessRuleInventory"
_REL = "ConnectionRelationShipInventory"
_RELATIONS = {"CreateConnectionBetweenL3NetworkAndAliyunVSwitch": "relates an L3 network, a VPC and a border router",
              "GetConnectionBetweenL3NetworkAndAliyunVSwitch": "the relations naming the resource"}
_SIDES = {"l3network": "l3networkUuid", "vpc": "vpcUuid", "vbr": "vbrUuid"}  # vroutervm: any side
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


class Actions:
    def __init__(self, hybrid):
        self.h = hybrid
        self.store = hybrid.store
        self.remote = hybrid.remote
        self.writer = hybrid.writer
        self.reads = RemoteReads(hybrid)

    def plan(self, api) -> str | None:
        name = api.name
        read = self.reads.plan(api)
        if read:
            return read
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
        if name == "GCAliyunSnapshotRemote":
            return "removes the remote snapshots whose disk is gone, and their inventories"
        if name in _RELATIONS:
            return _RELATIONS[name]
        if name == "GetCreateEcsImageProgress":
            return "the upload of a local image to the data center: done once its EcsImage exists"
        if name == "UpdateAliyunRouteInterfaceRemote":
            return "activates or deactivates a router interface (Active/Inactive)"
        return None

    def run(self, api, params: dict):
        name = api.name
        if self.reads.plan(api):
            return self.reads.run(api, params)
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
        if name == "GCAliyunSnapshotRemote":
            return self._gc(params.get("dataCenterUuid"))
        if name == "CreateConnectionBetweenL3NetworkAndAliyunVSwitch":
            return {"inventory": self._relate(params)}
        if name == "GetConnectionBetweenL3NetworkAndAliyunVSwitch":
            key = _SIDES.get(params.get("resourceType"))
            rows = [r for r in self.store.inventories(_REL, depth=0)
                    if params.get("uuid") in ([json.loads(r.get("relationShips") or "{}").get(key)] if key else
                                              json.loads(r.get("relationShips") or "{}").values())]
            return {"inventories": rows, "total": len(rows)}
        if name == "GetCreateEcsImageProgress":
            self.h.get("DataCenterInventory", params.get("dataCenterUuid"))
            found = self.store.inventories("EcsImageInventory", '"localImageUuid" = ? AND "dataCenterUuid" = ?',
                                           [params.get("imageUuid"), params.get("dataCenterUuid")], depth=0)
            if not found:
                raise argerr(f"no upload of the image[uuid:{params.get('imageUuid')}] to the data center "
                             f"[uuid:{params.get('dataCenterUuid')}]")
            return {"progress": {"progress": "100%", "stage": "Completed"}}
        return self._router_interface(params.get("uuid"), params.get("op"))

    # --- state -------------------------------------------------------------------------------
    def _move(self, inv: str, uuid_: str, field: str, before: str, after: str, code: str):
        row = self.h.get(inv, uuid_)
        if row.get(field) != before:
            raise fail(code, f"the {inv.removesuffix('Inventory')}[uuid:{uuid_}] is {row.get(field)}, not {before}")
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
                raise fail("IncorrectStatus", f"the router interface[{ri.get('routerInterfaceId')}] is Active")
        self._set(inv, b["uuid"], {"status": "Active", "oppositeInterfaceUuid": a["uuid"], "role": "AcceptingSide"})
        return self._set(inv, a["uuid"], {"status": "Active", "oppositeInterfaceUuid": b["uuid"],
                                          "role": "InitiatingSide"})

    def _disk(self, disk_uuid: str, ecs_uuid: str | None) -> dict:
        inv = "AliyunDiskInventory"
        disk = self.h.get(inv, disk_uuid)
        if ecs_uuid is None:
            if disk.get("status") != "In_use":
                raise fail("IncorrectDiskStatus", f"the disk[{disk.get('diskId')}] is not attached")
            return self._set(inv, disk["uuid"], {"status": "Available", "ecsInstanceUuid": None})
        ecs = self.h.get(_ECS, ecs_uuid)
        if disk.get("status") != "Available":
            raise fail("IncorrectDiskStatus", f"the disk[{disk.get('diskId')}] is {disk.get('status')}")
        if disk.get("identityZoneUuid") != ecs.get("identityZoneUuid"):
            raise fail("InvalidDiskId.ZoneMismatch", "the disk and the instance are in different zones")
        return self._set(inv, disk["uuid"], {"status": "In_use", "ecsInstanceUuid": ecs["uuid"]})

    def _eip(self, eip_uuid: str, ecs_uuid: str | None) -> dict:
        inv = "HybridEipAddressInventory"
        eip = self.h.get(inv, eip_uuid)
        if ecs_uuid is None:
            if eip.get("status") != "InUse":
                raise fail("IncorrectEipStatus", f"the EIP[{eip.get('eipId')}] is not bound")
            if one(self.store, _ECS, eip.get("allocateResourceUuid")):
                self._set(_ECS, eip["allocateResourceUuid"], {"publicIpAddress": None})
            return self._set(inv, eip["uuid"], {"status": "Available", "allocateResourceUuid": None,
                                                "allocateResourceType": None, "allocateTime": None})
        ecs = self.h.get(_ECS, ecs_uuid)
        if eip.get("status") != "Available":
            raise fail("IncorrectEipStatus", f"the EIP[{eip.get('eipId')}] is {eip.get('status')}")
        if ecs.get("publicIpAddress"):
            raise fail("InvalidAssociation.Duplicated", f"the instance[{ecs.get('ecsInstanceId')}] has a public IP")
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

    def _gc(self, dc_uuid: str) -> None:
        """Snapshots whose disk the remote no longer has go, on the remote and locally."""
        dc = self.h.get("DataCenterInventory", dc_uuid)
        region = dc["regionId"]
        disks = {rid for rid, _ in self.remote.items("AliyunDisk", region)}
        for rid, body in self.remote.items("AliyunSnapshot", region):
            if body.get("diskUuid") not in disks:
                self.remote.remove("AliyunSnapshot", region, rid)
                gone = local_uuid(self.store, ("AliyunSnapshotInventory",), rid)
                if gone:
                    self.writer.delete("AliyunSnapshotInventory", gone)
        return None

    def _router_interface(self, uuid_: str, op: str | None):
        inv = "AliyunRouterInterfaceInventory"
        ri = self.h.get(inv, uuid_)
        want = {"active": "Active", "inactive": "Inactive"}.get(op or "")
        if want is None:
            raise argerr(f"valid values of field[op] are [active, inactive], but got {op}")
        if want == "Active" and not ri.get("oppositeInterfaceUuid"):
            raise fail("IncorrectStatus", f"the router interface[{ri.get('routerInterfaceId')}] is connected to "
                                          "nothing: start a connection first")
        if ri.get("status") == want:
            raise fail("IncorrectStatus", f"the router interface[{ri.get('routerInterfaceId')}] is already {want}")
        self._set(inv, ri["uuid"], {"status": want})
        return None

    # --- what a create derives, and what follows it ------------------------------------------
    def derive(self, fam, row: dict, params: dict) -> None:
        inv, get = fam.inv, self.h.get
        if inv == "EcsVSwitchInventory":
            vpc = get("EcsVpcInventory", row.get("ecsVpcUuid"))
            from zcli.sim.hybrid import cidr_inside

            if not cidr_inside(str(row.get("cidrBlock")), str(vpc.get("cidrBlock"))):
                raise fail("InvalidCidrBlock.Malformed", f"{row.get('cidrBlock')} is not inside the VPC's "
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
            raise fail("InvalidSecurityGroupId.VPCMismatch",
                        "the security group and the vSwitch are in different VPCs")
        zone = self.h.get("IdentityZoneInventory", vsw.get("identityZoneUuid"))
        row["identityZoneUuid"] = zone["uuid"]
        region = region_of(self.store, FAMILIES["IdentityZoneInventory"], zone)
        offered = {b["typeId"]: b for _, b in self.remote.items("InstanceType", region, zone.get("zoneId"))}
        wanted = row.get("ecsInstanceType") or next(iter(offered), None)
        if wanted not in offered:
            raise fail("InvalidInstanceType.NotSupported", f"the zone[{zone.get('zoneId')}] offers no {wanted}")
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

    def _relate(self, params: dict) -> dict:
        """A ConnectionRelationShip: the L3 network, VPC and border router it joins (each must exist), kept as
        its ``relationShips`` (JSON), with the customer gateway IP and the direction."""
        self.writer._get("L3NetworkInventory", params.get("l3networkUuid"))
        self.h.get("EcsVpcInventory", params.get("vpcUuid"))
        self.h.get("VirtualBorderRouterInventory", params.get("vbrUuid"))
        sides = {k: params.get(k) for k in ("l3networkUuid", "vpcUuid", "vbrUuid", "cpeIp", "direction")}
        return self.writer.create(_REL, {"name": params.get("name"), "description": params.get("description"),
                                         "relationShips": json.dumps(sides, sort_keys=True),
                                         "resourceUuid": params.get("resourceUuid")})
