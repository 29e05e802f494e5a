"""A server older or newer than zcli's catalogue, played by ``zcli sim --server-version``: when the server says a
field or API does not exist, the message says that the server and the catalogue differ and names both versions
(the server's from GetVersion, asked once at login and kept with it)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import spawn_sim
from tests.integration.clirun import Zcli
from zcli.catalog import Catalog
from zcli.commands.context import catalogue_version


@pytest.fixture(scope="module")
def old_sim():
    running = spawn_sim("--server-version", "4.8.0")
    yield running
    running.stop()


@pytest.fixture
def z(tmp_path, old_sim):
    z = Zcli(tmp_path, ZCLI_URL=old_sim.url)
    assert z.run("LogInByAccount", "accountName=admin", "password=password").status == 0
    return z


def test_get_version_answers_the_version_the_simulator_was_given(z):
    ran = z.run("GetVersion", "-o", "json")
    assert ran.status == 0 and json.loads(ran.out)["version"] == "4.8.0", ran.out
    assert json.loads(z.run("whoami", "-o", "json").out)["serverVersion"] == "4.8.0"


def test_a_field_the_server_lacks_names_both_versions(z):
    ran = z.run("--no-validate", "QueryZone", "colour=red")
    assert ran.status != 0
    line = ran.err.strip().splitlines()[-1]
    assert "the server and zcli's catalogue differ" in line, ran.err
    catalogue = catalogue_version(Catalog().store.meta)
    assert catalogue and "server 4.8.0" in line and f"catalogue {catalogue}" in line, ran.err


def test_an_error_of_another_kind_names_no_versions(z):
    ran = z.run("QueryZone", "uuid=nosuch", "-o", "json")
    assert ran.status == 0 and "differ" not in ran.err
    ran = z.run("CreateZone", "name=" + "x" * 300)
    assert ran.status != 0 and "differ" not in ran.err and "4.8.0" not in ran.err, ran.err
