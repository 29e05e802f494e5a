"""A client of the simulator for the integration tests that drive it as a user's script would: APIs by
name, with path variables filled, async jobs polled, and the checks of a success and of a refusal."""

from __future__ import annotations

import time

import requests

from zcli.catalog import Catalog


class Api:
    """Calls APIs by name: sync ones answer at once, async ones are polled at their api-jobs location."""

    def __init__(self, sim):
        self.base = sim.api
        self.catalog = Catalog()
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"OAuth {sim.session}"

    def __call__(self, api_name: str, /, **params) -> requests.Response:
        api = self.catalog.api(api_name)
        path = api.path
        for p in api.params:
            if f"{{{p.name}}}" in path:
                path = path.replace(f"{{{p.name}}}", str(params.pop(p.name)))
        url = self.base + path
        if api.method in ("GET", "DELETE"):
            # A list goes as one pair per item, as the SDK sends it (the server splits nothing at commas).
            r = self.http.request(api.method, url, params=params, timeout=10)
        else:
            r = self.http.request(api.method, url, json={api.body_key: params} if api.body_key else {}, timeout=10)
        if r.status_code != 202:
            return r
        location = r.json()["location"]
        deadline = time.monotonic() + 20
        while r.status_code == 202 and time.monotonic() < deadline:
            time.sleep(0.005)
            r = self.http.get(location, timeout=10)
        return r

    def ok(self, api_name: str, /, **params) -> dict:
        r = self(api_name, **params)
        assert r.status_code == 200, (api_name, r.status_code, r.text)
        return r.json()

    def refused(self, api_name: str, /, **params) -> dict:
        r = self(api_name, **params)
        assert r.status_code == 503, (api_name, r.status_code, r.text)
        err = r.json()["error"]
        assert err["description"] != "Not supported by the simulator", err
        return err

    def query(self, name: str, *conds: str) -> list[dict]:
        api = self.catalog.api(name)
        r = self.http.get(self.base + api.path, params=[("q", c) for c in conds], timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["inventories"]

    def one(self, name: str, *conds: str) -> dict:
        found = self.query(name, *conds)
        assert len(found) == 1, (name, conds, found)
        return found[0]


def new_vm(api, name: str, l3: str = "private-1") -> dict:
    return api.ok("CreateVmInstance", name=name,
                  instanceOfferingUuid=api.one("QueryInstanceOffering", "name=medium")["uuid"],
                  imageUuid=api.one("QueryImage", "name=centos-7.9")["uuid"],
                  l3NetworkUuids=[api.one("QueryL3Network", f"name={l3}")["uuid"]])["inventory"]


def put(writer, inventory: str, **row) -> dict:
    """Write a row of ``inventory`` as a host's agent or another system would report it (what no API makes:
    SCSI LUNs, RAID drives, routers...), into an in-process simulator's store; the row as written."""
    if "uuid" in writer.store.specs[inventory].kinds:
        return writer.create(inventory, row)
    now = writer.now()
    with writer.store.transaction() as cur:
        writer.store.insert_many(cur, inventory, [{"createDate": now, "lastOpDate": now, **row}])
    return row
