"""Words for completion: the one tokenizer's partial mode (:func:`zcli.grammar.words.split_words`, the text
before the cursor, which may end inside a quote: ``name="my v``), and :func:`quote` for what is offered.
"""

from __future__ import annotations

import re

from zcli.grammar.words import Word, split_words

__all__ = ["Word", "quote", "split_words"]

# Characters a completed word may hold without quoting in the zcli shell (operators included: the
# shell's own splitter treats them as ordinary characters).
_SAFE = re.compile(r"[\w@%+=:,./!?~<>^*#-]*")


def quote(value: str) -> str:
    """``value`` as one word of the zcli shell: unchanged when safe, else single-quoted."""
    if _SAFE.fullmatch(value) and value:
        return value
    if "'" not in value:
        return f"'{value}'"
    return '"' + re.sub(r'(["\\])', r"\\\1", value) + '"'
