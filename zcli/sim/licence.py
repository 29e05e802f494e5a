"""The management node's licence: the licence record, its history, capabilities and add-ons, reload and update.

The licence module is closed source; the facts are the reference's field names (LicenseInventory,
LicenseAddOnInventory) and the API shapes. What the simulator chose:

- The node's current licence is its LicenseInventory row (seeded, zcli/sim/world_platform.py); every licence
  the node has held is a record (``_sim_license_record``), which GetLicenseRecords pages and sorts.
- ReloadLicense re-reads it: ``expired`` against the simulator's clock, and the ``available*`` numbers from the
  world (licensed hosts, CPU sockets and VMs less those the world holds).
- UpdateLicense takes a licence text: JSON (or base64 of JSON) with the licence's fields. ``licenseType``
  ``AddOn`` with a ``name`` adds or replaces an add-on; any other replaces the node's licence. A text that is
  not a licence, or one of another product, is refused.
- GetLicenseCapabilities: what the licence allows (its numbers, type, expiry) and each add-on's modules.
- GetLicenseUKeyStatus: the USB keys plugged into the node: the simulator's node has none.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime

from zcli.sim.failures import Failure
from zcli.sim.family import Family, as_list
from zcli.sim.tables import q

LICENSE, ADDON = "LicenseInventory", "LicenseAddOnInventory"
RECORDS = "_sim_license_record"
_FIELDS = ("user", "prodInfo", "licenseType", "cpuNum", "hostNum", "vmNum", "capacity", "issuedDate", "expiredDate",
           "source", "name", "modules")
_SORTS = {"issuedDate", "expiredDate", "uploadDate"}


def _invalid(details: str) -> Failure:
    return Failure("LICENSE.1000", "The license is invalid", details)


class Licence(Family):
    kind = "licence"

    def __init__(self, catalog, store, writer):
        super().__init__(catalog, store, writer)
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {RECORDS} (uuid TEXT PRIMARY KEY, uploadDate TEXT, body TEXT)")

    def table(self):
        return (
            ("GetLicenseRecords", "pages the licences the node has held", self._records),
            ("GetLicenseCapabilities", "what the licence and its add-ons allow", self._capabilities),
            ("GetLicenseAddOns", "reads the add-on licences", self._addons),
            ("GetLicenseUKeyStatus", "the USB keys plugged into the node (the simulator's has none)", self._ukeys),
            ("ReloadLicense", "re-reads the licence: expiry on the simulator's clock, availability from the world",
             self._reload),
            ("UpdateLicense", "replaces the node's licence (or an add-on) with the licence text given", self._update),
        )

    # --- the record -------------------------------------------------------------------------
    def current(self, node: str | None = None) -> dict:
        rows = self.rows(LICENSE, "managementNodeUuid = ?", [node], order="rowid") if node else \
            self.rows(LICENSE, order="rowid")
        mine = [r for r in rows if r.get("licenseType") != "AddOn"]
        if not mine:
            raise _invalid(f"no licence on the management node[uuid:{node}]")
        return mine[0]

    def _records(self, p: dict) -> dict:
        self._history()
        bodies = [json.loads(b) for (b,) in self.store.read(f"SELECT body FROM {RECORDS} ORDER BY rowid")[1]]
        key = p.get("sortBy") if p.get("sortBy") in _SORTS else "uploadDate"
        bodies.sort(key=lambda b: str(b.get(key) or ""), reverse=str(p.get("sortDirection")).lower() == "desc")
        start, limit = int(p.get("start") or 0), p.get("limit")
        page = bodies[start:start + int(limit)] if limit not in (None, "") else bodies[start:]
        if str(p.get("count", "")).lower() == "true":
            return {"total": len(bodies)}
        out: dict = {"inventories": page}
        if str(p.get("replyWithCount", "")).lower() == "true":
            out["total"] = len(bodies)
        return out

    def _history(self) -> None:
        """The seeded licences are records too (the first time the history is read)."""
        if self.store.read(f"SELECT 1 FROM {RECORDS} LIMIT 1")[1]:
            return
        for row in self.rows(LICENSE, order="rowid"):
            self._record(row)

    def _record(self, row: dict) -> None:
        with self.store.transaction() as cur:
            cur.execute(f"INSERT INTO {RECORDS} (uuid, uploadDate, body) VALUES (?, ?, ?)",
                        (uuid.uuid4().hex, row.get("uploadDate"), json.dumps(row, ensure_ascii=False)))

    def _expired(self, row: dict) -> bool:
        try:
            when = datetime.strptime(str(row.get("expiredDate"))[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            try:
                when = datetime.strptime(str(row.get("expiredDate")), "%b %d, %Y %I:%M:%S %p")
            except ValueError:
                return False
        return when.timestamp() <= self.writer.clock.time()

    def _available(self) -> dict:
        _, rows = self.store.read('SELECT COUNT(*), COALESCE(SUM(cpuSockets), 0) FROM "HostInventory"')
        hosts, sockets = rows[0]
        vms = self.store.count("VmInstanceInventory", "state IS NULL OR state != 'Destroyed'")
        return {"hosts": hosts, "sockets": sockets, "vms": vms}

    def _reload(self, p: dict) -> dict:
        nodes = as_list(p.get("managementNodeUuids"))
        for n in nodes:
            self.one("ManagementNodeInventory", n, "managementNodeUuids")
        return {"inventory": self.refresh(self.current(nodes[0] if nodes else None))}

    def refresh(self, row: dict) -> dict:
        """The licence row with ``expired`` and the ``available*`` numbers computed from the world now."""
        used = self._available()
        changes = {"expired": self._expired(row),
                   "availableHostNum": max(int(row.get("hostNum") or 0) - used["hosts"], 0),
                   "availableCpuNum": max(int(row.get("cpuNum") or 0) - used["sockets"], 0),
                   "availableVmNum": max(int(row.get("vmNum") or 0) - used["vms"], 0)}
        with self.store.transaction() as cur:
            sets = ", ".join(f"{q(k)} = ?" for k in changes)
            cur.execute(f"UPDATE {q(LICENSE)} SET {sets} WHERE uuid = ?",
                        [int(v) if isinstance(v, bool) else v for v in changes.values()] + [row["uuid"]])
        return self.one(LICENSE, row["uuid"])

    def _parse(self, text: str) -> dict:
        for candidate in (text, None):
            try:
                raw = candidate if candidate is not None else base64.b64decode(text, validate=True).decode()
                body = json.loads(raw)
            except (ValueError, binascii.Error, UnicodeDecodeError):
                continue
            if isinstance(body, dict):
                return body
        raise _invalid("the license text is neither a licence's JSON nor its base64")

    def _update(self, p: dict) -> dict:
        node = self.one("ManagementNodeInventory", p.get("managementNodeUuid"), "managementNodeUuid")
        body = self._parse(p.get("license") or "")
        held = self.current(node["uuid"])
        if body.get("prodInfo") not in (None, held.get("prodInfo")):
            raise _invalid(f"the licence is for {body.get('prodInfo')}, not {held.get('prodInfo')}")
        if not body.get("expiredDate") or not body.get("licenseType"):
            raise _invalid("a licence names its licenseType and its expiredDate")
        fields = {k: body[k] for k in _FIELDS if k in body}
        fields.update(uploadDate=self.now(), managementNodeUuid=node["uuid"])
        self._history()
        if body["licenseType"] == "AddOn":
            if not body.get("name"):
                raise _invalid("an add-on licence names its add-on")
            row = {**held, **fields, "uuid": uuid.uuid4().hex}
            row["expired"] = self._expired(row)
            self.delete_where(ADDON, "name = ?", [body["name"]])
            self.insert(ADDON, [row])
            done = self.one(ADDON, row["uuid"])
        else:
            keep = {k: v for k, v in fields.items() if k not in ("name", "modules")}
            done = self.refresh(self.set_fields(LICENSE, held["uuid"], **keep))
        self._record(done)
        return {"inventory": done}

    # --- reads ------------------------------------------------------------------------------
    def _addons(self, p: dict) -> dict:
        return {"addons": self.rows(ADDON, order="rowid")}

    def _capabilities(self, p: dict) -> dict:
        row = self.current()
        caps = {k: row.get(k) for k in ("licenseType", "hostNum", "cpuNum", "vmNum", "expiredDate")}
        caps["expired"] = self._expired(row)
        for addon in self.rows(ADDON, order="rowid"):
            for module in addon.get("modules") or [addon.get("name")]:
                caps[module] = not self._expired(addon)
        return {"capabilities": caps}

    def _ukeys(self, p: dict) -> dict:
        return {"inventories": []}
