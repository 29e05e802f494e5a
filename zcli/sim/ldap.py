"""The LDAP servers the simulator's node talks to, and the LDAP family: entries, candidates, bindings.

The directory behind each LdapServer (by its ``url``) is modelled in the table ``_sim_ldap_entry`` (url, dn,
attributes as JSON), seeded deterministically the first time the server is used: under the server's ``base``,
``ou=people`` with the LDAP uid of the logins (zcli/sim/logins.py) and five people, and ``ou=groups`` with two
groups. A search (GetLdapEntry, the candidates) walks the entries under the server's current base with the
filter (zcli/sim/ldap_filter.py) and answers, as LdapUtil does, ``{"dn": ..., "attributes": [{"attrID",
"values"}]}`` up to ``limit`` (2,500 by default). The candidates leave out the DNs already bound
(LdapAccountRef for accounts, LdapResourceRef for IAM2). CreateLdapBinding checks the account and that the
DN is in the directory ("cannot find dn[%s] on LDAP/AD server"), one account a DN. CleanInvalidLdapBinding
removes the bindings whose DN the server no longer finds (after its base moved, say) and answers their
accounts. The IAM2 forms use the server of scope ``IAM2``, else the only server there is.
"""

from __future__ import annotations

import json
import uuid

from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.family import Family
from zcli.sim.ldap_filter import FilterError, parse

TABLE = "_sim_ldap_entry"
SERVER = "LdapServerInventory"
_PEOPLE = (("ldap-user", "LDAP User"), ("alice", "Alice Wang"), ("bob", "Bob Li"), ("carol", "Carol Zhang"),
           ("dave", "Dave Chen"), ("erin", "Erin Zhao"))
_GROUPS = (("dev", ("alice", "bob", "ldap-user")), ("ops", ("carol", "dave")))
DEFAULT_LIMIT = 2500


def directory(base: str) -> list[tuple[str, dict]]:
    """The seeded entries of a directory whose suffix is ``base``: (dn, attributes)."""
    out = [(base, {"objectClass": ["top", "domain"], "dc": [base.split(",")[0].split("=")[-1]]})]
    for ou in ("people", "groups"):
        out.append((f"ou={ou},{base}", {"objectClass": ["top", "organizationalUnit"], "ou": [ou]}))
    for uid, name in _PEOPLE:
        dn = f"uid={uid},ou=people,{base}"
        out.append((dn, {"objectClass": ["top", "person", "organizationalPerson", "inetOrgPerson"], "uid": [uid],
                         "cn": [uid], "sn": [name.split()[-1]], "displayName": [name], "entryDN": [dn],
                         "mail": [f"{uid}@zstack.example"]}))
    for name, members in _GROUPS:
        dn = f"cn={name},ou=groups,{base}"
        out.append((dn, {"objectClass": ["top", "groupOfUniqueNames"], "cn": [name], "entryDN": [dn],
                         "uniqueMember": [f"uid={m},ou=people,{base}" for m in members]}))
    return out


class Ldap(Family):
    kind = "ldap"

    def __init__(self, catalog, store, writer):
        super().__init__(catalog, store, writer)
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (url TEXT, dn TEXT, attributes TEXT, "
                        "PRIMARY KEY (url, dn))")

    def table(self):
        return (
            ("GetLdapEntry", "searches the simulated directory with the filter", self._entries),
            ("GetCandidateLdapEntryForBinding", "searches the directory, less the DNs bound to accounts",
             self._candidates("LdapAccountRefInventory", "account")),
            ("GetCandidateLdapEntryForIAM2Binding", "searches the directory, less the DNs bound to virtual IDs",
             self._candidates("LdapResourceRefInventory", "IAM2")),
            ("GetLdapServerAvailableAttributes", "the attribute names of the server's entries", self._attributes),
            ("CreateLdapBinding", "an LdapAccountRef, the DN checked in the directory, one account a DN",
             self._bind),
            ("CleanInvalidLdapBinding", "removes the account bindings whose DN the directory lacks",
             self._clean("LdapAccountRefInventory", "accountUuid", "AccountInventory", "account")),
            ("CleanInvalidLdapIAM2Binding", "removes the virtual ID bindings whose DN the directory lacks",
             self._clean("LdapResourceRefInventory", "resourceUuid", "IAM2VirtualIDInventory", "IAM2")),
        )

    # --- the directory ----------------------------------------------------------------------
    def server(self, uuid_: str | None = None, scope: str = "account") -> dict:
        if uuid_:
            return self.one(SERVER, uuid_, "ldapServerUuid")
        servers = self.rows(SERVER, order="rowid")
        mine = [s for s in servers if (s.get("scope") or "account") == scope] or (servers if len(servers) == 1 else [])
        if not mine:
            raise operr("No LDAP/AD server record in database.")
        if len(mine) > 1:
            raise operr("More than one LDAP/AD server record in database.")
        return mine[0]

    def entries(self, server: dict) -> list[tuple[str, dict]]:
        """The entries the server finds: those of its directory under its current base."""
        url, base = server.get("url") or "", server.get("base") or ""
        if not self.store.read(f"SELECT 1 FROM {TABLE} WHERE url = ? LIMIT 1", [url])[1]:
            with self.store.transaction() as cur:
                cur.executemany(f"INSERT OR IGNORE INTO {TABLE} (url, dn, attributes) VALUES (?, ?, ?)",
                                [(url, dn, json.dumps(a)) for dn, a in directory(base or "dc=zstack,dc=example")])
        rows = self.store.read(f"SELECT dn, attributes FROM {TABLE} WHERE url = ? ORDER BY rowid", [url])[1]
        suffix = "," + base.lower()
        return [(dn, json.loads(a)) for dn, a in rows
                if not base or dn.lower() == base.lower() or dn.lower().endswith(suffix)]

    def search(self, server: dict, text: str, limit, skip=frozenset()) -> list[dict]:
        try:
            matches = parse(text)
        except FilterError as e:
            raise operr(f"query ldap entry[filter: {str(text)[:200]}] fail, because {e}") from None
        try:
            limit = DEFAULT_LIMIT if limit in (None, "") else int(limit)
        except ValueError:
            raise argerr(f"limit[{limit}] is not a number") from None
        out = []
        for dn, attrs in self.entries(server):
            if dn in skip or not matches({k.lower(): v for k, v in attrs.items()}):
                continue
            out.append({"dn": dn, "attributes": [{"attrID": k, "values": v, "ordered": False}
                                                 for k, v in attrs.items()]})
            if len(out) >= limit:
                break
        return out

    def has_dn(self, server: dict, dn: str) -> bool:
        return any(d.lower() == str(dn).lower() for d, _ in self.entries(server))

    # --- the APIs ---------------------------------------------------------------------------
    def _entries(self, p: dict) -> dict:
        server = self.server(p.get("ldapServerUuid"))
        return {"inventories": self.search(server, p.get("ldapFilter"), p.get("limit"))}

    def _candidates(self, refs: str, scope: str):
        def handler(p: dict) -> dict:
            bound = {r["ldapUid"] for r in self.rows(refs, fields=["ldapUid"]) if r.get("ldapUid")}
            return {"inventories": self.search(self.server(scope=scope), p.get("ldapFilter"), p.get("limit"), bound)}
        return handler

    def _attributes(self, p: dict) -> dict:
        server = self.one(SERVER, p.get("uuid"))
        return {"inventories": sorted({k for _, a in self.entries(server) for k in a}, key=str.lower)}

    def _bind(self, p: dict) -> dict:
        if not self.rows("AccountInventory", "uuid = ?", [p.get("accountUuid")], fields=["uuid"]):
            raise Failure("LDAP.1004", "Cannot find the specified account.",
                          f"cannot find the specified account[uuid:{p.get('accountUuid')}]")
        server = self.server()
        dn = p.get("ldapUid")
        if not self.has_dn(server, dn):
            raise Failure("LDAP.1002", "Cannot find entry on LDAP/AD server.",
                          f"cannot find dn[{dn}] on LDAP/AD server[Address:{server.get('url')}, "
                          f"BaseDN:{server.get('base')}].")
        if self.rows("LdapAccountRefInventory", "ldapUid = ?", [dn], fields=["uuid"]):
            raise Failure("LDAP.1003", "Cannot bind the same ldap uid to more than one account.",
                          "The ldap uid has been bound to an account. ")
        row = {"uuid": uuid.uuid4().hex, "ldapUid": dn, "ldapServerUuid": server["uuid"],
               "accountUuid": p["accountUuid"], "createDate": self.now(), "lastOpDate": self.now()}
        self.insert("LdapAccountRefInventory", [row])
        return {"inventory": self.one("LdapAccountRefInventory", row["uuid"])}

    def _clean(self, refs: str, key: str, owners: str, scope: str):
        def handler(p: dict) -> dict:
            gone, whose = [], []
            servers = {}
            for ref in self.rows(refs, order="rowid"):
                sid = ref.get("ldapServerUuid")
                if sid not in servers:
                    found = self.rows(SERVER, "uuid = ?", [sid])
                    servers[sid] = found[0] if found else None
                server = servers[sid]
                if server is None or not self.has_dn(server, ref.get("ldapUid")):
                    gone.append(ref["uuid"])
                    whose.append(ref.get(key))
            if not gone:
                return {}
            self.delete_where(refs, f"uuid IN ({', '.join('?' * len(gone))})", gone)
            found = self.rows(owners, f"uuid IN ({', '.join('?' * len(whose))})", whose)
            return {"inventories": found}
        return handler
