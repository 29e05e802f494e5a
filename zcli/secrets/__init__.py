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
  "consolePassword": ..}}`` keeps its ``uuid`` and masks the password (:func:`~zcli.secrets.values.mask_data`).
- **The password of a URL's credentials** in any value or word: ``scheme://user:PASS@host`` (and
  ``user:PASS@host`` in a URL-named value such as Ceph's ``monUrls``) — :func:`~zcli.secrets.values.url_password_spans`.
- **The value of a password-bearing system tag**, wherever it appears (``systemTags=``, ``tag=``,
  ``__systemTag__=``, replies): :data:`SECRET_TAGS`, the patterns the server defines in
  ``compute/src/main/java/org/zstack/compute/vm/VmSystemTags.java``: ``rootPassword::{rootPassword}``
  (ROOT_PASSWORD, line 70), ``consolePassword::{consolePassword}`` (CONSOLE_PASSWORD, line 92, marked
  ``@SensitiveTag``) and ``userdata::{userdata}`` (USERDATA, line 62, marked ``@SensitiveTag``: cloud-init
  user data carries passwords and keys). ``sshkey::`` (a public key) and ``ceph::kvm::secret::{uuid}`` (the
  uuid naming a libvirt secret, not the secret) are not secret.
- **A value typed apart from its key**: ``password =PW``, ``password= PW`` and ``password = PW`` are typos
  the grammar refuses, but the word after a secret key is kept as safe as ``password=PW``
  (:func:`~zcli.secrets.words.word_secret_spans`).

A secret value may be given without putting it on the command line (where ``ps`` shows it to every user
of the machine): ``password=@FILE`` reads it from the first line of FILE, ``password=@-`` from one line of
standard input; ``@@`` starts a value with a literal ``@`` (:mod:`zcli.secret_input` reads them). Leaving a required
secret out makes zcli ask for it without echo on a terminal.

The policy is this package: here what is secret by name; :mod:`zcli.secrets.values` finds and masks the
secret parts of values and text; :mod:`zcli.secrets.words` judges the words of a typed line;
:mod:`zcli.secrets.redactor` remembers what a run was given; :mod:`zcli.secrets.endpoints` refuses
credentials in an endpoint URL.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing and collections.abc stay off the start-up path (start-up time is a feature)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Collection, Sequence
    from typing import Any

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


@lru_cache(maxsize=4096)  # a line repeats its keys (12,500 words took 4.6 s of difflib): each name once
def looks_secret(name: str) -> bool:
    """:func:`is_secret`, or ``name`` close to a secret name (a misspelt ``pasword``): keep its value safe too."""
    if is_secret(name):
        return True
    words = name_words(str(name).strip())
    if not words or words[-1] in NOT_SECRET_WORDS:
        return False
    candidates = {words[-1], "".join(words)}  # the last word names what is held
    # difflib's quick_ratio (the letters two words share, in any order) bounds its ratio from above: most
    # names share too few letters with every secret word, and a plain command never imports difflib.
    close = [(word, secret) for word in candidates for secret in SECRET_WORDS
             if 2 * _shared_letters(word, secret) >= CLOSE_RATIO * (len(word) + len(secret))]
    if not close:
        return False
    from difflib import SequenceMatcher

    return any(SequenceMatcher(None, word, secret).ratio() >= CLOSE_RATIO for word, secret in close)


def _shared_letters(a: str, b: str) -> int:
    """How many letters ``a`` and ``b`` share, counted with repeats (difflib's ``quick_ratio`` numerator)."""
    left = list(b)
    shared = 0
    for ch in a:
        if ch in left:
            left.remove(ch)
            shared += 1
    return shared


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



def secret_help(names: Sequence[str]) -> str:
    """What an API's help says of its secret parameters ``names`` (``help LogInByAccount``)."""
    first = names[0]
    return (f"Secrets ({', '.join(names)}): a value typed on the command line is visible to other users of this"
            f" machine (ps, /proc) and may stay in your shell's history. Leave {first} out and zcli asks for it"
            f" without echo on a terminal; in scripts give {first}=@FILE (the file's first line) or {first}=@-"
            f" (one line of standard input); @@ starts a value with a literal @. AccessKey authentication keeps"
            f" account passwords out of scripts altogether (see the README's SECURITY section).")

