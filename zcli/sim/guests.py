"""What reaches into a guest: scripts its agent runs, files it receives, its console.

* ``ExecuteGuestVmScript`` (closed source; the reference's record inventories): an execution record of the
  script (its content, parameters and timeout as they were, ``version`` counting the script's executions)
  and a detail row a VM. The guest agent of a Running VM of the script's platform runs it (exit code 0);
  a VM that is not running, or of another platform, fails with its cause. The record's status is Succeed,
  Failed or PartlySucceed.
* ``UploadFileToVm``: the guest agent of each Running VM writes the file; the simulator keeps what each
  guest holds (path, size, MD5) in its agent state. A VM that is not running is refused.
* ``RequestConsoleAccess`` (open source, ConsoleManagerImpl and AbstractConsoleProxyBackend): only a VM in
  Running, Paused, Crashed, VolumeRecovering or NoState; the console proxy agent must be Connected; an
  active, unexpired ConsoleProxy of the VM on the same host is reused, else a new one (a token, the agent's
  address and port, the VM's VNC port on its host, valid for a day) replaces it.
* ``TakeVmConsoleScreenshot`` (KVMHost's check: the VM Running): the host agent's PNG of the console, base64;
  the simulator models no framebuffer: a blank 720x400 text-mode screen;
* ``ReconnectConsoleProxyAgent``: the agents named (all when none is named) become Connected; a uuid that
  names no agent is reported in the reply's map.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import uuid as uuidlib
import zlib
from datetime import datetime, timedelta

from zcli.sim.acting import Family
from zcli.sim.failures import argerr, operr
from zcli.sim.naming import as_list

_VM = "VmInstanceInventory"
_RECORD = "GuestVmScriptExecutedRecordInventory"
_DETAIL = "GuestVmScriptExecutedRecordDetailInventory"
_PROXY = "ConsoleProxyInventory"
_AGENT = "ConsoleProxyAgentInventory"
_CONSOLE_STATES = ("Running", "Crashed", "VolumeRecovering", "Paused", "NoState")


def _blank_png(width: int, height: int) -> bytes:
    """A black 8-bit grayscale PNG: what the simulated guests' consoles show (no framebuffer is modelled)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


class Guests(Family):
    kind = "guests"

    def table(self) -> dict:
        return {
            "ExecuteGuestVmScript": ("an execution record and a result a VM, from the guest agents", self.execute),
            "UploadFileToVm": ("the guest agents keep the file (agent state)", self.upload),
            "RequestConsoleAccess": ("a console proxy of the VM (reused while active)", self.console),
            "ReconnectConsoleProxyAgent": ("the console proxy agents Connected", self.reconnect),
            "TakeVmConsoleScreenshot": ("the host agent's PNG of the VM's (blank) console", self.screenshot),
        }

    def _vms(self, params: dict) -> list[dict]:
        uuids = as_list(params.get("vmInstanceUuids"))
        if not uuids:
            raise argerr("missing mandatory field[vmInstanceUuids]")
        return [self.get(_VM, u, "vmInstanceUuids") for u in uuids]

    def execute(self, params: dict):
        script = self.get("GuestVmScriptInventory", params.get("uuid"))
        vms = self._vms(params)
        now = self.now()
        version = self.store.count(_RECORD, "scriptUuid = ?", [script["uuid"]]) + 1
        record = self.insert(_RECORD, {
            "scriptUuid": script["uuid"], "recordName": script.get("name"), "executor": "admin",
            "scriptTimeout": int(params.get("scriptTimeout") or script.get("scriptTimeout") or 60),
            "executionCount": len(vms), "version": version, "scriptContent": script.get("scriptContent"),
            "renderParams": script.get("renderParams"), "startTime": now, "status": "Running"})
        done = 0
        for vm in vms:
            cause = None
            if vm.get("state") != "Running":
                cause = f"the vm[uuid:{vm['uuid']}] is {vm.get('state')}, its guest agent cannot run the script"
            elif script.get("platform") and vm.get("platform") and script["platform"] != vm["platform"]:
                cause = f"the script is for {script['platform']}, the vm[uuid:{vm['uuid']}] runs {vm['platform']}"
            done += cause is None
            self.insert(_DETAIL, {"recordUuid": record["uuid"], "vmInstanceUuid": vm["uuid"], "vmName": vm.get("name"),
                                  "status": "Failed" if cause else "Succeed", "exitCode": None if cause else 0,
                                  "stdout": "" if cause is None else None, "stderr": "", "errCause": cause,
                                  "startTime": now, "endTime": now})
        status = "Succeed" if done == len(vms) else "Failed" if not done else "PartlySucceed"
        self.set_where(_RECORD, {"status": status, "endTime": now}, "uuid = ?", [record["uuid"]])
        return {"inventory": self.get(_RECORD, record["uuid"])}

    def upload(self, params: dict):
        path = params.get("remotePath") or ""
        if not path.startswith(("/", "C:", "c:")):
            raise argerr(f"the remotePath[{path}] is not an absolute path")
        content = str(params.get("fileContent") or "")
        vms = self._vms(params)
        for vm in vms:
            if vm.get("state") != "Running":
                raise operr(f"the vm[uuid:{vm['uuid']}] is {vm.get('state')}: its guest agent cannot receive files")
        for vm in vms:
            files = self.recall(vm["uuid"], "files", {})
            files[path] = {"size": len(content.encode()), "md5": hashlib.md5(content.encode()).hexdigest()}
            self.remember(vm["uuid"], "files", files)
        return None

    # --- consoles ------------------------------------------------------------------------------
    def _agent(self) -> dict:
        agents = self.rows(_AGENT)
        connected = [a for a in agents if a.get("status") == "Connected"]
        if not connected:
            raise operr("the console agent is not connected; it's mostly like the management node just starts, "
                        "please wait for the console agent connected, or you can reconnect it manually if "
                        "disconnected for a long time.")
        return connected[0]

    def console(self, params: dict):
        vm = self.get(_VM, params.get("vmInstanceUuid"), "vmInstanceUuid")
        if vm.get("state") not in _CONSOLE_STATES:
            raise operr(f"vm[uuid:{vm['uuid']}] is not in state of {list(_CONSOLE_STATES)}, current state is "
                        f"{vm.get('state')}")
        agent = self._agent()
        host = self.get("HostInventory", vm.get("hostUuid"), "hostUuid") if vm.get("hostUuid") else None
        if host is None:
            raise operr(f"cannot find host IP of the vm[uuid:{vm['uuid']}], is the vm running???")
        now = self.now()
        _, rows = self.store.read(f'SELECT uuid FROM "{_PROXY}" WHERE vmInstanceUuid = ? AND status = ? AND '
                                  "expiredDate > ? AND targetHostname = ?",
                                  [vm["uuid"], "Active", now, host.get("managementIp")])
        if rows:
            proxy = self.get(_PROXY, rows[0][0])
        else:
            self.delete_where(_PROXY, "vmInstanceUuid = ?", [vm["uuid"]])
            expires = (datetime.strptime(now, "%Y-%m-%d %H:%M:%S") + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
            proxy = self.insert(_PROXY, {
                "vmInstanceUuid": vm["uuid"], "agentIp": agent.get("managementIp"), "token": uuidlib.uuid4().hex,
                "agentType": "ManagementServerConsoleProxy", "proxyHostname": agent.get("consoleProxyOverriddenIp")
                if agent.get("consoleProxyOverriddenIp") not in (None, "", "0.0.0.0") else agent.get("managementIp"),
                "proxyPort": agent.get("consoleProxyPort") or 4900, "targetSchema": "vnc",
                "targetHostname": host.get("managementIp"), "targetPort": 5900 + int(vm.get("internalId") or 0),
                "scheme": "http", "proxyIdentity": "zstack", "status": "Active", "version": "4.0",
                "expiredDate": expires})
            proxy = self.get(_PROXY, proxy["uuid"])
        return {"inventory": {"scheme": proxy.get("scheme"), "targetScheme": proxy.get("targetSchema"),
                              "hostname": proxy.get("proxyHostname"), "port": proxy.get("proxyPort"),
                              "token": proxy.get("token"), "version": proxy.get("version"),
                              "expiredDate": proxy.get("expiredDate")}}

    def screenshot(self, params: dict):
        vm = self.get(_VM, params.get("uuid"))
        if vm.get("state") != "Running":
            raise operr(f"can not take vm console screenshot for vm[uuid:{vm['uuid']}] which is not Running")
        host = self.get("HostInventory", vm.get("hostUuid"), "hostUuid")
        if host.get("status") != "Connected":
            raise operr(f"the host[uuid:{host['uuid']}] of the vm is {host.get('status')}")
        return {"imageData": base64.b64encode(_blank_png(720, 400)).decode()}

    def reconnect(self, params: dict):
        asked = as_list(params.get("agentUuids"))
        agents = {a["uuid"]: a for a in self.rows(_AGENT)}
        errors = {u: argerr(f"invalid management node UUID[{u}]").body["error"] for u in asked if u not in agents}
        targets = [u for u in (asked or agents) if u in agents]
        if not targets and not errors:
            raise operr("no console proxy agent to reconnect")
        for u in targets:
            self.update(_AGENT, u, {"status": "Connected"})
        return {"inventory": errors}
