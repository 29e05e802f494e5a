"""One client connection of the simulator's HTTP server, kept between the requests it carries.

Its socket, a buffered reader that first hands out what the server's watcher thread already read (the head
of the next request, read from a selector without holding a worker thread), and a writer straight to the
socket. :meth:`Connection.fill` says when a whole request head has arrived, :meth:`Connection.buffered`
whether a pipelined request is already waiting.
"""

from __future__ import annotations

import io
import socket
import time

MAX_LINE = 1 << 20  # bytes of a request line (the URL and its query string)
MAX_HEAD = 1 << 16  # bytes of the headers


class _Writer(io.BufferedIOBase):
    """Writes straight to a socket (``sendall``), as socketserver's writer for unbuffered handlers does."""

    def __init__(self, sock):
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self._sock.sendall(b)
        with memoryview(b) as view:
            return view.nbytes


class _Reader(io.RawIOBase):
    """A connection's bytes: first what the watcher already read (``pending``), then the socket."""

    def __init__(self, conn):
        self._conn = conn

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int | None:
        pending = self._conn.pending
        if pending:
            n = min(len(b), len(pending))
            b[:n] = pending[:n]
            del pending[:n]
            return n
        try:
            return self._conn.sock.recv_into(b)
        except BlockingIOError:
            return None


class Connection:
    """One client connection: its socket and buffered streams, kept between requests."""

    __slots__ = ("addr", "pending", "rfile", "since", "sock", "timeout", "wfile")

    def __init__(self, sock, addr, timeout: float):
        self.sock, self.addr, self.timeout = sock, addr, timeout
        sock.settimeout(timeout)
        # Headers and body go out in two writes: without NODELAY, Nagle + delayed ACK add 40 ms a reply.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = bytearray()
        self.rfile = io.BufferedReader(_Reader(self), 65536)
        self.wfile = _Writer(sock)
        self.since = time.monotonic()

    def fill(self) -> bool | None:
        """Read what has arrived (the socket is readable); True once a whole request head is here,
        False to wait for more, None when the client has gone."""
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return None
        if not data:
            return None
        if not self.pending and not data[:1].isalpha():  # not HTTP (a TLS hello to a plain port): refuse now
            try:
                self.sock.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            return None
        start = max(0, len(self.pending) - 3)
        self.pending += data
        tail = self.pending[start:]
        return b"\n\r\n" in tail or b"\n\n" in tail or len(self.pending) > MAX_LINE + MAX_HEAD

    def buffered(self) -> bool:
        """True when bytes of a next request are already read (pipelined), without waiting for any."""
        try:
            self.sock.settimeout(0)
            try:
                return bool(self.pending) or bool(self.rfile.peek(1))
            finally:
                self.sock.settimeout(self.timeout)
        except (OSError, ValueError):
            return False

    def close(self) -> None:
        for f in (self.rfile, self.wfile):
            try:
                f.close()
            except OSError:
                pass
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
