"""The plain option parser (no click: start-up time) agrees with the click command built from the same
table, leaves everything doubtful to click, and the plain path really never imports click."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.integration.clirun import Zcli
from zcli.cli import build_command
from zcli.options import VALUE_OPTIONS as OPTIONS
from zcli.options import defaults, parse_plain
from zcli.sessions import SessionStore

WORDS = ["QueryVmInstance", "name=vm-1", "cpuNum>=4", "password=x", "-", "--", "-x", "--bogus", "-ojson",
         "--output=json", "--output=xml", "--port=8080", "--port=0", "--all=1", "--host=", "-h", "--help",
         "--version", "json", "csv", "8080", "99999", "abc", "1.5", "-1", ""]
WORDS += [flag for option in OPTIONS for flag in option.flags]

COMMAND = build_command()


def click_parse(argv: list[str]) -> tuple[dict, list[str]]:
    ctx = COMMAND.make_context("zcli", list(argv))
    values = dict(ctx.params)
    return values, list(values.pop("words"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=7))
def test_plain_parse_agrees_with_click(argv):
    plain = parse_plain(argv)
    if plain is not None:
        assert plain == click_parse(argv)


@pytest.mark.parametrize("argv,values,words", [
    (["QueryZone"], {}, ["QueryZone"]),
    (["-H", "mn1", "-p", "8080", "QueryVmInstance", "state=Running", "-o", "json"],
     {"host": "mn1", "port": 8080, "output": "json"}, ["QueryVmInstance", "state=Running"]),
    (["QueryZone", "--all", "--timeout", "2.5", "--query", "inventories[].name", "--no-color"],
     {"all": True, "timeout": 2.5, "query": "inventories[].name", "no_color": True}, ["QueryZone"]),
    (["--url=https://mn:8443/zstack", "--profile", "lab", "--insecure", "--ca-bundle", "ca.pem", "--no-validate",
      "--debug", "QueryZone"], {"url": "https://mn:8443/zstack", "profile": "lab", "insecure": True,
                                "ca_bundle": "ca.pem", "no_validate": True, "debug": True}, ["QueryZone"]),
    (["-f", "-", "--keep-going"], {"batch": "-", "keep_going": True}, []),
    (["--demo"], {"demo": True}, []),
    ([], {}, []),
])
def test_the_common_command_lines_take_the_plain_path(argv, values, words):
    assert parse_plain(argv) == ({**defaults(), **values}, words)
    assert click_parse(argv) == ({**defaults(), **values}, words)


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--version"], ["QueryZone", "--bogus"], ["-o", "xml"],
                                  ["-p", "0"], ["--timeout", "soon"], ["-o"], ["--all=yes"], ["--", "-x"]])
def test_everything_doubtful_goes_to_click(argv):
    assert parse_plain(argv) is None


def test_a_plain_one_shot_command_never_imports_click(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    z = Zcli(tmp_path, ZCLI_URL=sim.url)
    code = ("import sys; from zcli.__main__ import main; status = main(sys.argv[1:]); "
            "sys.stderr.write(f'click imported: {\"click\" in sys.modules}\\n'); sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code, "QueryZone", "-o", "json", "fields=name"], env=z.env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "click imported: False\n"
    done = subprocess.run([sys.executable, "-c", code, "QueryZone", "-o", "xml"], env=z.env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "click imported: True" in done.stderr and "'xml'" in done.stderr
