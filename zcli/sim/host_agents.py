"""What a host's agent does to the hardware: identify LEDs, locating a NIC or a RAID drive, RAID self-tests.

The host must be Connected (its agent answers); the simulator keeps what the agent did in its agent state
(:meth:`zcli.sim.acting.Family.remember`) or in the drive's own fields. Closed source: the choices are ours.

* ``IdentifyHost``: the host's chassis identify LED blinks for ``interval`` seconds (default 30, 1 to 3600):
  the agent state keeps until when;
* ``LocateHostNetworkInterface``: the NIC's LED blinks (``interval`` as above). The NIC must be one the host
  has: a HostNetworkInterface row of the host, or the physical interface of an L2 network attached to its
  cluster (the agent's bridges are made on it);
* ``LocateLocalRaidPhysicalDrive``: the drive's ``locateStatus`` becomes ``Locating`` (``locate=false``: ``Off``);
* ``SyncChronyServers``: the management node's chrony servers (UpdateChronyServers keeps them) written to
  every Connected host's chrony configuration (agent state); refused when none is configured;
* ``SelfTestLocalRaid``: the drive's SMART self-test: PASSED for a drive Online (or JBOD/Hotspare/
  Unconfigured-good), FAILED otherwise.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from zcli.sim.acting import Family
from zcli.sim.failures import argerr, operr

_HOST = "HostInventory"
_DRIVE = "RaidPhysicalDriveInventory"
_HEALTHY = ("Online", "JBOD", "Hotspare", "Unconfigured-good", "UGood", "GHS", "DHS", "Onln")


class HostAgents(Family):
    kind = "host agents"

    def table(self) -> dict:
        return {
            "IdentifyHost": ("the host's identify LED blinks for the interval (agent state)", self.identify),
            "LocateHostNetworkInterface": ("the NIC's LED blinks for the interval (agent state)", self.locate_nic),
            "LocateLocalRaidPhysicalDrive": ("the drive's locateStatus", self.locate_drive),
            "SelfTestLocalRaid": ("the drive's SMART self-test, from its state", self.self_test),
            "SyncChronyServers": ("the node's chrony servers pushed to every Connected host (agent state)",
                                  self.sync_chrony),
        }

    def _connected(self, uuid_, param: str = "uuid") -> dict:
        host = self.get(_HOST, uuid_, param)
        if host.get("status") != "Connected":
            raise operr(f"the host[uuid:{host['uuid']}] is {host.get('status')}, its agent cannot be reached")
        return host

    def _until(self, params: dict) -> str:
        raw = params.get("interval")
        seconds = 30 if raw in (None, "") else int(raw)
        if not 1 <= seconds <= 3600:
            raise argerr(f"the interval[{seconds}] must be between 1 and 3600 seconds")
        return (datetime.strptime(self.now(), "%Y-%m-%d %H:%M:%S") + timedelta(seconds=seconds)).strftime(
            "%Y-%m-%d %H:%M:%S")

    def identify(self, params: dict):
        host = self._connected(params.get("uuid"))
        self.remember(host["uuid"], "identifyLedUntil", self._until(params))
        return None

    def interfaces(self, host: dict) -> set[str]:
        """The NIC names the host's agent reports."""
        _, rows = self.store.read('SELECT interfaceName FROM "HostNetworkInterfaceInventory" WHERE hostUuid = ?',
                                  [host["uuid"]])
        names = {r[0] for r in rows if r[0]}
        _, rows = self.store.read('SELECT l.physicalInterface FROM "L2NetworkInventory" l JOIN '
                                  '"L2NetworkClusterRefInventory" r ON r.l2NetworkUuid = l.uuid '
                                  "WHERE r.clusterUuid = ?", [host.get("clusterUuid")])
        return names | {r[0] for r in rows if r[0]}

    def locate_nic(self, params: dict):
        host = self._connected(params.get("hostUuid"), "hostUuid")
        name = params.get("networkInterfaceName")
        if name not in self.interfaces(host):
            raise operr(f"the host[uuid:{host['uuid']}] has no network interface named {name}")
        until = self._until(params)
        located = self.recall(host["uuid"], "locatedInterfaces", {})
        located[name] = until
        self.remember(host["uuid"], "locatedInterfaces", located)
        return None

    def sync_chrony(self, params: dict):
        kept = json.loads(self.store.meta("node.chronyServers") or "{}")
        servers = [*kept.get("internal", []), *kept.get("external", [])]
        if not servers:
            raise operr("chrony server not configured!")
        hosts = self.rows(_HOST, "status = 'Connected'")
        for host in hosts:
            self.remember(host["uuid"], "chronyServers", servers)
        return None

    def _drive(self, params: dict) -> dict:
        drive = self.get(_DRIVE, params.get("uuid"))
        controller = self.get("RaidControllerInventory", drive.get("raidControllerUuid"), "raidControllerUuid")
        self._connected(controller.get("hostUuid"), "hostUuid")
        return drive

    def locate_drive(self, params: dict):
        drive = self._drive(params)
        on = params.get("locate") in (None, "", True) or str(params.get("locate")).lower() == "true"
        return {"inventory": self.update(_DRIVE, drive["uuid"], {"locateStatus": "Locating" if on else "Off"})}

    def self_test(self, params: dict):
        drive = self._drive(params)
        verdict = "PASSED" if (drive.get("driveState") or "") in _HEALTHY else "FAILED"
        self.remember(drive["uuid"], "selfTest", {"result": verdict, "at": self.now()})
        return {"result": f"SMART overall-health self-assessment test result: {verdict}"}
