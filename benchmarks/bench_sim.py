"""Simulator figures at scale: load time of 100,000 VMs, query latencies over HTTP (medians of 7), the
configuration and capacity reads, and the throughput of 8 concurrent clients.

Run: .venv/bin/python benchmarks/bench_sim.py [SCALE]   (default 5000 = 100,000 VMs)
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import threading
import time

import requests

from zcli.sim.server import start_in_thread


def timed(http: requests.Session, url: str, params: list[tuple[str, str]], runs: int = 7) -> tuple[float, dict]:
    times, body = [], {}
    for _ in range(runs):
        t = time.perf_counter()
        r = http.get(url, params=params, timeout=60)
        times.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
        body = r.json()
    return statistics.median(times), body


def throughput(api: str, auth: str, clients: int = 8, seconds: float = 10.0) -> None:
    """Requests per second with ``clients`` threads, each on its own kept-alive connection, for a mix of
    reads: a page of VMs by state, a two-hop count, a VM by uuid path, a global config."""
    mix = [("/vm-instances", [("q", "state=Running"), ("limit", "20")]),
           ("/vm-instances", [("q", "vmNics.l3Network.name=pub"), ("count", "true")]),
           ("/global-configurations", [("q", "category=vm")]),
           ("/zones", [])]
    counts = [0] * clients
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        http = requests.Session()
        http.headers["Authorization"] = auth
        n = i
        while time.perf_counter() < stop:
            path, params = mix[n % len(mix)]
            n += 1
            if http.get(api + path, params=params, timeout=60).status_code != 200:
                errors[i] += 1
            counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    print(f"throughput, {clients} concurrent clients, mixed reads: {sum(counts) / took:,.0f} requests/s "
          f"({sum(counts):,} in {took:.1f} s, {sum(errors)} errors)")


def main(scale: int) -> None:
    t = time.perf_counter()
    handle = start_in_thread(scale=scale)
    load = time.perf_counter() - t
    try:
        api = handle.url + "/v1"
        password = hashlib.sha512(b"password").hexdigest()
        login = requests.put(f"{api}/accounts/login",
                             json={"logInByAccount": {"accountName": "admin", "password": password}}).json()
        http = requests.Session()
        http.headers["Authorization"] = f"OAuth {login['inventory']['uuid']}"
        vms = http.get(f"{api}/vm-instances", params={"count": "true"}).json()["total"]
        print(f"world: {vms:,} VMs (scale {scale}); load (seed + indexes) {load:.1f} s")
        cases = [
            ("simple: name=vm-99999", "/vm-instances", [("q", "name=vm-99999")]),
            ("simple: state=Stopped limit=20", "/vm-instances", [("q", "state=Stopped"), ("limit", "20")]),
            ("two-hop: vmNics.l3Network.name=pub limit=20", "/vm-instances",
             [("q", "vmNics.l3Network.name=pub"), ("limit", "20")]),
            ("two-hop + name~=qwen, limit=20", "/vm-instances",
             [("q", "vmNics.l3Network.name=pub"), ("q", "name~=%qwen%"), ("limit", "20")]),
            ("two-hop, 1000 rows (default limit)", "/vm-instances", [("q", "vmNics.l3Network.name=pub")]),
            ("groupBy=cpuNum over all VMs", "/vm-instances", [("groupBy", "cpuNum"), ("fields", "cpuNum")]),
            ("count: all VMs", "/vm-instances", [("count", "true")]),
            ("count: two-hop vmNics.l3Network.name=pub", "/vm-instances",
             [("q", "vmNics.l3Network.name=pub"), ("count", "true")]),
            ("count: four-hop vmNics.l3Network.l2Network.zone.name=zone-1", "/vm-instances",
             [("q", "vmNics.l3Network.l2Network.zone.name=zone-1"), ("count", "true")]),
        ]
        cases += [
            ("QueryGlobalConfig: all 310", "/global-configurations", [("limit", "1000")]),
            ("QueryGlobalConfig: name=vm.max.vcpu", "/global-configurations", [("q", "name=vm.max.vcpu")]),
            ("GetCpuMemoryCapacity all=true (Get* capacity read)", "/hosts/capacities/cpu-memory", [("all", "true")]),
            ("GetIpAddressCapacity all=true", "/ip-capacity", [("all", "true")]),
        ]
        for label, path, params in cases:
            ms, body = timed(http, api + path, params)
            size = body.get("total", len(body.get("inventories", body.get("capacityData", []))))
            print(f"{label:<62} {ms:8.1f} ms  ({size:,} {'total' if 'total' in body else 'rows'})")
        throughput(api, http.headers["Authorization"])
    finally:
        handle.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
