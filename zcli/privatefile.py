"""Writing a file the user named (the shell's ``save N FILE``) safely: readable by its owner alone (0600: a saved
login result holds a live session uuid), never through a symbolic link, never over an existing file unless told
to, and never into a FIFO or a device (which would block the shell or write where no file is)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from zcli.errors import UsageError


def write_private(path: Path | str, text: str, *, replace: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` with mode 0600.

    A new file is created with ``O_EXCL | O_NOFOLLOW``, so a link or file that appears meanwhile is refused
    too. With ``replace``, an existing regular file is replaced whole: the text goes to a private temporary
    file beside it, renamed over it (a link put there meanwhile is replaced, not followed).

    Raises:
        UsageError: the path is a link, not a regular file, exists (without ``replace``), or cannot be written.
    """
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", word=str(path)) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise UsageError(f"{path} is a symbolic link: not followed; name the file itself", word=str(path))
        if not stat.S_ISREG(st.st_mode):
            kind = "folder" if stat.S_ISDIR(st.st_mode) else "FIFO" if stat.S_ISFIFO(st.st_mode) else \
                "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file"
            raise UsageError(f"{path} is a {kind}, not a regular file: not written", word=str(path))
        if not replace:
            raise UsageError(f"{path} exists: not replaced (add --force to replace it)", word=str(path))
    data = text.encode("utf-8")
    target = path.with_name(f".{path.name}.{os.getpid()}.tmp") if st is not None else path
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} appeared while saving: not replaced", word=str(path)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", word=str(path)) from None
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            os.unlink(target)
            raise
        if target != path:
            os.replace(target, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", word=str(path)) from None
