"""Which parts of a typed line are secrets: never written to the history, never shown again.

A word's value is secret when its key holds a secret or looks like it (:func:`zcli.secrets.looks_secret`: a
password parameter such as ``LogInByAccount password=...``, any key naming a password, secret, token, private
key or credential, and a key close to one, such as a misspelt ``pasword=...``), whatever the API: a line typed
with ``--no-validate`` or a misspelt API is kept safe too. In any other value only the password of a URL's
credentials is secret (``url=http://user:PASS@host``, :func:`zcli.secrets.url_password_spans`): a plain
``url=`` or ``tag=`` is not. A line holding any secret is kept out of the history.
"""

from __future__ import annotations

from zcli.catalog import Catalog
from zcli.completion.words import Word, split_words
from zcli.grammar.operators import split_condition
from zcli.secrets import MASK, looks_secret, url_password_spans


def secret_spans(catalog: Catalog, line: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``line`` of the secret values (as typed, quotes included), in order.

    ``catalog`` is no longer consulted (names decide, see :mod:`zcli.secrets`); it stays for the callers.
    """
    words, current = split_words(line)
    if current.raw:
        words = [*words, current]
    if words[:1] and words[0].value == "watch":
        words = words[2:]
    if not words:
        return []
    spans = []
    for w in words[1:]:
        span = _value_span(w)
        if span is None:
            continue
        key = split_condition(w.value)[0]
        if looks_secret(key):
            spans.append(span)
            continue
        start, end = span  # the raw text, quotes and all: a URL's credentials read the same inside quotes
        spans += [(start + s, start + e) for s, e in url_password_spans(line[start:end], key)]
    return spans


def has_secret(catalog: Catalog, line: str) -> bool:
    """True when ``line`` holds a secret (it must not reach the history)."""
    return bool(secret_spans(catalog, line))


def mask(catalog: Catalog, line: str) -> str:
    """``line`` with each secret value replaced by ``*****``."""
    out, last = [], 0
    for start, end in secret_spans(catalog, line):
        out += [line[last:start], MASK]
        last = end
    return "".join([*out, line[last:]])


def _value_span(w: Word) -> tuple[int, int] | None:
    """Where the value of a ``key<op>value`` word starts and ends in the line (None: no operator)."""
    parts = split_condition(w.value)
    if parts is None or not parts[0]:
        return None
    head = parts[0] + parts[1]
    if not w.raw.startswith(head):  # the key itself was quoted: take the whole word as the secret
        return w.start, w.start + len(w.raw)
    return w.start + len(head), w.start + len(w.raw)
