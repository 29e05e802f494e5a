"""The catalogue on disk: an index read at once, and records parsed one at a time when asked for.

The package's catalogue is two files written by ``scripts/build_catalog.py``:

* ``index.json``: every API (with what a menu shows: category, since, query, inventory; and its
  method and paths, for routing) and every
  inventory, each with the byte offset and length of its record;
* ``records.jsonl``: one compact JSON record a line.

Reading the index costs about a millisecond; an API's record is parsed only when the API is used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def write_catalog(out: Path, apis: list[dict], inventories: list[dict], meta: dict) -> None:
    """Write the index and the records (sorted by name, so that rebuilds give identical files)."""
    out.mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {"meta": meta, "apis": {}, "inventories": {}}
    chunks: list[bytes] = []
    offset = 0
    for kind, records in (("apis", sorted(apis, key=lambda r: r["name"])),
                          ("inventories", sorted(inventories, key=lambda r: r["name"]))):
        for rec in records:
            line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if kind == "apis":
                index[kind][rec["name"]] = _api_entry(offset, len(line), rec)
            else:
                index[kind][rec["name"]] = [offset, len(line)]
            chunks.append(line + b"\n")
            offset += len(line) + 1
    (out / "records.jsonl").write_bytes(b"".join(chunks))
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n",
                                    encoding="utf-8")


def _api_entry(offset: int, length: int, rec: dict) -> list:
    """An API's index entry: where its record is, and what menus and routing need without it."""
    return [offset, length, rec.get("category", ""), rec.get("since"), int(rec.get("query", False)),
            rec.get("inventory"), rec.get("method", "GET"), [rec.get("path", ""), *rec.get("paths", ())]]


class CatalogStore:
    """Lazy access to the packaged records, with a user's own records laid over them.

    Args:
        data_dir: where ``index.json`` and ``records.jsonl`` live.
        overlay_apis / overlay_inventories: compact records that add to or replace packaged ones.
    """

    def __init__(self, data_dir: Path = DATA_DIR, overlay_apis: list[dict] = (),
                 overlay_inventories: list[dict] = ()):
        self._dir = data_dir
        index = json.loads((data_dir / "index.json").read_text(encoding="utf-8"))
        self.meta: dict = index["meta"]
        self.api_index: dict[str, list] = index["apis"]
        self.inventory_index: dict[str, list] = index["inventories"]
        self._blob: bytes | None = None
        self._overlay: dict[tuple[str, str], dict] = {}
        for rec in overlay_apis:
            self._overlay["apis", rec["name"]] = rec
            self.api_index[rec["name"]] = _api_entry(-1, 0, rec)
        for rec in overlay_inventories:
            self._overlay["inventories", rec["name"]] = rec
            self.inventory_index[rec["name"]] = [-1, 0]

    def _record(self, kind: str, name: str, entry: list) -> dict:
        over = self._overlay.get((kind, name))
        if over is not None:
            return over
        if self._blob is None:
            self._blob = (self._dir / "records.jsonl").read_bytes()
        start, length = entry[0], entry[1]
        return json.loads(self._blob[start:start + length])

    def api_record(self, name: str) -> dict | None:
        entry = self.api_index.get(name)
        return None if entry is None else self._record("apis", name, entry)

    def inventory_record(self, name: str) -> dict | None:
        entry = self.inventory_index.get(name)
        return None if entry is None else self._record("inventories", name, entry)
