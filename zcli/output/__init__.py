"""Output: pure renderers from an API reply to text (table, record, json, yaml, csv, tsv, jsonl,
value), a stream writer for ``--all``, and the pager (:mod:`zcli.output.pager`).

Importing this package costs ``json`` and nothing more: rich is not used, and PyYAML, the csv module
and the table modules are imported by the formats that need them.
"""

from zcli.output.formats import FORMATS, render
from zcli.output.stream import StreamWriter

__all__ = ["FORMATS", "StreamWriter", "render"]
