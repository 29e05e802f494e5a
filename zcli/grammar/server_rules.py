"""How the ZStack REST server reads what zcli sends, so that zcli refuses what it would read differently.

Each rule here models one piece of ``rest/src/main/java/org/zstack/rest/RestServer.java`` (zstackio/zstack):

* ``handleQueryApi``: a ``q=`` condition is split at the first operator of ``QUERY_OP_MAPPING`` (a fixed
  order) that the condition *contains*, not at the leftmost one, with ``StringUtils.splitByWholeSeparator(cond,
  op, 2)``, which skips empty pieces: ``name=a!=b`` is read as ``name=a`` ``!=`` ``b``, and ``k==x`` as
  ``k`` ``=`` ``x``. :func:`server_split` does the same; :func:`check_condition` refuses a condition whose
  reading differs from what was typed.
* ``?=``/``!?=`` lists: ``search/.../QueryFacadeImpl.toZQLConditionString`` splits the value on every comma
  and has no escape, so :func:`check_in_list` refuses ``\\,``.
* ``Api.mapQueryParameterToApiFieldValue`` and ``normalizeCollectionParameters``: a map parameter of a GET
  or DELETE is one ``name.key=value`` query parameter per entry (repeated for a collection value); the key is
  cut at its first ``.``, and an integer key is taken as a list index. :func:`map_query_pairs` builds them and
  refuses the keys the server would read otherwise.

Pure functions, no I/O.
"""

from __future__ import annotations

import json
from typing import Any

from zcli.errors import UsageError

#: ``RestServer.QUERY_OP_MAPPING``, in its order ("DO NOT change the order").
SERVER_OPERATOR_ORDER: tuple[str, ...] = ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<",
                                          "is null", "not null")
NULL_OPERATORS = ("is null", "not null")
#: What to do instead, named in every refusal of a value the server would split elsewhere.
ZQL_HINT = ("match it with a pattern, '_' standing for each operator character (name~=a__b), or send a ZQL "
            "query, which quotes values (zcli \"query vminstance where name='a!=b'\")")


def split_by_whole_separator(text: str, separator: str, limit: int) -> list[str]:
    """Apache commons-lang ``StringUtils.splitByWholeSeparator(text, separator, limit)``: empty pieces are
    dropped, and the last of ``limit`` pieces holds the rest of the text."""
    if limit == 2:  # the server's only use: the first piece, then the rest after the separators that follow it
        return _split_in_two(text, separator)
    pieces: list[str] = []
    begin = 0
    while begin < len(text):
        end = text.find(separator, begin)
        if end < 0:
            pieces.append(text[begin:])
            break
        if end > begin:
            if len(pieces) + 1 == limit:
                pieces.append(text[begin:])
                break
            pieces.append(text[begin:end])
        begin = end + len(separator)
    return pieces


def _split_in_two(text: str, separator: str) -> list[str]:
    """``split_by_whole_separator(text, separator, 2)`` with str methods instead of a loop a piece."""
    size, n = len(separator), len(text)
    begin = 0
    while text.startswith(separator, begin):  # empty pieces are dropped
        begin += size
    end = text.find(separator, begin)
    if end < 0:
        return [text[begin:]] if begin < n else []
    first = text[begin:end]
    begin = end + size
    while text.startswith(separator, begin):
        begin += size
    return [first, text[begin:]] if begin < n else [first]


def server_split(condition: str) -> tuple[str, str, str | None] | None:
    """How ``RestServer.handleQueryApi`` reads one ``q=`` condition: (name, operator, value), the value None
    for ``is null``/``not null``; None when the server refuses it (no operator, or not a key-value pair)."""
    for op in SERVER_OPERATOR_ORDER:
        if op in condition:
            pieces = split_by_whole_separator(condition, op, 2)
            if op in NULL_OPERATORS:
                return (pieces[0].strip() if pieces else ""), op, None
            if len(pieces) != 2:
                return None
            return pieces[0].strip(), op, pieces[1]
    return None


def check_condition(word: str, q: str, path: str, op: str, value: str | None) -> None:
    """Refuse ``word`` when the server would read its ``q=`` text ``q`` as another condition than
    (``path``, ``op``, ``value``): see the module docstring.

    Raises:
        UsageError: saying how the server would read it, and what to do instead.
    """
    read = server_split(q)
    if read == (path, op, value):
        return
    if value == "":
        raise UsageError(f"'{word}': the server refuses a condition with an empty value (it finds no key-value "
                         f"pair); for a field that has no value, use {path}=null", word=word)
    if op == "=" and value is not None and value.startswith("=") and read == (path, "=", value.lstrip("=")):
        raise UsageError(f"'{word}': the server drops the '=' that begins the value (it reads {path}="
                         f"{value.lstrip('=')}); to match a value that begins with '=', {ZQL_HINT}", word=word)
    if read is None:
        raise UsageError(f"'{word}': the server cannot read this condition (it splits it at '{_first_op(q)}' and "
                         f"finds no key-value pair); {ZQL_HINT}", word=word)
    name, server_op, server_value = read
    reading = f"{name} {server_op}" + (f" {server_value}" if server_value is not None else "")
    raise UsageError(f"'{word}': the server splits a condition at the first operator of its fixed order "
                     f"({' '.join(SERVER_OPERATOR_ORDER[:10])}, is null, not null) that it contains, so it would "
                     f"read this as '{reading}'; the value cannot be sent as typed: {ZQL_HINT}", word=word)


def _first_op(q: str) -> str:
    return next((op for op in SERVER_OPERATOR_ORDER if op in q), "")


def check_in_list(word: str, op: str, value: str) -> None:
    """Refuse ``\\,`` in a ``?=``/``!?=`` list: the server splits on every comma and has no escape."""
    if "\\," in value:
        raise UsageError(f"'{word}': the server splits a {op} list on every comma and has no escape, so '\\,' "
                         f"would reach it as a backslash and a split; a value holding a comma cannot be in a {op}"
                         f" list: use one condition per such value, or a ZQL query", word=word)


def condition_parts(path: str, op: str, value: str) -> tuple[str, str, str | None]:
    """(name, operator, value) of one condition as the server is to read it: ``=null``/``!=null`` become
    ``is null``/``not null`` (no value), ``~=``/``!~=`` values get their ``%…%`` (see
    :func:`like_value`)."""
    if value == "null" and op == "=":
        return path, "is null", None
    if value == "null" and op == "!=":
        return path, "not null", None
    if op in ("~=", "!~="):
        return path, op, like_value(value)
    return path, op, value


def condition_q(path: str, op: str, value: str) -> str:
    """The ``q=`` text of a typed condition (DESIGN.md §1)."""
    name, server_op, server_value = condition_parts(path, op, value)
    return f"{name} {server_op}" if server_value is None else f"{name}{server_op}{server_value}"


def check_typed_condition(word: str, path: str, op: str, value: str) -> None:
    """Refuse the typed condition ``word`` (``path`` ``op`` ``value``) when the server would read it otherwise:
    :func:`check_condition` on its ``q=`` text, and :func:`check_in_list` for ``?=``/``!?=``."""
    if op in ("?=", "!?="):
        check_in_list(word, op, value)
    check_condition(word, condition_q(path, op, value), *condition_parts(path, op, value))


def like_value(value: str) -> str:
    """A ``~=``/``!~=`` value as sent: wrapped in ``%…%`` when it holds neither ``%`` nor ``_`` (zstack-cli's
    rule; the server itself adds nothing), as typed otherwise."""
    if "%" in value or "_" in value:
        return value
    return f"%{value}%"


def map_query_pairs(name: str, value: Any, word: str, *, collection: bool | None = None) -> list[tuple[str, str]]:
    """A map parameter of a GET or DELETE as the server binds it: one ``name.key=value`` pair per entry, one
    per item of a collection value (``RestServer.Api.mapQueryParameterToApiFieldValue``).

    Args:
        name: the parameter's name.
        value: the map (parsed from the JSON typed).
        word: the word typed, named in errors.
        collection: whether the map's values are collections (``Map<String, List<String>>``); None: unknown,
            both are accepted.

    Raises:
        UsageError: not an object; a key the server would cut (``.``) or take as a list index (an integer);
            a nested value; a list where the map holds single values.
    """
    if not isinstance(value, dict):
        raise UsageError(f"'{word}': {name} takes a JSON object, e.g. {name}={{\"key\":\"value\"}}", word=word)
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        if "." in key or not key:
            raise UsageError(f"'{word}': the server cuts a map key at its first '.', so key '{key}' of {name} "
                             "cannot be sent in a query string", word=word)
        if key.strip().lstrip("+-").isdigit():
            raise UsageError(f"'{word}': the server takes an integer key of a query-string map as a list index, so"
                             f" key '{key}' of {name} cannot be sent", word=word)
        items = item if isinstance(item, list) else [item]
        if isinstance(item, list) and collection is False:
            raise UsageError(f"'{word}': each key of {name} takes one value, not a list", word=word)
        for one in items:
            if isinstance(one, (dict, list)):
                raise UsageError(f"'{word}': the values of {name} must be text or numbers", word=word)
            pairs.append((f"{name}.{key}", _text(one)))
    return pairs


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)
