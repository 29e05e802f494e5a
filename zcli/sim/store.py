"""The simulator's SQLite database: one table per inventory, plus the simulator's own bookkeeping.

A single connection serves every thread, behind a lock: SQLite serialises writers anyway, a query
at 100,000 rows takes milliseconds, and one connection keeps an in-memory database whole. Every
write commits before the caller answers, so nothing acknowledged is lost when the process is killed.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from zcli.sim import collation
from zcli.sim.tables import TableSpec, build_spec, index_columns, q

_META = "_sim_meta"


def _create_private(path: str) -> None:
    """Create ``path`` with mode 0600 when it does not exist: it holds password hashes and live sessions
    (SQLite gives its -wal and -shm files the database file's mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class Store:
    """The database of one simulator.

    Args:
        catalog: the API catalogue; every inventory in it gets a table.
        path: a database file, or None for a throwaway in-memory database.
    """

    def __init__(self, catalog, path: str | None = None):
        self.catalog = catalog
        self.path = path
        self.lock = threading.RLock()
        if path:
            _create_private(path)
        self.conn = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        collation.register(self.conn)
        if path:
            # WAL + NORMAL: a committed transaction survives the process being killed.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {_META} (key TEXT PRIMARY KEY, value TEXT)")
        self.specs: dict[str, TableSpec] = {}
        for name in catalog.inventory_names:
            self.specs[name] = build_spec(catalog, name)

    # --- schema ------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self.lock:
            row = self.conn.execute(f"SELECT value FROM {_META} WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as cur:
            cur.execute(f"INSERT OR REPLACE INTO {_META} (key, value) VALUES (?, ?)", (key, value))

    def create_tables(self) -> None:
        with self.transaction() as cur:
            for spec in self.specs.values():
                cur.execute(spec.ddl())

    def create_indexes(self) -> None:
        """Index uuid, name and both ends of every link (after a bulk load: faster than before it)."""
        with self.transaction() as cur:
            # Only tables that hold rows: hundreds of empty ones would cost start-up time for nothing.
            filled = {t for t in self.specs if cur.execute(f"SELECT 1 FROM {q(t)} LIMIT 1").fetchone()}
            for table, column in sorted(index_columns(self.catalog, self.specs)):
                if table not in filled:
                    continue
                # A name is compared by the server's collation (zcli.sim.collation): its index must be so too.
                text = column == "name" and self.specs[table].kinds[column] == "string"
                collate = f" COLLATE {collation.NAME}" if text else ""
                cur.execute(f"CREATE INDEX IF NOT EXISTS {q('ix_' + table + '_' + column)} "
                            f"ON {q(table)} ({q(column)}{collate})")
            cur.execute("ANALYZE")

    # --- access ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction, committed on success and rolled back on error."""
        with self.lock:
            cur = self.conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def read(self, sql: str, params: Iterable = ()) -> tuple[list[str], list[tuple]]:
        """Run a SELECT; (column names, rows)."""
        with self.lock:
            cur = self.conn.execute(sql, tuple(params))
            rows = cur.fetchall()
            names = [d[0] for d in cur.description or ()]
        return names, rows

    def insert_many(self, cur: sqlite3.Cursor, inventory: str, rows: Iterable[dict]) -> None:
        """Insert rows (dicts of field values) into an inventory's table, inside ``cur``'s transaction."""
        spec = self.specs[inventory]
        marks = ", ".join("?" * len(spec.columns))
        cols = ", ".join(q(c) for c in spec.columns)
        cur.executemany(f"INSERT INTO {q(inventory)} ({cols}) VALUES ({marks})", (spec.encode(r) for r in rows))

    def insert_tuples(self, cur: sqlite3.Cursor, inventory: str, columns: list[str], rows: Iterable[tuple]) -> None:
        """Bulk insert of ready tuples for the named columns (the seed's fast path)."""
        cols = ", ".join(q(c) for c in columns)
        marks = ", ".join("?" * len(columns))
        cur.executemany(f"INSERT INTO {q(inventory)} ({cols}) VALUES ({marks})", rows)

    # --- inventories -------------------------------------------------------------------------
    def inventories(self, inventory: str, where: str = "", params: Iterable = (), *, order: str = "",
                    limit: int | None = None, offset: int = 0, fields: list[str] | None = None,
                    depth: int = 2) -> list[dict]:
        """Rows of ``inventory`` as inventory dicts, with linked collections filled in.

        Args:
            where / params: an SQL condition on the table and its bound parameters.
            order: an ORDER BY clause body, already quoted.
            fields: only these fields (None: every visible field).
            depth: how many levels of linked collections to fill.
        """
        spec = self.specs[inventory]
        wanted = fields or spec.visible
        stored = [c for c in wanted if c in spec.kinds]
        fills = [spec.fills[f] for f in wanted if f in spec.fills] if depth > 0 else []
        keys = {f.source_key for f in fills if f.source_key in spec.kinds and f.source_key not in stored}
        select = stored + sorted(keys)
        sql = f"SELECT {', '.join(q(c) for c in select) or 'NULL'} FROM {q(inventory)}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None or offset:
            sql += f" LIMIT {int(limit if limit is not None else -1)} OFFSET {int(offset)}"
        names, rows = self.read(sql, params)
        out = []
        raw = []
        for r in rows:
            raw.append(dict(zip(names, r, strict=True)))
            out.append(spec.decode(stored, r[:len(stored)]))
        for fill in fills:
            self._fill(fill, raw, out, depth - 1)
        order_of = {n: i for i, n in enumerate(wanted)}
        return [dict(sorted(o.items(), key=lambda kv: order_of.get(kv[0], 999))) for o in out]

    def _fill(self, fill, raw: list[dict], out: list[dict], depth: int) -> None:
        target = self.specs.get(fill.target)
        if target is None or fill.target_key not in target.kinds:
            return
        keys = sorted({r.get(fill.source_key) for r in raw} - {None})
        found: dict[object, list] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            where = f"{q(fill.target_key)} IN ({', '.join('?' * len(chunk))})"
            if fill.value_field:
                _, rows = self.read(f"SELECT {q(fill.target_key)}, {q(fill.value_field)} FROM {q(fill.target)} "
                                    f"WHERE {where} ORDER BY rowid", chunk)
                for k, v in rows:
                    found.setdefault(k, []).append(v)
            else:
                fields = list(dict.fromkeys([*target.visible, fill.target_key]))
                for item in self.inventories(fill.target, where, chunk, order="rowid", fields=fields, depth=depth):
                    found.setdefault(item.get(fill.target_key), []).append(item)
        for r, o in zip(raw, out, strict=True):
            items = found.get(r.get(fill.source_key), [])
            if fill.many:
                o[fill.name] = items
            elif items:
                o[fill.name] = items[0]

    def count(self, inventory: str, where: str = "", params: Iterable = ()) -> int:
        sql = f"SELECT COUNT(*) FROM {q(inventory)}" + (f" WHERE {where}" if where else "")
        return self.read(sql, params)[1][0][0]

    def close(self) -> None:
        with self.lock:
            self.conn.close()
