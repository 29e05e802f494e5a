"""What the demo world's hosts and storage report that no API creates: the agents' side of the world.

* storage trash: the bits an earlier migration left on the first primary storage and on the backup storage
  (see :mod:`zcli.sim.trash`);
* image caches: each primary storage caches the images its root volumes were made from, plus a cache of
  an image that is gone and one of an image no volume uses;
* PCI devices of the first host (the agent's ``lspci``): a GPU that can be split into mediated devices, with
  the mdev specs it supports, an SR-IOV capable NIC, and an mtty device (see :mod:`zcli.sim.vdevices`);
* on the backup storage, a backup of the first stopped VM (its volumes' backups, one group) and a backup of
  the management node's database (see :mod:`zcli.sim.backups`);
* the management node's console proxy agent, Connected (see :mod:`zcli.sim.guests`);
* a global configuration template with two entries (see :mod:`zcli.sim.template_configs`).
"""

from __future__ import annotations

import json

_GB = 1 << 30


def add_leftovers(w) -> None:
    pss = w.rows.get("PrimaryStorageInventory", [])
    bss = w.rows.get("BackupStorageInventory", [])
    volumes = w.rows.get("VolumeInventory", [])
    images = w.rows.get("ImageInventory", [])
    hosts = w.rows.get("HostInventory", [])
    trash_id = 0
    if pss and volumes:
        trash_id += 1
        w.add("InstallPathRecycleInventory", trashId=trash_id, resourceUuid=w.uid(), resourceType="VolumeVO",
              storageUuid=pss[0]["uuid"], storageType=pss[0]["type"], installPath="/zstack_ps/dataVolumes/migrated-1",
              isFolder=False, hostUuid=hosts[0]["uuid"] if hosts else None, hypervisorType="KVM", size=2 * _GB,
              trashType="MigrateVolume")
    if bss and images:
        trash_id += 1
        w.add("InstallPathRecycleInventory", trashId=trash_id, resourceUuid=images[0]["uuid"], resourceType="ImageVO",
              storageUuid=bss[0]["uuid"], storageType=bss[0]["type"], installPath="/zstack_bs/migrated/image-1",
              isFolder=False, hypervisorType="KVM", size=3 * _GB, trashType="MigrateImage")
    _image_caches(w, pss, volumes, images)
    if hosts:
        _pci_devices(w, hosts[0])
    if bss:
        _backups(w, bss[0], volumes)
    template = w.entity("GlobalConfigTemplateInventory", "large-scale", type="User",
                        description="settings for a site of thousands of hosts")
    for category, name, default, value in (("host", "ping.interval", "60", "120"),
                                           ("host", "load.parallelismDegree", "100", "200")):
        w.add("TemplateConfigInventory", templateUuid=template["uuid"], category=category, name=name,
              defaultValue=default, value=value)
    w.entity("ConsoleProxyAgentInventory", "console-proxy", managementIp="172.20.0.1", consoleProxyPort=4900,
             consoleProxyOverriddenIp="0.0.0.0", type="ManagementServerConsoleProxy", status="Connected",
             state="Enabled", description="the management node's console proxy")


def _backups(w, bs: dict, volumes: list[dict]) -> None:
    """A VM backup (a backup of each volume of the first stopped VM, one group) and a database backup."""
    vms = [v for v in w.rows.get("VmInstanceInventory", []) if v.get("state") == "Stopped"]
    if vms:
        vm, group = vms[0], w.uid()
        for vol in (v for v in volumes if v.get("vmInstanceUuid") == vm["uuid"]):
            backup = w.entity("VolumeBackupInventory", f"backup-{vol['name']}", volumeUuid=vol["uuid"],
                              vmInstanceUuid=vm["uuid"], type=vol["type"], state="Enabled", status="Ready",
                              size=vol["actualSize"], groupUuid=group, mode="full")
            ref = w.add("VolumeBackupStorageRefInventory", volumeBackupUuid=backup["uuid"],
                        backupStorageUuid=bs["uuid"], installPath=f"/zstack_bs/backups/{backup['uuid']}",
                        status="Ready")
            backup["backupStorageRefs"] = [ref]
    db = w.entity("DatabaseBackupInventory", "zstack-db-backup-1", state="Enabled", status="Ready", size=200 << 20)
    ref = w.add("DatabaseBackupStorageRefInventory", databaseBackupUuid=db["uuid"], backupStorageUuid=bs["uuid"],
                installPath=f"/zstack_bs/database/{db['uuid']}.gz", status="Ready")
    db["backupStorageRefs"] = [ref]


def _image_caches(w, pss, volumes, images) -> None:
    by_uuid = {i["uuid"]: i for i in images}
    n = 0
    for ps in pss:
        used = sorted({v["rootImageUuid"] for v in volumes
                       if v.get("primaryStorageUuid") == ps["uuid"] and v.get("rootImageUuid") in by_uuid})
        for image in used:
            n += 1
            w.add("ImageCacheInventory", id=n, primaryStorageUuid=ps["uuid"], imageUuid=image,
                  installUrl=f"{ps.get('mountPath') or ps.get('url')}/imagecache/template/{image}.qcow2",
                  mediaType=by_uuid[image]["mediaType"], size=by_uuid[image]["actualSize"], md5sum="not calculated",
                  state="ready")
    if pss and images:
        iso = next((i for i in images if i["mediaType"] == "ISO"), images[-1])
        for image, size in ((w.uid(), 2 * _GB), (iso["uuid"], iso["actualSize"])):
            n += 1
            w.add("ImageCacheInventory", id=n, primaryStorageUuid=pss[0]["uuid"], imageUuid=image,
                  installUrl=f"/zstack_ps/imagecache/template/{image}", mediaType="ISO", size=size,
                  md5sum="not calculated", state="ready")


def _pci_devices(w, host: dict) -> None:
    common = dict(hostUuid=host["uuid"], state="Enabled", status="Active", chooser="None")
    w.entity("PciDeviceInventory", "NVIDIA A10", type="GPU_3D_Controller", virtStatus="VFIO_MDEV_VIRTUALIZABLE",
             vendorId="10de", vendor="NVIDIA Corporation", deviceId="2236", device="GA102GL [A10]",
             subvendorId="10de", subdeviceId="1482", pciDeviceAddress="0000:3b:00.0", iommuGroup="/sys/kernel/"
             "iommu_groups/40", rev="a1", description="a GPU that can be split into mediated devices", **common)
    gpu = w.rows["PciDeviceInventory"][-1]
    for name, parts, memory in (("GRID A10-4Q", 6, "4096M"), ("GRID A10-8Q", 3, "8192M")):
        spec = w.entity("MdevDeviceSpecInventory", name, type="GPU", state="Enabled", vendor="NVIDIA",
                        specification=json.dumps({"max_instance": parts, "framebuffer": memory}),
                        description=f"{parts} mediated devices of {memory}")
        w.add("PciDeviceMdevSpecRefInventory", pciDeviceUuid=gpu["uuid"], mdevSpecUuid=spec["uuid"], effective=False)
    w.entity("PciDeviceInventory", "Intel X710", type="Ethernet_Controller", virtStatus="SRIOV_VIRTUALIZABLE",
             vendorId="8086", vendor="Intel Corporation", deviceId="1572", device="Ethernet Controller X710 for 10GbE",
             subvendorId="8086", subdeviceId="0000", pciDeviceAddress="0000:5e:00.0",
             iommuGroup="/sys/kernel/iommu_groups/52", rev="02", metaData=json.dumps({"totalVfs": 64}),
             description="an SR-IOV capable NIC", **common)
    w.entity("MttyDeviceInventory", "mtty-0", hostUuid=host["uuid"], type="mtty", state="Enabled",
             virtStatus="VFIO_MDEV_VIRTUALIZABLE", description="a mediated serial device")
