"""The families of actions on hosts, guests, storage and backups, in the order the dispatcher asks them
(see ``zcli.sim.generic.MORE`` and ``zcli.sim.acting``)."""

from __future__ import annotations

from zcli.sim.sharing import Sharing
from zcli.sim.snapshot_ops import SnapshotOps
from zcli.sim.trash import Trash
from zcli.sim.vdevices import VirtualDevices

FAMILIES: tuple[type, ...] = (Sharing, Trash, VirtualDevices, SnapshotOps)
