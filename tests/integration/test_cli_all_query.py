"""``--all`` gives the text the whole result would give without it: ``--query`` applies once, to every
page's rows together; ``count=true`` runs once; ``replyWithCount=true`` keeps ``total``."""

from __future__ import annotations

import json

import pytest

from tests.integration.clirun import Zcli
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path, ZCLI_URL=sim.url)


def ok(ran):
    assert ran.status == 0, ran.err
    return ran.out


def test_query_with_all_applies_to_the_whole_result(z):
    everything = json.loads(ok(z.run("QueryVmInstance", "fields=name")))["inventories"]
    assert len(everything) > 7  # several pages of 7
    out = ok(z.run("QueryVmInstance", "--all", "limit=7", "fields=name", "--query", "length(inventories)"))
    assert json.loads(out) == len(everything)


@pytest.mark.parametrize("fmt", ["json", "value", "tsv"])
def test_query_with_all_has_the_shape_it_has_without(z, fmt):
    query = ("--query", "inventories[].name")
    plain = ok(z.run("QueryVmInstance", "-o", fmt, *query))
    assert ok(z.run("QueryVmInstance", "--all", "limit=7", "-o", fmt, *query)) == plain


def test_count_with_all_runs_once(z):
    plain = ok(z.run("QueryVmInstance", "count=true"))
    assert list(json.loads(plain)) == ["total"]
    assert ok(z.run("QueryVmInstance", "--all", "limit=7", "count=true")) == plain
    assert ok(z.run("QueryVmInstance", "--all", "limit=7", "count=true", "--query", "total")) == \
        ok(z.run("QueryVmInstance", "count=true", "--query", "total"))


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_reply_with_count_keeps_total_with_all(z, fmt):
    plain = ok(z.run("QueryVmInstance", "replyWithCount=true", "fields=uuid,name", "-o", fmt))
    assert "total" in plain
    assert ok(z.run("QueryVmInstance", "--all", "limit=7", "replyWithCount=true", "fields=uuid,name",
                    "-o", fmt)) == plain


def test_help_says_that_query_with_all_buffers(z):
    assert "buffer" in " ".join(ok(z.run("--help")).split())
