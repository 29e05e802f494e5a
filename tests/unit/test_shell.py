"""The shell driven through a real PromptSession (pipe input, DummyOutput) over a fake API client."""

from __future__ import annotations

import io
import json
import stat

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from zcli.catalog import Catalog
from zcli.commands import Context
from zcli.config import Settings
from zcli.core import Core, Environment, RunOptions
from zcli.errors import AuthError
from zcli.shell.app import Shell, run_shell
from zcli.shell.history import SafeFileHistory

ZONES = [{"uuid": "z1", "name": "zone-1", "state": "Enabled"}, {"uuid": "z2", "name": "zone-2", "state": "Disabled"}]


class FakeClient:
    """Answers like the API: zones for QueryZone, a session for LogInByAccount; records requests."""

    timeout = (5, 60)
    verify = True
    on_wait = None
    wait_timeout = None
    log = None

    def __init__(self):
        self.session_uuid = "s1"
        self.requests = []

    def command(self):  # a whole command's deadline: nothing to bound here
        import contextlib

        return contextlib.nullcontext()

    def send(self, request, *, secrets=()):
        self.requests.append(request)
        if request.api.name == "LogInByAccount":
            return {"inventory": {"uuid": "s2", "accountUuid": "a1"}}
        if request.api.name == "QueryZone":
            return {"inventories": ZONES}
        if request.api.name == "QueryVmInstance":
            raise AuthError("session expired")
        return {}


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


@pytest.fixture
def ctx(catalog):
    return Context(catalog=catalog, client=FakeClient(), endpoint="http://mn:8080/zstack", account="admin")


def new_shell(ctx, *, stdout=None, stderr=None, isatty=False, env=None, fmt="json", given=None, **options):
    """A Shell over a core for ``ctx``: the streams, terminal flag and environment are the core's."""
    environment = Environment(io.StringIO(), stdout or io.StringIO(), stderr or io.StringIO(),
                              {} if env is None else env, stdin_isatty=False, stdout_isatty=isatty,
                              stderr_isatty=False, columns=80)
    settings = Settings(url=ctx.endpoint, given=dict(given or {}))
    core = Core(environment, ctx, RunOptions(output=fmt), settings=settings)
    return Shell(core, **options)


def drive(ctx, keys: str, **options):
    """Run the shell on ``keys``; returns (status, stdout, stderr, shell)."""
    out, err = io.StringIO(), io.StringIO()
    options.setdefault("history", InMemoryHistory())
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=out, stderr=err, isatty=False,
                          env={"PAGER": "cat"}, live_fetch=lambda *a: [], **options)
        status = shell.loop()
    return status, out.getvalue(), err.getvalue(), shell


@pytest.mark.parametrize("keys", ["exit\r", "quit\r", "\x04", "  exit  \r"])
def test_leaving_gives_status_0(ctx, keys):
    assert drive(ctx, keys)[0] == 0


def test_run_shell_entry_point(ctx):
    with create_pipe_input() as pipe:
        pipe.send_text("quit\r")
        core = Core(Environment(io.StringIO(), io.StringIO(), io.StringIO(), {}, stdout_isatty=False), ctx)
        assert run_shell(core, input=pipe, output=DummyOutput(), history=InMemoryHistory(),
                         live_fetch=lambda *a: []) == 0


def test_a_command_runs_and_prints_its_result(ctx):
    status, out, err, _ = drive(ctx, "QueryZone name=zone-1\rexit\r")
    assert status == 0 and err == ""
    assert json.loads(out) == {"inventories": ZONES}
    (req,) = ctx.client.requests
    assert ("q", "name=zone-1") in req.query


def test_bad_lines_are_one_line_each_and_the_shell_stays_up(ctx):
    status, out, err, _ = drive(ctx, "QueryZon\rQueryZone nosuch=1\rQueryZone name='open\rQueryVmInstance\r"
                                     "QueryZone\rexit\r")
    assert status == 0
    lines = err.splitlines()
    assert len(lines) == 4, err
    assert lines[0].startswith("zcli: unknown API 'QueryZon'") and "QueryZone" in lines[0]
    assert "nosuch" in lines[1]
    assert "closing quotation" in lines[2]
    assert lines[3] == "zcli: session expired"
    assert json.loads(out) == {"inventories": ZONES}  # the last command still ran


def test_per_line_options_apply_to_that_line_alone(ctx):
    status, out, err, shell = drive(ctx, "QueryZone limit=3 --query 'inventories[].name' -o value\r"
                                         "QueryZone --output=tsv --query=inventories[].[name,uuid]\r"
                                         "QueryZone name=zone-1 -o json --no-validate\r"
                                         "QueryZone -o xml\rQueryZone --query\rexit\r")
    assert status == 0
    first, second, rest = out.split("\n\n", 2)
    assert first == "zone-1\nzone-2"
    assert second == "zone-1\tz1\nzone-2\tz2"
    assert json.loads(rest) == {"inventories": ZONES}  # json again: the shell's own format
    assert ("q", "name=zone-1") in ctx.client.requests[2].query and ("limit", "3") in ctx.client.requests[0].query
    lines = err.splitlines()
    assert len(lines) == 2 and "unknown output format 'xml'" in lines[0] and "--query needs a value" in lines[1]
    opts = shell.core.options
    assert (opts.output, opts.query, opts.all, opts.validate) == ("json", None, False, True)


def test_ctrl_c_clears_the_line(ctx):
    status, out, err, _ = drive(ctx, "QueryZone name=zo\x03exit\r")
    assert status == 0 and out == "" and err == ""
    assert ctx.client.requests == []


def test_set_output(ctx):
    status, out, err, shell = drive(ctx, "set output yaml\rQueryZone\rset output nope\rset\rexit\r")
    assert status == 0
    assert out.startswith("output yaml\n")
    assert "name: zone-1" in out
    assert "unknown output format 'nope'" in err
    assert out.rstrip().endswith("output yaml\ntiming off\nconfirm on")
    assert shell.core.options.output == "yaml"


def test_more_and_save(ctx, tmp_path):
    target = tmp_path / "zones.json"
    keys = f"QueryZone\rQueryZone name=zone-2\rset output value\rmore 1\rsave 1 {target}\rmore 9\rmore\rexit\r"
    status, out, err, _ = drive(ctx, keys)
    assert status == 0
    assert "# result 1: QueryZone\n" in out
    assert "# result 2: QueryZone name=zone-2\n" in out  # more: the last one
    assert json.loads(target.read_text()) == {"inventories": ZONES}
    assert f"saved result 1 to {target} (json)" in out
    assert "no result 9: results 1 to 2 are kept" in err


def test_save_picks_the_format_from_the_suffix_and_reports_a_bad_path(ctx, tmp_path):
    keys = f"QueryZone\rsave {tmp_path}/z.yaml\rsave 1 {tmp_path}/z.csv\rsave 1 {tmp_path}/nope/z.json\rexit\r"
    status, out, err, _ = drive(ctx, keys)
    assert status == 0
    assert (tmp_path / "z.yaml").read_text().startswith("inventories:\n- uuid: z1\n")
    assert (tmp_path / "z.csv").read_text().splitlines()[1].startswith("z1,zone-1")
    assert f"saved result 1 to {tmp_path}/z.yaml (yaml)" in out
    assert err.count("\n") == 1 and err.startswith(f"zcli: cannot write {tmp_path}/nope/z.json")


@pytest.mark.parametrize("isatty", [True, False])
def test_results_go_through_the_pager_only_on_a_terminal(ctx, tmp_path, isatty):
    target = tmp_path / "out.txt"
    with open(target, "w") as out, create_pipe_input() as pipe:
        pipe.send_text("QueryZone\rexit\r")
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=out, stderr=io.StringIO(), isatty=isatty,
                      env={"PAGER": "sed s/^/PAGED:/"}, history=InMemoryHistory(), live_fetch=lambda *a: [])
        assert shell.loop() == 0
    text = target.read_text()
    assert "zone-1" in text
    assert ("PAGED:" in text) is isatty, text


def test_more_before_any_result(ctx):
    assert "no results yet" in drive(ctx, "more\rexit\r")[2]


def test_password_lines_never_reach_the_history_nor_the_screen_again(ctx, tmp_path):
    path = tmp_path / "state" / "history"
    history = SafeFileHistory(path, lambda line: Shell.is_secret(type("S", (), {"ctx": ctx})(), line))
    keys = ("LogInByAccount accountName=admin password=hunter2\r"
            "QueryZone\rmore 1\rhistory\rexit\r")
    status, out, err, shell = drive(ctx, keys, history=history)
    assert status == 0, err
    saved = path.read_text()
    assert "hunter2" not in saved and "LogInByAccount" not in saved
    assert "QueryZone" in saved
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "hunter2" not in out
    assert "LogInByAccount accountName=admin password=*****" in out  # more 1 names the line, masked
    assert list(history.get_strings()) == ["QueryZone", "more 1", "history", "exit"]
    assert shell.ctx.client.session_uuid == "s2"


def test_history_numbers_are_the_numbers_more_and_save_take(ctx, tmp_path):
    """Issue 9: ``history`` numbered the lines one way and the results another."""
    history = InMemoryHistory()
    for line in ("QueryZone", "help"):
        history.append_string(line)
    target = tmp_path / "zones.yml"
    keys = f"QueryZone name=zone-1\rhelp Zone\rQueryZone\rhistory\rmore 3\rsave 3 {target}\rmore 4\rexit\r"
    _, out, err, _ = drive(ctx, keys, history=history)
    assert "    1  QueryZone\n    2  help\n    3* QueryZone name=zone-1\n    4  help Zone\n    5* QueryZone\n" \
           "    6  history\n" in out
    assert "# result 3: QueryZone name=zone-1" in out
    assert "saved result 3 to" in out and "(yaml)" in out
    import yaml

    assert yaml.safe_load(target.read_text())["inventories"][0]["name"] == "zone-1"  # .yml writes YAML
    assert "no result 4" in err


def test_save_refuses_a_suffix_that_names_no_format(ctx, tmp_path):
    _, _, err, _ = drive(ctx, f"QueryZone\rsave {tmp_path}/out.xlsx\rexit\r")
    assert "cannot tell a format from '.xlsx'" in err and not (tmp_path / "out.xlsx").exists()


def test_destructive_apis_ask_first_and_only_yes_runs(ctx):
    status, out, err, _shell = drive(ctx, "DeleteZone uuid=z1\r\rDeleteZone uuid=z1\rno\rDeleteZone uuid=z1\ry\r"
                                         "set confirm off\rDeleteZone uuid=z2\rexit\r")
    assert status == 0 and err == ""
    assert out.count("not run") == 2
    deleted = [r for r in ctx.client.requests if r.api.name == "DeleteZone"]
    assert [r.path.rsplit("/", 1)[-1] for r in deleted] == ["z1", "z2"]  # the yes, then with confirm off


def test_timing_says_how_long_each_command_took_with_an_injected_clock(ctx):
    ticks = iter([10.0, 10.25, 20.0, 21.5])
    _status, _out, err, _ = drive(ctx, "set timing on\rQueryZone\rQueryZone name=x\rset timing off\rQueryZone\r"
                                     "exit\r", clock=lambda: next(ticks))
    assert err.splitlines() == ["Time: 0.250s", "Time: 1.500s"]


def test_pipe_and_file_take_the_output(ctx, tmp_path):
    target = tmp_path / "zones.txt"
    _status, out, err, _ = drive(ctx, f"QueryZone -o value --query 'inventories[].name' | tr a-z A-Z\r"
                                     f"QueryZone -o value --query 'inventories[].name' > {target}\r"
                                     "QueryZone name='a | b' -o value --query 'inventories[].name'\rexit\r")
    assert err == ""
    assert out.startswith("ZONE-1\nZONE-2\n")
    assert target.read_text() == "zone-1\nzone-2\n" and target.stat().st_mode & 0o777 == 0o600
    assert ("q", "name=a | b") in ctx.client.requests[-1].query  # quoted: the command's own


def test_a_paste_runs_each_line_in_turn(ctx):
    status, out, err, _shell = drive(ctx, "\x1b[200~QueryZone name=zone-1\nname=foo\nQueryZone\n\x1b[201~exit\r")
    assert status == 0
    assert "zcli> name=foo\n" in out and "zcli> QueryZone\n" in out
    assert "unknown API 'name=foo'" in err
    assert [r.api.name for r in ctx.client.requests] == ["QueryZone", "QueryZone"]


def test_help_lists_apis_by_category_and_describes_one(ctx):
    status, out, err, _ = drive(ctx, "help\rhelp QueryModelService\rhelp CreateZone\rhelp NoSuch\rexit\r")
    assert status == 0
    assert "ai/model-services (" in out and "QueryModelService: GET /v1/ai/model-services" in out
    assert "Conditions on ModelServiceInventory" in out and "requestCpu" in out and "Integer" in out
    assert "modelCenter. → ModelCenterInventory" in out  # the cross-table tree
    assert "  name          String        required." in out  # CreateZone's required parameter, said
    assert "unknown API 'NoSuch'" in err


def test_help_word_works_as_in_one_shot(ctx):
    """Issue 9: ``help Vm`` and ``help model`` failed in the shell (only API names were taken)."""
    from zcli.help import help_text

    status, out, err, _ = drive(ctx, "help Vm\rhelp model\rhelp watch\rexit\r")
    assert status == 0 and err == ""
    assert help_text(ctx.catalog, "Vm", width=80) in out
    assert help_text(ctx.catalog, "model", width=80) in out
    assert "APIs whose name holds 'model':" in out and "watch: " in out


def test_watch_repeats_until_ctrl_c(ctx):
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == 3:
            raise KeyboardInterrupt

    status, out, err, _ = drive(ctx, "watch 2 QueryZone\rexit\r", sleep=sleep)
    assert status == 0 and err == ""
    assert naps == [2.0, 2.0, 2.0]
    assert len(ctx.client.requests) == 3
    assert out.count("Every 2s: QueryZone") == 3


@pytest.mark.parametrize(("line", "message"), [
    ("watch", "usage: watch SECONDS COMMAND"),
    ("watch x QueryZone", "'x' is not a number of seconds"),
    ("watch 0 QueryZone", "0.5 seconds at least"),
    ("watch 0.1 QueryZone", "0.5 seconds at least"),
    ("watch inf QueryZone", "give a finite one"),
    ("watch 1e309 QueryZone", "give a finite one"),
    ("watch nan QueryZone", "give a finite one"),
    ("watch 100000 QueryZone", "at most 86400 seconds"),
    ("watch 1 CreateZone name=z", "read-only"),
    ("watch 1 StartVmInstance uuid=x", "read-only"),
    ("set timing maybe", "not on or off"),
    ("set colour on", "usage: set output FORMAT"),
    ("watch 1 help", "watch runs an API"),
    ("save", "usage: save [N] FILE"),
    ("save 1", "usage: save [N] FILE"),  # a lone number is N, not a file named 1
    ("more 0", "must be 1 or more"),
    ("connect", "usage: connect URL|HOST[:PORT]"),
    ("connect ftp://x", "is not an http:// or https:// URL"),
    ("connect http://[::1", "its host is not a valid IPv6 address"),
])
def test_builtin_usage_errors(ctx, line, message):
    status, _, err, _ = drive(ctx, line + "\rexit\r")
    assert status == 0
    assert message in err and len(err.splitlines()) == 1


def test_connect_switches_endpoint(ctx):
    status, out, _, shell = drive(ctx, "connect 10.0.0.5:8081\rconnect https://mn.example.com\rexit\r")
    assert status == 0
    assert "connected to http://10.0.0.5:8081/zstack (not logged in)" in out
    assert shell.ctx.endpoint == "https://mn.example.com/zstack"
    assert shell.core.options.output == "json"  # settings carry over


def test_use_profile(ctx, tmp_path):
    (tmp_path / "config.toml").write_text('[profiles.lab]\nurl = "http://lab:9090/zstack"\noutput = "yaml"\n')
    out, err = io.StringIO(), io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("use lab\ruse nope\rexit\r")
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=out, stderr=err, isatty=False,
                      env={"ZCLI_CONFIG_DIR": str(tmp_path)}, history=InMemoryHistory(), live_fetch=lambda *a: [])
        assert shell.loop() == 0
    assert shell.ctx.endpoint == "http://lab:9090/zstack" and shell.core.options.terminal_output == "yaml"
    assert "no profile 'nope'" in err.getvalue()


def _use(ctx, tmp_path, keys, given=None):
    (tmp_path / "config.toml").write_text('[profiles.a]\nurl = "http://a:8080/zstack"\n'
                                          '[profiles.b]\nurl = "http://b:8080/zstack"\noutput = "json"\ntimeout = 7\n')
    out, err = io.StringIO(), io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=out, stderr=err, isatty=False,
                      env={"ZCLI_CONFIG_DIR": str(tmp_path)}, history=InMemoryHistory(), live_fetch=lambda *a: [],
                      given=given)
        assert shell.loop() == 0
    assert err.getvalue() == ""
    return shell


def test_use_takes_the_new_profiles_settings_not_the_old_ones(ctx, tmp_path):
    shell = _use(ctx, tmp_path, "use b\ruse a\rexit\r")
    assert shell.ctx.endpoint == "http://a:8080/zstack"
    assert shell.core.options.output is None  # b's json is gone: a says nothing, so the default
    assert shell.ctx.client.wait_timeout is None and shell.ctx.client.timeout == (5.0, 60.0)


def test_use_keeps_this_runs_command_line_options(ctx, tmp_path):
    shell = _use(ctx, tmp_path, "use b\rexit\r", given={"output": "csv"})  # zcli -o csv
    assert shell.ctx.endpoint == "http://b:8080/zstack" and shell.core.options.output == "csv"
    assert shell.ctx.client.wait_timeout == 7  # b's own setting


def test_use_completes_the_profiles_of_the_config_file(ctx, tmp_path):
    with create_pipe_input() as pipe:
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=io.StringIO(), history=InMemoryHistory(),
                      env={"ZCLI_CONFIG_DIR": str(tmp_path)}, live_fetch=lambda *a: [])
        assert shell.engine.complete("use ") == []  # no config file: nothing, and no error
        (tmp_path / "config.toml").write_text('[profiles.prod]\nhost = "mn"\n[profiles.lab]\nport = 9090\n')
        assert [(s.text, s.start) for s in shell.engine.complete("use ")] == [("lab", 0), ("prod", 0)]
        assert [s.text for s in shell.engine.complete("use P")] == ["prod"]
        assert shell.engine.complete("use lab ") == []
        (tmp_path / "config.toml").write_text("not toml [")
        assert shell.engine.complete("use ") == []  # a broken file: no completions, no traceback


def test_toolbar_shows_endpoint_account_and_the_word_under_the_cursor(ctx):
    from prompt_toolkit.document import Document

    with create_pipe_input() as pipe:
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=io.StringIO(), history=InMemoryHistory(),
                      live_fetch=lambda *a: [])
        line = "QueryVmInstance vmNics.l3Network.name=x limit=3"
        text = shell.toolbar_text(Document(line, len("QueryVmInstance vmNics.l3Ne")))
        assert text.startswith(" http://mn:8080/zstack · admin │ vmNics.l3Network.name: String")
        text = shell.toolbar_text(Document(line, 3))
        assert text.endswith("│ QueryVmInstance: vm-instances · query VmInstanceInventory · since 0.6")
        assert shell.toolbar_text(Document(line, len(line))).endswith("│ limit: how many rows at most (integer)")
        ctx.account, ctx.client.session_uuid = None, None
        assert shell.toolbar_text(Document("", 0)) == " http://mn:8080/zstack · not logged in"


def test_a_full_default_page_says_more_rows_may_exist(ctx):
    class PagedClient(FakeClient):
        def send(self, request, *, secrets=()):
            self.requests.append(request)
            return {"inventories": [{"uuid": f"{i:032x}", "name": f"z{i}"} for i in range(1000)]}

    ctx.client = PagedClient()
    status, _, err, _ = drive(ctx, "QueryZone\rQueryZone limit=1000\rexit\r")
    assert status == 0
    assert err.splitlines() == ["zcli: showing the first 1000 rows (the server's default); use --all or limit=/start="]


def test_enter_on_a_chosen_completion_accepts_it_and_runs_nothing(ctx):
    from types import SimpleNamespace

    from prompt_toolkit.application.current import set_app
    from prompt_toolkit.buffer import CompletionState
    from prompt_toolkit.completion import Completion
    from prompt_toolkit.document import Document

    with create_pipe_input() as pipe:
        shell = new_shell(ctx, input=pipe, output=DummyOutput(), stdout=io.StringIO(), history=InMemoryHistory(),
                      env={}, live_fetch=lambda *a: [])
        binding, _paste = shell.session.key_bindings.bindings  # Enter (c-m) with a completion chosen; paste
        assert [getattr(k, "value", k) for k in binding.keys] == ["c-m"]
        from prompt_toolkit.buffer import Buffer

        buffer = Buffer()  # a plain buffer: no completer or suggestion tasks need a running loop
        with set_app(SimpleNamespace(current_buffer=buffer)):  # what the filter asks of the running app
            assert not binding.filter()  # no menu: Enter runs the line as ever
            buffer.document = Document("DeleteZone uuid=z2")
            buffer.complete_state = CompletionState(Document("DeleteZone uuid="),
                                                    [Completion("z1", 0), Completion("z2", 0)], complete_index=1)
            assert binding.filter()  # a value is highlighted: this binding takes Enter
            binding.handler(SimpleNamespace(current_buffer=buffer))
            assert buffer.complete_state is None and buffer.text == "DeleteZone uuid=z2"
            assert not binding.filter()  # the next Enter runs the line
    assert ctx.client.requests == []


def test_a_zql_line_keeps_its_own_greater_than(ctx, tmp_path, monkeypatch):
    """``cpuNum > 4`` in ZQL is the language's operator, not the shell's ``> FILE``."""
    monkeypatch.chdir(tmp_path)
    drive(ctx, "query vminstance where cpuNum > 4\rexit\r")
    assert not (tmp_path / "4").exists()
    assert [r.api.name for r in ctx.client.requests] == ["ZQLQuery"]
