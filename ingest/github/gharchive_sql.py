"""The GH Archive bulk loader: a whole hour file checked and upserted inside DuckDB.

The file streams in as Arrow batches of lines (`ingest.core.lines`). On a worker thread, a
private in-memory DuckDB parses and checks each batch's lines with the rules of
`ingest.github.files` and the raw contract, in one SQL statement, into a small table of
verdicts and columns (no payloads). Meanwhile, in the unit's transaction, the previous batch
lands: its failures go to meta.quarantine as `path:line`, its good lines are inserted straight
from the batch, their text kept verbatim as the payload (handed to DuckDB as JSON already
parsed, so it is not parsed again). Lines whose key is already in the table, or twice in the
batch, are upserted instead (`ingest.core.upsert.upsert_staged`): each batch is one upsert with
the semantics of `ingest.core.upsert`, as the record reader's batches are. Python never
touches a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.core.contracts import payload_too_long, sql_violation
from ingest.core.lines import line_batches, prefetched
from ingest.core.quarantine import quarantine_staged
from ingest.core.tables import table_for
from ingest.core.units import LoadContext, LoadResult
from ingest.core.upsert import UpsertCounts, upsert_staged
from ingest.github.files import (
    REASON_JSON,
    REASON_MISSING,
    REASON_NOT_OBJECT,
    REASON_NOT_OBJECTS,
    REASON_TIME,
    REASON_UTF8,
    REQUIRED,
    TABLE,
    TIMESTAMP_PATTERN,
)

# The batch and its verdicts, as Arrow, are read by DuckDB's replacement scans of local
# variables of these names in the function that runs the SQL: registering them as views
# instead would keep every batch of the file alive until the unit's transaction ends.
CHUNK = "_cc_gharchive_lines"
VERDICTS = "_cc_gharchive_verdicts"
CHECKED = "_cc_gharchive_checked"  # the verdicts, as a temp table of the unit's transaction
CLASHES = "_cc_gharchive_clashes"  # lines whose key is in the table already or twice in the batch
PENDING = "_cc_gharchive_pending"  # those lines with their payloads, to upsert
CHECKER_CONFIG = {"threads": 1, "memory_limit": "256MB"}  # the worker thread's private DuckDB
WHITESPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())  # what str.strip() removes
_TYPES = ["$", *(f"$.{k}" for k in REQUIRED)]  # ty[1] the event, ty[2..6] the required fields
_STRINGS = ["$.id", "$.type", "$.actor.login", "$.repo.name", "$.created_at"]  # v[1..5]
# the payload: the line's text as it came (already parsed as JSON), or trimmed when it had to be
_PAYLOAD = "case when c.bare then c.text else try_cast(trim(c.text::varchar, $whitespace) as json) end"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _missing(field: str, index: int) -> str:
    """SQL: the required field is absent, JSON null or the empty string."""
    value = {"id": "v[1]", "type": "v[2]", "created_at": "v[5]"}.get(field, f"json_extract_string(doc, '$.{field}')")
    return (f"(ty[{index}] is null or ty[{index}] = 'NULL'"
            f" or case when ty[{index}] = 'VARCHAR' then {value} = '' else false end)")


# created_at (v[5]) → naive UTC: the local part, minus its `±HH:MM` offset when it has one
_OFFSET = "right(v[5], 6)"
_CREATED = (
    "try_cast(regexp_replace(v[5], '(Z|[+-][0-9]{2}:[0-9]{2})$', '') as timestamp)"
    f" - to_minutes(case when regexp_matches(v[5], '[+-][0-9]{{2}}:[0-9]{{2}}$')"
    f" then (case when left({_OFFSET}, 1) = '-' then -1 else 1 end)"
    f" * (cast(substr({_OFFSET}, 2, 2) as integer) * 60 + cast(right(v[5], 2) as integer)) else 0 end)"
)


def checked_lines_sql() -> str:
    """SELECT over the batch `CHUNK`: one row per non-blank line with its verdict and columns."""
    table = table_for(TABLE)
    missing = {k: _missing(k, i) for i, k in enumerate(REQUIRED, start=2)}
    missing_list = ", ".join(f"case when {cond} then {_q(k)} end" for k, cond in missing.items())
    return f"""
    with lines as (
        select line_no, line, bare, oversized, text,
            case when bare then text::varchar else trim(text::varchar, $whitespace) end as body
        from {CHUNK}
    ),
    parsed as (  -- blank lines are skipped, as a text reader skips them
        select *, case when bare then text else try_cast(body as json) end as doc
        from lines where bare or text is null or body <> ''
    ),
    fields as (  -- a line that is not JSON has no types: json_type fails on it, and try() says null
        select *, case when doc is not null and not oversized then try(json_type(doc, {_TYPES})) end as ty
        from parsed
    ),
    valued as (
        select *, case when ty[1] = 'OBJECT' then json_extract_string(doc, {_STRINGS}) end as v
        from fields
    ),
    checked as (
        select *,
            case
                when oversized then null
                when text is null then {_q(REASON_UTF8)}
                when ty is null then {_q(REASON_JSON)}
                when ty[1] <> 'OBJECT' then {_q(REASON_NOT_OBJECT)}
                when {" or ".join(missing.values())} then {_q(REASON_MISSING)} || concat_ws(', ', {missing_list})
                when ty[4] <> 'OBJECT' or ty[5] <> 'OBJECT' then {_q(REASON_NOT_OBJECTS)}
            end as early_reason
        from valued
    ),
    timed as (
        select *,
            case when early_reason is null and not oversized
                      and regexp_full_match(v[5], {_q(TIMESTAMP_PATTERN)}) then {_CREATED} end as updated_at
        from checked
    ),
    records as (
        select *,
            case
                when early_reason is not null or oversized then early_reason
                when updated_at is null
                    then {_q(REASON_TIME)} || case when ty[6] = 'VARCHAR' then '''' || v[5] || '''' else v[5] end
            end as parse_reason,
            v[1] as event_id, body as payload
        from timed
    )
    select line_no,
        parse_reason is null as is_record,
        coalesce(parse_reason, case when oversized then $too_long else {sql_violation(table)} end) as reason,
        case when reason is not null then coalesce(body, cast(line as varchar)) end as raw,
        event_id, v[2] as event_type, v[4] as repo_name, v[3] as actor_login, updated_at
    from records
    where parse_reason is not null
       or oversized
       or (($repo is null or v[4] = $repo) and ($org is null or lower(split_part(v[4], '/', 1)) = lower($org)))
    """


def _as_json(batch: pa.RecordBatch) -> pa.Table:
    """The batch with its text marked as JSON, which DuckDB takes as is (json_type checks it)."""
    text = pa.ExtensionArray.from_storage(pa.json_(), batch.column("text"))
    return pa.Table.from_batches([batch.set_column(batch.schema.get_field_index("text"), "text", text)])


def _checked(batches: Iterator[pa.RecordBatch], params: dict) -> Iterator[tuple[pa.Table, pa.Table]]:
    """Each batch with its verdicts, checked by a private in-memory DuckDB (on the worker thread)."""
    checker, sql = duckdb.connect(config=CHECKER_CONFIG), checked_lines_sql()
    try:
        for batch in batches:
            _cc_gharchive_lines = _as_json(batch)  # read by the SQL, see CHUNK
            yield _cc_gharchive_lines, checker.sql(sql, params=params).to_arrow_table()
    finally:
        checker.close()


def load_events(path: Path, con: duckdb.DuckDBPyConnection, ctx: LoadContext, *,
                repo: str | None = None, org: str | None = None) -> LoadResult:
    """Load one GH Archive file (the unit's bulk loader; runs inside the unit's transaction)."""
    table = table_for(TABLE)
    statements = _Statements(
        rows=(f"select m.event_id, m.event_type, m.repo_name, m.actor_login, m.updated_at, {_PAYLOAD} as payload,"
              f" $source as _source, $batch_id as _batch_id, $ingested_at::timestamp as _ingested_at"
              f" from {CHUNK} c join {CHECKED} m using (line_no) where m.reason is null"),
        rows_params={"whitespace": WHITESPACE, "source": ctx.source, "batch_id": ctx.batch_id,
                     "ingested_at": ctx.ingested_at},
        insert=f"insert into {table.qualified} ({', '.join(table.all_columns)})",
    )
    check_params = {"whitespace": WHITESPACE, "repo": repo, "org": org, "too_long": payload_too_long()}
    result = LoadResult(counts=UpsertCounts(), by_table={TABLE: 0})
    try:
        for lines, verdicts in prefetched(_checked(line_batches(path), check_params)):
            _load_batch(con, lines, verdicts, statements, ctx, result)
    finally:
        for name in (CHECKED, CLASHES, PENDING):
            try:
                con.execute(f"drop table if exists {name}")
            except duckdb.Error:  # the transaction failed already; its rollback drops them
                break
    return result


@dataclass(frozen=True)
class _Statements:
    rows: str
    rows_params: dict
    insert: str


def _load_batch(con: duckdb.DuckDBPyConnection, _cc_gharchive_lines: pa.Table, _cc_gharchive_verdicts: pa.Table,
                sql: _Statements, ctx: LoadContext, result: LoadResult) -> None:
    """Quarantine one batch's bad lines and land its good ones (the SQL reads the two Arrow
    tables by their names, see CHUNK)."""
    con.execute(f"create or replace temp table {CHECKED} as select * from {VERDICTS}")
    records, failed, good = con.execute(
        f"select count(*) filter (where is_record), count(*) filter (where reason is not null),"
        f" count(*) filter (where reason is null) from {CHECKED}"
    ).fetchall()[0]
    result.records += records
    result.by_table[TABLE] += good
    if failed:
        result.quarantined += quarantine_staged(
            con, ctx.batch_id, ctx.source, f"(select * from {CHECKED} order by line_no)",
            location=f"{_q(ctx.location + ':')} || line_no", reason="reason", raw_text="raw",
            where="reason is not null")
    if not good:
        return
    # good lines whose key is in the table already, or twice in the batch, need the upsert
    con.execute(
        f"""
        create or replace temp table {CLASHES} as
        select line_no from {CHECKED} m
        where reason is null and (
            event_id in (select event_id from {CHECKED} where reason is null group by 1 having count(*) > 1)
            or exists (select 1 from {TABLE} t where t.event_id = m.event_id))
        """
    )
    clashing = con.execute(f"select count(*) from {CLASHES}").fetchall()[0][0]
    inserted = con.execute(
        f"{sql.insert} {sql.rows} and m.line_no not in (select line_no from {CLASHES})", sql.rows_params
    ).fetchall()[0][0]
    result.counts.inserted += int(inserted)
    if clashing:
        con.execute(f"create or replace temp table {PENDING} as {sql.rows}"
                    f" and m.line_no in (select line_no from {CLASHES})", sql.rows_params)
        result.counts.add(upsert_staged(con, table_for(TABLE), PENDING))
