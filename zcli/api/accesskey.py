"""AccessKey authentication: requests signed with a key made by CreateAccessKey, for unattended scripts.

The server (``rest/.../RestServer.java handleApi``) takes ``Authorization: ZStack <AccessKeyId>:<Signature>``
with a ``Date`` header in ``EEE, dd MMM yyyy HH:mm:ss z`` within 15 minutes of its clock
(``RestConstants.REQUEST_DURATION_MINUTES``, ``checkTimeSkewing``). The signature is the Java SDK's
(``sdk/.../ZSClient.java calculateAccessKeySignature``): base64 of HMAC-SHA1, keyed with the secret, over
``METHOD + "\\n" + DATE + "\\n" + "/v1" + PATH`` (the path without the query string).

The key id comes from the profile's ``access_key_id`` or ``ZCLI_ACCESS_KEY_ID``; the secret from
``ZCLI_ACCESS_KEY_SECRET`` or from the file named by ``access_key_secret_file`` /
``ZCLI_ACCESS_KEY_SECRET_FILE``, which must be readable by its owner alone (0600). Never from the command line,
where the process list would show it. With a key, no login and no session file are needed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from zcli.errors import UsageError

SECRET_ENV = "ZCLI_ACCESS_KEY_SECRET"


@dataclass(frozen=True)
class AccessKey:
    """A key id and its secret (the secret never printed: ``repr`` hides it)."""

    key_id: str
    secret: str = field(repr=False)

    def headers(self, method: str, path: str, now: datetime | None = None) -> dict[str, str]:
        """The ``Date`` and ``Authorization`` headers of a request to ``/v1`` + ``path``.

        Args:
            method: the HTTP method.
            path: the path after ``/v1`` (``/zones``), with or without its query string (not signed).
            now: the time to sign (injectable for tests); the current time by default.
        """
        date = http_date(now or datetime.now(UTC))
        return {"Date": date, "Authorization": f"ZStack {self.key_id}:{sign(self.secret, method, date, path)}"}


def http_date(when: datetime) -> str:
    """``Tue, 01 Dec 2026 09:50:00 GMT``: the server's ``EEE, dd MMM yyyy HH:mm:ss z`` in English, GMT."""
    when = when.astimezone(UTC)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (f"{days[when.weekday()]}, {when.day:02d} {months[when.month - 1]} {when.year} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} GMT")


def sign(secret: str, method: str, date: str, path: str) -> str:
    """``ZSClient.calculateAccessKeySignature``: base64(HMAC-SHA1(secret, METHOD\\nDATE\\n/v1PATH))."""
    text = f"{method}\n{date}\n/v1{path.split('?', 1)[0]}"
    return base64.b64encode(hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()).decode()


def load_access_key(key_id: str | None, secret_file: str | None, env: Mapping[str, str] = os.environ
                    ) -> AccessKey | None:
    """The access key to sign with, or None when no key id is set.

    Raises:
        UsageError: a key id without a secret; a secret file that is missing, empty, or readable by others.
    """
    if not key_id:
        return None
    secret = env.get(SECRET_ENV)
    if not secret and secret_file:
        secret = _read_secret_file(secret_file)
    if not secret:
        raise UsageError(f"access key {key_id} has no secret: set {SECRET_ENV}, or access_key_secret_file "
                         "(ZCLI_ACCESS_KEY_SECRET_FILE) to a file of mode 0600 holding it", word=key_id)
    return AccessKey(key_id, secret.strip())


def _read_secret_file(path: str) -> str:
    try:
        fd = os.open(os.path.expanduser(path), os.O_RDONLY)
    except OSError as exc:
        raise UsageError(f"cannot read the access key secret file {path}: {exc.strerror}", word=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_IMODE(mode) & 0o077:
            raise UsageError(f"the access key secret file {path} is readable by others (mode "
                             f"{stat.S_IMODE(mode):04o}): chmod 600 {path}", word=path)
        with os.fdopen(fd, encoding="utf-8") as fh:
            fd = -1
            text = fh.read(4096).strip()
    finally:
        if fd >= 0:
            os.close(fd)
    if not text:
        raise UsageError(f"the access key secret file {path} is empty", word=path)
    return text
