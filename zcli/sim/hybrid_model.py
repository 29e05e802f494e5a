"""What the management node's hybrid-cloud inventories are on the remote cloud, and how one becomes the other.

Each :class:`Family` is a local inventory with a remote twin: the field that holds the remote id (``ecsVpcId``)
and the prefix of new ids, the field that places it (``up``: a vSwitch is in a VPC, a VPC in a data center,
whose ``regionId`` is the region), the other fields that name remote objects (``refs``), the fields that are
the management node's own (``local``: never sent to the remote), the API parameters that are its fields under
another name (``aliases``: CreateEcsVSwitchRemote's ``vpcUuid`` is ``ecsVpcUuid``), and what a new remote object
starts with (``born``). The hybrid modules are closed source: the field names are the catalogue's, the prefixes
Aliyun's, the statuses the SDK's enums where it has them (HybridEipStatus) and Aliyun's otherwise.

:func:`to_remote` and :func:`to_local` translate a row both ways; references travel as remote ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from zcli.sim.tables import q

DC = "DataCenterInventory"
_STAMPS = ("uuid", "createDate", "lastOpDate")


@dataclass(frozen=True)
class Family:
    inv: str
    rid: str | None  # the field of the remote id; None: keyed by a digest of ``key``
    prefix: str = ""
    up: tuple[str, tuple[str, ...]] | None = (("dataCenterUuid", (DC,)))
    refs: dict = field(default_factory=dict)  # field → inventories it may name
    local: tuple[str, ...] = ()
    aliases: dict = field(default_factory=dict)
    born: dict = field(default_factory=dict)
    key: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.inv.removesuffix("Inventory")

    def all_refs(self) -> dict:
        return {**({self.up[0]: self.up[1]} if self.up else {}), **self.refs}


_ZONE = ("identityZoneUuid", ("IdentityZoneInventory",))
FAMILIES: dict[str, Family] = {f.inv: f for f in (
    Family(DC, "regionId", up=None, local=("deleted", "dcType", "description")),
    Family("IdentityZoneInventory", "zoneId", local=("description", "type"), born={"closed": "false"}),
    Family("EcsVpcInventory", "ecsVpcId", "vpc-", born={"status": "Available", "deleted": "false"}),
    Family("VpcVirtualRouterInventory", "vrId", "vrt-", up=("vpcUuid", ("EcsVpcInventory",))),
    Family("EcsVSwitchInventory", "vSwitchId", "vsw-", up=("ecsVpcUuid", ("EcsVpcInventory",)),
           refs={"identityZoneUuid": ("IdentityZoneInventory",)}, aliases={"vpcUuid": "ecsVpcUuid"},
           born={"status": "Available"}),
    Family("EcsSecurityGroupInventory", "securityGroupId", "sg-", up=("ecsVpcUuid", ("EcsVpcInventory",)),
           aliases={"vpcUuid": "ecsVpcUuid"}),
    Family("EcsSecurityGroupRuleInventory", None, "sgr-", up=("ecsSecurityGroupUuid", ("EcsSecurityGroupInventory",)),
           aliases={"groupUuid": "ecsSecurityGroupUuid", "cidr": "cidrIp", "nictype": "nicType"},
           born={"policy": "accept", "nicType": "intranet", "priority": "1"},
           key=("direction", "protocol", "portRange", "cidrIp", "policy", "nicType")),
    Family("EcsImageInventory", "ecsImageId", "m-", local=("localImageUuid", "ossMd5Sum"),
           aliases={"imageUuid": "localImageUuid"}, born={"type": "self", "format": "qcow2"}),
    Family("EcsInstanceInventory", "ecsInstanceId", "i-", up=_ZONE, local=("localVmInstanceUuid",),
           refs={"ecsVSwitchUuid": ("EcsVSwitchInventory",), "ecsImageUuid": ("EcsImageInventory",),
                 "ecsSecurityGroupUuid": ("EcsSecurityGroupInventory",)},
           aliases={"instanceType": "ecsInstanceType", "ecsRootVolumeGBSize": "ecsRootVolumeSize",
                    "ecsRootVolumeType": "ecsRootVolumeCategory"},
           born={"ecsStatus": "Running", "chargeType": "PostPaid", "ecsRootVolumeCategory": "cloud_efficiency",
                 "ecsRootVolumeSize": 40, "ecsBandWidth": 0}),
    Family("AliyunDiskInventory", "diskId", "d-", up=_ZONE, refs={"ecsInstanceUuid": ("EcsInstanceInventory",)},
           aliases={"identityUuid": "identityZoneUuid"},
           born={"status": "Available", "diskCategory": "cloud_efficiency", "diskType": "data",
                 "diskChargeType": "PostPaid", "sizeWithGB": 20}),
    Family("AliyunSnapshotInventory", "snapshotId", "s-", refs={"diskUuid": ("AliyunDiskInventory",)},
           born={"status": "accomplished", "aliyunSnapshotUsage": "none"}),
    Family("HybridEipAddressInventory", "eipId", "eip-", refs={"allocateResourceUuid": ("EcsInstanceInventory",)},
           aliases={"bandWidthMb": "bandWidth"}, born={"status": "Available", "eipType": "aliyun"}),
    Family("ConnectionAccessPointInventory", "accessPointId", "ap-", born={"status": "recommended", "type": "VPC"}),
    Family("VirtualBorderRouterInventory", "vbrId", "vbr-",
           refs={"accessPointUuid": ("ConnectionAccessPointInventory",)},
           born={"status": "active", "physicalConnectionStatus": "Enabled"}),
    Family("AliyunRouterInterfaceInventory", "routerInterfaceId", "ri-",
           refs={"accessPointUuid": ("ConnectionAccessPointInventory",),
                 "virtualRouterUuid": ("VpcVirtualRouterInventory", "VirtualBorderRouterInventory"),
                 "oppositeInterfaceUuid": ("AliyunRouterInterfaceInventory",)},
           aliases={"vRouterUuid": "virtualRouterUuid", "routerType": "vRouterType"},
           born={"status": "Idle", "spec": "Small.1", "role": "InitiatingSide"}),
    Family("VpcVirtualRouteEntryInventory", None, "rte-",
           up=("virtualRouterUuid", ("VpcVirtualRouterInventory", "VirtualBorderRouterInventory")),
           aliases={"vRouterUuid": "virtualRouterUuid", "dstCidrBlock": "destinationCidrBlock",
                    "nextHopUuid": "nextHopId"},
           born={"status": "Available", "type": "custom"}, key=("destinationCidrBlock",)),
    Family("VpcVpnGatewayInventory", "gatewayId", "vpn-", up=("vSwitchUuid", ("EcsVSwitchInventory",)),
           born={"status": "active", "businessStatus": "Normal", "spec": "10M"}),
    Family("VpcUserVpnGatewayInventory", "gatewayId", "cgw-"),
    Family("VpcVpnConnectionInventory", "connectionId", "vco-", up=("vpnGatewayUuid", ("VpcVpnGatewayInventory",)),
           refs={"userGatewayUuid": ("VpcUserVpnGatewayInventory",)}, local=("ikeConfigUuid", "ipsecConfigUuid"),
           aliases={"localCidr": "localSubnet", "remoteCidr": "remoteSubnet", "ikeConfUuid": "ikeConfigUuid",
                    "ipsecConfUuid": "ipsecConfigUuid"},
           born={"status": "ike_sa_not_established"}),
    Family("OssBucketInventory", "bucketName", local=("current", "description")),
    Family("AliyunNasFileSystemInventory", "fileSystemId", "", born={"protocol": "NFS", "type": "aliyun",
                                                                    "storageType": "Capacity"}),
    Family("AliyunNasAccessGroupInventory", "name", born={"type": "Vpc"}, aliases={"networkType": "type"}),
    Family("AliyunNasAccessRuleInventory", "ruleId", "", up=("accessGroupUuid", ("AliyunNasAccessGroupInventory",)),
           aliases={"sourceCidrIp": "sourceCidr", "rwAccessType": "rule"}, born={"rule": "RDWR", "priority": 1,
                                                                                "userAccess": "no_squash"}),
    Family("AliyunNasMountTargetInventory", "mountDomain", "",
           up=("nasFileSystemUuid", ("AliyunNasFileSystemInventory",)),
           refs={"accessGroupUuid": ("AliyunNasAccessGroupInventory",)},
           aliases={"nasFSUuid": "nasFileSystemUuid", "nasAccessGroupUuid": "accessGroupUuid"},
           born={"status": "Active", "type": "aliyun"}),
)}


def family_of(inv: str | None) -> Family | None:
    return FAMILIES.get(inv) if inv else None


def one(store, inv: str, uuid_: str | None) -> dict | None:
    if not uuid_:
        return None
    found = store.inventories(inv, "uuid = ?", [uuid_], limit=1, depth=0)
    return found[0] if found else None


def rid_of(fam: Family, row: dict, store=None) -> str | None:
    """The remote id of a local row: its id field, or (rules, route entries) a digest of its key fields and
    its parent's remote id (``store`` finds the parent)."""
    if fam.rid:
        return row.get(fam.rid)
    inv, parent = find(store, fam.up[1], row.get(fam.up[0])) if fam.up and store is not None else (None, None)
    up = rid_of(FAMILIES[inv], parent, store) if parent is not None else ""
    text = "/".join(str(row.get(k) or "") for k in (*fam.key,)) + f"@{up}"
    return fam.prefix + hashlib.sha1(text.encode()).hexdigest()[:16]


def find(store, invs, uuid_: str | None) -> tuple[str, dict] | tuple[None, None]:
    """(inventory, row) of the first of ``invs`` holding ``uuid_``."""
    for inv in invs:
        row = one(store, inv, uuid_)
        if row is not None:
            return inv, row
    return None, None


def chain(store, fam: Family, row: dict) -> list[tuple[str, dict]]:
    """The row's ancestors, nearest first, up to its data center: [(inventory, row), ...]."""
    out, seen = [], set()
    while fam is not None and fam.up and row is not None:
        inv, parent = find(store, fam.up[1], row.get(fam.up[0]))
        if parent is None or parent["uuid"] in seen:
            break
        seen.add(parent["uuid"])
        out.append((inv, parent))
        fam, row = FAMILIES.get(inv), parent
    return out


def region_of(store, fam: Family, row: dict) -> str | None:
    if fam.inv == DC:
        return row.get("regionId")
    for inv, r in chain(store, fam, row):
        if inv == DC:
            return r.get("regionId")
    return None


def path_of(store, fam: Family, row: dict) -> str:
    """``/region/ancestor-rid/.../own-rid/``: where the remote object lives."""
    rids = [rid_of(FAMILIES[inv], r, store) for inv, r in reversed(chain(store, fam, row))]
    if fam.inv == DC:
        rids = []
    return "/" + "".join(f"{r}/" for r in [*rids, rid_of(fam, row, store)])


def to_remote(store, fam: Family, row: dict) -> dict:
    """The remote body of a local row: its own fields, references as remote ids."""
    refs = fam.all_refs()
    body = {k: v for k, v in row.items()
            if k not in _STAMPS and k not in fam.local and k not in refs and not isinstance(v, (list, dict))}
    for name, invs in refs.items():
        inv, target = find(store, invs, row.get(name))
        body[name] = rid_of(FAMILIES[inv], target, store) if target is not None else None
    if fam.inv == "VpcVpnConnectionInventory":  # the remote connection holds its IKE and IPsec settings
        body["ikeConf"] = ike_conf(one(store, "VpcVpnIkeConfigInventory", row.get("ikeConfigUuid")) or {})
        body["ipSecConf"] = ipsec_conf(one(store, "VpcVpnIpSecConfigInventory", row.get("ipsecConfigUuid")) or {})
    return body


def local_uuid(store, invs, rid: str | None, within: dict | None = None) -> str | None:
    """The local uuid of the remote object ``rid`` (one of ``invs``); ``within``: inventory → uuid preferred."""
    if not rid:
        return None
    for inv in invs:
        if within and inv in within:
            fam = FAMILIES[inv]
            row = one(store, inv, within[inv])
            if row is not None and rid_of(fam, row, store) == rid:
                return row["uuid"]
        fam = FAMILIES[inv]
        if fam.rid:
            _, rows = store.read(f"SELECT uuid FROM {q(inv)} WHERE {q(fam.rid)} = ? ORDER BY rowid LIMIT 1", [rid])
            if rows:
                return rows[0][0]
    return None


def to_local(store, fam: Family, body: dict, within: dict | None = None) -> dict:
    """The local fields of a remote body: remote ids back to local uuids (None when not known locally)."""
    kinds = store.specs[fam.inv].kinds
    out = {k: v for k, v in body.items() if k in kinds and k not in _STAMPS}
    for name, invs in fam.all_refs().items():
        out[name] = local_uuid(store, invs, body.get(name), within)
    return out


def under(store, fam: Family, row: dict, scope_uuid: str) -> bool:
    """Whether ``row`` lives under the resource ``scope_uuid`` (itself included)."""
    return row["uuid"] == scope_uuid or any(r["uuid"] == scope_uuid for _, r in chain(store, fam, row))


def ike_conf(ike: dict) -> dict:
    """VpcVpnIkeConfigStruct (the SDK's field names) of a local IKE configuration."""
    return {"Psk": ike.get("psk"), "IkeVersion": ike.get("version"), "IkeMode": ike.get("mode"),
            "IkeEncAlg": ike.get("encodeAlgorithm"), "IkeAuthAlg": ike.get("authAlgorithm"),
            "IkePfs": ike.get("pfs"), "IkeLifetime": ike.get("lifetime"), "LocalId": ike.get("localIp"),
            "RemoteId": ike.get("remoteIp")}


def ipsec_conf(ipsec: dict) -> dict:
    return {"IpsecEncAlg": ipsec.get("encodeAlgorithm"), "IpsecAuthAlg": ipsec.get("authAlgorithm"),
            "IpsecPfs": ipsec.get("pfs"), "IpsecLifetime": ipsec.get("lifetime")}
