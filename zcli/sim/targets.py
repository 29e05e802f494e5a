"""Setters no parameter of which names a resource of the kind they change: the row is found through the
reply's inventory or a parent resource, and the reply is the resource the catalogue says.

* a row of a child table keyed otherwise than by ``uuid``: UpdateCeph{Primary,Backup}StorageMon (the mon by
  ``monUuid``; the reply is its storage, as CephPrimaryStorageBase answers), ChangeVfNicHaState (the VF NIC);
* a row of the reply's kind keyed by the parameter (SetIpOnHostNetwork{Interface,Bonding}: ``ipAddresses``
  becomes ``[ip/prefix]``);
* a row of another kind, created as the server creates it when it is due: ChangeVmNicSecurityPolicy (a NIC
  in a security group has the policy DENY in, ALLOW out, as SecurityGroupManagerImpl makes it; a NIC in
  none has no policy and is refused, as SecurityGroupApiInterceptor does), UpdateTemplateConfig (the
  template's copy of a global configuration, checked against its type), UpdateGuestToolsState (what the
  guest agent reports: the VM's platform, its tools running when it runs), UpdateCCSCertificateUserState
  (the user's certificate reference).
"""

from __future__ import annotations

import ipaddress
import uuid as uuidlib

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.tables import q

_POLICIES = ("ALLOW", "DENY")


class Targets(ByName):
    kind = "target"

    def operations(self) -> dict:
        return {
            "UpdateCephPrimaryStorageMon": ("the mon named (monUuid); answers its storage",
                                            lambda p: self.mon(p, "CephPrimaryStorage")),
            "UpdateCephBackupStorageMon": ("the mon named (monUuid); answers its storage",
                                           lambda p: self.mon(p, "CephBackupStorage")),
            "ChangeVfNicHaState": ("the VF NIC's haState", self.vf_nic),
            "SetIpOnHostNetworkInterface": ("the interface's ipAddresses",
                                            lambda p: self.ip(p, "HostNetworkInterfaceInventory", "interfaceUuid")),
            "SetIpOnHostNetworkBonding": ("the bonding's ipAddresses",
                                          lambda p: self.ip(p, "HostNetworkBondingInventory", "bondingUuid")),
            "ChangeVmNicSecurityPolicy": ("the NIC's security policy (made DENY/ALLOW when it joined a group)",
                                          self.nic_policy),
            "UpdateTemplateConfig": ("the template's value of a global configuration", self.template_config),
            "UpdateGuestToolsState": ("what the VM's guest agent reports", self.guest_tools),
            "UpdateCCSCertificateUserState": ("the state of the user's certificate reference", self.ccs_state),
        }

    def _row(self, table: str, field: str, value, param: str) -> dict:
        if value in (None, ""):
            raise argerr(f"missing mandatory field[{param}]")
        found = self.store.inventories(table, f"{q(field)} = ?", [value], limit=1, depth=0)
        if not found:
            raise argerr(f"invalid field[{param}], resource[uuid:{value}, type:{table.replace('Inventory', 'VO')}] "
                         "is not found")
        return found[0]

    def _set(self, table: str, field: str, key, changes: dict) -> None:
        spec = self.store.specs[table]
        changes = {k: v for k, v in changes.items() if k in spec.kinds}
        if "lastOpDate" in spec.kinds:
            changes["lastOpDate"] = self.writer.now()
        encoded = dict(zip(spec.columns, spec.encode(changes), strict=True))
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {q(table)} SET {', '.join(f'{q(k)} = ?' for k in changes)} WHERE {q(field)} = ?",
                        [encoded[k] for k in changes] + [key])

    def mon(self, params: dict, storage: str):
        table = f"{storage}MonInventory"
        mon = self._row(table, "monUuid", params.get("monUuid"), "monUuid")
        changes = {k: params[k] for k in ("hostname", "sshUsername") if params.get(k) not in (None, "")}
        for port in ("monPort", "sshPort"):  # CephPrimaryStorageBase keeps a port only in 1..65535
            if params.get(port) not in (None, "") and 0 < int(params[port]) <= 65535:
                changes[port] = int(params[port])
        if "hostname" in changes:
            changes["monAddr"] = changes["hostname"]
        if changes:
            self._set(table, "monUuid", mon["monUuid"], changes)
        owner = "primaryStorageUuid" if "primaryStorageUuid" in mon else "backupStorageUuid"
        return {"inventory": self.writer._get(f"{storage}Inventory", mon[owner])}

    def vf_nic(self, params: dict):
        nic = self._row("VmVfNicInventory", "uuid", params.get("vfNicUuid"), "vfNicUuid")
        self.writer.update("VmVfNicInventory", nic["uuid"], {"haState": params.get("haState")})
        return {"inventory": self.writer._get("VmVfNicInventory", nic["uuid"])}

    def ip(self, params: dict, table: str, param: str):
        row = self._row(table, "uuid", params.get(param), param)
        ip, mask = params.get("ipAddress"), params.get("netmask")
        if ip in (None, ""):
            addresses = []  # no address: the interface's address is removed
        else:
            try:
                iface = ipaddress.ip_interface(f"{ip}/{mask}" if mask else ip)
            except ValueError:
                raise argerr(f"invalid ipAddress[{ip}] or netmask[{mask}]") from None
            addresses = [f"{iface.ip}/{iface.network.prefixlen}"]
        self.writer.update(table, row["uuid"], {"ipAddresses": addresses})
        return {"inventory": self.writer._get(table, row["uuid"])}

    def nic_policy(self, params: dict):
        nic_uuid = params.get("vmNicUuid")
        ingress, egress = params.get("ingressPolicy"), params.get("egressPolicy")
        why = "could no change vm nic security policy, because"
        if ingress in (None, "") and egress in (None, ""):
            raise argerr(f"{why} ingress policy and egress policy cannot be both null")
        for name, value in (("ingress", ingress), ("egress", egress)):
            if value not in (None, "") and value not in _POLICIES:
                raise argerr(f"{why} invalid {name} policy[{value}]")
        if not self.store.count("VmNicInventory", "uuid = ?", [nic_uuid]):
            raise argerr(f"{why} vm nic[uuid:{nic_uuid}] not found")
        table = "VmNicSecurityPolicyInventory"
        if not self.store.count(table, "vmNicUuid = ?", [nic_uuid]):
            if not self.store.count("VmNicSecurityGroupRefInventory", "vmNicUuid = ?", [nic_uuid]):
                raise argerr(f"{why} vm nic[uuid:{nic_uuid}] has no security policy")
            now = self.writer.now()
            with self.store.transaction() as cur:
                self.store.insert_many(cur, table, [{"uuid": uuidlib.uuid4().hex, "vmNicUuid": nic_uuid,
                                                     "ingressPolicy": "DENY", "egressPolicy": "ALLOW",
                                                     "createDate": now, "lastOpDate": now}])
        changes = {k: v for k, v in (("ingressPolicy", ingress), ("egressPolicy", egress)) if v not in (None, "")}
        self._set(table, "vmNicUuid", nic_uuid, changes)
        return {"inventory": self._row(table, "vmNicUuid", nic_uuid, "vmNicUuid")}

    def template_config(self, params: dict):
        from zcli.sim.configs import check_value, definitions

        template = self._row("GlobalConfigTemplateInventory", "uuid", params.get("templateUuid"), "templateUuid")
        category, name = params.get("category"), params.get("name")
        d = definitions().get((category, name))
        if d is None:
            raise argerr(f"Unable to find GlobalConfig[category: {category}, name: {name}]")
        value = check_value(category, name, params.get("value"))
        table, where = "TemplateConfigInventory", "templateUuid = ? AND category = ? AND name = ?"
        bound = [template["uuid"], category, name]
        with self.store.transaction() as cur:
            if self.store.count(table, where, bound):
                cur.execute(f'UPDATE "{table}" SET value = ? WHERE {where}', [value, *bound])
            else:
                self.store.insert_many(cur, table, [{"templateUuid": template["uuid"], "category": category,
                                                     "name": name, "defaultValue": d["default"], "value": value}])
        return {"inventory": self.store.inventories(table, where, bound, limit=1, depth=0)[0]}

    def guest_tools(self, params: dict):
        vm = self._row("VmInstanceInventory", "uuid", params.get("vmInstanceUuid"), "vmInstanceUuid")
        running = "Running" if vm.get("state") == "Running" else "Stopped"
        _, rows = self.store.read('SELECT version FROM "GuestToolsInventory" WHERE architecture = ? OR '
                                  "architecture IS NULL ORDER BY version DESC LIMIT 1", [vm.get("architecture")])
        now = self.writer.now()
        row = {"vmInstanceUuid": vm["uuid"], "qgaState": running, "zwatchState": running,
               "version": rows[0][0] if rows else None, "platform": vm.get("platform"),
               "osType": vm.get("guestOsType"), "lastOpDate": now}
        table = "GuestToolsStateInventory"
        with self.store.transaction() as cur:
            cur.execute(f'DELETE FROM "{table}" WHERE vmInstanceUuid = ?', [vm["uuid"]])
            self.store.insert_many(cur, table, [{**row, "createDate": now}])
        return {"inventory": self._row(table, "vmInstanceUuid", vm["uuid"], "vmInstanceUuid")}

    def ccs_state(self, params: dict):
        user = params.get("userUuid")
        if not self.store.count("UserInventory", "uuid = ?", [user]):
            raise argerr(f"invalid field[userUuid], resource[uuid:{user}, type:UserVO] is not found")
        ref = self.store.inventories("CCSCertificateUserRefInventory", "userUuid = ?", [user], limit=1, depth=0)
        if not ref:
            raise argerr(f"the user[uuid:{user}] has no CCS certificate attached")
        self._set("CCSCertificateUserRefInventory", "userUuid", user, {"state": params.get("state")})
        cert = ref[0]["certificateUuid"]
        refs = self.store.inventories("CCSCertificateUserRefInventory", "certificateUuid = ?", [cert],
                                      order="rowid", depth=0)
        self.writer.update("CCSCertificateInventory", cert, {"userCertificateRefs": refs})
        return {"inventory": self.writer._get("CCSCertificateInventory", cert)}
