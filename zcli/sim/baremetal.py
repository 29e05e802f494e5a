"""Bare-metal chassis and instances: hardware inspection, bonding clean-up, expunge and recover.

The bare-metal modules are closed source; the facts are the reference's inventories. What the simulator
chose, as the inspector a PXE-booted chassis runs would report:

* ``InspectBaremetalChassis``: the chassis (Enabled, not serving an instance that is not destroyed) reports
  its CPU, memory, disks and NICs: BaremetalHardwareInfo rows (and its ``hardwareInfos``), replacing any
  earlier report; its status becomes Available;
* ``InspectBareMetal2Chassis`` (or ``...ByInstance``, the instance's chassis): BareMetal2ChassisNic and
  BareMetal2ChassisDisk rows (and ``chassisNics``/``chassisDisks``), status Available;
* the hardware reported is derived from the chassis's uuid (deterministic: the same chassis reports the
  same hardware), two NICs (the first the provisioning NIC) and two disks;
* ``CleanUp*Bonding``: the chassis's bondings removed (refused when it has none);
* ``DestroyBaremetalInstance``: the instance is Destroyed, as a VM under the Delay policy;
  ``ExpungeBaremetalInstance`` / ``RecoverBaremetalInstance``: only a Destroyed instance; expunging frees its
  chassis (Available), recovering makes it Stopped.
"""

from __future__ import annotations

import hashlib
import json

from zcli.sim.acting import Family, state_err
from zcli.sim.failures import operr

_BM = "BaremetalChassisInventory"
_BM2 = "BareMetal2ChassisInventory"


def _hardware(uuid_: str) -> dict:
    digest = hashlib.sha256(uuid_.encode()).digest()
    cores = (16, 24, 32, 48, 64)[digest[0] % 5]
    return {"cpu": {"cores": cores, "sockets": 2, "model": "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz"},
            "memory": (128, 256, 384, 512)[digest[1] % 4] << 30,
            "disks": [{"type": "SSD", "size": 480 << 30, "wwn": "0x5" + digest[2:9].hex()},
                      {"type": "HDD", "size": (4, 8, 12)[digest[3] % 3] << 40, "wwn": "0x5" + digest[9:16].hex()}],
            "nics": [{"name": f"eth{i}", "speed": "10000Mb/s",
                      "mac": "ac:1f:6b:" + ":".join(f"{b:02x}" for b in digest[16 + 3 * i:19 + 3 * i])}
                     for i in range(2)]}


class Baremetal(Family):
    kind = "bare metal"

    def table(self) -> dict:
        return {
            "InspectBaremetalChassis": ("the chassis reports its hardware (BaremetalHardwareInfo)", self.inspect),
            "InspectBareMetal2Chassis": ("the chassis reports its NICs and disks", self.inspect2),
            "InspectBareMetal2ChassisByInstance": ("the instance's chassis reports its NICs and disks",
                                                   self.inspect2_by_instance),
            "CleanUpBaremetalChassisBonding": ("removes the chassis's bondings",
                                               lambda p: self.bonding("BaremetalBondingInventory", _BM, p)),
            "CleanUpBareMetal2Bonding": ("removes the chassis's bondings",
                                         lambda p: self.bonding("BareMetal2BondingInventory", _BM2, p)),
            "DestroyBaremetalInstance": ("the instance Destroyed (recoverable until expunged)", self.destroy),
            "ExpungeBaremetalInstance": ("a destroyed instance is gone, its chassis free", self.expunge),
            "RecoverBaremetalInstance": ("a destroyed instance is Stopped again", self.recover),
        }

    def _enabled(self, chassis: dict) -> None:
        if chassis.get("state") == "Disabled":
            raise state_err("baremetal chassis", chassis, "inspecting it")

    def inspect(self, params: dict):
        chassis = self.get(_BM, params.get("uuid"))
        self._enabled(chassis)
        _, busy = self.store.read('SELECT uuid FROM "BaremetalInstanceInventory" WHERE chassisUuid = ? AND '
                                  "state != 'Destroyed'", [chassis["uuid"]])
        if busy:
            raise operr(f"the baremetal chassis[uuid:{chassis['uuid']}] serves the instance[uuid:{busy[0][0]}]")
        hw = _hardware(chassis["uuid"])
        self.delete_where("BaremetalHardwareInfoInventory", "chassisUuid = ?", [chassis["uuid"]])
        for kind in ("cpu", "memory", "disks", "nics"):
            self.insert("BaremetalHardwareInfoInventory", {"chassisUuid": chassis["uuid"], "type": kind,
                                                           "content": json.dumps(hw[kind])})
        shown = self.store.inventories("BaremetalHardwareInfoInventory", "chassisUuid = ?", [chassis["uuid"]],
                                       order="rowid", depth=0)
        return {"inventory": self.update(_BM, chassis["uuid"], {"hardwareInfos": shown, "status": "Available"})}

    def _inspect2(self, chassis: dict):
        self._enabled(chassis)
        hw = _hardware(chassis["uuid"])
        for table in ("BareMetal2ChassisNicInventory", "BareMetal2ChassisDiskInventory"):
            self.delete_where(table, "chassisUuid = ?", [chassis["uuid"]])
        for i, nic in enumerate(hw["nics"]):
            self.insert("BareMetal2ChassisNicInventory", {"chassisUuid": chassis["uuid"], "mac": nic["mac"],
                                                          "nicName": nic["name"], "speed": nic["speed"],
                                                          "isProvisionNic": i == 0})
        for disk in hw["disks"]:
            self.insert("BareMetal2ChassisDiskInventory", {"chassisUuid": chassis["uuid"], "diskSize": disk["size"],
                                                           "type": disk["type"], "wwn": disk["wwn"]})
        nics, disks = (self.store.inventories(t, "chassisUuid = ?", [chassis["uuid"]], order="rowid", depth=0)
                       for t in ("BareMetal2ChassisNicInventory", "BareMetal2ChassisDiskInventory"))
        return {"inventory": self.update(_BM2, chassis["uuid"], {"chassisNics": nics, "chassisDisks": disks,
                                                                 "status": "Available"})}

    def inspect2(self, params: dict):
        chassis = self.get(_BM2, params.get("uuid"))
        _, busy = self.store.read('SELECT uuid FROM "BareMetal2InstanceInventory" WHERE chassisUuid = ? AND '
                                  "state != 'Destroyed'", [chassis["uuid"]])
        if busy:
            raise operr(f"the chassis[uuid:{chassis['uuid']}] serves the instance[uuid:{busy[0][0]}]: inspect it "
                        "by its instance")
        return self._inspect2(chassis)

    def inspect2_by_instance(self, params: dict):
        instance = self.get("BareMetal2InstanceInventory", params.get("uuid"))
        chassis_uuid = instance.get("chassisUuid") or instance.get("lastChassisUuid")
        if not chassis_uuid:
            raise operr(f"the bare metal instance[uuid:{instance['uuid']}] has no chassis")
        return self._inspect2(self.get(_BM2, chassis_uuid, "chassisUuid"))

    def bonding(self, table: str, chassis_table: str, params: dict):
        chassis = self.get(chassis_table, params.get("chassisUuid"), "chassisUuid")
        if not self.delete_where(table, "chassisUuid = ?", [chassis["uuid"]]):
            raise operr(f"the chassis[uuid:{chassis['uuid']}] has no bonding to clean up")
        return None

    def destroy(self, params: dict):
        instance = self.get("BaremetalInstanceInventory", params.get("uuid"))
        if instance.get("state") != "Destroyed":
            self.update("BaremetalInstanceInventory", instance["uuid"], {"state": "Destroyed"})
        return None

    def _destroyed(self, params: dict) -> dict:
        instance = self.get("BaremetalInstanceInventory", params.get("uuid"))
        if instance.get("state") != "Destroyed":
            raise state_err("baremetal instance", instance, "this operation")
        return instance

    def expunge(self, params: dict):
        instance = self._destroyed(params)
        self.writer.delete("BaremetalInstanceInventory", instance["uuid"])
        if instance.get("chassisUuid") and self.store.count(_BM, "uuid = ?", [instance["chassisUuid"]]):
            self.update(_BM, instance["chassisUuid"], {"status": "Available"})
        return None

    def recover(self, params: dict):
        instance = self._destroyed(params)
        return {"inventory": self.update("BaremetalInstanceInventory", instance["uuid"], {"state": "Stopped"})}
