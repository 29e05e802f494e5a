"""Writing a file the user named in the shell (``> FILE``): a result may hold what others must not read.

The file is created readable by its owner alone (0600); a symlink at that name is never followed (it
could point anywhere, at a file of someone else's choosing); an existing regular file is replaced, as a
shell's ``>`` does.
"""

from __future__ import annotations

import os
from pathlib import Path

from zcli.errors import UsageError


def write_text(name: str, text: str) -> Path:
    """Write ``text`` (UTF-8) to the file ``name`` (``~`` expanded); returns its path.

    Raises:
        UsageError: the file cannot be written (a symlink, a folder, no permission...).
    """
    path = Path(name).expanduser()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        reason = "it is a symlink" if path.is_symlink() else exc.strerror
        raise UsageError(f"cannot write {path}: {reason}", word=name) from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
