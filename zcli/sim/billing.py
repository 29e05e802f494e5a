"""Billing: spending computed from the account's price table and its resources' lifetimes, and the bills.

The billing module is closed source; the facts are the reference's shapes (Spending, VmSpending,
VmCPUSpendingDetails..., BillingInventory and its kinds, PriceInventory). What the simulator computes:

- An account's prices are the PriceInventory rows of the price table bound to it (AccountPriceTableRef). A
  price holds from ``dateInLong`` to ``endDateInLong`` (or to the next price of the same resource). Its
  amount is per ``resourceUnit`` (core; B, KB, MB, GB, TB) per ``timeUnit`` (s, m, h, d; second ... day,
  month = 30 days).
- A resource is billed from its createDate to now on the simulator's clock (to its lastOpDate once Destroyed
  or Deleted), within the window asked (``dateStart``/``dateEnd`` in ms). A VM is billed for its CPUs, memory
  and root volume; a data volume and a snapshot for their size. The account's resources are those it owns
  (zcli/sim/quotas.py).
- GenerateAccountBilling writes a bill (BillingInventory and its kind: VmCPU, VmMemory, RootVolume,
  DataVolume) per resource and kind for the time since the account's last bill; CalculateAccountBillingSpending
  sums those bills; DeleteBilling removes the bills of a period.
"""

from __future__ import annotations

from datetime import datetime

from zcli.sim.failures import argerr
from zcli.sim.family import Family
from zcli.sim.quotas import Usage
from zcli.sim.tables import q

_UNITS = {"b": 1 / (1 << 30), "kb": 1 / (1 << 20), "mb": 1 / 1024, "gb": 1.0, "tb": 1024.0, "core": 1.0}
_TIME = {"s": 1, "second": 1, "m": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400,
         "month": 30 * 86400}
_GB = 1 << 30
#: billingType → (its bill inventory, the resource field it records)
BILLS = {"VmCPU": ("VmCPUBillingInventory", "cpuNum"), "VmMemory": ("VmMemoryBillingInventory", "memorySize"),
         "RootVolume": ("RootVolumeBillingInventory", "volumeSize"),
         "DataVolume": ("DataVolumeBillingInventory", "volumeSize")}


def _ms(stored: str | None) -> int | None:
    if not stored:
        return None
    try:
        return int(datetime.strptime(str(stored)[:19], "%Y-%m-%d %H:%M:%S").timestamp() * 1000)
    except ValueError:
        try:
            return int(datetime.strptime(str(stored), "%b %d, %Y %I:%M:%S %p").timestamp() * 1000)
        except ValueError:
            return None


class Billing(Family):
    kind = "billing"

    def __init__(self, catalog, store, writer):
        super().__init__(catalog, store, writer)
        self.usage = Usage(store)

    def table(self):
        return (
            ("CalculateAccountSpending", "prices × the account's resources' lifetimes in the window",
             self._account_spending),
            ("CalculateResourceSpending", "prices × the named resources' lifetimes in the window",
             self._resource_spending),
            ("GenerateAccountBilling", "bills of each resource of the account since its last bill", self._generate),
            ("CalculateAccountBillingSpending", "sums the account's bills in the window", self._billing_spending),
            ("DeleteBilling", "removes the account's bills of the period", self._delete),
            ("GetAccountPriceTableRef", "the accounts bound to a price table, or an account's table", self._ref),
        )

    # --- prices and lifetimes ---------------------------------------------------------------
    def now_ms(self) -> int:
        return int(self.writer.clock.time() * 1000)

    def prices(self, account: str) -> dict[str, list[tuple[int, int, float]]]:
        """resource name → [(from ms, to ms, price per GB or core per second)] of the account's table."""
        refs = self.rows("AccountPriceTableRefInventory", "accountUuid = ?", [account])
        if not refs:
            return {}
        rows = self.rows("PriceInventory", "tableUuid = ?", [refs[0]["tableUuid"]], order="dateInLong")
        out: dict[str, list] = {}
        for i, r in enumerate(rows):
            unit = _UNITS.get(str(r.get("resourceUnit") or "gb").lower(), 1.0)
            per = _TIME.get(str(r.get("timeUnit") or "s").lower(), 1)
            later = [x.get("dateInLong") for x in rows[i + 1:] if x.get("resourceName") == r.get("resourceName")]
            end = r.get("endDateInLong") or (later[0] if later else None) or 1 << 62
            out.setdefault(r["resourceName"], []).append((int(r.get("dateInLong") or 0), int(end),
                                                          float(r.get("price") or 0) / unit / per))
        return out

    def life(self, row: dict, start: int, end: int, gone: tuple = ("Destroyed", "Deleted")) -> tuple[int, int]:
        born = _ms(row.get("createDate")) or 0
        died = _ms(row.get("lastOpDate")) if (row.get("state") in gone or row.get("status") in gone) else None
        return max(born, start), min(died or end, end)

    def cost(self, prices, name: str, amount: float, span: tuple[int, int]) -> float:
        total = 0.0
        for lo, hi, per_second in prices.get(name, ()):
            a, b = max(lo, span[0]), min(hi, span[1])
            if b > a:
                total += per_second * amount * (b - a) / 1000
        return total

    @staticmethod
    def _when(value) -> int:
        """A time in ms, or in CalculateResourceSpending's ``yyyyMMdd HH:mm:ss`` (its parameter's regex)."""
        text = str(value)
        if " " in text:
            return int(datetime.strptime(text, "%Y%m%d %H:%M:%S").timestamp() * 1000)
        return int(text)

    def window(self, p: dict) -> tuple[int, int]:
        try:
            start = self._when(p.get("dateStart") or 0)
            end = self._when(p.get("dateEnd") or self.now_ms())
        except (TypeError, ValueError):
            raise argerr(f"dateStart[{p.get('dateStart')}] and dateEnd[{p.get('dateEnd')}] are times") from None
        if end < start:
            raise argerr(f"dateEnd[{end}] is before dateStart[{start}]")
        return start, end

    def owned(self, inv: str, account: str, extra: str = "", args=()) -> list[dict]:
        where, own_args = self.usage.owned(inv, [account])
        return self.rows(inv, " AND ".join(c for c in (where, extra) if c), [*own_args, *args], order="rowid")

    # --- spending ---------------------------------------------------------------------------
    def vm_spending(self, prices, vm: dict, window: tuple[int, int]) -> dict:
        span = self.life(vm, *window)
        roots = self.rows("VolumeInventory", "uuid = ?", [vm.get("rootVolumeUuid")]) if vm.get("rootVolumeUuid") else []
        size = float((roots[0].get("size") if roots else 0) or 0)
        parts = {"cpuInventory": ("cpu", float(vm.get("cpuNum") or 0), {"cpuNum": vm.get("cpuNum")}),
                 "memoryInventory": ("memory", float(vm.get("memorySize") or 0) / _GB,
                                     {"memorySize": vm.get("memorySize")}),
                 "rootVolumeInventory": ("rootVolume", size / _GB, {"volumeSize": int(size)})}
        out = {"resourceUuid": vm["uuid"], "resourceName": vm.get("name"), "hypervisorType": vm.get("hypervisorType"),
               "type": "VM", "spending": 0.0}
        for key, (name, amount, extra) in parts.items():
            spent = self.cost(prices, name, amount, span) if span[1] > span[0] else 0.0
            out[key] = [{"startTime": span[0], "endTime": span[1], "spending": spent, **extra}] if spent else []
            out["spending"] += spent
        return out

    def sized(self, prices, row: dict, name: str, kind: str, window) -> dict:
        span = self.life(row, *window)
        spent = self.cost(prices, name, float(row.get("size") or 0) / _GB, span) if span[1] > span[0] else 0.0
        return {"resourceUuid": row["uuid"], "resourceName": row.get("name"), "type": kind, "spending": spent,
                "sizeInventory": [{"startTime": span[0], "endTime": span[1], "spending": spent,
                                   "volumeSize": row.get("size")}] if spent else []}

    def spendings(self, account: str, window, hypervisor: str | None = None) -> list[dict]:
        prices = self.prices(account)
        cond, args = ("hypervisorType = ?", [hypervisor]) if hypervisor else ("", [])
        groups = [("VM", [self.vm_spending(prices, vm, window)
                          for vm in self.owned("VmInstanceInventory", account, cond, args)])]
        groups.append(("dataVolume", [self.sized(prices, v, "dataVolume", "dataVolume", window)
                                      for v in self.owned("VolumeInventory", account, "type = 'Data'")]))
        groups.append(("snapShot", [self.sized(prices, s, "snapShot", "snapShot", window)
                                    for s in self.owned("VolumeSnapshotInventory", account)]))
        out = []
        for kind, details in groups:
            by_hv: dict[str, float] = {}
            for d in details:
                if d.get("hypervisorType"):
                    by_hv[d["hypervisorType"]] = by_hv.get(d["hypervisorType"], 0.0) + d["spending"]
            out.append({"spendingType": kind, "spending": sum(d["spending"] for d in details),
                        "hypervisorTypeSpending": by_hv, "dateStart": window[0], "dateEnd": window[1],
                        "details": [d for d in details if d["spending"]]})
        return out

    def _account_spending(self, p: dict) -> dict:
        account = self.one("AccountInventory", p.get("accountUuid"), "accountUuid")
        spending = self.spendings(account["uuid"], self.window(p), p.get("hypervisorType"))
        if str(p.get("simple", "")).lower() == "true":
            for s in spending:
                s.pop("details")
        return {"total": sum(s["spending"] for s in spending), "spending": spending}

    def _resource_spending(self, p: dict) -> dict:
        window = self.window(p)
        kind = p.get("resourceType") or "all"
        found = []
        for inv, kinds in (("VmInstanceInventory", ("VM", "cpu", "memory", "rootVolume")),
                           ("VolumeInventory", ("dataVolume",)), ("VolumeSnapshotInventory", ("snapShot",))):
            if kind != "all" and kind not in kinds:
                continue
            rows = self.rows(inv, "uuid = ?", [p["resourceUuid"]]) if p.get("resourceUuid") else \
                self.rows(inv, "type = 'Data'" if inv == "VolumeInventory" else "", order="rowid")
            found += [(inv, r) for r in rows]
        out = []
        for inv, row in found:
            owner = self.usage.owner(inv, row["uuid"])
            prices = self.prices(owner)
            if inv == "VmInstanceInventory":
                spent = self.vm_spending(prices, row, window)
                value = spent["spending"] if kind in ("VM", "all") else \
                    sum(x["spending"] for x in spent[{"cpu": "cpuInventory", "memory": "memoryInventory",
                                                      "rootVolume": "rootVolumeInventory"}[kind]])
            else:
                value = self.sized(prices, row, "dataVolume" if inv == "VolumeInventory" else "snapShot", kind,
                                   window)["spending"]
            span = self.life(row, *window)
            out.append({"resourceType": kind if kind != "all" else inv.removesuffix("Inventory"),
                        "resourceUuid": row["uuid"], "resourceName": row.get("name"), "spending": value,
                        "startTime": span[0], "endTime": span[1]})
        start, limit = int(p.get("start") or 0), int(p.get("limit") or 1000)
        return {"spending": out[start:start + limit], "pagination": {"start": start, "limit": limit,
                                                                      "total": len(out)}}

    # --- bills ------------------------------------------------------------------------------
    def bills(self, account: str, where: str = "", args=()) -> list[dict]:
        cond = " AND ".join(c for c in ("accountUuid = ?", where) if c)
        return self.rows("BillingInventory", cond, [account, *args], order="id")

    def _generate(self, p: dict) -> None:
        account = self.one("AccountInventory", p.get("accountUuid"), "accountUuid")
        done = self.bills(account["uuid"])
        since = max((int(b.get("endTime") or 0) for b in done), default=0)
        window = (since, self.now_ms())
        _, rows = self.store.read(f'SELECT COALESCE(MAX(id), 0) FROM {q("BillingInventory")}')
        next_id = rows[0][0] + 1
        new: dict[str, list] = {}
        for kind in self.spendings(account["uuid"], window):
            for d in kind.get("details", ()):
                parts = [("VmCPU", d.get("cpuInventory")), ("VmMemory", d.get("memoryInventory")),
                         ("RootVolume", d.get("rootVolumeInventory"))] if kind["spendingType"] == "VM" else \
                    [("DataVolume", d.get("sizeInventory"))] if kind["spendingType"] == "dataVolume" else []
                for billing_type, items in parts:
                    for item in items or ():
                        inv, field = BILLS[billing_type]
                        new.setdefault(inv, []).append({
                            "id": next_id, "billingType": billing_type, "accountUuid": account["uuid"],
                            "resourceUuid": d["resourceUuid"], "resourceName": d.get("resourceName"),
                            "spending": item["spending"], "startTime": item["startTime"], "endTime": item["endTime"],
                            "hypervisorType": d.get("hypervisorType"), field: item.get(field),
                            "vmInstanceUuid": d["resourceUuid"] if billing_type == "RootVolume" else None,
                            "createDate": self.now(), "lastOpDate": self.now()})
                        next_id += 1
        with self.store.transaction() as cur:
            for inv, rows_ in new.items():
                self.store.insert_many(cur, inv, rows_)
                self.store.insert_many(cur, "BillingInventory", rows_)

    def _billing_spending(self, p: dict) -> dict:
        account = self.one("AccountInventory", p.get("accountUuid"), "accountUuid")
        start, end = self.window(p)
        cond, args = "startTime >= ? AND endTime <= ?", [start, end]
        if p.get("resourceUuid"):
            cond, args = cond + " AND resourceUuid = ?", [*args, p["resourceUuid"]]
        found = self.bills(account["uuid"], cond, args)
        by_type: dict[str, list] = {}
        for b in found:
            by_type.setdefault(b["billingType"], []).append(b)
        spending = [{"spendingType": t, "spending": sum(float(b.get("spending") or 0) for b in bs),
                     "dateStart": start, "dateEnd": end,
                     **({} if str(p.get("simple", "")).lower() == "true" else
                        {"details": [{"resourceUuid": b["resourceUuid"], "resourceName": b.get("resourceName"),
                                      "spending": b.get("spending"), "hypervisorType": b.get("hypervisorType"),
                                      "type": t} for b in bs]})}
                    for t, bs in sorted(by_type.items())]
        return {"total": sum(s["spending"] for s in spending), "spending": spending}

    def _delete(self, p: dict) -> None:
        cond, args = [], []
        if p.get("accountUuid"):
            cond, args = ["accountUuid = ?"], [p["accountUuid"]]
        if p.get("startTime") not in (None, ""):
            cond.append("startTime >= ?")
            args.append(int(p["startTime"]))
        if p.get("endTime") not in (None, ""):
            cond.append("endTime <= ?")
            args.append(int(p["endTime"]))
        where = " AND ".join(cond) or "1 = 1"
        ids = [r["id"] for r in self.rows("BillingInventory", where, args, fields=["id"])]
        if not ids:
            return
        marks = ", ".join("?" * len(ids))
        with self.store.transaction() as cur:
            for inv in ("BillingInventory", *(b[0] for b in BILLS.values())):
                cur.execute(f"DELETE FROM {q(inv)} WHERE id IN ({marks})", ids)

    def _ref(self, p: dict) -> dict:
        if p.get("tableUuid"):
            table = self.one("PriceTableInventory", p["tableUuid"], "tableUuid")
            refs = self.rows("AccountPriceTableRefInventory", "tableUuid = ?", [table["uuid"]], order="rowid")
            return {"tableUuid": table["uuid"], "accountUuids": [r["accountUuid"] for r in refs]}
        if not p.get("accountUuid"):
            raise argerr("GetAccountPriceTableRef names a tableUuid or an accountUuid")
        account = self.one("AccountInventory", p["accountUuid"], "accountUuid")
        refs = self.rows("AccountPriceTableRefInventory", "accountUuid = ?", [account["uuid"]])
        return {"tableUuid": refs[0]["tableUuid"] if refs else None, "accountUuids": [account["uuid"]]}
