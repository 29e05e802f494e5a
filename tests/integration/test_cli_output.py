"""Output of one-shot queries: JSON when piped (body less schema), every -o format, --query, --all paging."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.integration.clirun import Zcli
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path, ZCLI_URL=sim.url)


@pytest.fixture
def vms(sim, admin_session):
    import requests

    r = requests.get(f"{sim.api}/vm-instances", headers={"Authorization": f"OAuth {admin_session}"}, timeout=10)
    return r.json()["inventories"]


def test_piped_output_is_the_reply_less_schema(z, vms):
    ran = z.run("QueryVmInstance")
    assert ran.status == 0, ran.err
    reply = json.loads(ran.out)
    assert list(reply) == ["inventories"]
    assert reply["inventories"] == vms
    assert ran.err == ""


def test_json_keeps_non_ascii_text(z):
    ran = z.run("QueryZone", "-o", "json")
    assert "华东区域" in ran.out and "\\u" not in ran.out


def test_count_and_reply_with_count(z, vms):
    assert json.loads(z.run("QueryVmInstance", "count=true").out) == {"total": len(vms)}
    reply = json.loads(z.run("QueryVmInstance", "replyWithCount=true", "limit=2").out)
    assert reply["total"] == len(vms) and len(reply["inventories"]) == 2


def test_yaml(z):
    import yaml

    ran = z.run("QueryZone", "-o", "yaml", "sortBy=name")
    assert ran.status == 0
    assert [i["name"] for i in yaml.safe_load(ran.out)["inventories"]] == sorted(["zone-1", "华东区域"])


def test_csv_and_tsv_have_a_header(z, vms):
    ran = z.run("QueryVmInstance", "fields=uuid,name", "-o", "csv")
    rows = list(csv.reader(io.StringIO(ran.out)))
    assert rows[0] == ["uuid", "name"]
    assert rows[1:] == [[v["uuid"], v["name"]] for v in vms]
    ran = z.run("QueryVmInstance", "fields=uuid,name", "-o", "tsv")
    lines = ran.out.splitlines()
    assert lines[0] == "uuid\tname" and lines[1] == f"{vms[0]['uuid']}\t{vms[0]['name']}"


def test_value_prints_one_value_a_line(z, vms):
    ran = z.run("QueryVmInstance", "fields=uuid", "-o", "value")
    assert ran.out.splitlines() == [v["uuid"] for v in vms]


def test_jsonl_prints_one_inventory_a_line(z, vms):
    ran = z.run("QueryVmInstance", "-o", "jsonl")
    assert [json.loads(line) for line in ran.out.splitlines()] == vms


def test_table_when_asked(z, vms):
    ran = z.run("QueryVmInstance", "-o", "table", "limit=3", env={"COLUMNS": "100"})
    lines = ran.out.splitlines()
    assert lines[0].split()[:2] == ["uuid", "name"]
    assert all(len(line) <= 100 for line in lines)
    assert vms[0]["uuid"] in ran.out and "\x1b[" not in ran.out  # piped: no colour


def test_one_row_is_a_record(z, vms):
    ran = z.run("QueryVmInstance", f"uuid={vms[0]['uuid']}", "-o", "table")
    assert any(line.split(":")[0].strip() == "uuid" for line in ran.out.splitlines())


def test_query_projects_the_reply(z, vms):
    ran = z.run("QueryVmInstance", "--query", "inventories[].name")
    assert json.loads(ran.out) == [v["name"] for v in vms]
    ran = z.run("QueryVmInstance", "--query", "inventories[0].uuid", "-o", "value")
    assert ran.out.strip() == vms[0]["uuid"]
    ran = z.run("QueryVmInstance", "--query", "inventories[].{id: uuid, cpus: cpuNum}", "-o", "csv")
    assert ran.out.splitlines()[0] == "id,cpus"
    assert ran.out.splitlines()[1] == f"{vms[0]['uuid']},{vms[0]['cpuNum']}"


def test_bad_query_is_a_usage_error_before_sending(z):
    ran = z.run("QueryVmInstance", "--query", "inventories[?", "--debug")
    assert ran.status == 2
    assert "inventories[?" in ran.err and "debug: >" not in ran.err


def _debug_gets(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("debug: > GET")]


@pytest.mark.parametrize("fmt", ["jsonl", "value", "csv", "json"])
def test_all_follows_pages_to_the_end(z, vms, fmt):
    ran = z.run("QueryVmInstance", "--all", "limit=6", "fields=uuid,name", "-o", fmt, "--debug")
    assert ran.status == 0, ran.err
    gets = _debug_gets(ran.err)
    assert len(gets) == len(vms) // 6 + 1  # full pages, then the short last one
    assert "('start', '6')" in gets[1] and "('limit', '6')" in gets[1]
    uuids = [v["uuid"] for v in vms]
    if fmt == "jsonl":
        assert [json.loads(line)["uuid"] for line in ran.out.splitlines()] == uuids
    elif fmt == "value":
        assert [line.split("\t")[0] for line in ran.out.splitlines()] == uuids
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(ran.out)))
        assert rows[0] == ["uuid", "name"] and [r[0] for r in rows[1:]] == uuids  # one header
    else:
        assert [i["uuid"] for i in json.loads(ran.out)["inventories"]] == uuids


def test_all_with_start_and_query(z, vms):
    ran = z.run("QueryVmInstance", "--all", "limit=4", "start=10", "--query", "inventories[].uuid", "-o", "value")
    assert ran.out.splitlines() == [v["uuid"] for v in vms[10:]]


def test_all_refuses_non_queries(z):
    ran = z.run("--all", "CreateZone", "name=x")
    assert ran.status == 2 and "--all" in ran.err and "CreateZone" in ran.err


def test_output_from_env(z, vms):
    ran = z.run("QueryVmInstance", "fields=uuid", env={"ZCLI_OUTPUT": "value"})
    assert ran.out.splitlines() == [v["uuid"] for v in vms]


def _cells(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_table_columns_stay_aligned_with_cjk_text(z):
    ran = z.run("QueryZone", "-o", "table", "sortBy=name", env={"COLUMNS": "120"})
    header, _rule, *rows, count = ran.out.splitlines()
    assert count == "2 rows"
    assert [r.split()[1] for r in rows] == ["zone-1", "华东区域"]
    at = _cells(header[:header.index("state")])
    for row in rows:  # the state column starts at the same terminal cell in every row
        assert _cells(row[:row.index("Enabled")]) == at
    assert len({_cells(line) for line in [header, *rows]}) <= 2 and all(_cells(r) <= 120 for r in rows)


def test_nested_lists_are_compact_in_tables(z, vms):
    ran = z.run("QueryVmInstance", "fields=uuid,name,vmNics,allVolumes", "limit=2", "-o", "table")
    _header, _rule, *rows, count = ran.out.splitlines()
    assert count == "2 rows"
    assert len(rows) == 2 and "{" not in ran.out  # one line a row, no JSON dumped into cells
    for row, vm in zip(rows, vms[:2], strict=True):
        n = len(vm["vmNics"])
        assert row.split()[:2] == [vm["uuid"], vm["name"]] and f"[{n} item{'s' if n != 1 else ''}]" in row
