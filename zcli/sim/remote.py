"""The remote public cloud (Aliyun) the simulator plays, as moto plays AWS: its objects, kept in the store.

The management node keeps *local* inventories of what it found on the remote cloud (EcsVpc, EcsInstance...);
the remote cloud keeps its own objects, and the two differ until a ``Sync*FromRemote`` call reconciles them.
This module is the remote side only: one table, ``_sim_remote``, one row an object:

* ``kind``: the local inventory it is the remote twin of, without ``Inventory`` (``EcsVpc``), or a kind the
  management node keeps no inventory of (``OssFile``, ``BackupBucket``, ``BackupFile``, ``InstanceType``);
* ``region``: the Aliyun region it lives in (``cn-hangzhou``); ``rid``: its remote id (``vpc-...``);
* ``path``: the remote ids of its ancestors and itself, ``/region/vpc-.../vsw-.../``, so that "everything
  under this VPC" is one ``LIKE``;
* ``body``: its fields, as JSON, references to other remote objects by their remote ids.

Remote ids are minted deterministically: the prefix and a digest of the region, the kind and a counter kept
in the store, never a random number.
"""

from __future__ import annotations

import hashlib
import json

TABLE = "_sim_remote"
_SEQ = "remote_seq"


def ensure(cur) -> None:
    """Create the remote cloud's table (inside a transaction's cursor) when it does not exist."""
    cur.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (kind TEXT, region TEXT, rid TEXT, path TEXT, body TEXT, "
                "PRIMARY KEY (kind, region, rid))")


class Remote:
    """The remote cloud's objects in ``store``."""

    def __init__(self, store):
        self.store = store
        with store.transaction() as cur:
            ensure(cur)

    def mint(self, prefix: str, region: str, kind: str, width: int = 20) -> str:
        """A new remote id: ``prefix`` and ``width`` hex digits derived from the region, kind and a counter."""
        with self.store.transaction() as cur:
            row = cur.execute("SELECT value FROM _sim_meta WHERE key = ?", (_SEQ,)).fetchone()
            n = int(row[0]) + 1 if row else 1
            cur.execute("INSERT OR REPLACE INTO _sim_meta (key, value) VALUES (?, ?)", (_SEQ, str(n)))
        return prefix + hashlib.sha1(f"{region}/{kind}/{n}".encode()).hexdigest()[:width]

    def put(self, kind: str, region: str, rid: str, path: str, body: dict) -> None:
        with self.store.transaction() as cur:
            write(cur, kind, region, rid, path, body)

    def get(self, kind: str, region: str, rid: str) -> dict | None:
        _, rows = self.store.read(f"SELECT body FROM {TABLE} WHERE kind = ? AND region = ? AND rid = ?",
                                  [kind, region, rid])
        return json.loads(rows[0][0]) if rows else None

    def path(self, kind: str, region: str, rid: str) -> str | None:
        _, rows = self.store.read(f"SELECT path FROM {TABLE} WHERE kind = ? AND region = ? AND rid = ?",
                                  [kind, region, rid])
        return rows[0][0] if rows else None

    def items(self, kind: str, region: str, under: str | None = None) -> list[tuple[str, dict]]:
        """(remote id, body) of the ``kind`` objects of ``region`` (under the object ``under``), oldest first."""
        sql = f"SELECT rid, body FROM {TABLE} WHERE kind = ? AND region = ?"
        args = [kind, region]
        if under:
            sql += " AND path LIKE ? AND rid != ?"
            args += [f"%/{under}/%", under]
        _, rows = self.store.read(sql + " ORDER BY rowid", args)
        return [(r, json.loads(b)) for r, b in rows]

    def children(self, region: str, rid: str) -> list[tuple[str, str]]:
        """(kind, remote id) of the objects that live under ``rid`` (what keeps it from being deleted)."""
        _, rows = self.store.read(f"SELECT kind, rid FROM {TABLE} WHERE region = ? AND path LIKE ? AND rid != ? "
                                  "ORDER BY rowid", [region, f"%/{rid}/%", rid])
        return [(k, r) for k, r in rows]

    def update(self, kind: str, region: str, rid: str, changes: dict) -> dict:
        body = {**(self.get(kind, region, rid) or {}), **changes}
        with self.store.transaction() as cur:
            cur.execute(f"UPDATE {TABLE} SET body = ? WHERE kind = ? AND region = ? AND rid = ?",
                        (json.dumps(body, sort_keys=True), kind, region, rid))
        return body

    def remove(self, kind: str, region: str, rid: str) -> None:
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {TABLE} WHERE kind = ? AND region = ? AND rid = ?", (kind, region, rid))

    def regions(self) -> list[str]:
        _, rows = self.store.read(f"SELECT rid FROM {TABLE} WHERE kind = 'DataCenter' ORDER BY rowid")
        return [r for (r,) in rows]


def write(cur, kind: str, region: str, rid: str, path: str, body: dict) -> None:
    """Insert or replace one remote object inside ``cur``'s transaction (the seed's path as well)."""
    cur.execute(f"INSERT OR REPLACE INTO {TABLE} (kind, region, rid, path, body) VALUES (?, ?, ?, ?, ?)",
                (kind, region, rid, path, json.dumps(body, sort_keys=True)))
