"""Output: pure renderers from an API reply to text (table, record, json, yaml, csv, tsv, jsonl,
value), a stream writer for ``--all``, and the pager (:mod:`zcli.output.pager`).

Names are imported on first use: a plain command pays for ``formats`` (and ``json``) alone; rich is not
used, and PyYAML, the csv module, the stream writer and the table modules are imported by what needs them.
"""

from __future__ import annotations

from zcli.lazy import lazy_exports

_EXPORTS = {"FORMATS": "formats", "render": "formats", "StreamWriter": "stream"}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
