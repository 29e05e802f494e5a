"""The demo world's hybrid cloud: an Aliyun data center (cn-hangzhou) added to the management node, an access key
for it, and a small estate on the remote cloud, most of it known locally and a little only remotely.

Locally: two identity zones, a VPC with its router and a route entry, two vSwitches, a security group with two
rules, an image, two ECS instances (one running, one stopped), two disks (one attached) and a snapshot, two EIPs
(one bound), a VPN gateway, a customer gateway and a VPN connection with its IKE and IPsec configurations, an
access point, a virtual border router, two router interfaces, an OSS bucket and a NAS file system with an access
group, a rule and a mount target. The remote cloud (:mod:`zcli.sim.remote`) has the twin of each, and also what
a sync or an ``Add*`` call finds that the management node lacks: a third vSwitch, a third instance, a second
bucket, file system and access point, a second region (cn-beijing) with its zones, the instance types each zone
offers, the bucket's files and the region's database backup bucket. Fixed, whatever the world's scale.
"""

from __future__ import annotations

import hashlib
import json

from zcli.sim import remote
from zcli.sim.hybrid_model import FAMILIES, path_of, region_of, rid_of, to_remote

_TYPES = (("ecs.t6-c1m1.large", 2, 2, "ecs.t6"), ("ecs.g6.large", 2, 8, "ecs.g6"), ("ecs.c6.xlarge", 4, 8, "ecs.c6"),
          ("ecs.r6.2xlarge", 8, 64, "ecs.r6"))


def _rid(prefix: str, text: str, width: int = 20) -> str:
    return prefix + hashlib.sha1(f"demo/{text}".encode()).hexdigest()[:width]


def add_hybrid(w, admin: str) -> None:
    """Add the hybrid rows to the world ``w``; ``w.remote_only`` lists those that only the remote keeps."""
    e = w.entity
    w.remote_only = []
    dcs = {}
    for region, name in (("cn-hangzhou", "华东1（杭州）"), ("cn-beijing", "华北2（北京）")):
        dcs[region] = e("DataCenterInventory", None, regionId=region, regionName=name, dcType="aliyun",
                        endpoint=f"ecs.{region}.aliyuncs.com", deleted="false", description=f"Aliyun {region}")
    dc = dcs["cn-hangzhou"]
    w.remote_only.append(("DataCenterInventory", dcs["cn-beijing"]["uuid"]))
    e("HybridAccountInventory", "aliyun-key", accountUuid=admin, type="aliyun", akey="LTAI5tSimulatorDemoKey",
      hybridAccountId="1234567890123456", hybridUserName="zstack-admin", current="true",
      description="access key of the Aliyun demo account")
    zones = {}
    for region, z in (("cn-hangzhou", "h"), ("cn-hangzhou", "i"), ("cn-beijing", "a")):
        zones[z] = e("IdentityZoneInventory", None, dataCenterUuid=dcs[region]["uuid"], zoneId=f"{region}-{z}",
                     zoneName=f"{region} zone {z.upper()}", type="aliyun", closed="false")
        if region != "cn-hangzhou":
            w.remote_only.append(("IdentityZoneInventory", zones[z]["uuid"]))
    vpc = e("EcsVpcInventory", "vpc-demo", ecsVpcId=_rid("vpc-", "vpc"), dataCenterUuid=dc["uuid"], status="Available",
            deleted="false", cidrBlock="172.16.0.0/12", vRouterId=_rid("vrt-", "vrt"), description="the demo VPC")
    router = e("VpcVirtualRouterInventory", "vrouter-demo", vrId=vpc["vRouterId"], vpcUuid=vpc["uuid"])
    vsw = {}
    for key, cidr, z in (("web", "172.16.1.0/24", "h"), ("db", "172.16.2.0/24", "i"), ("extra", "172.16.3.0/24", "i")):
        vsw[key] = e("EcsVSwitchInventory", f"vsw-{key}", vSwitchId=_rid("vsw-", key), status="Available",
                     cidrBlock=cidr, availableIpAddressCount=252, ecsVpcUuid=vpc["uuid"],
                     identityZoneUuid=zones[z]["uuid"])
    w.remote_only.append(("EcsVSwitchInventory", vsw["extra"]["uuid"]))
    sg = e("EcsSecurityGroupInventory", "sg-web", securityGroupId=_rid("sg-", "web"), ecsVpcUuid=vpc["uuid"])
    for port in ("22/22", "80/80"):
        w.add("EcsSecurityGroupRuleInventory", uuid=w.uid(), ecsSecurityGroupUuid=sg["uuid"], protocol="tcp",
              portRange=port, cidrIp="0.0.0.0/0", priority="1", direction="ingress", nicType="intranet",
              policy="accept", description=f"allow {port.split('/')[0]}")
    image = e("EcsImageInventory", "centos-7.9-x64", ecsImageId=_rid("m-", "centos"), ecsImageSize=40,
              dataCenterUuid=dc["uuid"], platform="Linux", type="self", format="qcow2", osName="CentOS 7.9 64位",
              localImageUuid=w.rows["ImageInventory"][0]["uuid"])
    ecs = []
    for i, (status, key) in enumerate((("Running", "web"), ("Stopped", "web"), ("Running", "db"))):
        ecs.append(e("EcsInstanceInventory", f"ecs-{key}-{i + 1}", ecsInstanceId=_rid("i-", f"ecs{i}"),
                     ecsStatus=status,
                     cpuCores=2, memorySize=8 << 30, ecsInstanceType="ecs.g6.large", ecsBandWidth=5,
                     ecsRootVolumeId=_rid("d-", f"root{i}"), ecsRootVolumeCategory="cloud_essd", ecsRootVolumeSize=40,
                     privateIpAddress=f"172.16.{1 if key == 'web' else 2}.{10 + i}", ecsVSwitchUuid=vsw[key]["uuid"],
                     ecsImageUuid=image["uuid"], ecsSecurityGroupUuid=sg["uuid"],
                     identityZoneUuid=vsw[key]["identityZoneUuid"], chargeType="PostPaid"))
    w.remote_only.append(("EcsInstanceInventory", ecs[2]["uuid"]))
    disks = [e("AliyunDiskInventory", f"data-disk-{i + 1}", diskId=_rid("d-", f"disk{i}"),
               identityZoneUuid=zones["h"]["uuid"],
               ecsInstanceUuid=ecs[0]["uuid"] if i == 0 else None, diskCategory="cloud_efficiency", diskType="data",
               diskChargeType="PostPaid", status="In_use" if i == 0 else "Available", sizeWithGB=100)
             for i in range(2)]
    e("AliyunSnapshotInventory", "snap-data-disk-1", snapshotId=_rid("s-", "snap"), dataCenterUuid=dc["uuid"],
      diskUuid=disks[0]["uuid"], status="accomplished", aliyunSnapshotUsage="none")
    for i, name in enumerate(("eip-web", "eip-free")):
        e("HybridEipAddressInventory", name, eipId=_rid("eip-", name), bandWidth="5", dataCenterUuid=dc["uuid"],
          allocateResourceUuid=ecs[0]["uuid"] if i == 0 else None,
          allocateResourceType="EcsInstance" if i == 0 else None,
          status="InUse" if i == 0 else "Available", eipAddress=f"47.96.10.{20 + i}", eipType="aliyun",
          chargeType="PayByTraffic")
    ecs[0]["publicIpAddress"] = "47.96.10.20"
    vpn = e("VpcVpnGatewayInventory", "vpn-gw-demo", gatewayId=_rid("vpn-", "vpn"), vSwitchUuid=vsw["web"]["uuid"],
            publicIp="47.96.10.30", spec="10M", status="active", businessStatus="Normal", type="aliyun")
    cgw = e("VpcUserVpnGatewayInventory", "idc-gateway", gatewayId=_rid("cgw-", "cgw"), dataCenterUuid=dc["uuid"],
            ip="203.0.113.10", type="aliyun")
    ike = e("VpcVpnIkeConfigInventory", "ike-demo", psk="sim-psk", version="ikev1", mode="main", encodeAlgorithm="aes",
            authAlgorithm="sha1", pfs="group2", lifetime=86400, localIp="47.96.10.30", remoteIp="203.0.113.10")
    ipsec = e("VpcVpnIpSecConfigInventory", "ipsec-demo", encodeAlgorithm="aes", authAlgorithm="sha1", pfs="group2",
              lifetime=86400)
    e("VpcVpnConnectionInventory", "idc-vpn", connectionId=_rid("vco-", "vco"), type="aliyun",
      status="ike_sa_not_established", userGatewayUuid=cgw["uuid"], vpnGatewayUuid=vpn["uuid"],
      localSubnet="172.16.0.0/12", remoteSubnet="192.168.0.0/16", ikeConfigUuid=ike["uuid"],
      ipsecConfigUuid=ipsec["uuid"])
    w.add("VpcVirtualRouteEntryInventory", uuid=w.uid(), type="custom", vRouterType="vrouter", status="Available",
          destinationCidrBlock="192.168.0.0/16", nextHopId=vpn["gatewayId"], nextHopType="VpnGateway",
          virtualRouterUuid=router["uuid"])
    aps = [e("ConnectionAccessPointInventory", f"杭州-接入点-{c}", accessPointId=f"ap-cn-hangzhou-xx-{c}", type="VPC",
             dataCenterUuid=dc["uuid"], status="recommended", hostOperator="China Telecom") for c in "AB"]
    w.remote_only.append(("ConnectionAccessPointInventory", aps[1]["uuid"]))
    vbr = e("VirtualBorderRouterInventory", "vbr-idc", vbrId=_rid("vbr-", "vbr"), vlanInterfaceId=_rid("ri-", "vlan"),
            status="active", dataCenterUuid=dc["uuid"], vlanId="100", physicalConnectionStatus="Enabled",
            circuitCode="sim-circuit-1", localGatewayIp="10.100.0.1", peerGatewayIp="10.100.0.2",
            peeringSubnetMask="255.255.255.252", physicalConnectionId=_rid("pc-", "pc"), accessPointUuid=aps[0]["uuid"])
    l3 = next(n for n in w.rows["L3NetworkInventory"] if n.get("category") == "Private")
    e("ConnectionRelationShipInventory", "idc-to-vpc", description="the IDC network joined to the demo VPC",
      relationShips=json.dumps({"l3networkUuid": l3["uuid"], "vpcUuid": vpc["uuid"], "vbrUuid": vbr["uuid"],
                                "cpeIp": "10.100.0.2", "direction": "both"}, sort_keys=True))
    for key, owner, kind in (("vrouter", router, "vrouter"), ("vbr", vbr, "vbr")):
        e("AliyunRouterInterfaceInventory", f"ri-{key}", dataCenterUuid=dc["uuid"], routerInterfaceId=_rid("ri-", key),
          virtualRouterUuid=owner["uuid"], accessPointUuid=aps[0]["uuid"], vRouterType=kind, spec="Small.1",
          role="InitiatingSide" if key == "vrouter" else "AcceptingSide", status="Idle")
    for i, name in enumerate(("zstack-demo-bucket", "zstack-remote-bucket")):
        b = e("OssBucketInventory", None, bucketName=name, dataCenterUuid=dc["uuid"],
              current="true" if i == 0 else "false",
              regionName="cn-hangzhou", description="demo bucket")
        if i:
            w.remote_only.append(("OssBucketInventory", b["uuid"]))
    for i, name in enumerate(("nas-demo", "nas-remote")):
        fs = e("AliyunNasFileSystemInventory", name, protocol="NFS", type="aliyun", fileSystemId=_rid("", name, 10),
               dataCenterUuid=dc["uuid"], storageType="Capacity")
        w.add("NasFileSystemInventory", **{k: fs[k] for k in ("uuid", "name", "protocol", "type", "fileSystemId",
                                                                "createDate", "lastOpDate")})
        if i:
            w.remote_only.append(("AliyunNasFileSystemInventory", fs["uuid"]))
            w.remote_only.append(("NasFileSystemInventory", fs["uuid"]))
        else:
            first = fs
    group = e("AliyunNasAccessGroupInventory", "nas-group-demo", dataCenterUuid=dc["uuid"], type="Vpc")
    w.add("AliyunNasAccessRuleInventory", uuid=w.uid(), accessGroupUuid=group["uuid"], sourceCidr="172.16.0.0/12",
          rule="RDWR", priority=1, userAccess="no_squash", ruleId="1")
    mt = e("AliyunNasMountTargetInventory", "mount-demo", mountDomain=f"{first['fileSystemId']}-0001.cn-hangzhou.nas"
           ".aliyuncs.com", nasFileSystemUuid=first["uuid"], type="aliyun", accessGroupUuid=group["uuid"],
           status="Active")
    w.add("NasMountTargetInventory", **{k: mt[k] for k in ("uuid", "name", "mountDomain", "nasFileSystemUuid", "type",
                                                            "createDate", "lastOpDate")})


def seed_remote(store, w) -> None:
    """Write the remote cloud's twins of the world's hybrid rows and its remote-only objects, then forget locally
    what only the remote keeps (after the world's rows are in ``store``)."""
    with store.transaction() as cur:
        remote.ensure(cur)
    objects = []
    for inv, fam in FAMILIES.items():
        for row in store.inventories(inv, depth=0):
            region = region_of(store, fam, row)
            if region:
                objects.append((fam.kind, region, rid_of(fam, row, store), path_of(store, fam, row),
                                to_remote(store, fam, row)))
    _, zones = store.read('SELECT zoneId, dataCenterUuid FROM "IdentityZoneInventory" ORDER BY rowid')
    _, dcs = store.read('SELECT uuid, regionId FROM "DataCenterInventory"')
    region_of_dc = dict(dcs)
    for zone, dc in zones:
        region = region_of_dc.get(dc)
        for type_id, cpu, mem, family in _TYPES:
            objects.append(("InstanceType", region, f"{zone}/{type_id}", f"/{region}/{zone}/{zone}/{type_id}/",
                            {"typeId": type_id, "cpu": cpu, "memory": mem << 30, "typeFamily": family,
                             "generation": "ecs-" + family[-1]}))
    for name in ("images/centos-7.9.qcow2", "backup/readme.txt"):
        objects.append(("OssFile", "cn-hangzhou", f"zstack-demo-bucket/{name}",
                        f"/cn-hangzhou/zstack-demo-bucket/zstack-demo-bucket/{name}/", {"name": name}))
    bucket = _rid("zstack-backup-", "backup", 12)
    objects.append(("BackupBucket", "cn-hangzhou", bucket, f"/cn-hangzhou/{bucket}/",
                    {"bucketName": bucket, "regionId": "cn-hangzhou"}))
    file = "zstack-db-backup-20240301-080000.gz"
    objects.append(("BackupFile", "cn-hangzhou", f"{bucket}/{file}", f"/cn-hangzhou/{bucket}/{bucket}/{file}/",
                    {"name": file, "bucketName": bucket, "createDate": "2024-03-01 08:00:00"}))
    with store.transaction() as cur:
        for kind, region, rid, path, body in objects:
            remote.write(cur, kind, region, rid, path, body)
        for inv, uuid_ in getattr(w, "remote_only", ()):
            cur.execute(f'DELETE FROM "{inv}" WHERE uuid = ?', (uuid_,))

