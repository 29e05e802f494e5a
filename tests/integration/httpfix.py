"""Small loopback HTTP(S) servers for tests of what zcli does on the wire: each answers with a function of
(method, path, body) and records every request it got. A certificate is made at test time with ``openssl``."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Seen:
    method: str
    path: str
    body: bytes
    headers: dict[str, str]


@dataclass
class Loopback:
    """A running server: ``url`` (scheme://127.0.0.1:port), ``seen`` (its requests)."""

    url: str
    server: http.server.ThreadingHTTPServer
    seen: list[Seen] = field(default_factory=list)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(answer: Callable[[str, str, bytes], Answer], *, cert: tuple[Path, Path] | None = None) -> Loopback:
    """Start a server on a free loopback port; TLS with ``cert`` = (certificate, key)."""
    box: list[Loopback] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            box[0].seen.append(Seen(self.command, self.path, body, dict(self.headers)))
            status, headers, data = answer(self.command, self.path, body)
            self.send_response(status)
            for k, v in {"Content-Type": "application/json", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _any

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    loop = Loopback(f"{scheme}://127.0.0.1:{server.server_address[1]}", server)
    box.append(loop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return loop


def make_cert(folder: Path, *names: str) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for ``names`` (``DNS:localhost``, ``IP:127.0.0.1``)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=zcli-test", "-addext", "subjectAltName=" + ",".join(names)],
                   check=True, capture_output=True, timeout=60)
    return cert, key
