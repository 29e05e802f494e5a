"""The one secret policy: what is secret, and how every layer hides it.

Every layer asks this module, and nothing else, whether something is secret: the grammar (which parameters
of a command hold secrets), the prompts (ask with or without echo), the shell's history and highlighting,
``--debug`` (request bodies and queries), kept results (``more``/``save``) and error lines.

What is secret:

- **A value under a secret name** — :func:`is_secret`: the name's last camelCase word is ``password``,
  ``passwd``, ``pwd``, ``passphrase``, ``secret``, ``token``, ``credential(s)``, or the name ends in
  ``privKey``/``privateKey``/``secretKey``/``authKey``/``preSharedKey``. Names alone decide: the catalogue's
  ``password`` flag is ZStack's log-masking flag (``@APIParam(password = true)``), which also marks ``url``,
  ``monUrls`` and ``systemTags``, values a user must be able to read (and is asked for *with* echo). The
  secret word must be the last (``secretResourcePoolUuid``, ``tokenUrl``, ``maxNewTokens`` hold no secret).
  :func:`looks_secret` adds names *close* to those (a misspelt ``pasword``): the grammar refuses the key, but
  the value typed was meant as a secret all the same, so no message or history line may keep it.
- **Only the scalar values are masked**, never a whole object: ``{"setVmConsolePassword": {"uuid": ..,
  "consolePassword": ..}}`` keeps its ``uuid`` and masks the password (:func:`mask_data`).
- **The password of a URL's credentials** in any value or word: ``scheme://user:PASS@host`` (and
  ``user:PASS@host`` in a URL-named value such as Ceph's ``monUrls``) — :func:`url_password_spans`.
- **The value of a password-bearing system tag**, wherever it appears (``systemTags=``, ``tag=``,
  ``__systemTag__=``, replies): :data:`SECRET_TAGS`, the patterns the server defines in
  ``compute/src/main/java/org/zstack/compute/vm/VmSystemTags.java``: ``rootPassword::{rootPassword}``
  (ROOT_PASSWORD, line 70), ``consolePassword::{consolePassword}`` (CONSOLE_PASSWORD, line 92, marked
  ``@SensitiveTag``) and ``userdata::{userdata}`` (USERDATA, line 62, marked ``@SensitiveTag``: cloud-init
  user data carries passwords and keys). ``sshkey::`` (a public key) and ``ceph::kvm::secret::{uuid}`` (the
  uuid naming a libvirt secret, not the secret) are not secret.
- **A value typed apart from its key**: ``password =PW``, ``password= PW`` and ``password = PW`` are typos
  the grammar refuses, but the word after a secret key is kept as safe as ``password=PW``
  (:func:`word_secret_spans`).

A secret value may be given without putting it on the command line (where ``ps`` shows it to every user
of the machine): ``password=@FILE`` reads it from the first line of FILE, ``password=@-`` from one line of
standard input; ``@@`` starts a value with a literal ``@`` (:mod:`zcli.secret_input` reads them). Leaving a required
secret out makes zcli ask for it without echo on a terminal.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing and collections.abc stay off the start-up path (start-up time is a feature)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Collection, Iterable, Sequence
    from typing import Any, Protocol

#: Shown instead of a secret value.
MASK = "*****"

#: Last words of a name that hold a secret.
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "secrete", "token",
                          "credential", "credentials"})
#: Endings (lower case, words joined) that hold a secret though their last word alone does not.
SECRET_ENDINGS = ("privkey", "privatekey", "secretkey", "authkey", "presharedkey")
#: Last words close to a secret word that are known not to hold one (``isCreate``, ``maxNewTokens``, the
#: ``tokens`` map of AttachTagToResources, whose secret members are masked as JSON members).
NOT_SECRET_WORDS = frozenset({"create", "tokens"})
#: How close (difflib ratio) a misspelt word must be to a secret word to count as one.
CLOSE_RATIO = 0.8
#: Last words of a name whose value is a URL (or a list of them), in which ``user:PASS@host`` is a credential.
URL_WORDS = frozenset({"url", "urls", "uri", "uris"})
#: System tags whose value is a secret (``NAME::VALUE``), as the server defines them (see the module's notes).
SECRET_TAGS = ("rootPassword", "consolePassword", "userdata")

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# ``scheme://user:PASS@``: the password ends at the authority's last ``@`` (as urllib.parse.urlsplit reads it).
# The look-behind starts a scheme only at the start of a run of scheme characters: linear, not quadratic.
_SCHEME_PASSWORD = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*:(?P<password>[^\s/?#]*)@")
# ``user:PASS@host`` at the start of a URL-named value, or of an item of its list (Ceph monUrls).
_BARE_PASSWORD = re.compile(r"(?:^|(?<=[,'\"=]))[^\s:/?#@,'\"=]+:(?P<password>[^\s/?#,'\"]*)@")
# ``rootPassword::VALUE`` at the start of a value, of an item of a list, or after an operator; the value ends
# at an unescaped comma (a list's next item), a quote or a blank.
_TAG_SECRET = re.compile(r"(?:^|(?<=[,'\"=\s]))(?:" + "|".join(SECRET_TAGS)
                         + r")::(?P<secret>[^,'\"\s\\]*+(?:\\.[^,'\"\s\\]*+)*+)", re.IGNORECASE)


# --- names ------------------------------------------------------------------------------------------------
def name_words(name: str) -> list[str]:
    """The lower-case camelCase words of ``name``: ``sshPrivKey`` → ``["ssh", "priv", "key"]``."""
    return [w.lower() for w in _WORD.findall(name)]


def is_secret(name: str) -> bool:
    """Whether a value under ``name`` (a parameter, body, query or reply key) is a secret as a whole."""
    words = name_words(str(name).strip())
    if not words:
        return False
    return words[-1] in SECRET_WORDS or "".join(words).endswith(SECRET_ENDINGS)


is_secret_name = is_secret  # the older name, kept for callers


@lru_cache(maxsize=4096)  # a line repeats its keys (12,500 words took 4.6 s of difflib): each name once
def looks_secret(name: str) -> bool:
    """:func:`is_secret`, or ``name`` close to a secret name (a misspelt ``pasword``): keep its value safe too."""
    if is_secret(name):
        return True
    from difflib import SequenceMatcher  # only on this path: keeps the import off plain commands

    words = name_words(str(name).strip())
    if not words or words[-1] in NOT_SECRET_WORDS:
        return False
    candidates = {words[-1], "".join(words)}  # the last word names what is held
    return any(SequenceMatcher(None, word, secret).ratio() >= CLOSE_RATIO
               for word in candidates for secret in SECRET_WORDS)


def is_url_name(name: str) -> bool:
    """Whether ``name`` names a URL or a list of URLs (``url``, ``monUrls``, ``ldapUri``)."""
    words = name_words(str(name).strip())
    return bool(words) and words[-1] in URL_WORDS


def prompt_echoes(name: str) -> bool:
    """Whether a prompt for a missing parameter ``name`` shows what is typed (False: a secret, no echo)."""
    return not is_secret(name)


def required_prompts(api: Any, given: Collection[str]) -> list[tuple[str, bool]]:
    """(name, echo) of each required parameter of ``api`` (a catalogue Api) missing from ``given``, in the
    catalogue's order: the prompts a terminal asks (a secret without echo, anything else with it)."""
    return [(p.name, prompt_echoes(p.name)) for p in api.params if p.required and p.name not in given]


# --- values -----------------------------------------------------------------------------------------------
def url_password_spans(value: str, name: str = "") -> list[tuple[int, int]]:
    """(start, end) offsets in ``value`` of the passwords of URL credentials (``scheme://user:PASS@host``;
    also ``user:PASS@host`` when ``name`` names a URL). Empty passwords are not reported."""
    spans = [m.span("password") for m in _SCHEME_PASSWORD.finditer(value)] if "://" in value else []
    if "@" in value and is_url_name(name):
        spans += [m.span("password") for m in _BARE_PASSWORD.finditer(value)]
    return _merged(spans)


def tag_secret_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``value`` of the values of password-bearing system tags (:data:`SECRET_TAGS`)."""
    if "::" not in value:
        return []
    return _merged(m.span("secret") for m in _TAG_SECRET.finditer(value))


def json_secret_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) offsets in JSON text ``value`` of the string values of secret members
    (``{"uuid": "u", "consolePassword": "PW"}``: ``PW``)."""
    if '"' not in value:
        return []
    return _merged(m.span("value") for m in _JSON_MEMBER.finditer(value) if is_secret(m.group("key")))


def part_spans(value: str, name: str = "") -> list[tuple[int, int]]:
    """The secret parts of a value that is no secret as a whole: URL passwords, password tags' values and
    the values of secret members of JSON text."""
    if "@" not in value and "::" not in value and '"' not in value:  # none of them can be there (a word a time)
        return []
    return _merged([*url_password_spans(value, name), *tag_secret_spans(value), *json_secret_spans(value)])


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
    return _KEY_VALUE.sub(lambda m: m.group(0) if not is_secret(m.group("key")) or _PLACEHOLDER.match(m.group("value"))
                          else m.group("key") + m.group("op") + MASK, text)


_KEY_VALUE = re.compile(r"(?<![A-Za-z0-9_])(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<op>\s?=\s?)"
                        r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s,;)}'\"]+)")


# What a message writes in place of a value (``password=PASSWORD``, ``password=@FILE``, ``password=*****``):
# no secret. A secret typed in this run is masked by the :class:`Redactor` whatever it looks like.
_PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z_]*|@\S*|\*+)$")


def mask_message(message: str, word: str, key: str, value: str) -> tuple[str, str]:
    """``message`` and ``word`` with the secret ``value`` of ``word`` (``key<op>value``) masked: the word is
    quoted back masked (``password=*****``), the value masked wherever the message quotes it.

    Returns:
        (the masked message, the masked word).
    """
    if not value:
        return message, word
    masked_word = word[: len(word) - len(value)] + MASK if word.endswith(value) else key.strip() + "=" + MASK
    message = message.replace(word, masked_word)
    redactor = Redactor()
    redactor.remember_value(value)
    redactor.remember_value(value.strip())
    return redactor.text(message), masked_word


_JSON_MEMBER = re.compile(r'"(?P<key>[A-Za-z_][A-Za-z0-9_]*+)"\s*+:\s*+"(?P<value>[^"\\]*+(?:\\.[^"\\]*+)*+)"')


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted({(s, e) for s, e in spans if e > s})


# --- words and lines --------------------------------------------------------------------------------------
if TYPE_CHECKING:  # pragma: no cover
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
    return _merged(spans)


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


def secret_help(names: Sequence[str]) -> str:
    """What an API's help says of its secret parameters ``names`` (``help LogInByAccount``)."""
    first = names[0]
    return (f"Secrets ({', '.join(names)}): a value typed on the command line is visible to other users of this"
            f" machine (ps, /proc) and may stay in your shell's history. Leave {first} out and zcli asks for it"
            f" without echo on a terminal; in scripts give {first}=@FILE (the file's first line) or {first}=@-"
            f" (one line of standard input); @@ starts a value with a literal @. AccessKey authentication keeps"
            f" account passwords out of scripts altogether (see the README's SECURITY section).")


# --- endpoint URLs ----------------------------------------------------------------------------------------
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


# --- a run's memory of what was typed ----------------------------------------------------------------------
class Redactor:
    """What this run (a one-shot command, a batch, a shell session) was given as secrets, so that no error
    line, note or message shows them: the one redaction hook of the faces.

    ``remember`` takes typed words (argv, a line) or secret values (read from a prompt, a file, stdin);
    ``text`` masks them in any text, with :func:`mask_text`'s rules besides.
    """

    #: A remembered value is masked wherever it appears when it is at least this long and not a plain word;
    #: otherwise only where quoted, after ``=`` or ``:``, or before a URL's ``@`` (a password ``a`` would
    #: blot out every ``a`` of the message, a password ``password`` the prose "wrong name or password").
    MIN_FREE = 6

    def __init__(self) -> None:
        self.values: set[str] = set()

    def remember(self, words: Iterable[str]) -> None:
        """Remember the secret pieces of typed ``words``."""
        self.values.update(words_secret_values(list(words)))

    def remember_value(self, value: str) -> None:
        """Remember one secret value (read from a prompt, a file or stdin)."""
        if value:
            self.values.add(value)

    def text(self, text: str) -> str:
        """``text`` with every remembered secret masked."""
        for value in sorted(self.values, key=len, reverse=True):
            if len(value.strip()) >= self.MIN_FREE and not value.isalpha():
                text = text.replace(value, MASK)
                continue
            quoted = re.escape(value)
            text = re.sub(rf"(?<=['\"=:]){quoted}(?=['\"@]|\s|$)", MASK, text)
        return mask_text(text)

    __call__ = text
