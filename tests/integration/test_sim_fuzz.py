"""Random and hostile requests against a simulator: none gets a 500, bounded in count and time."""

from __future__ import annotations

import json
import os
import random
import time

import pytest
import requests

from tests.conftest import login
from zcli.catalog import Catalog
from zcli.sim.server import start_in_thread

REQUESTS = int(os.environ.get("ZCLI_FUZZ_REQUESTS", "600"))
SECONDS = 90.0
HOSTILE = ["", " ", "%", "%" * 3000, "'", '"', "\\", "\x00", "a\udc80", "名字", "9" * 400, "-1", "1e999", "NaN",
           "true", "null", "[]", "{}", "../../etc", "x" * 300, "\u202e", "0" * 32, "=", "!=", "~=", "?=", ",,,"]
OPS = ["=", "!=", ">", "<", ">=", "<=", "?=", "!?=", "~=", "!~=", " is null", " not null", ""]


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return rng.choice(HOSTILE)
    if kind == 1:
        return rng.choice([0, -1, 2 ** 31, 2 ** 63, -(2 ** 64), int("7" * 60), 1.5, float(2 ** 70)])
    if kind == 2:
        return rng.choice([True, False, None])
    if kind in (3, 4):
        return "".join(rng.choice("abcXYZ-_:.%, 名") for _ in range(rng.randrange(12)))
    if kind in (5, 6):
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["name", "uuid", "x", "", "params"]): _value(rng, depth + 1) for _ in range(rng.randrange(4))}


def _request(rng: random.Random, catalog: Catalog, names: list[str], fields: dict[str, list[str]]):
    api = catalog.api(rng.choice(names))
    path = api.path
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + rng.choice(["0" * 32, "x", "%2F", "名", rng.choice(HOSTILE) or "y"]) + path[end + 1:]
    params: list[tuple[str, str]] = []
    body = None
    if api.query:
        known = fields.get(api.inventory or "", ["name"])
        for _ in range(rng.randrange(6)):
            name = rng.choice([*known, "vmNics.l3Network.name", "__systemTag__", "__tagUuid__", "nope.x", ""])
            params.append(("q", f"{name}{rng.choice(OPS)}{rng.choice([*HOSTILE, 'vm-1', '1'])}"))
        for key in rng.sample(["limit", "start", "count", "replyWithCount", "sort", "fields", "groupBy",
                               "filterName"], rng.randrange(4)):
            params.append((key, str(rng.choice([*HOSTILE, "+name", "-uuid", "name,uuid", "10", "applianceType:x"]))))
    elif api.method in ("GET", "DELETE"):
        params = [(p.name, str(_value(rng))) for p in api.params if rng.random() < 0.7]
    else:
        inner = {p.name: _value(rng) for p in api.params if rng.random() < 0.7}
        body = {api.body_key or "params": inner} if rng.random() < 0.9 else _value(rng)
    return api.method, path, params, body


@pytest.fixture(scope="module")
def target():
    handle = start_in_thread(port=0)
    yield handle, login(handle.url + "/v1")
    handle.stop()


def test_random_and_hostile_requests_never_get_a_500(target):
    handle, session = target
    catalog = Catalog()
    names = list(catalog.api_names)
    fields = {inv: list(catalog.fields(inv)) for inv in catalog.inventory_names}
    rng = random.Random(int(os.environ.get("ZCLI_FUZZ_SEED", "11")))
    http = requests.Session()
    auth = {"Authorization": f"OAuth {session}"}
    deadline = time.monotonic() + SECONDS
    sent = 0
    failures = []
    while sent < REQUESTS and time.monotonic() < deadline:
        method, path, params, body = _request(rng, catalog, names, fields)
        headers = dict(auth) if rng.random() < 0.9 else {"Authorization": rng.choice(["OAuth", "Basic x", "OAuth  "])}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass") if body is not None else None
        if data is not None and rng.random() < 0.05:
            data = data[: rng.randrange(len(data) + 1)]  # cut short: not JSON
        params = [(k, v.encode("utf-8", "surrogatepass")) for k, v in params]  # lone surrogates sent as their bytes
        path = path.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        r = http.request(method, f"{handle.url}/v1{path}", params=params, data=data, headers=headers, timeout=30)
        sent += 1
        if r.status_code >= 500 and r.status_code != 503:
            failures.append((method, path, params, body, r.status_code, r.text[:300]))
        if r.status_code == 503:
            assert r.json()["error"]["code"], r.text  # an ErrorCode, never a bare 503
        if r.status_code == 202 and "location" in r.text:
            job = http.get(r.json()["location"], timeout=30)
            assert job.status_code != 500, (method, path, body, job.text[:300])
    assert sent >= 100
    assert not failures, sorted({f[-1] for f in failures})[:10]
