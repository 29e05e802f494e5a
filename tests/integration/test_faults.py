"""The real one-shot CLI against the fault server (tests/faults.py): every fault gives its documented exit
status and one line, never a traceback, never a raw escape, and nothing waits forever."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.faults import EVIL, SESSION, FaultServer
from tests.integration.clirun import Zcli
from zcli.sessions import SessionStore

#: A raw character from the server that must not reach stderr (messages are shown safe even when piped).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]")


@pytest.fixture(scope="module")
def faults():
    server = FaultServer()
    yield server
    server.stop()


@pytest.fixture
def z(tmp_path, faults):
    """``z(mode, *args)``: zcli against the fault mode, with a session kept for it."""
    store = SessionStore(tmp_path / "state")
    zcli = Zcli(tmp_path)

    def run(mode: str, *args: str, env: dict | None = None, timeout: float = 60):
        url = faults.url(mode)
        store.save(url, "admin", SESSION)
        started = time.monotonic()
        ran = zcli.run("--url", url, *args, env=env, timeout=timeout)
        ran.seconds = time.monotonic() - started
        return ran

    return run


def one_line(ran) -> str:
    assert "Traceback" not in ran.err, ran.err
    assert ran.err.count("\n") == 1, ran.err
    assert ran.err.startswith("zcli: "), ran.err
    assert RAW.search(ran.err) is None, repr(ran.err)
    return ran.err


def test_503_with_a_cause_chain_is_an_api_error_one_safe_line_a_level(z):
    ran = z("error503", "QueryZone")
    assert ran.status == 1
    assert "Traceback" not in ran.err and RAW.search(ran.err) is None, repr(ran.err)
    lines = ran.err.splitlines()  # the whole cause chain, one line a level (issue 10)
    assert lines[0].startswith("zcli: SYS.1006") and "Operation failed\\x1b]0;owned\\x07" in lines[0]
    assert [line.split(":")[0] for line in lines[1:]] == ["  caused by HOST.1001", "  caused by SYS.1000"]


def test_400_in_plain_text_is_an_api_error_on_one_safe_line(z):
    ran = z("text400", "QueryZone")
    assert ran.status == 1 and "Invalid request body\\x1b]0;owned" in one_line(ran)


@pytest.mark.parametrize("mode", ["text200", "html502"])
def test_a_reply_that_is_not_the_apis_is_a_transport_error(z, mode):
    ran = z(mode, "QueryZone")
    assert ran.status == 3
    assert "\\x1b" in one_line(ran)


def test_a_202_location_with_escapes_is_shown_safe(z):
    ran = z("location", "CreateZone", "name=z")
    assert ran.status == 1
    assert "\\x1b]0;owned" in one_line(ran)


@pytest.mark.parametrize("mode", ["stall", "trickle"])
def test_timeout_bounds_the_whole_command(z, mode):
    ran = z(mode, "--timeout", "2", "QueryZone")
    assert ran.status == 3
    assert "timed out after 2s" in one_line(ran)
    assert ran.seconds < 6, ran.seconds  # a trickle kept zcli past 25 s with a per-read timeout


def test_a_stuck_job_is_bounded_by_the_timeout(z):
    ran = z("stuck", "--timeout", "1.5", "CreateZone", "name=z")
    assert ran.status == 3
    assert "waiting for job J1" in one_line(ran) and "may still finish" in ran.err
    assert ran.seconds < 6


def test_a_stuck_job_without_timeout_is_bounded_by_the_apis_own_timeout(z):
    ran = z("stuck", "CreateZone", "name=z")  # apiTimeout 1.5 s: waits 1.5 s + 5 s grace + a tenth
    assert ran.status == 3 and "waiting for job J1" in one_line(ran)
    assert 6 < ran.seconds < 15, ran.seconds


def test_timeout_0_means_no_limit(z, faults):
    ran = z("text200", "--timeout", "0", "QueryZone")
    assert ran.status == 3 and "did not answer as the ZStack API does" in one_line(ran)


def test_a_reset_connection_is_a_transport_error(z):
    ran = z("reset", "QueryZone")
    assert ran.status == 3 and "cannot reach" in one_line(ran)


@pytest.mark.parametrize("mode", ["deep", "deep600"])
def test_a_reply_nested_past_the_limit_is_a_transport_error(z, mode):
    ran = z(mode, "QueryZone", "-o", "json")
    assert ran.status == 3 and "deeper than 512 levels" in one_line(ran)


@pytest.mark.parametrize("fmt", ["json", "yaml", "table", "csv", "tsv", "jsonl", "value"])
def test_a_deep_reply_within_the_limit_shows_in_every_format(z, fmt):
    ran = z("deep400", "QueryZone", "-o", fmt)
    assert ran.status == 0, ran.err
    assert ran.err == ""
    if fmt == "json":
        value = json.loads(ran.out)["inventories"]
        depth = 0
        while isinstance(value, list) and value:
            value, depth = value[0], depth + 1
        assert depth == 398  # 399 lists, the innermost empty


def test_a_gzip_bomb_is_refused_at_the_limit(z):
    ran = z("gzip", "QueryZone", "-o", "json", env={"ZCLI_MAX_REPLY_MB": "1"})
    assert ran.status == 3 and "larger than 1 MB" in one_line(ran) and "ZCLI_MAX_REPLY_MB" in ran.err


def test_the_reply_limit_can_be_raised(z):
    ran = z("gzip", "QueryZone", "-o", "value", "fields=name", env={"ZCLI_MAX_REPLY_MB": "100"})
    assert ran.status == 0, ran.err
    assert len(ran.out) == 64 * 1024 * 1024 + 1


def test_a_bad_reply_limit_is_a_usage_error(z):
    ran = z("evil", "QueryZone", env={"ZCLI_MAX_REPLY_MB": "lots"})
    assert ran.status == 2 and "ZCLI_MAX_REPLY_MB" in one_line(ran)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_piped_json_escapes_c1_and_bidi_and_keeps_the_data(z, fmt):
    ran = z("evil", "QueryZone", "-o", fmt)
    assert ran.status == 0
    assert RAW.search(ran.out) is None
    first = json.loads(ran.out.splitlines()[0]) if fmt == "jsonl" else json.loads(ran.out)["inventories"][0]
    assert first["name"] == "zone" + EVIL


@pytest.mark.parametrize("fmt", ["csv", "tsv", "value", "yaml"])
def test_piped_data_stays_exact(z, fmt):
    ran = z("evil", "QueryZone", "-o", fmt, "fields=name")
    assert ran.status == 0
    if fmt == "csv":
        import csv
        import io

        names = [row[0] for row in csv.reader(io.StringIO(ran.out, newline=""))]
    elif fmt == "yaml":
        import yaml

        names = [row["name"] for row in yaml.safe_load(ran.out)["inventories"]]
    else:
        names = ran.out.splitlines()
    assert "zone" + EVIL in names


def test_output_on_a_stream_that_cannot_encode_it_is_escaped_not_lost(z):
    ran = z("evil", "QueryZone", "-o", "value", "fields=description", env={"PYTHONIOENCODING": "ascii"})
    assert ran.status == 0, ran.err
    assert "\\u202e" in ran.out and "Traceback" not in ran.err


def test_query_runtime_errors_are_usage_errors_without_the_reply(z):
    ran = z("evil", "QueryZone", "--query", "abs(inventories)")
    assert ran.status == 2
    line = one_line(ran)
    assert "abs() expects number, not array" in line and "zone" not in line


def test_a_redirect_to_another_origin_is_not_followed(z, faults):
    before = len(faults.witness_seen)
    ran = z("redirect", "LogInByAccount", "accountName=admin", "password=secret-pw")
    assert ran.status == 3 and "another origin" in one_line(ran)
    assert "secret-pw" not in ran.err
    assert len(faults.witness_seen) == before  # nothing, not even the password's hash, reached it
