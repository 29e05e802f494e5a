"""The simulator under hostile input: no 500, no traceback, bounded threads, HTTP edge cases, a private --db."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time

import pytest
import requests

from tests.conftest import login, spawn_sim
from zcli.sim.server import start_in_thread


@pytest.fixture(scope="module")
def running():
    handle = start_in_thread(port=0)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def auth(running):
    return {"Authorization": f"OAuth {login(running.url + '/v1')}"}


def _get(running, auth, path, params):
    return requests.get(f"{running.url}/v1{path}", params=params, headers=auth, timeout=30)


def _kind(r: requests.Response) -> str:
    """400 plain text or 503 ErrorCode: the server's two kinds of refusal."""
    if r.status_code == 400:
        assert r.headers["Content-Type"].startswith("text/plain"), r.headers
        return "400"
    assert r.status_code == 503, (r.status_code, r.text[:300])
    assert r.json()["error"]["code"]
    return "503"


@pytest.mark.parametrize("params", [
    {"limit": str(2 ** 63 + 1)},
    {"limit": "9" * 400},
    {"start": str(2 ** 31)},
    {"limit": "-" + "9" * 30},
])
def test_limits_beyond_a_java_int_are_400(running, auth, params):
    r = _get(running, auth, "/vm-instances", params)
    assert _kind(r) == "400" and "must be an integer" in r.text


def test_a_400_digit_integer_value_is_an_error_code(running, auth):
    r = _get(running, auth, "/vm-instances", [("q", "cpuNum=" + "7" * 400)])
    assert _kind(r) == "503" and r.json()["error"]["code"] == "SYS.1007"
    r = _get(running, auth, "/vm-instances", [("q", "cpuNum>" + str(2 ** 64))])
    assert _kind(r) == "503"


def test_more_than_a_thousand_conditions_are_answered(running, auth):
    conds = [("q", f"name!=nope-{i}") for i in range(1500)]
    r = _get(running, auth, "/vm-instances", [*conds, ("count", "true")])
    assert r.status_code == 200 and r.json()["total"] == 20
    many = ",".join(f"vm-{i}" for i in range(5000))
    r = _get(running, auth, "/vm-instances", [("q", f"name?={many}"), ("count", "true")])
    assert r.status_code == 200 and r.json()["total"] > 0


def test_a_like_of_60000_percent_signs(running, auth):
    r = _get(running, auth, "/vm-instances", [("q", "name~=" + "%" * 60000), ("count", "true")])
    assert r.status_code == 200 and r.json()["total"] == 20
    r = _get(running, auth, "/vm-instances", [("q", "name~=" + "a%" * 30000)])
    assert _kind(r) == "503"


def test_a_body_nested_100000_deep_is_400(running, auth):
    body = b'{"params": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    r = requests.post(f"{running.url}/v1/zones", data=body, headers={**auth, "Content-Type": "application/json"},
                      timeout=30)
    assert _kind(r) == "400"
    body = b'{"params": {"name": "z", "description": ' + b"[" * 500 + b"]" * 500 + b"}}"
    r = requests.post(f"{running.url}/v1/zones", data=body, headers=auth, timeout=30)
    assert _kind(r) == "400" and "nested" in r.text


@pytest.mark.parametrize("body", [{"logInByAccount": "x"}, {"logInByAccount": ["x"]}, {"logInByAccount": 7}])
def test_a_login_that_is_not_an_object_is_400(running, body):
    r = requests.put(f"{running.url}/v1/accounts/login", json=body, timeout=10)
    assert _kind(r) == "400"


def test_a_body_key_that_is_not_an_object_is_400(running, auth):
    r = requests.post(f"{running.url}/v1/zones", json={"params": "zone"}, headers=auth, timeout=10)
    assert _kind(r) == "400"


def test_a_lone_surrogate_in_a_name_is_400(running, auth):
    r = requests.post(f"{running.url}/v1/zones", data=b'{"params": {"name": "a\\ud800b"}}', headers=auth,
                      timeout=10)
    assert _kind(r) == "400" and "surrogate" in r.text
    # a real pair is a character: accepted
    r = requests.post(f"{running.url}/v1/zones", data=b'{"params": {"name": "\\ud83d\\ude00"}}', headers=auth,
                      timeout=10)
    assert r.status_code == 202
    r = requests.post(f"{running.url}/v1/zones", data=b'{"params": {"name": "\xff\xfe"}}', headers=auth, timeout=10)
    assert _kind(r) == "400"
    r = _get(running, auth, "/zones", [("q", "name=a\udc80b".encode("utf-8", "surrogatepass"))])
    assert r.status_code == 200


# --- raw HTTP ------------------------------------------------------------------------------------
def _raw(running, data: bytes, timeout: float = 10) -> bytes:
    """Send ``data`` on a new connection; everything the server sends until it closes."""
    with socket.create_connection((running.host, running.port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


@pytest.mark.parametrize("head", [
    b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n{",
    b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"GET /" + b"a" * (1 << 21) + b" HTTP/1.1\r\n\r\n",
])
def test_http_edge_cases_get_400_and_a_closed_connection(running, head):
    reply = _raw(running, head)  # returns only once the server has closed the connection
    assert reply.split(b" ", 2)[1] in (b"400", b"414"), reply[:200]
    assert b"Traceback" not in reply


def test_a_short_body_is_400_once_the_client_stops(running):
    with socket.create_connection((running.host, running.port), timeout=10) as s:
        s.sendall(b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{}")
        s.shutdown(socket.SHUT_WR)
        assert s.recv(100).split(b" ", 2)[1] == b"400"


def _replies(s: socket.socket, count: int) -> list[bytes]:
    """Read ``count`` whole replies (head and Content-Length body) from a kept-alive connection."""
    buf, out = b"", []
    while len(out) < count:
        while b"\r\n\r\n" not in buf:
            buf += s.recv(65536)
        head, _, buf = buf.partition(b"\r\n\r\n")
        length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")).split(b":")[1])
        while len(buf) < length:
            buf += s.recv(65536)
        out.append(head + b"\r\n\r\n" + buf[:length])
        buf = buf[length:]
    return out


def test_keep_alive_serves_several_requests_on_one_connection(running):
    ask = b"GET /zstack/v1/accounts/sessions/x/valid HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection((running.host, running.port), timeout=10) as s:
        for _ in range(3):
            s.sendall(ask)
            assert _replies(s, 1)[0].startswith(b"HTTP/1.1 200")
        s.sendall(ask * 2)  # two requests in one write (pipelined) get two replies
        assert all(r.startswith(b"HTTP/1.1 200") for r in _replies(s, 2))


def test_600_stalled_connections_do_not_make_600_threads():
    handle = start_in_thread(port=0)
    socks = []
    try:
        before = threading.active_count()
        for _ in range(600):
            socks.append(socket.create_connection((handle.host, handle.port), timeout=10))
        for s in socks[:300]:
            s.sendall(b"GET /zstack/v1/accounts/sessions/x/valid HTTP/1.1\r\nHost: x\r\n")  # never ends its head
        # while they stall, the server still answers, from its fixed pool
        r = requests.get(f"{handle.url}/v1/accounts/sessions/x/valid", timeout=20)
        assert r.status_code == 200
        assert threading.active_count() - before < 40
    finally:
        for s in socks:
            s.close()
        handle.stop()


def test_idle_connections_are_closed_after_the_idle_timeout():
    handle = start_in_thread(port=0, http_idle_timeout=0.5)
    try:
        with socket.create_connection((handle.host, handle.port), timeout=10) as s:
            started = time.monotonic()
            assert s.recv(100) == b""  # closed by the server, not by our own timeout
            assert time.monotonic() - started < 8
    finally:
        handle.stop()


def test_a_body_over_the_limit_is_400(running, auth):
    big = b'{"params": {"name": "' + b"x" * (17 << 20) + b'"}}'
    try:
        r = requests.post(f"{running.url}/v1/zones", data=big, headers=auth, timeout=30)
    except requests.ConnectionError:
        return  # closed while we were still sending: also a refusal
    assert r.status_code == 400 and "larger than" in r.text


def test_a_client_that_goes_away_prints_no_traceback():
    running = spawn_sim()
    try:
        for _ in range(20):
            with socket.create_connection((running.host, running.port), timeout=10) as s:
                s.sendall(b"GET /zstack/v1/vm-instances?limit=1000 HTTP/1.1\r\nHost: x\r\n"
                          b"Authorization: OAuth x\r\n\r\n")
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        for _ in range(5):
            with socket.create_connection((running.host, running.port), timeout=10) as s:
                s.sendall(b"POST /zstack/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
        assert requests.get(f"{running.api}/accounts/sessions/x/valid", timeout=10).status_code == 200
    finally:
        running.stop()
    assert "Traceback" not in running.process.stderr.read()


def test_db_file_is_created_private(tmp_path):
    db = tmp_path / "sim.db"
    handle = start_in_thread(port=0, db=str(db))
    try:
        login(handle.url + "/v1")
    finally:
        handle.stop()
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    for side in tmp_path.iterdir():
        assert stat.S_IMODE(os.stat(side).st_mode) & 0o077 == 0, side
