"""The simulator's ZQL over HTTP: statements, clauses, reply shape, errors, and the same rows as q=."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def http(sim, admin_session):
    s = requests.Session()
    s.headers["Authorization"] = f"OAuth {admin_session}"
    return s


@pytest.fixture(scope="module")
def zql(sim, http):
    def run(text: str, status: int = 200) -> dict:
        r = http.get(f"{sim.api}/zql", params={"zql": text}, timeout=20)
        assert r.status_code == status, r.text
        return r.json()

    return run


@pytest.fixture(scope="module")
def query(sim, http):
    def run(path: str, *conds: str) -> list[dict]:
        r = http.get(f"{sim.api}{path}", params=[("q", c) for c in conds] + [("limit", "100000")], timeout=20)
        assert r.status_code == 200, r.text
        return r.json()["inventories"]

    return run


def results(body: dict) -> list[dict]:
    assert set(body) == {"results", "schema"}
    return body["results"]


def test_query_all_fields_one_field_several_fields(zql, query):
    everything = query("/vm-instances")
    [r] = results(zql("query vminstance"))
    assert r["inventories"] == everything
    [r] = results(zql("query vminstance.name"))
    assert r["inventories"] == [{"name": v["name"]} for v in everything]
    [r] = results(zql("query vminstance.name,state"))
    assert r["inventories"] == [{"name": v["name"], "state": v["state"]} for v in everything]
    assert set(r) == {"inventories"}  # no total without return with (total): the server leaves it null


def test_schema_names_each_inventory_by_its_java_class(zql):
    body = zql("query zone; query vminstance.name limit 1")
    assert body["schema"]["results[0].inventories[0]"] == "org.zstack.header.zone.ZoneInventory"
    assert body["schema"]["results[1].inventories[0]"] == "org.zstack.header.vm.VmInstanceInventory"


def test_count_and_count_group_by(zql, query):
    vms = query("/vm-instances")
    [r] = results(zql("count vminstance"))
    assert r == {"total": len(vms)}
    [r] = results(zql("count vminstance group by state order by groupCount desc"))
    states: dict[str, int] = {}
    for v in vms:
        states[v["state"]] = states.get(v["state"], 0) + 1
    assert r["total"] == len(vms)
    # Gson writes a map with object keys as [key, value] pairs.
    assert r["inventoryCounts"] == sorted(([{"state": k}, n] for k, n in states.items()), key=lambda p: -p[1])


def test_sum_by(zql, query):
    vols = query("/volumes")
    [r] = results(zql("sum volume.size by type"))
    sums: dict[str, int] = {}
    for v in vols:
        sums[v["type"]] = sums.get(v["type"], 0) + v["size"]
    assert sorted(map(tuple, r["inventories"])) == sorted(sums.items())


def test_order_limit_offset_return_with_total_named_as_and_several_statements(zql, query):
    names = sorted((v["name"] for v in query("/vm-instances", "state=Running")), reverse=True)
    a, b = results(zql("query vminstance.name where state='Running' return with (total) order by name desc "
                       "limit 3 offset 1 named as 'running'; count zone named as 'zones'"))
    assert [i["name"] for i in a["inventories"]] == names[1:4]
    assert a["total"] == len(names) and a["name"] == "running"
    assert b == {"total": len(query("/zones")), "name": "zones"}


def test_or_parentheses_and_left_to_right_nesting(zql, query):
    running = {v["uuid"] for v in query("/vm-instances", "state=Running")}
    big = {v["uuid"] for v in query("/vm-instances", "cpuNum>=4")}
    every = {v["uuid"] for v in query("/vm-instances")}
    stopped = every - running

    def uuids(cond):
        return {i["uuid"] for i in results(zql(f"query vminstance.uuid where {cond}"))[0]["inventories"]}

    assert uuids("state='Running' or cpuNum>=4") == running | big
    assert uuids("state='Stopped' or state='Running' and cpuNum>=4") == (stopped | running) & big  # left to right
    assert uuids("state='Stopped' or (state='Running' and cpuNum>=4)") == stopped | (running & big)


def test_dotted_paths_has_subqueries_and_restrict_by(zql, query):
    pub = {v["uuid"] for v in query("/vm-instances", "vmNics.l3Network.name=pub")}
    [r] = results(zql("query vminstance.uuid where vmNics.l3Network.name='pub'"))
    assert {i["uuid"] for i in r["inventories"]} == pub
    nic = query("/vm-instances/nics")[0]
    [r] = results(zql(f"query vminstance.uuid where vmNics.ip has ('{nic['ip']}')"))
    assert {i["uuid"] for i in r["inventories"]} == {nic["vmInstanceUuid"]}
    [r] = results(zql(f"query vminstance.uuid where uuid in (query vmnic.vmInstanceUuid where ip = '{nic['ip']}')"))
    assert {i["uuid"] for i in r["inventories"]} == {nic["vmInstanceUuid"]}
    zone = query("/zones")[0]
    [r] = results(zql(f"query vminstance.uuid restrict by (zone.name = '{zone['name']}')"))
    assert {i["uuid"] for i in r["inventories"]} == {v["uuid"] for v in query("/vm-instances",
                                                                              f"zoneUuid={zone['uuid']}")}


def test_aggregate_functions_and_distinct(zql, query):
    cpus = [v["cpuNum"] for v in query("/vm-instances")]
    [r] = results(zql("query max(vminstance.cpuNum)"))
    assert r["inventoryAggregateFunctions"] == [[{"cpuNum": max(cpus)}, max(cpus)]]
    [r] = results(zql("query distinct(vminstance.state)"))
    assert sorted(i["state"] for i in r["inventories"]) == sorted({v["state"] for v in query("/vm-instances")})


@pytest.mark.parametrize("text,code,details", [
    ("query vminstanc", "SYS.1000", "cannot find inventory with name[vminstanc]"),
    ("query vminstance where nme='x'", "SYS.1000",
     "inventory class[class org.zstack.header.vm.VmInstanceInventory] not having field[nme]"),
    ("query vminstance where vmNics.foo.x='x'", "SYS.1000", "no expand query[foo] found on"),
    ("query vminstance where", "SYS.1000", "error expected '(' or a field name at line 1:22"),
    ("query vminstance order by foo desc", "SYS.1000", "doesn't have field[foo]"),
    ("query vminstance return with (zwatch)", "SYS.1000", "ReturnWithExtensionPoint dealing with zwatch"),
    ("search 'web'", "SEARCH.1000", "search module disabled"),
])
def test_errors_as_the_server_gives_them(zql, text, code, details):
    body = zql(text, status=503)
    assert body["error"]["code"] == code
    assert details in body["error"]["details"]


def test_an_invalid_session_is_refused(sim):
    r = requests.get(f"{sim.api}/zql", params={"zql": "query zone"}, headers={"Authorization": "OAuth nope"},
                     timeout=10)
    assert r.status_code == 503 and r.json()["error"]["code"] == "ID.1001"


# --- ZQL and q= give the same rows ---------------------------------------------------------------
# (ZQL operator, q= operator); values are ZQL literals and their q= text.
_OPS = [("=", "="), ("!=", "!="), (">", ">"), (">=", ">="), ("<", "<"), ("<=", "<="), ("like", "~="),
        ("not like", "!~="), ("in", "?="), ("not in", "!?="), ("is null", "is null"), ("is not null", "not null")]
_FIELDS = {"name": ["vm-1", "vm-2", "qwen-infer-1", "vm-%", "%infer%", "web"],
           "state": ["Running", "Stopped"], "cpuNum": ["1", "2", "4", "8"], "memorySize": ["1073741824", "0"],
           "type": ["UserVm", "ApplianceVm"], "vmNics.ip": ["10.0.0.2", "10.%", "192.168.%"],
           "vmNics.l3Network.name": ["pub", "private-1", "p%"], "zone.name": ["zone-1", "zone-2"],
           "allVolumes.type": ["Root", "Data"], "hostUuid": [""]}


def _zql_literal(field: str, value: str) -> str:
    return value if field in ("cpuNum", "memorySize") else "'" + value.replace("'", "''") + "'"


def _pair(field: str, ops: tuple[str, str], values: list[str]) -> tuple[str, str]:
    zop, qop = ops
    if zop in ("is null", "is not null"):
        return f"{field} {zop}", f"{field} {qop}"
    if zop in ("in", "not in"):
        return (f"{field} {zop} ({', '.join(_zql_literal(field, v) for v in values)})",
                f"{field}{qop}{','.join(values)}")
    return f"{field} {zop} {_zql_literal(field, values[0])}", f"{field}{qop}{values[0]}"


_CASES = [
    [("state", ("=", "="), ["Running"])],
    [("name", ("like", "~="), ["vm-%"]), ("cpuNum", (">=", ">="), ["2"])],
    [("vmNics.l3Network.name", ("=", "="), ["pub"]), ("state", ("!=", "!="), ["Stopped"])],
    [("zone.name", ("in", "?="), ["zone-1", "zone-2"])],
    [("name", ("not in", "!?="), ["vm-1", "vm-2"])],
    [("hostUuid", ("is null", "is null"), [])],
    [("hostUuid", ("is not null", "not null"), [])],
    [("allVolumes.type", ("=", "="), ["Data"])],
    [("vmNics.ip", ("not like", "!~="), ["10.%"])],
]


def _same_rows(zql, query, leaves):
    pairs = [_pair(*leaf) for leaf in leaves]
    text = "query vminstance.uuid where " + " and ".join(z for z, _ in pairs)
    [r] = results(zql(text))
    expected = [v["uuid"] for v in query("/vm-instances", *(qc for _, qc in pairs))]
    assert [i["uuid"] for i in r["inventories"]] == expected, text


@pytest.mark.parametrize("leaves", _CASES)
def test_zql_and_q_give_the_same_rows_table(zql, query, leaves):
    _same_rows(zql, query, leaves)


_LEAF = st.sampled_from(sorted(_FIELDS)).flatmap(
    lambda f: st.tuples(st.just(f), st.sampled_from(_OPS), st.lists(st.sampled_from(_FIELDS[f]), min_size=1,
                                                                     max_size=3, unique=True)))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_LEAF, min_size=1, max_size=3))
def test_zql_and_q_give_the_same_rows_generated(zql, query, leaves):
    _same_rows(zql, query, leaves)
