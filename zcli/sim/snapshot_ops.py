"""Operations on a volume's bits and its snapshot tree: flatten, shrink a snapshot, undo a snapshot's creation.

From the server's VolumeBase and VolumeSnapshotTreeBase:

* ``UndoSnapshotCreation``: only the latest snapshot of the volume's current tree ("cannot undo not latest
  snapshot"); the volume takes the snapshot's install path (MarkSnapshotAsVolume), the snapshot is gone,
  its parent is the latest again, and the volume's old bits are deleted;
* ``FlattenVolume`` (not a shareable volume): the volume no longer depends on its backing chain: its
  actual size grows by the chain it absorbs (the image it was made from, the snapshots of its current tree;
  the estimate ``dryRun`` answers without changing anything); a flattened volume has no chain left;
* ``FlattenVmInstance``: its root volume flattened (``full``: its data volumes too);
* ``ShrinkVolumeSnapshot``: the agent rewrites the snapshot's file without its unused clusters. The
  simulator's choice (the agent's qcow2 internals are not modelled): a file not shrunk yet holds a quarter of
  unused space, rounded to 64 KiB clusters; once shrunk, nothing is left to reclaim (``deltaSize`` 0).
"""

from __future__ import annotations

from zcli.sim.acting import Family, state_err
from zcli.sim.failures import argerr, operr

_VOL = "VolumeInventory"
_SNAP = "VolumeSnapshotInventory"
_TREE = "VolumeSnapshotTreeInventory"
_CLUSTER = 64 << 10


def _true(value) -> bool:
    return value is True or str(value).lower() == "true"


class SnapshotOps(Family):
    kind = "volume bits"

    def table(self) -> dict:
        return {
            "UndoSnapshotCreation": ("the volume takes its latest snapshot's bits; the snapshot goes", self.undo),
            "FlattenVolume": ("the volume absorbs its backing chain (image, snapshots)", self.flatten_volume),
            "FlattenVmInstance": ("the VM's volumes absorb their backing chains", self.flatten_vm),
            "ShrinkVolumeSnapshot": ("the snapshot's file compacted: its size shrinks", self.shrink),
        }

    def _current_tree(self, volume: str) -> str | None:
        _, rows = self.store.read(f'SELECT uuid FROM "{_TREE}" WHERE volumeUuid = ? AND current = 1', [volume])
        return rows[0][0] if rows else None

    def take_snapshot(self, vol: dict, name: str) -> dict:
        """A new latest snapshot of the volume in its current tree (a new tree when it has none): the snapshot
        keeps the volume's bits as they are, the volume writes on new bits above it."""
        tree = self._current_tree(vol["uuid"])
        if tree is None:
            tree = self.insert(_TREE, {"volumeUuid": vol["uuid"], "current": True, "status": "Completed"})["uuid"]
        _, rows = self.store.read(f'SELECT uuid, distance FROM "{_SNAP}" WHERE treeUuid = ? AND latest = 1', [tree])
        parent, distance = (rows[0][0], int(rows[0][1] or 0)) if rows else (None, 0)
        self.set_where(_SNAP, {"latest": False}, "treeUuid = ?", [tree])
        snap = self.insert(_SNAP, {"name": name, "type": "Hypervisor", "volumeUuid": vol["uuid"], "treeUuid": tree,
                                   "parentUuid": parent, "primaryStorageUuid": vol.get("primaryStorageUuid"),
                                   "primaryStorageInstallPath": vol.get("installPath"), "volumeType": vol.get("type"),
                                   "format": vol.get("format"), "latest": True, "size": vol.get("actualSize") or 0,
                                   "distance": distance + 1, "state": "Enabled", "status": "Ready"})
        self.update(_VOL, vol["uuid"], {"installPath": f"{vol.get('installPath')}.top{distance + 1}"})
        return snap

    def undo(self, params: dict):
        vol = self.get(_VOL, params.get("uuid"))
        snap = self.get(_SNAP, params.get("snapShotUuid"), "snapShotUuid")
        tree = self._current_tree(vol["uuid"])
        if tree is None:
            raise operr(f"can not found in used snapshot tree of volume[uuid: {vol['uuid']}]")
        if not (snap.get("latest") and snap.get("treeUuid") == tree and snap.get("volumeUuid") == vol["uuid"]):
            raise argerr("cannot undo not latest snapshot")
        if vol.get("status") != "Ready":
            raise state_err("volume", vol, "undoing a snapshot", "status")
        self.writer.delete(_SNAP, snap["uuid"])
        if snap.get("parentUuid"):
            self.set_where(_SNAP, {"latest": True}, "uuid = ?", [snap["parentUuid"]])
        elif not self.store.count(_SNAP, "treeUuid = ?", [tree]):
            self.delete_where(_TREE, "uuid = ?", [tree])
        changes = {"installPath": snap.get("primaryStorageInstallPath") or vol.get("installPath")}
        return {"inventory": self.update(_VOL, vol["uuid"], changes)}

    def _chain(self, vol: dict) -> int:
        """The size of what the volume still depends on: its image (a root volume) and its current snapshots."""
        if self.recall(vol["uuid"], "flattened"):
            return 0
        size = 0
        if vol.get("type") == "Root" and vol.get("rootImageUuid"):
            _, rows = self.store.read('SELECT actualSize FROM "ImageInventory" WHERE uuid = ?', [vol["rootImageUuid"]])
            size += (rows[0][0] or 0) if rows else 0
        tree = self._current_tree(vol["uuid"])
        if tree:
            _, rows = self.store.read(f'SELECT COALESCE(SUM(size), 0) FROM "{_SNAP}" WHERE treeUuid = ?', [tree])
            size += rows[0][0] or 0
        return int(size)

    def _flatten(self, vol: dict, dry: bool) -> dict:
        if vol.get("isShareable"):
            raise argerr(f"cannot flatten a shareable volume[uuid:{vol['uuid']}]")
        if vol.get("status") != "Ready":
            raise state_err("volume", vol, "flattening", "status")
        grown = (vol.get("actualSize") or 0) + self._chain(vol)
        if dry:
            return {**vol, "actualSize": grown}
        self.remember(vol["uuid"], "flattened", True)
        return self.update(_VOL, vol["uuid"], {"actualSize": grown})

    def flatten_volume(self, params: dict):
        vol = self.get(_VOL, params.get("uuid"))
        return {"inventory": self._flatten(vol, _true(params.get("dryRun")))}

    def flatten_vm(self, params: dict):
        vm = self.get("VmInstanceInventory", params.get("uuid"))
        if vm.get("state") not in ("Running", "Stopped", "Paused"):
            raise state_err("vm", vm, "flattening")
        where = "vmInstanceUuid = ?" + ("" if _true(params.get("full")) else " AND type = 'Root'")
        for vol in self.rows(_VOL, where, [vm["uuid"]]):
            self._flatten(vol, _true(params.get("dryRun")))
        return {"inventory": self.writer._get("VmInstanceInventory", vm["uuid"])}

    def shrink(self, params: dict):
        snap = self.get(_SNAP, params.get("uuid"))
        if snap.get("status") != "Ready":
            raise state_err("volume snapshot", snap, "shrinking", "status")
        if not snap.get("primaryStorageUuid"):
            raise operr(f"the volume snapshot[uuid:{snap['uuid']}] is not on a primary storage")
        old = int(snap.get("size") or 0)
        new = old if self.recall(snap["uuid"], "shrunk") else max(old - (old // 4) // _CLUSTER * _CLUSTER, 0)
        if new != old:
            self.set_where(_SNAP, {"size": new, "lastOpDate": self.now()}, "uuid = ?", [snap["uuid"]])
        self.remember(snap["uuid"], "shrunk", True)
        return {"shrinkResult": {"oldSize": old, "size": new, "deltaSize": old - new}}
