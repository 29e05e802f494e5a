"""The catalogue-driven mechanisms beyond create/update/delete, and which one answers an API.

:class:`Mechanisms` is asked twice by the writer: ``first`` for the APIs whose shape would otherwise be
mistaken for a create or a delete (an attach is a POST under its resource's path; a detach a DELETE
ending in ``{uuid}``), and ``last`` for what the generic create, update and delete do not carry out.
``plan`` names the mechanism for the coverage table (IMPLEMENTATION_COVERAGE.md).

A mechanism of a family of its own (a module under ``zcli/sim/``) joins through :data:`MORE`: a class built
as ``cls(catalog, store, writer)``, with ``kind`` (a short name, unique), ``before`` (True: asked before the
built-in mechanisms and before the generic create/delete; False: asked only when none of them answers),
``plan(api) -> str | None`` (how it carries ``api`` out, for the table; None when it does not) and
``run(api, params)`` (the reply's body, or raises :class:`~zcli.sim.failures.Failure`).
"""

from __future__ import annotations

from zcli.sim.actions import FAMILIES as ACTIONS
from zcli.sim.billing import Billing
from zcli.sim.cephmons import CephMons
from zcli.sim.devices import FAMILIES as DEVICES
from zcli.sim.hybrid import Hybrid
from zcli.sim.iam2_members import IAM2Members
from zcli.sim.iam2_projects import IAM2Projects
from zcli.sim.ldap import Ldap
from zcli.sim.licence import Licence
from zcli.sim.lifecycle import Lifecycle
from zcli.sim.management import Management
from zcli.sim.named import NamedDeletes
from zcli.sim.naming import verb_of
from zcli.sim.netservices import NetServices
from zcli.sim.operations import Operations
from zcli.sim.peers import Peers
from zcli.sim.permissions import Permissions
from zcli.sim.platform_reads import PlatformReads
from zcli.sim.quotas import Quotas
from zcli.sim.reads import Reads
from zcli.sim.records import Records
from zcli.sim.refs import LinkFailure, Links
from zcli.sim.relations import Relations
from zcli.sim.restores import Restores
from zcli.sim.setters import Setters
from zcli.sim.targets import Targets

_SETTER_VERBS = ("Set", "Update", "Change")
#: Families with semantics of their own (global and resource configs, long jobs, tags): not guessed here.
#: Mechanisms of families of their own, in the order they are asked (see the module's docstring).
MORE: tuple[type, ...] = (Hybrid, Peers, Relations, Restores, Targets, Records, Management, NetServices,
                           CephMons, *DEVICES, *ACTIONS, IAM2Members, IAM2Projects, Quotas, Ldap, Licence,
                           Billing, Permissions, PlatformReads)
_NOT_MINE = {"global-configurations", "resource-configurations", "longjobs", "tags", "system-tags", "user-tags"}


class Mechanisms:
    def __init__(self, catalog, store, writer):
        self.links = Links(catalog, store, writer)
        self.setters = Setters(catalog, store, writer)
        self.lifecycle = Lifecycle(catalog, store, writer, self.setters)
        self.reads = Reads(catalog, store, writer, self.links, self.setters)
        self.operations = Operations(catalog, store, writer)
        self.named = NamedDeletes(catalog, store, writer)
        self.more = [cls(catalog, store, writer) for cls in MORE]
        self._by_kind = {m.kind: m for m in self.more}
        self._plans: dict[str, tuple[str, str] | None] = {}

    def more_of(self, kind: str):
        """The mechanism of :data:`MORE` named ``kind`` (one family's helpers for another)."""
        return self._by_kind[kind]

    def plan(self, api) -> tuple[str, str] | None:
        """(mechanism, how) for ``api``, or None when none of these carries it out."""
        if api.name in self._plans:
            return self._plans[api.name]
        if api.category in _NOT_MINE:
            self._plans[api.name] = None
            return None
        found = self._more(api, before=True)
        if found is not None:
            self._plans[api.name] = found
            return found
        operation = self.operations.plan(api)
        lifecycle = self.lifecycle.plan(api)
        if operation:
            found = ("operation", operation)
        elif lifecycle:
            found = ("lifecycle", lifecycle)
        elif self.links.is_link_api(api):
            link = self.links.plan(api)
            if link is not None:
                found = ("link", link.describe())
        if found is None:
            read = self.reads.plan(api)
            if read:
                found = ("read", read)
        if found is None and self.named.target(api):
            found = ("delete", f"deletes the {self.named.target(api)[0].removesuffix('Inventory')} named")
        if found is None and self.setters.unsettable(api):
            found = ("unset", "forgets the setting its Set* counterpart kept")
        if found is None and verb_of(api.name) in _SETTER_VERBS and self.setters.target(api):
            found = ("setter", "applies its parameters to the resource (others kept as system tags)")
        if found is None:
            found = self._more(api, before=False)
        self._plans[api.name] = found
        return found

    def _more(self, api, before: bool) -> tuple[str, str] | None:
        for mech in self.more:
            if mech.before == before:
                how = mech.plan(api)
                if how:
                    return mech.kind, how
        return None

    def why_not(self, api) -> str:
        """Why none of the mechanisms carries ``api`` out (for the coverage table)."""
        name, verb = api.name, verb_of(api.name)
        if api.category in _NOT_MINE:
            return "configs, long jobs and tags have semantics of their own (not guessed generically)"
        if name.startswith(("LogIn", "Login", "RenewSession", "UnlockIdentity")):
            return "logins other than by account and user name are not carried out"
        if verb in ("Expunge", "Recover") and name.endswith(("Image", "DataVolume")):
            return "images and volumes are kept or expunged by the deletion policy of their delete"
        if api.category in ("hybrid", "nas") or api.path.startswith(("/hybrid", "/nas")):
            return "a hybrid-cloud call of a shape the remote cloud model (zcli/sim/hybrid.py) does not carry out"
        if self.links.is_link_api(api):
            return "no reference inventory or nested collection of the catalogue holds both sides"
        if verb == "Get" or name.startswith(("Check", "Validate", "Is", "List", "Describe", "Calculate")):
            types = self.reads.names.reply_types(api)
            if not types:
                return "the catalogue gives its reply no fields"
            return "its reply (" + ", ".join(sorted(types)[:3]) + ") comes from what the world does not model " \
                   "(agents, metrics, licences, external systems)"
        if verb in _SETTER_VERBS:
            return "no parameter names a resource of the kind it changes"
        if verb in ("Delete", "Remove", "Create", "Add"):
            return "the resource it names has no inventory of its own in the catalogue"
        return "runs on a host, a guest or an external system the simulator does not model"

    def first(self, api) -> bool:
        """True when one of these mechanisms must answer ``api`` before the generic create/delete."""
        found = self.plan(api)
        return found is not None and (found[0] in ("link", "lifecycle", "operation")
                                      or (found[0] in self._by_kind and self._by_kind[found[0]].before))

    def run(self, api, params: dict):
        kind = self.plan(api)[0]
        if kind in self._by_kind:
            return self._by_kind[kind].run(api, params)
        if kind == "operation":
            return self.operations.run(api, params)
        if kind == "link":
            return self.links.run(api, params)
        if kind == "lifecycle":
            return self.lifecycle.run(api, params)
        if kind == "delete":
            return self.named.run(api, params)
        if kind == "unset":
            return self.setters.unset(api, params)
        if kind == "read":
            return self.reads.run(api, params)
        return self.setters.run(api, params)


__all__ = ["LinkFailure", "Mechanisms"]
