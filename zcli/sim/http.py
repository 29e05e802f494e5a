"""The HTTP face of the simulator: a threaded stdlib server that hands each request to a Simulator.

HTTP/1.1 with keep-alive (clients such as ``requests`` reuse their connection), a Content-Length
on every reply, JSON as UTF-8 text (Chinese names stay readable on the wire, as the server sends them).
"""

from __future__ import annotations

import json
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit


def _handler_class(sim, verbose: bool, log):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "zcli-sim"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without NODELAY, Nagle + delayed ACK add 40 ms a reply.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            started = time.perf_counter()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            url = urlsplit(self.path)
            query = parse_qsl(url.query, keep_blank_values=True)
            host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            try:
                status, reply = sim.handle(self.command, unquote(url.path), query, self.headers, body,
                                           f"http://{host}")
            except Exception as exc:  # never leave a client hanging: answer 500 like the server's catch-all
                status, reply = 500, f"internal error: {exc!r}"
            if isinstance(reply, dict):
                data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
                ctype = "application/json; charset=utf-8"
            else:
                data = (reply or "").encode("utf-8")
                ctype = "text/plain; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            if verbose:
                ms = (time.perf_counter() - started) * 1000
                log(f"{self.command} {self.path} -> {status} ({ms:.1f} ms)")

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, format, *args):
            pass  # requests are logged by _serve when verbose; nothing otherwise

    return Handler


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(sim, host: str = "127.0.0.1", port: int = 8080, *, verbose: bool = False,
                log=None) -> SimHTTPServer:
    """A threaded HTTP server for ``sim`` bound to (host, port); port 0 picks a free one."""
    def default_log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    return SimHTTPServer((host, port), _handler_class(sim, verbose, log or default_log))
