"""Completion of a whole one-shot command line (``zcli [OPTIONS] API [ARG ...]``) for bash, zsh and fish.

The words after the API go to the same :class:`~zcli.completion.CompletionEngine` as the zcli shell
(with the one-shot first words, ``completion`` and ``sim``, instead of the shell's built-ins). What
comes before the API is completed here: the global options of the one-shot face and their values.

Candidates are whole words, unquoted: each shell adapter quotes them and cuts them to what that shell
replaces (see :mod:`zcli.completion.scripts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zcli.completion.words import Word, quote, split_words
from zcli.grammar.operators import split_condition
from zcli.options import OPTIONS as ALL_OPTIONS
from zcli.options import SUBCOMMANDS, Kind, Option
from zcli.zql import STATEMENT_WORDS as ZQL_STATEMENTS

SHELLS = ("bash", "zsh", "fish")
# Characters after which the word goes on (a path, an operator, a list): no space is added.
_GOES_ON = "=.,:<>~!?/"


#: The one-shot face's options: the one table (:data:`zcli.options.OPTIONS`), help texts and all.
OPTIONS: tuple[Option, ...] = ALL_OPTIONS


def sim_options() -> tuple[Option, ...]:
    """``zcli sim``'s options, read from its own argument parser (:func:`zcli.sim.cli.parser`)."""
    from zcli.sim.cli import parser

    out = []
    for action in parser()._actions:
        if not action.option_strings:
            continue
        flag = action.nargs == 0
        out.append(Option(action.dest, tuple(action.option_strings), Kind.FLAG if flag else Kind.TEXT,
                          action.help or "", None if flag else (action.metavar or action.dest.upper())))
    return tuple(out)


@dataclass(frozen=True)
class Candidate:
    """A completion: the whole new word (unquoted), its help, and whether a space should follow."""

    value: str
    help: str = ""
    space: bool = True


@dataclass
class Completions:
    """What one Tab offers: candidates, or ``files`` when the shell's own file completion fits."""

    candidates: list[Candidate]
    files: bool = False
    current: Word | None = None


@dataclass
class Line:
    """A one-shot line taken apart: global options given (as typed, by ``dest``), the command word and the
    words after it."""

    options: dict[str, str]
    command: Word | None
    args: list[Word]
    current: Word
    pending: Option | None = None  # an option whose value is the current word


def _find(options: tuple[Option, ...], name: str) -> Option | None:
    return next((o for o in options if name in o.flags), None)


def parse_line(line: str, options: tuple[Option, ...] = OPTIONS) -> Line:
    """Take a line apart (its first word is the program itself, ``zcli`` or a path to it).

    Global options count before the command word and after it (click accepts both); their values
    are kept by ``dest`` (``output``, ``ca_bundle``...), a flag's as ``"true"``.
    """
    words, current = split_words(line)
    parsed = Line({}, None, [], current)
    i = 1
    while i < len(words):
        w = words[i]
        name, eq, value = w.value.partition("=")
        opt = _find(options, name) if w.value.startswith("-") else None
        if opt is None:
            if parsed.command is None:
                parsed.command = w
            else:
                parsed.args.append(w)
            i += 1
            continue
        key = opt.dest
        if not opt.takes_value:
            parsed.options[key] = "true"
        elif eq:
            parsed.options[key] = value
        elif i + 1 < len(words):
            parsed.options[key] = words[i + 1].value
            i += 1
        else:
            parsed.pending = opt
        i += 1
    return parsed


def complete_line(line: str, engine_factory: Callable[[Line], object],
                  profiles: Callable[[], list[str]] = list, *, auto_space: str | None = None) -> Completions:
    """Completions for a one-shot line up to the cursor.

    Args:
        line: the command line up to the cursor, starting with the program name.
        engine_factory: builds the :class:`~zcli.completion.CompletionEngine` for the parsed line
            (called only when the API's words are completed, so that option completion stays cheap).
        profiles: gives the profile names of the config file, for ``--profile``.
        auto_space: for a shell that decides the space itself (fish: a space after a lone candidate
            unless it ends with one of these characters), give the characters: a lone candidate that
            must not be followed by a space is then offered as its continuations (see
            :func:`_continue_lone`).
    """
    parsed = parse_line(line)
    command = parsed.command.value if parsed.command else None
    options = sim_options() if command == "sim" else OPTIONS
    if command == "sim":
        parsed = parse_line(line, options)
    cur = parsed.current
    out = Completions([], current=cur)
    if parsed.pending is not None:
        return _option_value(parsed.pending, "", cur.value, out, profiles)
    if cur.value.startswith("-"):
        name, eq, value = cur.value.partition("=")
        opt = _find(options, name)
        if eq and opt is not None and opt.takes_value:
            return _option_value(opt, name + "=", value, out, profiles)
        out.candidates = [Candidate(n, o.help) for o in options for n in o.flags
                          if n.startswith(cur.value) and n.startswith("--" if cur.value.startswith("--") else "-")]
        return out
    if command == "completion":
        if not parsed.args:
            out.candidates = [Candidate(s, f"the {s} script") for s in SHELLS if s.startswith(cur.value)]
        return out
    if command == "sim":
        return out
    if "batch" in parsed.options:  # a batch run (-f) takes no command words
        return out
    engine = engine_factory(parsed)
    words = ([parsed.command] if parsed.command else []) + parsed.args
    if command in ZQL_STATEMENTS:  # ZQL: the words as zcli will join them; candidates keep ZQL's own quotes
        out.candidates = _zql_candidates(engine, " ".join(w.value for w in words) + " ", cur.value)
        return out
    text = " ".join(w.raw for w in words) + (" " if words else "") + cur.raw
    # After an API every word is ``key<op>value``: a bare key (a field) waits for its operator.
    after_api = command is not None and command not in SUBCOMMANDS
    head = text[: len(text) - len(cur.raw)]
    out.candidates = _candidates(engine, head, cur.raw, after_api)
    if auto_space is not None:
        out.candidates = _continue_lone(out.candidates, cur.value, auto_space, engine, head, after_api)
    return out


def _candidates(engine, head: str, raw: str, after_api: bool) -> list[Candidate]:
    """The engine's suggestions for the word ``raw`` after the text ``head``, as whole words."""
    out = []
    for s in engine.complete(head + raw):
        if -s.start > len(raw):
            continue  # would replace more than the current word: not something a shell can do
        value = _unquote(raw[: len(raw) + s.start] + s.text)
        space = not value.endswith(tuple(_GOES_ON)) and (not after_api or split_condition(value) is not None)
        out.append(Candidate(value, s.meta, space=space))
    return out


def _zql_candidates(engine, head: str, typed: str) -> list[Candidate]:
    """A ZQL line's suggestions as whole shell words: the value is the word zcli gets (``'Running'`` with
    its quotes, which the shell adapter escapes), a space after keywords and complete names."""
    out = []
    line = head + typed
    for s in engine.complete(line):
        if -s.start > len(typed):  # ``order b``: the shell's earlier word stays, this one gets the rest
            span = line[len(line) + s.start:]
            if not s.text.startswith(span):
                continue
            value = typed + s.text[len(span):].rstrip()
        else:
            value = typed[: len(typed) + s.start] + s.text.rstrip()
        out.append(Candidate(value, s.meta, space=not value.endswith((*_GOES_ON, "("))))
    return out


def _continue_lone(cands: list[Candidate], typed: str, auto_space: str, engine, head: str,
                   after_api: bool) -> list[Candidate]:
    """Candidates for a shell that adds a space after a lone candidate by itself (fish).

    Fish has no per-candidate "no space": it inserts a lone candidate with a space unless it ends with
    one of ``auto_space``, and the longest common prefix of several without one. So when the one
    candidate fish would keep (it keeps the best kind of match: prefix, then case-insensitive prefix)
    needs no space (``cpuNum`` waits for its operator), its continuations (``cpuNum=``, ``cpuNum!=``...)
    are offered beside it: fish inserts what they all share, the candidate, and no space; its menu
    shows the candidate with its help, then what may follow it.
    """
    low = typed.lower()
    kept = ([c for c in cands if c.value.startswith(typed)]
            or [c for c in cands if c.value.lower().startswith(low)] or cands)
    if len(kept) != 1 or kept[0].space or kept[0].value.endswith(tuple(auto_space)):
        return cands
    lone = kept[0]
    more = [c for c in _candidates(engine, head, quote(lone.value), after_api)
            if c.value.startswith(lone.value) and c.value != lone.value]
    return [lone, *more] if more else cands


def _option_value(opt: Option, head: str, typed: str, out: Completions,
                  profiles: Callable[[], list[str]]) -> Completions:
    if opt.files:
        out.files = True
        return out
    choices = profiles() if opt.dest == "profile" else opt.choices
    out.candidates = [Candidate(head + c, opt.help) for c in choices if c.startswith(typed)]
    return out


def _unquote(raw: str) -> str:
    if not any(q in raw for q in "'\"\\"):
        return raw  # nearly always: skip the splitter
    words, current = split_words(raw)
    return "".join(w.value for w in words) + current.value
