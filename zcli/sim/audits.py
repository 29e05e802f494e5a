"""The audit of the API calls the simulator served, and the api-jobs that run on each resource.

The server's audit (``AuditsVO``, read by GetAuditData) keeps one row per API call: its name, the resource
it named, the operator's account, success or error, and dumps of the request and the response. The
simulator keeps the same rows in the ``AuditsInventory`` table: :func:`log_of` gives the log of a store,
:meth:`AuditLog.served` records a finished call (the HTTP layer calls it, :mod:`zcli.sim.app`), and
:meth:`AuditLog.started` / :meth:`AuditLog.finished` bracket an async call, so that GetVmTask and
GetHostTask can answer the api-jobs still running on a resource.

Rows are buffered and written when read (GetAuditData, a query), every :data:`FLUSH_EVERY` calls and when the
simulator closes, so that a call costs no write transaction of its own. Secrets never reach a dump: a
parameter the catalogue marks as a password, and any field of the request or the reply whose name says it is a
secret (an AccessKey's ``accessKeySecret``), is written as ``******``.
"""

from __future__ import annotations

import json
import threading
import weakref
from typing import ClassVar

from zcli.sim.computed import Computed, as_int, as_items
from zcli.sim.naming import Names

FLUSH_EVERY = 200
_MASK = "******"
_SECRET_WORDS = ("password", "secret", "token", "privatekey", "sshprivkey", "accesskey")
_LOGINS = ("LogIn", "Login", "LogOut", "RenewSession")
_LOGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TABLE = "AuditsInventory"


def log_of(store, catalog=None) -> AuditLog:
    """The audit log of ``store`` (made on first use)."""
    log = _LOGS.get(store)
    if log is None:
        log = _LOGS[store] = AuditLog(store, catalog or store.catalog)
    return log


def _scrub(value):
    """``value`` with every field whose name says it is a secret (at any depth) as ``******``."""
    if isinstance(value, dict):
        return {k: _MASK if any(w in str(k).lower() for w in _SECRET_WORDS) and v not in (None, "") else _scrub(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _masked(api, params: dict) -> dict:
    out = {}
    for k, v in params.items():
        p = api.param(k)
        secret = (p is not None and p.password) or any(w in k.lower() for w in _SECRET_WORDS)
        out[k] = _MASK if secret and v not in (None, "") else _scrub(v)
    return out


class AuditLog:
    def __init__(self, store, catalog):
        self.store = store
        self.names = Names(catalog, store.specs)
        self._lock = threading.Lock()
        self._buffer: list[dict] = []
        self._running: dict[str, dict] = {}
        self._next = None

    # --- recording ---------------------------------------------------------------------------
    def _target(self, api, params: dict, body) -> tuple[str | None, str | None]:
        """(resource uuid, resource type): the ``uuid`` the call named, else the one its reply holds (a create),
        else the first resource it names."""
        reply = self.names.reply_inventory(api)[0]
        inv = body.get("inventory") if isinstance(body, dict) else None
        if params.get("uuid") in (None, "") and isinstance(inv, dict) and inv.get("uuid"):
            return inv["uuid"], reply.removesuffix("Inventory") + "VO" if reply else None
        for p in self.names.uuid_params(api):
            value = params.get(p.name)
            if value not in (None, "", []):
                named = self.names.param_inventory(p.name, p.resource) if p.name != "uuid" else None
                named = named or reply or self.names.prefix_noun(api.name)
                uuid_ = value[0] if isinstance(value, list) else str(value).split(",")[0]
                return str(uuid_)[:255], named.removesuffix("Inventory") + "VO" if named else None
        return None, None

    def served(self, api, params: dict, account: str | None, status: int, body, started: float,
               ended: float, request_id: str | None = None) -> None:
        """Record one finished call (times in seconds on the simulator's clock)."""
        resource, rtype = self._target(api, params, body)
        err = body.get("error") if isinstance(body, dict) else None
        if account is None and isinstance(body, dict) and isinstance(body.get("inventory"), dict) \
                and api.name.startswith(_LOGINS):
            account = body["inventory"].get("accountUuid")
        row = {"createTime": int(ended * 1000), "startTime": int(started * 1000), "apiName": api.name,
               "duration": int((ended - started) * 1000), "success": 200 <= status < 300,
               "error": json.dumps(err, ensure_ascii=False) if err else None, "operatorAccountUuid": account,
               "requestDump": json.dumps(_masked(api, params), ensure_ascii=False, default=str)[:4096],
               "responseDump": None if api.name.startswith(_LOGINS) else
               json.dumps(_scrub(body), ensure_ascii=False, default=str)[:4096],
               "resourceUuid": resource, "resourceType": rtype, "requestUuid": request_id,
               "clientIp": "127.0.0.1", "clientBrowser": "zcli"}
        with self._lock:
            self._buffer.append(row)
            full = len(self._buffer) >= FLUSH_EVERY
        if full:
            self.flush()

    def started(self, job_id: str, api, params: dict, when: float) -> None:
        """An async call was queued as api-job ``job_id``: it is a task of the resources it names."""
        uuids = set()
        for p in self.names.uuid_params(api):
            value = params.get(p.name)
            values = value if isinstance(value, list) else str(value).split(",") if value else ()
            uuids.update(v for v in values if isinstance(v, str))
        with self._lock:
            self._running[job_id] = {"apiName": api.name, "apiId": job_id, "uuids": uuids, "since": when,
                                     "className": "APIMessage", "params": params}

    def finished(self, job_id: str) -> None:
        with self._lock:
            self._running.pop(job_id, None)

    def tasks_on(self, uuid_: str) -> list[dict]:
        """The api-jobs running on a resource, oldest first."""
        with self._lock:
            found = [dict(t) for t in self._running.values() if uuid_ in t["uuids"]]
        return sorted(found, key=lambda t: t["since"])

    def flush(self) -> None:
        with self._lock:
            rows, self._buffer = self._buffer, []
        if not rows:
            return
        with self.store.transaction() as cur:
            start = cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{_TABLE}"').fetchone()[0]
            for i, row in enumerate(rows):
                row["id"] = start + i + 1
            self.store.insert_many(cur, _TABLE, rows)


class AuditReads(Computed):
    """GetAuditData: the audit rows of the calls served, filtered as asked."""

    kind = "audit"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetAuditData": ("audits", "audit: the API calls the simulator served (AuditsInventory), filtered")}

    def audits(self, params: dict) -> dict:
        log = log_of(self.store, self.catalog)
        log.flush()
        where, bound = [], []
        for name, op in (("startTime", ">="), ("endTime", "<=")):
            value = as_int(params.get(name))
            if value is not None:
                where.append(f"createTime {op} ?")
                bound.append(value)
        kind = params.get("auditType")
        if kind == "Login":
            where.append("(" + " OR ".join("apiName LIKE ?" for _ in _LOGINS) + ")")
            bound += [f"{w}%" for w in _LOGINS]
        elif kind == "Resource":
            where.append("(" + " AND ".join("apiName NOT LIKE ?" for _ in _LOGINS) + ")")
            bound += [f"{w}%" for w in _LOGINS]
        kinds = self.store.specs[_TABLE].kinds
        for cond in as_items(params.get("conditions")):
            field, _, value = str(cond).partition("=")
            field = field.rstrip("!")
            if field not in kinds:
                from zcli.sim.failures import argerr

                raise argerr(f"invalid condition[{cond}], the audit has no field[{field}]")
            negated = str(cond)[len(field):].startswith("!=")
            if kinds[field] == "bool":
                value = 1 if value.lower() == "true" else 0
            where.append(f'"{field}" {"!=" if negated else "="} ?')
            bound.append(value)
        limit = as_int(params.get("limit"), 1000)
        rows = self.store.inventories(_TABLE, " AND ".join(where), bound, order="id DESC", limit=limit, depth=0)
        return {"audits": rows}
