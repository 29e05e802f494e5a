"""The HTTP face of the simulator: a stdlib HTTP/1.1 server that hands each request to a Simulator.

HTTP/1.1 with keep-alive (clients such as ``requests`` reuse their connection), a Content-Length
on every reply, JSON as UTF-8 text (Chinese names stay readable on the wire, as the server sends them).

Bounded whatever the clients do:

* a fixed pool of worker threads answers requests; a connection holds no thread until the head of
  its next request has arrived whole (a watcher thread reads heads as they come, from a selector), so
  600 stalled connections are 600 sockets, not 600 threads, and they do not keep others waiting;
* a connection idle longer than ``idle_timeout`` (waiting, or in the middle of a request) is closed;
  at most ``max_connections`` are open, further ones are closed at once;
* a request line is at most 1 MiB, a body at most ``max_body`` bytes (16 MiB); a bad or huge
  ``Content-Length``, or a chunked body, gets 400 and a closed connection;
* a client that goes away mid-reply is forgotten quietly: no traceback reaches stderr.

A connection itself (its socket, streams and the reading of request heads) is
:class:`zcli.sim.connection.Connection`; this module answers requests and runs the pool.
"""

from __future__ import annotations

import json
import queue
import selectors
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from zcli.sim.connection import MAX_LINE, Connection

MAX_BODY = 16 << 20  # bytes of a request body
IDLE_TIMEOUT = 30.0  # seconds a connection may be silent
WORKERS = 16
MAX_CONNECTIONS = 1024


class _BadRequest(Exception):
    """The request cannot be read: answer 400 with this text and close."""


class Handler(BaseHTTPRequestHandler):
    """Answers one request on a connection; the server decides what happens to the connection next."""

    protocol_version = "HTTP/1.1"
    server_version = "zcli-sim"
    sim = None
    verbose = False
    log = staticmethod(print)

    def __init__(self, conn, server):  # no socketserver set-up: a connection outlives one handler
        self.request = self.connection = conn.sock
        self.client_address = conn.addr
        self.server = server
        self.rfile = conn.rfile
        self.wfile = conn.wfile
        self.close_connection = True

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise _BadRequest("chunked request bodies are not supported: send a Content-Length")
        if self.headers.get("Transfer-Encoding"):
            raise _BadRequest("unsupported Transfer-Encoding")
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return b""
        if len(set(v.strip() for v in values)) != 1 or not values[0].strip().isdigit():
            raise _BadRequest("bad Content-Length")
        length = int(values[0].strip()[:20])
        if len(values[0].strip()) > 18 or length > self.server.max_body:
            raise _BadRequest(f"the body is larger than {self.server.max_body} bytes")
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise _BadRequest("the body is shorter than its Content-Length")
        return body

    def _send(self, status: int, reply) -> None:
        if isinstance(reply, dict):
            try:
                data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
            except (UnicodeEncodeError, ValueError, RecursionError):  # e.g. a lone surrogate kept from input
                data = json.dumps(reply, ensure_ascii=True).encode("ascii")
            ctype = "application/json; charset=utf-8"
        else:
            data = (reply or "").encode("utf-8", "replace")
            ctype = "text/plain; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()

    def _serve(self) -> None:
        started = time.perf_counter()
        try:
            body = self._body()
        except _BadRequest as e:
            self.close_connection = True
            status, reply = 400, str(e)
        else:
            url = urlsplit(self.path)
            query = parse_qsl(url.query, keep_blank_values=True, max_num_fields=None)
            host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
            try:
                status, reply = self.sim.handle(self.command, unquote(url.path), query, self.headers, body,
                                                f"http://{host}")
            except Exception as exc:  # a bug: answer 500 like the server's catch-all, never leave a client hanging
                status, reply = 500, f"internal error: {exc!r}"
        self._send(status, reply)
        if self.verbose:
            ms = (time.perf_counter() - started) * 1000
            self.log(f"{self.command} {self.path} -> {status} ({ms:.1f} ms)")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

    def handle_one_request(self) -> None:
        """The stdlib's, with a longer request line (zcli sends thousands of conditions in one query)."""
        try:
            self.raw_requestline = self.rfile.readline(MAX_LINE + 1)
            if len(self.raw_requestline) > MAX_LINE:
                self.requestline = self.request_version = self.command = ""
                self.send_error(414, "the request line is too long")
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            method = getattr(self, "do_" + self.command, None)
            if method is None:
                self.send_error(501, f"unsupported method ({self.command!r})")
                return
            method()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True

    def send_error(self, code, message=None, explain=None):
        """The stdlib's own errors (bad request line, too many headers): plain text, connection closed."""
        self.close_connection = True
        self.request_version = self.protocol_version  # a status line even for a request line that is not HTTP
        try:
            self.send_response(code, message)
            text = (message or self.responses.get(code, ("error",))[0]).encode("utf-8", "replace")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(text)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(text)
        except OSError:
            pass

    def log_message(self, format, *args):
        pass  # requests are logged by _serve when verbose; nothing otherwise


class SimHTTPServer(HTTPServer):
    """Accepts connections, parks idle ones in a selector, and answers requests on a fixed pool of threads.

    Args:
        address: (host, port); port 0 picks a free one.
        handler: the :class:`Handler` subclass bound to a simulator.
        idle_timeout / max_body / workers / max_connections: the bounds (see the module docstring).
    """

    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler, *, idle_timeout: float = IDLE_TIMEOUT, max_body: int = MAX_BODY,
                 workers: int = WORKERS, max_connections: int = MAX_CONNECTIONS):
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        self.max_connections = max_connections
        self._ready: queue.Queue[Connection | None] = queue.Queue()
        self._parked: dict[int, Connection] = {}
        self._lock = threading.Lock()
        self._open = 0
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._closing = threading.Event()
        self._threads = [threading.Thread(target=self._work, name=f"zcli-sim-http-{i}", daemon=True)
                         for i in range(workers)]
        self._threads.append(threading.Thread(target=self._watch, name="zcli-sim-idle", daemon=True))
        super().__init__(address, handler)  # calls server_close when it cannot bind: nothing runs yet then
        for t in self._threads:
            t.start()

    # --- connections -------------------------------------------------------------------------
    def process_request(self, request, client_address):
        with self._lock:
            full = self._open >= self.max_connections
            if not full:
                self._open += 1
        if full:
            self.shutdown_request(request)
            return
        try:
            conn = Connection(request, client_address, self.idle_timeout)
        except OSError:
            with self._lock:
                self._open -= 1
            self.shutdown_request(request)
            return
        self._park(conn)  # a worker takes it once its request head has arrived

    def _park(self, conn: Connection) -> None:
        conn.since = time.monotonic()
        with self._lock:
            self._parked[conn.sock.fileno()] = conn
            try:
                self._selector.register(conn.sock, selectors.EVENT_READ, conn)
            except (OSError, ValueError, KeyError):
                self._parked.pop(conn.sock.fileno(), None)
                self._drop(conn)
                return
        self._wake_w.send(b"x")

    def _drop(self, conn: Connection) -> None:
        conn.close()
        with self._lock:
            self._open -= 1

    def _watch(self) -> None:
        """Hand parked connections that have bytes to the workers; close those idle too long."""
        while not self._closing.is_set():
            events = self._selector.select(timeout=0.5)
            for key, _ in events:
                if key.data is None:
                    try:
                        self._wake_r.recv(4096)
                    except OSError:
                        pass
                    continue
                conn = key.data
                state = conn.fill()
                if state is False:  # part of a head: wait for the rest without holding a thread
                    conn.since = time.monotonic()
                    continue
                with self._lock:
                    try:
                        self._selector.unregister(conn.sock)
                    except (KeyError, ValueError, OSError):
                        pass
                    self._parked.pop(conn.sock.fileno(), None)
                if state is None:
                    self._drop(conn)
                else:
                    self._ready.put(conn)
            now = time.monotonic()
            with self._lock:
                stale = [c for c in self._parked.values() if now - c.since > self.idle_timeout]
                for c in stale:
                    self._parked.pop(c.sock.fileno(), None)
                    try:
                        self._selector.unregister(c.sock)
                    except (KeyError, ValueError, OSError):
                        pass
            for c in stale:
                self._drop(c)

    def _work(self) -> None:
        while True:
            conn = self._ready.get()
            if conn is None:
                return
            try:
                keep = self._answer(conn)
            except Exception:  # whatever a client does, the worker lives and nothing is printed
                keep = False
            if keep and not self._closing.is_set():
                self._park(conn)
            else:
                self._drop(conn)

    def _answer(self, conn: Connection) -> bool:
        """Answer the requests that have arrived on ``conn``; True to keep it open for the next."""
        while True:
            handler = self.RequestHandlerClass(conn, self)
            try:
                handler.handle_one_request()
            except OSError:  # reset, broken pipe, timeout: the client is gone
                return False
            if handler.close_connection:
                return False
            if not conn.buffered():
                return True

    # --- life ----------------------------------------------------------------------------------
    def server_close(self) -> None:
        self._closing.set()
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        super().server_close()
        if not self._threads[-1].is_alive():  # never started (bind failed) or already closed
            return
        for _ in self._threads:
            self._ready.put(None)
        watcher = self._threads[-1]
        watcher.join(timeout=2)
        with self._lock:
            parked = list(self._parked.values())
            self._parked.clear()
        for c in parked:
            c.close()
        deadline = time.monotonic() + 2.0  # a worker in the middle of a slow request is a daemon: not waited for long
        for t in self._threads[:-1]:
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        if not watcher.is_alive():
            self._selector.close()
            self._wake_r.close()
            self._wake_w.close()

    def handle_error(self, request, client_address):
        pass  # never a traceback on stderr


def make_server(sim, host: str = "127.0.0.1", port: int = 8080, *, verbose: bool = False,
                log=None, **bounds) -> SimHTTPServer:
    """An HTTP server for ``sim`` bound to (host, port); port 0 picks a free one.

    ``bounds``: ``idle_timeout``, ``max_body``, ``workers``, ``max_connections`` (see :class:`SimHTTPServer`).
    """
    def default_log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    handler = type("SimHandler", (Handler,), {"sim": sim, "verbose": verbose,
                                              "log": staticmethod(log or default_log)})
    return SimHTTPServer((host, port), handler, **bounds)
