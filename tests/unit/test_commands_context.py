"""Contexts: the kept session is picked up for an endpoint, and `connect` keeps the client's settings."""

from __future__ import annotations

import pytest

from zcli.catalog import Catalog
from zcli.commands import Context
from zcli.commands.builtins import _context_for
from zcli.config import Settings
from zcli.sessions import SessionStore

EP = "http://mn:8080/zstack"
OTHER = "http://other:8080/zstack"


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


def test_from_settings_uses_the_kept_session(tmp_path, catalog):
    store = SessionStore(tmp_path)
    store.save(EP, "admin", "S1")
    ctx = Context.from_settings(Settings(url=EP), catalog=catalog, store=store)
    assert (ctx.account, ctx.client.session_uuid) == ("admin", "S1")
    ctx = Context.from_settings(Settings(url=OTHER), catalog=catalog, store=store)
    assert (ctx.account, ctx.client.session_uuid) == (None, None)


def test_without_a_store_the_clients_session_stays(catalog):
    ctx = Context.from_settings(Settings(url=EP), catalog=catalog, store=None, session_uuid="given")
    assert ctx.client.session_uuid == "given" and ctx.account is None


def test_connect_keeps_settings_and_takes_the_endpoints_session(tmp_path, catalog):
    store = SessionStore(tmp_path)
    store.save(OTHER, "ops", "S2")
    lines = []
    old = Context.from_settings(Settings(url=EP, timeout=7, debug=True, output="yaml", all=True), catalog=catalog,
                                store=store, log=lines.append, session_uuid="S0")
    old.account = "admin"
    ctx = _context_for(old, url=OTHER)
    assert (ctx.endpoint, ctx.client.base_url) == (OTHER, OTHER)
    assert (ctx.account, ctx.client.session_uuid) == ("ops", "S2")
    assert (ctx.output, ctx.all, ctx.debug) == ("yaml", True, True)
    assert ctx.client.wait_timeout == 7 and ctx.client.log == lines.append and ctx.client.timeout == (5.0, 7)
    profile = Settings(url=EP, insecure=True, output="csv")
    ctx = _context_for(old, url=EP, settings=profile)
    assert (ctx.account, ctx.client.session_uuid) == (None, None)  # nothing kept for EP
    assert ctx.client.verify is False and ctx.output == "csv"
