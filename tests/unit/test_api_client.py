"""ApiClient against a tiny local HTTP server: headers, keep-alive, errors, retries (GETs only), jobs, TLS."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zcli.api.client import ApiClient, mask
from zcli.catalog import Api
from zcli.errors import ApiError, AuthError, TransportError
from zcli.grammar import Request
from zcli.secrets import MASK

QUERY_API = Api(name="QueryZone", method="GET", path="/zones", query=True, inventory="ZoneInventory")
CREATE_API = Api(name="CreateZone", method="POST", path="/zones", body_key="params", sync=False)
SYNC_POST_API = Api(name="AttachTag", method="POST", path="/zones", body_key="params", sync=True)
LOGIN_API = Api(name="LogInByAccount", method="PUT", path="/accounts/login", body_key="logInByAccount",
                session=False)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def log_message(self, *args):  # quiet
        pass

    def _reply(self, status: int, body, content_type: str = "application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        srv = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0]
        srv.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                         "body": body, "port": self.client_address[1]})
        route = srv.routes.get((self.command, path)) or srv.routes.get(("*", path))
        if route is None:
            return self._reply(404, b"<html>not found</html>", "text/html")
        return route(self)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.seen, srv.routes = [], {}
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}/zstack"
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ok(body):
    return lambda h: h._reply(200, body)


def test_get_sends_query_accept_and_oauth_header(server):
    server.routes[("GET", "/zstack/v1/zones")] = ok({"inventories": [{"uuid": "z1"}], "schema": {}})
    client = ApiClient(server.base, session_uuid="S1")
    reply = client.send(Request("GET", "/zones", [("q", "name~=%a b%"), ("limit", "5")], None, QUERY_API))
    assert reply == {"inventories": [{"uuid": "z1"}], "schema": {}}
    seen = server.seen[0]
    assert seen["headers"]["Authorization"] == "OAuth S1"
    assert seen["headers"]["Accept"] == "application/json"
    assert seen["headers"]["User-Agent"].startswith("zcli/")
    from urllib.parse import parse_qsl, urlsplit

    assert parse_qsl(urlsplit(seen["path"]).query) == [("q", "name~=%a b%"), ("limit", "5")]


def test_no_session_header_for_apis_without_session(server):
    server.routes[("PUT", "/zstack/v1/accounts/login")] = ok({"inventory": {"uuid": "S2"}})
    client = ApiClient(server.base, session_uuid="OLD")
    body = {"logInByAccount": {"accountName": "admin", "password": "ab" * 64}}
    assert client.send(Request("PUT", "/accounts/login", [], body, LOGIN_API)) == {"inventory": {"uuid": "S2"}}
    assert "Authorization" not in server.seen[0]["headers"]
    assert json.loads(server.seen[0]["body"]) == body


def test_one_keep_alive_connection(server):
    server.routes[("GET", "/zstack/v1/zones")] = ok({"inventories": []})
    client = ApiClient(server.base)
    for _ in range(3):
        client.send(Request("GET", "/zones", [], None, QUERY_API))
    assert len({s["port"] for s in server.seen}) == 1


def test_api_error_carries_code_description_details(server):
    err = {"error": {"code": "SYS.1007", "description": "One or more API argument is invalid",
                     "details": "name is\nrequired"}}
    server.routes[("POST", "/zstack/v1/zones")] = lambda h: h._reply(503, err)
    with pytest.raises(ApiError) as info:
        ApiClient(server.base, session_uuid="S").send(Request("POST", "/zones", [], {"params": {}}, CREATE_API))
    exc = info.value
    assert (exc.code, exc.description, exc.details, exc.http_status) == (
        "SYS.1007", "One or more API argument is invalid", "name is required", 503)
    assert str(exc) == "SYS.1007: One or more API argument is invalid: name is required"


def test_session_expired_is_an_auth_error(server):
    err = {"error": {"code": "ID.1001", "description": "Session expired"}}
    server.routes[("GET", "/zstack/v1/zones")] = lambda h: h._reply(503, err)
    with pytest.raises(AuthError) as info:
        ApiClient(server.base, session_uuid="S").send(Request("GET", "/zones", [], None, QUERY_API))
    assert info.value.code == "ID.1001"
    assert "Session expired" in str(info.value)


def test_plain_400_without_session_means_log_in(server):
    server.routes[("GET", "/zstack/v1/zones")] = lambda h: h._reply(400, b"missing Authorization header",
                                                                     "text/plain")
    with pytest.raises(AuthError, match="not logged in"):
        ApiClient(server.base).send(Request("GET", "/zones", [], None, QUERY_API))
    with pytest.raises(ApiError, match="HTTP 400: missing Authorization header"):
        ApiClient(server.base, session_uuid="S").send(Request("GET", "/zones", [], None, QUERY_API))


@pytest.mark.parametrize("status,body,ctype", [(404, b"no api mapping to /zstack/v1/zones", "text/plain"),
                                                (200, b"<html>hello</html>", "text/html"),
                                                (200, b"[1, 2]", "application/json"),
                                                (404, b"nope", "text/plain"),
                                                (502, b"<html><body>bad gateway</body></html>", "text/html")])
def test_replies_that_are_not_the_apis_are_transport_errors(server, status, body, ctype):
    server.routes[("GET", "/zstack/v1/zones")] = lambda h: h._reply(status, body, ctype)
    with pytest.raises(TransportError, match=r"127\.0\.0\.1:\d+/zstack did not answer as the ZStack API"):
        ApiClient(server.base, session_uuid="S").send(Request("GET", "/zones", [], None, QUERY_API))


@pytest.mark.parametrize("status,body", [(500, b"IntegrityError('datatype mismatch')\nTraceback...\n"),
                                         (502, b"bad gateway")])
def test_a_5xx_in_plain_text_is_the_server_failing_not_a_wrong_url(server, status, body):
    server.routes[("GET", "/zstack/v1/zones")] = lambda h: h._reply(status, body, "text/plain")
    with pytest.raises(TransportError) as e:
        ApiClient(server.base, session_uuid="S").send(Request("GET", "/zones", [], None, QUERY_API))
    text = str(e.value)
    assert f"failed (HTTP {status}: {body.decode().splitlines()[0]})" in text
    assert "check the URL" not in text and "Traceback" not in text


UPDATE_API = Api(name="UpdateZone", method="PUT", path="/zones/{uuid}/actions", body_key="updateZone",
                 since="4.6.31")


@pytest.mark.parametrize("status,body", [(404, b"no api mapping to /v1/zones/z/actions"),
                                         (405, b"The method[PUT] is not allowed for the path[/v1/zones/z/actions]")])
def test_zstacks_own_404_and_405_say_the_server_lacks_the_api_not_check_the_url(server, status, body):
    # Second pass, S3: the server's own words mean the URL is right; the server is another version.
    server.routes[("PUT", "/zstack/v1/zones/z/actions")] = lambda h: h._reply(status, body, "text/plain")
    with pytest.raises(ApiError) as e:
        ApiClient(server.base, session_uuid="S").send(Request("PUT", "/zones/z/actions", [],
                                                              {"updateZone": {}}, UPDATE_API))
    text = str(e.value)
    assert "check the URL" not in text and e.value.http_status == status
    assert body.decode() in text and "older or newer than zcli's catalogue" in text
    assert ("has no such path" if status == 404 else "has no such method for this path") in text
    assert "UpdateZone, in the catalogue since 4.6.31" in text


def test_a_json_error_with_404_names_the_missing_path(server):
    error = {"error": {"code": "SYS.1006", "description": "no such API"}}
    server.routes[("GET", "/zstack/v1/zones")] = lambda h: h._reply(404, error)
    with pytest.raises(ApiError) as e:
        ApiClient(server.base, session_uuid="S").send(Request("GET", "/zones", [], None, QUERY_API))
    assert e.value.code == "SYS.1006" and "has no such path" in str(e.value) and "check the URL" not in str(e.value)


HTML_501 = (b'<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error response</title>\n'
            b"</head>\n<body>\n<h1>Error response</h1>\n<p>Error code: 501</p>\n"
            b"<p>Message: Unsupported method (&#x27;GET&#x27;).</p>\n"
            b"<p>Error code explanation: 501 - Server does not support this operation.</p>\n"
            + b"<p>padding padding padding</p>\n" * 50 + b"</body>\n</html>\n")


def test_a_non_api_page_is_summarised_in_one_short_line(server):
    server.routes[("GET", "/zstack/v1/zones")] = lambda h: h._reply(501, HTML_501, "text/html;charset=utf-8")
    with pytest.raises(TransportError) as e:
        ApiClient(server.base, session_uuid="S").send(Request("GET", "/zones", [], None, QUERY_API))
    text = str(e.value)
    assert "HTTP 501: Error response Error code: 501 Message: Unsupported method ('GET')." in text
    assert "<" not in text and "padding padding padding" not in text and "\n" not in text
    assert text.endswith("): check the URL") and len(text) < 250


def test_summary_of_replies():
    from zcli.api.replies import summary

    assert summary(b"first line\nsecond line", "text/plain") == "first line"
    assert summary(b"x" * 500, "") == "x" * 99 + "…"
    assert summary(b"<!doctype html><p>a &amp; b</p>", "") == "a & b"
    assert summary(b"", "text/html") == ""


def test_get_is_retried_after_connection_refused_with_backoff(server):
    port = free_port()
    base = f"http://127.0.0.1:{port}/zstack"
    pauses: list[float] = []
    late: list[ThreadingHTTPServer] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:  # the server comes up during the second pause
            srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            srv.seen, srv.routes = [], {("GET", "/zstack/v1/zones"): ok({"inventories": [{"uuid": "late"}]})}
            threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
            late.append(srv)

    try:
        client = ApiClient(base, sleep=sleep, backoff=0.1)
        reply = client.send(Request("GET", "/zones", [], None, QUERY_API))
    finally:
        for srv in late:
            srv.shutdown()
            srv.server_close()
    assert reply == {"inventories": [{"uuid": "late"}]}
    assert pauses == [0.1, 0.2]


def test_get_gives_up_after_its_retries_naming_the_endpoint():
    base = f"http://127.0.0.1:{free_port()}/zstack"
    pauses: list[float] = []
    client = ApiClient(base, sleep=pauses.append, get_retries=3, backoff=0.2)
    with pytest.raises(TransportError) as info:
        client.send(Request("GET", "/zones", [], None, QUERY_API))
    assert pauses == [0.2, 0.4, 0.8]
    assert str(info.value) == f"cannot reach {base}: connection refused"


def test_a_post_that_could_not_connect_is_retried_nothing_was_sent():
    pauses: list[float] = []
    client = ApiClient(f"http://127.0.0.1:{free_port()}/zstack", sleep=pauses.append, session_uuid="S")
    with pytest.raises(TransportError, match="cannot reach"):
        client.send(Request("POST", "/zones", [], {"params": {"name": "z"}}, SYNC_POST_API))
    assert pauses == [0.2, 0.4, 0.8]


def _drop(h):  # read the request, then hang up without answering
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)


def test_dropped_connection_retries_get_and_async_calls_but_not_a_sync_post(server):
    server.routes[("*", "/zstack/v1/zones")] = _drop
    client = ApiClient(server.base, sleep=lambda s: None, get_retries=2, session_uuid="S")
    with pytest.raises(TransportError):
        client.send(Request("GET", "/zones", [], None, QUERY_API))
    assert [s["method"] for s in server.seen] == ["GET"] * 3
    server.seen.clear()
    with pytest.raises(TransportError):
        client.send(Request("POST", "/zones", [], {"params": {"name": "z"}}, SYNC_POST_API))
    assert [s["method"] for s in server.seen] == ["POST"]
    server.seen.clear()
    with pytest.raises(TransportError):  # async: it carries X-Job-UUID, so repeating it is safe
        client.send(Request("POST", "/zones", [], {"params": {"name": "z"}}, CREATE_API))
    assert [s["method"] for s in server.seen] == ["POST"] * 3
    assert len({s["headers"]["X-Job-UUID"] for s in server.seen}) == 1


def test_read_timeout_is_a_transport_error_and_not_retried(server):
    def slow(h):
        time.sleep(1.0)
        h._reply(200, {})

    server.routes[("GET", "/zstack/v1/zones")] = slow
    client = ApiClient(server.base, timeout=(2, 0.2), sleep=lambda s: None)
    started = time.monotonic()
    with pytest.raises(TransportError, match=r"timed out waiting for .* after 0\.2s"):
        client.send(Request("GET", "/zones", [], None, QUERY_API))
    assert time.monotonic() - started < 0.9
    assert len(server.seen) == 1


def test_async_job_polled_on_the_endpoint_in_use(server):
    # The server names an address of its own that is not reachable from here.
    server.routes[("POST", "/zstack/v1/zones")] = lambda h: h._reply(
        202, {"location": "http://10.255.255.1:9999/zstack/v1/api-jobs/J1"})
    polls = []

    def job(h):
        polls.append(h.headers.get("Authorization"))
        if len(polls) < 3:
            return h._reply(202, {})
        return h._reply(200, {"inventory": {"uuid": "z9", "name": "zone9"}})

    server.routes[("GET", "/zstack/v1/api-jobs/J1")] = job
    waits: list = []
    client = ApiClient(server.base, session_uuid="S", on_wait=waits.append, sleep=lambda s: None)
    reply = client.send(Request("POST", "/zones", [], {"params": {"name": "zone9"}}, CREATE_API))
    assert reply == {"inventory": {"uuid": "z9", "name": "zone9"}}
    assert polls == ["OAuth S"] * 3
    assert len(waits) == 3 and waits[-1] is None and all(isinstance(w, float) for w in waits[:-1])


def test_failed_job_raises_its_error(server):
    server.routes[("POST", "/zstack/v1/zones")] = lambda h: h._reply(
        202, {"location": "http://mn.internal:8080/zstack/v1/api-jobs/J2"})
    server.routes[("GET", "/zstack/v1/api-jobs/J2")] = lambda h: h._reply(
        503, {"error": {"code": "SYS.1006", "description": "Operation failed", "details": "disk full"}})
    with pytest.raises(ApiError, match=r"SYS\.1006: Operation failed: disk full"):
        ApiClient(server.base, session_uuid="S").send(Request("POST", "/zones", [], {"params": {}}, CREATE_API))


def test_job_wait_is_bounded_by_the_timeout(server):
    server.routes[("POST", "/zstack/v1/zones")] = lambda h: h._reply(
        202, {"location": f"{server.base}/v1/api-jobs/J3"})
    server.routes[("GET", "/zstack/v1/api-jobs/J3")] = lambda h: h._reply(202, {})
    client = ApiClient(server.base, session_uuid="S", wait_timeout=0.4)
    started = time.monotonic()
    with pytest.raises(TransportError, match=r"timed out after [\d.]+s waiting for job J3 at .*api-jobs/J3"):
        client.send(Request("POST", "/zones", [], {"params": {}}, CREATE_API))
    assert 0.35 < time.monotonic() - started < 2.0


def test_expired_job_is_an_api_error(server):
    server.routes[("POST", "/zstack/v1/zones")] = lambda h: h._reply(
        202, {"location": f"{server.base}/v1/api-jobs/J4"})
    server.routes[("GET", "/zstack/v1/api-jobs/J4")] = lambda h: h._reply(404, b"the job has been expired",
                                                                          "text/plain")
    with pytest.raises(ApiError, match="the job has been expired"):
        ApiClient(server.base, session_uuid="S").send(Request("POST", "/zones", [], {"params": {}}, CREATE_API))


def test_debug_log_masks_secrets(server):
    server.routes[("PUT", "/zstack/v1/accounts/login")] = ok({"inventory": {"uuid": "S2"}})
    lines: list[str] = []
    hashed = "c1" * 64
    client = ApiClient(server.base, log=lines.append)
    body = {"logInByAccount": {"accountName": "admin", "password": hashed, "token": "t0p"}}
    client.send(Request("PUT", "/accounts/login", [], body, LOGIN_API), secrets={"token"})
    text = "\n".join(lines)
    assert "PUT" in text and "admin" in text and "< 200" in text
    assert hashed not in text and "t0p" not in text and MASK in text
    assert mask({"a": [{"newPassword": "x"}], "b": 1}) == {"a": [{"newPassword": MASK}], "b": 1}


def test_debug_log_masks_every_kind_of_secret_not_only_passwords(server):
    server.routes[("POST", "/zstack/v1/hybrid/aliyun/key")] = ok({"inventory": {"uuid": "K"}})
    lines: list[str] = []
    secrets = {"secret": "TOPSECRET", "ossSecret": "OSSSECRET", "AccessKeySecret": "AKSECRET",
               "accessToken": "ACCTOKEN", "sshPrivKey": "PRIVKEYDATA", "privateKey": "PRIVATEKEYDATA"}
    body = {"params": {"name": "k", "key": "AKID", "secretResourcePoolUuid": "POOLUUID", **secrets}}
    ApiClient(server.base, log=lines.append).send(Request("POST", "/hybrid/aliyun/key", [("token", "QTOKEN")],
                                                          body, CREATE_API))
    text = "\n".join(lines)
    for value in [*secrets.values(), "QTOKEN"]:
        assert value not in text
    assert "AKID" in text and "POOLUUID" in text  # an access key id and a uuid are no secrets


def test_debug_log_masks_only_the_password_of_a_url(server):
    # Second pass, S2: a url or tag is no secret; the password of a URL's credentials is.
    server.routes[("POST", "/zstack/v1/images")] = ok({"inventory": {"uuid": "I"}})
    lines: list[str] = []
    body = {"params": {"name": "a", "url": "http://alice:P4ssw0rd@h/i.qcow2", "mediaType": "RootVolumeTemplate"},
            "systemTags": ["owner::alice"]}
    api = Api(name="AddImage", method="POST", path="/images", body_key="params")
    ApiClient(server.base, log=lines.append).send(Request("POST", "/images", [("q", "url=ftp://bob:Qw3rty@f/x")],
                                                          body, api))
    text = "\n".join(lines)
    assert "P4ssw0rd" not in text and "Qw3rty" not in text
    assert "http://alice:*****@h/i.qcow2" in text and "ftp://bob:*****@f/x" in text and "owner::alice" in text
    assert mask({"params": {"url": "http://h/i", "monUrls": ["root:pw@10.0.0.1"], "tag": "a::b"}}) == \
        {"params": {"url": "http://h/i", "monUrls": [f"root:{MASK}@10.0.0.1"], "tag": "a::b"}}


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    done = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", str(key), "-out", str(cert)], capture_output=True)
    if done.returncode:
        pytest.skip("openssl cannot make a test certificate")
    return cert, key


def test_tls_is_verified_by_default(server, tls_files):
    cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.routes[("GET", "/zstack/v1/zones")] = ok({"inventories": []})
    base = server.base.replace("http://", "https://")
    request = Request("GET", "/zones", [], None, QUERY_API)
    with pytest.raises(TransportError, match=r"TLS failed .*--ca-bundle"):
        ApiClient(base, get_retries=0).send(request)
    assert ApiClient(base, verify=str(cert)).send(request) == {"inventories": []}
    assert ApiClient(base, verify=False).send(request) == {"inventories": []}
