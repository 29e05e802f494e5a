"""ShareResource and RevokeResourceSharing: the SharedResource rows that QuerySharedResource shows.

As the server's AccountBase does: a resource shared to public is one row (``toPublic``) per resource, a
resource shared to accounts one row per (resource, receiver), never twice; the owner is the resource's
account (the admin's for the world's own resources). A revoke removes the owner's rows of the resources
named: all of them (``all``), the public ones (``toPublic``), or those of the receivers named.
"""

from __future__ import annotations

from zcli.sim.acting import Family
from zcli.sim.failures import Failure, argerr
from zcli.sim.naming import as_list
from zcli.sim.tags import resource_type_of
from zcli.sim.world import ADMIN_ACCOUNT_UUID

_TABLE = "SharedResourceInventory"


def _true(value) -> bool:
    return value is True or str(value).lower() == "true"


class Sharing(Family):
    kind = "sharing"

    def table(self) -> dict:
        return {"ShareResource": ("SharedResource rows per resource and receiver (or public)", self.share),
                "RevokeResourceSharing": ("removes the owner's SharedResource rows named", self.revoke)}

    def _resources(self, params: dict) -> dict[str, tuple[str, str]]:
        """Each resource named → (its VO type, its owner account)."""
        out = {}
        for ruuid in as_list(params.get("resourceUuids")):
            try:
                rtype = resource_type_of(self.writer, ruuid)
            except Failure:
                raise argerr(f"the account[uuid: {ADMIN_ACCOUNT_UUID}] doesn't have a resource[uuid: {ruuid}]") \
                    from None
            out[ruuid] = (rtype, self._owner(rtype, ruuid))
        return out

    def _owner(self, rtype: str, ruuid: str) -> str:
        inv = rtype[:-2] + "Inventory"
        if "accountUuid" in self.store.specs.get(inv).kinds:
            _, rows = self.store.read(f'SELECT accountUuid FROM "{inv}" WHERE uuid = ?', [ruuid])
            if rows and rows[0][0]:
                return rows[0][0]
        return ADMIN_ACCOUNT_UUID

    def share(self, params: dict):
        public = _true(params.get("toPublic"))
        accounts = as_list(params.get("accountUuids"))
        if not public and not accounts:
            raise argerr("toPublic is set to false, accountUuids cannot be null or empty")
        for ruuid, (rtype, owner) in self._resources(params).items():
            receivers = [None] if public else accounts
            for receiver in receivers:
                cond = "ownerAccountUuid = ? AND resourceUuid = ? AND " + (
                    "toPublic = 1" if receiver is None else "receiverAccountUuid = ?")
                bound = [owner, ruuid] + ([] if receiver is None else [receiver])
                if self.store.count(_TABLE, cond, bound):
                    continue
                self.insert(_TABLE, {"ownerAccountUuid": owner, "receiverAccountUuid": receiver,
                                     "toPublic": receiver is None, "resourceType": rtype, "resourceUuid": ruuid})
        return None

    def revoke(self, params: dict):
        every, public = _true(params.get("all")), _true(params.get("toPublic"))
        accounts = as_list(params.get("accountUuids"))
        if not every and not accounts and not public:
            raise argerr("all is set to false, accountUuids cannot be null or empty")
        for ruuid, (_, owner) in self._resources(params).items():
            base, bound = "ownerAccountUuid = ? AND resourceUuid = ?", [owner, ruuid]
            if every:
                self.delete_where(_TABLE, base, bound)
            if public:
                self.delete_where(_TABLE, base + " AND toPublic = 1", bound)
            if accounts:
                marks = ", ".join("?" * len(accounts))
                self.delete_where(_TABLE, base + f" AND receiverAccountUuid IN ({marks})", bound + accounts)
        return None
