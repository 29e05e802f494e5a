"""One-shot runs over a fake client: the note about the server's default page, and per-line options."""

from __future__ import annotations

import io

import pytest

from zcli.catalog import Catalog
from zcli.commands import Context
from zcli.commands.oneshot import Runner, Terminal
from zcli.commands.options import applied, split_line_options
from zcli.errors import UsageError

NOTE = "zcli: showing the first 1000 rows (the server's default); use --all or limit=/start=\n"


class Tty(io.StringIO):
    def isatty(self):
        return True


class FakeClient:
    """Answers QueryZone with ``rows`` zones (or a count), as the server would."""

    session_uuid = "s1"

    def __init__(self, rows: int):
        self.rows = rows

    def command(self):  # a whole command's deadline: nothing to bound here
        import contextlib

        return contextlib.nullcontext()

    def send(self, request, *, secrets=()):
        query = dict(request.query)
        if query.get("count") == "true":
            return {"total": self.rows}
        limit = int(query.get("limit", 1000))
        return {"inventories": [{"uuid": f"{i:032x}", "name": f"z{i}"} for i in range(min(limit, self.rows))]}


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def run(catalog, words, *, rows=1000, tty=True, output="json"):
    out, err = (Tty() if tty else io.StringIO()), io.StringIO()
    ctx = Context(catalog=catalog, client=FakeClient(rows), endpoint="http://mn:8080/zstack", output=output)
    Runner(ctx, Terminal(stdin=io.StringIO(), stdout=out, stderr=err, env={})).run(words)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("tty", [True, False])
def test_a_full_default_page_says_so_on_stderr_piped_or_not(catalog, tty):
    """Issue 9: the 1,000-row cap is never silent; a script's stdout stays the reply alone."""
    out, err = run(catalog, ["QueryZone"], tty=tty)
    assert err == NOTE
    assert out.count('"uuid"') == 1000


@pytest.mark.parametrize(("words", "rows", "tty"), [
    (["QueryZone"], 999, True),  # fewer than a page: that is all there is
    (["QueryZone", "limit=1000"], 5000, True),  # asked for that many
    (["QueryZone", "count=true"], 1000, True),
])
def test_no_note_otherwise(catalog, words, rows, tty):
    assert run(catalog, words, rows=rows, tty=tty)[1] == ""


def test_split_line_options_takes_out_the_per_line_options():
    words = ["QueryZone", "fields=name", "-o", "value", "--query=inventories", "--all", "--no-validate", "name=-x"]
    assert split_line_options(words) == (
        {"output": "value", "query": "inventories", "all": True, "validate": False},
        ["QueryZone", "fields=name", "name=-x"])
    assert split_line_options(["QueryZone", "--output", "csv", "--host", "h"]) == (
        {"output": "csv"}, ["QueryZone", "--host", "h"])  # not a line option: the grammar says what is wrong
    for bad in (["QueryZone", "-o"], ["QueryZone", "-o", "xml"], ["QueryZone", "--all=1"]):
        with pytest.raises(UsageError):
            split_line_options(bad)


def test_applied_restores_the_context_but_keeps_what_the_line_did(catalog):
    ctx = Context(catalog=catalog, client=FakeClient(1), endpoint="e", output="json")
    with applied(ctx, {"output": "csv", "all": True}):
        assert (ctx.output, ctx.all) == ("csv", True)
        ctx.account = "admin"
    assert (ctx.output, ctx.all, ctx.account) == ("json", False, "admin")


def test_a_batch_line_with_its_own_output(catalog):
    out, _ = run(catalog, ["QueryZone", "limit=2", "-o", "value", "--query", "inventories[].name"], tty=False)
    assert out == "z0\nz1\n"


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


def test_a_password_inside_a_url_is_masked_in_messages():
    import io

    from zcli.commands.oneshot import Terminal

    err = io.StringIO()
    term = Terminal(stdin=io.StringIO(), stdout=io.StringIO(), stderr=err, env={})
    term.keep_secrets(["AddImage", "name=i", "url=http://alice:pa55@h/i.qcow2", "tag=owner::bob"])
    term.error("SYS.1007: cannot download http://alice:pa55@h/i.qcow2 for owner::bob")
    assert err.getvalue() == "zcli: SYS.1007: cannot download http://alice:*****@h/i.qcow2 for owner::bob\n"
