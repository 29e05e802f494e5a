"""What a field or parameter holds, read from its Java type name: :class:`FieldKind`."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

_INT_TYPES = {"integer", "int", "long", "short", "biginteger", "byte"}
_FLOAT_TYPES = {"float", "double", "bigdecimal", "number"}


class FieldKind(StrEnum):
    """What a field or parameter holds, from its Java type (a member equals its name: ``FieldKind.INT == "int"``)."""

    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    TIMESTAMP = "timestamp"
    LIST = "list"
    MAP = "map"
    OBJECT = "object"
    STRING = "string"


@lru_cache(maxsize=1024)  # asked for each condition of a line: a few hundred types in all
def type_kind(java_type: str | None) -> FieldKind:
    """Classify a Java type name."""
    t = (java_type or "String").strip()
    low = t.lower()
    if low in _INT_TYPES:
        return FieldKind.INT
    if low in _FLOAT_TYPES:
        return FieldKind.FLOAT
    if low == "boolean":
        return FieldKind.BOOL
    if low in ("timestamp", "date"):
        return FieldKind.TIMESTAMP
    if low.startswith(("list", "set", "collection", "[]")):
        return FieldKind.LIST
    if low.startswith(("map", "linkedhashmap", "hashmap")):
        return FieldKind.MAP
    if t.endswith(("Inventory", "AO", "Struct")) or low == "object":
        return FieldKind.OBJECT
    return FieldKind.STRING


def element_type(java_type: str | None) -> str | None:
    """``List<Foo>`` → ``Foo``; None when the type carries no element type."""
    t = java_type or ""
    if "<" in t and t.endswith(">"):
        return t[t.index("<") + 1:-1].strip()
    return None
