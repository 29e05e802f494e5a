"""The simulator reads a GET's or DELETE's query string as the server's RestServer binds it
(``zcli/sim/query_bind.py``): ``name.key`` map entries, ``name.N`` list items, repeated names for collections,
a 400 for several values of a single-valued parameter or a repeated map key, unknown names ignored."""

from __future__ import annotations

import pytest
import requests

from zcli.catalog import Catalog
from zcli.sim.query_bind import BadQueryParameter, bind_query


@pytest.fixture(scope="module")
def http(sim, admin_session):
    s = requests.Session()
    s.headers["Authorization"] = f"OAuth {admin_session}"
    return s


def _hosts(sim, http) -> list[str]:
    r = http.get(f"{sim.api}/hosts", params={"limit": "3", "fields": "uuid"}, timeout=10)
    return [h["uuid"] for h in r.json()["inventories"]]


def _capacity(sim, http, query) -> dict:
    r = http.get(f"{sim.api}/hosts/capacities/cpu-memory", params=query, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_repeated_collection_parameter_arrives_whole(sim, http):
    a, b, _ = _hosts(sim, http)
    one, other = (_capacity(sim, http, [("hostUuids", h)])["totalCpu"] for h in (a, b))
    both = _capacity(sim, http, [("hostUuids", a), ("hostUuids", b)])
    assert both["totalCpu"] == one + other and one and other


def test_indexed_items_are_a_list_in_index_order(sim, http):
    a, b, _ = _hosts(sim, http)
    listed = _capacity(sim, http, [("hostUuids", a), ("hostUuids", b)])
    indexed = _capacity(sim, http, [("hostUuids.1", b), ("hostUuids.0", a)])
    assert indexed["totalCpu"] == listed["totalCpu"]


def test_a_comma_is_no_separator(sim, http):
    a, b, _ = _hosts(sim, http)
    r = http.get(f"{sim.api}/hosts/capacities/cpu-memory", params=[("hostUuids", f"{a},{b}")], timeout=10)
    assert r.status_code == 503, r.text  # one uuid, which names no host
    assert r.json()["error"]["code"] == "SYS.1003" and f"{a},{b}" in r.json()["error"]["details"]


def test_an_unknown_parameter_is_ignored(sim, http):
    a, *_ = _hosts(sim, http)
    assert _capacity(sim, http, [("hostUuids", a), ("noSuchParameter", "x")]) == \
        _capacity(sim, http, [("hostUuids", a)])


def test_several_values_of_a_single_valued_parameter_are_a_400(sim, http):
    r = http.get(f"{sim.api}/hosts/capacities/cpu-memory", params=[("all", "true"), ("all", "false")], timeout=10)
    assert r.status_code == 400
    assert r.text == ("Invalid query parameter[all], only one value is allowed for the parameter but multiple "
                      "values found")


def test_a_map_of_single_values_takes_one_value_a_key(sim, http, admin_session):
    r = http.delete(f"{sim.api}/accounts/sessions/{'0' * 32}", params=[("clientInfo.agent", "a"),
                                                                     ("clientInfo.agent", "b")], timeout=10)
    assert r.status_code == 400 and "Invalid query parameter[clientInfo.agent], only one value" in r.text


def test_a_map_key_given_twice_is_a_400(sim, http):
    l3 = http.get(f"{sim.api}/l3-networks", params={"limit": "1"}, timeout=10).json()["inventories"][0]["uuid"]
    r = http.delete(f"{sim.api}/l3-networks/{l3}/network-services",
                    params=[("networkServices.p.x", "DHCP"), ("networkServices.p.y", "DNS")], timeout=10)
    assert r.status_code == 400
    assert r.text == ("duplicate map query parameter[networkServices.p.y], there has been a parameter with the same "
                      "map key")


@pytest.mark.parametrize("pairs, bound", [
    ([("networkServices.prov1", "DHCP"), ("networkServices.prov1", "DNS"), ("networkServices.prov2", "Eip")],
     {"networkServices": {"prov1": ["DHCP", "DNS"], "prov2": ["Eip"]}}),
    ([("networkServices.prov1.extra", "DHCP")], {"networkServices": {"prov1": ["DHCP"]}}),  # cut at its dots
    ([("l3NetworkUuid", "u"), ("bogus.k", "v"), ("bogus", "w")], {"l3NetworkUuid": "u"}),
    ([("systemTags", "a::b"), ("systemTags", "c::d")], {"systemTags": ["a::b", "c::d"]}),
], ids=["map-of-lists", "key-cut-at-dot", "unknown-ignored", "common-list"])
def test_binding_table(pairs, bound):
    api = Catalog().api("DetachNetworkServiceFromL3Network")
    assert bind_query(api, pairs) == bound


def test_binding_a_map_of_single_values():
    api = Catalog().api("LogOut")
    assert bind_query(api, [("clientInfo.agent", "zcli"), ("clientInfo.host", "h")]) == \
        {"clientInfo": {"agent": "zcli", "host": "h"}}
    with pytest.raises(BadQueryParameter, match="only one value"):
        bind_query(api, [("clientInfo.agent", "a"), ("clientInfo.agent", "b")])
