"""ZWatch metrics: the data points PutMetricData stores, and a model of the world's running resources.

ZWatch is closed source: the reference's field names are the facts, and what follows is what the simulator
chose. Times are seconds (a data point is ``{"value", "time", "labels"}``); labels are asked as ``Key=Value``,
``Key!=Value``, ``Key=~regex`` or ``Key!~regex``.

* **Stored points**: PutMetricData keeps each ``{"metricName", "value", "time", "labels"}`` of ``data`` in the
  ``_sim_metric`` table (``time`` defaults to now on the simulator's clock); DeleteMetricData forgets those of a
  metric whose labels match. The system namespaces (``ZStack/VM``, ``ZStack/Host``) are the model's: they are
  neither written nor deleted by a user.
* **The model** (:data:`SYSTEM`): every period (``period``, 60 s by default) of the window asked, each Running VM
  and each Connected host gives a point of each of its metrics, a deterministic function of the resource's uuid,
  of what it holds (a host's VMs' CPUs and memory) and, for CPU, of the time of day and the minute on the
  simulator's clock.
* GetMetricData answers the points of both in the window (``startTime``..``endTime``, or the
  ``offsetAheadOfCurrentTime`` seconds before now, 10 minutes by default), filtered by ``labels`` and
  ``valueConditions`` (``Value>50``), then ``functions`` (``limit(limit=N)``, ``top(num=N)``,
  ``sort(by="value",direction="desc")``). GetAllMetricMetadata lists the metrics and label names that exist;
  GetMetricLabelValue the label values seen in the window. PrometheusQueryVmMonitoringData evaluates an
  expression that names a ``ZStack/VM`` metric, for each VM asked.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from typing import ClassVar

from zcli.sim.computed import Computed, as_bool, as_int, as_items
from zcli.sim.failures import argerr

_TABLE = "_sim_metric"
_MAX_POINTS = 20000
#: namespace → (label naming the resource, the resource's table, metric → (description, unit)).
SYSTEM = {
    "ZStack/VM": ("VMUuid", "VmInstanceInventory", {
        "CPUUsedUtilization": "CPU used by the VM, in percent",
        "MemoryUsedInPercent": "memory used by the VM's guest, in percent",
        "MemoryUsedBytes": "memory used by the VM's guest, in bytes",
        "DiskUsedCapacityInPercent": "the VM's root disk used, in percent"}),
    "ZStack/Host": ("HostUuid", "HostInventory", {
        "CPUUsedUtilization": "CPU used on the host, in percent",
        "MemoryUsedInPercent": "memory used on the host, in percent",
        "MemoryUsedBytes": "memory used on the host, in bytes",
        "DiskUsedCapacityInPercent": "the host's local disk used, in percent"}),
}
_LABEL = re.compile(r"^([A-Za-z_][\w.]*)\s*(=~|!~|!=|=)\s*(.*)$")
_VALUE = re.compile(r"^\s*[Vv]alue\s*(>=|<=|!=|==|=|>|<)\s*(-?[\d.]+)\s*$")
_FUNCTION = re.compile(r"^\s*(\w+)\s*\((.*)\)\s*$")


def _seed(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode())


def label_filter(texts: list[str]):
    """A predicate on a point's labels from ``Key=Value`` conditions (argerr for a malformed one)."""
    tests = []
    for text in texts:
        m = _LABEL.match(str(text))
        if not m:
            raise argerr(f"invalid label[{text}], it must be key=value, key!=value, key=~regex or key!~regex")
        key, op, want = m.groups()
        try:
            pattern = re.compile(want) if "~" in op else None
        except re.error:
            raise argerr(f"invalid label[{text}], {want} is not a regular expression") from None
        tests.append((key, op, want, pattern))

    def ok(labels: dict) -> bool:
        for key, op, want, pattern in tests:
            have = labels.get(key)
            if (op == "=" and have != want) or (op == "!=" and have == want):
                return False
            if op == "=~" and (have is None or not pattern.fullmatch(str(have))):
                return False
            if op == "!~" and have is not None and pattern.fullmatch(str(have)):
                return False
        return True
    return ok


class Metrics(Computed):
    kind = "metrics"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "PutMetricData": ("put", "keeps the data points (custom namespaces)"),
        "GetMetricData": ("data", "stored points plus the model of the running VMs and connected hosts"),
        "DeleteMetricData": ("delete", "forgets the stored points of the metric whose labels match"),
        "GetAllMetricMetadata": ("metadata", "the metrics and labels that exist (the model's and those stored)"),
        "GetMetricLabelValue": ("label_values", "the label values of the metric's points in the window"),
        "PrometheusQueryVmMonitoringData": ("prometheus", "the model's points of a ZStack/VM metric per VM"),
    }

    def __init__(self, catalog, store, writer):
        super().__init__(catalog, store, writer)
        with store.transaction() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (namespace TEXT, metricName TEXT, labels TEXT, "
                        "value REAL, time INTEGER)")

    # --- stored points -----------------------------------------------------------------------
    def put(self, params: dict) -> dict:
        namespace = self.need(params, "namespace")
        if namespace in SYSTEM:
            raise argerr(f"the namespace[{namespace}] is the system's; custom metrics need a namespace of their own")
        rows = []
        now = int(self.now())
        for item in as_items(self.need(params, "data")):
            if not isinstance(item, dict) or not item.get("metricName") or item.get("value") is None:
                raise argerr(f"invalid data[{item}], each needs a metricName and a value")
            labels = item.get("labels") or {}
            if not isinstance(labels, dict):
                raise argerr(f"invalid labels[{labels}] of metric[{item['metricName']}], they must be a map")
            try:
                value = float(item["value"])
            except (TypeError, ValueError):
                raise argerr(f"invalid value[{item['value']}] of metric[{item['metricName']}]") from None
            rows.append((namespace, str(item["metricName"]), json.dumps({str(k): str(v) for k, v in labels.items()},
                                                                        sort_keys=True),
                         value, as_int(item.get("time"), now)))
        with self.store.transaction() as cur:
            cur.executemany(f"INSERT INTO {_TABLE} VALUES (?, ?, ?, ?, ?)", rows)
        return {}

    def delete(self, params: dict) -> dict:
        namespace, metric = self.need(params, "namespace"), self.need(params, "metricName")
        if namespace in SYSTEM:
            raise argerr(f"the metric data of the system namespace[{namespace}] can not be deleted")
        ok = label_filter(as_items(params.get("labels")))
        _, rows = self.store.read(f"SELECT rowid, labels FROM {_TABLE} WHERE namespace = ? AND metricName = ?",
                                  [namespace, metric])
        gone = [r[0] for r in rows if ok(json.loads(r[1]))]
        with self.store.transaction() as cur:
            cur.executemany(f"DELETE FROM {_TABLE} WHERE rowid = ?", [(g,) for g in gone])
        return {}

    def _stored(self, namespace: str, metric: str, start: int, end: int) -> list[dict]:
        _, rows = self.store.read(f"SELECT value, time, labels FROM {_TABLE} WHERE namespace = ? AND metricName = ? "
                                  "AND time BETWEEN ? AND ? ORDER BY time, rowid", [namespace, metric, start, end])
        return [{"value": v, "time": t, "labels": json.loads(labels)} for v, t, labels in rows]

    # --- the model ---------------------------------------------------------------------------
    def _resources(self, namespace: str) -> list[dict]:
        _, table, _ = SYSTEM[namespace]
        if table == "VmInstanceInventory":
            return self.rows(table, "state = 'Running'")
        return self.rows(table, "status = 'Connected'")

    def _host_load(self) -> dict[str, tuple[int, int]]:
        _, rows = self.store.read("SELECT hostUuid, COALESCE(SUM(cpuNum), 0), COALESCE(SUM(memorySize), 0) FROM "
                                  "\"VmInstanceInventory\" WHERE state = 'Running' GROUP BY hostUuid")
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def model_value(self, namespace: str, metric: str, res: dict, t: int, load=None) -> float:
        """The model's value of ``metric`` for resource ``res`` at time ``t`` (seconds)."""
        s = _seed(namespace, metric, res["uuid"])
        wave = math.sin(2 * math.pi * ((t % 86400) / 86400 + (s % 1000) / 1000))
        if namespace == "ZStack/Host":
            cpus, memory = (load or {}).get(res["uuid"], (0, 0))
            total_cpu = max(1, int(res.get("cpuNum") or 1))
            total_mem = max(1, int(res.get("totalMemoryCapacity") or 1))
            base = {"CPUUsedUtilization": 100.0 * min(cpus, total_cpu) / total_cpu * 0.6 + 3,
                    "MemoryUsedInPercent": 100.0 * min(memory, total_mem) / total_mem + 2,
                    "MemoryUsedBytes": float(memory + total_mem * 0.02),
                    "DiskUsedCapacityInPercent": 20.0 + s % 30}[metric]
        else:
            memory = int(res.get("memorySize") or 0)
            share = 0.3 + (s % 50) / 100
            base = {"CPUUsedUtilization": 5.0 + s % 40, "MemoryUsedInPercent": 100 * share,
                    "MemoryUsedBytes": memory * share, "DiskUsedCapacityInPercent": 15.0 + s % 60}[metric]
        swing = 0.0
        if metric == "CPUUsedUtilization":  # the time of day, and a minute-to-minute jitter (deterministic)
            jitter = (_seed(res["uuid"], str(t // 60)) % 1000) / 1000 - 0.5
            swing = 0.1 * base * wave + 0.1 * base * jitter
        value = base + swing
        return round(min(value, 100.0) if metric.endswith(("Percent", "Utilization")) else value, 2)

    def _modelled(self, namespace: str, metric: str, start: int, end: int, period: int, ok) -> list[dict]:
        label, _, metrics = SYSTEM[namespace]
        if metric not in metrics:
            return []
        load = self._host_load() if namespace == "ZStack/Host" else None
        out = []
        first = -(-start // period) * period
        for res in self._resources(namespace):
            labels = {label: res["uuid"]}
            if not ok(labels):
                continue
            for t in range(first, end + 1, period):
                out.append({"value": self.model_value(namespace, metric, res, t, load), "time": t, "labels": labels})
                if len(out) >= _MAX_POINTS:
                    return out
        return out

    # --- reads -------------------------------------------------------------------------------
    def _window(self, params: dict) -> tuple[int, int]:
        now = int(self.now())
        end = as_int(params.get("endTime"), now)
        start = as_int(params.get("startTime"))
        if start is None:
            start = end - as_int(params.get("offsetAheadOfCurrentTime"), 600)
        if start > end:
            raise argerr(f"startTime[{start}] is after endTime[{end}]")
        return start, end

    def points(self, namespace: str, metric: str, params: dict) -> list[dict]:
        start, end = self._window(params)
        period = as_int(params.get("period"), 60)
        if period <= 0:
            raise argerr(f"invalid period[{period}], it must be a positive number of seconds")
        ok = label_filter(as_items(params.get("labels")))
        found = [p for p in self._stored(namespace, metric, start, end) if ok(p["labels"])]
        if namespace in SYSTEM:
            found += self._modelled(namespace, metric, start, end, period, ok)
        return found

    def data(self, params: dict) -> dict:
        found = self.points(self.need(params, "namespace"), self.need(params, "metricName"), params)
        for cond in as_items(params.get("valueConditions")):
            m = _VALUE.match(str(cond))
            if not m:
                raise argerr(f"invalid valueCondition[{cond}], it must be like Value>50")
            op, limit = m.group(1), float(m.group(2))
            test = {">": float.__gt__, "<": float.__lt__, ">=": float.__ge__, "<=": float.__le__,
                    "=": float.__eq__, "==": float.__eq__, "!=": float.__ne__}[op]
            found = [p for p in found if test(float(p["value"]), limit)]
        for fn in as_items(params.get("functions")):
            found = self._apply(str(fn), found)
        return {"data": found}

    def _apply(self, text: str, found: list[dict]) -> list[dict]:
        m = _FUNCTION.match(text)
        if not m:
            raise argerr(f"invalid function[{text}]")
        name, args = m.group(1), dict(re.findall(r'(\w+)\s*=\s*"?([^",]+)"?', m.group(2)))
        if name == "limit":
            return found[:as_int(args.get("limit"), len(found))]
        if name == "top":
            return sorted(found, key=lambda p: -p["value"])[:as_int(args.get("num"), 10)]
        if name == "sort":
            by = args.get("by", "value")
            if by not in ("value", "time"):
                raise argerr(f"invalid function[{text}], sort by value or time")
            return sorted(found, key=lambda p: p[by], reverse=args.get("direction", "asc") == "desc")
        raise argerr(f"unknown function[{name}], the simulator knows limit, top and sort")

    def metadata(self, params: dict) -> dict:
        out = []
        for namespace, (label, _, metrics) in SYSTEM.items():
            for metric, desc in metrics.items():
                out.append({"namespace": namespace, "name": metric, "description": desc, "labelNames": [label]})
        _, rows = self.store.read(f"SELECT namespace, metricName, labels FROM {_TABLE} ORDER BY rowid")
        custom: dict[tuple[str, str], set] = {}
        for ns, metric, labels in rows:
            custom.setdefault((ns, metric), set()).update(json.loads(labels))
        out += [{"namespace": ns, "name": metric, "description": "", "labelNames": sorted(labels)}
                for (ns, metric), labels in custom.items()]
        if params.get("namespace"):
            out = [m for m in out if m["namespace"] == params["namespace"]]
        if params.get("name"):
            out = [m for m in out if m["name"] == params["name"]]
        return {"metrics": out}

    def label_values(self, params: dict) -> dict:
        names = [str(n) for n in as_items(self.need(params, "labelNames"))]
        probe = {**params, "labels": params.get("filterLabels"), "period": max(as_int(params.get("period"), 60), 60)}
        seen, out = set(), []
        for p in self.points(self.need(params, "namespace"), self.need(params, "metricName"), probe):
            row = {n: p["labels"][n] for n in names if n in p["labels"]}
            key = tuple(sorted(row.items()))
            if row and key not in seen:
                seen.add(key)
                out.append(row)
        return {"labels": out}

    def prometheus(self, params: dict) -> dict:
        vms = [self.get("VmInstanceInventory", u) for u in as_items(self.need(params, "vmUuids"))]
        expression = str(self.need(params, "expression"))
        metric = next((m for m in SYSTEM["ZStack/VM"][2] if re.search(rf"\b{m}\b", expression)), None)
        if metric is None:
            raise argerr(f"invalid expression[{expression}], it names no metric of ZStack/VM "
                         f"({', '.join(SYSTEM['ZStack/VM'][2])})")
        now = int(self.now())
        step = as_int(str(params.get("step") or "60").rstrip("s"), 60)
        if as_bool(params.get("instant")):
            times = [as_int(params.get("endTime"), now)]
        else:
            start, end = self._window(params)
            times = list(range(start, end + 1, max(step, 1)))[:_MAX_POINTS]
        out = {}
        for vm in vms:
            running = vm.get("state") == "Running"
            out[vm["uuid"]] = [{"time": t, "value": self.model_value("ZStack/VM", metric, vm, t)}
                               for t in times] if running else []
        return {"inventories": out}
