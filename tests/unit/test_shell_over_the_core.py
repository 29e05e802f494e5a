"""The shell's leftovers of issue 9: ``watch`` runs each time through the one core and the one loop; the
question before destructive APIs has a config-file key; ``use`` of an insecure profile warns as the start does."""

from __future__ import annotations

import io
import json

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.unit.test_shell import ZONES, FakeClient, drive
from zcli.api.tls import INSECURE_WARNING
from zcli.catalog import Catalog
from zcli.commands import Context
from zcli.config import load_config, resolve
from zcli.core import Core, Environment, RunOptions
from zcli.errors import UsageError
from zcli.shell.app import Shell


@pytest.fixture
def ctx():
    """A connection whose client is the shell tests' fake (zones for QueryZone, every request recorded)."""
    return Context(catalog=Catalog(), client=FakeClient(), endpoint="http://mn:8080/zstack", account="admin")


def stop_after(runs: int):
    """A ``sleep`` for watch that presses Ctrl-C at its ``runs``-th pause."""
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == runs:
            raise KeyboardInterrupt

    return sleep


# --- watch: the one core, the one loop ---------------------------------------------------------------------
def test_a_watched_line_keeps_its_own_output_format_and_query(ctx):
    """Each run goes through Core.run, as every line: the line's own -o and --query apply (the shell's own
    run rendered in the shell's format, JSON here, whatever the line asked for)."""
    status, out, err, _ = drive(ctx, "watch 2 QueryZone fields=name -o value\rexit\r", sleep=stop_after(1))
    assert status == 0 and err == ""
    assert "zone-1\nzone-2" in out and "inventories" not in out, out
    status, out, err, _ = drive(ctx, "watch 2 QueryZone --query inventories[1].name\rexit\r", sleep=stop_after(1))
    assert status == 0 and err == ""
    assert "zone-2" in out and "zone-1" not in out, out


def test_a_watched_reply_is_masked_as_the_shell_shows_every_reply(ctx):
    ctx.client.send = lambda request, secrets=(): {"inventories": [{**ZONES[0], "password": "hunter2-secret"}]}
    status, out, err, _ = drive(ctx, "watch 2 QueryZone -o json\rexit\r", sleep=stop_after(1))
    assert status == 0 and err == ""
    assert "hunter2-secret" not in out and "*****" in out, out


def test_all_pages_are_masked_as_the_shell_shows_every_reply(ctx):
    ctx.client.send = lambda request, secrets=(): {"inventories": [{**ZONES[0], "password": "hunter2-secret"}]}
    status, out, err, _ = drive(ctx, "QueryZone --all -o json\rexit\r")
    assert status == 0 and err == ""
    assert "hunter2-secret" not in out and "*****" in out, out


def test_the_watch_builtin_drives_the_one_loop(ctx, monkeypatch):
    import zcli.shell.watch as watch_module

    calls = []
    monkeypatch.setattr(watch_module, "watch", lambda run, show, seconds, sleep, error_line: calls.append(
        (json.loads(run()), seconds)))
    status, _, err, _ = drive(ctx, "watch 3 QueryZone -o json\rexit\r")
    assert status == 0 and err == ""
    assert calls == [({"inventories": ZONES}, 3.0)]


# --- confirm: a config-file key ------------------------------------------------------------------------------
def shell_for(ctx, tmp_path, toml: str, keys: str, *, profile: str | None = None):
    """A shell over a core whose settings come from ``toml`` (and ``profile``), run on ``keys``."""
    (tmp_path / "config.toml").write_text(toml)
    env = {"ZCLI_CONFIG_DIR": str(tmp_path), "PAGER": "cat"}
    given = {"profile": profile} if profile else {}
    settings = resolve(given, env, load_config(tmp_path / "config.toml"))
    out, err = io.StringIO(), io.StringIO()
    environment = Environment(io.StringIO(), out, err, env, stdin_isatty=False, stdout_isatty=False,
                              stderr_isatty=False, columns=80)
    core = Core(environment, ctx, RunOptions(output="json"), settings=settings)
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        shell = Shell(core, input=pipe, output=DummyOutput(), history=InMemoryHistory(), live_fetch=lambda *a: [])
        assert shell.loop() == 0
    return shell, out.getvalue(), err.getvalue()


def deleted(ctx) -> list[str]:
    return [r.path.rsplit("/", 1)[-1] for r in ctx.client.requests if r.api.name == "DeleteZone"]


def test_confirm_false_in_the_config_file_stops_the_question(ctx, tmp_path):
    shell, out, err = shell_for(ctx, tmp_path, "confirm = false\n", "DeleteZone uuid=z1\rexit\r")
    assert shell.confirm is False and "Run it?" not in out and err == ""
    assert deleted(ctx) == ["z1"]  # run at once: no answer was read


def test_the_question_stays_without_the_key_and_a_profile_may_turn_it_off(ctx, tmp_path):
    toml = "[profiles.lab]\nurl = \"http://lab:8080/zstack\"\nconfirm = false\n"
    shell, out, _ = shell_for(ctx, tmp_path, toml, "DeleteZone uuid=z1\r\rexit\r")  # Enter alone: no
    assert shell.confirm is True and "not run" in out and deleted(ctx) == []
    shell, _, _ = shell_for(ctx, tmp_path, toml, "DeleteZone uuid=z1\rexit\r", profile="lab")
    assert shell.confirm is False and deleted(ctx) == ["z1"]


def test_use_takes_the_profiles_confirm(ctx, tmp_path):
    toml = "[profiles.lab]\nurl = \"http://lab:8080/zstack\"\nconfirm = false\n[profiles.ops]\nurl = \"http://ops:8080/zstack\"\n"
    shell, out, _ = shell_for(ctx, tmp_path, toml, "use lab\rexit\r")
    assert shell.confirm is False and "connected to http://lab:8080/zstack" in out
    shell, _, _ = shell_for(ctx, tmp_path, toml, "set confirm off\ruse ops\rexit\r")
    assert shell.confirm is True  # every setting from the profile: ops asks again


def test_confirm_must_be_a_boolean(tmp_path):
    (tmp_path / "config.toml").write_text('confirm = "no"\n')
    with pytest.raises(UsageError, match="'confirm' has the wrong type"):
        load_config(tmp_path / "config.toml")


# --- use: the insecure warning ---------------------------------------------------------------------------------
def test_use_of_an_insecure_profile_warns_as_the_start_does(ctx, tmp_path):
    toml = "[profiles.lab]\nurl = \"https://lab:8443/zstack\"\ninsecure = true\n"
    _, out, err = shell_for(ctx, tmp_path, toml, "use lab\rexit\r")
    assert err.count(INSECURE_WARNING) == 1, err
    assert "connected to https://lab:8443/zstack" in out


def test_connect_without_tls_verification_warns_again(ctx, tmp_path):
    _, out, err = shell_for(ctx, tmp_path, "insecure = true\n", "connect https://mn2:8443/zstack\rexit\r")
    assert err.count(INSECURE_WARNING) == 1, err
    assert "connected to https://mn2:8443/zstack" in out
    _, _, err = shell_for(ctx, tmp_path, "", "connect https://mn2:8443/zstack\rexit\r")
    assert INSECURE_WARNING not in err
