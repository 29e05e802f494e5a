"""Ceph storage and its mons, as CephApiInterceptor and MonUri have them.

A mon URL is ``sshUsername:sshPassword@hostname[:sshPort]/?monPort=N`` (ssh port 22 and mon port 6789 when
left out; the password is never kept by the simulator). AddCeph{Primary,Backup}Storage makes the storage and
a CephPrimaryStorageMon (CephBackupStorageMon) row per URL, shown in its ``mons``; AddMonTo... adds rows to
the storage named (it used to make a new storage). Refused: a bad URL, one host twice, a host that is already
a mon of a storage of the kind. UpdateCeph*StorageMon and RemoveMonFrom... are in zcli/sim/targets.py and
zcli/sim/relations.py.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from urllib.parse import parse_qs, urlsplit

from zcli.sim.byname import ByName
from zcli.sim.failures import argerr
from zcli.sim.naming import as_list

_FORMAT = "sshUsername:sshPassword@hostname:[sshPort]/?[monPort=]"
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")


def mon_uri(url: str) -> dict:
    """The fields of a mon row from a mon URL (MonUri), or SYS.1007 as the server's message."""
    bad = (f"invalid monUrl[{url}], the sshUsername:sshPassword part is invalid. A valid monUrl is in format of "
           f"{_FORMAT}")
    at = url.rfind("@")
    if at == -1 or ":" not in url[:at]:
        raise argerr(bad)
    user = url[:at].split(":", 1)[0]
    parts = urlsplit(f"ssh://{url[at + 1:]}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise argerr(f"invalid monUrl[{url}], the ssh port is greater than 65535 or smaller than 1. A valid monUrl "
                     f"is in format of {_FORMAT}") from None
    if not host or not _HOST.match(host):
        raise argerr(f"invalid monUrl[{url}], hostname cannot be null. A valid monUrl is in format of {_FORMAT}")
    query = parse_qs(parts.query)
    unknown = [k for k in query if k != "monPort"]
    if unknown:
        raise argerr(f"invalid monUrl[{url}]: unknown parameter[{unknown[0]}]")
    try:
        mon_port = int(query.get("monPort", ["6789"])[0])
    except ValueError:
        raise argerr(f"invalid monUrl[{url}]: monPort is not a number") from None
    if port is not None and not 0 < port <= 65535:
        raise argerr(f"invalid monUrl[{url}], the ssh port is greater than 65535 or smaller than 1")
    return {"hostname": host, "monAddr": host, "sshUsername": user, "sshPort": port or 22, "monPort": mon_port}


class CephMons(ByName):
    kind = "ceph"

    def operations(self) -> dict:
        return {
            "AddCephPrimaryStorage": ("a Ceph primary storage and a mon row per URL", lambda p: self.add(p, "Primary")),
            "AddCephBackupStorage": ("a Ceph backup storage and a mon row per URL", lambda p: self.add(p, "Backup")),
            "AddMonToCephPrimaryStorage": ("mon rows of the storage named", lambda p: self.add_mons(p, "Primary")),
            "AddMonToCephBackupStorage": ("mon rows of the storage named", lambda p: self.add_mons(p, "Backup")),
        }

    def _mons(self, urls, kind: str) -> list[dict]:
        mons = [mon_uri(u) for u in as_list(urls)]
        if not mons:
            raise argerr("missing mandatory field[monUrls]")
        hosts = [m["hostname"] for m in mons]
        for h in hosts:
            if hosts.count(h) > 1:
                raise argerr(f"Cannot add same host[{h}] in mons")
        table = f"Ceph{kind}StorageMonInventory"
        marks = ", ".join("?" * len(hosts))
        _, rows = self.store.read(f'SELECT hostname FROM "{table}" WHERE hostname IN ({marks})', hosts)
        if rows:
            raise argerr(f"cannot add ceph {kind.lower()} storage, there has been some ceph {kind.lower()} storage "
                         f"using mon[hostnames:{sorted(r[0] for r in rows)}]")
        return mons

    def _write(self, storage_uuid: str, kind: str, mons: list[dict]) -> None:
        owner = "primaryStorageUuid" if kind == "Primary" else "backupStorageUuid"
        now = self.writer.now()
        rows = [{**m, owner: storage_uuid, "monUuid": uuidlib.uuid4().hex, "status": "Connected", "createDate": now,
                 "lastOpDate": now} for m in mons]
        with self.store.transaction() as cur:
            self.store.insert_many(cur, f"Ceph{kind}StorageMonInventory", rows)

    def add(self, params: dict, kind: str):
        mons = self._mons(params.get("monUrls"), kind)
        inv = f"Ceph{kind}StorageInventory"
        row = {k: v for k, v in params.items() if k != "monUrls"}
        row.setdefault("type", "Ceph")
        made = self.writer.create(inv, row)
        self._write(made["uuid"], kind, mons)
        return {"inventory": self.writer._get(inv, made["uuid"])}

    def add_mons(self, params: dict, kind: str):
        inv = f"Ceph{kind}StorageInventory"
        storage = self.writer._get(inv, params.get("uuid"))
        self._write(storage["uuid"], kind, self._mons(params.get("monUrls"), kind))
        return {"inventory": self.writer._get(inv, storage["uuid"])}
