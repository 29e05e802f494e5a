"""How much of the API the simulator carries out, measured by calling every non-query API.

Each API is called once, through :meth:`Simulator.handle` as an HTTP request would be, with its
required parameters filled from the demo world (a uuid of the kind the parameter names, the first
valid value, a number in range...), on a fresh copy of the world when the previous call changed it.
Its answer is classed:

* ``done``: 2xx, the simulator carried it out;
* ``refused``: an ErrorCode other than "Not supported": the simulator checked the call and refused it
  as the server would (a resource in the wrong state, already attached, not found...);
* ``unsupported``: "Not supported by the simulator", or no route at all.

``scripts/sim_coverage.py`` writes the table (IMPLEMENTATION_COVERAGE.md) from :func:`measure`;
a test regenerates it and fails when the committed one is stale.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from dataclasses import dataclass

NOT_SUPPORTED = "Not supported by the simulator"
_PREFIX = "/zstack/v1"
_BASE = "http://127.0.0.1:1/zstack"


@dataclass
class Outcome:
    """One API's measured answer."""

    api: str
    family: str
    how: str  # the mechanism that carries it out ("" when none claims it), or why none does
    result: str  # done, refused, unsupported
    status: int
    detail: str  # the error code and a short text for refused/unsupported


class _Headers(dict):
    def get(self, key, default=None):  # case-insensitive, as the HTTP layer's
        for k, v in self.items():
            if k.lower() == key.lower():
                return v
        return default


def _camel_suffixes(stem: str) -> list[str]:
    """``rootVolume`` → ``RootVolume``, ``Volume``: each shorter camel-case tail."""
    word = stem[:1].upper() + stem[1:]
    cuts = [0] + [i for i in range(1, len(word)) if word[i].isupper() and not word[i - 1].isupper()]
    return [word[i:] for i in cuts]


class Filler:
    """Values for an API's required parameters, taken from the world in a store."""

    def __init__(self, sim):
        self.sim = sim
        self.store = sim.store
        self._lower = {n.lower(): n for n in self.store.specs}
        self._first: dict[str, str | None] = {}

    def inventory_for(self, api, name: str, resource: str | None) -> str | None:
        """The inventory a uuid parameter names: its ``resourceType``, else its name's stem."""
        if resource:
            inv = self._lower.get(resource.lower().removesuffix("vo") + "inventory")
            if inv:
                return inv
        if name == "uuid":
            return self.sim.writer.inventory_of(api)
        stem = re.sub(r"Uuids?$", "", name)
        if stem == name:
            return None
        for suffix in _camel_suffixes(stem):
            inv = self._lower.get(suffix.lower() + "inventory")
            if inv:
                return inv
        # A family's kind whose prefix the API's name carries: projectUuid of AddIAM2VirtualIDsToProject → IAM2Project.
        for suffix in _camel_suffixes(stem):
            tail = suffix + "Inventory"
            found = sorted((n for n in self.store.specs if n.endswith(tail) and len(n) > len(tail)
                            and n[:-len(tail)] in api.name), key=len, reverse=True)
            if found:
                return found[0]
        return None

    def first(self, inv: str) -> str | None:
        if inv not in self._first:
            try:
                _, rows = self.store.read(f'SELECT uuid FROM "{inv}" ORDER BY rowid LIMIT 1')
            except sqlite3.Error:
                rows = []
            self._first[inv] = rows[0][0] if rows else None
        return self._first[inv]

    def value(self, api, p):
        if p.values:
            return p.values[0]
        kind = p.kind
        inv = self.inventory_for(api, p.name, p.resource)
        if inv is not None or p.name.lower().endswith(("uuid", "uuids")):
            found = (self.first(inv) if inv else None) or hashlib.md5(p.name.encode()).hexdigest()
            return [found] if kind == "list" else found
        if kind == "int":
            low = p.range[0] if p.range else 1
            return max(int(low), 1) if not p.range else int(low)
        if kind == "float":
            return 1.0
        if kind == "bool":
            return False
        if kind == "list":
            return ["sim-coverage"]
        if kind in ("map", "object"):
            return {}
        if "ip" in p.name.lower() and "description" not in p.name.lower():
            return "192.168.100.10"
        return "sim-coverage"

    def request(self, api) -> tuple[str, str, list[tuple[str, str]], bytes]:
        """(method, path, query pairs, body) for ``api`` with its required and path parameters filled."""
        values = {}
        for p in api.params:
            if p.required or p.location == "path" or "{" + p.name + "}" in api.path:
                values[p.name] = self.value(api, p)
        path = api.path
        for name in re.findall(r"{(\w+)}", path):
            v = values.pop(name, None)
            if v is None:
                v = hashlib.md5(name.encode()).hexdigest()
            path = path.replace("{" + name + "}", str(v[0] if isinstance(v, list) else v))
        if api.method in ("GET", "DELETE"):
            query = [(k, ",".join(map(str, v)) if isinstance(v, list) else str(v).lower()
                      if isinstance(v, bool) else str(v)) for k, v in values.items()]
            return api.method, path, query, b""
        body = {api.body_key: values} if api.body_key else {}
        return api.method, path, [], json.dumps(body).encode()


class Meter:
    """Calls APIs one at a time on copies of one demo world."""

    def __init__(self, scale: int = 1, seed: int = 1):
        from zcli.sim.server import open_simulator

        self.sim, _ = open_simulator(None, scale, seed)
        self.template = sqlite3.connect(":memory:", check_same_thread=False)
        self.session = self._login()
        with self.sim.store.lock:
            self.sim.store.conn.backup(self.template)
        self._clean = self.sim.store.conn.total_changes
        self.filler = Filler(self.sim)

    def _login(self) -> str:
        body = json.dumps({"logInByAccount": {"accountName": "admin",
                                              "password": hashlib.sha512(b"password").hexdigest()}}).encode()
        _, reply = self.sim.handle("PUT", _PREFIX + "/accounts/login", [], _Headers(), body, _BASE)
        return reply["inventory"]["uuid"]

    def _restore(self) -> None:
        if self.sim.store.conn.total_changes == self._clean:
            return
        with self.sim.store.lock:
            self.template.backup(self.sim.store.conn)
        self._clean = self.sim.store.conn.total_changes
        if not self.sim.auth.valid(self.session):
            self.session = self._login()
            with self.sim.store.lock:
                self.sim.store.conn.backup(self.template)
            self._clean = self.sim.store.conn.total_changes

    def call(self, api) -> tuple[int, object]:
        self._restore()
        method, path, query, body = self.filler.request(api)
        headers = _Headers({"Authorization": f"OAuth {self.session}"})
        status, reply = self.sim.handle(method, _PREFIX + path, query, headers, body, _BASE)
        if status == 202 and isinstance(reply, dict) and "location" in reply:
            job = reply["location"].rsplit("/", 1)[-1]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                status, reply = self.sim.handle("GET", f"{_PREFIX}/api-jobs/{job}", [], headers, b"", _BASE)
                if status != 202:
                    break
                time.sleep(0.001)
        return status, reply

    def close(self) -> None:
        self.sim.close()
        self.template.close()


def classify(status: int, reply) -> tuple[str, str]:
    if 200 <= status < 300:
        return "done", ""
    if isinstance(reply, dict):
        err = reply.get("error") or reply
        desc = str(err.get("description") or "")
        code = str(err.get("code") or "")
        details = str(err.get("details") or "")
        if desc == NOT_SUPPORTED:
            return "unsupported", details[:120]
        return "refused", f"{code} {details}"[:120]
    return "unsupported" if status in (404, 405) else "refused", f"HTTP {status}: {str(reply)[:100]}"


def mechanism(sim, api) -> str:
    """The name of the simulator's mechanism that answers ``api`` (its ``how``)."""
    from zcli.sim.logins import APIS

    if api.name in APIS:
        return "logins and sessions (zcli/sim/logins.py)"
    return sim.writer.plan(api)


def measure(scale: int = 1, seed: int = 1, names=None) -> list[Outcome]:
    """Call every non-query API (or ``names``) once; their outcomes, sorted by family and name."""
    meter = Meter(scale, seed)
    out = []
    try:
        catalog = meter.sim.catalog
        for name in names or catalog.api_names:
            api = catalog.api(name)
            if api.query:
                continue
            status, reply = meter.call(api)
            result, detail = classify(status, reply)
            how = mechanism(meter.sim, api)
            if result == "unsupported" and not how:
                detail = meter.sim.writer.mechanisms.why_not(api)
            out.append(Outcome(name, api.category or "other", how, result, status, detail))
    finally:
        meter.close()
    return sorted(out, key=lambda o: (o.family, o.api))


_UUID = re.compile(r"[0-9a-f]{32}")
_RESULT_MARK = {"done": "[X]", "refused": "[~]", "unsupported": "[ ]"}


def _clean(text: str) -> str:
    return _UUID.sub("…", text).replace("|", "\\|").replace("\n", " ").strip()


def render(outcomes: list[Outcome]) -> str:
    """The coverage table (Markdown), from :func:`measure`'s outcomes."""
    total = len(outcomes)
    counts = {k: sum(o.result == k for o in outcomes) for k in ("done", "refused", "unsupported")}
    pct = (lambda n: f"{100 * n / total:.1f}%") if total else (lambda n: "0%")
    families: dict[str, list[Outcome]] = {}
    for o in outcomes:
        families.setdefault(o.family, []).append(o)
    lines = [
        "# Simulator coverage",
        "",
        "Generated by `scripts/sim_coverage.py` from the catalogue and the simulator: do not edit by hand",
        "(`tests/unit/test_sim_coverage.py` fails when this file is stale). Every non-query API is called once",
        "through the simulator, with its required parameters filled from the demo world (a uuid of the kind the",
        "parameter names, the first valid value, a number in range), on a fresh copy of the world.",
        "",
        "- **[X] carried out**: the call succeeded and did what the API does, by the mechanism named;",
        "- **[~] refused**: the mechanism checked the call and refused it as the server would (most often: the demo",
        "  world holds no resource of the kind a parameter names, or it is in the wrong state) — it is carried out",
        "  when called with resources that exist;",
        "- **[ ] not supported**: the simulator answers \"Not supported by the simulator\" (SYS.1000), and why.",
        "",
        "Query APIs (every `Query*`) are all answered and are not listed.",
        "",
        "## Summary",
        "",
        "| | APIs | share |",
        "|---|---:|---:|",
        f"| non-query APIs | {total} | 100% |",
        f"| carried out | {counts['done']} | {pct(counts['done'])} |",
        f"| refused with the demo world's values | {counts['refused']} | {pct(counts['refused'])} |",
        f"| not supported | {counts['unsupported']} | {pct(counts['unsupported'])} |",
        "",
        "## By family",
        "",
        "| family | APIs | carried out | refused | not supported |",
        "|---|---:|---:|---:|---:|",
    ]
    for fam, items in sorted(families.items()):
        c = {k: sum(o.result == k for o in items) for k in counts}
        lines.append(f"| [{fam}](#{_anchor(fam)}) | {len(items)} | {c['done']} | {c['refused']} | {c['unsupported']} |")
    for fam, items in sorted(families.items()):
        lines += ["", f"## {fam}", ""]
        for o in items:
            how = o.how or "no mechanism"
            if o.result == "done":
                lines.append(f"- [X] {o.api} — {_clean(how)}")
            elif o.result == "refused":
                lines.append(f"- [~] {o.api} — {_clean(how)}; refused: {_clean(o.detail)}")
            else:
                why = _clean(o.detail) or "no mechanism carries it out"
                lines.append(f"- [ ] {o.api} — not supported: {why}" + (f" ({_clean(how)})" if o.how else ""))
    return "\n".join(lines) + "\n"


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")
