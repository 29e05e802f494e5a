"""API permission checks, evaluated as the server's RBAC does from the world's accounts, users and policies.

Facts (identity/rbac, header/identity/rbac): every API belongs to permissions whose admin-only and normal API
patterns come from the RBACInfo files (zcli/sim/data/rbac.json, built by scripts/extract_rbac.py; within one
permission the most precise pattern wins, as RBACDescriptionHelper.flatten decides). An admin session may call
anything. Any other session is denied an admin-only API ("request api[name: %s] is admin only"). A user is
then judged by the policies attached to it and to its groups: a matching Deny statement denies, a matching
Allow allows, and nothing matching denies by default. An account's own session is allowed its normal APIs.

- CheckApiPermission answers ``{api: Allow|Deny}`` for the caller or for ``userUuid`` (the admin's or the
  caller's own user only); a name that is not an API is refused ("%s is not an API"). Names are the message
  classes (``org.zstack.header.vm.APICreateVmInstanceMsg``) or the API names.
- CheckResourcePermission (admin only) answers the normal APIs of the permissions that target a resource type.
- GetIAM2VirtualIDAPIPermission answers the same judgement for each API asked, and ``noPermission`` when one is
  denied.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.family import Family, as_list
from zcli.sim.world import ADMIN_ACCOUNT_UUID

_DATA = Path(__file__).with_name("data") / "rbac.json"


@cache
def rbac() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@cache
def _rx(pattern: str) -> re.Pattern:
    out = []
    for part in re.split(r"(\*\*|\*)", pattern):
        out.append(".*" if part == "**" else "[^.]*" if part == "*" else re.escape(part))
    return re.compile("".join(out))


def matches(pattern: str, name: str) -> bool:
    return pattern == name or ("*" in pattern and bool(_rx(pattern).fullmatch(name)))


def _precision(pattern: str) -> tuple[int, int]:
    return (0 if "*" in pattern else 1, len(pattern.split("*")[0]))


def class_of(catalog, name: str) -> str | None:
    """The message class of an API named by class or by name; None when it is no API."""
    classes = rbac()["classes"]
    if name in classes:
        return classes[name]
    simple = name.rsplit(".", 1)[-1]
    m = re.fullmatch(r"API(\w+)Msg", simple)
    if m and (m.group(1) in classes or catalog.has_api(m.group(1))):
        return classes.get(m.group(1), name)
    if catalog.has_api(name):
        return f"API{name}Msg"
    return None


@cache
def admin_only(cls: str) -> bool:
    """Whether some permission declares ``cls`` admin-only (its most precise matching pattern is admin-only)."""
    for perm in rbac()["permissions"]:
        rules = [(p, True) for p in perm["adminOnly"] if matches(p, cls)] + \
                [(p, False) for p in perm["normal"] if matches(p, cls)]
        if rules and max(rules, key=lambda r: _precision(r[0]))[1]:
            return True
    return False


class Permissions(Family):
    kind = "permission"

    def table(self):
        return (
            ("CheckApiPermission", "RBAC: admin-only APIs, then the user's and its groups' policies",
             self._check_api),
            ("CheckResourcePermission", "the normal APIs of the permissions targeting the resource type",
             self._check_resource),
            ("GetIAM2VirtualIDAPIPermission", "RBAC judgement of each API asked", self._iam2),
        )

    def caller(self) -> str:
        get = getattr(self.writer, "caller", None)
        return (get() if get else None) or ADMIN_ACCOUNT_UUID

    def is_admin(self, account: str) -> bool:
        rows = self.rows("AccountInventory", "uuid = ?", [account], fields=["type"])
        return account == ADMIN_ACCOUNT_UUID or bool(rows and rows[0].get("type") == "SystemAdmin")

    def statements(self, user: str) -> list[dict]:
        _, rows = self.store.read(
            'SELECT p.statements FROM "PolicyInventory" p WHERE p.uuid IN ('
            'SELECT policyUuid FROM "UserPolicyRefInventory" WHERE userUuid = ? UNION '
            'SELECT g.policyUuid FROM "UserGroupPolicyRefInventory" g JOIN "UserGroupUserRefInventory" u '
            "ON u.groupUuid = g.groupUuid WHERE u.userUuid = ?)", [user, user])
        out = []
        for (text,) in rows:
            try:
                found = json.loads(text) if isinstance(text, str) else text
            except ValueError:
                continue
            out += [s for s in found or () if isinstance(s, dict)]
        return out

    def judge(self, cls: str, account: str, user: str | None) -> str:
        if self.is_admin(account) and user is None:
            return "Allow"
        if admin_only(cls):
            return "Deny"
        if user is None:
            return "Allow"
        effects = set()
        for st in self.statements(user):
            actions = [str(a).split(":")[0] for a in as_list(st.get("actions"))]
            if any(matches(a, cls) or a == cls.rsplit(".", 1)[-1] for a in actions):
                effects.add(st.get("effect", "Allow"))
        return "Deny" if "Deny" in effects or "Allow" not in effects else "Allow"

    def _check_api(self, p: dict) -> dict:
        account, user = self.caller(), p.get("userUuid")
        if user:
            found = self.rows("UserInventory", "uuid = ?", [user], fields=["uuid", "accountUuid"])
            if not found or (not self.is_admin(account) and found[0].get("accountUuid") != account):
                raise operr(f"the user specified by the userUuid[{user}] does not belong to the current account, "
                            "and the current account is not an admin account, so it has no permission to check the "
                            "user'spermissions")
            account = found[0].get("accountUuid") or account
        out = {}
        for name in as_list(p.get("apiNames")):
            cls = class_of(self.catalog, name)
            if cls is None:
                raise argerr(f"{name} is not an API")
            out[name] = self.judge(cls, account, user)
        return {"inventory": out}

    def _check_resource(self, p: dict) -> dict:
        if not self.is_admin(self.caller()):
            raise Failure("ID.1002", "The user doesn't have permission to perform the operation",
                          "request api[name: org.zstack.header.identity.APICheckResourcePermissionMsg] is admin only, "
                          "can not be executed by current user")
        kind = p.get("resourceType")
        perms = [perm for perm in rbac()["permissions"] if kind in perm["targets"]]
        apis = sorted({cls.rsplit(".", 1)[-1] for cls in rbac()["classes"].values()
                       if any(any(matches(n, cls) for n in perm["normal"]) for perm in perms) and not admin_only(cls)})
        return {"apis": apis}

    def _iam2(self, p: dict) -> dict:
        account = self.caller()
        permissions = {}
        for item in as_list(p.get("apisToCheck")):
            name = item.get("apiName") if isinstance(item, dict) else item
            cls = class_of(self.catalog, str(name))
            if cls is None:
                raise argerr(f"{name} is not an API")
            permissions[name] = self.judge(cls, account, None) == "Allow"
        return {"permissions": permissions, "noPermission": not all(permissions.values())}
