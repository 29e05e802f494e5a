"""Tags as the server keeps them: system tags checked against the declared formats, user tags from tag
patterns (CreateTag, AttachTagToResources, DetachTagFromResources), no duplicates.

System tag formats come from the server's source (``zcli/sim/data/system_tags.json``, written by
``scripts/extract_system_tags.py``): a tag is valid for a resource type when it matches one of the
formats declared for that type, segment by segment around ``::``, a ``{token}`` segment matching any
value (``TagUtils.isMatch``). A few formats of closed-source modules that the demo world and the docs use
are listed in ``CLOSED_SOURCE``.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from functools import cache
from pathlib import Path

from zcli.sim.auth import error
from zcli.sim.failures import Failure

_DATA = Path(__file__).with_name("data") / "system_tags.json"
#: Formats of closed-source server modules (not in the open source) that the demo world and docs rely on.
CLOSED_SOURCE = (("ha::{token}", "VmInstanceVO"), ("applianceType::{token}", "VmInstanceVO"))


TagFailure = Failure


def _arg(details: str) -> TagFailure:
    return TagFailure("SYS.1007", "One or more API argument is invalid", details)


@cache
def formats() -> dict[str, list[str]]:
    """Resource type (``VmInstanceVO``) → the system tag formats declared for it."""
    out: dict[str, list[str]] = {}
    for fmt, rtype in [*json.loads(_DATA.read_text(encoding="utf-8"))["tags"], *CLOSED_SOURCE]:
        out.setdefault(rtype, []).append(fmt)
    return out


def matches(fmt: str, tag: str) -> bool:
    """The server's ``TagUtils.isMatch``: a format without ``::`` is the tag itself; otherwise the same
    number of ``::`` segments, each literal segment equal, a ``{token}`` segment anything."""
    if "::" not in fmt:
        return fmt == tag
    want, got = fmt.split("::"), tag.split("::")
    if len(want) != len(got):
        return False
    return all((w.startswith("{") and w.endswith("}")) or w == g for w, g in zip(want, got, strict=True))


def valid_system_tag(resource_type: str, tag: str) -> bool:
    return any(matches(f, tag) for f in formats().get(resource_type, ()))


_NOT_RESOURCES = ("SystemTagInventory", "UserTagInventory", "TagPatternInventory", "TagInventory",
                  "ResourceConfigInventory", "GlobalConfigInventory")


def resource_type_of(writer, resource_uuid: str) -> str:
    """The VO type of the resource with that uuid: the most general table that holds it (a VLAN network is an
    L2NetworkVO, as configurations are bound), SYS.1003 when none does."""
    holders = [t for t, spec in writer.store.specs.items()
               if t.endswith("Inventory") and "uuid" in spec.kinds and t not in _NOT_RESOURCES
               and writer.store.count(t, "uuid = ?", [resource_uuid])]
    if holders:
        return min(holders, key=lambda t: len(writer.line(t)))[: -len("Inventory")] + "VO"
    raise Failure("SYS.1003", "A resource can not be found", f"resource[uuid:{resource_uuid}] is not found")


class Tags:
    """The tag APIs against the writer's store."""

    PLAN = "tags: checked against the server's system tag formats, no duplicates; user tags from tag patterns"

    def __init__(self, writer):
        self.writer = writer
        self.store = writer.store

    def handlers(self) -> dict:
        return {"CreateSystemTag": self.create_system_tag, "CreateUserTag": self.create_user_tag,
                "UpdateSystemTag": self.update_system_tag, "AttachTagToResources": self.attach,
                "DetachTagFromResources": self.detach}

    # --- checks --------------------------------------------------------------------------------
    def _resource(self, resource_type: str, resource_uuid: str) -> None:
        table = self.writer.table_of(resource_type or "")
        if table is None:
            raise _arg(f"no resource type[{resource_type}] found in tag system")
        if not self.store.count(table, "uuid = ?", [resource_uuid]):
            raise _arg("The argument :'resourceType' doesn't match uuid")

    def _no_duplicate(self, table: str, kind: str, resource_type: str, resource_uuid: str, tag: str) -> None:
        if self.store.count(table, "resourceType = ? AND tag = ? AND resourceUuid = ?",
                            [resource_type, tag, resource_uuid]):
            raise TagFailure("SYS.1006", "An operation failed",
                             f"Duplicated Tag[tag:{tag}, type:{kind}, resourceType:{resource_type}, "
                             f"resourceUuid:{resource_uuid}]")

    def _insert(self, table: str, row: dict) -> dict:
        row.setdefault("uuid", uuidlib.uuid4().hex)
        row["createDate"] = row["lastOpDate"] = self.writer.now()
        with self.store.transaction() as cur:
            for t in self.writer.line(table):
                self.store.insert_many(cur, t, [row])
        return self.writer._get(table, row["uuid"])

    # --- APIs ----------------------------------------------------------------------------------
    def create_system_tag(self, api, params: dict, account=None):
        rtype, ruuid, tag = params["resourceType"], params["resourceUuid"], params["tag"]
        self._resource(rtype, ruuid)
        if not valid_system_tag(rtype, tag):
            raise _arg(f"no system tag matches[{tag}] for resourceType[{rtype}]")
        self._no_duplicate("SystemTagInventory", "System", rtype, ruuid, tag)
        made = self._insert("SystemTagInventory", {"resourceType": rtype, "resourceUuid": ruuid, "tag": tag,
                                                   "type": "System", "inherent": False})
        return self.writer._reply(api, made)

    def create_user_tag(self, api, params: dict, account=None):
        rtype, ruuid, tag = params["resourceType"], params["resourceUuid"], params["tag"]
        if self.writer.table_of(rtype or "") is None:  # the server checks the resource itself for system tags only
            raise _arg(f"no resource type[{rtype}] found in tag system")
        self._no_duplicate("UserTagInventory", "User", rtype, ruuid, tag)
        made = self._insert("UserTagInventory", {"resourceType": rtype, "resourceUuid": ruuid, "tag": tag,
                                                 "type": "User"})
        return self.writer._reply(api, made)

    def update_system_tag(self, api, params: dict, account=None):
        found = self.store.inventories("SystemTagInventory", "uuid = ?", [params["uuid"]], limit=1, depth=0)
        if not found:
            raise _arg(f"invalid field[uuid], resource[uuid:{params['uuid']}, type:SystemTagVO] not found")
        if not valid_system_tag(found[0].get("resourceType") or "", params["tag"]):
            raise _arg(f"no system tag matches[{params['tag']}] for resourceType[{found[0].get('resourceType')}]")
        return self.writer._reply(api, self.writer.update("SystemTagInventory", params["uuid"], {"tag": params["tag"]}))

    def _pattern(self, tag_uuid: str) -> dict:
        found = self.store.inventories("TagPatternInventory", "uuid = ?", [tag_uuid], limit=1, depth=0)
        if not found:
            raise TagFailure("SYS.1003", "A resource can not be found",
                             f"invalid field[tagUuid], resource[uuid:{tag_uuid}, type:TagPatternVO] not found")
        return found[0]

    def _type_of(self, resource_uuid: str) -> str:
        return resource_type_of(self.writer, resource_uuid)

    def attach(self, api, params: dict, account=None):
        pattern = self._pattern(params["tagUuid"])
        value = pattern.get("value") or pattern.get("name") or ""
        tokens = params.get("tokens") or {}
        if pattern.get("type") == "withToken":
            for k, v in tokens.items() if isinstance(tokens, dict) else ():
                value = value.replace("{" + str(k) + "}", str(v))
        results = []
        for ruuid in params["resourceUuids"]:
            rtype = self._type_of(ruuid)
            if self.store.count("UserTagInventory", "tagPatternUuid = ? AND resourceUuid = ?",
                                [pattern["uuid"], ruuid]):
                results.append({"resourceUuid": ruuid, "success": False,
                                "error": error("SYS.1006", "An operation failed",
                                               f"the tag[uuid:{pattern['uuid']}] is already attached to "
                                               f"resource[uuid:{ruuid}]")["error"]})
                continue
            self._insert("UserTagInventory", {"resourceType": rtype, "resourceUuid": ruuid, "tag": value,
                                              "type": "User", "tagPatternUuid": pattern["uuid"]})
            results.append({"resourceUuid": ruuid, "success": True})
        return {"results": results}

    def detach(self, api, params: dict, account=None):
        pattern = self._pattern(params["tagUuid"])
        uuids = params["resourceUuids"]
        uuids = [u for u in (uuids.split(",") if isinstance(uuids, str) else uuids) if u]
        for u in uuids:
            _, rows = self.store.read('SELECT uuid FROM "UserTagInventory" '
                                      "WHERE tagPatternUuid = ? AND resourceUuid = ?", [pattern["uuid"], u])
            for (tag_uuid,) in rows:
                self.writer.delete("UserTagInventory", tag_uuid)
        return None
