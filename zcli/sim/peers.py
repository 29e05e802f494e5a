"""The far ends of tunnels the management node keeps: a VXLAN pool's remote VTEPs and an IPsec connection's peer
CIDRs. Their names say "Remote", but nothing here acts on a remote cloud: they are rows of the local database.

* ``CreateVxlanPoolRemoteVtep``: as the server's VxlanNetworkPool does, refused when the pool is not attached to
  the cluster (no L2NetworkClusterRef) or the IP is already a remote VTEP of that pool and cluster; the new
  RemoteVtep has the server's port 8472 and type ``KVM_HOST_VXLAN``. ``DeleteVxlanPoolRemoteVtep`` removes it,
  and succeeds doing nothing when the pool is not attached or the IP is not there (as the server does).
* ``AddRemoteCidrsToIPsecConnection`` / ``RemoveRemoteCidrsFromIPsecConnection``: the connection's IPsecPeerCidr
  rows; a CIDR added twice or removed when absent is refused.
"""

from __future__ import annotations

import uuid

from zcli.sim.failures import Failure, argerr
from zcli.sim.naming import as_list

_VXLAN_PORT = 8472
_VXLAN_TYPE = "KVM_HOST_VXLAN"
_PLANS = {"CreateVxlanPoolRemoteVtep": "adds a remote VTEP to a VXLAN pool's cluster (port 8472)",
          "DeleteVxlanPoolRemoteVtep": "removes a remote VTEP of a VXLAN pool's cluster",
          "AddRemoteCidrsToIPsecConnection": "adds peer CIDRs to an IPsec connection",
          "RemoveRemoteCidrsFromIPsecConnection": "removes peer CIDRs from an IPsec connection"}


class Peers:
    kind = "peers"
    before = True

    def __init__(self, catalog, store, writer):
        self.store = store
        self.writer = writer

    def plan(self, api) -> str | None:
        return _PLANS.get(api.name)

    def run(self, api, params: dict):
        if api.name.endswith("RemoteVtep"):
            return self._vtep(api.name.startswith("Create"), params)
        return self._cidrs(api.name.startswith("Add"), params)

    def _vtep(self, create: bool, params: dict):
        pool, cluster, ip = params.get("l2NetworkUuid"), params.get("clusterUuid"), params.get("remoteVtepIp")
        attached = self.store.count("L2NetworkClusterRefInventory", "l2NetworkUuid = ? AND clusterUuid = ?",
                                    [pool, cluster]) if "L2NetworkClusterRefInventory" in self.store.specs else 0
        found = self.store.inventories("RemoteVtepInventory", "poolUuid = ? AND clusterUuid = ? AND vtepIp = ?",
                                       [pool, cluster, ip], depth=0)
        if not create:
            if attached and found:
                self.writer.delete("RemoteVtepInventory", found[0]["uuid"])
            return None
        if not attached:
            raise Failure("SYS.1003", "A resource can not be found",
                          f"Cannot find L2NetworkClusterRefVO item for l2NetworkUuid[{pool}] clusterUuid[{cluster}]")
        if found:
            raise Failure("SYS.1006", "An operation failed",
                          f"ip[{ip}] l2NetworkUuid[{pool}] clusterUuid[{cluster}] exist")
        row = self.writer.create("RemoteVtepInventory", {"vtepIp": ip, "clusterUuid": cluster, "poolUuid": pool,
                                                         "port": _VXLAN_PORT, "type": _VXLAN_TYPE,
                                                         "resourceUuid": params.get("resourceUuid")})
        return {"inventory": row}

    def _cidrs(self, add: bool, params: dict):
        """The connection's ``peerCidrs`` (IPsecPeerCidrInventory entries, as the server lists them; a CIDR given
        as a bare string at creation is read as one) and the IPsecPeerCidr rows, changed together."""
        conn = self.writer._get("IPsecConnectionInventory", params.get("uuid"))
        cidrs = list(dict.fromkeys(as_list(params.get("peerCidrs"))))
        now = self.writer.now()
        entries = [e if isinstance(e, dict) else {"uuid": uuid.uuid5(uuid.NAMESPACE_URL, f"{conn['uuid']}/{e}").hex,
                                                  "cidr": e, "connectionUuid": conn["uuid"], "createDate": now,
                                                  "lastOpDate": now}
                   for e in conn.get("peerCidrs") or []]
        have = {e.get("cidr"): e for e in entries}
        for cidr in cidrs:
            if add and cidr in have:
                raise argerr(f"the peer cidr[{cidr}] is already in the IPsec connection[uuid:{conn['uuid']}]")
            if not add and cidr not in have:
                raise argerr(f"the peer cidr[{cidr}] is not in the IPsec connection[uuid:{conn['uuid']}]")
        if add:
            new = [{"uuid": uuid.uuid4().hex, "cidr": c, "connectionUuid": conn["uuid"], "createDate": now,
                    "lastOpDate": now} for c in cidrs]
            entries += new
            with self.store.transaction() as cur:
                self.store.insert_many(cur, "IPsecPeerCidrInventory", new)
        else:
            entries = [e for e in entries if e.get("cidr") not in cidrs]
            with self.store.transaction() as cur:
                for c in cidrs:
                    cur.execute('DELETE FROM "IPsecPeerCidrInventory" WHERE connectionUuid = ? AND cidr = ?',
                                (conn["uuid"], c))
        return {"inventory": self.writer.update("IPsecConnectionInventory", conn["uuid"], {"peerCidrs": entries})}
