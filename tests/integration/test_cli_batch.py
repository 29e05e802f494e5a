"""Batches: one command a line, shell quoting, # comments, one session, stop at the first failure or go on."""

from __future__ import annotations

import json

import pytest

from tests.integration.clirun import Zcli


@pytest.fixture
def z(tmp_path, fresh_sim):
    return Zcli(tmp_path, ZCLI_URL=fresh_sim.url)


BATCH = """\
# log in, then use the session of this very run
LogInByAccount accountName=admin password=password

   # an indented comment, and a blank line above
CreateZone name='batch zone' description="made by a batch"
QueryZone name="batch zone" fields=name,description
"""


def test_batch_file_runs_each_line_in_one_session(z, tmp_path):
    path = tmp_path / "cmds.zcli"
    path.write_text(BATCH)
    ran = z.run("-o", "jsonl", "-f", str(path))
    assert ran.status == 0, ran.err
    lines = [json.loads(line) for line in ran.out.splitlines()]
    assert "uuid" in lines[0]  # the login's session
    assert lines[1]["name"] == "batch zone"  # the async create, awaited
    assert lines[2] == {"name": "batch zone", "description": "made by a batch"}
    assert len(z.session_files()) == 1


def test_batch_from_stdin(z):
    ran = z.run("-o", "value", "-f", "-", input="LogInByAccount accountName=admin password=password\n"
                                                   "QueryZone fields=name sortBy=name\n")
    assert ran.status == 0, ran.err
    assert ran.out.splitlines()[-2:] == ["zone-1", "华东区域"]


FAILING = """\
LogInByAccount accountName=admin password=password
QueryZone fields=name limit=1
StartVmInstance uuid=00000000000000000000000000000000
QueryZone fields=uuid limit=1
"""

TYPO = """\
LogInByAccount accountName=admin password=password
CreateZone name=never-made
QueryZone fields=name limit=1
QueryZone nmae=oops
QueryZne
set output yaml
set outptu yaml
help
"""


def test_batch_stops_at_the_first_failure(z, tmp_path):
    path = tmp_path / "fail.zcli"
    path.write_text(FAILING)
    ran = z.run("-o", "jsonl", "-f", str(path))
    assert ran.status == 1
    assert len(ran.out.splitlines()) == 2  # the login and the first query; nothing after line 3
    assert ran.err.startswith(f"zcli: {path}:3: ") and "SYS.1003" in ran.err


def test_keep_going_runs_everything_and_exits_with_the_first_failure(z, tmp_path):
    path = tmp_path / "fail.zcli"
    path.write_text(FAILING)
    ran = z.run("-o", "jsonl", "--keep-going", "-f", str(path))
    assert ran.status == 1
    assert len(ran.out.splitlines()) == 3  # the last query ran too
    errors = ran.err.splitlines()
    assert [e.split(":")[2] for e in errors] == ["3"]
    assert "SYS.1003" in errors[0]  # resource not found, as the server's PortApiValidator answers


@pytest.mark.parametrize("keep_going", [False, True])
def test_a_typo_anywhere_stops_the_batch_before_line_1_runs(z, tmp_path, keep_going):
    """Issue 9: a batch is parsed and checked whole before its first line is sent."""
    path = tmp_path / "typo.zcli"
    path.write_text(TYPO)
    ran = z.run("-o", "jsonl", *(["--keep-going"] if keep_going else []), "-f", str(path))
    assert ran.status == 2 and ran.out == ""
    errors = ran.err.splitlines()
    assert [e.split(":")[2] for e in errors] == ["4", "5", "7", "8"]  # every wrong line is named
    assert "nmae" in errors[0] and "QueryZone" in errors[1] and "set output FORMAT" in errors[2]
    assert "shell built-in" in errors[3]
    check = z.run("-o", "value", "-f", "-", input="LogInByAccount accountName=admin password=password\n"
                                                  "QueryZone name=never-made fields=uuid\n")
    assert check.out.splitlines()[1:] == []  # line 2 did not run: no zone was made


def test_a_batch_takes_set_output_connect_and_use(z, tmp_path, fresh_sim):
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(f'[profiles.here]\nurl = "{fresh_sim.url}"\n')
    ran = z.run("-f", "-", env={"ZCLI_CONFIG_DIR": str(config)},
                input="LogInByAccount accountName=admin password=password -o value\n"
                      "set output value\nQueryZone fields=name sortBy=name limit=1\n"
                      f"connect {fresh_sim.url}\nQueryZone fields=name sortBy=name limit=1\n"
                      "use here\nQueryZone fields=name sortBy=name limit=1 -o csv\n")
    assert ran.status == 0, ran.err
    assert ran.out.splitlines()[1:] == ["zone-1", "zone-1", "name", "zone-1"]


def test_batch_line_with_unbalanced_quote(z):
    ran = z.run("-f", "-", input="QueryZone name='oops\n")
    assert ran.status == 2 and "stdin:1" in ran.err and "quotation" in ran.err


def test_missing_batch_file_and_batch_with_a_command(z, tmp_path):
    ran = z.run("-f", str(tmp_path / "absent"))
    assert ran.status == 2 and "absent" in ran.err
    ran = z.run("-f", "-", "QueryZone", input="")
    assert ran.status == 2 and "QueryZone" in ran.err


def test_batch_lines_take_their_own_output_query_and_all(z):
    ran = z.run("-o", "json", "-f", "-", input="LogInByAccount accountName=admin password=password -o value\n"
                                               "QueryZone fields=name sortBy=name -o value\n"
                                               "QueryZone sortBy=name --query 'inventories[].[name]' --output=csv\n"
                                               "QueryZone fields=name sortBy=name --all limit=1 -o tsv\n"
                                               "QueryZone fields=name sortBy=name limit=1\n")
    assert ran.status == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[1:7] == ["zone-1", "华东区域", "zone-1", "华东区域", "name", "zone-1"]
    assert lines[7:] == ["华东区域", "{", '  "inventories": [', "    {", '      "name": "zone-1"', "    }", "  ]", "}"]


def test_a_batch_line_with_a_bad_option_value_is_a_usage_error(z):
    ran = z.run("-f", "-", input="QueryZone -o xml\n")
    assert ran.status == 2 and "stdin:1" in ran.err and "'xml'" in ran.err


@pytest.mark.parametrize("demo", [True, False])
def test_piped_stdin_without_f_reads_commands_as_a_batch(z, demo):
    login = "" if demo else "LogInByAccount accountName=admin password=password -o value\n"
    ran = z.run(*(["--demo"] if demo else []), input=login + "QueryZone fields=name sortBy=name\n"
                                                             "StartVmInstance uuid=nosuch\nQueryZone fields=uuid\n")
    assert ran.status == 1
    assert json.loads(ran.out[ran.out.index("{"):]) == {"inventories": [{"name": "zone-1"}, {"name": "华东区域"}]}
    assert ran.err.startswith("zcli: stdin:") and "nosuch" in ran.err and len(ran.err.splitlines()) == 1
    assert "\x1b" not in ran.out + ran.err and "Warning" not in ran.err and "zcli>" not in ran.out


@pytest.mark.parametrize("args", [["-f", "-"], []])
def test_a_secret_from_stdin_is_refused_when_the_batch_itself_is_stdin(z, args):
    """The batch's lines and ``password=@-`` cannot both come from stdin: refused before line 1 runs, exit 2."""
    ran = z.run("-o", "json", *args, input="CreateZone name=before\n"
                                           "LogInByAccount accountName=admin password=@-\npassword\n")
    assert ran.status == 2 and ran.out == "", ran
    assert "stdin:2: password=@-: the batch itself is read from standard input" in ran.err
    assert "password=@FILE" in ran.err
    assert "stdin:3:" in ran.err  # the line meant as the secret is a line of the batch: named as wrong too
    assert z.session_files() == []  # nothing ran


def test_a_batch_file_may_take_its_secret_from_stdin(z, tmp_path):
    path = tmp_path / "login.zcli"
    path.write_text("LogInByAccount accountName=admin password=@-\n")
    ran = z.run("-o", "json", "-f", str(path), input="password\n")
    assert ran.status == 0, ran
    assert len(z.session_files()) == 1
