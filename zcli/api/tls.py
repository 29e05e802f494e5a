"""What a TLS failure says, whole, and the warning ``--insecure`` gives."""

from __future__ import annotations

import re

#: Printed once on stderr when TLS certificates are not verified (``--insecure``, ``ZCLI_INSECURE``).
INSECURE_WARNING = ("warning: TLS certificates are not verified (--insecure, ZCLI_INSECURE or the config file's"
                    " insecure): anyone on the network path can read and change what is sent, the session included")

_SSL_TEXT = re.compile(r"\[SSL(?:: [A-Z0-9_]+)?\] (?P<text>.*?)(?: \(_ssl\.c:\d+\))?['\")]*$")


def tls_reason(exc: BaseException) -> str | None:
    """The words of the ``ssl`` error inside ``exc`` (requests and urllib3 nest it several deep), whole:
    ``certificate verify failed: Hostname mismatch, certificate is not valid for 'mn.example.com'.``"""
    import ssl

    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        e = todo.pop(0)
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, ssl.SSLError):
            m = _SSL_TEXT.search(str(e).strip())
            text = m.group("text") if m else str(e)
            return " ".join(text.split()).rstrip(".") or None
        todo += [*e.args, getattr(e, "reason", None), e.__cause__, e.__context__]
    return None
