"""What the management node keeps of its own, with no resource a parameter names: log configurations,
factory mode, chrony servers, integrity signatures of resources, CCS certificates.

* **log configurations** are JsonLabel rows (the reply's inventory): ``labelKey`` ``logConfiguration``, the
  configuration (name, description, type, level, log4j2 text) as JSON in ``labelValue``, its ``id`` the
  ``configId`` Update/Delete/GetLogConfiguration name; a second configuration of one name and type is refused;
* **factory mode** and the **chrony servers** are settings of the node, kept in the simulator's meta table
  (``node.factoryModeState``, ``node.chronyServers``) and read back by GetFactoryModeState and
  GetChronyServers (internal servers first);
* **AddIntegrityResource** signs each resource of the type (created within the last
  ``integrityResourceDataRangeInDays`` days, when given) not yet signed: an EncryptionIntegrity row whose
  ``signedText`` is the SHA-256 of the resource's uuid and type; CheckBatchDataIntegrity answers, for each
  resource (all of the type when none is named), whether its signature is there and holds;
* **AddCCSCertificate** reads the PEM certificate's fields (zcli/sim/x509.py); a certificate of the same
  issuer and serial is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list
from zcli.sim.tables import q
from zcli.sim.x509 import BadCertificate, parse

_LABEL = "JsonLabelInventory"
_LOG_KEY = "logConfiguration"
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*$")


class Management(ByName):
    kind = "node"

    def operations(self) -> dict:
        return {
            "AddLogConfiguration": ("a JsonLabel row holding the configuration", self.add_log),
            "UpdateLogConfiguration": ("the configuration's name and description", self.update_log),
            "DeleteLogConfiguration": ("removes the configuration's JsonLabel row", self.delete_log),
            "GetLogConfiguration": ("the log configurations kept", self.get_log),
            "UpdateFactoryModeState": ("the node's factory mode (meta table)", self.set_factory),
            "GetFactoryModeState": ("the node's factory mode", self.get_factory),
            "UpdateChronyServers": ("the node's chrony servers (meta table)", self.set_chrony),
            "GetChronyServers": ("the node's chrony servers", self.get_chrony),
            "AddIntegrityResource": ("EncryptionIntegrity rows for the resources of the type", self.integrity),
            "CheckBatchDataIntegrity": ("whether each resource's signature is there and holds", self.check_integrity),
            "AddCCSCertificate": ("a CCSCertificate from the PEM's fields", self.add_certificate),
        }

    # --- log configurations ------------------------------------------------------------------
    def _logs(self, where: str = "", bound=()) -> list[dict]:
        cond = "labelKey = ?" + (f" AND {where}" if where else "")
        return self.store.inventories(_LABEL, cond, [_LOG_KEY, *bound], order="id", depth=0)

    def _log(self, config_id) -> dict:
        try:
            found = self._logs("id = ?", [int(config_id)])
        except (TypeError, ValueError):
            found = []
        if not found:
            raise argerr(f"invalid field[configId], log configuration[id:{config_id}] is not found")
        return found[0]

    def add_log(self, params: dict):
        value = {k: params.get(k) for k in ("name", "description", "type", "level", "configuration")}
        for row in self._logs():
            kept = json.loads(row.get("labelValue") or "{}")
            if (kept.get("name"), kept.get("type")) == (value["name"], value["type"]):
                raise argerr(f"a log configuration[name:{value['name']}, type:{value['type']}] already exists")
        _, rows = self.store.read(f"SELECT COALESCE(MAX(id), 0) FROM {q(_LABEL)}")
        now = self.writer.now()
        row = {"id": rows[0][0] + 1, "labelKey": _LOG_KEY, "labelValue": json.dumps(value, ensure_ascii=False),
               "resourceUuid": params.get("resourceUuid"), "createDate": now, "lastOpDate": now}
        with self.store.transaction() as cur:
            self.store.insert_many(cur, _LABEL, [row])
        return {"inventory": self._log(row["id"])}

    def update_log(self, params: dict):
        row = self._log(params.get("configId"))
        value = json.loads(row.get("labelValue") or "{}")
        value.update({k: params[k] for k in ("name", "description") if params.get(k) not in (None, "")})
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {q(_LABEL)} SET labelValue = ?, lastOpDate = ? WHERE id = ?",
                        [json.dumps(value, ensure_ascii=False), self.writer.now(), row["id"]])
        return {"inventory": self._log(row["id"])}

    def delete_log(self, params: dict):
        row = self._log(params.get("configId"))
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {q(_LABEL)} WHERE id = ?", [row["id"]])
        return None

    def get_log(self, params: dict):
        return {"inventories": self._logs()}

    # --- node settings -----------------------------------------------------------------------
    def set_factory(self, params: dict):
        value = params.get("factoryModeState")
        if str(value).lower() not in ("true", "false"):
            raise argerr(f"invalid field[factoryModeState]: {value} is not a boolean")
        self.store.set_meta("node.factoryModeState", str(value).lower())
        return None

    def get_factory(self, params: dict):
        return {"factoryModeState": (self.store.meta("node.factoryModeState") or "false") == "true"}

    def set_chrony(self, params: dict):
        internal, external = as_list(params.get("internalHostnames")), as_list(params.get("externalHostnames"))
        for name in internal + external:
            if not _HOST.match(name):
                raise argerr(f"invalid chrony server[{name}]: neither an IP address nor a host name")
        if not internal and not external:
            raise argerr("internalHostnames or externalHostnames must be set")
        kept = json.loads(self.store.meta("node.chronyServers") or '{"internal": [], "external": []}')
        if params.get("internalHostnames") is not None:
            kept["internal"] = internal
        if params.get("externalHostnames") is not None:
            kept["external"] = external
        self.store.set_meta("node.chronyServers", json.dumps(kept))
        return None

    def get_chrony(self, params: dict):
        kept = json.loads(self.store.meta("node.chronyServers") or '{"internal": [], "external": []}')
        return {"servers": kept["internal"] + kept["external"]}

    # --- integrity and certificates -----------------------------------------------------------
    def integrity(self, params: dict):
        rtype = params.get("resourceType") or ""
        table = self.writer.table_of(rtype if rtype.endswith("VO") else rtype + "VO")
        if table is None:
            raise argerr(f"invalid field[resourceType]: {rtype} is no resource type the node keeps")
        vo = table.replace("Inventory", "VO")
        where = 'uuid NOT IN (SELECT resourceUuid FROM "EncryptionIntegrityInventory" WHERE resourceType = ?)'
        bound = [vo]
        days = params.get("integrityResourceDataRangeInDays")
        if days not in (None, "") and "createDate" in self.store.specs[table].kinds:
            since = datetime.strptime(self.writer.now(), "%Y-%m-%d %H:%M:%S") - timedelta(days=int(days))
            where += " AND createDate >= ?"
            bound.append(since.strftime("%Y-%m-%d %H:%M:%S"))
        _, rows = self.store.read(f"SELECT uuid FROM {q(table)} WHERE {where} ORDER BY rowid", bound)
        _, ids = self.store.read('SELECT COALESCE(MAX(id), 0) FROM "EncryptionIntegrityInventory"')
        now = self.writer.now()
        signed = [{"id": ids[0][0] + i + 1, "resourceUuid": r[0], "resourceType": vo,
                   "signedText": self._signature(r[0], vo), "createDate": now,
                   "lastOpDate": now} for i, r in enumerate(rows)]
        with self.store.transaction() as cur:
            self.store.insert_many(cur, "EncryptionIntegrityInventory", signed)
        return None

    @staticmethod
    def _signature(uuid_: str, vo: str) -> str:
        return hashlib.sha256(f"{uuid_}:{vo}".encode()).hexdigest()

    def check_integrity(self, params: dict):
        rtype = params.get("resourceType") or ""
        table = self.writer.table_of(rtype if rtype.endswith("VO") else rtype + "VO")
        if table is None:
            raise argerr(f"invalid field[resourceType]: {rtype} is no resource type the node keeps")
        vo = table.replace("Inventory", "VO")
        uuids = as_list(params.get("resourceUuids"))
        if not uuids:
            _, rows = self.store.read(f"SELECT uuid FROM {q(table)} ORDER BY rowid")
            uuids = [r[0] for r in rows]
        _, rows = self.store.read('SELECT resourceUuid, signedText FROM "EncryptionIntegrityInventory" '
                                  "WHERE resourceType = ?", [vo])
        signed = dict(rows)
        return {"resourceMap": {u: signed.get(u) == self._signature(u, vo) for u in uuids}}

    def add_certificate(self, params: dict):
        try:
            fields = parse(params.get("certificate") or "")
        except BadCertificate as e:
            raise argerr(f"invalid field[certificate]: {e}") from None
        if self.store.count("CCSCertificateInventory", "issuerDN = ? AND serNumber = ?",
                            [fields["issuerDN"], fields["serNumber"]]):
            raise argerr(f"the certificate[issuer:{fields['issuerDN']}, serial:{fields['serNumber']}] is already added")
        made = self.writer.create("CCSCertificateInventory", {**fields, "userCertificateRefs": []})
        return {"inventory": made}
