"""Run a command as the terminal's foreground process group, apart from its caller, then give the
terminal back; exit with the command's status.

``make demo`` runs the shell through this. Ctrl-C on a terminal interrupts the whole foreground process
group, and make, which is in it, dies of it once its child ends, whatever the child did with the
signal: the shell took the Ctrl-C pressed during a command and went on, but ``make demo`` still failed
(``make: *** [Makefile: demo] Interrupt``, status 2) when the user left it. In a process group of its
own that the terminal puts in front, the shell alone receives Ctrl-C, as when it is started from an
interactive shell. Without a terminal, the command simply runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def _take_terminal(fd: int) -> None:
    """In the child, before exec: a process group of its own, in front on the terminal ``fd``."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may set the foreground only so
    os.tcsetpgrp(fd, os.getpgrp())
    signal.signal(signal.SIGTTOU, signal.SIG_DFL)


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write("usage: foreground.py COMMAND [ARG ...]\n")
        return 2
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
        front = os.tcgetpgrp(fd)
    except OSError:  # no controlling terminal: nothing to protect the caller from
        return subprocess.call(argv)
    try:
        child = subprocess.Popen(argv, preexec_fn=lambda: _take_terminal(fd), pass_fds=(fd,))
        while True:
            try:
                status = child.wait()
                break
            except KeyboardInterrupt:  # not ours to act on: the command decides
                continue
    finally:
        previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            os.tcsetpgrp(fd, front)  # the terminal goes back to the caller's group
        except OSError:
            pass
        signal.signal(signal.SIGTTOU, previous)
        os.close(fd)
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
