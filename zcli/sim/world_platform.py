"""The demo world's platform: the management node, IAM2 (virtual IDs, organizations, projects, a group, a role,
attributes and memberships), the Normal accounts' quotas, an LDAP server, the licence and a price table.

The virtual ID ``iam2-user`` and the project ``project-1`` are the ones the logins know (zcli/sim/logins.py):
the same uuid and the same linked account. Everything is derived in a fixed order from the world's seeded
generator, so the same seed gives the same world.
"""

from __future__ import annotations

import uuid

NODE_UUID = uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim-management-node").hex
NODE_IP = "172.20.0.1"
#: The licence the simulator's management node holds (what ReloadLicense reads back and UpdateLicense replaces).
LICENSE = {"user": "zcli-sim", "prodInfo": "ZStack Cloud", "licenseType": "Paid", "cpuNum": 256, "hostNum": 32,
           "vmNum": 1000, "capacity": 0, "issuedDate": "2024-03-01 00:00:00", "expiredDate": "2027-03-01 00:00:00",
           "source": "platform"}
ADDONS = (("vmware", ["vmware"], 64), ("baremetal2", ["baremetal2"], 16))
#: Prices of the demo price table: resource, unit, time unit, price.
PRICES = (("cpu", "core", "s", 0.0002), ("memory", "GB", "s", 0.0001), ("rootVolume", "GB", "s", 0.00001),
          ("dataVolume", "GB", "s", 0.00001), ("snapShot", "GB", "s", 0.000005))


def add_platform(w) -> None:
    from zcli.sim.logins import PROJECT, PROJECT_ACCOUNT_UUID, VIRTUAL_ID
    from zcli.sim.quotas import USAGE
    from zcli.sim.world import ADMIN_ACCOUNT_UUID

    w.add("ManagementNodeInventory", uuid=NODE_UUID, hostName=NODE_IP, joinDate="2024-03-01 08:00:00",
          heartBeat="2024-03-01 08:00:00")
    _iam2(w, uuid.uuid5(uuid.NAMESPACE_DNS, f"zcli-sim-{VIRTUAL_ID}").hex, VIRTUAL_ID, PROJECT, PROJECT_ACCOUNT_UUID)
    normal = [a for a in w.rows.get("AccountInventory", []) if a.get("type") == "Normal"]
    from zcli.sim.configs import definitions

    for a in normal:
        for name in USAGE:
            w.add("QuotaInventory", uuid=uuid.uuid5(uuid.NAMESPACE_OID, f"{a['uuid']}/{name}").hex, name=name,
                  identityUuid=a["uuid"], identityType="AccountVO",
                  value=int(definitions().get(("quota", name), {}).get("default") or 0))
    w.entity("LdapServerInventory", "ldap-1", description="the demo directory", url="ldap://172.20.0.5:389",
             base="dc=zstack,dc=example", username="cn=admin,dc=zstack,dc=example", scope="account",
             encryption="None")
    lic = w.add("LicenseInventory", uuid=w.uid(), managementNodeUuid=NODE_UUID, expired=False,
                uploadDate="2024-03-01 08:00:00", platformId=uuid.uuid5(uuid.NAMESPACE_DNS, "zcli-sim").hex, **LICENSE)
    for name, modules, hosts in ADDONS:
        w.add("LicenseAddOnInventory", **{**lic, "uuid": w.uid(), "name": name, "modules": modules, "hostNum": hosts,
                                          "licenseType": "AddOn"})
    table = w.entity("PriceTableInventory", "default-prices", description="the demo price table")
    for resource, unit, time_unit, price in PRICES:
        w.add("PriceInventory", uuid=w.uid(), tableUuid=table["uuid"], resourceName=resource, resourceUnit=unit,
              timeUnit=time_unit, price=price, dateInLong=1709280000000)
    for a in [ADMIN_ACCOUNT_UUID, *(x["uuid"] for x in normal)]:
        w.add("AccountPriceTableRefInventory", accountUuid=a, tableUuid=table["uuid"])


def _iam2(w, vid_uuid: str, vid_name: str, project_name: str, project_account: str) -> None:
    from zcli.sim.iam2_members import ORG_PROJECT_REF

    vids = [w.add("IAM2VirtualIDInventory", uuid=vid_uuid, name=vid_name, state="Enabled", type="ZStack",
                  description="the virtual ID of the logins")]
    vids += [w.entity("IAM2VirtualIDInventory", n, state="Enabled", type="ZStack") for n in ("alice", "bob")]
    root = w.entity("IAM2OrganizationInventory", "总公司", type="Company", state="Enabled", srcType="ZStack")
    root["rootOrganizationUuid"] = root["uuid"]
    dept = w.entity("IAM2OrganizationInventory", "研发部", type="Department", state="Enabled", srcType="ZStack",
                    parentUuid=root["uuid"], rootOrganizationUuid=root["uuid"])
    projects = [w.entity("IAM2ProjectInventory", project_name, state="Enabled", linkedAccountUuid=project_account,
                         description="the project of the logins"),
                w.entity("IAM2ProjectInventory", "project-2", state="Enabled")]
    group = w.entity("IAM2VirtualIDGroupInventory", "group-1", projectUuid=projects[0]["uuid"], state="Enabled")
    role = w.entity("RoleInventory", "project-operator", type="Customized", state="Enabled",
                    description="operates a project's resources")
    w.add(ORG_PROJECT_REF, projectUuid=projects[0]["uuid"], organizationUuid=dept["uuid"])
    attr = w.add("IAM2ProjectAttributeInventory", uuid=w.uid(), name="__ProjectAdmin__", value=vid_uuid,
                 type="System", projectUuid=projects[0]["uuid"])
    w.rows.setdefault("IAM2AttributeInventory", []).append({k: v for k, v in attr.items() if k != "projectUuid"})
    projects[0]["attributes"] = [attr]
    w.members = [("project-vid", projects[0]["uuid"], v["uuid"], "") for v in vids[:2]]
    w.members += [("group-vid", group["uuid"], vids[1]["uuid"], ""),
                  ("org-vid", root["uuid"], vids[0]["uuid"], ""), ("org-vid", dept["uuid"], vids[1]["uuid"], ""),
                  ("vid-role", vids[0]["uuid"], role["uuid"], projects[0]["uuid"])]


def seed_members(store, w) -> None:
    """Write the world's membership rows (zcli/sim/iam2_members.py keeps them in a table of its own)."""
    from zcli.sim.iam2_members import Members

    members = Members(store)
    with store.transaction() as cur:
        for relation, owner, member, scope in getattr(w, "members", ()):
            members.add(cur, relation, owner, member, scope, "2024-03-01 08:00:00")
