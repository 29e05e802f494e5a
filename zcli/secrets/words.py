"""The secrets of a typed line, word by word (the policy: :mod:`zcli.secrets`): a value after a secret key,
a value typed apart from its key, and the secret parts of any other word.
"""

from __future__ import annotations

from zcli.secrets import looks_secret
from zcli.secrets.values import merged, part_spans

TYPE_CHECKING = False  # typing and collections.abc stay off the start-up path (start-up time is a feature)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence
    from typing import Protocol

    class WordLike(Protocol):
        """A word of a line: its unquoted ``value``, its ``raw`` text and where it ``start``\\s."""

        value: str
        raw: str
        start: int


def _split(word: str) -> tuple[str, str, str] | None:
    return _splitter()(word)


def _splitter():
    from zcli.grammar.operators import split_condition  # a leaf module: the grammar's one rule of operators

    return split_condition


def word_secrets(values: Sequence[str]) -> list[str | None]:
    """For each word of a line (the API or built-in name already left out), what in it is secret:

    - ``"value"``: what follows its operator (``password=PW``, ``=PW`` after a bare ``password``);
    - ``"word"``: the whole word (``PW`` after ``password=`` or after ``password =``);
    - None: nothing as a whole (its URL passwords and password tags still are, see :func:`part_spans`).
    """
    return [kind for kind, _ in word_secret_kinds(values)]


def word_secret_kinds(values: Sequence[str]) -> list[tuple[str | None, tuple[str, str, str] | None]]:
    """(:func:`word_secrets`' kind, the word split at its operator or None) of each of ``values``: a caller
    that splits the words too (the grammar) splits each once."""
    split = _splitter()
    out: list[tuple[str | None, tuple[str, str, str] | None]] = []
    pending = False  # the previous word was a secret key still waiting for its value
    for word in values:
        parts = split(word)
        if parts is None:
            out.append(("word" if pending and word else None, None))
            pending = not pending and looks_secret(word) if word else pending
            continue
        key, _, value = parts
        if not key:  # ``=PW``: a value typed apart from its key
            out.append(("value" if pending and value else None, parts))
            pending = pending and not value
            continue
        secret = looks_secret(key)
        out.append(("value" if secret and value else None, parts))
        pending = secret and not value
    return out


def word_secret_spans(words: Sequence[WordLike], skip: int = 1) -> list[tuple[int, int]]:
    """(start, end) offsets in the line of the secret parts of ``words`` (as typed, quotes included).

    ``skip`` words (the API or built-in name) are not themselves judged, though their URL passwords are.
    """
    spans: list[tuple[int, int]] = []
    for w in words[:skip]:
        spans += [(w.start + s, w.start + e) for s, e in part_spans(w.raw)]
    rest = words[skip:]
    for w, (kind, parts) in zip(rest, word_secret_kinds([w.value for w in rest]), strict=True):
        if kind == "word":
            spans.append((w.start, w.start + len(w.raw)))
            continue
        if kind is None and "@" not in w.raw and "::" not in w.raw and '"' not in w.raw:
            continue  # no URL password, password tag or JSON member in it (part_spans' own test)
        key = parts[0] if parts else ""
        head = (parts[0] + parts[1]) if parts else ""
        if kind == "value":
            if parts and w.raw.startswith(head):
                spans.append((w.start + len(head), w.start + len(w.raw)))
            else:  # the key itself was quoted: take the whole word
                spans.append((w.start, w.start + len(w.raw)))
            continue
        raw = w.raw[len(head):] if parts and w.raw.startswith(head) else w.raw
        offset = w.start + len(w.raw) - len(raw)
        spans += [(offset + s, offset + e) for s, e in part_spans(raw, key)]
    return merged(spans)


def words_secret_values(words: Sequence[str]) -> list[str]:
    """The secret pieces typed in ``words`` (argv or a split line, its first word included): what no message
    may quote back."""
    found: list[str] = []
    for word, kind in zip(words, word_secrets(list(words)), strict=True):
        parts = _split(word)
        if kind == "word":
            found.append(word)
        elif kind == "value" and parts:
            found.append(parts[2])
        else:  # a bare word or an option's value (-H user:PASS@host) may hold user:PASS@ too
            key, value = (parts[0], parts[2]) if parts else ("", word)
            found += [value[s:e] for s, e in part_spans(value, key if key and not key.startswith("-") else "url")]
    return [f for f in found if f]


def has_secret_words(words: Sequence[str]) -> bool:
    """Whether ``words`` hold any secret (such a line is kept out of the history)."""
    return bool(words_secret_values(words))
