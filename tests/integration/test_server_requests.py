"""Requests as the server reads them (issue 10), through the real CLI against ``zcli sim``."""

from __future__ import annotations

import json

import pytest

from tests.integration.clirun import Zcli, login_args

#: A loopback port nothing listens on: a command that reached the network would fail with exit 3 there.
DEAD = "http://127.0.0.1:9/zstack"


@pytest.fixture(scope="module")
def z(tmp_path_factory, sim):
    z = Zcli(tmp_path_factory.mktemp("req"), ZCLI_URL=sim.url)
    assert z.run(*login_args()).status == 0
    return z


@pytest.mark.parametrize("word", ["name=a!=b", "description=x>=y", "name==x", "name?=a\\,b", "createDate>garbage"])
def test_refused_before_anything_is_sent(z, word):
    ran = z.run("QueryVmInstance", word, "--url", DEAD)
    assert ran.status == 2, ran.err
    assert "cannot reach" not in ran.err
    ran = z.run("QueryVmInstance", word)
    assert ran.status == 2 and ran.out == ""


def test_a_timestamp_as_zcli_prints_it_can_be_typed_back(z):
    ran = z.run("QueryVmInstance", "limit=1", "-o", "json")
    vm = json.loads(ran.out)["inventories"][0]
    printed = vm["createDate"]  # e.g. "Dec 1, 2026 9:50:40 AM"
    ran = z.run("QueryVmInstance", f"uuid={vm['uuid']}", f"createDate={printed}", "-o", "json")
    assert ran.status == 0, ran.err
    assert [v["uuid"] for v in json.loads(ran.out)["inventories"]] == [vm["uuid"]]
    ran = z.run("QueryVmInstance", "createDate>2000-01-01", "count=true", "-o", "json")
    assert ran.status == 0 and json.loads(ran.out)["total"] > 0


def test_group_by_is_sent_with_a_note_on_stderr(z):
    ran = z.run("QueryVmInstance", "groupBy=state", "limit=2", "-o", "json")
    assert ran.status == 0, ran.err
    assert "ignores groupBy" in ran.err and "count vminstance group by" in ran.err
    assert len(json.loads(ran.out)["inventories"]) == 2


def test_a_map_on_delete_goes_as_name_dot_key_query_parameters(z):
    l3 = json.loads(z.run("QueryL3Network", "limit=1", "-o", "json").out)["inventories"][0]["uuid"]
    ran = z.run("--debug", "DetachNetworkServiceFromL3Network", f"l3NetworkUuid={l3}",
                'networkServices={"prov1":["DHCP","DNS"]}', "-o", "json")
    assert "('networkServices.prov1', 'DHCP'), ('networkServices.prov1', 'DNS')" in ran.err, ran.err
    assert "{'prov1'" not in ran.err  # no Python repr
