"""The hybrid cloud over HTTP, as a user's script drives it: the simulator plays the remote cloud (Aliyun) too.

Each test creates on the remote through the management node, acts, syncs, queries the local inventories, checks
the state on both sides (the ``Get*FromRemote`` reads answer from the remote) and cleans up.
"""

from __future__ import annotations


def _dc(api) -> dict:
    return api.one("QueryDataCenterFromLocal", "regionId=cn-hangzhou")


def test_a_vpc_and_its_vswitch_live_on_the_remote_and_sync_brings_back_what_the_local_lost(api):
    dc = _dc(api)
    vpc = api.ok("CreateEcsVpcRemote", dataCenterUuid=dc["uuid"], cidrBlock="10.0.0.0/8", name="vpc-script",
                 vRouterName="vr-script")["inventory"]
    assert vpc["ecsVpcId"].startswith("vpc-") and vpc["status"] == "Available"
    router = api.one("QueryAliyunVirtualRouterFromLocal", f"vpcUuid={vpc['uuid']}")
    assert router["name"] == "vr-script" and api.one("QueryEcsVpcFromLocal", f"uuid={vpc['uuid']}")["vRouterId"] == \
        router["vrId"]
    zone = api.one("QueryIdentityZoneFromLocal", "zoneId=cn-hangzhou-h")
    err = api.refused("CreateEcsVSwitchRemote", vpcUuid=vpc["uuid"], identityZoneUuid=zone["uuid"],
                      cidrBlock="192.168.0.0/24", name="outside")
    assert "InvalidCidrBlock" in err["details"]
    vsw = api.ok("CreateEcsVSwitchRemote", vpcUuid=vpc["uuid"], identityZoneUuid=zone["uuid"], cidrBlock="10.1.0.0/24",
                 name="vsw-script")["inventory"]
    assert vsw["vSwitchId"].startswith("vsw-") and vsw["availableIpAddressCount"] == 252
    assert "DependencyViolation" in api.refused("DeleteEcsVpcRemote", uuid=vpc["uuid"])["details"]
    # the local inventory goes, the remote keeps it: a sync brings it back under its remote id
    api.ok("DeleteEcsVSwitchInLocal", uuid=vsw["uuid"])
    assert not api.query("QueryEcsVSwitchFromLocal", f"vSwitchId={vsw['vSwitchId']}")
    synced = api.ok("SyncEcsVSwitchFromRemote", dataCenterUuid=dc["uuid"])["inventories"]
    back = api.one("QueryEcsVSwitchFromLocal", f"vSwitchId={vsw['vSwitchId']}")
    assert back["uuid"] != vsw["uuid"] and back["ecsVpcUuid"] == vpc["uuid"]
    assert back["identityZoneUuid"] == zone["uuid"]
    assert back["uuid"] in {s["uuid"] for s in synced}
    # the demo world's remote has a vSwitch the management node did not know: the sync added it too
    assert api.one("QueryEcsVSwitchFromLocal", "name=vsw-extra")["cidrBlock"] == "172.16.3.0/24"
    # delete on both sides: gone for good, the VPC's router with the VPC
    api.ok("DeleteEcsVSwitchRemote", uuid=back["uuid"])
    api.ok("SyncEcsVSwitchFromRemote", dataCenterUuid=dc["uuid"])
    assert not api.query("QueryEcsVSwitchFromLocal", f"vSwitchId={vsw['vSwitchId']}")
    api.ok("DeleteEcsVpcRemote", uuid=vpc["uuid"])
    assert not api.query("QueryAliyunVirtualRouterFromLocal", f"vpcUuid={vpc['uuid']}")
    vpcs = api.ok("SyncEcsVpcFromRemote", dataCenterUuid=dc["uuid"])["inventories"]
    assert vpc["ecsVpcId"] not in {v["ecsVpcId"] for v in vpcs} and "vpc-demo" in {v["name"] for v in vpcs}


def test_an_ecs_instance_runs_stops_takes_a_disk_and_an_eip_and_is_deleted(api):
    dc = _dc(api)
    vsw = api.one("QueryEcsVSwitchFromLocal", "name=vsw-web")
    types = api.ok("GetEcsInstanceType", identityZoneUuid=vsw["identityZoneUuid"])["types"]
    r6 = next(t for t in types if t["typeId"] == "ecs.r6.2xlarge")
    ecs = api.ok("CreateEcsInstanceFromEcsImage", name="ecs-script", ecsRootPassword="Passw0rd!",
                 ecsImageUuid=api.one("QueryEcsImageFromLocal", "name=centos-7.9-x64")["uuid"],
                 ecsVSwitchUuid=vsw["uuid"], instanceType="ecs.r6.2xlarge",
                 ecsSecurityGroupUuid=api.one("QueryEcsSecurityGroupFromLocal", "name=sg-web")["uuid"])["inventory"]
    assert ecs["ecsInstanceId"].startswith("i-") and ecs["ecsStatus"] == "Running"
    assert (ecs["cpuCores"], ecs["memorySize"]) == (r6["cpu"], r6["memory"])
    assert ecs["identityZoneUuid"] == vsw["identityZoneUuid"] and ecs["privateIpAddress"].startswith("172.16.1.")
    assert "Password" not in str(api.one("QueryEcsInstanceFromLocal", f"uuid={ecs['uuid']}"))
    vnc = api.ok("GetEcsInstanceVncUrl", uuid=ecs["uuid"])
    assert vnc["ecsId"] == ecs["ecsInstanceId"] and ecs["ecsInstanceId"] in vnc["vncUrl"]
    api.ok("StopEcsInstance", uuid=ecs["uuid"])
    assert api.one("QueryEcsInstanceFromLocal", f"uuid={ecs['uuid']}")["ecsStatus"] == "Stopped"
    api.refused("GetEcsInstanceVncUrl", uuid=ecs["uuid"])
    assert "IncorrectInstanceStatus" in api.refused("StopEcsInstance", uuid=ecs["uuid"])["details"]
    api.refused("RebootEcsInstance", uuid=ecs["uuid"])
    api.ok("StartEcsInstance", uuid=ecs["uuid"])
    # a sync keeps what the remote says: the instance is running there too
    synced = api.ok("SyncEcsInstanceFromRemote", dataCenterUuid=dc["uuid"])["inventories"]
    assert next(i for i in synced if i["uuid"] == ecs["uuid"])["ecsStatus"] == "Running"
    disk = api.ok("CreateAliyunDiskFromRemote", identityUuid=ecs["identityZoneUuid"], name="disk-script",
                  sizeWithGB=50)["inventory"]
    assert disk["status"] == "Available" and disk["diskId"].startswith("d-")
    api.ok("AttachAliyunDiskToEcs", diskUuid=disk["uuid"], ecsUuid=ecs["uuid"])
    attached = api.one("QueryAliyunDiskFromLocal", f"uuid={disk['uuid']}")
    assert (attached["status"], attached["ecsInstanceUuid"]) == ("In_use", ecs["uuid"])
    api.refused("AttachAliyunDiskToEcs", diskUuid=disk["uuid"], ecsUuid=ecs["uuid"])
    eip = api.ok("CreateHybridEip", name="eip-script", bandWidthMb="10", type="aliyun", dataCenterUuid=dc["uuid"],
                 chargeType="PayByTraffic")["inventory"]
    api.ok("AttachHybridEipToEcs", eipUuid=eip["uuid"], ecsUuid=ecs["uuid"], type="aliyun")
    assert api.one("QueryEcsInstanceFromLocal", f"uuid={ecs['uuid']}")["publicIpAddress"] == eip["eipAddress"]
    assert api.one("QueryHybridEipFromLocal", f"uuid={eip['uuid']}")["status"] == "InUse"
    api.ok("DetachHybridEipFromEcs", eipUuid=eip["uuid"], type="aliyun")
    assert api.one("QueryEcsInstanceFromLocal", f"uuid={ecs['uuid']}").get("publicIpAddress") is None
    api.refused("DetachHybridEipFromEcs", eipUuid=eip["uuid"], type="aliyun")
    # deleting the instance on the remote frees its disk
    api.ok("DeleteEcsInstance", uuid=ecs["uuid"])
    assert api.one("QueryAliyunDiskFromLocal", f"uuid={disk['uuid']}")["status"] == "Available"
    api.ok("SyncEcsInstanceFromRemote", dataCenterUuid=dc["uuid"])
    assert not api.query("QueryEcsInstanceFromLocal", f"ecsInstanceId={ecs['ecsInstanceId']}")
    snap = api.ok("CreateAliyunSnapshotRemote", diskUuid=disk["uuid"], name="snap-script")["inventory"]
    assert snap["dataCenterUuid"] == dc["uuid"] and snap["snapshotId"].startswith("s-")
    api.ok("GCAliyunSnapshotRemote", dataCenterUuid=dc["uuid"])  # its disk is there: the snapshot stays
    assert api.one("QueryAliyunSnapshotFromLocal", f"uuid={snap['uuid']}")
    api.ok("DeleteAliyunDiskFromRemote", uuid=disk["uuid"])
    api.ok("GCAliyunSnapshotRemote", dataCenterUuid=dc["uuid"])
    assert not api.query("QueryAliyunSnapshotFromLocal", f"uuid={snap['uuid']}")
    assert api.query("QueryAliyunSnapshotFromLocal", "name=snap-data-disk-1")
    api.ok("DeleteHybridEipRemote", uuid=eip["uuid"], type="aliyun")
    api.ok("SyncDiskFromAliyunFromRemote", identityUuid=ecs["identityZoneUuid"])
    assert not api.query("QueryAliyunDiskFromLocal", f"diskId={disk['diskId']}")
    assert not api.query("QueryHybridEipFromLocal", f"eipId={eip['eipId']}")


def test_the_remote_reads_show_what_the_local_lacks_until_it_is_added(api):
    dc = _dc(api)
    remote = api.ok("GetOssBucketNameFromRemote", dataCenterUuid=dc["uuid"])["inventories"]
    assert {"zstack-demo-bucket", "zstack-remote-bucket"} <= {b["bucketName"] for b in remote}
    assert not api.query("QueryOssBucketFileName", "bucketName=zstack-remote-bucket")
    added = api.ok("AddOssBucketFromRemote", bucketName="zstack-remote-bucket", dataCenterUuid=dc["uuid"])["inventory"]
    assert api.one("QueryOssBucketFileName", "bucketName=zstack-remote-bucket")["uuid"] == added["uuid"]
    api.refused("AddOssBucketFromRemote", bucketName="zstack-remote-bucket", dataCenterUuid=dc["uuid"])
    api.refused("AddOssBucketFromRemote", bucketName="no-such-bucket", dataCenterUuid=dc["uuid"])
    demo = api.one("QueryOssBucketFileName", "bucketName=zstack-demo-bucket")
    files = api.ok("GetOssBucketFileFromRemote", uuid=demo["uuid"])["files"]
    assert "backup/readme.txt" in files
    api.ok("DeleteOssBucketFileRemote", uuid=demo["uuid"], fileName="backup/readme.txt")
    assert api.ok("GetOssBucketFileFromRemote", uuid=demo["uuid"])["files"] == [f for f in files
                                                                               if f != "backup/readme.txt"]
    api.refused("DeleteOssBucketFileRemote", uuid=demo["uuid"], fileName="backup/readme.txt")
    # the access points: a path whose variable is inside a segment (access-point{dataCenterUuid})
    points = api.ok("GetConnectionAccessPointFromRemote", dataCenterUuid=dc["uuid"])["inventories"]
    assert {"ap-cn-hangzhou-xx-A", "ap-cn-hangzhou-xx-B"} <= {p["accessPointId"] for p in points}
    before = {p["accessPointId"] for p in api.query("QueryConnectionAccessPointFromLocal")}
    assert "ap-cn-hangzhou-xx-B" not in before
    api.ok("SyncConnectionAccessPointFromRemote", dataCenterUuid=dc["uuid"])
    assert api.one("QueryConnectionAccessPointFromLocal", "accessPointId=ap-cn-hangzhou-xx-B")
    # another region of the remote cloud is added as a data center, and its zones synced
    regions = api.ok("GetDataCenterFromRemote", type="aliyun")["inventories"]
    assert {"cn-hangzhou", "cn-beijing"} <= {r["regionId"] for r in regions}
    zones = api.ok("GetIdentityZoneFromRemote", dataCenterUuid=dc["uuid"], regionId="cn-beijing")["inventories"]
    assert [z["zoneId"] for z in zones] == ["cn-beijing-a"]
    beijing = api.ok("AddDataCenterFromRemote", regionId="cn-beijing", type="aliyun")["inventory"]
    assert beijing["regionName"] == "华北2（北京）"
    api.ok("SyncIdentityFromRemote", uuid=beijing["uuid"])
    assert api.one("QueryIdentityZoneFromLocal", f"dataCenterUuid={beijing['uuid']}")["zoneId"] == "cn-beijing-a"
    api.ok("DeleteOssBucketNameLocal", uuid=added["uuid"])
    api.ok("DeleteDataCenterInLocal", uuid=beijing["uuid"])


def test_border_routers_router_interfaces_and_vpn(api):
    vbr = api.one("QueryVirtualBorderRouterFromLocal", "name=vbr-idc")
    api.refused("RecoveryVirtualBorderRouterRemote", uuid=vbr["uuid"])
    api.ok("TerminateVirtualBorderRouterRemote", uuid=vbr["uuid"])
    assert api.one("QueryVirtualBorderRouterFromLocal", "name=vbr-idc")["status"] == "terminated"
    dc = _dc(api)
    synced = api.ok("SyncVirtualBorderRouterFromRemote", dataCenterUuid=dc["uuid"])["inventories"]
    assert next(v for v in synced if v["uuid"] == vbr["uuid"])["status"] == "terminated"
    api.ok("RecoveryVirtualBorderRouterRemote", uuid=vbr["uuid"])
    assert api.one("QueryVirtualBorderRouterFromLocal", "name=vbr-idc")["status"] == "active"
    a, b = (api.one("QueryAliyunRouterInterfaceFromLocal", f"name={n}") for n in ("ri-vrouter", "ri-vbr"))
    api.ok("StartConnectionBetweenAliyunRouterInterface", vrouterInterfaceUuid=a["uuid"], vbrInterfaceUuid=b["uuid"])
    a2, b2 = (api.one("QueryAliyunRouterInterfaceFromLocal", f"name={n}") for n in ("ri-vrouter", "ri-vbr"))
    assert (a2["status"], a2["oppositeInterfaceUuid"], b2["oppositeInterfaceUuid"]) == ("Active", b["uuid"], a["uuid"])
    api.refused("StartConnectionBetweenAliyunRouterInterface", vrouterInterfaceUuid=a["uuid"],
                vbrInterfaceUuid=b["uuid"])
    api.ok("UpdateAliyunRouteInterfaceRemote", uuid=a["uuid"], op="inactive", vRouterType="vrouter")
    assert api.one("QueryAliyunRouterInterfaceFromLocal", "name=ri-vrouter")["status"] == "Inactive"
    api.refused("UpdateAliyunRouteInterfaceRemote", uuid=a["uuid"], op="inactive", vRouterType="vrouter")
    api.ok("UpdateAliyunRouteInterfaceRemote", uuid=a["uuid"], op="active", vRouterType="vrouter")
    conn = api.one("QueryVpcVpnConnectionFromLocal", "name=idc-vpn")
    conf = api.ok("GetVpcVpnConfigurationFromRemote", uuid=conn["uuid"])
    ike = api.one("QueryVpcIkeConfigFromLocal", "name=ike-demo")
    assert conf["ikeConf"]["RemoteId"] == ike["remoteIp"] and conf["ipSecConf"]["IpsecPfs"] == "group2"
    # a user gateway: created on the remote, forgotten locally, back with a sync, then deleted on both sides
    cgw = api.ok("CreateVpcUserVpnGatewayRemote", dataCenterUuid=dc["uuid"], ip="198.51.100.7",
                 name="cgw-script")["inventory"]
    api.ok("DeleteVpcUserVpnGatewayLocal", uuid=cgw["uuid"])
    assert not api.query("QueryVpcUserVpnGatewayFromLocal", "name=cgw-script")
    api.ok("SyncVpcUserVpnGatewayFromRemote", dataCenterUuid=dc["uuid"])
    again = api.one("QueryVpcUserVpnGatewayFromLocal", "name=cgw-script")
    assert again["gatewayId"] == cgw["gatewayId"] and again["ip"] == "198.51.100.7"
    api.ok("DeleteVpcUserVpnGatewayRemote", uuid=again["uuid"])
    api.ok("SyncVpcUserVpnGatewayFromRemote", dataCenterUuid=dc["uuid"])
    assert not api.query("QueryVpcUserVpnGatewayFromLocal", "name=cgw-script")


def test_database_backups_in_the_regions_backup_bucket(api):
    assert "BucketAlreadyExists" in api.refused("CreateOssBackupBucketRemote", regionId="cn-hangzhou")["details"]
    api.refused("CreateOssBackupBucketRemote", regionId="mars-1")
    done = api.ok("BackupDatabaseToPublicCloud", type="aliyun", regionId="cn-hangzhou")
    assert done["regionId"] == "cn-hangzhou" and done["local"].endswith(done["remote"])
    buckets = api.ok("GetOssBackupBucketFromRemote")["inventories"]
    assert done["remote"] in buckets[0]["files"]
    got = api.ok("DownloadBackupFileFromPublicCloud", regionId="cn-hangzhou", file=done["remote"], type="aliyun")
    assert got["local"].endswith(done["remote"])
    api.ok("DeleteBackupFileInPublic", type="aliyun", regionId="cn-hangzhou", file=done["remote"])
    assert done["remote"] not in api.ok("GetOssBackupBucketFromRemote")["inventories"][0]["files"]
    api.refused("DownloadBackupFileFromPublicCloud", regionId="cn-hangzhou", file=done["remote"], type="aliyun")


def test_nas_file_systems_groups_rules_and_mount_targets(api):
    dc = _dc(api)
    remote = api.ok("GetAliyunNasFileSystemRemote", dataCenterUuid=dc["uuid"])["inventories"]
    fs_id = next(f["fileSystemId"] for f in remote if f["name"] == "nas-remote")
    fs = api.ok("AddAliyunNasFileSystem", fileSystemId=fs_id, name="nas-added", dataCenterUuid=dc["uuid"])["inventory"]
    assert fs["fileSystemId"] == fs_id and fs["protocol"] == "NFS"
    api.refused("AddAliyunNasFileSystem", fileSystemId=fs_id, name="twice", dataCenterUuid=dc["uuid"])
    group = api.one("QueryAliyunNasAccessGroup", "name=nas-group-demo")
    target = api.ok("CreateAliyunNasMountTarget", nasFSUuid=fs["uuid"], nasAccessGroupUuid=group["uuid"],
                    name="mt-script")["inventory"]
    listed = api.ok("GetAliyunNasMountTargetRemote", nasFSUuid=fs["uuid"])["inventories"]
    assert [m["mountDomain"] for m in listed] == [target["mountDomain"]]
    assert target["mountDomain"].startswith(fs_id) and target["mountDomain"].endswith(".cn-hangzhou.nas.aliyuncs.com")
    rule = api.ok("CreateAliyunNasAccessGroupRule", accessGroupUuid=group["uuid"],
                  sourceCidrIp="10.0.0.0/8")["inventory"]
    assert rule["sourceCidr"] == "10.0.0.0/8" and rule["rule"] == "RDWR"
    rules = api.one("QueryAliyunNasAccessGroup", "name=nas-group-demo")["rules"]
    assert rule["uuid"] in {r["uuid"] for r in rules}
    api.ok("DeleteAliyunNasAccessGroupRule", uuid=rule["uuid"])
    rules = api.one("QueryAliyunNasAccessGroup", "name=nas-group-demo")["rules"]
    assert rule["uuid"] not in {r["uuid"] for r in rules}
    groups = api.ok("GetAliyunNasAccessGroupRemote", dataCenterUuid=dc["uuid"], groupName="nas-group-demo")
    assert [g["name"] for g in groups["inventories"]] == ["nas-group-demo"]


def test_keys_and_buckets_are_made_current_and_tunnels_keep_their_far_ends(api):
    key = api.one("QueryHybridKeySecret", "name=aliyun-key")
    other = api.ok("AddAliyunKeySecret", name="second-key", key="LTAI-second", secret="s3cret")["inventory"]
    api.ok("AttachAliyunKey", uuid=other["uuid"])
    assert (api.one("QueryHybridKeySecret", f"uuid={other['uuid']}")["current"],
            api.one("QueryHybridKeySecret", f"uuid={key['uuid']}")["current"]) == ("true", "false")
    api.ok("DetachAliyunKey", uuid=other["uuid"])
    api.refused("DetachAliyunKey", uuid=other["uuid"])
    api.ok("AttachHybridKey", uuid=key["uuid"])
    api.ok("DeleteAliyunKeySecret", uuid=other["uuid"])
    assert not api.query("QueryHybridKeySecret", "name=second-key")
    # remote VTEPs of a VXLAN pool and an IPsec connection's peer CIDRs (local rows, despite their names)
    ref = api.query("QueryL2Network", "attachedClusterUuids!=null")[0]
    cluster = ref["attachedClusterUuids"][0]
    vtep = api.ok("CreateVxlanPoolRemoteVtep", l2NetworkUuid=ref["uuid"], clusterUuid=cluster,
                  remoteVtepIp="10.200.0.9")["inventory"]
    assert (vtep["port"], vtep["type"], vtep["poolUuid"]) == (8472, "KVM_HOST_VXLAN", ref["uuid"])
    api.refused("CreateVxlanPoolRemoteVtep", l2NetworkUuid=ref["uuid"], clusterUuid=cluster, remoteVtepIp="10.200.0.9")
    api.ok("DeleteVxlanPoolRemoteVtep", l2NetworkUuid=ref["uuid"], clusterUuid=cluster, remoteVtepIp="10.200.0.9")
    # gone: the same IP is a new remote VTEP again (while it existed, it was refused)
    again = api.ok("CreateVxlanPoolRemoteVtep", l2NetworkUuid=ref["uuid"], clusterUuid=cluster,
                   remoteVtepIp="10.200.0.9")["inventory"]
    assert again["uuid"] != vtep["uuid"]
    api.ok("DeleteVxlanPoolRemoteVtep", l2NetworkUuid=ref["uuid"], clusterUuid=cluster, remoteVtepIp="10.200.0.9")
    vip = api.query("QueryVip")[0]
    conn = api.ok("CreateIPsecConnection", name="ipsec-script", vipUuid=vip["uuid"], peerAddress="203.0.113.9",
                  authKey="k3y")["inventory"]
    api.ok("AddRemoteCidrsToIPsecConnection", uuid=conn["uuid"], peerCidrs=["192.168.10.0/24", "192.168.11.0/24"])
    api.refused("AddRemoteCidrsToIPsecConnection", uuid=conn["uuid"], peerCidrs=["192.168.10.0/24"])
    left = api.ok("RemoveRemoteCidrsFromIPsecConnection", uuid=conn["uuid"], peerCidrs=["192.168.10.0/24"])
    assert [c["cidr"] for c in left["inventory"]["peerCidrs"]] == ["192.168.11.0/24"]
    assert [c["cidr"] for c in api.one("QueryIPSecConnection", f"uuid={conn['uuid']}")["peerCidrs"]] == \
        ["192.168.11.0/24"]
    api.refused("RemoveRemoteCidrsFromIPsecConnection", uuid=conn["uuid"], peerCidrs=["192.168.10.0/24"])
    api.ok("DeleteIPsecConnection", uuid=conn["uuid"])


#: (local query, its remote id field, the seeded row's condition, local delete API, sync API, scope parameter,
#: the scope: "dc" the data center, else the query and condition that find it). Children before their parents:
#: forgetting a VPC or a zone locally forgets what is placed in it too.
_VPC, _ZONE_H = ("QueryEcsVpcFromLocal", "name=vpc-demo"), ("QueryIdentityZoneFromLocal", "zoneId=cn-hangzhou-h")
_SYNCS = (
    ("QueryAliyunVirtualRouterFromLocal", "vrId", "name=vrouter-demo", "DeleteVirtualRouterLocal",
     "SyncAliyunVirtualRouterFromRemote", "vpcUuid", _VPC),
    ("QueryEcsSecurityGroupFromLocal", "securityGroupId", "name=sg-web", "DeleteEcsSecurityGroupInLocal",
     "SyncEcsSecurityGroupFromRemote", "ecsVpcUuid", _VPC),
    ("QueryEcsImageFromLocal", "ecsImageId", "name=centos-7.9-x64", "DeleteEcsImageLocal", "SyncEcsImageFromRemote",
     "dataCenterUuid", "dc"),
    ("QueryAliyunSnapshotFromLocal", "snapshotId", "name=snap-data-disk-1", "DeleteAliyunSnapshotFromLocal",
     "SyncAliyunSnapshotRemote", "dataCenterUuid", "dc"),
    ("QueryHybridEipFromLocal", "eipId", "name=eip-free", "DeleteHybridEipFromLocal", "SyncHybridEipFromRemote",
     "dataCenterUuid", "dc"),
    ("QueryVpcVpnConnectionFromLocal", "connectionId", "name=idc-vpn", "DeleteVpcVpnConnectionLocal",
     "SyncVpcVpnConnectionFromRemote", "dataCenterUuid", "dc"),
    ("QueryVpcVpnGatewayFromLocal", "gatewayId", "name=vpn-gw-demo", "DeleteVpcVpnGatewayLocal",
     "SyncVpcVpnGatewayFromRemote", "dataCenterUuid", "dc"),
    ("QueryAliyunRouterInterfaceFromLocal", "routerInterfaceId", "name=ri-vbr", "DeleteAliyunRouterInterfaceLocal",
     "SyncAliyunRouterInterfaceFromRemote", "dataCenterUuid", "dc"),
    ("QueryAliyunDiskFromLocal", "diskId", "name=data-disk-2", "DeleteAliyunDiskFromLocal",
     "SyncDiskFromAliyunFromRemote", "identityUuid", _ZONE_H),
    ("QueryEcsVpcFromLocal", "ecsVpcId", "name=vpc-demo", "DeleteEcsVpcInLocal", "SyncEcsVpcFromRemote",
     "dataCenterUuid", "dc"),
    ("QueryIdentityZoneFromLocal", "zoneId", "zoneId=cn-hangzhou-i", "DeleteIdentityZoneInLocal",
     "SyncIdentityFromRemote", "uuid", "dc"),
)
_WORLD = ("QueryEcsVSwitchFromLocal", "QueryEcsSecurityGroupFromLocal", "QueryEcsSecurityGroupRuleFromLocal",
          "QueryAliyunVirtualRouterFromLocal", "QueryAliyunRouteEntryFromLocal", "QueryVpcVpnGatewayFromLocal",
          "QueryVpcVpnConnectionFromLocal", "QueryEcsInstanceFromLocal", "QueryAliyunDiskFromLocal")


def _remote_ids(api) -> dict:
    ids = {}
    for query in _WORLD:
        inv = api.catalog.api(query).inventory
        key = {"EcsSecurityGroupRuleInventory": "portRange", "VpcVirtualRouteEntryInventory": "destinationCidrBlock"}
        field = key.get(inv) or next(k for k in ("vSwitchId", "securityGroupId", "vrId", "gatewayId", "connectionId",
                                                 "ecsInstanceId", "diskId") if k in api.query(query)[0])
        ids[query] = sorted(r[field] for r in api.query(query))
    return ids


def test_every_sync_brings_back_what_only_the_local_side_forgot(api):
    dc = _dc(api)
    before = _remote_ids(api)
    for query, rid, cond, delete, sync, param, scope in _SYNCS:
        row = api.one(query, cond)
        extra = {"type": "aliyun"} if sync == "SyncHybridEipFromRemote" else {}
        api.ok(delete, uuid=row["uuid"], **extra)
        assert not api.query(query, f"{rid}={row[rid]}"), query
        where = dc["uuid"] if scope == "dc" else api.one(*scope)["uuid"]
        api.ok(sync, **{param: where}, **extra)
        back = api.one(query, f"{rid}={row[rid]}")
        assert back["uuid"] != row["uuid"], query
        assert {k: back.get(k) for k in ("name", "status")} == {k: row.get(k) for k in ("name", "status")}, query
        if scope != "dc":  # its parent, synced back before it under a new uuid, is named anew
            assert where in back.values(), query
    # the VPC and the zone took what is placed in them; syncing each family brings the whole estate back
    assert not api.query("QueryEcsVSwitchFromLocal") and not api.query("QueryEcsInstanceFromLocal", "name=ecs-db-3")
    vpc = api.one(*_VPC)
    api.ok("SyncEcsVSwitchFromRemote", dataCenterUuid=dc["uuid"])
    api.ok("SyncEcsSecurityGroupFromRemote", ecsVpcUuid=vpc["uuid"])
    api.ok("SyncEcsSecurityGroupRuleFromRemote", uuid=api.one("QueryEcsSecurityGroupFromLocal", "name=sg-web")["uuid"])
    router = api.ok("SyncAliyunVirtualRouterFromRemote", vpcUuid=vpc["uuid"])["inventories"][0]
    entries = api.ok("SyncAliyunRouteEntryFromRemote", vRouterUuid=router["uuid"], vRouterType="vrouter")
    assert [e["virtualRouterUuid"] for e in entries["inventories"]] == [router["uuid"]]
    for sync in ("SyncVpcVpnGatewayFromRemote", "SyncVpcVpnConnectionFromRemote", "SyncEcsInstanceFromRemote"):
        api.ok(sync, dataCenterUuid=dc["uuid"])
    for zone in api.query("QueryIdentityZoneFromLocal", f"dataCenterUuid={dc['uuid']}"):
        api.ok("SyncDiskFromAliyunFromRemote", identityUuid=zone["uuid"])
    assert _remote_ids(api) == before
    web = api.one("QueryEcsInstanceFromLocal", "name=ecs-web-1")
    assert web["ecsVSwitchUuid"] == api.one("QueryEcsVSwitchFromLocal", "name=vsw-web")["uuid"]
    assert api.one("QueryAliyunDiskFromLocal", "name=data-disk-1")["ecsInstanceUuid"] == web["uuid"]
    # what one side changes through the management node, the remote keeps: a sync leaves it
    snap = api.one("QueryAliyunSnapshotFromLocal", "name=snap-data-disk-1")
    api.ok("UpdateAliyunSnapshot", uuid=snap["uuid"], description="renamed on both sides")
    api.ok("SyncAliyunSnapshotRemote", dataCenterUuid=dc["uuid"])
    assert api.one("QueryAliyunSnapshotFromLocal", "name=snap-data-disk-1")["description"] == "renamed on both sides"


def test_security_group_rules_and_a_data_centers_instances(api):
    sg = api.one("QueryEcsSecurityGroupFromLocal", "name=sg-web")
    rule = api.ok("CreateEcsSecurityGroupRuleRemote", groupUuid=sg["uuid"], direction="ingress", protocol="tcp",
                  portRange="443/443", cidr="10.0.0.0/8")["inventory"]
    assert (rule["cidrIp"], rule["policy"], rule["ecsSecurityGroupUuid"]) == ("10.0.0.0/8", "accept", sg["uuid"])
    api.refused("CreateEcsSecurityGroupRuleRemote", groupUuid=sg["uuid"], direction="ingress", protocol="tcp",
                portRange="443/443", cidr="10.0.0.0/8")
    rules = api.ok("SyncEcsSecurityGroupRuleFromRemote", uuid=sg["uuid"])["inventories"]
    assert sorted(r["portRange"] for r in rules) == ["22/22", "443/443", "80/80"]
    api.ok("DeleteEcsSecurityGroupRuleRemote", uuid=rule["uuid"])
    rules = api.ok("SyncEcsSecurityGroupRuleFromRemote", uuid=sg["uuid"])["inventories"]
    assert sorted(r["portRange"] for r in rules) == ["22/22", "80/80"]
    # a bucket made current for the data center: the one current before is not any more
    dc = _dc(api)
    demo = api.one("QueryOssBucketFileName", "bucketName=zstack-demo-bucket")
    other = api.ok("CreateOssBucketRemote", dataCenterUuid=dc["uuid"], bucketName="bucket-script")["inventory"]
    api.refused("CreateOssBucketRemote", dataCenterUuid=dc["uuid"], bucketName="bucket-script")
    api.ok("AttachOssBucketToEcsDataCenter", ossBucketUuid=other["uuid"])
    assert api.one("QueryOssBucketFileName", f"uuid={demo['uuid']}")["current"] == "false"
    api.ok("DetachOssBucketFromEcsDataCenter", ossBucketUuid=other["uuid"])
    api.refused("DetachOssBucketFromEcsDataCenter", ossBucketUuid=other["uuid"])
    api.ok("DeleteOssBucketRemote", uuid=other["uuid"])
    assert "bucket-script" not in {b["bucketName"] for b in api.ok("GetOssBucketNameFromRemote",
                                                                   dataCenterUuid=dc["uuid"])["inventories"]}
    api.ok("AttachOssBucketToEcsDataCenter", ossBucketUuid=demo["uuid"])
    # every local instance of the data center goes; the remote keeps them, and a sync brings them all back
    ids = {i["ecsInstanceId"] for i in api.query("QueryEcsInstanceFromLocal")}
    api.ok("DeleteAllEcsInstancesFromDataCenter", uuid=dc["uuid"])
    assert not api.query("QueryEcsInstanceFromLocal")
    api.ok("SyncEcsInstanceFromRemote", dataCenterUuid=dc["uuid"])
    assert ids <= {i["ecsInstanceId"] for i in api.query("QueryEcsInstanceFromLocal")}


def test_an_l3_network_joined_to_a_vpc_and_an_image_uploaded(api):
    l3 = api.one("QueryL3Network", "name=private-1")
    vpc = api.one("QueryEcsVpcFromLocal", "name=vpc-demo")
    vbr = api.one("QueryVirtualBorderRouterFromLocal", "name=vbr-idc")
    api.refused("CreateConnectionBetweenL3NetworkAndAliyunVSwitch", l3networkUuid=l3["uuid"], vpcUuid=l3["uuid"],
                vbrUuid=vbr["uuid"], cpeIp="10.100.0.6", name="wrong", direction="both")
    made = api.ok("CreateConnectionBetweenL3NetworkAndAliyunVSwitch", l3networkUuid=l3["uuid"], vpcUuid=vpc["uuid"],
                  vbrUuid=vbr["uuid"], cpeIp="10.100.0.6", name="l3-to-vpc", direction="in")["inventory"]
    found = api.ok("GetConnectionBetweenL3NetworkAndAliyunVSwitch", uuid=l3["uuid"], resourceType="l3network")
    assert made["uuid"] in {r["uuid"] for r in found["inventories"]} and found["total"] == len(found["inventories"])
    assert not api.ok("GetConnectionBetweenL3NetworkAndAliyunVSwitch", uuid=l3["uuid"],
                      resourceType="vbr")["inventories"]
    api.ok("DeleteConnectionBetweenL3NetWorkAndAliyunVSwitch", uuid=made["uuid"])
    found = api.ok("GetConnectionBetweenL3NetworkAndAliyunVSwitch", uuid=l3["uuid"], resourceType="l3network")
    assert made["uuid"] not in {r["uuid"] for r in found["inventories"]}
    # a local image uploaded to the data center: its progress is done once its EcsImage exists
    dc = _dc(api)
    image = api.one("QueryImage", "name=windows-server-2019")
    api.refused("GetCreateEcsImageProgress", imageUuid=image["uuid"], dataCenterUuid=dc["uuid"])
    ecs_image = api.ok("CreateEcsImageFromLocalImage", imageUuid=image["uuid"], dataCenterUuid=dc["uuid"],
                       name="win-2019")["inventory"]
    assert (ecs_image["localImageUuid"], ecs_image["platform"]) == (image["uuid"], "Windows")
    progress = api.ok("GetCreateEcsImageProgress", imageUuid=image["uuid"], dataCenterUuid=dc["uuid"])["progress"]
    assert progress == {"progress": "100%", "stage": "Completed"}
    api.ok("DeleteEcsImageRemote", uuid=ecs_image["uuid"])
    assert ecs_image["ecsImageId"] not in {i["ecsImageId"] for i in api.ok(
        "SyncEcsImageFromRemote", dataCenterUuid=dc["uuid"])["inventories"]}
