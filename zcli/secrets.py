"""The one definition of "this key holds a secret", shared by the grammar, the client's debug log and the shell.

Two strengths:

- :func:`is_secret` — the key names a secret (``password``, ``sshPassword``, ``secret``, ``AccessKeySecret``,
  ``token``, ``accessToken``, ``credential``, ``privateKey``, ``sshPrivKey``...). Such values are masked in
  debug output and never stored. Names alone decide: the catalogue's ``password`` flag is ZStack's
  log-masking flag, which also marks ``url``, ``monUrls`` and ``tag(s)``, values a user must be able to read.
- :func:`looks_secret` — the same, or a key *close* to such a name (``pasword``, ``secert``, ``tokn``): the
  grammar rejects a misspelt key, but the value typed was meant as a secret all the same, so error messages
  and the shell's history must not keep it.

A name is split into its camelCase words; the secret word must be its last (``secretResourcePoolUuid``,
``tokenUrl`` and ``maxNewTokens`` hold no secret), so that uuids and counts stay readable.

A value that is no secret as a whole may still hold one: the password of a URL's credentials
(``http://user:PASS@host/...``, and ``user:PASS@host`` in a URL-named key such as Ceph's ``monUrls``).
:func:`url_password_spans` finds those parts and :func:`mask_url_passwords` masks them, keeping the user.
"""

from __future__ import annotations

import re

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


#: Last words of a name whose value is a URL (or a list of them), in which ``user:PASS@host`` is a credential.
URL_WORDS = frozenset({"url", "urls", "uri", "uris"})

# ``scheme://user:PASS@``: the password ends at the authority's last ``@`` (as urllib.parse.urlsplit reads it).
_SCHEME_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*:(?P<password>[^\s/?#]*)@")
# ``user:PASS@host`` at the start of a URL-named value, or of an item of its list (Ceph monUrls).
_BARE_PASSWORD = re.compile(r"(?:^|(?<=[,'\"=]))[^\s:/?#@,'\"=]+:(?P<password>[^\s/?#,]*)@")


def name_words(name: str) -> list[str]:
    """The lower-case camelCase words of ``name``: ``sshPrivKey`` → ``["ssh", "priv", "key"]``."""
    return [w.lower() for w in _WORD.findall(name)]


def is_secret_name(name: str) -> bool:
    """Whether ``name`` (a parameter, body or query key) names a secret."""
    words = name_words(name.strip())
    if not words:
        return False
    return words[-1] in SECRET_WORDS or "".join(words).endswith(SECRET_ENDINGS)


def is_secret(name: str) -> bool:
    """Whether a value under ``name`` is a secret as a whole (see the module's notes: names decide)."""
    return is_secret_name(name)


def looks_secret(name: str) -> bool:
    """:func:`is_secret`, or ``name`` close to a secret name (a misspelt ``pasword``): keep its value safe too."""
    if is_secret(name):
        return True
    from difflib import SequenceMatcher  # only on this path: keeps the import off plain commands

    words = name_words(name.strip())
    candidates = {words[-1], "".join(words)} if words else set()  # the last word names what is held
    return any(SequenceMatcher(None, word, secret).ratio() >= CLOSE_RATIO
               for word in candidates for secret in SECRET_WORDS)


def is_url_name(name: str) -> bool:
    """Whether ``name`` names a URL or a list of URLs (``url``, ``monUrls``, ``ldapUri``)."""
    words = name_words(name.strip())
    return bool(words) and words[-1] in URL_WORDS


def url_password_spans(value: str, name: str = "") -> list[tuple[int, int]]:
    """(start, end) offsets in ``value`` of the passwords of URL credentials (``scheme://user:PASS@host``;
    also ``user:PASS@host`` when ``name`` names a URL). Empty passwords are not reported."""
    spans = [m.span("password") for m in _SCHEME_PASSWORD.finditer(value)]
    if is_url_name(name):
        spans += [m.span("password") for m in _BARE_PASSWORD.finditer(value)]
    return sorted({(start, end) for start, end in spans if end > start})


def mask_url_passwords(value: str, name: str = "") -> str:
    """``value`` with the password of each URL credential masked, the user kept: ``http://u:*****@h/i``."""
    out, last = [], 0
    for start, end in url_password_spans(value, name):
        if start < last:  # overlapping matches (a URL inside a bare form): the first already masked it
            continue
        out += [value[last:start], MASK]
        last = end
    return "".join([*out, value[last:]])


def secret_parts(name: str, value: str) -> list[str]:
    """The secret pieces of ``value`` typed under ``name``: all of it when the name looks secret, else the
    passwords of its URL credentials (for faces that must redact what was typed from later messages)."""
    if not value:
        return []
    if looks_secret(name):
        return [value]
    return [value[start:end] for start, end in url_password_spans(value, name)]


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
