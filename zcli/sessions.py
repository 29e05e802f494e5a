"""Kept login sessions: one file per endpoint and account, readable by its owner alone.

``<state_dir>/sessions/`` (mode 0700) holds ``<endpoint key>.<account>.json`` files (mode 0600) with the
endpoint, the account and the session uuid, and what ``whoami`` shows: the user, the login kind, the
session's expiry and the server's version — never a password, hashed or not. The newest file of an
endpoint is its current session. Files are written whole to a private temporary file, then renamed into
place, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

from zcli.paths import private_dir


def same_endpoint(endpoint: str) -> str:
    """``endpoint`` as sessions compare it: no trailing slash, scheme and host in lower case (they are
    case-insensitive: ``-H LOCALHOST`` is ``localhost``); the path keeps its case."""
    scheme, sep, rest = endpoint.rstrip("/").partition("://")
    if not sep:
        return endpoint.rstrip("/")
    netloc, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{netloc.lower()}{slash}{path}"


def endpoint_key(endpoint: str) -> str:
    """A file-name-safe key for an endpoint URL: readable host and port, plus a short hash of the whole."""
    norm = endpoint.rstrip("/").lower()
    readable = re.sub(r"[^a-z0-9]+", "_", norm.split("://", 1)[-1].split("/", 1)[0]).strip("_")
    return f"{readable}-{hashlib.sha256(norm.encode()).hexdigest()[:12]}"


def _account_key(account: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", account)[:40]
    return f"{safe}-{hashlib.sha256(account.encode()).hexdigest()[:8]}"


class SessionStore:
    """The sessions kept under ``state_dir``.

    Args:
        state_dir: the state folder (``zcli.paths.state_dir()``); sessions live in its ``sessions/``.
        clock: wall-clock time source (injectable for tests), used to order sessions.
    """

    def __init__(self, state_dir: Path | str, clock=time.time):
        self.folder = Path(state_dir) / "sessions"
        self.clock = clock

    def _path(self, endpoint: str, account: str) -> Path:
        return self.folder / f"{endpoint_key(endpoint)}.{_account_key(account)}.json"

    def _entries(self, endpoint: str) -> list[tuple[float, Path, dict]]:
        """The kept sessions of ``endpoint``, newest first; unreadable files are skipped."""
        if not self.folder.is_dir():
            return []
        out = []
        wanted = same_endpoint(endpoint)
        for path in self.folder.glob(f"{endpoint_key(endpoint)}.*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("uuid") and same_endpoint(str(data.get("endpoint"))) == wanted:
                out.append((float(data.get("saved", 0)), path, data))
        out.sort(key=lambda e: e[0], reverse=True)
        return out

    def save(self, endpoint: str, account: str, session_uuid: str, **about: object) -> Path:
        """Keep ``session_uuid`` as the current session of ``account`` on ``endpoint``; return its file.

        Args:
            about: what else to keep with it (``user``, ``kind``, ``expires``, ``version``); None values are
                left out.
        """
        private_dir(self.folder)
        path = self._path(endpoint, account)
        data = {"endpoint": same_endpoint(endpoint), "account": account, "uuid": session_uuid,
                "saved": self.clock(), **{k: v for k, v in about.items() if v is not None}}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)  # an old tmp file may have had another mode
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return path

    def current(self, endpoint: str) -> tuple[str, str] | None:
        """(account, session uuid) of the current session of ``endpoint``, from one read of the folder."""
        entries = self._entries(endpoint)
        if not entries:
            return None
        data = entries[0][2]
        return str(data.get("account")), str(data["uuid"])

    def about(self, endpoint: str) -> dict | None:
        """Everything kept with the current session of ``endpoint`` (see :meth:`save`), or None."""
        entries = self._entries(endpoint)
        return dict(entries[0][2]) if entries else None

    def update(self, endpoint: str, session_uuid: str, **about: object) -> bool:
        """Change what is kept with ``session_uuid`` on ``endpoint`` (a renewed expiry); True when kept."""
        for _, _, data in self._entries(endpoint):
            if data.get("uuid") == session_uuid:
                keep = {k: v for k, v in data.items() if k not in ("endpoint", "account", "uuid", "saved")}
                keep.update({k: v for k, v in about.items() if v is not None})
                self.save(endpoint, str(data.get("account")), session_uuid, **keep)
                return True
        return False

    def load(self, endpoint: str, account: str | None = None) -> str | None:
        """The session uuid kept for ``account`` on ``endpoint`` (the newest one when no account is named)."""
        for _, _, data in self._entries(endpoint):
            if account is None or data.get("account") == account:
                return str(data["uuid"])
        return None

    def account(self, endpoint: str) -> str | None:
        """The account of the current session of ``endpoint``."""
        current = self.current(endpoint)
        return current[0] if current else None

    def clear(self, endpoint: str, account: str | None = None) -> bool:
        """Forget the session of ``account`` on ``endpoint`` (the current one when no account is named).

        Returns:
            True when a file was deleted.
        """
        for _, path, data in self._entries(endpoint):
            if account is None or data.get("account") == account:
                path.unlink(missing_ok=True)
                return True
        return False

    def discard(self, endpoint: str, session_uuid: str) -> bool:
        """Forget every kept file of ``endpoint`` that holds ``session_uuid``; True when one was deleted."""
        gone = False
        for _, path, data in self._entries(endpoint):
            if data.get("uuid") == session_uuid:
                path.unlink(missing_ok=True)
                gone = True
        return gone
