"""Quotas of accounts and IAM2 organizations, and their usage counted from the world.

Facts from the server (identity/, compute/vm/quota/, image/, network/l3/): every Normal account has a QuotaVO
per quota definition, made from the ``quota`` global configs (its default) when the account is created or
the node starts (``repairAccountQuota``); the admin account has none. UpdateQuota refuses a quota that does
not exist ("cannot find Quota[name: %s] for the account[uuid: %s]"), a negative value and a value under what
the account uses. GetAccountQuotaUsage answers, per definition, ``used`` counted from the account's resources
and ``total`` from its QuotaVO (0 when none).

The usage rules follow the definitions' SQL: ``vm.totalNum`` counts VMs not Destroyed, ``vm.num`` /
``vm.cpuNum`` / ``vm.memorySize`` the VMs not Stopped, Destroying, Destroyed or Created, ``volume.data.num``
data volumes not Deleted, ``volume.capacity`` the size of every volume, ``image.num`` / ``image.size``
images (actualSize), and the ``<kind>.num`` quotas the rows of that kind. A resource belongs to the account
of its AccountResourceRef row, else to its ``accountUuid`` field, else to the admin (the demo world's).

An organization's quotas (UpdateOrganizationQuota, closed source) are QuotaVO rows of identityType
IAM2OrganizationVO, the global default until set; its usage sums the accounts linked to the projects
attached to it and to its sub-organizations.
"""

from __future__ import annotations

import uuid

from zcli.sim.configs import definitions
from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.family import Family, as_list
from zcli.sim.iam2_members import ORG, ORG_PROJECT_REF, sub_organizations
from zcli.sim.tables import q
from zcli.sim.world import ADMIN_ACCOUNT_UUID

_VM_OFF = "('Stopped', 'Destroying', 'Destroyed', 'Created')"
#: quota name → (inventory, SQL expression summed or counted, extra condition)
USAGE = {
    "vm.totalNum": ("VmInstanceInventory", "COUNT(*)", "state != 'Destroyed'"),
    "vm.num": ("VmInstanceInventory", "COUNT(*)", f"state NOT IN {_VM_OFF}"),
    "vm.cpuNum": ("VmInstanceInventory", "SUM(cpuNum)", f"state NOT IN {_VM_OFF}"),
    "vm.memorySize": ("VmInstanceInventory", "SUM(memorySize)", f"state NOT IN {_VM_OFF}"),
    "volume.data.num": ("VolumeInventory", "COUNT(*)", "type = 'Data' AND (status IS NULL OR status != 'Deleted')"),
    "volume.capacity": ("VolumeInventory", "SUM(size)", ""),
    "image.num": ("ImageInventory", "COUNT(*)", ""),
    "image.size": ("ImageInventory", "SUM(actualSize)", ""),
    "l3.num": ("L3NetworkInventory", "COUNT(*)", ""),
    "eip.num": ("EipInventory", "COUNT(*)", ""),
    "vip.num": ("VipInventory", "COUNT(*)", ""),
    "securityGroup.num": ("SecurityGroupInventory", "COUNT(*)", ""),
    "portForwarding.num": ("PortForwardingRuleInventory", "COUNT(*)", ""),
    "loadBalancer.num": ("LoadBalancerInventory", "COUNT(*)", ""),
    "listener.num": ("LoadBalancerListenerInventory", "COUNT(*)", ""),
    "snapshot.volume.num": ("VolumeSnapshotInventory", "COUNT(*)", ""),
    "vxlan.num": ("L2VxlanNetworkInventory", "COUNT(*)", ""),
}
def defaults(store) -> dict[str, int]:
    """Quota name → its default: the ``quota`` global config's current value (UpdateGlobalConfig changes what a
    new account gets, as on the server), else its definition's default."""
    _, rows = store.read('SELECT name, value FROM "GlobalConfigInventory" WHERE category = \'quota\'')
    current = dict(rows)
    out = {}
    for name in USAGE:
        value = current.get(name, definitions().get(("quota", name), {}).get("default"))
        try:
            out[name] = int(value)
        except (TypeError, ValueError):
            out[name] = 0
    return out


def default_quota_rows(store, account: str, when: str, have=()) -> list[dict]:
    """The QuotaVO rows a Normal account gets (those it lacks of ``have``)."""
    return [{"uuid": uuid.uuid5(uuid.NAMESPACE_OID, f"{account}/{name}").hex, "name": name, "identityUuid": account,
             "identityType": "AccountVO", "value": value, "createDate": when, "lastOpDate": when}
            for name, value in defaults(store).items() if name not in have]


class Usage:
    """What an account (or a set of accounts) uses, counted from the world."""

    def __init__(self, store):
        self.store = store

    def used(self, name: str, accounts: list[str]) -> int:
        inv, expr, cond = USAGE[name]
        spec = self.store.specs.get(inv)
        if spec is None or not accounts:
            return 0
        own = self.owned(inv, accounts)
        where = " AND ".join(c for c in (cond, own[0]) if c)
        _, rows = self.store.read(f"SELECT {expr} FROM {q(inv)} WHERE {where}", own[1])
        return int(rows[0][0] or 0)

    def used_by(self, name: str, uuid_: str) -> int:
        """What the one resource ``uuid_`` counts for quota ``name``."""
        inv, expr, cond = USAGE[name]
        where = " AND ".join(c for c in (cond, "uuid = ?") if c)
        _, rows = self.store.read(f"SELECT {expr} FROM {q(inv)} WHERE {where}", [uuid_])
        return int(rows[0][0] or 0)

    def owner(self, inv: str | None, uuid_: str) -> str:
        """The account that owns a resource: its ref's, else its ``accountUuid``, else the admin."""
        _, rows = self.store.read('SELECT accountUuid FROM "AccountResourceRefInventory" WHERE resourceUuid = ?',
                                  [uuid_])
        if rows:
            return rows[0][0]
        if inv and "accountUuid" in self.store.specs[inv].kinds:
            _, rows = self.store.read(f"SELECT accountUuid FROM {q(inv)} WHERE uuid = ?", [uuid_])
            if rows and rows[0][0]:
                return rows[0][0]
        return ADMIN_ACCOUNT_UUID

    def owned(self, inv: str, accounts: list[str]) -> tuple[str, list]:
        """An SQL condition on ``inv``'s rows: owned by one of ``accounts``."""
        marks = ", ".join("?" * len(accounts))
        ref = 'SELECT resourceUuid FROM "AccountResourceRefInventory"'
        parts = [f"uuid IN ({ref} WHERE accountUuid IN ({marks}))"]
        args = list(accounts)
        rest = f"uuid NOT IN ({ref} WHERE resourceUuid IS NOT NULL)"
        if "accountUuid" in self.store.specs[inv].kinds:
            parts.append(f"({rest} AND accountUuid IN ({marks}))")
            args += accounts
            rest += " AND accountUuid IS NULL"
        if ADMIN_ACCOUNT_UUID in accounts:
            parts.append(f"({rest})")
        return "(" + " OR ".join(parts) + ")", args


class Quotas(Family):
    kind = "quota"

    def __init__(self, catalog, store, writer):
        super().__init__(catalog, store, writer)
        self.usage = Usage(store)

    def table(self):
        return (
            ("UpdateQuota", "sets the account's QuotaVO (refused under its usage)", self._update),
            ("GetAccountQuotaUsage", "used counted from the account's resources, total from its quotas",
             self._account_usage),
            ("UpdateOrganizationQuota", "sets the organization's QuotaVO (refused under its usage)", self._org_update),
            ("GetOrganizationQuotaUsage", "used counted over the accounts of the organization's projects",
             self._org_usage),
            ("CreateAccount", "a new Account with its default quotas (a Normal account)", self._create_account),
            ("SetImageStoreBackupStorageQuota", "keeps maxCapacity on each image store (refused under its use)",
             self._image_store),
            ("ChangeResourceOwner", "moves the resource's AccountResourceRef to the account (its quotas checked)",
             self._change_owner),
        )

    def repair(self, account: dict) -> None:
        """Give a Normal account the default quotas it lacks, as the node's start does."""
        if account.get("type") == "SystemAdmin":
            return
        have = {r["name"] for r in self.rows("QuotaInventory", "identityUuid = ?", [account["uuid"]], fields=["name"])}
        missing = default_quota_rows(self.store, account["uuid"], self.now(), have)
        if missing:
            self.insert("QuotaInventory", missing)

    def _create_account(self, p: dict) -> dict:
        account = self.writer.create("AccountInventory", p)
        self.repair(account)
        return {"inventory": account}

    def _set(self, identity: str, name: str, value, used: int, what: str, kind: str) -> dict:
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise argerr(f"the quota value[{value}] is not a number") from None
        if value < 0:
            raise argerr(f"the quota[name:{name}] of {what}[uuid:{identity}] can not be {value}")
        if used > value:
            raise operr(f"cannot update Quota[name: {name}] for the {what}[uuid: {identity}]: it uses "
                        f"[name:{name}, usedValue:{used}], more than the requested quota {value}")
        rows = self.rows("QuotaInventory", "identityUuid = ? AND name = ?", [identity, name])
        if rows:
            return self.set_fields("QuotaInventory", rows[0]["uuid"], value=value)
        row = {"uuid": uuid.uuid4().hex, "name": name, "identityUuid": identity, "identityType": kind, "value": value,
               "createDate": self.now(), "lastOpDate": self.now()}
        self.insert("QuotaInventory", [row])
        return self.one("QuotaInventory", row["uuid"])

    def _update(self, p: dict) -> dict:
        account = self.one("AccountInventory", p.get("identityUuid"), "identityUuid")
        self.repair(account)
        name = p.get("name")
        if not self.rows("QuotaInventory", "identityUuid = ? AND name = ?", [account["uuid"], name]):
            raise argerr(f"cannot find Quota[name: {name}] for the account[uuid: {account['uuid']}]")
        used = self.usage.used(name, [account["uuid"]]) if name in USAGE else 0
        return {"inventory": self._set(account["uuid"], name, p.get("value"), used, "account", "AccountVO")}

    def _usages(self, identity: str, accounts: list[str], fallback: dict) -> dict:
        totals = {r["name"]: r.get("value") for r in self.rows("QuotaInventory", "identityUuid = ?", [identity])}
        return {"usages": [{"name": n, "used": self.usage.used(n, accounts), "total": totals.get(n, fallback.get(n, 0))}
                           for n in USAGE]}

    def _account_usage(self, p: dict) -> dict:
        account = self.one("AccountInventory", p.get("uuid"))
        self.repair(account)
        return self._usages(account["uuid"], [account["uuid"]], {})

    def org_accounts(self, org: str) -> list[str]:
        orgs = sub_organizations(self.store, org)
        marks = ", ".join("?" * len(orgs))
        _, rows = self.store.read(
            f'SELECT DISTINCT p.linkedAccountUuid FROM "IAM2ProjectInventory" p JOIN {q(ORG_PROJECT_REF)} r '
            f"ON r.projectUuid = p.uuid WHERE r.organizationUuid IN ({marks}) AND p.linkedAccountUuid IS NOT NULL",
            orgs)
        return [r[0] for r in rows]

    def _org_update(self, p: dict) -> dict:
        org = self.one(ORG, p.get("identityUuid"), "identityUuid")
        name = p.get("name")
        if name not in USAGE:
            raise argerr(f"cannot find Quota[name: {name}]: the quotas are {', '.join(USAGE)}")
        used = self.usage.used(name, self.org_accounts(org["uuid"]))
        return {"inventory": self._set(org["uuid"], name, p.get("value"), used, "organization", "IAM2OrganizationVO")}

    def _org_usage(self, p: dict) -> dict:
        org = self.one(ORG, p.get("uuid"))
        return self._usages(org["uuid"], self.org_accounts(org["uuid"]), defaults(self.store))

    def _image_store(self, p: dict) -> None:
        inv = "ImageStoreBackupStorageInventory"
        uuids = as_list(p.get("uuids")) or [r["uuid"] for r in self.rows(inv, fields=["uuid"])]
        try:
            cap = int(p.get("maxCapacity"))
        except (TypeError, ValueError):
            raise argerr(f"maxCapacity[{p.get('maxCapacity')}] is not a number") from None
        stores = [self.one(inv, u, "uuids") for u in uuids]
        for bs in stores:
            used = int(bs.get("totalCapacity") or 0) - int(bs.get("availableCapacity") or 0)
            if cap < used:
                raise operr(f"the image store[uuid:{bs['uuid']}] already holds {used} bytes, more than "
                            f"maxCapacity {cap}")
        with self.store.transaction() as cur:
            for bs in stores:
                cur.execute('DELETE FROM "SystemTagInventory" WHERE resourceUuid = ? AND tag LIKE \'quota::%\'',
                            (bs["uuid"],))
                self.store.insert_many(cur, "SystemTagInventory", [{
                    "uuid": uuid.uuid4().hex, "resourceUuid": bs["uuid"], "resourceType": "ImageStoreBackupStorageVO",
                    "tag": f"quota::{cap}", "type": "System", "inherent": False, "createDate": self.now(),
                    "lastOpDate": self.now()}])

    # --- ownership --------------------------------------------------------------------------
    def _table_of(self, uuid_: str) -> str | None:
        for inv in sorted({u[0] for u in USAGE.values()}):
            if inv in self.store.specs and self.store.count(inv, "uuid = ?", [uuid_]):
                return inv
        return None

    def _change_owner(self, p: dict) -> dict:
        """AccountManagerImpl.doChangeResourceOwnerInQueue: the same owner is refused (ID.1004), the target's
        quotas are checked (a Normal account), then the ref moves."""
        target = self.one("AccountInventory", p.get("accountUuid"), "accountUuid")
        resource = p.get("resourceUuid")
        inv = self._table_of(resource)
        refs = "AccountResourceRefInventory"
        found = self.rows(refs, "resourceUuid = ?", [resource])
        if not found and inv is None:
            raise argerr(f"invalid field[resourceUuid], resource[uuid:{resource}] is not found")
        original = self.usage.owner(inv, resource)
        if original == target["uuid"] and target.get("type") != "SystemAdmin":
            raise Failure("ID.1004", "Invalid quota operation",
                          "Invalid ChangeResourceOwner operation.Original owner is the same as target owner."
                          f"Current account is [uuid: {self.writer.caller()}].The resource target owner account"
                          f"[uuid: {target['uuid']}].The resource original owner account[uuid:{original}].")
        if target.get("type") != "SystemAdmin" and inv is not None:
            self.repair(target)
            totals = {r["name"]: r.get("value") for r in self.rows("QuotaInventory", "identityUuid = ?",
                                                                   [target["uuid"]])}
            for name, (quota_inv, _, _) in USAGE.items():
                if quota_inv != inv or name not in totals:
                    continue
                moved = self.usage.used_by(name, resource)
                used = self.usage.used(name, [target["uuid"]])
                if moved and used + moved > int(totals[name]):
                    raise Failure("ID.1003", "The user exceeds a quota of a resource",
                                  f"quota exceeding. The account[uuid: {target['uuid']}] exceeds a quota[name: {name},"
                                  f" value: {totals[name]}], Current used:{used}, Request:{moved}.")
        row = {"accountUuid": target["uuid"], "ownerAccountUuid": target["uuid"], "lastOpDate": self.now()}
        if found:
            sets = ", ".join(f"{q(k)} = ?" for k in row)
            self.exec(f"UPDATE {q(refs)} SET {sets} WHERE resourceUuid = ?", [*row.values(), resource])
        else:
            self.insert(refs, [{**row, "resourceUuid": resource, "resourceType": inv.removesuffix("Inventory") + "VO",
                                "concreteResourceType": inv.removesuffix("Inventory") + "VO", "permission": 2,
                                "isShared": False, "createDate": self.now()}])
        return {"inventory": self.rows(refs, "resourceUuid = ?", [resource])[0]}
