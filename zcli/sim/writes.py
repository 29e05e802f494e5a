"""The write APIs the simulator carries out: generic create, update, delete, change state, VM power.

Each API is matched to the inventory it acts on through the catalogue: the query API whose path
its own path names (``POST /l3-networks/{l3NetworkUuid}/ip-ranges`` → ``QueryIpRange``). What the
simulator cannot carry out fails as the server fails: HTTP 503 with an ErrorCode.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from zcli.catalog.errors import UnknownName
from zcli.sim.auth import error, sha512
from zcli.sim.clock import SYSTEM
from zcli.sim.failures import Failure
from zcli.sim.generic import LinkFailure, Mechanisms
from zcli.sim.naming import creates
from zcli.sim.params import Gone, ParamError, check_params
from zcli.sim.tables import q
from zcli.sim.vms import VmFailure, Vms

_STATE_EVENTS = {"enable": "Enabled", "disable": "Disabled", "maintain": "Maintenance",
                 "preMaintain": "PreMaintenance", "ready": "Ready"}
_TAG_TABLES = ("SystemTagInventory", "UserTagInventory", "TagPatternInventory")
#: What GetVersion answers: the newest release the catalogue describes.
SERVER_VERSION = "5.4.0"
_VM_POWER = {"startVmInstance": "Running", "stopVmInstance": "Stopped", "rebootVmInstance": "Running",
             "pauseVmInstance": "Paused", "resumeVmInstance": "Running"}


def stamp(epoch: float) -> str:
    """Epoch seconds → the stored (sortable, local) form of a date."""
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


_DESCRIPTIONS = {"SYS.1007": "One or more API argument is invalid", "SYS.1003": "A resource can not be found"}


def _argerr(details: str) -> Failure:
    return Failure("SYS.1007", "One or more API argument is invalid", details)


class Writer:
    """Carries out write APIs against a store.

    Args:
        catalog: the API catalogue.
        store: the simulator's store.
        auth: the simulator's auth (new accounts and users get a password).
        clock: the simulator's clock (:mod:`zcli.sim.clock`): the dates of what is written.
    """

    #: What GetVersion answers (the Simulator sets its ``server_version``).
    server_version = SERVER_VERSION

    def __init__(self, catalog, store, auth, clock=SYSTEM):
        self.clock = clock
        self._caller = threading.local()
        self.catalog = catalog
        self.store = store
        self.auth = auth
        self._by_path: dict[str, str] = {}
        self._line_of: dict[str, list[str]] | None = None
        self.vms = Vms(store, self)
        #: fn(inventory, uuid), called before a resource is deleted (links kept outside ref tables forget it).
        self.forgetters: list = []
        self.mechanisms = Mechanisms(catalog, store, self)
        from zcli.sim.configs import Configs
        from zcli.sim.deletes import Deletes
        from zcli.sim.longjobs import LongJobs
        from zcli.sim.tags import Tags

        #: API name → handler(api, params, account): APIs carried out by a module of their own.
        self.handlers: dict = {}
        #: API name → how it is carried out (for the coverage table).
        self.handler_plans: dict[str, str] = {}
        self.longjobs = LongJobs(self)
        for part in (Tags(self), Configs(self), Deletes(self), self.longjobs):
            for name, fn in part.handlers().items():
                self.handlers[name] = fn
                self.handler_plans[name] = part.PLAN
        for name in catalog.query_api_names():
            api = catalog.api(name)
            if api.inventory in store.specs:
                self._by_path.setdefault(api.path.rstrip("/"), api.inventory)

    def caller(self) -> str | None:
        """The account of the session whose call this thread is carrying out (None: no session)."""
        return getattr(self._caller, "account", None)

    def now(self) -> str:
        return stamp(self.clock.time())

    def inventory_of(self, api) -> str | None:
        """The inventory an API acts on: the query path its path names, or the longest one it starts with."""
        segments = [s for s in api.path.split("/") if s and not s.startswith("{") and s != "actions"]
        for n in range(len(segments), 0, -1):
            inv = self._by_path.get("/" + "/".join(segments[:n]))
            if inv is not None:
                return inv
        return None

    def _lines(self) -> dict[str, list[str]]:
        """Each inventory with a table → itself and its ancestors with tables, nearest first."""
        if self._line_of is None:
            parents = {}
            for name in self.store.specs:
                try:
                    parents[name] = self.catalog.inventory(name).parent
                except UnknownName:  # an inventory named only as a type
                    parents[name] = None
            lines = {}
            for name in self.store.specs:
                line, parent = [name], parents.get(name)
                while parent in self.store.specs and parent not in line:
                    line.append(parent)
                    parent = parents.get(parent)
                lines[name] = line
            self._line_of = lines
        return self._line_of

    def line(self, inv: str) -> list[str]:
        """``inv`` and its ancestors' tables: where a new resource of kind ``inv`` is written.

        The server keeps a child inventory (L2VlanNetwork, ImageStoreBackupStorage) in its parent's
        table as well as its own: a parent query sees every child, a child query only its kind.
        """
        return self._lines().get(inv, [inv])

    def family(self, inv: str) -> list[str]:
        """The tables that may hold a resource of kind ``inv``: its line and its descendants'."""
        return [inv, *(n for n, line in self._lines().items() if n != inv and (inv in line or n in self.line(inv)))]

    def run(self, api, params: dict, account: str | None = None) -> tuple[int, object]:
        """Carry out ``api`` with its parameters (path variables included); (HTTP status, body).

        ``account`` is the calling session's account: it owns what the call creates.
        """
        self._caller.account = account
        try:
            return 200, self._run(api, params, account) or {}
        except Failure as f:
            return 503, f.body
        except VmFailure as f:
            return 503, error(f.code, f.description, f.details)

    def _run(self, api, params: dict, account: str | None = None):
        try:
            check_params(api, params, self.exists, from_query=api.method in ("GET", "DELETE"))
        except ParamError as e:
            raise Failure(e.code, _DESCRIPTIONS[e.code], e.details) from None
        except Gone:
            return None  # successIfResourceNotExisting: the server answers success and does nothing
        handler = self.handlers.get(api.name)
        if handler is not None:
            return handler(api, params, account)
        if api.name == "GetVersion":
            return {"version": self.server_version}
        inv = self.inventory_of(api)
        key = api.body_key or ""
        if inv == "VmInstanceInventory" and "uuid" in params:
            done = self._vm_action(api, key, params["uuid"])
            if done is not False:
                return done
        try:
            if self.mechanisms.first(api):
                return self.mechanisms.run(api, params)
            form = self._form(api, inv)
            if form == "create":
                return self._reply(api, self.create(self._create_target(api, inv), params, account))
            if form == "delete":
                self.delete(inv, params["uuid"], _TAG_TABLES if api.name == "DeleteTag" else None)
                return None
            if form == "update" and params.get("uuid") not in (None, ""):
                return self._reply(api, self.update(inv, params["uuid"], params))
            if form == "state" and "stateEvent" in params:
                state = _STATE_EVENTS.get(params["stateEvent"], params["stateEvent"])
                return self._reply(api, self.update(inv, params["uuid"], {"state": state}))
            if self.mechanisms.plan(api) is not None:
                return self.mechanisms.run(api, params)
        except LinkFailure as f:
            raise Failure(f.code, f.description, f.details) from None
        raise Failure("SYS.1000", "Not supported by the simulator", f"the simulator cannot carry out {api.name}")

    def plan(self, api) -> str:
        """How the simulator carries out ``api`` (for the coverage table); "" when it does not."""
        if api.query:
            return "query"
        if api.name == "GetVersion":
            return "constant: the catalogue's newest release (zcli sim --server-version sets another)"
        if api.name in self.handler_plans:
            return self.handler_plans[api.name]
        inv = self.inventory_of(api)
        if inv == "VmInstanceInventory" and self._vm_action_name(api):
            return "VM lifecycle"
        mech = self.mechanisms.plan(api)
        if mech is not None and self.mechanisms.first(api):
            return f"{mech[0]}: {mech[1]}"
        form = self._form(api, inv)
        if form == "create":
            return f"create: a new {self._create_target(api, inv).removesuffix('Inventory')} row"
        if form == "delete":
            return f"delete: the {self._delete_target(api, inv)[0].removesuffix('Inventory')} named"
        if form in ("update", "state"):
            return f"{form}: fields of the {inv.removesuffix('Inventory')} named"
        if mech:
            return f"{mech[0]}: {mech[1]}"
        if any(p.gone_ok for p in api.params):
            return "API layer: a uuid of nothing succeeds (successIfResourceNotExisting); otherwise not carried out"
        return ""

    def _form(self, api, inv: str | None) -> str | None:
        """Which generic form carries out ``api``: create, delete, update, state, or None."""
        names = {p.name for p in api.params} | {v[1:-1] for v in api.path.split("/") if v.startswith("{")}
        key = api.body_key or ""
        if api.method == "POST" and self._create_target(api, inv):
            return "create"
        if api.method == "DELETE" and self._delete_target(api, inv):
            return "delete"
        if inv is not None and api.method == "PUT" and "uuid" in names:
            if key.startswith("update"):
                return "update"
            if key.startswith("change") and key.endswith("State") and "stateEvent" in names:
                return "state"
        return None

    def _create_target(self, api, inv: str | None) -> str | None:
        """The table a POST creates into: the API's path's inventory, else (Create*/Add*) the reply's."""
        if inv is not None and creates(api.name, inv) and self._creatable(api, inv):
            return inv
        if api.name.startswith(("Create", "Add", "BatchCreate", "BatchAdd")):
            reply, many = self.mechanisms.links.names.reply_inventory(api)
            # the reply's kind is made when the name says so, or when nothing names an existing resource
            # (AddAliyunKeySecret answers the new HybridAccount; AddStorageProtocol's uuid names its storage)
            if reply and not many and "uuid" in self.store.specs[reply].kinds and self._creatable(api, reply) and (
                    creates(api.name, reply) or not ("uuid" in {p.name for p in api.params} or "{" in api.path)):
                return reply
        return None

    def _delete_target(self, api, inv: str | None) -> tuple[str, str] | None:
        """(inventory, uuid parameter) a DELETE removes: only the resource its own path names.

        ``DELETE /vm-instances/{uuid}`` deletes a VM; ``DELETE /vm-instances/{vmInstanceUuid}/scsi-lun/{uuid}``
        does not (its path is not the VM's own): a Delete* API that names its resource is then carried out by
        :mod:`zcli.sim.generic` (or refused), never here.
        """
        if len(api.paths) == 0 and api.path.endswith("/{uuid}") and inv is not None \
                and self._by_path.get(api.path[:-len("/{uuid}")].rstrip("/")) == inv:
            return inv, "uuid"
        return None

    def _vm_action_name(self, api) -> bool:
        key = api.body_key or ""
        return api.name == "DestroyVmInstance" or key in ("expungeVmInstance", "recoverVmInstance") or key in _VM_POWER

    def _vm_action(self, api, key: str, uuid_: str):
        """A VM's lifecycle call: its reply (None for none), or False when ``api`` is not one."""
        if api.name == "DestroyVmInstance":
            self.vms.destroy(uuid_)
            return None
        if key == "expungeVmInstance":
            self.vms.expunge(uuid_)
            return None
        if key == "recoverVmInstance":
            return self._reply(api, self.vms.recover(uuid_))
        if key in _VM_POWER:
            return self._reply(api, self.vms.power(uuid_, _VM_POWER[key]))
        return False

    def table_of(self, resource_type: str) -> str | None:
        """The table of a VO type (``ZoneVO`` → ``ZoneInventory``), None when the simulator keeps none."""
        name = resource_type[:-2] + "Inventory" if resource_type.endswith("VO") else resource_type
        return name if name in self.store.specs and "uuid" in self.store.specs[name].kinds else None

    def exists(self, resource_type: str, uuid_: str) -> bool | None:
        """Whether a resource of ``resource_type`` with ``uuid_`` exists (None: no table to tell)."""
        table = None if resource_type == "ResourceVO" else self.table_of(resource_type)  # any kind: not told here
        if table is None:
            return None
        return bool(self.store.count(table, "uuid = ?", [uuid_]))

    def _creatable(self, api, inv: str) -> bool:
        fields = self.store.specs[inv].kinds
        return all(v[1:-1] in fields for v in api.path.split("/") if v.startswith("{"))

    def _reply(self, api, inventory: dict):
        return {api.reply_key: inventory} if api.reply_key else None

    def _get(self, inv: str, uuid_: str) -> dict:
        found = self.store.inventories(inv, "uuid = ?", [uuid_], limit=1)
        if not found:
            raise _argerr(f"invalid field[uuid], resource[uuid:{uuid_}, type:{inv}] is not found")
        return found[0]

    # --- the generic forms -------------------------------------------------------------------
    def create(self, inv: str, params: dict, account: str | None = None) -> dict:
        """Insert a new ``inv`` made of ``params``; what has an owner (a user, a group, a policy...)
        belongs to ``account``, the creating session's, unless the call names one (as the server does:
        ``accountUuid`` from the session)."""
        spec = self.store.specs[inv]
        row = {k: v for k, v in params.items() if k in spec.kinds and k != "password"}
        if account and "accountUuid" in spec.kinds and inv != "AccountInventory" and not row.get("accountUuid"):
            row["accountUuid"] = account
        # ``resourceUuid`` asks for the new resource's uuid, except on a tag, where it names the tagged resource.
        asked = None if "resourceUuid" in spec.kinds else params.get("resourceUuid")
        if asked and any(self.store.count(t, "uuid = ?", [asked]) for t in self.family(inv)):
            raise _argerr(f"resourceUuid[{asked}] is already the uuid of another resource")
        row["uuid"] = asked or uuid.uuid4().hex
        row["createDate"] = row["lastOpDate"] = self.now()
        for name, default in (("state", "Enabled"), ("status", "Ready")):
            if name in spec.kinds and not row.get(name):
                row[name] = default
        self._derive(inv, row)
        if inv == "VmInstanceInventory":
            self.vms.check_create(params)
        with self.store.transaction() as cur:
            if inv == "VmInstanceInventory":
                self.vms.fill_new(cur, row, params)
            for table in self.line(inv):
                self.store.insert_many(cur, table, [row])
            self._own(cur, inv, row["uuid"], account)
            if inv in ("AccountInventory", "UserInventory") and params.get("password"):
                self._keep_password(cur, inv, row, params["password"])
        return self._get(inv, row["uuid"])

    def update(self, inv: str, uuid_: str, params: dict) -> dict:
        self._get(inv, uuid_)
        spec = self.store.specs[inv]
        changes = {k: v for k, v in params.items() if k in spec.kinds and k not in ("uuid", "createDate")}
        changes["lastOpDate"] = self.now()
        with self.store.transaction() as cur:
            for table in self.family(inv):
                spec = self.store.specs[table]
                mine = {k: v for k, v in changes.items() if k in spec.kinds}
                if mine:
                    encoded = dict(zip(spec.columns, spec.encode(mine), strict=True))
                    sets = ", ".join(f"{q(k)} = ?" for k in mine)
                    cur.execute(f"UPDATE {q(table)} SET {sets} WHERE uuid = ?", [encoded[k] for k in mine] + [uuid_])
        updated = self._get(inv, uuid_)
        if inv in ("AccountInventory", "UserInventory") and params.get("password"):
            with self.store.transaction() as cur:
                self._keep_password(cur, inv, updated, params["password"])
        return updated

    def _own(self, cur, inv: str, uuid_: str, account: str | None) -> None:
        """The AccountResourceRef of a new resource: the creating session's account owns it (AccountResourceRefVO.New;
        quota usage counts it, see zcli/sim/quotas.py). The demo world's rows have none: they are the admin's."""
        refs = "AccountResourceRefInventory"
        if account and inv not in ("AccountInventory", refs) and refs in self.store.specs:
            base = self.line(inv)[-1].removesuffix("Inventory") + "VO"
            self.store.insert_many(cur, refs, [{
                "accountUuid": account, "ownerAccountUuid": account, "resourceUuid": uuid_, "resourceType": base,
                "concreteResourceType": inv.removesuffix("Inventory") + "VO", "permission": 2, "isShared": False,
                "createDate": self.now(), "lastOpDate": self.now()}])

    def _keep_password(self, cur, inv: str, row: dict, password: str) -> None:
        """Store an account's or user's password (as the SHA-512 hex the clients send)."""
        account = row["uuid"] if inv == "AccountInventory" else row.get("accountUuid")
        hashed = password if len(password) == 128 else sha512(password)
        self.auth.set_password(cur, row["uuid"], account, row.get("name"),
                               "account" if inv == "AccountInventory" else "user", hashed)

    def delete(self, inv: str, uuid_: str, tables=None) -> None:
        """Delete a resource from every table of its family (or ``tables``) and the rows of its nested
        collections (a VM's NICs and volumes); a missing row is fine."""
        spec = self.store.specs[inv]
        for forget in self.forgetters:
            forget(inv, uuid_)
        with self.store.transaction() as cur:
            for fill in spec.fills.values():
                if fill.many and fill.source_key == "uuid" and fill.target in self.store.specs:
                    cur.execute(f"DELETE FROM {q(fill.target)} WHERE {q(fill.target_key)} = ?", (uuid_,))
            for table in tables or self.family(inv):
                cur.execute(f"DELETE FROM {q(table)} WHERE uuid = ?", (uuid_,))
            if "AccountResourceRefInventory" in self.store.specs:
                cur.execute('DELETE FROM "AccountResourceRefInventory" WHERE resourceUuid = ?', (uuid_,))
            if inv in ("AccountInventory", "UserInventory"):
                self.auth.forget(cur, uuid_)

    def _derive(self, inv: str, row: dict) -> None:
        """Fields the server fills in on create: a zone's type, an L3 network's zone (its L2's) and kind."""
        if inv == "VolumeInventory":
            row.setdefault("type", "Data")  # CreateDataVolume's; a root volume is made with its VM
        if inv == "ZoneInventory":
            row.setdefault("type", "zstack")
            row["isDefault"] = str(row.get("isDefault")).lower() == "true"
        elif inv == "L3NetworkInventory":
            l2 = self.vms.one("L2NetworkInventory", row.get("l2NetworkUuid"), "l2NetworkUuid")
            row["zoneUuid"] = l2.get("zoneUuid")
            for name, default in (("type", "L3BasicNetwork"), ("category", "Private"), ("ipVersion", 4),
                                  ("system", False), ("enableIPAM", True), ("isolated", False)):
                if row.get(name) in (None, ""):
                    row[name] = default
