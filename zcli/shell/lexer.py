"""Syntax highlighting of the shell's line: API, keys, operators, values and errors; secrets masked.

A secret value (a password) is drawn as ``*`` characters, one per character typed, so the cursor keeps
its place and the password is never shown, not even in the line left on the screen after Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import groupby

from prompt_toolkit.document import Document
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from zcli.catalog import Catalog
from zcli.catalog.errors import CatalogError
from zcli.errors import UsageError
from zcli.grammar.operators import SPECIAL_KEYS, TAG_KEYS, split_condition
from zcli.grammar.words import Word, comment_start, split_words
from zcli.shell.secrets import secret_spans
from zcli.zql import is_zql

STYLE = Style.from_dict({
    "api": "ansigreen bold",
    "builtin": "ansicyan bold",
    "key": "ansiblue",
    "special": "ansicyan",
    "operator": "ansimagenta bold",
    "value": "ansiyellow",
    "secret": "ansiyellow",
    "error": "ansired underline",
    "comment": "ansibrightblack italic",
    "zql-keyword": "ansigreen bold",
    "zql-entity": "ansicyan bold",
    "zql-field": "ansiblue",
    "zql-function": "ansicyan",
    "zql-string": "ansiyellow",
    "zql-number": "ansiyellow",
    "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
})

Fragments = list[tuple[str, str]]


class ShellLexer(Lexer):
    """Colours a zcli line word by word.

    Args:
        catalog: the catalogue (to tell known APIs, fields and parameters from errors).
        builtins: the shell's built-in commands.
    """

    def __init__(self, catalog: Catalog, builtins: Mapping[str, str],
                 line_options: Mapping[str, tuple[str, bool]] | None = None):
        self.catalog = catalog
        self.builtins = builtins
        self.line_options = line_options or {}  # spelling -> (help, takes a value), e.g. -o, --query

    def lex_document(self, document: Document) -> Callable[[int], Fragments]:
        lines = document.lines
        styled = [self.fragments(line) for line in lines]
        return lambda i: styled[i] if i < len(styled) else []

    def fragments(self, line: str) -> Fragments:
        """(style, text) fragments for ``line``; their texts joined have ``line``'s length."""
        styles: list[str] = [""] * len(line)
        words = None  # split once, for the styles and the secrets
        if is_zql(line):  # ZQL: its own tokens, quotes and errors
            self._style_zql(line, styles)
        else:
            words, current = split_words(line, comments=False)  # split once: the styles and the secrets
            if current.raw:
                words = [*words, current]
            cut = comment_start(line)  # the one comment rule: what runs, completes and is coloured
            self._style_words([w for w in words if w.start < cut], styles, line)
            _paint(styles, cut, len(line) - cut, "comment")
        for start, end in secret_spans(self.catalog, line, words):  # a secret in a comment is masked too
            _paint(styles, start, end - start, "secret")
        out: Fragments = []
        at = 0  # runs of one style become one fragment: linear in the line's length
        for style, run in groupby(styles):
            n = len(list(run))  # counted in C: a generator a character took 50 ms for 126,000 characters
            out.append((f"class:{style}" if style else "", "*" * n if style == "secret" else line[at:at + n]))
            at += n
        return out

    def _style_words(self, words: list[Word], styles: list[str], line: str) -> None:
        if not words:
            return
        head = words[0]
        rest = words[1:]
        if head.value in self.builtins:
            _paint(styles, head.start, len(head.raw), "builtin")
            if head.value == "watch" and len(rest) > 1:
                self._style_words(rest[1:], styles, line)
            return
        if not self.catalog.has_api(head.value):
            _paint(styles, head.start, len(head.raw), "error")
            return
        _paint(styles, head.start, len(head.raw), "api")
        api = self.catalog.api(head.value)
        known: dict[str, bool] = {}  # a line repeats its keys: each is looked up once
        option_value = False  # the word is the value of the option before it (-o json, --query EXPR)
        options = self.line_options
        for w in rest:
            raw, start = w.raw, w.start
            if option_value:
                option_value = False
                _paint(styles, start, len(raw), "value")
                continue
            if options:
                flag, eq, _ = raw.partition("=")
                if flag in options:
                    _paint(styles, start, len(flag), "special")
                    _paint(styles, start + len(flag), len(raw) - len(flag), "value")
                    option_value = not eq and options[flag][1]
                    continue
            parts = split_condition(raw)
            if parts is None or not parts[0]:
                _paint(styles, start, len(raw), "key")  # still being typed
                continue
            key, op, _ = parts
            # the key as the grammar reads it (``"na"me=`` is ``name``)
            unquoted = parts if w.value == raw else split_condition(w.value)
            name = unquoted[0] if unquoted else key
            good = known.get(name)
            if good is None:
                good = known[name] = self._known_key(api, name)
            # a word lies within the line: its three parts are painted without _paint's bounds
            op_at, value_at, end = start + len(key), start + len(key) + len(op), start + len(raw)
            styles[start:op_at] = ["special" if key in SPECIAL_KEYS else "key" if good else "error"] * len(key)
            styles[op_at:value_at] = ["operator"] * len(op)
            styles[value_at:end] = ["value"] * (end - value_at)

    def _style_zql(self, line: str, styles: list[str]) -> None:
        from zcli.zql import split_zql_line
        from zcli.zql.highlight import highlight
        from zcli.zql.schema import schema_for

        text, rest = split_zql_line(line, self.line_options)
        pieces, error = highlight(text, schema_for(self.catalog))
        offset = len(line) - len(line.lstrip())
        for p in pieces:
            cls = {"operator": "operator", "error": "error", "punct": ""}.get(p.cls, f"zql-{p.cls}")
            _paint(styles, offset + p.start, p.end - p.start, cls)
        # An error is underlined once the cursor has left it (a word being typed is not wrong yet).
        typing = error is not None and error.end >= len(text) and not line[offset + len(text):].strip(" ") \
            and not line.endswith((" ", "\t"))
        if error is not None and error.end > error.start and not typing:
            _paint(styles, offset + error.start, error.end - error.start, "error")
        if rest:
            start = len(line) - len(rest)
            for w in split_words(rest)[0] + [split_words(rest)[1]]:
                flag = w.raw.partition("=")[0]
                _paint(styles, start + w.start, len(w.raw), "special" if flag in self.line_options else "value")

    def _known_key(self, api, key: str) -> bool:
        if not api.query:
            return api.param(key) is not None or key in ("systemTags", "userTags")
        if key in SPECIAL_KEYS or key in TAG_KEYS:
            return True
        try:
            self.catalog.resolve(api.inventory or "", key)
        except (UsageError, CatalogError):
            return False
        return True


def _paint(styles: list[str], start: int, length: int, style: str) -> None:
    end = start + length
    if end > len(styles):
        end = len(styles)
    if end > start:
        styles[start:end] = [style] * (end - start)
