"""IAM2 projects, organizations and attributes: the deletion policy of a project, templates, an organization's
parent, attributes of the four IAM2 kinds, and the deletes that take their memberships with them.

- A project follows a deletion policy, as ProjectState's ``Deleted`` says: DeleteIAM2Project keeps it with
  state ``Deleted`` (out of logins and GetIAM2ProjectsOfVirtualID), RecoverIAM2Project gives it back ``Enabled``,
  ExpungeIAM2Project removes it with its memberships, attributes and organization link. Both refuse a project
  that is not deleted.
- Attributes are rows of the four attribute inventories (IAM2ProjectAttribute, ...), the owner's key set; the
  owner's ``attributes`` field is refreshed from them, so a query of the owner shows them. The login expiry of
  a project is its System attribute ``loginExpired``; GetIAM2SystemAttributes answers every System attribute.
- A template (IAM2ProjectTemplate) holds in ``template`` the JSON of a project's attributes and quotas; a
  project made from it gets them, and its organization when one is named.
"""

from __future__ import annotations

import json
import uuid

from zcli.sim.failures import argerr, operr
from zcli.sim.family import Family, as_list
from zcli.sim.iam2_members import GROUP, ORG, ORG_PROJECT_REF, PROJECT, VID, Members, sub_organizations
from zcli.sim.tables import q

#: owner inventory → (its attribute inventory, the attribute's key naming the owner)
ATTRIBUTES = {PROJECT: ("IAM2ProjectAttributeInventory", "projectUuid"),
              VID: ("IAM2VirtualIDAttributeInventory", "virtualIDUuid"),
              GROUP: ("IAM2VirtualIDGroupAttributeInventory", "groupUuid"),
              ORG: ("IAM2OrganizationAttributeInventory", "organizationUuid")}
_BY_NOUN = {"IAM2Project": PROJECT, "IAM2VirtualID": VID, "IAM2VirtualIDGroup": GROUP, "IAM2Organization": ORG}
LOGIN_EXPIRED = "loginExpired"


class IAM2Projects(Family):
    kind = "iam2-project"

    def __init__(self, catalog, store, writer):
        self.members = Members(store)
        super().__init__(catalog, store, writer)

    def table(self):
        out = [
            ("DeleteIAM2Project", "deletion policy: the project is kept with state Deleted", self._delete_project),
            ("RecoverIAM2Project", "a Deleted project becomes Enabled again", self._recover),
            ("ExpungeIAM2Project", "removes a Deleted project, its memberships, attributes and organization link",
             self._expunge),
            ("CreateIAM2ProjectTemplateFromProject", "a template holding the project's attributes and quotas",
             self._template_from),
            ("CreateIAM2ProjectFromTemplate", "a project with the template's attributes and quotas",
             self._from_template),
            ("ChangeIAM2OrganizationParent", "sets the children's parentUuid (no cycle)", self._parent),
            ("SetIAM2ProjectLoginExpired", "the project's System attribute loginExpired", self._login_expired),
            ("RemoveIAM2ProjectLoginExpired", "removes the project's loginExpired attribute",
             self._remove_login_expired),
            ("GetIAM2SystemAttributes", "reads every attribute of type System", self._system_attributes),
            ("CheckIAM2OrganizationAvailability", "whether the world holds an organization", self._org_available),
            ("CheckIAM2VirtualIDConfigFile", "checks each virtual ID of the file: a name, not taken",
             self._check_config),
        ]
        for noun, inv in _BY_NOUN.items():
            out.append((f"AddAttributesTo{noun}", "attribute rows of the resource (refreshed in its attributes)",
                        self._adder(inv)))
            out.append((f"RemoveAttributesFrom{noun}", "removes attribute rows of the resource (refused for "
                        "another's)", self._remover(inv)))
        for noun in ("IAM2VirtualID", "IAM2VirtualIDGroup", "IAM2Organization"):
            out.append((f"Delete{noun}", "deletes it with its memberships and attributes"
                        + (" and sub-organizations" if noun == "IAM2Organization" else ""),
                        self._deleter(_BY_NOUN[noun])))
        return out

    # --- attributes -------------------------------------------------------------------------
    def refresh(self, owner_inv: str, owner: str) -> None:
        inv, key = ATTRIBUTES[owner_inv]
        attrs = self.rows(inv, f"{q(key)} = ?", [owner], order="rowid")
        self.exec(f"UPDATE {q(owner_inv)} SET attributes = ? WHERE uuid = ?", [json.dumps(attrs), owner])

    def add_attributes(self, owner_inv: str, owner: str, attributes: list, kind: str = "Customized") -> list[dict]:
        inv, key = ATTRIBUTES[owner_inv]
        rows = []
        for a in attributes:
            if not isinstance(a, dict) or not a.get("name"):
                raise argerr(f"an attribute must be a map with a name and a value, but got {a!r}"[:300])
            rows.append({"uuid": uuid.uuid4().hex, "name": a["name"], "value": a.get("value"),
                         "type": a.get("type") or kind, key: owner, "createDate": self.now(),
                         "lastOpDate": self.now()})
        with self.store.transaction() as cur:
            for table in self.writer.line(inv):
                self.store.insert_many(cur, table, rows)
        self.refresh(owner_inv, owner)
        return rows

    def _adder(self, owner_inv: str):
        def handler(p: dict) -> None:
            owner = self.one(owner_inv, p.get("uuid"))
            self.add_attributes(owner_inv, owner["uuid"], as_list(p.get("attributes")))
        return handler

    def remove_attributes(self, owner_inv: str, owner: str, uuids: list[str]) -> None:
        inv, key = ATTRIBUTES[owner_inv]
        for a in uuids:
            if not self.rows(inv, f"uuid = ? AND {q(key)} = ?", [a, owner], fields=["uuid"]):
                raise operr(f"the attribute[uuid:{a}] is not an attribute of the resource[uuid:{owner}]")
        with self.store.transaction() as cur:
            for table in self.writer.line(inv):
                cur.execute(f"DELETE FROM {q(table)} WHERE uuid IN ({', '.join('?' * len(uuids))})", uuids)
        self.refresh(owner_inv, owner)

    def _remover(self, owner_inv: str):
        def handler(p: dict) -> None:
            owner = self.one(owner_inv, p.get("uuid"))
            self.remove_attributes(owner_inv, owner["uuid"], as_list(p.get("attributeUuids")))
        return handler

    def _login_expired(self, p: dict) -> None:
        project = self.one(PROJECT, p.get("uuid"))
        inv, _ = ATTRIBUTES[PROJECT]
        old = [a["uuid"] for a in self.rows(inv, "projectUuid = ? AND name = ?", [project["uuid"], LOGIN_EXPIRED])]
        if old:
            self.remove_attributes(PROJECT, project["uuid"], old)
        self.add_attributes(PROJECT, project["uuid"], [{"name": LOGIN_EXPIRED, "value": p.get("loginExpired")}],
                            "System")

    def _remove_login_expired(self, p: dict) -> None:
        project = self.one(PROJECT, p.get("uuid"))
        inv, _ = ATTRIBUTES[PROJECT]
        if not self.rows(inv, "uuid = ? AND projectUuid = ? AND name = ?",
                         [p.get("attributeUuid"), project["uuid"], LOGIN_EXPIRED]):
            raise operr(f"the attribute[uuid:{p.get('attributeUuid')}] is not the login expiry of the project"
                        f"[uuid:{project['uuid']}]")
        self.remove_attributes(PROJECT, project["uuid"], [p["attributeUuid"]])

    def _system_attributes(self, p: dict) -> dict:
        return {"inventories": self.rows("IAM2AttributeInventory", "type = 'System'", order="rowid")}

    # --- deletes ----------------------------------------------------------------------------
    def forget(self, inv: str, uuid_: str) -> None:
        """Remove a resource's memberships and attribute rows."""
        self.members.forget(uuid_)
        if inv in ATTRIBUTES:
            attr, key = ATTRIBUTES[inv]
            with self.store.transaction() as cur:
                for table in self.writer.line(attr):
                    cur.execute(f"DELETE FROM {q(table)} WHERE uuid IN (SELECT uuid FROM {q(attr)} "
                                f"WHERE {q(key)} = ?)", (uuid_,))
        if inv in (PROJECT, ORG):
            key = "projectUuid" if inv == PROJECT else "organizationUuid"
            self.delete_where(ORG_PROJECT_REF, f"{key} = ?", [uuid_])

    def _deleter(self, inv: str):
        def handler(p: dict) -> None:
            found = self.rows(inv, "uuid = ?", [p.get("uuid")], fields=["uuid"])
            if not found:
                return  # deleting what is gone succeeds, as the generic delete does
            targets = [found[0]["uuid"]]
            if inv == ORG:
                targets = sub_organizations(self.store, targets[0])
            for t in targets:
                self.forget(inv, t)
                self.writer.delete(inv, t)
        return handler

    def _delete_project(self, p: dict) -> None:
        found = self.rows(PROJECT, "uuid = ?", [p.get("uuid")], fields=["uuid", "state"])
        if found and found[0].get("state") != "Deleted":
            self.set_fields(PROJECT, found[0]["uuid"], state="Deleted")

    def _deleted(self, p: dict) -> dict:
        project = self.one(PROJECT, p.get("uuid"))
        if project.get("state") != "Deleted":
            raise operr(f"the project[uuid:{project['uuid']}] is not deleted (state {project.get('state')})")
        return project

    def _recover(self, p: dict) -> dict:
        project = self._deleted(p)
        return {"inventory": self.set_fields(PROJECT, project["uuid"], state="Enabled")}

    def _expunge(self, p: dict) -> None:
        project = self._deleted(p)
        self.forget(PROJECT, project["uuid"])
        self.writer.delete(PROJECT, project["uuid"])

    # --- templates --------------------------------------------------------------------------
    def _quotas_of(self, identity: str | None) -> dict:
        if not identity:
            return {}
        return {r["name"]: r["value"] for r in self.rows("QuotaInventory", "identityUuid = ?", [identity])}

    def _template_from(self, p: dict) -> dict:
        project = self.one(PROJECT, p.get("projectUuid"), "projectUuid")
        inv, _ = ATTRIBUTES[PROJECT]
        attrs = [{"name": a["name"], "value": a.get("value")}
                 for a in self.rows(inv, "projectUuid = ? AND (type IS NULL OR type != 'System')",
                                    [project["uuid"]], order="rowid")]
        body = {"attributes": attrs, "quota": self._quotas_of(project.get("linkedAccountUuid"))}
        params = {"name": p.get("name"), "description": p.get("description"), "template": json.dumps(body),
                  "resourceUuid": p.get("resourceUuid")}
        return {"inventory": self.writer.create("IAM2ProjectTemplateInventory", params)}

    def _from_template(self, p: dict) -> dict:
        template = self.one("IAM2ProjectTemplateInventory", p.get("templateUuid"), "templateUuid")
        try:
            body = json.loads(template.get("template") or "{}")
        except ValueError:
            body = {}
        if p.get("organizationUuid"):
            self.one(ORG, p["organizationUuid"], "organizationUuid")
        project = self.writer.create(PROJECT, {"name": p.get("name"), "description": p.get("description"),
                                               "resourceUuid": p.get("resourceUuid"), "state": "Enabled"})
        if body.get("attributes"):
            self.add_attributes(PROJECT, project["uuid"], body["attributes"])
        if p.get("organizationUuid"):
            self.insert(ORG_PROJECT_REF, [{"projectUuid": project["uuid"], "organizationUuid": p["organizationUuid"],
                                "createDate": self.now(), "lastOpDate": self.now()}])
        quota = body.get("quota") or {}
        if quota:
            account = project.get("linkedAccountUuid") or project["uuid"]
            self.insert("QuotaInventory", [{"uuid": uuid.uuid4().hex, "name": k, "value": v,
                                            "identityUuid": account, "identityType": "AccountVO",
                                            "createDate": self.now(), "lastOpDate": self.now()}
                                           for k, v in sorted(quota.items())])
        return {"inventory": self.one(PROJECT, project["uuid"])}

    # --- organizations ----------------------------------------------------------------------
    def _parent(self, p: dict) -> None:
        parent = self.one(ORG, p.get("parentUuid"), "parentUuid")
        children = as_list(p.get("childrenUuids"))
        for c in children:
            self.one(ORG, c, "childrenUuids")
            if parent["uuid"] in sub_organizations(self.store, c):
                raise operr(f"the organization[uuid:{parent['uuid']}] is under the organization[uuid:{c}]: "
                            "it cannot become its parent")
        root = parent.get("rootOrganizationUuid") or parent["uuid"]
        for c in children:
            self.set_fields(ORG, c, parentUuid=parent["uuid"], rootOrganizationUuid=root)

    def _org_available(self, p: dict) -> dict:
        return {"exists": self.store.count(ORG) > 0}

    def _check_config(self, p: dict) -> dict:
        text = p.get("virtualIDInfos") or ""
        try:
            infos = json.loads(text)
        except ValueError:
            infos = [{"name": line.split(",")[0].strip()} for line in text.splitlines() if line.strip()]
        if isinstance(infos, dict):
            infos = [infos]
        results, seen = [], set()
        for i, info in enumerate(infos if isinstance(infos, list) else []):
            name = info.get("name") if isinstance(info, dict) else None
            error = None
            if not name:
                error = f"line {i + 1}: no name"
            elif name in seen or self.store.count(VID, "name = ?", [name]):
                error = f"a virtual ID named {name} already exists"
            seen.add(name)
            results.append({"name": name, "success": error is None, **({"error": error} if error else {})})
        return {"results": results}
