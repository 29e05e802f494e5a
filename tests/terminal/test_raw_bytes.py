"""The raw bytes zcli writes to a pseudo-terminal, one-shot and shell, against the fault server's escape-laden
names and errors: not one control, bidi or invisible character that came from the server reaches it raw."""

from __future__ import annotations

import os
import re
import sys
import time

import pexpect
import pytest

from tests.faults import SESSION, FaultServer
from zcli.sessions import SessionStore

pytestmark = pytest.mark.timeout(120)

#: zcli's own colours (the only escapes a one-shot command writes on a terminal).
SGR = re.compile(rb"\x1b\[[0-9;]*m")
#: The pieces of the server's payload (tests/faults.py EVIL) that must never arrive raw, even in the shell,
#: whose editor writes escape sequences of its own.
PAYLOAD = [b"\x1b]0;owned", b"\x1b]52;", b"\x1b[2J\x00", b"\x07\x1b[2J", b"\x00", "\x9b".encode(),
           "\u202e".encode(), "\u2066".encode(), "\u200b".encode()]


def raw_characters(data: bytes) -> list[str]:
    text = SGR.sub(b"", data).decode("utf-8", "replace")
    return sorted({f"U+{ord(ch):04X}" for ch in text
                   if (ord(ch) < 0x20 and ch not in "\r\n\t") or 0x7F <= ord(ch) <= 0x9F
                   or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 or ch == "\u200b"})


@pytest.fixture(scope="module")
def faults():
    server = FaultServer()
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path, faults):
    store = SessionStore(tmp_path / "state")
    for mode in ("evil", "error503", "text400", "text200", "location"):
        store.save(faults.url(mode), "admin", SESSION)
    child = {k: v for k, v in os.environ.items() if not k.startswith(("ZCLI_", "PYTEST"))}
    child.update({"ZCLI_STATE_DIR": str(tmp_path / "state"), "ZCLI_CONFIG_DIR": str(tmp_path / "config"),
                  "TERM": "xterm", "PAGER": "cat", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "COLUMNS": "200"})
    return child


def run_in_pty(args: list[str], env: dict) -> tuple[bytes, int]:
    child = pexpect.spawn(sys.executable, ["-m", "zcli", *args], env=env, dimensions=(40, 200), timeout=30)
    data = b""
    while True:
        try:
            data += child.read_nonblocking(65536, timeout=30)
        except pexpect.EOF:
            break
    child.close()
    return data, child.exitstatus


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "csv", "tsv", "jsonl", "value"])
def test_one_shot_output_on_a_terminal_is_safe_in_every_format(faults, env, fmt):
    data, status = run_in_pty(["--url", faults.url("evil"), "QueryZone", "-o", fmt], env)
    assert status == 0, data
    assert raw_characters(data) == [], data
    assert re.search(rb"\\(x1b|u001b|e)\]0;owned", data), data  # shown, escaped (yaml: its own \\e)


def test_one_shot_record_on_a_terminal_is_safe(faults, env):
    data, status = run_in_pty(["--url", faults.url("evil"), "QueryZone", "limit=1", "--query", "inventories[0]"],
                              env)
    assert status == 0 and raw_characters(data) == [], data


@pytest.mark.parametrize("mode,args,status", [
    ("error503", ["QueryZone"], 1),
    ("text400", ["QueryZone"], 1),
    ("text200", ["QueryZone"], 3),
    ("location", ["CreateZone", "name=z"], 1),
])
def test_one_shot_error_lines_on_a_terminal_are_safe(faults, env, mode, args, status):
    data, got = run_in_pty(["--url", faults.url(mode), *args], env)
    assert got == status, data
    assert raw_characters(data) == [], data
    assert b"\\x1b]0;owned" in data


def test_the_shell_writes_no_server_escape_raw(faults, env):
    child = pexpect.spawn(sys.executable, ["-m", "zcli", "--url", faults.url("evil")], env=env,
                          dimensions=(40, 200), timeout=30)
    data = b""

    def pump(seconds: float) -> None:
        nonlocal data
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                data += child.read_nonblocking(65536, timeout=0.1)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                return

    def wait_for(needle: bytes, start: int = 0, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while needle not in data[start:] and time.monotonic() < end and child.isalive():
            pump(0.1)
        assert needle in data[start:], data[-2000:]

    try:
        wait_for(b"zcli>")
        for line, needle in [("QueryZone", b"plain"), ("QueryZone -o csv", b"plain"),
                             ("QueryZone -o yaml", b"plain"), ("QueryZone -o value", b"plain"),
                             (f"connect {faults.url('error503')}", b"connected"),
                             ("QueryZone", b"SYS.1006"),
                             (f"connect {faults.url('location')}", b"connected"),
                             ("CreateZone name=z", b"no such job")]:
            mark = len(data)
            child.send(line + "\r")
            wait_for(needle, mark)
            wait_for(b"zcli>", data.index(needle, mark))  # all it wrote: the next prompt comes after
        child.sendcontrol("d")
        child.expect(pexpect.EOF)  # and what it wrote on leaving
        data += child.before
    finally:
        child.close(force=True)
    leaked = [p for p in PAYLOAD if p in data]
    assert leaked == [], data
