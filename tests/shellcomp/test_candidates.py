"""What Tab offers in bash, zsh and fish: the same situations in each shell, from the same engine.

Each case is a line (cursor at its end), words that must be offered and words that must not. Words are
whole words as they end up on the line; bash's replies are turned back into whole words (bash
replaces only the part after the last ``=``, ``:``, ``<`` or ``>``, escaped), and some raw bash
replies are checked as well.
"""

from __future__ import annotations

import re

import pytest

from tests.shellcomp.shells import bash_complete, fish_complete

FORMATS = ["table", "json", "yaml", "csv", "tsv", "jsonl", "value"]
GLOBAL_OPTIONS = ["-H", "--host", "-p", "--port", "--url", "--profile", "-o", "--output", "--query", "--all",
                  "--timeout", "--insecure", "--ca-bundle", "--no-color", "--no-validate", "--debug", "--version",
                  "-h", "--help", "-f", "--file", "--keep-going", "--demo"]

# (line, offered, not offered)
CASES = [
    # global options and their values
    ("zcli -", GLOBAL_OPTIONS, ["QueryVmInstance"]),
    ("zcli --o", ["--output"], ["--host", "-o"]),
    ("zcli --no-", ["--no-color", "--no-validate"], ["--debug"]),
    ("zcli -o ", FORMATS, ["QueryVmInstance"]),
    ("zcli --output=js", ["--output=json", "--output=jsonl"], ["--output=yaml"]),
    ("zcli -H localhost -p 8080 --no-color QueryModelS", ["QueryModelService"], []),
    # first words: API names and the one-shot subcommands, never the zcli shell's built-ins
    ("zcli QueryModelS", ["QueryModelService", "QueryModelServiceInstanceGroup"], ["QueryVmInstance"]),
    ("zcli Cre", ["CreateVmInstance", "CreateAccount"], ["QueryVmInstance"]),
    ("zcli ", ["help", "completion", "sim", "QueryVmInstance", "CreateVmInstance"], ["exit", "history", "watch"]),
    ("zcli completion ", ["bash", "zsh", "fish"], []),
    ("zcli help QueryVmI", ["QueryVmInstance"], []),
    ("zcli sim --s", ["--scale", "--seed", "--session-timeout"], ["--url"]),
    # query fields
    ("zcli QueryModelService req", ["requestCpu", "requestMemory"], ["name"]),
    ("zcli QueryVmInstance ", ["uuid", "name", "state", "cpuNum", "vmNics.", "zone.", "limit=", "sortBy="], []),
    # cross-table paths at any depth
    ("zcli QueryVmInstance vmNics.", ["vmNics.ip", "vmNics.l3Network."], []),
    ("zcli QueryVmInstance vmNics.l3Network.", ["vmNics.l3Network.name", "vmNics.l3Network.uuid",
                                                "vmNics.l3Network.l2Network."], ["name"]),
    ("zcli QueryVmInstance vmNics.l3Network.l2Network.zone.na", ["vmNics.l3Network.l2Network.zone.name"], []),
    ("zcli -o json QueryVmInstance vmNics.l3Network.l2", ["vmNics.l3Network.l2NetworkUuid",
                                                          "vmNics.l3Network.l2Network."], []),
    # operators
    ("zcli QueryVmInstance cpuNum", ["cpuNum=", "cpuNum!=", "cpuNum>", "cpuNum>=", "cpuNum<=", "cpuNum?="],
     ["cpuNum~="]),
    ("zcli QueryVmInstance name!", ["name!=", "name!~=", "name!?="], ["name="]),
    # special keys and tag keys
    ("zcli QueryVmInstance sortD", ["sortDirection="], []),
    ("zcli QueryVmInstance sortDirection=", ["sortDirection=asc", "sortDirection=desc"], []),
    ("zcli QueryVmInstance li", ["limit="], []),
    ("zcli QueryVmInstance __", ["__systemTag__", "__userTag__", "__tagUuid__"], []),
    ("zcli QueryVmInstance sortBy=cpu", ["sortBy=cpuNum"], []),
    # enum and boolean values
    ("zcli QueryVmInstance type=", ["type=UserVm", "type=ApplianceVm"], []),
    ("zcli QueryL2Network isolated=", ["isolated=true", "isolated=false"], []),
    ("zcli QueryVmInstance count=", ["count=true", "count=false"], []),
    # parameters of non-query APIs, then their values
    ("zcli CreateVmInstance ", ["name=", "instanceOfferingUuid=", "imageUuid=", "l3NetworkUuids=", "systemTags="],
     ["uuid"]),
    ("zcli CreateVmInstance name=vm1 ima", ["imageUuid="], []),
    ("zcli CreateVmInstance strategy=", ["strategy=InstantStart", "strategy=JustCreate", "strategy=CreateStopped"],
     []),
    ("zcli StartVmInstance ", ["uuid=", "clusterUuid=", "hostUuid="], []),
]
IDS = [c[0].replace(" ", "_") or "empty" for c in CASES]


def bash_whole_words(line: str, replies: list[str]) -> set[str]:
    """Bash's replies as whole words: the part of the word bash keeps, plus the reply unescaped."""
    word = "" if line.endswith(" ") else line.split(" ")[-1]
    bash_word = re.split(r"[=:<>]", word)[-1]
    kept = word[: len(word) - len(bash_word)]
    return {kept + re.sub(r"\\(.)", r"\1", r) for r in replies}


def check(found: set[str], offered: list[str], absent: list[str]) -> None:
    missing = [w for w in offered if w not in found]
    assert not missing, f"missing {missing}; got {sorted(found)[:40]}"
    wrong = [w for w in absent if w in found]
    assert not wrong, f"should not offer {wrong}"


@pytest.mark.parametrize(("line", "offered", "absent"), CASES, ids=IDS)
def test_bash(line, offered, absent, shell_env):
    check(bash_whole_words(line, bash_complete(line, shell_env)), offered, absent)


@pytest.mark.parametrize(("line", "offered", "absent"), CASES, ids=IDS)
def test_fish(line, offered, absent, shell_env):
    check(set(fish_complete(line, shell_env)), offered, absent)


@pytest.mark.parametrize(("line", "offered", "absent"), CASES, ids=IDS)
def test_zsh(line, offered, absent, zsh):
    found, _ = zsh.complete(line)
    check(set(found), offered, absent)


# --- bash's own word: what readline replaces ---------------------------------------------------------
@pytest.mark.parametrize(("line", "replies"), [
    ("zcli QueryVmInstance type=", ["UserVm", "ApplianceVm"]),  # after '=': bash's word is empty
    ("zcli --output=ya", ["yaml"]),
    ("zcli QueryVmInstance cpuNum", ["cpuNum=", "cpuNum\\>=", "cpuNum\\!=", "cpuNum\\?="]),  # escaped for bash
    ("zcli QueryVmInstance vmNics.l3Network.l2Network.zone.na", ["vmNics.l3Network.l2Network.zone.name"]),
])
def test_bash_replies_are_cut_at_wordbreaks_and_escaped(line, replies, shell_env):
    got = bash_complete(line, shell_env)
    assert set(replies) <= set(got), got


def test_descriptions_reach_fish(shell_env):
    got = fish_complete("zcli QueryModelService requestC", shell_env)
    assert "Integer" in got["requestCpu"]
    assert "Output format" in fish_complete("zcli --outp", shell_env)["--output"]  # click's own help text


def test_file_options_fall_back_to_file_names(shell_env, tmp_path):
    (tmp_path / "ca-bundle.pem").write_text("x")
    line = f"zcli --ca-bundle {tmp_path}/ca-"
    assert bash_complete(line, shell_env) == [f"{tmp_path}/ca-bundle.pem"]
    assert f"{tmp_path}/ca-bundle.pem" in fish_complete(line, shell_env)
    assert f"{tmp_path}/ca-bundle.pem" in fish_complete(f"zcli -f {tmp_path}/ca-", shell_env)


def test_file_options_in_zsh(zsh, tmp_path):
    (tmp_path / "batch-file.txt").write_text("QueryZone\n")
    _, line = zsh.complete(f"zcli -f {tmp_path}/batch-")
    assert line == f"zcli -f {tmp_path}/batch-file.txt "
