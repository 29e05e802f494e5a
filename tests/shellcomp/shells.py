"""Driving the completion scripts in the real shells.

* bash: the completion function called as bash calls it (COMP_LINE, COMP_POINT, COMP_WORDS and
  COMP_CWORD set), printing COMPREPLY; and an interactive bash under a pseudo-terminal, to read what
  Tab leaves on the line.
* fish: ``complete -C LINE``, fish's own completion machinery.
* zsh: an interactive zsh under a pseudo-terminal with compinit: Tab is pressed as a person would,
  the matches zsh keeps are recorded by a wrapper around ``compadd`` (which then adds them as usual),
  and the line after Tab is read back through a key bound to a widget.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPLETIONS = ROOT / "completions"
FILES = {"bash": "zcli.bash", "zsh": "_zcli", "fish": "zcli.fish"}


def need(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    return path


# --- bash: the function as bash calls it ---------------------------------------------------------
BASH_DRIVER = r"""
source "$ZCLI_SCRIPT"
COMP_LINE=$1
COMP_POINT=${#1}
shift
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_TYPE=${ZCLI_COMP_TYPE:-9}
_zcli zcli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


def bash_words(line: str) -> list[str]:
    """COMP_WORDS as bash makes them: split at blanks, then at the COMP_WORDBREAKS ``=``, ``:``, ``<``, ``>``."""
    words: list[str] = []
    for token in line.split():
        words += re.findall(r"[=:<>]+|[^=:<>]+", token)
    if not line or line[-1].isspace():
        words.append("")
    return words


def bash_complete(line: str, env: dict[str, str], comp_type: int = 9) -> list[str]:
    """COMPREPLY for ``line``, the cursor at its end; ``comp_type`` as bash sets COMP_TYPE (9: a Tab
    that inserts, 63: a second Tab that lists)."""
    need("bash")
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER, "bash", line, *bash_words(line)],
                         env={**env, "ZCLI_SCRIPT": str(COMPLETIONS / FILES["bash"]), "ZCLI_COMP_TYPE": str(comp_type)},
                         capture_output=True, text=True, timeout=30, check=True)
    return [w for w in out.stdout.split("\n") if w]


# --- fish: complete -C ---------------------------------------------------------------------------
def fish_complete(line: str, env: dict[str, str]) -> dict[str, str]:
    """What fish offers for ``line``: candidate → description."""
    need("fish")
    script = f"source {fish_quote(str(COMPLETIONS / FILES['fish']))}; complete -C {fish_quote(line)}"
    out = subprocess.run(["fish", "--no-config", "-c", script], env=env, capture_output=True, text=True,
                         timeout=30, check=True)
    pairs = (row.partition("\t") for row in out.stdout.split("\n") if row)
    return {cand: desc for cand, _, desc in pairs}


def fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# --- interactive shells under a pseudo-terminal ------------------------------------------------------
class _TtyShell:
    """A shell on a pseudo-terminal; ``tab(text)`` types text, presses Tab, reads the line back."""

    ready = "READY> "
    marker = "echo SETUP-$((40 + 2))"  # the echo of the typed line does not match

    def __init__(self, argv: list[str], env: dict[str, str], tmp: Path, setup: str):
        self.tmp = tmp
        self.buffer = tmp / "buffer"
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", dimensions=(60, 250),
                                   timeout=20, cwd=str(tmp))
        for line in setup.strip().splitlines():
            self.child.sendline(line)
        self.child.sendline(self.marker)
        self.child.expect("SETUP-42")

    def _drain(self) -> None:
        try:
            self.child.read_nonblocking(1 << 16, timeout=0.05)
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def tab(self, text: str, tabs: int = 1) -> str:
        """Type ``text``, press Tab ``tabs`` times; the line as it then stands (cleared afterwards)."""
        self.buffer.unlink(missing_ok=True)
        self.child.send(text + "\t" * tabs)
        self.child.send("\x18b")  # Ctrl-X b: the bound widget writes the line to a file
        deadline = time.monotonic() + 20
        while not self.buffer.exists() and time.monotonic() < deadline:
            self._drain()
        time.sleep(0.02)  # the widget's write may still be under way
        line = self.buffer.read_text(encoding="utf-8") if self.buffer.exists() else None
        self.child.send("\x15")  # Ctrl-U: clear the line for the next test
        if line is None:
            raise AssertionError(f"the shell did not answer for {text!r}: {self.child.before!r}")
        return line

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


class ZshSession(_TtyShell):
    """Interactive ``zsh -f`` with compinit and ``completions/_zcli`` (sourced, or found in ``$fpath``
    when ``fpath``); ``complete`` gives what a Tab offered (the words zsh kept after matching them
    against the line) and the line after it."""

    def __init__(self, env: dict[str, str], tmp: Path, *, fpath: bool = False):
        self.capture = tmp / "matches"
        # Loaded as installed: autoloaded from a folder of $fpath, or sourced after compinit.
        load = (f"fpath=({COMPLETIONS} $fpath); autoload -Uz compinit && compinit -u -D" if fpath else
                f"autoload -Uz compinit && compinit -u -D; source {COMPLETIONS / FILES['zsh']}")
        setup = f"""
bindkey -e
unsetopt autolist automenu beep listbeep
{load}
compadd() {{
  if (( ${{@[(I)-[OAD]*]}} )); then builtin compadd "$@"; return; fi
  local -a m; builtin compadd -O m "$@"; (( $#m )) && print -rl -- $m >> {self.capture}
  builtin compadd "$@"
}}
__dump() {{ print -rn -- "$BUFFER" > {tmp / 'buffer'}; }}
zle -N __dump
bindkey '^Xb' __dump
PS1='{self.ready}'
"""
        super().__init__(["zsh", "-f", "-i"], env, tmp, setup)

    def complete(self, text: str) -> tuple[list[str], str]:
        """(the matches zsh offers for ``text``, the line after one Tab)."""
        self.capture.unlink(missing_ok=True)
        line = self.tab(text)
        found = self.capture.read_text(encoding="utf-8").splitlines() if self.capture.exists() else []
        return found, line


class BashSession(_TtyShell):
    """Interactive ``bash --norc`` with ``completions/zcli.bash``."""

    def __init__(self, env: dict[str, str], tmp: Path):
        setup = f"""
source {COMPLETIONS / FILES['bash']}
bind 'set bell-style none'
bind -x '"\\C-xb": printf %s "$READLINE_LINE" > {tmp / 'buffer'}'
PS1='{self.ready}'
"""
        super().__init__(["bash", "--norc", "--noprofile", "-i"], env, tmp, setup)


class FishSession(_TtyShell):
    """Interactive ``fish --no-config`` with ``completions/zcli.fish``: what Tab leaves on the line
    (``complete -C`` gives the candidates, not the space fish adds after a lone one)."""

    marker = "echo SETUP-(math 40 + 2)"

    def __init__(self, env: dict[str, str], tmp: Path):
        # Ctrl-X b writes the line, then empties it (and so closes the pager a Tab may have opened).
        setup = f"""
source {COMPLETIONS / FILES['fish']}
bind \\cxb 'commandline > {tmp / 'buffer'}; commandline ""'
function fish_prompt; echo -n '{self.ready}'; end
"""
        super().__init__(["fish", "--no-config", "-i"], env, tmp, setup)
