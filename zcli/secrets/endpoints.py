"""Credentials in an endpoint URL are refused (the policy: :mod:`zcli.secrets`)."""

from __future__ import annotations

import re

from zcli.secrets import MASK
from zcli.secrets.values import mask_text


def url_credentials(url: str) -> str | None:
    """The ``user[:password]`` part of an endpoint URL's authority, or None (read as text: any URL, even a
    malformed one, is judged before anything quotes it)."""
    _, sep, rest = url.strip().partition("://")
    if not sep:
        return None
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    user, at, _ = authority.rpartition("@")
    return user if at else None


def url_credentials_refusal(url: str) -> str | None:
    """Why the endpoint URL ``url`` is refused, or None: zcli never takes credentials in an endpoint URL
    (``--url``, ``ZCLI_URL``, a profile's ``url``, ``connect``), where they would reach the process list, the
    shell's history and screen, and be sent as a Basic ``Authorization`` header instead of zcli's session."""
    user = url_credentials(url)
    if user is None:
        return None
    name = user.partition(":")[0]
    plain = url.strip().replace(user + "@", "", 1)
    account = name or "NAME"
    return (f"'{mask_text(plain)}': an endpoint URL must not hold credentials ({name or '…'}:{MASK}@); give the"
            f" URL without them and log in with LogInByAccount accountName={account}, which asks for the password"
            " without echo (help LogInByAccount: how scripts pass it)")
