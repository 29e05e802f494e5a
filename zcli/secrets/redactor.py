"""What a run was given as secrets, masked in every line it prints: the one redaction hook of the faces
(the policy: :mod:`zcli.secrets`)."""

from __future__ import annotations

import re

from zcli.secrets import MASK
from zcli.secrets.values import mask_text
from zcli.secrets.words import words_secret_values

TYPE_CHECKING = False  # typing and collections.abc stay off the start-up path (start-up time is a feature)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable


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
