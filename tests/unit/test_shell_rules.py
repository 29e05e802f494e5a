"""The shell's rules as pure functions: what watch runs and how often, which APIs are confirmed, where
``| COMMAND`` and ``> FILE`` start, which format a file's suffix names."""

from __future__ import annotations

import os

import pytest

from zcli.catalog import Catalog
from zcli.errors import ApiError, Interrupted, UsageError
from zcli.output.formats import format_for_file
from zcli.shell.builtins import BUILTINS
from zcli.shell.confirm import is_destructive, is_yes
from zcli.shell.redirect import Redirect, split_redirect
from zcli.shell.watch import MIN_SECONDS, check_watchable, interval, is_read_only, watch


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "NaN", "0", "-1", "0.1", "1e9", "x", ""])
def test_watch_refuses_intervals_that_are_not_sane(text):
    with pytest.raises(UsageError):
        interval(text)


def test_watch_takes_sane_intervals():
    assert interval("2") == 2.0 and interval(str(MIN_SECONDS)) == MIN_SECONDS and interval("86400") == 86400


@pytest.mark.parametrize("name", ["QueryZone", "QueryVmInstance", "GetCpuMemoryCapacity", "GetVmConsoleAddress"])
def test_watch_takes_read_only_apis(catalog, name):
    assert is_read_only(catalog.api(name))
    check_watchable([name], catalog, BUILTINS)


@pytest.mark.parametrize("name", ["CreateZone", "StartVmInstance", "DeleteZone", "UpdateZone",
                                  "SyncDataCenterFromRemote", "RefreshCaptcha", "LogInByAccount",
                                  "GetVersion"])  # a PUT action, read-only as it may be: the method decides
def test_watch_refuses_apis_that_change_things(catalog, name):
    assert not is_read_only(catalog.api(name))
    with pytest.raises(UsageError, match="read-only"):
        check_watchable([name, "uuid=x"], catalog, BUILTINS)


def test_watch_refuses_built_ins_and_unknown_names(catalog):
    with pytest.raises(UsageError, match="runs an API"):
        check_watchable(["help"], catalog, BUILTINS)
    with pytest.raises(UsageError, match="QueryZone"):
        check_watchable(["QueryZon"], catalog, BUILTINS)


def test_every_get_query_of_the_catalogue_is_watchable_and_no_write_is(catalog):
    for name in catalog.api_names:
        api = catalog.api(name)
        if api.method in ("POST", "PUT", "DELETE"):
            assert not is_read_only(api), name
        if api.query:
            assert is_read_only(api), name


class Stop(Exception):
    pass


def run_watch(results):
    """Run ``watch`` over ``results`` (values, or exceptions to raise); returns what was shown and slept."""
    shown, naps = [], []
    items = iter(results)

    def run():
        item = next(items)
        if isinstance(item, BaseException):
            raise item
        return item

    watch(run, shown.append, 2.0, naps.append)
    return shown, naps


def test_watch_shows_errors_and_goes_on_but_ctrl_c_in_a_job_wait_stops_it_at_once():
    shown, naps = run_watch(["a", ApiError("SYS.1000", "boom"), "b", Interrupted("interrupted: the job"), "never"])
    assert shown == ["a", "error: SYS.1000: boom", "b"] and naps == [2.0, 2.0, 2.0]


def test_watch_ctrl_c_anywhere_stops_it():
    shown, _ = run_watch(["a", KeyboardInterrupt(), "never"])
    assert shown == ["a"]
    shown, naps = [], []

    def sleep(seconds):
        naps.append(seconds)
        raise KeyboardInterrupt

    watch(lambda: "x", shown.append, 1.0, sleep)
    assert shown == ["x"] and naps == [1.0]


@pytest.mark.parametrize("name", ["DeleteZone", "DestroyVmInstance", "ExpungeImage", "RemoveUserFromGroup",
                                  "CleanUpTrashOnPrimaryStorage", "ReimageVmInstance", "RevertVolumeFromSnapshot",
                                  "BatchDeleteVolumeSnapshot"])
def test_destructive_apis_are_confirmed(catalog, name):
    assert catalog.has_api(name) and is_destructive(name)


@pytest.mark.parametrize("name", ["QueryZone", "CreateZone", "StartVmInstance", "DetachL3NetworkFromVm",
                                  "UpdateZone"])
def test_other_apis_are_not(name):
    assert not is_destructive(name)


@pytest.mark.parametrize(("answer", "yes"), [("y", True), ("Yes", True), (" YES ", True), ("", False),
                                             ("n", False), ("no", False), ("yep", False), (None, False)])
def test_only_yes_runs(answer, yes):
    assert is_yes(answer) is yes


@pytest.mark.parametrize(("line", "rest", "redirect"), [
    ("QueryZone | grep zone-1", "QueryZone", Redirect("pipe", "grep zone-1")),
    ("QueryZone -o json | jq '.inventories | length'", "QueryZone -o json",
     Redirect("pipe", "jq '.inventories | length'")),
    ("QueryZone > zones.json", "QueryZone", Redirect("file", "zones.json")),
    ("QueryZone > 'my zones.txt'", "QueryZone", Redirect("file", "my zones.txt")),
    ("QueryVmInstance cpuNum>4", "QueryVmInstance cpuNum>4", None),
    ("QueryZone name='a | b'", "QueryZone name='a | b'", None),
    ('QueryZone name="a > b"', 'QueryZone name="a > b"', None),
    ("QueryZone # | not a pipe", "QueryZone # | not a pipe", None),
])
def test_pipe_and_file_are_separate_words_at_the_end(line, rest, redirect):
    if redirect is UsageError:
        with pytest.raises(UsageError):
            split_redirect(line)
        return
    assert split_redirect(line) == (rest, redirect)


@pytest.mark.parametrize("line", ["QueryZone |", "QueryZone >", "QueryZone > a b"])
def test_a_redirect_needs_its_target(line):
    with pytest.raises(UsageError):
        split_redirect(line)


@pytest.mark.parametrize(("name", "fmt"), [("out.yml", "yaml"), ("out.YAML", "yaml"), ("out.json", "json"),
                                           ("out.csv", "csv"), ("a.b.tsv", "tsv"), ("x.jsonl", "jsonl"),
                                           ("x.ndjson", "jsonl"), ("result", "json")])
def test_the_suffix_names_the_format(name, fmt):
    assert format_for_file(name) == fmt


def test_an_unknown_suffix_is_refused():
    with pytest.raises(UsageError, match=r"\.yml"):
        format_for_file("out.xlsx")


def test_a_redirected_file_is_private_and_a_symlink_is_never_followed(tmp_path):
    from zcli.shell.redirect import send

    path = tmp_path / "out.txt"
    send("hello\n", Redirect("file", str(path)), env={}, out=None)
    send("again\n", Redirect("file", str(path)), env={}, out=None)  # replaced, as a shell's > does
    assert path.read_text() == "again\n" and path.stat().st_mode & 0o777 == 0o600
    target = tmp_path / "target"
    target.write_text("keep")
    os.symlink(target, tmp_path / "link")
    with pytest.raises(UsageError, match="link"):
        send("x", Redirect("file", str(tmp_path / "link")), env={}, out=None)
    assert target.read_text() == "keep"


def test_a_pipe_feeds_the_command(tmp_path):
    import io

    from zcli.shell.redirect import send

    out = io.StringIO()
    send("zone-1\nzone-2\ncluster\n", Redirect("pipe", "grep -c zone"), env={"PATH": os.environ["PATH"]}, out=out)
    assert out.getvalue() == "2\n"
