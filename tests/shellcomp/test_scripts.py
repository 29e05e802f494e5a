"""``zcli completion SHELL``, the files in completions/, and the hidden ``zcli __complete`` entry."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from tests.shellcomp.shells import COMPLETIONS, FILES
from zcli.completion.oneshot import Completions, parse_line
from zcli.completion.scripts import SCRIPTS, bash_lines, bash_word, complete_main, main
from zcli.completion.words import split_words


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completions_folder_is_what_zcli_completion_prints(shell):
    out = io.StringIO()
    assert main([shell], out=out) == 0
    on_disk = (COMPLETIONS / FILES[shell]).read_text(encoding="utf-8")
    assert on_disk == out.getvalue(), (
        f"completions/{FILES[shell]} is stale: run `zcli completion {shell} > completions/{FILES[shell]}`")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_command_prints_the_script(shell, shell_env):
    done = subprocess.run(["zcli", "completion", shell], env=shell_env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout == SCRIPTS[shell]


@pytest.mark.parametrize("argv", [[], ["tcsh"], ["bash", "zsh"]])
def test_a_wrong_shell_is_a_usage_error(argv):
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out=out, err=err) == 2
    assert out.getvalue() == ""
    assert "usage: zcli completion bash|zsh|fish" in err.getvalue()


def test_the_fast_path_imports_no_heavy_library(shell_env):
    """What ``zcli __complete`` runs goes through ``zcli.__main__`` without click, requests,
    prompt_toolkit or rich (each Tab is a new process)."""
    code = ("import sys; from zcli.__main__ import main; "
            "rc = main(['__complete', 'bash', 'zcli QueryVmInstance vmNics.l3Network.na']); sys.stdout.flush(); "
            "print('HEAVY', [m for m in ('click', 'requests', 'prompt_toolkit', 'rich') if m in sys.modules], rc)")
    done = subprocess.run([sys.executable, "-c", code], env=shell_env, capture_output=True, text=True, timeout=30)
    assert "HEAVY [] 0" in done.stdout, done.stdout + done.stderr
    assert "vmNics.l3Network.name" in done.stdout


def test_the_entry_never_fails_loudly(shell_env, tmp_path):
    (tmp_path / "config.toml").write_text("this is [not toml", encoding="utf-8")
    bad = {**shell_env, "ZCLI_CONFIG_DIR": str(tmp_path), "ZCLI_CATALOG": str(tmp_path / "missing.json")}
    for line in ("zcli --profile ", "zcli QueryVmInstance name=", "zcli 'unclosed \\"):
        out = io.BytesIO()
        assert complete_main(["fish", line], env=bad, out=out) == 0
        assert b"Traceback" not in out.getvalue()
    assert complete_main(["tcsh", "zcli "], env=bad, out=io.BytesIO()) == 2


def test_profiles_come_from_the_config_file(shell_env, tmp_path):
    (tmp_path / "config.toml").write_text('[profiles.lab]\nhost = "10.0.0.5"\n[profiles.prod]\nport = 8443\n')
    out = io.BytesIO()
    complete_main(["fish", "zcli --profile "], env={**shell_env, "ZCLI_CONFIG_DIR": str(tmp_path)}, out=out)
    assert out.getvalue().decode().split("\n")[1:3] == ["lab\tA profile of the config file.",
                                                         "prod\tA profile of the config file."]


def test_the_option_tables_match_the_commands():
    """Completion offers the options the CLI (click) and ``zcli sim`` (argparse) really take."""
    import click

    from zcli.cli import main as cli
    from zcli.completion.oneshot import OPTIONS, sim_options
    from zcli.sim.cli import parser

    ctx = click.Context(cli, **cli.context_settings)
    taken = {name for p in cli.get_params(ctx) if isinstance(p, click.Option) for name in p.opts}
    assert {n for o in OPTIONS for n in o.flags} == taken
    sim_taken = {s for a in parser()._actions for s in a.option_strings}
    assert {n for o in sim_options() for n in o.flags} == sim_taken


# --- the pure parts ------------------------------------------------------------------------------------
def test_parse_line_takes_options_before_and_after_the_api():
    parsed = parse_line("zcli -H mn -p 8443 QueryZone name=z --output=json --insecure na")
    assert parsed.options == {"host": "mn", "port": "8443", "output": "json", "insecure": "true"}  # by dest
    assert parsed.command.value == "QueryZone"
    assert [w.value for w in parsed.args] == ["name=z"]
    assert parsed.current.value == "na"
    assert parse_line("zcli --url ").pending.flags == ("--url",)


@pytest.mark.parametrize(("raw", "bash_part", "quote"), [
    ("name=ab", "ab", None),
    ("name=", "", None),
    ("a:b=c", "c", None),
    ("cpuNum>=4", "4", None),
    ("cpuNum\\>=4", "4", None),
    ("cpuNum\\>", "cpuNum\\>", None),
    ("name='x:y ", "x:y ", "'"),
    ('"q w', "q w", '"'),
    ("--output=js", "js", None),
])
def test_bash_word_is_what_readline_replaces(raw, bash_part, quote):
    assert bash_word(raw) == (bash_part, quote)


def test_bash_replies_keep_quotes_and_escape_blanks():
    from zcli.completion.oneshot import Candidate

    def replies(raw: str, values: list[str]) -> list[str]:
        _, current = split_words("zcli QueryVmInstance " + raw)
        return bash_lines(Completions([Candidate(v) for v in values], current=current))[1:]

    assert replies("name=my", ["name=my vm", "name=my-vm"]) == ["my\\ vm", "my-vm"]
    assert replies("name='my", ["name=my vm", "name=it's"]) == ["my vm"]  # in the quote: as is
    assert replies("name=", ["name=a;b"]) == ["a\\;b"]


def test_fish_gets_the_continuations_of_a_lone_word_that_goes_on(shell_env):
    """Fish adds a space after a lone candidate unless it ends with / = @ : . , - : a field waiting for
    its operator comes as its operators, so that fish inserts only what they share."""
    def fish(line: str) -> list[str]:
        out = io.BytesIO()
        complete_main(["fish", line], env=shell_env, out=out)
        return [row.partition("\t")[0] for row in out.getvalue().decode().split("\n")[1:] if row]

    got = fish("zcli QueryVmInstance cpuN")
    assert got[0] == "cpuNum" and {"cpuNum=", "cpuNum!=", "cpuNum>="} <= set(got)
    assert all(w.startswith("cpuNum") for w in got)
    assert set(fish("zcli QueryVmInstance type=U")) == {"type=UserVm", "type=null"}  # finished words: as they are
    assert fish("zcli QueryVmInstance limi") == ["limit="]  # ends with '=': fish adds no space itself


def test_bash_listing_carries_the_help_and_a_lone_reply_does_not():
    from zcli.completion.oneshot import Candidate

    _, current = split_words("zcli StartVmInstance uuid=")
    cands = [Candidate("uuid=aa11", "vm-1"), Candidate("uuid=bb2", "my vm")]
    result = Completions(cands, current=current)
    assert bash_lines(result)[1:] == ["aa11", "bb2"]  # a Tab that inserts: the words alone
    assert bash_lines(result, listing=True)[1:] == ["aa11  (vm-1)", "bb2   (my vm)"]
    assert bash_lines(Completions(cands[:1], current=current), listing=True)[1:] == ["aa11"]
