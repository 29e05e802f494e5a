"""The catalogue as the server has it: ``@OverriddenApiParams`` applied (issue 10)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.integration.clirun import Zcli, login_args
from zcli.catalog import load_catalog
from zcli.grammar import parse_command

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "zstack-api.json"


def _overrides():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_catalog
    finally:
        sys.path.pop(0)
    return build_catalog


@pytest.mark.skipif(not REFERENCE.exists(), reason="the reference data is not beside the checkout")
def test_every_override_of_the_reference_is_in_the_committed_catalogue():
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    checks = ref["validation"]["javaSdk"]["overlapCrossCheck"]
    catalog = load_catalog()
    seen = 0
    for diff in checks["paramRequiredDiffs"]:
        param = catalog.api(diff["api"]).param(diff["param"])
        assert param.required is diff["javaSdk"], diff
        seen += 1
    for diff in checks["paramMaxLengthDiffs"]:
        assert catalog.api(diff["api"]).param(diff["param"]).max_length == diff["javaSdk"], diff
        seen += 1
    assert seen == 12


def test_apply_overrides_changes_the_entries_and_refuses_a_stale_one():
    build = _overrides()
    ref = {"apis": [{"name": "A", "params": [{"name": "url", "required": True}]}],
           "validation": {"javaSdk": {"overlapCrossCheck": {
               "paramRequiredDiffs": [{"api": "A", "param": "url", "catalogue": True, "javaSdk": False}]}}}}
    assert build.apply_overrides(ref) == ["A.url: required True -> False"]
    assert ref["apis"][0]["params"][0]["required"] is False
    ref["validation"]["javaSdk"]["overlapCrossCheck"]["paramRequiredDiffs"][0]["param"] = "gone"
    with pytest.raises(SystemExit):
        build.apply_overrides(ref)


@pytest.mark.parametrize("api, words", [
    ("AddCephPrimaryStorage", ["name=ceph", "zoneUuid=z", "monUrls=root:pw@10.0.0.1"]),
    ("AddCephBackupStorage", ["name=ceph", "monUrls=root:pw@10.0.0.1"]),
    ("CreateL2VxlanNetworkPool", ["name=pool", "zoneUuid=z"]),
])
def test_overridden_optional_parameters_may_be_left_out(api, words):
    assert parse_command([api, *words], load_catalog()).api.name == api


def test_add_ceph_primary_storage_without_url_reaches_the_simulator(tmp_path, fresh_sim):
    z = Zcli(tmp_path, ZCLI_URL=fresh_sim.url)
    assert z.run(*login_args()).status == 0
    zone = z.run("QueryZone", "-o", "value", "--query", "inventories[0].uuid").out.strip()
    ran = z.run("AddCephPrimaryStorage", "name=ceph", f"zoneUuid={zone}", "monUrls=root:pw@10.0.0.1", "-o", "json")
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["inventory"]["name"] == "ceph"
