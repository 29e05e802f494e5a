"""Sizes: which fields hold a number of bytes, and a byte count as a person reads it (``32 GiB``).

Only tables and records show sizes so; json, yaml, csv, tsv, jsonl and value keep the exact bytes the
API gave, for scripts. The catalogue gives each field's Java type but no unit, so the rule is by name and
type, checked against the reference's inventories (DESIGN: the catalogue is the one source):

* the type is ``Long``/``long`` (64-bit: byte counts; ``Integer`` fields named ``*Size`` are counts, such
  as ``replicatedSize``, ``minResourceSize``, or units other than bytes, ``sizeWithGB``);
* and the name is ``size`` or ends with ``Size`` (``actualSize``, ``diskSize``, ``memorySize``,
  ``volumeSize``), ends with ``Capacity`` (``totalCapacity``, ``availablePhysicalCapacity``,
  ``totalMemoryCapacity``, ``modelUsedCapacity``), ends with ``Memory`` (``totalMemory``,
  ``minGpuMemory``) or with ``Bytes`` (``artifactSizeBytes``);
* but not a CPU capacity (``totalCpuCapacity``: a count of CPUs), a bandwidth (``bandwidthSize``), or
  ``requestMemory``, which model services give in MiB (the demo world's ``16384`` is 16 GiB).
"""

from __future__ import annotations

import re

_SIZE_NAME = re.compile(r"^(size|.*(Size|Capacity|Memory|Bytes))$")
_NOT_SIZES = re.compile(r"(Cpu|cpu|[Bb]andwidth)")
#: Fields whose unit is not bytes though the name says size (see the module's notes).
NOT_BYTES = frozenset({"requestMemory"})
_LONG_TYPES = {"long", "java.lang.long"}
UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def is_size_field(name: str, java_type: str | None) -> bool:
    """True when the field ``name`` of Java type ``java_type`` holds a number of bytes."""
    return ((java_type or "").lower() in _LONG_TYPES and bool(_SIZE_NAME.match(name))
            and not _NOT_SIZES.search(name) and name not in NOT_BYTES)


def size_fields(inventory: str | None, catalog=None) -> frozenset[str]:
    """The fields of ``inventory`` that hold bytes; empty when the inventory is unknown."""
    if not inventory:
        return frozenset()
    try:
        if catalog is None:
            from zcli.catalog import Catalog

            catalog = Catalog()
        fields = catalog.fields(inventory)
    except Exception:  # a renderer never fails for want of metadata: the numbers stay numbers
        return frozenset()
    return frozenset(name for name, f in fields.items() if is_size_field(name, f.type))


def human_size(value: object) -> str | None:
    """A byte count in binary units (``40 GiB``, ``1.5 TiB``, ``512 B``); None for what is not a count
    of bytes (a negative number, often "unlimited", a float, a string, a boolean)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    unit = 0
    scaled = float(value)
    while scaled >= 1024 and unit < len(UNITS) - 1:
        scaled /= 1024
        unit += 1
    if unit == 0:
        return f"{value} B"
    if scaled == int(scaled):
        return f"{int(scaled)} {UNITS[unit]}"
    if round(scaled, 1) >= 1024 and unit < len(UNITS) - 1:  # 1023.97 GiB reads as 1 TiB, not 1024.0 GiB
        scaled /= 1024
        unit += 1
    text = f"{scaled:.1f}".removesuffix(".0")
    return f"{text} {UNITS[unit]}"
