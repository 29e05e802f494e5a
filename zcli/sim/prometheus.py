"""The Prometheus queries a ZStack management node passes through to its Prometheus, answered from the world's
metrics model (:mod:`zcli.sim.metrics`: the points PutMetricData stored and the model of running VMs and
Connected hosts).

What the simulator chose (the pass-through is closed source): a ZStack metric is the Prometheus series
``<namespace with _ for />_<metric>`` (``ZStack_VM_CPUUsedUtilization``), its labels the metric's
(``VMUuid``, ``HostUuid``...). The answers take Prometheus's own shapes:

* ``PrometheusQueryPassThrough``: an expression that is a selector (``name``, ``name{Label="v"}``, with ``=``,
  ``!=``, ``=~``, ``!~``), optionally inside one of sum, avg, min, max or count; ``instant`` (or no window) is a
  ``vector`` at ``endTime`` (now by default), otherwise a ``matrix`` from ``startTime`` (or ``relativeTime``
  seconds, ``10m``/``1h`` forms too, before the end) every ``step``; other PromQL is refused;
* ``PrometheusQueryLabelValues``: each label named → its values over the series (``__name__``: the names);
* ``PrometheusQueryMetadata``: each selector of ``matches`` → the label sets of the series it selects.
"""

from __future__ import annotations

import re

from zcli.sim.acting import Family
from zcli.sim.failures import argerr
from zcli.sim.metrics import SYSTEM, label_filter
from zcli.sim.naming import as_list

_SELECTOR = re.compile(r"^\s*([A-Za-z_:][\w:]*)\s*(?:\{(.*)\})?\s*$")
_AGGREGATE = re.compile(r"^\s*(sum|avg|min|max|count)\s*\((.*)\)\s*$", re.S)
_MATCHER = re.compile(r'\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?')
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def series_name(namespace: str, metric: str) -> str:
    return f"{namespace.replace('/', '_')}_{metric}"


def _seconds(text, default: int) -> int:
    if text in (None, ""):
        return default
    m = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", str(text))
    if not m:
        raise argerr(f"invalid duration[{text}], it must be like 60, 60s, 10m or 1h")
    return int(m.group(1)) * _UNITS[m.group(2) or "s"]


class Prometheus(Family):
    kind = "prometheus"

    def table(self) -> dict:
        return {"PrometheusQueryPassThrough": ("a selector (or its sum/avg/min/max/count) over the metrics model",
                                               self.query),
                "PrometheusQueryLabelValues": ("the values of the labels over the model's series", self.label_values),
                "PrometheusQueryMetadata": ("the label sets of the series each selector selects", self.series)}

    def _metrics(self):
        return self.writer.mechanisms.more_of("metrics")

    def _names(self) -> dict[str, tuple[str, str]]:
        names = {series_name(ns, m): (ns, m) for ns, (_, _, metrics) in SYSTEM.items() for m in metrics}
        for item in self._metrics().metadata({})["metrics"]:
            names.setdefault(series_name(item["namespace"], item["name"]), (item["namespace"], item["name"]))
        return names

    def _select(self, text: str) -> tuple[str, str, list[str]]:
        m = _SELECTOR.match(text)
        if not m:
            raise argerr(f"invalid expression[{text}]: the simulator evaluates a selector, or sum, avg, min, max or "
                         "count of one")
        name, body = m.group(1), m.group(2) or ""
        known = self._names()
        if name not in known:
            raise argerr(f"unknown metric[{name}]; the series are {', '.join(sorted(known))}")
        conds, rest = [], body
        while rest.strip():
            mm = _MATCHER.match(rest)
            if not mm:
                raise argerr(f"invalid label matcher[{rest.strip()}] in {text}")
            conds.append(f"{mm.group(1)}{mm.group(2)}{mm.group(3)}")
            rest = rest[mm.end():]
        return (*known[name], conds)

    def _points(self, text: str, start: int, end: int, step: int) -> list[tuple[dict, list[tuple[int, float]]]]:
        namespace, metric, conds = self._select(text)
        label_filter(conds)  # refuses a malformed matcher as the metrics reads do
        found = self._metrics().points(namespace, metric, {"startTime": start, "endTime": end, "period": step,
                                                           "labels": conds})
        by_series: dict[tuple, tuple[dict, list]] = {}
        for p in found:
            labels = {"__name__": series_name(namespace, metric), **p["labels"]}
            key = tuple(sorted(labels.items()))
            by_series.setdefault(key, (labels, []))[1].append((int(p["time"]), float(p["value"])))
        return list(by_series.values())

    def query(self, params: dict):
        expression = str(params.get("expression") or "")
        agg = _AGGREGATE.match(expression)
        inner = agg.group(2) if agg else expression
        now = int(self.writer.clock.time())
        end = int(params["endTime"]) if params.get("endTime") not in (None, "") else now
        step = max(_seconds(params.get("step"), 60), 1)
        instant = params.get("instant") is True or str(params.get("instant")).lower() == "true" or (
            params.get("startTime") in (None, "") and params.get("relativeTime") in (None, ""))
        start = end if instant else (int(params["startTime"]) if params.get("startTime") not in (None, "")
                                     else end - _seconds(params.get("relativeTime"), 600))
        if start > end:
            raise argerr(f"startTime[{start}] is after endTime[{end}]")
        series = self._points(inner, end - step if instant else start, end, step)
        if agg:
            fn = agg.group(1)
            times: dict[int, list[float]] = {}
            for _, values in series:
                for t, v in values:
                    times.setdefault(t, []).append(v)
            reduce = {"sum": sum, "min": min, "max": max, "count": len, "avg": lambda vs: sum(vs) / len(vs)}[fn]
            series = [({}, [(t, float(reduce(vs))) for t, vs in sorted(times.items())])] if times else []
        if instant:
            result = [{"metric": labels, "value": [values[-1][0], repr(values[-1][1])]}
                      for labels, values in series if values]
            return {"inventories": {"resultType": "vector", "result": result}}
        result = [{"metric": labels, "values": [[t, repr(v)] for t, v in values]} for labels, values in series]
        return {"inventories": {"resultType": "matrix", "result": result}}

    def _all_series(self) -> list[dict]:
        now = int(self.writer.clock.time())
        out = []
        for name in sorted(self._names()):
            out += [labels for labels, _ in self._points(name, now - 60, now, 60)]
        return out

    def label_values(self, params: dict):
        labels = as_list(params.get("labels"))
        if not labels:
            raise argerr("missing mandatory field[labels]")
        every = self._all_series()
        return {"inventories": {name: sorted({s[name] for s in every if name in s}) for name in labels}}

    def series(self, params: dict):
        matches = as_list(params.get("matches"))
        if not matches:
            raise argerr("missing mandatory field[matches]")
        now = int(self.writer.clock.time())
        return {"inventories": {m: [labels for labels, _ in self._points(m, now - 60, now, 60)] for m in matches}}
