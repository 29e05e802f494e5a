"""The catalogue on disk: an index read when every name is wanted, a small lookup for one name, and records
parsed one at a time when asked for.

The package's catalogue is three files written by ``scripts/build_catalog.py``:

* ``index.json``: every API (with what a menu shows: category, since, query, inventory; and its
  method and paths, for routing) and every inventory, each with the byte offset and length of its record;
* ``lookup.tsv``: the catalogue's ``meta`` (JSON, the first line), then a line ``A NAME OFFSET LENGTH`` for
  each API and ``I NAME OFFSET LENGTH`` for each inventory (tab-separated): what one command needs to
  find its API's record, found by one search of the bytes, with nothing parsed;
* ``records.jsonl``: one compact JSON record a line.

A one-shot command reads the lookup and its API's record (and the inventories it touches), about 0.1 ms;
the whole index (2 ms to parse) is read only when every name is wanted (menus, help, the simulator) or a
user's own catalogue files are laid over the package's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The sections of the index, and the tag of their lines in ``lookup.tsv``.
_TAGS = {"apis": b"A", "inventories": b"I"}
#: Records read one by one (a seek and a read each) before the whole records file is read at once.
_SINGLE_READS = 16


def write_catalog(out: Path, apis: list[dict], inventories: list[dict], meta: dict) -> None:
    """Write the index, the lookup and the records (sorted by name, so that rebuilds give identical files)."""
    out.mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {"meta": meta, "apis": {}, "inventories": {}}
    chunks: list[bytes] = []
    lookup = [json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"]
    offset = 0
    for kind, records in (("apis", sorted(apis, key=lambda r: r["name"])),
                          ("inventories", sorted(inventories, key=lambda r: r["name"]))):
        for rec in records:
            line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if kind == "apis":
                index[kind][rec["name"]] = _api_entry(offset, len(line), rec)
            else:
                index[kind][rec["name"]] = [offset, len(line)]
            lookup.append(b"%s\t%s\t%d\t%d\n" % (_TAGS[kind], rec["name"].encode("utf-8"), offset, len(line)))
            chunks.append(line + b"\n")
            offset += len(line) + 1
    (out / "records.jsonl").write_bytes(b"".join(chunks))
    (out / "lookup.tsv").write_bytes(b"".join(lookup))
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n",
                                    encoding="utf-8")


def _api_entry(offset: int, length: int, rec: dict) -> list:
    """An API's index entry: where its record is, and what menus and routing need without it."""
    return [offset, length, rec.get("category", ""), rec.get("since"), int(rec.get("query", False)),
            rec.get("inventory"), rec.get("method", "GET"), [rec.get("path", ""), *rec.get("paths", ())]]


class CatalogStore:
    """Lazy access to the packaged records, with a user's own records laid over them.

    Args:
        data_dir: where ``index.json``, ``lookup.tsv`` and ``records.jsonl`` live.
        overlay_apis / overlay_inventories: compact records that add to or replace packaged ones.
    """

    def __init__(self, data_dir: Path = DATA_DIR, overlay_apis: list[dict] = (),
                 overlay_inventories: list[dict] = ()):
        self._dir = data_dir
        self._index: dict[str, Any] | None = None
        self._lookup: bytes | None = None
        self._blob: bytes | None = None
        self._reads = 0
        self._overlay: dict[tuple[str, str], dict] = {}
        if overlay_apis or overlay_inventories:
            index = self._whole()
            for rec in overlay_apis:
                self._overlay["apis", rec["name"]] = rec
                index["apis"][rec["name"]] = _api_entry(-1, 0, rec)
            for rec in overlay_inventories:
                self._overlay["inventories", rec["name"]] = rec
                index["inventories"][rec["name"]] = [-1, 0]

    def _whole(self) -> dict[str, Any]:
        if self._index is None:
            self._index = json.loads((self._dir / "index.json").read_text(encoding="utf-8"))
        return self._index

    @property
    def meta(self) -> dict:
        """Where the catalogue comes from: ``reference``, ``commit``, ``version``, ``counts``."""
        if self._index is not None:
            return self._index["meta"]
        lookup = self._lookup_bytes()
        return json.loads(lookup[:lookup.index(b"\n")])

    @property
    def api_index(self) -> dict[str, list]:
        """Every API → [offset, length, category, since, query, inventory, method, paths] (the whole index)."""
        return self._whole()["apis"]

    @property
    def inventory_index(self) -> dict[str, list]:
        """Every inventory → [offset, length] (the whole index)."""
        return self._whole()["inventories"]

    def _lookup_bytes(self) -> bytes:
        if self._lookup is None:
            self._lookup = (self._dir / "lookup.tsv").read_bytes()
        return self._lookup

    def where(self, kind: str, name: str) -> list | None:
        """The index entry of ``name`` in ``kind`` (``apis`` or ``inventories``), its record's offset and length
        first; None when there is none. Without the whole index, only [offset, length]."""
        if self._index is not None:
            return self._index[kind].get(name)
        if "\t" in name or "\n" in name:
            return None
        lookup = self._lookup_bytes()
        key = b"\n" + _TAGS[kind] + b"\t" + name.encode("utf-8", "surrogateescape") + b"\t"
        at = lookup.find(key)
        if at < 0:
            return None
        offset, length = lookup[at + len(key):lookup.index(b"\n", at + 1)].split(b"\t")
        return [int(offset), int(length)]

    def has(self, kind: str, name: str) -> bool:
        return self.where(kind, name) is not None

    def _record(self, kind: str, name: str, entry: list) -> dict:
        over = self._overlay.get((kind, name))
        if over is not None:
            return over
        start, length = entry[0], entry[1]
        if self._blob is None and self._reads < _SINGLE_READS:  # a command reads a few: seek to each
            self._reads += 1
            with open(self._dir / "records.jsonl", "rb") as fh:
                fh.seek(start)
                return json.loads(fh.read(length))
        if self._blob is None:
            self._blob = (self._dir / "records.jsonl").read_bytes()
        return json.loads(self._blob[start:start + length])

    def api_record(self, name: str) -> dict | None:
        entry = self.where("apis", name)
        return None if entry is None else self._record("apis", name, entry)

    def inventory_record(self, name: str) -> dict | None:
        entry = self.where("inventories", name)
        return None if entry is None else self._record("inventories", name, entry)
