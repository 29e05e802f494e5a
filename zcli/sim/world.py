"""The demo world the simulator starts with: deterministic, linked, and as large as asked.

Every foreign key points at a real row. ``scale`` multiplies the parts that grow in a real cloud
(hosts, VMs with their NICs, IPs and volumes, models, model services, datasets); zones, clusters,
networks, storage, images and offerings stay few, as they do in practice. Some names are Chinese,
some VMs and model services carry "qwen", and the public network is called "pub", so that the
examples of the docs give answers.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from zcli.sim.host_nics import add_to_world as add_host_networks
from zcli.sim.monitoring_world import add_to_world as add_monitoring
from zcli.sim.world_actions import add_leftovers
from zcli.sim.world_hybrid import add_hybrid, seed_remote
from zcli.sim.world_network import add_network
from zcli.sim.world_platform import add_platform, seed_members
from zcli.sim.world_services import add_services, settle_hosts

ADMIN_ACCOUNT_UUID = "36c27e8ff05c4780bf6d2fa65700f22e"  # the real server's fixed admin account uuid
VMS_PER_SCALE = 20
HOSTS_PER_SCALE = 8

DOCS_MODEL_SERVICE = {
    "name": "text to text model service",
    "description": "This is text to text model service you can chose model",
    "yaml": "model service parameters",
    "requestCpu": 4,
    "requestMemory": 1024,
    "supportDistributed": False,
}


class World:
    """Collects the rows of the demo world, inventory by inventory."""

    def __init__(self, seed: int = 1, scale: int = 1):
        self.rng = random.Random(seed)
        self.scale = max(1, int(scale))
        self.rows: dict[str, list[dict]] = {}
        base = datetime(2024, 3, 1, 8, 0, 0)
        self._times = [(base + timedelta(minutes=7 * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(1000)]
        self._n = 0

    def uid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def add(self, inventory: str, **row) -> dict:
        """Add a row; uuid and dates are filled when the caller leaves them out."""
        self._n += 1
        when = self._times[self._n % len(self._times)]
        row.setdefault("createDate", when)
        row.setdefault("lastOpDate", when)
        self.rows.setdefault(inventory, []).append(row)
        return row

    def entity(self, inventory: str, name: str, **row) -> dict:
        return self.add(inventory, uuid=self.uid(), name=name, **row)


def _ip(net: int, n: int) -> str:
    return f"10.{net}.{(n >> 8) & 255}.{n & 255 or 1}"


def _mac(n: int) -> str:
    return "fa:" + ":".join(f"{(n >> s) & 255:02x}" for s in (32, 24, 16, 8, 0))


def build_world(seed: int = 1, scale: int = 1) -> World:
    """Build the demo world's rows (nothing is written here)."""
    w = World(seed, scale)
    e = w.entity
    # identities
    w.add("AccountInventory", uuid=ADMIN_ACCOUNT_UUID, name="admin", type="SystemAdmin", description="管理员")
    e("AccountInventory", "test", type="Normal", description="a normal account")
    e("UserInventory", "demo", accountUuid=ADMIN_ACCOUNT_UUID, description="演示用户")
    # zones, clusters, storage, networks
    zones = [e("ZoneInventory", "zone-1", state="Enabled", type="zstack", isDefault=True, description="默认区域"),
             e("ZoneInventory", "华东区域", state="Enabled", type="zstack", isDefault=False)]
    clusters = []
    for zi, z in enumerate(zones):
        for ci in range(2):
            name = "计算集群-3" if (zi, ci) == (1, 0) else f"cluster-{2 * zi + ci + 1}"
            clusters.append(e("ClusterInventory", name, zoneUuid=z["uuid"], state="Enabled", hypervisorType="KVM",
                              type="zstack", architecture="x86_64"))
    bs = e("BackupStorageInventory", "bs-imagestore-1", url="/zstack_bs", type="ImageStoreBackupStorage",
           state="Enabled", status="Connected", totalCapacity=10 << 40, availableCapacity=8 << 40)
    pss = []
    for zi, z in enumerate(zones):
        w.add("BackupStorageZoneRefInventory", id=zi + 1, backupStorageUuid=bs["uuid"], zoneUuid=z["uuid"])
        ps_type = "LocalStorage" if zi == 0 else "Ceph"
        pss.append(e("PrimaryStorageInventory", f"ps-{ps_type.lower()}-{zi + 1}", zoneUuid=z["uuid"], type=ps_type,
                     url="/zstack_ps" if zi == 0 else "ceph://pool", state="Enabled", status="Connected",
                     totalCapacity=20 << 40, availableCapacity=15 << 40, mountPath="/zstack_ps"))
    for ci, c in enumerate(clusters):
        w.add("PrimaryStorageClusterRefInventory", id=ci + 1, clusterUuid=c["uuid"],
              primaryStorageUuid=pss[ci // 2]["uuid"])
    l2s, l3s = [], []
    for zi, z in enumerate(zones):
        for kind, vlan in (("L2NoVlanNetwork", None), ("L2VlanNetwork", 100 + zi)):
            l2 = e("L2NetworkInventory", f"l2-{'vlan' if vlan else 'flat'}-{zi + 1}", zoneUuid=z["uuid"], type=kind,
                   physicalInterface="eth0", virtualNetworkId=vlan or 0, vSwitchType="LinuxBridge", isolated=False)
            l2s.append(l2)
            for c in clusters[2 * zi:2 * zi + 2]:
                w.add("L2NetworkClusterRefInventory", clusterUuid=c["uuid"], l2NetworkUuid=l2["uuid"],
                      l2ProviderType="LinuxBridge")
    for li, (name, category, l2) in enumerate((("pub", "Public", l2s[0]), ("private-1", "Private", l2s[1]),
                                               ("pub-2", "Public", l2s[2]), ("管理网络", "Private", l2s[3]))):
        l3 = e("L3NetworkInventory", name, zoneUuid=l2["zoneUuid"], l2NetworkUuid=l2["uuid"], type="L3BasicNetwork",
               state="Enabled", category=category, ipVersion=4, system=False, enableIPAM=True, isolated=False,
               dnsDomain="zstack.example")
        l3["_net"] = li + 1
        l3s.append(l3)
        for dns in ("223.5.5.5", "8.8.8.8"):
            w.add("L3NetworkDnsInventory", l3NetworkUuid=l3["uuid"], dns=dns)
        l3["_range"] = e("IpRangeInventory", f"range-{name}", l3NetworkUuid=l3["uuid"], startIp=_ip(li + 1, 1),
                         endIp=f"10.{li + 1}.255.254", netmask="255.255.0.0", gateway=f"10.{li + 1}.0.1",
                         networkCidr=f"10.{li + 1}.0.0/16", ipVersion=4, prefixLen=16, ipRangeType="Normal")
    # images and offerings
    images = []
    for name, media, platform, fmt in (("centos-7.9", "RootVolumeTemplate", "Linux", "qcow2"),
                                       ("ubuntu-22.04", "RootVolumeTemplate", "Linux", "qcow2"),
                                       ("windows-server-2019", "RootVolumeTemplate", "Windows", "qcow2"),
                                       ("qwen2-7b-推理镜像", "RootVolumeTemplate", "Linux", "qcow2"),
                                       ("virtio-win.iso", "ISO", "Windows", "iso")):
        img = e("ImageInventory", name, state="Enabled", status="Ready", size=(40 << 30), actualSize=(3 << 30),
                url=f"http://images.example/{name}", mediaType=media, platform=platform, format=fmt,
                architecture="x86_64", type="zstack", system=False, virtio=True, guestOsType=platform)
        images.append(img)
        w.add("ImageBackupStorageRefInventory", id=len(images), imageUuid=img["uuid"], backupStorageUuid=bs["uuid"],
              installPath=f"/zstack_bs/{img['uuid']}", status="Ready")
    templates = [i for i in images if i["mediaType"] == "RootVolumeTemplate"]
    offerings = [e("InstanceOfferingInventory", n, cpuNum=c, memorySize=m << 30, cpuSpeed=0, state="Enabled",
                   type="UserVm", allocatorStrategy="LeastVmPreferredHostAllocatorStrategy", sortKey=0,
                   reservedMemorySize=0)
                 for n, c, m in (("small", 1, 1), ("medium", 2, 4), ("large", 4, 8), ("GPU-推理型", 8, 32))]
    disks = [e("DiskOfferingInventory", n, diskSize=s << 30, state="Enabled", type="zstack", sortKey=0,
               allocatorStrategy="DefaultPrimaryStorageAllocationStrategy")
             for n, s in (("disk-50G", 50), ("disk-200G", 200))]
    # hosts
    hosts = []
    for hi in range(HOSTS_PER_SCALE * w.scale):
        c = clusters[hi % len(clusters)]
        hosts.append(e("HostInventory", f"host-{hi + 1}", zoneUuid=c["zoneUuid"], clusterUuid=c["uuid"],
                       managementIp=f"172.20.{hi // 200 + 1}.{hi % 200 + 11}", hypervisorType="KVM", state="Enabled",
                       status="Connected", totalCpuCapacity=128, availableCpuCapacity=96, cpuSockets=2, cpuNum=64,
                       totalMemoryCapacity=512 << 30, availableMemoryCapacity=384 << 30, architecture="x86_64"))
    _vms(w, hosts, zones, pss, l3s, templates, offerings, disks)
    _ai(w, l3s, images)
    add_services(w, l3s, disks, pss)
    settle_hosts(w)
    _child_kinds(w)
    add_hybrid(w, ADMIN_ACCOUNT_UUID)
    add_network(w, l3s, hosts)  # last: the rows before it keep their uuids
    add_host_networks(w)
    add_monitoring(w)
    add_leftovers(w)  # after every other row: theirs keep their uuids
    add_platform(w)
    return w


def _child_kinds(w: World) -> None:
    """A resource of a child kind is also a row of the child's table, as the server keeps it (see writes)."""
    children = (("L2NetworkInventory", "L2VlanNetwork", "L2VlanNetworkInventory",
                 lambda r: {"vlan": r["virtualNetworkId"]}),
                ("BackupStorageInventory", "ImageStoreBackupStorage", "ImageStoreBackupStorageInventory",
                 lambda r: {"hostname": "172.20.0.2", "username": "root", "sshPort": 22}),
                ("PrimaryStorageInventory", "Ceph", "CephPrimaryStorageInventory", lambda r: {"fsid": r["uuid"][:16]}))
    for parent, kind, child, extra in children:
        for row in w.rows.get(parent, []):
            if row.get("type") == kind:
                w.rows.setdefault(child, []).append({**row, **extra(row)})


def _vms(w: World, hosts, zones, pss, l3s, templates, offerings, disks) -> None:
    zone_ps = {z["uuid"]: p for z, p in zip(zones, pss, strict=True)}
    zone_l3 = {z["uuid"]: [l3 for l3 in l3s if l3["zoneUuid"] == z["uuid"]] for z in zones}
    used = {l3["uuid"]: 10 for l3 in l3s}
    nic_n = 0
    for i in range(VMS_PER_SCALE * w.scale):
        host = hosts[i % len(hosts)]
        if i % 10 == 0:
            name = f"qwen-infer-{i + 1}"
        elif i % 10 == 5:
            name = f"测试虚拟机-{i + 1}"
        else:
            name = f"vm-{i + 1}"
        img, off = templates[i % len(templates)], offerings[i % len(offerings)]
        stopped = i % 4 == 3
        vm = w.entity("VmInstanceInventory", name, zoneUuid=host["zoneUuid"], clusterUuid=host["clusterUuid"],
                      hostUuid=None if stopped else host["uuid"], lastHostUuid=host["uuid"], imageUuid=img["uuid"],
                      instanceOfferingUuid=off["uuid"], platform=img["platform"], architecture="x86_64",
                      type="UserVm", hypervisorType="KVM", memorySize=off["memorySize"], cpuNum=off["cpuNum"],
                      cpuSpeed=0, reservedMemorySize=0, allocatorStrategy=off["allocatorStrategy"],
                      state="Stopped" if stopped else "Running", guestOsType=img["guestOsType"], internalId=i + 1)
        ps = zone_ps[host["zoneUuid"]]
        root = w.entity("VolumeInventory", f"ROOT-for-{name}", primaryStorageUuid=ps["uuid"], vmInstanceUuid=vm["uuid"],
                        rootImageUuid=img["uuid"], installPath=f"/zstack_ps/rootVolumes/{i}", type="Root",
                        format="qcow2", size=img["size"], actualSize=img["actualSize"], deviceId=0, state="Enabled",
                        status="Ready", isShareable=False)
        vm["rootVolumeUuid"] = root["uuid"]
        if i % 3 == 0:
            d = disks[i % len(disks)]
            w.entity("VolumeInventory", f"DATA-for-{name}", primaryStorageUuid=ps["uuid"], vmInstanceUuid=vm["uuid"],
                     diskOfferingUuid=d["uuid"], installPath=f"/zstack_ps/dataVolumes/{i}", type="Data",
                     format="qcow2", size=d["diskSize"], actualSize=1 << 30, deviceId=1, state="Enabled",
                     status="Ready", isShareable=False)
        nets = zone_l3[host["zoneUuid"]]
        chosen = [nets[i % 2]] + ([nets[(i + 1) % 2]] if i % 5 == 0 else [])
        vm["defaultL3NetworkUuid"] = chosen[0]["uuid"]
        for dev, l3 in enumerate(chosen):
            nic_n += 1
            used[l3["uuid"]] += 1
            ip, rng = _ip(l3["_net"], used[l3["uuid"]]), l3["_range"]
            nic = w.add("VmNicInventory", uuid=w.uid(), vmInstanceUuid=vm["uuid"], l3NetworkUuid=l3["uuid"], ip=ip,
                        mac=_mac(nic_n),
                        hypervisorType="KVM", netmask=rng["netmask"], gateway=rng["gateway"], ipVersion=4,
                        driverType="virtio", internalName=f"vnic{i + 1}.{dev}", deviceId=dev, type="VNIC",
                        state="enable")
            w.add("UsedIpInventory", uuid=w.uid(), ipRangeUuid=rng["uuid"], l3NetworkUuid=l3["uuid"], ipVersion=4,
                  ip=ip, netmask=rng["netmask"], gateway=rng["gateway"], usedFor="Vm", vmNicUuid=nic["uuid"])
        if i % 10 == 0:
            w.add("SystemTagInventory", uuid=w.uid(), resourceUuid=vm["uuid"], resourceType="VmInstanceVO",
                  tag="ha::NeverStop", type="System", inherent=False)
        if i % 7 == 0:
            w.add("UserTagInventory", uuid=w.uid(), resourceUuid=vm["uuid"], resourceType="VmInstanceVO",
                  tag="env::prod", type="User")


def _ai(w: World, l3s, images) -> None:
    e = w.entity
    center = e("ModelCenterInventory", "默认模型中心", description="the built-in model center",
               url="http://model-center.example:8989", status="Connected", managementIp="172.20.0.10",
               managementPort=8989, storageNetworkUuid=l3s[1]["uuid"], serviceNetworkUuid=l3s[0]["uuid"],
               containerRegistry="registry.example:5000", parameters="{}")
    qwen_image = images[3]
    base_models = (("Qwen2-7B-Instruct", "Alibaba", "LLM", 15), ("Qwen2.5-72B-Instruct", "Alibaba", "LLM", 145),
                   ("DeepSeek-R1-Distill-Qwen-7B", "DeepSeek", "LLM", 15), ("bge-m3", "BAAI", "Embedding", 2),
                   ("通义千问-14B", "Alibaba", "LLM", 28), ("Llama-3-8B-Instruct", "Meta", "LLM", 16))
    base_services = (dict(DOCS_MODEL_SERVICE, type="Text-To-Text", framework="vLLM"),
                     {"name": "qwen-chat", "description": "对话服务", "requestCpu": 8, "requestMemory": 16384,
                      "type": "Text-To-Text", "framework": "vLLM", "supportDistributed": True},
                     {"name": "qwen2-vl-图像理解", "description": "image understanding", "requestCpu": 8,
                      "requestMemory": 32768, "type": "Image-To-Text", "framework": "vLLM",
                      "supportDistributed": False},
                     {"name": "embedding-bge-m3", "description": "text embedding", "requestCpu": 2,
                      "requestMemory": 4096, "type": "Embedding", "framework": "TEI", "supportDistributed": False},
                     {"name": "文本生成服务", "description": "中文文本生成", "requestCpu": 4, "requestMemory": 8192,
                      "type": "Text-To-Text", "framework": "Transformers", "supportDistributed": False},
                     {"name": "DeepSeek-R1-qwen-distill", "description": "reasoning", "requestCpu": 16,
                      "requestMemory": 65536, "type": "Text-To-Text", "framework": "SGLang",
                      "supportDistributed": True})
    qwen_vms = [v for v in w.rows["VmInstanceInventory"] if v["name"].startswith("qwen-infer")]
    for k in range(w.scale):
        suffix = "" if k == 0 else f"-{k + 1}"
        models = [e("ModelInventory", n + suffix, modelCenterUuid=center["uuid"], vendor=v, type=t,
                    installPath=f"/models/{n}{suffix}", size=s << 30, version="1.0", modelId=n.lower(),
                    minGpuMemory=s << 29, recommendedGpuMemory=s << 30, isLatestVersion=True,
                    introduction=f"{n} from {v}") for n, v, t, s in base_models]
        for d in ("alpaca-zh", "中文问答数据集", "ceval"):
            e("DatasetInventory", d + suffix, modelCenterUuid=center["uuid"], url=f"http://datasets.example/{d}",
              installPath=f"/datasets/{d}{suffix}", size=1 << 30, system=False)
        for si, spec in enumerate(base_services):
            svc = e("ModelServiceInventory", spec["name"] + suffix,
                    **{kk: vv for kk, vv in spec.items() if kk not in ("name", "yaml")},
                    yaml=spec.get("yaml", f"name: {spec['name']}\nreplicas: 1"), modelCenterUuid=center["uuid"],
                    source="Built-in", size=1 << 30, system=si == 0, installPath=f"/services/{si}{suffix}",
                    pythonVersion="3.10", version="1.0", startCommand="python serve.py",
                    readme=f"# {spec['name']}", cpuArchitectures=["x86_64"], hasNewVersion=False)
            for m in (models[si % len(models)], models[(si + 2) % len(models)]):
                e("ModelServiceRefInventory", f"{svc['name']}/{m['name']}", modelUuid=m["uuid"],
                  modelServiceUuid=svc["uuid"])
            e("ModelServiceTemplateInventory", f"template-{svc['name']}", modelServiceUuid=svc["uuid"],
              cpuArchitecture="x86_64", vmImageUuid=qwen_image["uuid"], dockerImage=f"registry.example:5000/svc{si}")
            if si < 3 and qwen_vms:
                group = e("ModelServiceInstanceGroupInventory", f"group-{svc['name']}", modelServiceUuid=svc["uuid"],
                          modelUuid=models[si % len(models)]["uuid"], status="Running", type="ModelService",
                          modelServiceType=spec["type"], yaml="replicas: 1", supportMetrics=["gpu", "latency"])
                vm = qwen_vms[(k * 3 + si) % len(qwen_vms)]
                e("ModelServiceInstanceInventory", f"instance-{svc['name']}", modelServiceGroupUuid=group["uuid"],
                  status="Running", url=f"http://10.1.0.{si + 20}:8000", vmInstanceUuid=vm["uuid"],
                  accountUuid=ADMIN_ACCOUNT_UUID, architecture="x86_64", gpuVendor="NVIDIA", nodeRank=0)


def seed(store, seed_value: int = 1, scale: int = 1) -> dict[str, int]:
    """Write the demo world into ``store`` in one transaction; the row count of each inventory."""
    world = build_world(seed_value, scale)
    with store.transaction() as cur:
        for inventory, rows in world.rows.items():
            store.insert_many(cur, inventory, rows)
    seed_remote(store, world)
    seed_members(store, world)
    return {k: len(v) for k, v in world.rows.items()}
