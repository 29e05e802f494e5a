"""The live-value query shared by the shell and one-shot completion, and the one-shot HTTP source."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from zcli.catalog import Catalog
from zcli.completion.live_query import LiveQueries
from zcli.completion.remote import HttpLiveValues
from zcli.grammar import build_request, parse_command


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def test_query_api_prefers_query_x_then_the_first_by_name(catalog):
    queries = LiveQueries(catalog)
    assert queries.query_api("VmInstanceInventory") == "QueryVmInstance"
    # No QueryBilling: the first query API (by name) answering with BillingInventory.
    first = next(n for n in catalog.query_api_names() if catalog.api_summary(n)[3] == "BillingInventory")
    assert queries.query_api("BillingInventory") == first
    assert queries.query_api("NoSuchInventory") is None
    assert queries.get("NoSuchInventory", "uuid") is None
    assert queries.get("VmInstanceInventory", "noSuchField") is None
    hidden = next((inv, n) for inv in catalog.inventory_names if queries.query_api(inv)
                  for n, f in catalog.fields(inv).items() if f.hidden)
    assert queries.get(*hidden) is None  # the server answers no query for it: nothing is asked


def test_the_query_asks_for_the_field_and_its_label(catalog):
    query = LiveQueries(catalog, limit=7).get("VmInstanceInventory", "uuid")
    assert query.words == ["QueryVmInstance", "fields=uuid,name", "limit=7"]
    assert query.query_pairs() == [("limit", "7"), ("fields", "uuid,name")]
    name = LiveQueries(catalog).get("VmInstanceInventory", "name")
    assert name.words == ["QueryVmInstance", "fields=name", "limit=500"] and name.label is None


def test_the_one_shot_pairs_are_what_the_grammar_builds(catalog):
    """The one-shot Tab sends query_pairs() to the API's path without the grammar: it must be the request
    the grammar builds of the same words (what the zcli shell sends), for every inventory."""
    queries = LiveQueries(catalog)
    checked = 0
    for inventory in catalog.inventory_names:
        fields = catalog.fields(inventory)
        for field in ("uuid", "name"):
            query = queries.get(inventory, field) if field in fields else None
            if query is None or "{" in catalog.api(query.api).path:
                continue
            request = build_request(parse_command(query.words, catalog))
            assert (request.method, request.path, request.query) == ("GET", catalog.api(query.api).path,
                                                                     query.query_pairs()), inventory
            checked += 1
    assert checked > 300


def test_values_are_distinct_non_empty_and_labelled(catalog):
    query = LiveQueries(catalog).get("VmInstanceInventory", "uuid")
    reply = {"inventories": [{"uuid": "u1", "name": "web"}, {"uuid": "u2"}, {"uuid": "u1", "name": "x"},
                             {"uuid": ""}, {"uuid": None}, "junk"]}
    assert query.values(reply) == [("u1", "web"), ("u2", "")]
    plain = LiveQueries(catalog).get("VmInstanceInventory", "name")
    assert plain.values({"inventories": [{"name": "a"}, {"name": 3}, {"name": "a"}]}) == ["a", "3"]
    assert plain.values({"error": {}}) == [] and plain.values(["not", "a", "reply"]) == []


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        body = json.dumps({"inventories": [{"uuid": "u1", "name": "web"}, {"uuid": "u2", "name": "db"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_http_live_values_send_the_query_and_cache_the_answer(catalog):
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        live = HttpLiveValues(catalog, f"http://127.0.0.1:{server.server_port}/zstack/", "S1", timeout=5, budget=10)
        assert live.values("VmInstanceInventory", "uuid") == [("u1", "web"), ("u2", "db")]
        assert live.values("VmInstanceInventory", "uuid") == [("u1", "web"), ("u2", "db")]
    finally:
        server.shutdown()
        server.server_close()
    (path, auth), = server.seen  # the second call came from the cache
    url = urlsplit(path)
    assert url.path == "/zstack/v1/vm-instances" and auth == "OAuth S1"
    assert sorted(parse_qsl(url.query)) == [("fields", "uuid,name"), ("limit", "500")]


def test_a_reply_that_is_not_http_gives_no_values_and_ends_the_budget(catalog):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def answer_garbage():
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        live = HttpLiveValues(catalog, f"http://127.0.0.1:{listener.getsockname()[1]}/zstack", "S1",
                              timeout=5, budget=10)
        assert live.values("VmInstanceInventory", "name") is None
        thread.join(5)
    assert live.deadline == 0.0  # no further fetch this Tab
    assert live.values("ZoneInventory", "name") is None
