"""A user's own catalogue files, laid over the packaged catalogue (for newer servers).

A file is JSON in the reference format: ``{"apis": [...], "inventories": {"XInventory": {...}}}``,
either key optional. An API or inventory with the name of a packaged one replaces it. zcli reads
every ``*.json`` in ``<config dir>/catalog.d/`` (sorted), then the files named in ``ZCLI_CATALOG``
(separated by ``:``), later ones winning.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from zcli.catalog.errors import BadCatalogFile
from zcli.catalog.model import Catalog
from zcli.catalog.store import CatalogStore


def overlay_files(env: Mapping[str, str] = os.environ) -> list[Path]:
    """The user's catalogue files, in the order they apply."""
    files: list[Path] = []
    if env.get("ZCLI_CONFIG_DIR") or env.get("HOME"):
        from zcli.paths import config_dir

        folder = config_dir(env) / "catalog.d"
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.json")))
    files.extend(Path(p) for p in env.get("ZCLI_CATALOG", "").split(os.pathsep) if p)
    return files


def read_overlay(files: list[Path]) -> tuple[list[dict], list[dict]]:
    """Compact API and inventory records from the given files.

    Raises:
        BadCatalogFile: a file is missing or is not a catalogue in the reference format.
    """
    from zcli.catalog.compact import compact_reference  # only with files of one's own (start-up)

    apis: list[dict] = []
    inventories: list[dict] = []
    for path in files:
        try:
            more_apis, more_inventories = compact_reference(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
            raise BadCatalogFile(f"catalogue file {path}: {exc}") from None
        apis += more_apis
        inventories += more_inventories
    return apis, inventories


def load_catalog(env: Mapping[str, str] = os.environ) -> Catalog:
    """The packaged catalogue with the user's files laid over it."""
    files = overlay_files(env)
    if not files:
        return Catalog(CatalogStore())
    apis, inventories = read_overlay(files)
    return Catalog(CatalogStore(overlay_apis=apis, overlay_inventories=inventories))
