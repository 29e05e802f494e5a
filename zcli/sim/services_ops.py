"""Actions on appliances and services whose agents the simulator stands for: VPC firewall rule sets, SLB
instances, built apps, fault-tolerant VM pairs, ZBox devices.

Closed-source modules; the facts are the reference's inventories. What the simulator chose:

* ``ApplyRuleSetChanges``: the rule set's rules pushed to the VPC routers of its firewalls; ``isApplied``;
  refused when no firewall uses the rule set (there is no router to push them to);
* ``ProvisionSlbInstance``: the SLB instance (Running) gets its group's configuration again: its
  ``configVersion`` catches up with the group's; the reply is the group;
* ``ExportBuildApp``: the app's package is exported: an export history row (path, size, MD5, version);
* ``FailoverFaultToleranceVm``: the secondary VM (Running) becomes the primary, the old primary stops and
  becomes the secondary;
* ``EjectZBox``: the ZBox is safely ejected (status Ejected), refused while it is not Ready or is ejected.
"""

from __future__ import annotations

import hashlib

from zcli.sim.acting import Family, state_err
from zcli.sim.failures import operr


class ServiceOps(Family):
    kind = "service agents"

    def table(self) -> dict:
        return {
            "ApplyRuleSetChanges": ("the rule set pushed to its firewalls' routers: isApplied", self.apply_rules),
            "ProvisionSlbInstance": ("the SLB instance catches up with its group's configuration", self.provision),
            "ExportBuildApp": ("an export history row of the app's package", self.export_app),
            "FailoverFaultToleranceVm": ("the secondary VM becomes the primary", self.failover),
            "EjectZBox": ("the ZBox is ejected", self.eject),
        }

    def apply_rules(self, params: dict):
        rule_set = self.get("VpcFirewallRuleSetInventory", params.get("uuid"))
        _, refs = self.store.read('SELECT r.vpcFirewallUuid FROM "VpcFirewallRuleSetL3RefInventory" r WHERE '
                                  "r.ruleSetUuid = ?", [rule_set["uuid"]]) if self._has(
            "VpcFirewallRuleSetL3RefInventory", "ruleSetUuid") else ([], [])
        if not refs:
            raise operr(f"the rule set[uuid:{rule_set['uuid']}] is used by no VPC firewall: there is no router to "
                        "apply it on")
        return {"inventory": self.update("VpcFirewallRuleSetInventory", rule_set["uuid"], {"isApplied": True})}

    def _has(self, table: str, column: str) -> bool:
        spec = self.store.specs.get(table)
        return spec is not None and column in spec.kinds

    def provision(self, params: dict):
        slb = self.get("SlbVmInstanceInventory", params.get("uuid"))
        if slb.get("state") != "Running":
            raise state_err("slb instance", slb, "provisioning it")
        group = self.get("SlbGroupInventory", slb.get("slbGroupUuid"), "slbGroupUuid")
        self.update("SlbVmInstanceInventory", slb["uuid"], {"configVersion": group.get("configVersion") or 0,
                                                            "status": "Connected"})
        return {"inventory": self.get("SlbGroupInventory", group["uuid"])}

    def export_app(self, params: dict):
        app = self.get("BuildApplicationInventory", params.get("uuid"))
        if app.get("status") in ("Deleting", "Deleted", "Failed"):
            raise state_err("build app", app, "exporting it", "status")
        base = (app.get("installPath") or "/build-apps").rstrip("/")
        path = f"{base}/export/{app.get('name')}-{app.get('version')}.tar.gz"
        size = len(app.get("templateContent") or "") + len(app.get("appMetaData") or "")
        row = self.insert("BuildAppExportHistoryInventory", {
            "id": self.next_id("BuildAppExportHistoryInventory"), "buildAppUuid": app["uuid"], "name": app.get("name"),
            "path": path, "size": size,
            "md5Sum": hashlib.md5(f"{app['uuid']}:{app.get('version')}".encode()).hexdigest(),
            "version": app.get("version"), "status": "Ready"})
        return {"inventory": self.store.inventories("BuildAppExportHistoryInventory", "id = ?", [row["id"]])[0]}

    def failover(self, params: dict):
        group = self.get("FaultToleranceVmGroupInventory", params.get("faultToleranceVmUuid"), "faultToleranceVmUuid")
        primary, secondary = group.get("primaryVmInstanceUuid"), group.get("secondaryVmInstanceUuid")
        if not secondary:
            raise operr(f"the fault tolerance vm[uuid:{group['uuid']}] has no secondary vm to fail over to")
        vm = self.get("VmInstanceInventory", secondary, "secondaryVmInstanceUuid")
        if vm.get("state") != "Running":
            raise state_err("vm", vm, "failing over to it")
        if primary and self.store.count("VmInstanceInventory", "uuid = ? AND state != 'Stopped'", [primary]):
            self.writer.vms.power(primary, "Stopped")
        self.update("FaultToleranceVmGroupInventory", group["uuid"], {
            "primaryVmInstanceUuid": secondary, "secondaryVmInstanceUuid": primary, "hostUuid": vm.get("hostUuid")})
        return None

    def eject(self, params: dict):
        box = self.get("ZBoxInventory", params.get("uuid"))
        if box.get("status") not in (None, "Ready"):
            raise state_err("zbox", box, "ejecting it", "status")
        return {"inventory": self.update("ZBoxInventory", box["uuid"], {"status": "Ejected"})}
