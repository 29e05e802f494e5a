"""How the simulator compares strings: as the server's MySQL tables do (``utf8_general_ci``, ``conf/db``).

One rule, registered on the store's connection as the collation :data:`NAME` and used by every
comparison and sort of a string field (``=``, ``!=``, ``?=``, ``!?=``, ``~=``, ``!~=``, ``sortBy``, ZQL's
``order by``) and by the index of ``name`` columns:

- case does not count (``VM-2`` is ``vm-2``), for every script, not only ASCII: ``ÉTOILE`` is ``étoile``;
- accents do not count (``etoile`` is ``étoile``; ``ß`` is ``s``), as the general collation's weights have it;
- trailing spaces do not count in ``=`` (MySQL's PAD SPACE).

uuid columns are not strings of this kind: they compare exactly, so that their indexes serve
(see :func:`zcli.sim.query.is_key`). A LIKE (``~=``) is SQLite's (ASCII case folded, in C) for rows of
ASCII text, and :func:`fold` on both sides for rows that hold other characters: the same answer as the
collation, at the C speed for the common case.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

NAME = "ZSTACK_CI"
#: The SQL function that folds a string as the collation compares it (for LIKE).
FOLD = "zstack_fold"
#: A GLOB pattern that matches a value holding any character outside ASCII.
NON_ASCII_GLOB = "*[^\x01-\x7f]*"


@lru_cache(maxsize=65536)
def _fold_other(text: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return out.replace("ß", "s").replace("ẞ", "s").lower()


def fold(text: str | None) -> str | None:
    """``text`` with case and accents folded, as the collation sees it (for LIKE: trailing spaces are kept)."""
    if text is None:
        return None
    if not isinstance(text, str):
        return text
    if text.isascii():
        return text.lower()
    return _fold_other(text)


def compare(a: str, b: str) -> int:
    """The collation: -1, 0 or 1, as ``utf8_general_ci`` orders ``a`` and ``b``."""
    a, b = a.rstrip(" "), b.rstrip(" ")
    if a.isascii() and b.isascii():
        a, b = a.lower(), b.lower()
    else:
        a, b = _fold_other(a), _fold_other(b)
    return (a > b) - (a < b)


def register(conn) -> None:
    """Make the collation and the fold function known to a sqlite3 connection."""
    conn.create_collation(NAME, compare)
    conn.create_function(FOLD, 1, fold, deterministic=True)
