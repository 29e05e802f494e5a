"""The one definition of "this key holds a secret", shared by the grammar, the client's debug log and the shell.

Two strengths:

- :func:`is_secret` — the key names a secret (``password``, ``sshPassword``, ``secret``, ``AccessKeySecret``,
  ``token``, ``accessToken``, ``credential``, ``privateKey``, ``sshPrivKey``...), or the catalogue flags the
  parameter as a password. Such values are masked in debug output and never stored.
- :func:`looks_secret` — the same, or a key *close* to such a name (``pasword``, ``secert``, ``tokn``): the
  grammar rejects a misspelt key, but the value typed was meant as a secret all the same, so error messages
  and the shell's history must not keep it.

A name is split into its camelCase words; the secret word must be its last (``secretResourcePoolUuid``,
``tokenUrl`` and ``maxNewTokens`` hold no secret), so that uuids and counts stay readable.
"""

from __future__ import annotations

import re
from typing import Protocol

#: Shown instead of a secret value.
MASK = "*****"

#: Last words of a name that hold a secret.
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "secrete", "token",
                          "credential", "credentials"})
#: Endings (lower case, words joined) that hold a secret though their last word alone does not.
SECRET_ENDINGS = ("privkey", "privatekey", "secretkey", "authkey", "presharedkey")
#: How close (difflib ratio) a misspelt word must be to a secret word to count as one.
CLOSE_RATIO = 0.8

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


class _Flagged(Protocol):
    password: bool


def name_words(name: str) -> list[str]:
    """The lower-case camelCase words of ``name``: ``sshPrivKey`` → ``["ssh", "priv", "key"]``."""
    return [w.lower() for w in _WORD.findall(name)]


def is_secret_name(name: str) -> bool:
    """Whether ``name`` (a parameter, body or query key) names a secret."""
    words = name_words(name.strip())
    if not words:
        return False
    return words[-1] in SECRET_WORDS or "".join(words).endswith(SECRET_ENDINGS)


def is_secret(name: str, param: _Flagged | None = None) -> bool:
    """Whether a value under ``name`` is a secret: a secret name, or a parameter the catalogue flags password."""
    return bool(param is not None and getattr(param, "password", False)) or is_secret_name(name)


def looks_secret(name: str, param: _Flagged | None = None) -> bool:
    """:func:`is_secret`, or ``name`` close to a secret name (a misspelt ``pasword``): keep its value safe too."""
    if is_secret(name, param):
        return True
    from difflib import SequenceMatcher  # only on this path: keeps the import off plain commands

    words = name_words(name.strip())
    candidates = {words[-1], "".join(words)} if words else set()  # the last word names what is held
    return any(SequenceMatcher(None, word, secret).ratio() >= CLOSE_RATIO
               for word in candidates for secret in SECRET_WORDS)


def mask_message(message: str, word: str, key: str, value: str) -> tuple[str, str]:
    """``message`` and ``word`` with the secret ``value`` of ``word`` (``key<op>value``) masked.

    The word is quoted back masked (``password=*****``); the value alone is masked where quoted, and
    wherever else it appears when it is long enough not to be an ordinary piece of the prose.

    Returns:
        (the masked message, the masked word).
    """
    if not value:
        return message, word
    masked_word = word[: len(word) - len(value)] + MASK if word.endswith(value) else key.strip() + "=" + MASK
    message = message.replace(word, masked_word)
    for quote in "'\"":
        message = message.replace(f"{quote}{value}{quote}", f"{quote}{MASK}{quote}")
    stripped = value.strip()
    if len(stripped) >= 4:
        message = message.replace(stripped, MASK)
    return message, masked_word
