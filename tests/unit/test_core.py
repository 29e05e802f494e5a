"""The face-neutral core over a fake client: run options, outcomes, notes, the one error report, endpoints."""

from __future__ import annotations

import io

import pytest

from zcli.catalog import Catalog
from zcli.commands import Context
from zcli.config import Settings
from zcli.core import Core, Environment, Report, RunOptions, connect
from zcli.core.present import choose_format
from zcli.errors import ApiError, UsageError
from zcli.options import OutputFormat
from zcli.sessions import SessionStore

EP = "http://mn:8080/zstack"
OTHER = "http://other:8080/zstack"
NOTE = "zcli: showing the first 1000 rows (the server's default); use --all or limit=/start=\n"


class FakeClient:
    """Answers QueryZone with ``rows`` zones (or a count), as the server would."""

    session_uuid = "s1"

    def __init__(self, rows: int):
        self.rows = rows
        self.requests = []

    def command(self):  # a whole command's deadline: nothing to bound here
        import contextlib

        return contextlib.nullcontext()

    def send(self, request, *, secrets=()):
        self.requests.append(request)
        query = dict(request.query)
        if query.get("count") == "true":
            return {"total": self.rows}
        limit, start = int(query.get("limit", 1000)), int(query.get("start", 0))
        return {"inventories": [{"uuid": f"{i:032x}", "name": f"z{i}"}
                                for i in range(start, min(start + limit, self.rows))]}


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def environment(tty: bool = False) -> Environment:
    return Environment(io.StringIO(), io.StringIO(), io.StringIO(), {}, stdin_isatty=False, stdout_isatty=tty,
                       stderr_isatty=False, columns=100)


def make_core(catalog, *, rows=3, tty=False, **options) -> Core:
    env = environment(tty)
    ctx = Context(catalog=catalog, client=FakeClient(rows), endpoint=EP)
    return Core(env, ctx, RunOptions(**options))


def run(core: Core, words: list[str]) -> tuple[str, str]:
    core.print(core.run(words))
    return core.environment.stdout.getvalue(), core.environment.stderr.getvalue()


# --- the default format: decided once -----------------------------------------------------------------
@pytest.mark.parametrize(("output", "terminal", "tty", "expected"), [
    (None, None, True, "table"), (None, None, False, "json"),
    ("csv", None, False, "csv"), ("csv", "yaml", True, "csv"),  # -o / ZCLI_OUTPUT: always
    (None, "yaml", True, "yaml"), (None, "table", False, "json"),  # the config file's: on a terminal only
])
def test_the_format_rule(output, terminal, tty, expected):
    assert choose_format(output, terminal, tty) == expected


def drive_shell(core: Core, keys: str) -> None:
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from zcli.shell.app import Shell

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        Shell(core, input=pipe, output=DummyOutput(), history=InMemoryHistory(), live_fetch=lambda *a: []).loop()


def test_both_faces_get_the_same_default_format(catalog):
    """The shell printed a table where one-shot printed JSON; now the core decides, for both faces."""
    one, shell = make_core(catalog), make_core(catalog)
    run(one, ["QueryZone"])
    drive_shell(shell, "QueryZone\rexit\r")
    assert one.environment.stdout.getvalue() == shell.environment.stdout.getvalue().removesuffix("\n")  # a blank line
    assert one.environment.stdout.getvalue().startswith("{")
    assert make_core(catalog, tty=True).format == "table"


# --- outcomes and notes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tty", [True, False])
def test_a_full_default_page_says_so_on_stderr_piped_or_not(catalog, tty):
    out, err = run(make_core(catalog, rows=1000, tty=tty, output=OutputFormat.JSON), ["QueryZone"])
    assert err == NOTE
    assert out.count('"uuid"') == 1000


@pytest.mark.parametrize(("words", "rows", "tty"), [
    (["QueryZone"], 999, True),  # fewer than a page: that is all there is
    (["QueryZone", "limit=1000"], 5000, True),  # asked for that many
    (["QueryZone", "count=true"], 1000, True),
])
def test_no_note_otherwise(catalog, words, rows, tty):
    assert run(make_core(catalog, rows=rows, tty=tty, output=OutputFormat.JSON), words)[1] == ""


def test_all_gives_pages_as_they_come(catalog):
    core = make_core(catalog, rows=5)
    outcome = core.run(["QueryZone", "limit=2", "--all", "-o", "value", "fields=name"])
    assert outcome.pages is not None and core.connection.client.requests == []  # nothing sent yet
    chunks = list(outcome.chunks())
    assert "".join(chunks) == "z0\nz1\nz2\nz3\nz4\n"
    assert len(core.connection.client.requests) == 3 and len(chunks) == 3


# --- run options: frozen, a line's own made by copying ------------------------------------------------
def test_run_options_are_frozen():
    with pytest.raises(AttributeError):
        RunOptions().output = OutputFormat.CSV  # type: ignore[misc]


def test_a_lines_own_options_apply_to_that_line_alone(catalog):
    core = make_core(catalog, output=OutputFormat.JSON)
    before = core.options
    out, _ = run(core, ["QueryZone", "limit=2", "-o", "value", "--query", "inventories[].name"])
    assert out == "z0\nz1\n"
    assert core.options is before
    options, rest = core.line_options(["QueryZone", "fields=name", "-o", "value", "--query=inventories",
                                       "--all", "--no-validate", "name=-x"])
    assert rest == ["QueryZone", "fields=name", "name=-x"]
    assert options == before._replace(output=OutputFormat.VALUE, query="inventories", all=True,
                                          validate=False)
    for bad in (["QueryZone", "-o"], ["QueryZone", "-o", "xml"], ["QueryZone", "--all=1"]):
        with pytest.raises(UsageError):
            core.line_options(bad)


def test_what_the_line_does_to_the_connection_stays(catalog):
    core = make_core(catalog)
    core.connection.account = "admin"
    core.run(["QueryZone", "-o", "csv"])
    assert core.connection.account == "admin" and core.options.output is None


# --- the one error report -------------------------------------------------------------------------------
def test_one_error_line_for_both_faces_with_typed_secrets_masked():
    env = environment()
    report = Report(env)
    report.secrets.remember(["AddImage", "name=i", "url=http://alice:pa55@h/i.qcow2", "tag=owner::bob",
                             "password=hunter2"])
    report.error("SYS.1007: cannot download http://alice:pa55@h/i.qcow2 for owner::bob\n(password='hunter2')")
    line = env.stderr.getvalue()
    assert line.startswith("zcli: SYS.1007: cannot download http://alice:*****@h/i.qcow2 for owner::bob (password=")
    assert line.count("\n") == 1 and "hunter2" not in line and "pa55" not in line


@pytest.mark.parametrize(("exc", "status", "line"), [
    (UsageError("bad word"), 2, "zcli: bad word"),
    (ApiError("SYS.1000", "broken"), 1, "zcli: SYS.1000: broken"),
    (KeyboardInterrupt(), 130, "zcli: interrupted"),
    (RuntimeError("bug"), 70, "zcli: internal error: RuntimeError: bug (run with --debug for the traceback)"),
])
def test_the_one_edge(exc, status, line):
    env = environment()

    def fail():
        raise exc

    assert Report(env).guard(fail) == status
    assert env.stderr.getvalue().strip() == line


def test_the_edge_lets_the_shells_exit_through():
    from zcli.shell.builtins import ExitShell

    def leave():
        raise ExitShell

    with pytest.raises(ExitShell):
        Report(environment()).guard(leave)


def test_the_shell_and_one_shot_print_a_failure_alike(catalog, tmp_path):
    """The same bad command, once through each face: the same line on stderr."""
    from zcli.cli import run_batch_file

    batch = tmp_path / "b.txt"
    batch.write_text("QueryZon password=sekrit\n")
    one = make_core(catalog)
    run_batch_file(one, str(batch), keep_going=False)
    shell = make_core(catalog)
    drive_shell(shell, "QueryZon password=sekrit\rexit\r")
    one_line = one.environment.stderr.getvalue()
    shell_line = shell.environment.stderr.getvalue()
    assert one_line.startswith(f"zcli: {batch}:1: unknown API 'QueryZon'")
    assert shell_line.startswith("zcli: unknown API 'QueryZon'")
    assert one_line.replace(f"{batch}:1: ", "") == shell_line


# --- batches -------------------------------------------------------------------------------------------
def test_ctrl_c_stops_a_batch_even_with_keep_going():
    from zcli.commands.batch import run_batch
    from zcli.errors import Interrupted, UsageError

    ran, reported = [], []

    def run_one(words):
        ran.append(words[0])
        if words[0] == "Bad":
            raise UsageError("bad")
        if words[0] == "Slow":
            raise Interrupted("interrupted: the job may still finish on the server")

    status = run_batch(["Bad", "Slow", "After"], run_one, keep_going=True, report=lambda n, e: reported.append(n))
    assert ran == ["Bad", "Slow"] and reported == [1, 2] and status == 2


# --- the connection ---------------------------------------------------------------------------------------
def test_connect_uses_the_kept_session(tmp_path, catalog):
    store = SessionStore(tmp_path)
    store.save(EP, "admin", "S1")
    ctx = connect(Settings(url=EP), environment(), catalog=catalog, store=store)
    assert (ctx.account, ctx.client.session_uuid) == ("admin", "S1")
    ctx = connect(Settings(url=OTHER), environment(), catalog=catalog, store=store)
    assert (ctx.account, ctx.client.session_uuid) == (None, None)


def test_without_a_store_the_clients_session_stays(catalog):
    ctx = connect(Settings(url=EP), environment(), catalog=catalog, store=None, session_uuid="given")
    assert ctx.client.session_uuid == "given" and ctx.account is None


def test_connect_keeps_settings_and_takes_the_endpoints_session(tmp_path, catalog):
    store = SessionStore(tmp_path)
    store.save(OTHER, "ops", "S2")
    settings = Settings(url=EP, timeout=7, debug=True, output=OutputFormat.YAML, all=True)
    core = Core.open(environment(), settings, catalog=catalog, store=store)
    core.connect_url(OTHER)
    ctx = core.connection
    assert (ctx.endpoint, ctx.client.base_url) == (OTHER, OTHER)
    assert (ctx.account, ctx.client.session_uuid) == ("ops", "S2")
    assert (core.options.output, core.options.all, core.options.debug) == ("yaml", True, True)
    assert ctx.client.wait_timeout == 7 and ctx.client.log is not None and ctx.client.timeout == (5.0, 7)


def test_use_takes_every_setting_from_the_profile(tmp_path, catalog):
    (tmp_path / "config.toml").write_text('[profiles.lab]\nurl = "http://lab:8080/zstack"\ninsecure = true\n'
                                          'output = "csv"\n')
    env = Environment(io.StringIO(), io.StringIO(), io.StringIO(), {"ZCLI_CONFIG_DIR": str(tmp_path)},
                      stdout_isatty=True, columns=80)
    core = Core.open(env, Settings(url=EP, output=OutputFormat.YAML, given={"output": "yaml"}), catalog=catalog,
                     store=None)
    core.use_profile("lab")
    assert core.connection.endpoint == "http://lab:8080/zstack" and core.connection.client.verify is False
    assert core.options.output == "yaml"  # this run's own -o stays over the profile's
    assert core.options.terminal_output == "csv"
