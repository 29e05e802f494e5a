"""Which parts of a typed shell line are secrets: never written to the history, never shown again.

The decision is :mod:`zcli.secrets`' (:func:`zcli.secrets.words.word_secret_spans`); this module only splits the
line into words the way the shell does. A line holding any secret is kept out of the history.
"""

from __future__ import annotations

from zcli.catalog import Catalog
from zcli.grammar.words import split_words
from zcli.secrets.values import masked
from zcli.secrets.words import word_secret_spans


def secret_spans(catalog: Catalog, line: str, words: list | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets in ``line`` of the secret values (as typed, quotes included), in order.

    ``catalog`` is not consulted (names decide, see :mod:`zcli.secrets`); it stays for the callers.
    ``words``: the line's words, current one included, when the caller has split it already (the lexer).
    """
    if words is None:  # a comment's words too: a password typed there must not reach the history either
        words, current = split_words(line, comments=False)
        if current.raw:
            words = [*words, current]
    skip = 3 if words[:1] and words[0].value == "watch" else 1  # watch N API ...
    return word_secret_spans(words, skip=skip)


def has_secret(catalog: Catalog, line: str) -> bool:
    """True when ``line`` holds a secret (it must not reach the history)."""
    return bool(secret_spans(catalog, line))


def mask(catalog: Catalog, line: str) -> str:
    """``line`` with each secret value replaced by ``*****``."""
    return masked(line, secret_spans(catalog, line))
