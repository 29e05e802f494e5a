"""Every failure has its documented status and one line; input is bounded (one-shot and batch, real CLI)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.integration.clirun import Zcli
from zcli.limits import MAX_LINE
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def one_line(ran) -> str:
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran.err
    assert ran.err.count("\n") == 1 and ran.err.startswith("zcli: "), ran.err
    return ran.err


@pytest.mark.parametrize("value,words", [("inf", "at most 604800"), ("1e309", "at most 604800"),
                                         ("1e20", "at most 604800"), ("-1", "more than 0"),
                                         ("nan", "more than 0")])
def test_bad_timeouts_are_usage_errors(z, value, words):
    for args in (["--timeout", value, "QueryZone"], [f"--timeout={value}", "QueryZone"]):
        ran = z.run(*args)
        assert ran.status == 2 and words in one_line(ran)
    ran = z.run("QueryZone", env={"ZCLI_TIMEOUT": value})
    assert ran.status == 2 and words in one_line(ran)


def test_timeout_0_is_no_limit(z):
    assert z.run("--timeout", "0", "QueryZone").status == 0


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1/zstack", "http://[zz]/zstack"])
def test_a_malformed_url_is_a_usage_error(z, url):
    ran = z.run("--url", url, "QueryZone")
    assert ran.status == 2 and url in one_line(ran)


def test_an_argument_that_is_not_utf8_is_a_usage_error(tmp_path, z):
    done = subprocess.run([sys.executable.encode(), b"-m", b"zcli", b"QueryZone", b"name=\xff\xfe"],
                          capture_output=True, env={**z.env, "ZCLI_URL": z.env["ZCLI_URL"]}, timeout=60)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "argument 2 is not valid UTF-8" in err and err.count("\n") == 1 and "Traceback" not in err


def test_an_empty_batch_name_is_an_error(z):
    ran = z.run("-f", "", input="QueryZone\n")
    assert ran.status == 2 and "-f needs a batch file name" in one_line(ran)
    assert ran.out == ""


def test_a_batch_from_dev_zero_stops_at_the_line_limit(z):
    ran = z.run("-f", "/dev/zero", timeout=60)
    assert ran.status == 2 and f"longer than {MAX_LINE} characters" in one_line(ran)


def test_an_endless_piped_line_stops_at_the_line_limit(z):
    proc = z.popen("-f", "-", stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        chunk = "x" * 65536
        for _ in range(MAX_LINE // len(chunk) + 2):
            proc.stdin.write(chunk)
        proc.stdin.flush()
    except BrokenPipeError:
        pass
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "stdin:1: the line is longer than" in err


def test_a_line_at_the_limit_is_read(tmp_path):
    import io

    from zcli.commands.lines import read_lines

    lines = list(read_lines(io.StringIO("a" * 10 + "\n" + "b" * 10), "f", limit=10))
    assert lines == ["a" * 10 + "\n", "b" * 10]
    with pytest.raises(Exception, match="longer than 10"):
        list(read_lines(io.StringIO("c" * 11), "f", limit=10))


def test_a_bom_at_the_start_of_a_batch_is_ignored(z, tmp_path):
    batch = tmp_path / "bom.txt"
    batch.write_bytes(b"\xef\xbb\xbfQueryZone fields=uuid -o value\n")
    ran = z.run("-f", str(batch))
    assert ran.status == 0, ran.err
    ran = z.run("-f", "-", input="\ufeffQueryZone fields=uuid -o value\n")
    assert ran.status == 0, ran.err


def test_an_internal_error_has_a_status_of_its_own(monkeypatch):
    import io

    from zcli import cli
    from zcli.core import Environment

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "start", broken)
    err = io.StringIO()
    status = cli.run(["QueryZone"], Environment(io.StringIO(), io.StringIO(), err, {}))
    assert status == 70
    assert err.getvalue() == "zcli: internal error: RuntimeError: a bug (run with --debug for the traceback)\n"


def test_readme_documents_the_internal_error_status():
    readme = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
    with open(readme, encoding="utf-8") as fh:
        assert "| 70 | internal error" in fh.read()
