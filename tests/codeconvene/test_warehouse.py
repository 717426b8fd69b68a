"""The read-only SQL surface: reads work; writes, file access and escapes are refused."""

from __future__ import annotations

import pytest

from codeconvene.warehouse import ReadOnlyViolation, connect, run_read_only

ATTEMPTS = [
    "insert into marts.t values (3)",
    "update marts.t set n = 0",
    "delete from marts.t",
    "drop table marts.t",
    "create table x as select 1",
    "alter table marts.t add column y int",
    "attach '/tmp/other.duckdb' as other",
    "detach other",
    "copy marts.t to '/tmp/out.csv'",
    "export database '/tmp/dump'",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "pragma enable_profiling",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from glob('/*')",
    "select 1; drop table marts.t",
    "checkpoint",
    "call pragma_version()",
    "select * from 'https://example.com/x.parquet'",
    "vacuum",
]


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    con.execute("create schema marts; create table marts.t as select * from (values (1), (2)) v(n)")
    con.close()
    return path


def test_reads_work(warehouse):
    table = run_read_only(warehouse, "select sum(n) as total from marts.t")
    assert table.to_pylist() == [{"total": 3}]


@pytest.mark.parametrize("sql", ATTEMPTS)
def test_writes_and_escapes_are_refused(warehouse, sql):
    with pytest.raises(ReadOnlyViolation):
        run_read_only(warehouse, sql)
    # and the data is untouched
    assert run_read_only(warehouse, "select count(*) as n from marts.t").to_pylist() == [{"n": 2}]


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="codeconvene demo"):
        run_read_only(tmp_path / "none.duckdb", "select 1")
