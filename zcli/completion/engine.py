"""The completion engine: from the text before the cursor to suggestions. Pure: no I/O.

The first word is an API name or a shell built-in (prefix matches first, then fuzzy ones: ``qms`` →
``QueryModelService``). After a query API come condition words (:mod:`zcli.completion.query`);
after any other API, parameters (:mod:`zcli.completion.params`). The prompt_toolkit completer of the
shell and the bash/zsh/fish completion are thin adapters over :class:`CompletionEngine`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from zcli.catalog import Catalog
from zcli.completion.fuzzy import Ranker
from zcli.completion.params import ParamCompleter
from zcli.completion.query import QueryCompleter
from zcli.completion.suggestion import Entry, Suggestion, entry, entry_key, join_meta, since
from zcli.completion.values import safe_label
from zcli.completion.words import split_words
from zcli.grammar.operators import split_condition
from zcli.grammar.words import comment_start
from zcli.limits import COMPLETION_WIDTH
from zcli.options import FORMATS, LINE_FLAGS

Triple = tuple[str, str, str]  # (text, display, meta)

#: The ZQL statement keywords, offered as first words: a line starting with one is ZQL.
ZQL_STATEMENTS: dict[str, str] = {
    "query": "ZQL: query ENTITY [where ...]",
    "count": "ZQL: count ENTITY [where ...] [group by F]",
    "sum": "ZQL: sum ENTITY.FIELD by FIELD",
    "search": "ZQL: search 'TEXT'",
}


def _zql_line(text: str) -> bool:
    """True when the first word is a ZQL statement keyword and the cursor is past it."""
    stripped = text.lstrip()
    head = stripped.split(None, 1)[0] if stripped else ""
    return head in ZQL_STATEMENTS and len(stripped) > len(head)


class CompletionEngine:
    """Suggestions for a partly typed zcli command line.

    Args:
        catalog: the API catalogue.
        live: optional source of server values, an object with ``values(inventory, field)`` that never
            blocks (it answers from a cache and may schedule a fetch): None while nothing is known, else
            plain values or (value, label) pairs, the label shown as the menu's meta.
        builtins: the built-in commands offered as first words, name → help (the shell passes its
            :data:`zcli.shell.builtins.BUILTINS`' helps; one-shot completion its first words).
        profiles: gives the names of the config file's profiles, offered after ``use`` (the shell
            reads the file; the engine itself does no I/O).
        line_options: options a line may carry after its API (the shell's ``-o``, ``--query``, ...):
            spelling → (help, takes a value). One-shot completion handles options itself and passes none.
    """

    def __init__(self, catalog: Catalog, live=None, builtins: Mapping[str, str] | None = None,
                 profiles: Callable[[], Iterable[str]] | None = None,
                 line_options: Mapping[str, tuple[str, bool]] | None = None):
        self.catalog = catalog
        self.live = live
        self.builtins = dict(builtins or {})
        self.profiles = profiles
        self.line_options = dict(line_options or {})
        self.query = QueryCompleter(catalog, live)
        self.params = ParamCompleter(catalog, live)
        self._first: Ranker | None = None
        self._apis: Ranker | None = None
        self._empty: list[Suggestion] | None = None
        self._zql = None

    def complete(self, text_before_cursor: str) -> list[Suggestion]:
        """Suggestions for the word the cursor ends.

        Args:
            text_before_cursor: what follows ``zcli`` up to the cursor; the first word is the API.

        Returns:
            Suggestions, best first; each replaces the current word (``start`` = minus its typed length).
        """
        if not text_before_cursor.strip():
            if self._empty is None:  # the whole first-word menu: built once, shared (suggestions are frozen)
                self._empty = [Suggestion(e.insert, 0, e.insert, e.meta) for e in self.first_entries()]
            return list(self._empty)
        if _zql_line(text_before_cursor):  # ZQL has words and quotes of its own: its completer reads the line
            if self._zql is None:
                from zcli.zql.complete import ZQLCompleter

                self._zql = ZQLCompleter(self.catalog, self.live)
            return self._zql.complete(text_before_cursor)
        if comment_start(text_before_cursor) < len(text_before_cursor):
            return []  # in a comment: nothing runs there, nothing is offered
        words, current = split_words(text_before_cursor)
        start = -len(current.raw)
        return [Suggestion(text, start, display, meta if len(meta) <= COMPLETION_WIDTH else safe_label(meta))
                for text, display, meta in self._complete([w.value for w in words], current.value)
                if len(text) <= 2 * COMPLETION_WIDTH]  # a field path and its value: each capped before

    # --- dispatch -------------------------------------------------------------------------------
    def _complete(self, words: list[str], word: str) -> list[Triple]:
        if not words:
            return [(e.insert, e.insert, e.meta) for e in self._first_ranker().rank(word)]
        head = words[0]
        if head in self.builtins:
            return self._builtin_args(head, words[1:], word)
        if not self.catalog.has_api(head):
            return []
        api = self.catalog.api(head)
        if self.line_options:
            words, offered = self._split_line_options(words, word)
            if offered is not None:
                return offered
        if api.query:
            used = {parts[0] for w in words[1:] if (parts := split_condition(w))}
            return self.query.complete(api.inventory or "", word, used)
        given = {w.partition("=")[0] for w in words[1:] if "=" in w}
        return self.params.complete(api, word, given)

    def _split_line_options(self, words: list[str], word: str) -> tuple[list[str], list[Triple] | None]:
        """The words less the per-line options and their values; and, when the cursor is on an option or
        on an option's value, the suggestions for it (else None)."""
        kept: list[str] = []
        pending: str | None = None  # an option whose value comes next
        for w in words:
            if pending is not None:
                pending = None
                continue
            option = self.line_options.get(w)
            if option is None:
                kept.append(w)
            elif option[1]:
                pending = w
        choices = LINE_FLAGS[pending].choices if pending in LINE_FLAGS else ()
        if choices:
            return kept, [(f, f, "output format") for f in choices if f.startswith(word.lower())]
        if pending is not None:  # a JMESPath expression: nothing to offer
            return kept, []
        if word.startswith("-"):
            return kept, [(f, f, h) for f, (h, _) in self.line_options.items() if f.startswith(word)]
        return kept, None

    def _builtin_args(self, name: str, args: list[str], word: str) -> list[Triple]:
        if name == "help" and not args:
            return [(e.insert, e.insert, e.meta) for e in self._api_ranker().rank(word)]
        if name == "set":
            if not args:
                return [("output", "output", "output format")] if "output".startswith(word.lower()) else []
            if args == ["output"]:
                return [(f, f, "format") for f in FORMATS if f.startswith(word.lower())]
        if name == "use" and not args and self.profiles is not None:
            return [(p, p, "profile") for p in sorted(self.profiles()) if p.lower().startswith(word.lower())]
        if name == "watch" and args:
            if len(args) == 1:  # watch SECONDS COMMAND...: the command is an API, never a built-in
                return [(e.insert, e.insert, e.meta) for e in self._api_ranker().rank(word)]
            return self._complete(args[1:], word)
        return []

    # --- first words ----------------------------------------------------------------------------
    def api_entries(self) -> list[Entry]:
        """Every API name with its category and since (read from the catalogue's index alone)."""
        return self._api_ranker().items

    def first_entries(self) -> list[Entry]:
        """Built-ins, the ZQL statement keywords, then APIs."""
        return self._first_ranker().items

    def _api_ranker(self) -> Ranker:
        if self._apis is None:
            out = []
            for name in self.catalog.api_names:
                category, version, is_query, _ = self.catalog.api_summary(name)
                # Undocumented APIs (the Java SDK additions have no since) lose ties to documented ones.
                out.append(entry(name, name, join_meta(category or ("query" if is_query else ""), since(version)),
                                 weight=0 if version else 1))
            self._apis = Ranker(out, key=entry_key)
        return self._apis

    def _first_ranker(self) -> Ranker:
        if self._first is None:
            zql = [entry(w, w + " ", h) for w, h in ZQL_STATEMENTS.items()]
            self._first = Ranker([entry(n, n, h) for n, h in self.builtins.items()] + zql + self.api_entries(),
                                 key=entry_key)
        return self._first
