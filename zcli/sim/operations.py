"""Operations on the core resources that are neither a link, a setter nor a plain create: templates and
volumes made from other resources, clones, migrations, resizes, snapshot reverts, and the reads that
follow from them. Each one checks what the server checks (the resources exist, the state allows it, a
volume only grows) and changes the world as the server does; ``OPERATIONS`` names them for the coverage
table.
"""

from __future__ import annotations

import os
import platform
import time

from zcli.sim.byname import ByName
from zcli.sim.naming import as_list
from zcli.sim.refs import LinkFailure, _now
from zcli.sim.tables import q
from zcli.sim.trash import keep_image_bits, keep_volume_bits

_IDENTITY = {"uuid", "name", "description", "createDate", "lastOpDate", "state", "status", "type"}


def _state_error(kind: str, row: dict, what: str) -> LinkFailure:
    return LinkFailure(f"the {kind}[uuid:{row['uuid']}] is in state[{row.get('state')}], {what} is not allowed",
                       "SYS.1000", "Operation not allowed in the resource's current state")


class Operations(ByName):
    def operations(self) -> dict:
        return {
            "CreateRootVolumeTemplateFromRootVolume": ("image from a root volume", self.template_from_volume),
            "CreateDataVolumeTemplateFromVolume": ("image from a data volume", self.template_from_volume),
            "CreateRootVolumeTemplateFromVolumeSnapshot": (
                "image from a snapshot", lambda p: self.template_from_snapshot(p, "RootVolumeTemplate")),
            "CreateDataVolumeTemplateFromVolumeSnapshot": (
                "image from a snapshot", lambda p: self.template_from_snapshot(p, "DataVolumeTemplate")),
            "CreateDataVolumeFromVolumeSnapshot": ("data volume from a snapshot", self.volume_from_snapshot),
            "CreateDataVolumeFromVolumeTemplate": ("data volume from a template", self.volume_from_template),
            "CloneVmInstance": ("new VMs like the source (image, offering, networks)", self.clone_vm),
            "MigrateVm": ("moves a running VM to another host of its cluster", self.migrate_vm),
            "PrimaryStorageMigrateVolume": ("moves a volume to another primary storage", self.migrate_volume),
            "PrimaryStorageMigrateVm": ("moves a stopped VM's volumes to another primary storage",
                                        self.migrate_vm_storage),
            "LocalStorageMigrateVolume": ("moves a local volume to another host", self.migrate_local_volume),
            "BackupStorageMigrateImage": ("moves an image to another backup storage", self.migrate_image),
            "ResizeDataVolume": ("grows a data volume", self.resize_volume),
            "ResizeRootVolume": ("grows a root volume", self.resize_volume),
            "RevertVolumeFromSnapshot": ("reverts a volume (VM stopped) to a snapshot", self.revert_snapshot),
            "BatchDeleteVolumeSnapshot": ("deletes snapshots", self.delete_snapshots),
            "ReimageVmInstance": ("resets a stopped VM's root volume to its image", self.reimage),
            "PowerOffHost": ("hosts Disconnected, their VMs Stopped", self.power_off_hosts),
            "GetVolumeFormat": ("formats of the world's volumes and images", self.volume_formats),
            "GetL3NetworkIpStatistic": ("the used IPs of an L3 and what uses them", self.ip_statistic),
            "CheckVipPortAvailability": ("ports the VIP's rules and listeners use", self.vip_port_free),
            "GetVipAvailablePort": ("ports the VIP's rules and listeners leave free", self.vip_free_ports),
            "ValidateSecurityGroupRule": ("a rule the group does not hold yet", self.validate_rule),
            "GetVmNicAttachedNetworkService": ("network services of the NIC's L3", self.nic_services),
            "LocalStorageGetVolumeMigratableHosts": ("other hosts of the storage's clusters", self.volume_hosts),
            "GetCurrentTime": ("the management node's clock", self.current_time),
            "GetPlatformTimeZone": ("the management node's time zone", self.time_zone),
            "GetManagementNodeArch": ("the management node's architecture", self.arch),
            "GetManagementNodeOS": ("the management node's operating system", self.node_os),
            "GetSupportAPIs": ("the catalogue's APIs", self.support_apis),
        }

    # --- helpers -----------------------------------------------------------------------------
    def _get(self, inv: str, value, param: str) -> dict:
        if value in (None, ""):
            raise LinkFailure(f"missing mandatory field[{param}]")
        return self.writer._get(inv, value)

    def _copy(self, source: dict, target: str) -> dict:
        kinds = self.store.specs[target].kinds
        return {k: v for k, v in source.items() if k in kinds and k not in _IDENTITY and not k.endswith("Uuid")}

    def _image(self, params: dict, source: dict, media: str, vm: dict | None) -> dict:
        row = {**self._copy(source, "ImageInventory"), "name": params.get("name"),
               "description": params.get("description"), "mediaType": media, "type": "zstack", "status": "Ready",
               "state": "Enabled", "format": source.get("format") or "qcow2", "system": bool(params.get("system")),
               "platform": params.get("platform") or (vm or {}).get("platform"),
               "guestOsType": params.get("guestOsType") or (vm or {}).get("guestOsType"),
               "architecture": params.get("architecture") or (vm or {}).get("architecture")}
        image = self.writer.create("ImageInventory", {k: v for k, v in row.items() if v is not None})
        stores = as_list(params.get("backupStorageUuids")) or as_list(params.get("backupStorageUuid"))
        if not stores:
            _, rows = self.store.read('SELECT uuid FROM "BackupStorageInventory" ORDER BY rowid LIMIT 1')
            stores = [r[0] for r in rows]
        _, ids = self.store.read('SELECT COALESCE(MAX(id), 0) FROM "ImageBackupStorageRefInventory"')
        with self.store.transaction() as cur:
            for i, bs in enumerate(stores):
                self.writer._get("BackupStorageInventory", bs)
                self.store.insert_many(cur, "ImageBackupStorageRefInventory", [{
                    "id": ids[0][0] + i + 1, "imageUuid": image["uuid"], "backupStorageUuid": bs, "status": "Ready",
                    "installPath": f"/zstack_bs/{image['uuid']}", "createDate": _now(), "lastOpDate": _now()}])
        return {"inventory": self.writer._get("ImageInventory", image["uuid"])}

    # --- templates, volumes and VMs made from others ---------------------------------------------
    def template_from_volume(self, params: dict):
        root = "rootVolumeUuid" in params
        vol = self._get("VolumeInventory", params.get("rootVolumeUuid") or params.get("volumeUuid"),
                        "rootVolumeUuid" if root else "volumeUuid")
        if (vol.get("type") == "Root") != root:
            raise LinkFailure(f"the volume[uuid:{vol['uuid']}] is a {vol.get('type')} volume")
        vm = self.writer._get("VmInstanceInventory", vol["vmInstanceUuid"]) if vol.get("vmInstanceUuid") else None
        return self._image(params, vol, "RootVolumeTemplate" if root else "DataVolumeTemplate", vm)

    def template_from_snapshot(self, params: dict, media: str):
        snap = self._get("VolumeSnapshotInventory", params.get("snapshotUuid"), "snapshotUuid")
        vol = self.writer._get("VolumeInventory", snap["volumeUuid"])
        vm = self.writer._get("VmInstanceInventory", vol["vmInstanceUuid"]) if vol.get("vmInstanceUuid") else None
        return self._image(params, {**vol, "actualSize": snap.get("size")}, media, vm)

    def _new_volume(self, params: dict, size, ps: str | None, fmt: str) -> dict:
        if ps:
            self.writer._get("PrimaryStorageInventory", ps)
        vol = self.writer.create("VolumeInventory", {
            "name": params.get("name"), "description": params.get("description"), "type": "Data", "size": size,
            "actualSize": 0, "format": fmt, "primaryStorageUuid": ps, "isShareable": False})
        if params.get("vmInstanceUuid"):
            vol = self.writer.mechanisms.links.run(self.catalog.api("AttachDataVolumeToVm"),
                                                   {"volumeUuid": vol["uuid"],
                                                    "vmInstanceUuid": params["vmInstanceUuid"]})["inventory"]
        return {"inventory": vol}

    def volume_from_snapshot(self, params: dict):
        snap = self._get("VolumeSnapshotInventory", params.get("volumeSnapshotUuid"), "volumeSnapshotUuid")
        vol = self.writer._get("VolumeInventory", snap["volumeUuid"])
        return self._new_volume(params, vol.get("size"), params.get("primaryStorageUuid") or snap.get(
            "primaryStorageUuid"), snap.get("format") or "qcow2")

    def volume_from_template(self, params: dict):
        image = self._get("ImageInventory", params.get("imageUuid"), "imageUuid")
        if image.get("mediaType") != "DataVolumeTemplate":
            raise LinkFailure(f"the image[uuid:{image['uuid']}] is a {image.get('mediaType')}, not a data volume "
                              "template")
        return self._new_volume(params, image.get("size"), params.get("primaryStorageUuid"),
                                image.get("format") or "qcow2")

    def clone_vm(self, params: dict):
        vm = self._get("VmInstanceInventory", params.get("vmInstanceUuid"), "vmInstanceUuid")
        if vm.get("state") not in ("Running", "Stopped", "Paused"):
            raise _state_error("vm", vm, "cloning")
        names = as_list(params.get("names"))
        if not names:
            raise LinkFailure("missing mandatory field[names]")
        nics = self.store.inventories("VmNicInventory", "vmInstanceUuid = ?", [vm["uuid"]], order="deviceId", depth=0)
        made = []
        for name in names:
            spec = {"name": name, "imageUuid": vm.get("imageUuid"),
                    "l3NetworkUuids": [n["l3NetworkUuid"] for n in nics],
                    "defaultL3NetworkUuid": vm.get("defaultL3NetworkUuid"), "clusterUuid": vm.get("clusterUuid"),
                    "strategy": params.get("strategy") or "InstantStart",
                    "primaryStorageUuidForRootVolume": params.get("primaryStorageUuidForRootVolume")}
            if vm.get("instanceOfferingUuid"):
                spec["instanceOfferingUuid"] = vm["instanceOfferingUuid"]
            else:
                spec.update(cpuNum=vm.get("cpuNum"), memorySize=vm.get("memorySize"))
            made.append({"inventory": self.writer.create("VmInstanceInventory", spec)})
        return {"result": {"numberOfClonedVm": len(made), "inventories": made}}

    # --- migrations ----------------------------------------------------------------------------
    def migrate_vm(self, params: dict):
        vm = self._get("VmInstanceInventory", params.get("vmInstanceUuid"), "vmInstanceUuid")
        if vm.get("state") != "Running":
            raise _state_error("vm", vm, "live migration")
        if params.get("hostUuid"):
            host = self.writer._get("HostInventory", params["hostUuid"])
            if host["uuid"] == vm.get("hostUuid"):
                raise LinkFailure(f"the vm[uuid:{vm['uuid']}] is already on the host[uuid:{host['uuid']}]")
            if host.get("state") != "Enabled" or host.get("status") != "Connected":
                raise LinkFailure(f"the host[uuid:{host['uuid']}] is {host.get('state')}/{host.get('status')}")
        else:
            found = self.store.inventories(
                "HostInventory", "clusterUuid = ? AND uuid != ? AND state = 'Enabled' AND status = 'Connected'",
                [vm.get("clusterUuid"), vm.get("hostUuid") or ""], depth=0, limit=1,
                order='(SELECT COUNT(*) FROM "VmInstanceInventory" v WHERE v.hostUuid = "HostInventory".uuid), uuid')
            if not found:
                raise LinkFailure(f"no other Enabled and Connected host in the cluster of the vm[uuid:{vm['uuid']}]",
                                  "HOST_ALLOCATION.1001", "No available host found")
            host = found[0]
        return {"inventory": self.writer.update("VmInstanceInventory", vm["uuid"], {
            "hostUuid": host["uuid"], "lastHostUuid": host["uuid"], "clusterUuid": host.get("clusterUuid")})}

    def _check_ps_move(self, vol: dict, dst: dict) -> None:
        if dst["uuid"] == vol.get("primaryStorageUuid"):
            raise LinkFailure(f"the volume[uuid:{vol['uuid']}] is already on the primary storage[uuid:{dst['uuid']}]")
        src = self.writer._get("PrimaryStorageInventory", vol["primaryStorageUuid"]) if vol.get(
            "primaryStorageUuid") else {}
        if src and src.get("zoneUuid") != dst.get("zoneUuid"):
            raise LinkFailure("the destination primary storage is in another zone")

    def migrate_volume(self, params: dict):
        vol = self._get("VolumeInventory", params.get("volumeUuid"), "volumeUuid")
        dst = self._get("PrimaryStorageInventory", params.get("dstPrimaryStorageUuid"), "dstPrimaryStorageUuid")
        self._check_ps_move(vol, dst)
        if vol.get("vmInstanceUuid"):
            vm = self.writer._get("VmInstanceInventory", vol["vmInstanceUuid"])
            if vm.get("state") != "Stopped":
                raise _state_error("vm", vm, "migrating its volume")
        keep_volume_bits(self.writer, vol, "MigrateVolume")
        return {"inventory": self.writer.update("VolumeInventory", vol["uuid"], {"primaryStorageUuid": dst["uuid"]})}

    def migrate_vm_storage(self, params: dict):
        vm = self._get("VmInstanceInventory", params.get("vmInstanceUuid"), "vmInstanceUuid")
        dst = self._get("PrimaryStorageInventory", params.get("dstPrimaryStorageUuid"), "dstPrimaryStorageUuid")
        if vm.get("state") != "Stopped":
            raise _state_error("vm", vm, "storage migration")
        where = "vmInstanceUuid = ?" + ("" if params.get("withDataVolumes") in (True, "true") else " AND type = 'Root'")
        for vol in self.store.inventories("VolumeInventory", where, [vm["uuid"]], depth=0):
            self._check_ps_move(vol, dst)
            self.writer.update("VolumeInventory", vol["uuid"], {"primaryStorageUuid": dst["uuid"]})
        return {"inventory": self.writer._get("VmInstanceInventory", vm["uuid"])}

    def migrate_local_volume(self, params: dict):
        vol = self._get("VolumeInventory", params.get("volumeUuid"), "volumeUuid")
        host = self._get("HostInventory", params.get("destHostUuid"), "destHostUuid")
        ps = self.writer._get("PrimaryStorageInventory", vol.get("primaryStorageUuid"))
        if ps.get("type") != "LocalStorage":
            raise LinkFailure(f"the volume[uuid:{vol['uuid']}] is not on local storage")
        with self.store.transaction() as cur:
            cur.execute('DELETE FROM "LocalStorageResourceRefInventory" WHERE resourceUuid = ?', (vol["uuid"],))
            ref = {"resourceUuid": vol["uuid"], "primaryStorageUuid": ps["uuid"], "hostUuid": host["uuid"],
                   "size": vol.get("size"), "resourceType": "VolumeVO", "createDate": _now(), "lastOpDate": _now()}
            self.store.insert_many(cur, "LocalStorageResourceRefInventory", [ref])
        return {"inventory": self.store.inventories("LocalStorageResourceRefInventory", "resourceUuid = ?",
                                                    [vol["uuid"]])[0]}

    def migrate_image(self, params: dict):
        image = self._get("ImageInventory", params.get("imageUuid"), "imageUuid")
        src = self._get("BackupStorageInventory", params.get("srcBackupStorageUuid"), "srcBackupStorageUuid")
        dst = self._get("BackupStorageInventory", params.get("dstBackupStorageUuid"), "dstBackupStorageUuid")
        if not self.store.count("ImageBackupStorageRefInventory", "imageUuid = ? AND backupStorageUuid = ?",
                                [image["uuid"], src["uuid"]]):
            raise LinkFailure(f"the image[uuid:{image['uuid']}] is not on the backup storage[uuid:{src['uuid']}]")
        keep_image_bits(self.writer, image, src)
        with self.store.transaction() as cur:
            cur.execute('UPDATE "ImageBackupStorageRefInventory" SET backupStorageUuid = ? WHERE imageUuid = ? AND '
                        "backupStorageUuid = ?", (dst["uuid"], image["uuid"], src["uuid"]))
        return {"inventory": self.writer._get("ImageInventory", image["uuid"])}

    # --- volumes, snapshots, VMs ---------------------------------------------------------------
    def resize_volume(self, params: dict):
        uuid_ = params.get("uuid")
        if not uuid_ and params.get("vmInstanceUuid"):
            uuid_ = self.writer._get("VmInstanceInventory", params["vmInstanceUuid"]).get("rootVolumeUuid")
        vol = self._get("VolumeInventory", uuid_, "uuid")
        size = int(params.get("size") or 0)
        if size < (vol.get("size") or 0):
            raise LinkFailure(f"the new size[{size}] is smaller than the volume's size[{vol.get('size')}]; a volume "
                              "only grows")
        return {"inventory": self.writer.update("VolumeInventory", vol["uuid"], {"size": size})}

    def revert_snapshot(self, params: dict):
        snap = self._get("VolumeSnapshotInventory", params.get("uuid"), "uuid")
        vol = self.writer._get("VolumeInventory", snap["volumeUuid"])
        if vol.get("vmInstanceUuid"):
            vm = self.writer._get("VmInstanceInventory", vol["vmInstanceUuid"])
            if vm.get("state") != "Stopped":
                raise _state_error("vm", vm, "reverting its volume")
        with self.store.transaction() as cur:
            cur.execute('UPDATE "VolumeSnapshotInventory" SET latest = 0 WHERE volumeUuid = ?', (vol["uuid"],))
            cur.execute('UPDATE "VolumeSnapshotInventory" SET latest = 1 WHERE uuid = ?', (snap["uuid"],))
        self.writer.update("VolumeInventory", vol["uuid"], {"actualSize": snap.get("size"),
                                                            **keep_volume_bits(self.writer, vol, "RevertVolume", True)})
        return None

    def delete_snapshots(self, params: dict):
        results = []
        for u in as_list(params.get("uuids")):
            found = self.store.count("VolumeSnapshotInventory", "uuid = ?", [u])
            if found:
                with self.store.transaction() as cur:
                    cur.execute('UPDATE "VolumeSnapshotInventory" SET parentUuid = NULL WHERE parentUuid = ?', (u,))
                self.writer.delete("VolumeSnapshotInventory", u)
            results.append({"snapshotUuid": u, "success": bool(found),
                            **({} if found else {"error": {"code": "SYS.1007", "details": "not found"}})})
        return {"results": results}

    def reimage(self, params: dict):
        vm = self._get("VmInstanceInventory", params.get("vmInstanceUuid"), "vmInstanceUuid")
        if vm.get("state") != "Stopped":
            raise _state_error("vm", vm, "reimaging")
        image = self.writer._get("ImageInventory", vm.get("imageUuid"))
        root = self.writer._get("VolumeInventory", vm["rootVolumeUuid"])
        self.writer.update("VolumeInventory", root["uuid"], {"actualSize": image.get("actualSize"), "rootImageUuid":
                           image["uuid"], **keep_volume_bits(self.writer, root, "ReimageVolume", True)})
        return {"inventory": self.writer.update("VmInstanceInventory", vm["uuid"], {})}

    def power_off_hosts(self, params: dict):
        results = []
        for h in as_list(params.get("hostUuids")):
            self.writer.mechanisms.lifecycle.host_power(self.writer._get("HostInventory", h)["uuid"], "Stopped")
            results.append({"hostUuid": h, "success": True})
        return {"results": results}

    # --- reads ---------------------------------------------------------------------------------
    def volume_formats(self, params: dict):
        _, rows = self.store.read('SELECT format FROM "VolumeInventory" WHERE format IS NOT NULL UNION '
                                  'SELECT format FROM "ImageInventory" WHERE format IS NOT NULL ORDER BY 1')
        _, hv = self.store.read('SELECT DISTINCT hypervisorType FROM "HostInventory" WHERE hypervisorType IS NOT NULL')
        types = [r[0] for r in hv]
        return {"formats": [{"format": r[0], "masterHypervisorType": types[0] if types else None,
                             "supportingHypervisorTypes": types} for r in rows]}

    def ip_statistic(self, params: dict):
        l3 = self._get("L3NetworkInventory", params.get("l3NetworkUuid"), "l3NetworkUuid")
        where, bound = "u.l3NetworkUuid = ?", [l3["uuid"]]
        if params.get("ip"):
            where += " AND u.ip = ?"
            bound.append(params["ip"])
        _, rows = self.store.read(
            'SELECT u.ip, u.usedFor, n.vmInstanceUuid, v.name, v.state, u.uuid FROM "UsedIpInventory" u '
            'LEFT JOIN "VmNicInventory" n ON n.uuid = u.vmNicUuid LEFT JOIN "VmInstanceInventory" v ON '
            f"v.uuid = n.vmInstanceUuid WHERE {where} ORDER BY u.ipInLong, u.ip", bound)
        stats = [{"ip": ip, "resourceTypes": [used or "Other"], "vmInstanceUuid": vm, "vmInstanceName": name,
                  "state": state, "usedIpUuid": used_uuid} for ip, used, vm, name, state, used_uuid in rows]
        start, limit = int(params.get("start") or 0), int(params.get("limit") or 20)
        return {"ipStatistics": stats[start:start + limit], "total": len(stats)}

    def _vip_ports(self, vip_uuid: str) -> set[int]:
        used: set[int] = set()
        _, rows = self.store.read('SELECT vipPortStart, vipPortEnd FROM "PortForwardingRuleInventory" '
                                  "WHERE vipUuid = ?", [vip_uuid])
        for a, b in rows:
            if a is not None:
                used.update(range(int(a), int(b if b is not None else a) + 1))
        _, rows = self.store.read('SELECT l.loadBalancerPort FROM "LoadBalancerListenerInventory" l JOIN '
                                  '"LoadBalancerInventory" b ON b.uuid = l.loadBalancerUuid WHERE b.vipUuid = ?',
                                  [vip_uuid])
        used.update(int(r[0]) for r in rows if r[0] is not None)
        return used

    def vip_port_free(self, params: dict):
        vip = self._get("VipInventory", params.get("vipUuid"), "vipUuid")
        return {"available": int(params.get("port") or 0) not in self._vip_ports(vip["uuid"])}

    def vip_free_ports(self, params: dict):
        vip = self._get("VipInventory", params.get("vipUuid"), "vipUuid")
        used = self._vip_ports(vip["uuid"])
        start, limit = int(params.get("start") or 1), int(params.get("limit") or 100)
        free = [p for p in range(max(start, 1), 65536) if p not in used][:limit]
        return {"availablePort": free}

    def validate_rule(self, params: dict):
        sg = self._get("SecurityGroupInventory", params.get("securityGroupUuid"), "securityGroupUuid")
        where, bound = ["securityGroupUuid = ?"], [sg["uuid"]]
        for f in ("type", "protocol", "srcIpRange", "dstIpRange", "dstPortRange", "remoteSecurityGroupUuid"):
            if params.get(f) not in (None, ""):
                where.append(f"{q(f)} = ?")
                bound.append(params[f])
        if self.store.count("SecurityGroupRuleInventory", " AND ".join(where), bound):
            return {"available": False, "code": "SG.1001", "reason": "the security group holds the same rule"}
        return {"available": True}

    def nic_services(self, params: dict):
        nic = self._get("VmNicInventory", params.get("vmNicUuid"), "vmNicUuid")
        _, rows = self.store.read('SELECT DISTINCT networkServiceType FROM "NetworkServiceL3NetworkRefInventory" '
                                  "WHERE l3NetworkUuid = ? ORDER BY 1", [nic.get("l3NetworkUuid")])
        return {"networkServices": [r[0] for r in rows]}

    def volume_hosts(self, params: dict):
        vol = self._get("VolumeInventory", params.get("volumeUuid"), "volumeUuid")
        _, rows = self.store.read('SELECT hostUuid FROM "LocalStorageResourceRefInventory" WHERE resourceUuid = ?',
                                  [vol["uuid"]])
        here = rows[0][0] if rows else ""
        hosts = self.store.inventories(
            "HostInventory", 'clusterUuid IN (SELECT clusterUuid FROM "PrimaryStorageClusterRefInventory" WHERE '
            "primaryStorageUuid = ?) AND uuid != ? AND state = 'Enabled' AND status = 'Connected'",
            [vol.get("primaryStorageUuid"), here], order="rowid")
        return {"inventories": hosts}

    def current_time(self, params: dict):
        now = time.time()
        return {"currentTime": {"MillisecondsTime": int(now * 1000), "SecondsTime": int(now)}}

    def time_zone(self, params: dict):
        offset = -time.altzone if time.daylight and time.localtime().tm_isdst else -time.timezone
        sign = "+" if offset >= 0 else "-"
        return {"timezone": os.environ.get("TZ") or time.tzname[0],
                "offset": f"{sign}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"}

    def arch(self, params: dict):
        return {"architecture": platform.machine()}

    def node_os(self, params: dict):
        return {"name": platform.system(), "version": platform.release()}

    def support_apis(self, params: dict):
        return {"supportApis": list(self.catalog.api_names)}
