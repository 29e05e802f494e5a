"""Checking and converting typed values against the catalogue's types, before anything is sent."""

from __future__ import annotations

import json
from typing import Any

from zcli.catalog import FieldKind, Param, type_kind
from zcli.catalog.kinds import element_type
from zcli.errors import UsageError
from zcli.grammar.words import split_list

TRUE_WORDS = ("true",)
FALSE_WORDS = ("false",)

def is_secret(param_name: str, param: Param | None = None) -> bool:
    """Whether a parameter holds a secret that must never be stored or shown (see :mod:`zcli.secrets`).

    Its name decides, not the catalogue's ``password`` flag (ZStack's log-masking flag, set on urls and tags too);
    ``param`` is accepted so callers need not care.
    """
    from zcli.secrets import is_secret as secret

    return secret(param_name)


#: Bits of the Java integer types: the server (Java) refuses, or its database chokes on, anything wider.
INT_BITS = {"byte": 8, "short": 16, "int": 32, "integer": 32, "long": 64}


def int_range(java_type: str | None) -> tuple[int, int]:
    """The (lowest, highest) value of the Java integer type ``java_type`` (``Long`` when unknown)."""
    bits = INT_BITS.get((java_type or "long").strip().lower(), 64)
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def check_scalar(kind: str, value: str, what: str, java_type: str | None = None) -> None:
    """Raise UsageError when ``value`` is not of ``kind`` (int, float, bool); other kinds accept any text.

    Integers are also checked against the range of their Java type (``Integer``: 32 bits, ``Long``: 64).
    """
    if kind == FieldKind.INT:
        try:
            number = int(value)
        except ValueError:
            raise UsageError(f"'{what}': '{value}' is not an integer", word=what) from None
        low, high = int_range(java_type)
        if not low <= number <= high and (java_type or "").strip().lower() != "biginteger":
            raise UsageError(f"'{what}': {value} is outside {low}..{high} (a Java {java_type or 'Long'})", word=what)
    elif kind == FieldKind.FLOAT:
        try:
            float(value)
        except ValueError:
            raise UsageError(f"'{what}': '{value}' is not a number", word=what) from None
    elif kind == FieldKind.BOOL and value.lower() not in TRUE_WORDS + FALSE_WORDS:
        raise UsageError(f"'{what}': '{value}' is not a boolean (true or false)", word=what)


def parse_bool(value: str, what: str) -> bool:
    """``value`` (true or false, any case) as a bool; UsageError naming ``what`` otherwise."""
    return _scalar("bool", value, what)


def _parse_json(value: str, what: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        raise UsageError(f"'{what}': '{value}' is not valid JSON", word=what) from None


def convert_param(api_name: str, param: Param, value: str, word: str) -> Any:
    """Convert the text typed for a non-query parameter into the JSON value the API takes.

    Lists split on ``,`` (``\\,`` escapes) unless written as JSON; maps and lists of objects take JSON
    (never ``eval``); numbers and booleans are checked; valid values and number ranges are enforced.
    Passwords are hashed later, once every parameter is known (:func:`hash_passwords`).
    """
    kind = param.kind
    element = element_type(param.type)
    element_kind = type_kind(element) if element else FieldKind.STRING
    structured = (FieldKind.MAP, FieldKind.OBJECT)
    if kind in structured or (kind == FieldKind.LIST and element_kind in structured):
        return _parse_json(value, word)
    if kind == FieldKind.LIST:
        items = _parse_json(value, word) if value.startswith("[") else split_list(value)
        if not isinstance(items, list):
            raise UsageError(f"'{word}': expected a list", word=word)
        if element_kind in (FieldKind.INT, FieldKind.FLOAT, FieldKind.BOOL):
            items = [_scalar(element_kind, str(i), word, element) for i in items]
        return items
    result = _scalar(kind, value, word, param.type)
    if param.values and str(value) not in param.values:
        raise UsageError(f"'{word}': '{value}' is not one of {', '.join(map(str, param.values))}", word=word)
    if param.range and kind in ("int", "float") and not (param.range[0] <= result <= param.range[1]):
        raise UsageError(f"'{word}': {value} is outside {param.range[0]}..{param.range[1]}", word=word)
    if param.max_length and isinstance(result, str) and len(result) > param.max_length:
        raise UsageError(f"'{word}': longer than {param.max_length} characters", word=word)
    return result


def hash_passwords(api_name: str, params: dict[str, Any]) -> None:
    """Replace, in place, each parameter the server compares as SHA-512 hex by its hash
    (the table: :data:`zcli.grammar.hashing.HASHED`; ``LogIn`` hashes only for ``loginType=account``)."""
    from zcli.grammar.hashing import hashed_entry, sha512_hex

    for name, value in params.items():
        if isinstance(value, str) and hashed_entry(api_name, name, params) is not None:
            params[name] = sha512_hex(value)


def _scalar(kind: str, value: str, what: str, java_type: str | None = None) -> Any:
    check_scalar(kind, value, what, java_type)
    if kind == FieldKind.INT:
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value.lower() in TRUE_WORDS
    return value
