"""IAM2 memberships: virtual IDs in projects, organizations and groups; roles of virtual IDs and groups;
groups in projects; a project in its organization.

The catalogue has no reference inventory for most of these (only IAM2OrganizationProjectRef), so the
simulator keeps them as rows of its own table ``_sim_iam2_member`` (relation, owner, member, scope: the project
a role is granted in, '' for everywhere). A project's organization is a row of IAM2OrganizationProjectRef,
which QueryIAM2OrganizationProjectRef shows. The checks (facts of the closed IAM2 module from the reference's
descriptions; the choices are in the note): both sides exist, an add of a member already there and a removal
of one that is not are refused, a virtual ID joins a group only when it is a member of the group's project,
a project belongs to one organization at a time. Removing a virtual ID from a project also takes it out of
the project's groups and drops the roles it had there. The reads (GetIAM2VirtualIDInGroup,
GetIAM2OrganizationVirtualIDNumber, GetIAM2ProjectsOfVirtualID) answer from these rows.
"""

from __future__ import annotations

from zcli.sim.failures import argerr, operr
from zcli.sim.family import Family, as_list

TABLE = "_sim_iam2_member"
VID, PROJECT, ORG, GROUP, ROLE = ("IAM2VirtualIDInventory", "IAM2ProjectInventory", "IAM2OrganizationInventory",
                                  "IAM2VirtualIDGroupInventory", "RoleInventory")
#: relation → (owner inventory, member inventory, words for the errors)
RELATIONS = {"project-vid": (PROJECT, VID, "virtual ID", "project"),
             "org-vid": (ORG, VID, "virtual ID", "organization"),
             "group-vid": (GROUP, VID, "virtual ID", "group"),
             "vid-role": (VID, ROLE, "role", "virtual ID"),
             "group-role": (GROUP, ROLE, "role", "group"),
             "group-project": (GROUP, PROJECT, "project", "group")}
ORG_PROJECT_REF = "IAM2OrganizationProjectRefInventory"


def sub_organizations(store, org: str) -> list[str]:
    """``org`` and every organization under it (children through ``parentUuid``)."""
    out, todo = [], [org]
    while todo:
        o = todo.pop()
        if o in out:
            continue
        out.append(o)
        todo += [r[0] for r in store.read(f'SELECT uuid FROM "{ORG}" WHERE parentUuid = ? ORDER BY rowid', [o])[1]]
    return out


class Members:
    """The membership rows (used by the IAM2, quota and permission families)."""

    def __init__(self, store):
        self.store = store
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (relation TEXT, owner TEXT, member TEXT, "
                        "scope TEXT DEFAULT '', createDate TEXT, PRIMARY KEY (relation, owner, member, scope))")

    def members(self, relation: str, owner: str, scope: str | None = None) -> list[str]:
        sql, args = f"SELECT member FROM {TABLE} WHERE relation = ? AND owner = ?", [relation, owner]
        if scope is not None:
            sql, args = sql + " AND scope = ?", [*args, scope]
        return [r[0] for r in self.store.read(sql + " ORDER BY rowid", args)[1]]

    def owners(self, relation: str, member: str) -> list[str]:
        return [r[0] for r in self.store.read(f"SELECT owner FROM {TABLE} WHERE relation = ? AND member = ? "
                                              "ORDER BY rowid", [relation, member])[1]]

    def has(self, relation: str, owner: str, member: str, scope: str = "") -> bool:
        return bool(self.store.read(f"SELECT 1 FROM {TABLE} WHERE relation = ? AND owner = ? AND member = ? "
                                    "AND scope = ?", [relation, owner, member, scope])[1])

    def add(self, cur, relation: str, owner: str, member: str, scope: str, when: str) -> None:
        cur.execute(f"INSERT OR IGNORE INTO {TABLE} (relation, owner, member, scope, createDate) "
                    "VALUES (?, ?, ?, ?, ?)", (relation, owner, member, scope, when))

    def remove(self, cur, relation: str, owner: str | None, member: str | None, scope: str | None = None) -> None:
        conds, args = ["relation = ?"], [relation]
        for col, val in (("owner", owner), ("member", member), ("scope", scope)):
            if val is not None:
                conds.append(f"{col} = ?")
                args.append(val)
        cur.execute(f"DELETE FROM {TABLE} WHERE {' AND '.join(conds)}", args)

    def forget(self, uuid_: str) -> None:
        """Drop every membership of a resource that is gone."""
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {TABLE} WHERE owner = ? OR member = ?", (uuid_, uuid_))


class IAM2Members(Family):
    kind = "iam2-member"

    def __init__(self, catalog, store, writer):
        self.members = Members(store)
        super().__init__(catalog, store, writer)

    def table(self):
        keep = "keeps the membership rows (both exist, not already a member)"
        gone = "removes the membership rows (refused for one that is not a member)"
        return (
            ("AddIAM2VirtualIDsToProject", f"{keep}; roleUuids granted in the project", self._to_project),
            ("AddIAM2VirtualIDsToProjects", f"{keep}; roleUuids granted in each project", self._to_projects),
            ("RemoveIAM2VirtualIDsFromProject", f"{gone}; also from the project's groups and roles",
             self._from_project),
            ("RemoveIAM2VirtualIDsFromProjects", f"{gone}; also from the projects' groups and roles",
             self._from_projects),
            ("AddIAM2VirtualIDsToGroup", f"{keep}; the virtual ID must be a member of the group's project",
             self._simple("group-vid", "groupUuid", "virtualIDUuids", True)),
            ("RemoveIAM2VirtualIDsFromGroup", gone, self._simple("group-vid", "groupUuid", "virtualIDUuids", False)),
            ("AddIAM2VirtualIDsToOrganization", keep,
             self._simple("org-vid", "organizationUuid", "virtualIDUuids", True)),
            ("RemoveIAM2VirtualIDsFromOrganization", gone,
             self._simple("org-vid", "organizationUuid", "virtualIDUuids", False)),
            ("AddRolesToIAM2VirtualID", f"{keep}; scoped to projectUuid when given",
             self._simple("vid-role", "virtualIDUuid", "roleUuids", True)),
            ("RemoveRolesFromIAM2VirtualID", gone, self._simple("vid-role", "virtualIDUuid", "roleUuids", False)),
            ("AddRolesToIAM2VirtualIDGroup", f"{keep}; scoped to projectUuid when given",
             self._simple("group-role", "groupUuid", "roleUuids", True)),
            ("RemoveRolesFromIAM2VirtualIDGroup", gone, self._simple("group-role", "groupUuid", "roleUuids", False)),
            ("AddIAM2VirtualIDGroupToProjects", f"{keep} (structs of groupUuid and projectUuid)", self._group_in),
            ("RemoveIAM2VirtualIDGroupFromProjects", gone, self._group_out),
            ("AttachIAM2ProjectToIAM2Organization", "a row of IAM2OrganizationProjectRef (one organization a "
             "project)", self._attach_org),
            ("DetachIAM2ProjectFromIAM2Organization", "removes the project's IAM2OrganizationProjectRef row",
             self._detach_org),
            ("GetIAM2VirtualIDInGroup", "reads the group's member rows", self._in_group),
            ("GetIAM2OrganizationVirtualIDNumber", "counts the organization's members, and its sub-organizations'",
             self._org_number),
            ("GetIAM2ProjectsOfVirtualID", "reads the projects (an account session: every project not deleted)",
             self._projects_of),
        )

    # --- the generic add and remove ---------------------------------------------------------
    def _change(self, relation: str, owners: list[str], members: list[str], add: bool, scope: str = "",
                owner_field: str = "uuid", member_field: str = "uuid") -> None:
        owner_inv, member_inv, member_word, owner_word = RELATIONS[relation]
        for o in owners:
            self.one(owner_inv, o, owner_field)
        for m in members:
            self.one(member_inv, m, member_field)
        if scope:
            self.one(PROJECT, scope, "projectUuid")
        for o in owners:
            for m in members:
                there = self.members.has(relation, o, m, scope)
                if add and there:
                    raise operr(f"{member_word}[uuid:{m}] is already in the {owner_word}[uuid:{o}]")
                if not add and not there:
                    raise operr(f"{member_word}[uuid:{m}] is not in the {owner_word}[uuid:{o}]")
        with self.store.transaction() as cur:
            for o in owners:
                for m in members:
                    if add:
                        self.members.add(cur, relation, o, m, scope, self.now())
                    else:
                        self.members.remove(cur, relation, o, m, scope)

    def _simple(self, relation: str, owner: str, members: str, add: bool):
        def handler(p: dict):
            group_check = relation == "group-vid" and add
            if group_check:
                group = self.one(GROUP, p.get(owner), owner)
                project = group.get("projectUuid")
                for m in as_list(p.get(members)):
                    if project and not self.members.has("project-vid", project, m):
                        raise operr(f"virtual ID[uuid:{m}] is not a member of the project[uuid:{project}] "
                                    f"of the group[uuid:{group['uuid']}]")
            self._change(relation, [p.get(owner)], as_list(p.get(members)), add, p.get("projectUuid") or "",
                         owner, members)
        return handler

    def _to_projects(self, p: dict, projects: list[str] | None = None) -> None:
        projects = projects if projects is not None else as_list(p.get("projectUuids"))
        vids, roles = as_list(p.get("virtualIDUuids")), as_list(p.get("roleUuids"))
        for r in roles:
            self.one(ROLE, r, "roleUuids")
        self._change("project-vid", projects, vids, True, owner_field="projectUuid", member_field="virtualIDUuids")
        with self.store.transaction() as cur:
            for project in projects:
                for v in vids:
                    for r in roles:
                        self.members.add(cur, "vid-role", v, r, project, self.now())

    def _to_project(self, p: dict) -> None:
        self._to_projects(p, [p.get("projectUuid")])

    def _from_projects(self, p: dict, projects: list[str] | None = None) -> None:
        projects = projects if projects is not None else as_list(p.get("projectUuids"))
        vids = as_list(p.get("virtualIDUuids"))
        self._change("project-vid", projects, vids, False, owner_field="projectUuid", member_field="virtualIDUuids")
        groups = {project: [g["uuid"] for g in self.rows(GROUP, "projectUuid = ?", [project], fields=["uuid"])]
                  for project in projects}
        with self.store.transaction() as cur:
            for project in projects:
                for v in vids:
                    self.members.remove(cur, "vid-role", v, None, project)
                    for g in groups[project]:
                        self.members.remove(cur, "group-vid", g, v)

    def _from_project(self, p: dict) -> None:
        self._from_projects(p, [p.get("projectUuid")])

    def _structs(self, p: dict) -> list[tuple[str, str]]:
        pairs = []
        for s in as_list(p.get("structs")):
            if not isinstance(s, dict):
                raise argerr(f"a struct of structs must be a map of groupUuid and projectUuid, but got {s!r}"[:300])
            for g in as_list(s.get("groupUuids") or s.get("groupUuid")):
                pairs += [(g, pr) for pr in as_list(s.get("projectUuids") or s.get("projectUuid"))]
        return pairs

    def _group_in(self, p: dict) -> None:
        for g, pr in self._structs(p):
            self._change("group-project", [g], [pr], True, owner_field="groupUuid", member_field="projectUuid")

    def _group_out(self, p: dict) -> None:
        groups, projects = as_list(p.get("groupUuids")), as_list(p.get("projectUuids"))
        self._change("group-project", groups, projects, False, owner_field="groupUuids", member_field="projectUuids")

    # --- a project's organization -----------------------------------------------------------
    def _attach_org(self, p: dict) -> dict:
        project = self.one(PROJECT, p.get("projectUuid"), "projectUuid")
        org = self.one(ORG, p.get("organizationUuid"), "organizationUuid")
        held = self.rows(ORG_PROJECT_REF, "projectUuid = ?", [project["uuid"]])
        if held:
            raise operr(f"the project[uuid:{project['uuid']}] is already attached to the organization"
                        f"[uuid:{held[0].get('organizationUuid')}]")
        self.insert(ORG_PROJECT_REF, [{"projectUuid": project["uuid"], "organizationUuid": org["uuid"],
                            "createDate": self.now(), "lastOpDate": self.now()}])
        return {"inventory": self.one(PROJECT, project["uuid"])}

    def _detach_org(self, p: dict) -> dict:
        project = self.one(PROJECT, p.get("projectUuid"), "projectUuid")
        if not self.delete_where(ORG_PROJECT_REF, "projectUuid = ?", [project["uuid"]]):
            raise operr(f"the project[uuid:{project['uuid']}] is not attached to any organization")
        return {"inventory": project}

    # --- reads ------------------------------------------------------------------------------
    def _in_group(self, p: dict) -> dict:
        group = self.one(GROUP, p.get("groupUuid"), "groupUuid")
        uuids = self.members.members("group-vid", group["uuid"])
        found = self.rows(VID, f"uuid IN ({', '.join('?' * len(uuids))})", uuids) if uuids else []
        reverse = str(p.get("sortDirection", "asc")).lower() == "desc"
        key = p.get("sortBy") or "createDate"
        found.sort(key=lambda r: str(r.get(key) or ""), reverse=reverse)
        start, limit = int(p.get("start") or 0), p.get("limit")
        page = found[start:start + int(limit)] if limit not in (None, "") else found[start:]
        out: dict = {} if str(p.get("count", "")).lower() == "true" else {"inventories": page}
        if str(p.get("replyWithCount", "")).lower() == "true" or "inventories" not in out:
            out["total"] = len(found)
        return out

    def _org_number(self, p: dict) -> dict:
        org = self.one(ORG, p.get("uuid"))
        direct = self.members.members("org-vid", org["uuid"])
        total = {v for o in sub_organizations(self.store, org["uuid"]) for v in self.members.members("org-vid", o)}
        return {"virtualDirectNumber": len(direct), "virtualTotalNumber": len(total)}

    def _projects_of(self, p: dict) -> dict:
        return {"inventories": self.rows(PROJECT, "state IS NULL OR state != 'Deleted'", order="rowid")}
