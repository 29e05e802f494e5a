"""The secret parts of values and free text, and how they are masked (the policy: :mod:`zcli.secrets`).

A value under a secret name is masked whole; in any other value the password of a URL's credentials, the
value of a password-bearing system tag and the string values of secret members of JSON text are masked.
"""

from __future__ import annotations

import re

from zcli.secrets import MASK, SECRET_TAGS, is_secret, is_url_name, looks_secret

TYPE_CHECKING = False  # typing and collections.abc stay off the start-up path (start-up time is a feature)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Collection, Iterable
    from typing import Any

# ``scheme://user:PASS@``: the password ends at the authority's last ``@`` (as urllib.parse.urlsplit reads it).
# The look-behind starts a scheme only at the start of a run of scheme characters: linear, not quadratic.
# (The patterns of this module are text: re compiles each on first use and keeps it; a plain command uses none.)
_SCHEME_PASSWORD = r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*:(?P<password>[^\s/?#]*)@"
# ``user:PASS@host`` at the start of a URL-named value, or of an item of its list (Ceph monUrls).
_BARE_PASSWORD = r"(?:^|(?<=[,'\"=]))[^\s:/?#@,'\"=]+:(?P<password>[^\s/?#,'\"]*)@"
# ``rootPassword::VALUE`` at the start of a value, of an item of a list, or after an operator; the value ends
# at an unescaped comma (a list's next item), a quote or a blank.
_TAG_SECRET = (r"(?i)(?:^|(?<=[,'\"=\s]))(?:" + "|".join(SECRET_TAGS)
               + r")::(?P<secret>[^,'\"\s\\]*+(?:\\.[^,'\"\s\\]*+)*+)")



def url_password_spans(value: str, name: str = "") -> list[tuple[int, int]]:
    """(start, end) offsets in ``value`` of the passwords of URL credentials (``scheme://user:PASS@host``;
    also ``user:PASS@host`` when ``name`` names a URL). Empty passwords are not reported."""
    spans = [m.span("password") for m in re.finditer(_SCHEME_PASSWORD, value)] if "://" in value else []
    if "@" in value and is_url_name(name):
        spans += [m.span("password") for m in re.finditer(_BARE_PASSWORD, value)]
    return merged(spans)


def tag_secret_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``value`` of the values of password-bearing system tags (:data:`SECRET_TAGS`)."""
    if "::" not in value:
        return []
    return merged(m.span("secret") for m in re.finditer(_TAG_SECRET, value))


def json_secret_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) offsets in JSON text ``value`` of the string values of secret members
    (``{"uuid": "u", "consolePassword": "PW"}``: ``PW``)."""
    if '"' not in value:
        return []
    return merged(m.span("value") for m in re.finditer(_JSON_MEMBER, value) if is_secret(m.group("key")))


def part_spans(value: str, name: str = "") -> list[tuple[int, int]]:
    """The secret parts of a value that is no secret as a whole: URL passwords, password tags' values and
    the values of secret members of JSON text."""
    if "@" not in value and "::" not in value and '"' not in value:  # none of them can be there (a word a time)
        return []
    return merged([*url_password_spans(value, name), *tag_secret_spans(value), *json_secret_spans(value)])


def value_spans(name: str, value: str) -> list[tuple[int, int]]:
    """The secret parts of ``value`` typed or sent under ``name``: all of it when the name looks secret."""
    if not value:
        return []
    if looks_secret(name):
        return [(0, len(value))]
    return part_spans(value, name)


def masked(value: str, spans: Iterable[tuple[int, int]]) -> str:
    """``value`` with each of ``spans`` replaced by :data:`MASK`."""
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out += [value[last:start], MASK]
        last = end
    return "".join([*out, value[last:]])


def mask_url_passwords(value: str, name: str = "") -> str:
    """``value`` with the password of each URL credential masked, the user kept: ``http://u:*****@h/i``."""
    return masked(value, url_password_spans(value, name))


def mask_value(name: str, value: str) -> str:
    """``value`` (typed under ``name``) as it may be shown: masked whole, in parts, or as it is."""
    return masked(value, value_spans(name, value))


def secret_parts(name: str, value: str) -> list[str]:
    """The secret pieces of ``value`` typed under ``name`` (for faces that redact later messages)."""
    return [value[s:e] for s, e in value_spans(name, value)]


def mask_data(value: Any, secrets: Collection[str] = (), *, key: object = "") -> Any:
    """``value`` (held under ``key``) with every secret masked, for ``--debug`` and kept results.

    A scalar under a secret key (or one of ``secrets``) becomes :data:`MASK`; an object or list under such a
    key is walked, not hidden whole (``{"setVmConsolePassword": {"uuid": ...}}`` keeps its uuid); in every
    other string the passwords of URL credentials and the values of password tags are masked."""
    if isinstance(value, dict):
        return {k: mask_data(v, secrets, key=k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v, secrets, key=key) for v in value]
    if value is not None and key and (key in secrets or is_secret(str(key))):
        return MASK
    if isinstance(value, str):
        return masked(value, part_spans(value, str(key)))
    return value


def mask_text(text: str) -> str:
    """Free text (an error line, a server's message) with URL passwords and password tags' values masked,
    and the value of every ``key=value`` whose key is secret (``password=PW`` → ``password=*****``)."""
    text = masked(text, part_spans(text))
    if "=" not in text:
        return text
    def mask(m: re.Match) -> str:
        if not is_secret(m.group("key")) or re.match(_PLACEHOLDER, m.group("value")):
            return m.group(0)
        return m.group("key") + m.group("op") + MASK

    return re.sub(_KEY_VALUE, mask, text)


_KEY_VALUE = (r"(?<![A-Za-z0-9_])(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<op>\s?=\s?)"
              r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s,;)}'\"]+)")


# What a message writes in place of a value (``password=PASSWORD``, ``password=@FILE``, ``password=*****``):
# no secret. A secret typed in this run is masked by the :class:`Redactor` whatever it looks like.
_PLACEHOLDER = r"^(?:[A-Z][A-Z_]*|@\S*|\*+)$"




_JSON_MEMBER = r'"(?P<key>[A-Za-z_][A-Za-z0-9_]*+)"\s*+:\s*+"(?P<value>[^"\\]*+(?:\\.[^"\\]*+)*+)"'


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted({(s, e) for s, e in spans if e > s})
