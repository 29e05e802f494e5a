"""Virtual devices a host's agent makes of a physical one: SR-IOV virtual functions and mediated devices.

The server's PCI device module is closed source; the facts are the reference's: ``PciDeviceVirtStatus``
(UNVIRTUALIZABLE, SRIOV_VIRTUALIZABLE → SRIOV_VIRTUALIZED with SRIOV_VIRTUAL children, VFIO_MDEV_VIRTUALIZABLE
→ VFIO_MDEV_VIRTUALIZED), the PciDevice, MdevDevice and MdevDeviceSpec inventories and their links.

* ``GenerateSriovPciDevices``: ``virtPartNum`` virtual functions (PciDevice rows whose ``parentUuid`` is the
  device, on the next PCI functions), at most the device's ``totalVfs`` (its metaData; 64 when unknown);
* ``GenerateMdevDevices``: the mediated devices of one spec the device supports (its PciDeviceMdevSpecRef),
  as many as the spec's ``max_instance``; that ref becomes the effective one;
* ``GenerateSeMdevDevices``: ``virtPartNum`` mediated devices of an mtty device;
* ``Ungenerate*``: removes them (refused while one is attached to a VM) and the device is virtualizable again.

A device is refused when it is not in the virtualizable state the call needs, or is attached to a VM.
"""

from __future__ import annotations

import json

from zcli.sim.acting import Family
from zcli.sim.failures import argerr, operr

_PCI = "PciDeviceInventory"
_MDEV = "MdevDeviceInventory"
_MTTY = "MttyDeviceInventory"
_REF = "PciDeviceMdevSpecRefInventory"


def _meta(text, key: str, default: int) -> int:
    try:
        return int(json.loads(text or "{}").get(key, default))
    except (ValueError, TypeError, AttributeError):
        return default


def _parts(params: dict, most: int) -> int:
    try:
        n = int(params.get("virtPartNum"))
    except (TypeError, ValueError):
        raise argerr(f"invalid virtPartNum[{params.get('virtPartNum')}]") from None
    if not 1 <= n <= most:
        raise argerr(f"virtPartNum[{n}] must be between 1 and {most}")
    return n


class VirtualDevices(Family):
    kind = "virtual devices"

    def table(self) -> dict:
        return {
            "GenerateSriovPciDevices": ("SR-IOV virtual functions of the PCI device", self.sriov),
            "UngenerateSriovPciDevices": ("removes the PCI device's virtual functions", self.unsriov),
            "GenerateMdevDevices": ("mediated devices of the spec, from the PCI device", self.mdev),
            "UngenerateMdevDevices": ("removes the PCI device's mediated devices", self.unmdev),
            "GenerateSeMdevDevices": ("mediated devices of the mtty device", self.se_mdev),
            "UngenerateSeMdevDevices": ("removes the mtty device's mediated devices", self.un_se_mdev),
        }

    def _device(self, inv: str, params: dict, param: str, status: str) -> dict:
        dev = self.get(inv, params.get(param), param)
        if dev.get("virtStatus") != status:
            raise operr(f"the device[uuid:{dev['uuid']}] is {dev.get('virtStatus')}, not {status}")
        if dev.get("vmInstanceUuid"):
            raise operr(f"the device[uuid:{dev['uuid']}] is attached to the vm[uuid:{dev['vmInstanceUuid']}]")
        return dev

    def _not_attached(self, inv: str, column: str, parent: str) -> None:
        _, rows = self.store.read(f'SELECT uuid, vmInstanceUuid FROM "{inv}" WHERE "{column}" = ? AND '
                                  "vmInstanceUuid IS NOT NULL", [parent])
        if rows:
            raise operr(f"the virtual device[uuid:{rows[0][0]}] of the device[uuid:{parent}] is attached to the "
                        f"vm[uuid:{rows[0][1]}]: detach it first")

    # --- SR-IOV --------------------------------------------------------------------------------
    def sriov(self, params: dict):
        dev = self._device(_PCI, params, "pciDeviceUuid", "SRIOV_VIRTUALIZABLE")
        n = _parts(params, _meta(dev.get("metaData"), "totalVfs", 64))
        domain, _, rest = (dev.get("pciDeviceAddress") or "0000:00:00.0").rpartition(":")
        slot = int(rest.split(".")[0], 16)
        for i in range(n):
            function = i + 1
            address = f"{domain}:{slot + function // 8:02x}.{function % 8}"
            self.insert(_PCI, {k: dev.get(k) for k in ("hostUuid", "type", "vendorId", "vendor", "subvendorId",
                                                       "subdeviceId", "rev")}
                        | {"name": f"{dev['name']} VF {i}", "parentUuid": dev["uuid"], "virtStatus": "SRIOV_VIRTUAL",
                           "state": "Enabled", "status": "Active", "chooser": "None", "pciDeviceAddress": address,
                           "device": f"{dev.get('device') or ''} Virtual Function".strip(),
                           "description": f"virtual function {i} of {dev['name']}"})
        self.update(_PCI, dev["uuid"], {"virtStatus": "SRIOV_VIRTUALIZED"})
        return None

    def unsriov(self, params: dict):
        dev = self._device(_PCI, params, "pciDeviceUuid", "SRIOV_VIRTUALIZED")
        self._not_attached(_PCI, "parentUuid", dev["uuid"])
        self.delete_where(_PCI, "parentUuid = ?", [dev["uuid"]])
        self.update(_PCI, dev["uuid"], {"virtStatus": "SRIOV_VIRTUALIZABLE"})
        return None

    # --- mediated devices ----------------------------------------------------------------------
    def _new_mdevs(self, n: int, base: dict, name: str) -> None:
        for i in range(n):
            self.insert(_MDEV, base | {"name": f"{name}-{i}", "state": "Enabled", "status": "Active",
                                       "chooser": "None"})

    def mdev(self, params: dict):
        dev = self._device(_PCI, params, "pciDeviceUuid", "VFIO_MDEV_VIRTUALIZABLE")
        spec = self.get("MdevDeviceSpecInventory", params.get("mdevSpecUuid"), "mdevSpecUuid")
        if not self.store.count(_REF, "pciDeviceUuid = ? AND mdevSpecUuid = ?", [dev["uuid"], spec["uuid"]]):
            raise operr(f"the pci device[uuid:{dev['uuid']}] does not support the mdev spec[uuid:{spec['uuid']}]")
        if spec.get("state") == "Disabled":
            raise operr(f"the mdev spec[uuid:{spec['uuid']}] is disabled")
        self._new_mdevs(_meta(spec.get("specification"), "max_instance", 1),
                        {"parentUuid": dev["uuid"], "hostUuid": dev.get("hostUuid"), "mdevSpecUuid": spec["uuid"],
                         "type": spec.get("type"), "vendor": spec.get("vendor") or dev.get("vendor")}, spec["name"])
        self.set_where(_REF, {"effective": True}, "pciDeviceUuid = ? AND mdevSpecUuid = ?", [dev["uuid"], spec["uuid"]])
        self.update(_PCI, dev["uuid"], {"virtStatus": "VFIO_MDEV_VIRTUALIZED"})
        return None

    def unmdev(self, params: dict):
        dev = self._device(_PCI, params, "pciDeviceUuid", "VFIO_MDEV_VIRTUALIZED")
        self._not_attached(_MDEV, "parentUuid", dev["uuid"])
        self.delete_where(_MDEV, "parentUuid = ?", [dev["uuid"]])
        self.set_where(_REF, {"effective": False}, "pciDeviceUuid = ?", [dev["uuid"]])
        self.update(_PCI, dev["uuid"], {"virtStatus": "VFIO_MDEV_VIRTUALIZABLE"})
        return None

    def se_mdev(self, params: dict):
        dev = self._device(_MTTY, params, "mttyDeviceUuid", "VFIO_MDEV_VIRTUALIZABLE")
        self._new_mdevs(_parts(params, 64), {"mttyUuid": dev["uuid"], "hostUuid": dev.get("hostUuid"),
                                             "type": "mtty"}, dev["name"])
        self.update(_MTTY, dev["uuid"], {"virtStatus": "VFIO_MDEV_VIRTUALIZED"})
        return None

    def un_se_mdev(self, params: dict):
        dev = self._device(_MTTY, params, "mttyDeviceUuid", "VFIO_MDEV_VIRTUALIZED")
        self._not_attached(_MDEV, "mttyUuid", dev["uuid"])
        self.delete_where(_MDEV, "mttyUuid = ?", [dev["uuid"]])
        self.update(_MTTY, dev["uuid"], {"virtStatus": "VFIO_MDEV_VIRTUALIZABLE"})
        return None
