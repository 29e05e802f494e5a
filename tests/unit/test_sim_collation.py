"""The simulator's string rule (zcli.sim.collation): utf8_general_ci's case, accent and PAD SPACE rules."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from zcli.sim import collation


def test_case_accents_and_trailing_spaces_do_not_count():
    assert collation.compare("VM-2", "vm-2") == 0
    assert collation.compare("Étoile", "etoile") == 0
    assert collation.compare("ΑΛΦΑ", "αλφα") == 0
    assert collation.compare("straße", "strase") == 0
    assert collation.compare("vm-1  ", "VM-1") == 0
    assert collation.compare("a", "B") < 0 < collation.compare("b", "A")
    assert collation.compare("测试", "测试") == 0 and collation.compare("测试", "测验") != 0


@given(st.text(max_size=12), st.text(max_size=12))
def test_the_collation_is_an_order_consistent_with_the_fold(a, b):
    assert collation.compare(a, b) == -collation.compare(b, a)
    same = collation.fold(a.rstrip(" ")) == collation.fold(b.rstrip(" "))
    assert (collation.compare(a, b) == 0) == same


def test_sqlite_uses_it_for_equality_order_and_an_index():
    conn = sqlite3.connect(":memory:")
    collation.register(conn)
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("b",), ("Á",), ("c",), ("a",)])
    conn.execute(f"CREATE INDEX ix ON t (name COLLATE {collation.NAME})")
    rows = conn.execute(f"SELECT name FROM t WHERE name = ? COLLATE {collation.NAME}", ("A",)).fetchall()
    assert sorted(r[0] for r in rows) == ["a", "Á"]
    order = [r[0] for r in conn.execute(f"SELECT name FROM t ORDER BY name COLLATE {collation.NAME}, rowid")]
    assert order == ["Á", "a", "b", "c"]
    assert conn.execute(f"SELECT {collation.FOLD}('ÉTÉ')").fetchone() == ("ete",)
