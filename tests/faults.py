"""A fault server: a loopback HTTP server that misbehaves on purpose, one way a path prefix.

``FaultServer().url(MODE)`` is a base URL, ``http://127.0.0.1:PORT/MODE``, that zcli talks to as to ZStack
(``/MODE/v1/...``). ``PUT .../accounts/login`` always logs in (so a test can hold a session); every other
request gets the mode's fault:

==========  =====================================================================================
error503    an ErrorCode with a cause chain three deep, escape-laden description and details
text400     HTTP 400 in plain text, with escapes
text200     HTTP 200 that is not JSON, with escapes
html502     a proxy's HTML error page, with escapes
stall       reads the request, then never answers
trickle     answers a JSON body one byte a second
reset       reads the request, then resets the connection
redirect    307 to another origin (``FaultServer.witness``, which records what reaches it)
deep        JSON nested 100,000 deep (past what the JSON parser takes)
deep600     JSON nested 600 deep (past zcli's documented limit, within the parser's)
deep400     JSON nested 400 deep (within zcli's limit: every format must show it)
gzip        a gzip body inflating to ``GZIP_MB`` megabytes
evil        rows whose names, keys and descriptions carry terminal escapes, bidi and zero-width text
stuck       202 with an ``apiTimeout`` of 1.5 s, then a job that never ends
location    202 whose ``location`` carries escapes, then a 404 in plain text for that job
==========  =====================================================================================

Every connection ends when the server stops, and a stalled or trickling one after :data:`MAX_HOLD` seconds:
the suite never waits on it for long. Loopback only.
"""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import struct
import threading
import time
from functools import cache

#: The longest a stalled or trickling connection is held, in seconds.
MAX_HOLD = 30.0
#: What a gzip body inflates to, in megabytes.
GZIP_MB = 64
#: The escapes an attacker puts in a name: title, clipboard (OSC 52), clear screen, bell, NUL, C1 CSI,
#: a right-to-left override, an isolate, a zero-width space.
EVIL = "\x1b]0;owned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x00\x9b31m\u202etxt.exe\u2066\u200b"
SESSION = "f" * 32


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@cache
def _bomb(megabytes: int) -> bytes:
    """A gzip body whose JSON is one long string of ``megabytes`` MB of zeros."""
    body = gzip.compress(b'{"inventories": [{"name": "' + b"0" * (megabytes * 1024 * 1024) + b'"}]}', 9)
    return body


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(MAX_HOLD)
        try:
            head, body = _read_request(sock)
        except (OSError, ValueError):
            return
        if head is None:
            return
        method, path = head
        srv = self.server
        srv.seen.append((method, path, body))
        if path.endswith("/v1/accounts/login") and method == "PUT" and srv.mode_of(path) != "redirect":
            return _send(sock, 200, {"inventory": {"uuid": SESSION, "accountUuid": "a" * 32}})
        getattr(self, "mode_" + srv.mode_of(path), self.mode_unknown)(sock, path)

    # --- the modes -------------------------------------------------------------------------------
    def mode_unknown(self, sock, path):
        _send(sock, 404, b"no such fault mode", "text/plain")

    def mode_error503(self, sock, path):
        cause = {"code": "HOST.1001", "description": "the host is down" + EVIL, "details": "ping failed",
                 "cause": {"code": "SYS.1000", "description": "timeout", "details": "after 30s" + EVIL}}
        _send(sock, 503, {"error": {"code": "SYS.1006", "description": "Operation failed" + EVIL,
                                    "details": "cannot start the VM" + EVIL, "cause": cause}})

    def mode_text400(self, sock, path):
        _send(sock, 400, ("Invalid request body" + EVIL).encode(), "text/plain")

    def mode_text200(self, sock, path):
        _send(sock, 200, ("hello from a proxy" + EVIL).encode(), "text/plain")

    def mode_html502(self, sock, path):
        _send(sock, 502, f"<html><title>x</title><body>Bad gateway{EVIL}</body></html>".encode(), "text/html")

    def mode_stall(self, sock, path):
        self.server.stopped.wait(MAX_HOLD)

    def mode_trickle(self, sock, path):
        body = json.dumps({"inventories": [{"uuid": "u" * 32, "name": "slow"}] * 20}).encode()
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode())
        for i in range(len(body)):
            if self.server.stopped.wait(1.0):
                return
            try:
                sock.sendall(body[i:i + 1])
            except OSError:  # the client gave up: what a deadline is for
                return

    def mode_reset(self, sock, path):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    def mode_redirect(self, sock, path):
        target = self.server.witness.base + path.split("/redirect", 1)[1]
        _send(sock, 307, b"", "text/plain", extra={"Location": target})

    def mode_deep(self, sock, path):
        _send(sock, 200, b'{"inventories": ' + _nested(100_000) + b"}")

    def mode_deep600(self, sock, path):
        _send(sock, 200, b'{"inventories": ' + _nested(600) + b"}")

    def mode_deep400(self, sock, path):
        _send(sock, 200, b'{"inventories": [' + _nested(398) + b"]}")

    def mode_gzip(self, sock, path):
        _send(sock, 200, _bomb(GZIP_MB), extra={"Content-Encoding": "gzip"})

    def mode_evil(self, sock, path):
        rows = [{"uuid": "1" * 32, "name": "zone" + EVIL, "state": "Enabled" + EVIL, "description": "d" + EVIL,
                 "key" + EVIL: "v"},
                {"uuid": "2" * 32, "name": "plain", "state": "Enabled", "description": "ok", "key" + EVIL: "w"}]
        _send(sock, 200, {"inventories": rows})

    def mode_stuck(self, sock, path):
        if "/api-jobs/" in path:
            return _send(sock, 202, {})
        base = path.split("/v1/", 1)[0]
        _send(sock, 202, {"location": f"http://127.0.0.1:{self.server.port}{base}/v1/api-jobs/J1",
                          "apiTimeout": 1500})

    def mode_location(self, sock, path):
        if "/api-jobs/" in path:
            return _send(sock, 404, ("no such job" + EVIL).encode(), "text/plain")
        base = path.split("/v1/", 1)[0]
        _send(sock, 202, {"location": f"http://127.0.0.1:{self.server.port}{base}/v1/api-jobs/J{EVIL}"})


def _read_request(sock: socket.socket) -> tuple[tuple[str, str] | None, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > 1 << 20:
            raise ValueError("request head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return (method, path), rest


def _send(sock: socket.socket, status: int, body, content_type: str = "application/json", *,
          extra: dict | None = None) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": content_type, "Content-Length": str(len(data)), "Connection": "close",
               **(extra or {})}
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    try:
        sock.sendall(head.encode() + data)
    except OSError:
        pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.port = self.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.seen: list[tuple[str, str, bytes]] = []
        self.stopped = threading.Event()
        self.witness: _Server | None = None

    @staticmethod
    def mode_of(path: str) -> str:
        return path.lstrip("/").split("/", 1)[0]


class FaultServer:
    """The fault server on a free loopback port, with a witness server (another origin) beside it.

    Attributes:
        seen: (method, path, body) of each request that reached the fault server.
        witness_seen: the same for the witness (a redirect's other origin).
    """

    def __init__(self):
        self._server = _Server()
        self._witness = _Server()
        self._server.witness = self._witness
        self._threads = [threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True)
                         for s in (self._server, self._witness)]
        for t in self._threads:
            t.start()

    def url(self, mode: str) -> str:
        return f"{self._server.base}/{mode}"

    @property
    def seen(self) -> list:
        return self._server.seen

    @property
    def witness_seen(self) -> list:
        return self._witness.seen

    def stop(self) -> None:
        for s in (self._server, self._witness):
            s.stopped.set()
            s.shutdown()
            s.server_close()


def wait_until(predicate, timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
