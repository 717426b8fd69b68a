"""Sensors: react to new GitHub issues (from webhooks or a live pull) with triage and welcomes.

`new_issues_sensor` looks at raw_github.issues every 5 minutes (arrivals batch into one run);
when issues arrived that it has not seen, it asks for a run of the issue-triage and welcome
assets and what they are built from downstream of the raw layer (dbt models, the search
index); raw ingest itself is not re-run, the issues are already there. Its cursor is the
number of issues it has seen, so each arrival triggers once (edits of known issues do not).
The first tick only sets the cursor: issues already in the warehouse were handled by the
build that loaded them.
"""

from __future__ import annotations

import json

import dagster as dg

from orchestration.resources import CodeConveneResource

TRIAGE_KEY = dg.AssetKey(["ml", "issue_triage"])
WELCOMES_KEY = dg.AssetKey(["ml", "welcomes"])

react_to_new_issues = dg.define_asset_job(
    "react_to_new_issues",
    selection=(dg.AssetSelection.assets(TRIAGE_KEY, WELCOMES_KEY).upstream()
               - dg.AssetSelection.key_prefixes(["raw_github"], ["raw_git"], ["raw_slack"], ["raw_discord"],
                                                ["raw_discourse"])),
    executor_def=dg.in_process_executor,
)


def issue_count(con) -> int:
    """Rows in raw_github.issues: it only grows when an issue is new (an upsert of a known
    issue updates its row, and raw rows are never deleted), so a larger count means new issues."""
    return int(con.execute("select count(*) from raw_github.issues").fetchone()[0])


@dg.sensor(job=react_to_new_issues, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.RUNNING)
def new_issues_sensor(context: dg.SensorEvaluationContext, codeconvene: CodeConveneResource):
    """New GitHub issues → triage them and welcome their authors."""
    import duckdb

    from codeconvene.warehouse import connect

    settings = codeconvene.settings()
    if not settings.warehouse_path.exists():
        return dg.SkipReason("no warehouse yet")
    try:
        con = connect(settings.warehouse_path, read_only=True)
    except duckdb.Error as exc:  # a writer holds the file: look again next tick
        return dg.SkipReason(f"warehouse busy: {type(exc).__name__}")
    try:
        count = issue_count(con)
    except duckdb.CatalogException:
        return dg.SkipReason("raw_github.issues does not exist yet")
    finally:
        con.close()
    before = json.loads(context.cursor)["issues"] if context.cursor else None
    context.update_cursor(json.dumps({"issues": count}))
    if before is None or count <= before:
        return dg.SkipReason("baseline set" if before is None else "no new issues")
    return dg.RunRequest(run_key=f"new-issues-{count}", tags={"codeconvene/new_issues": str(count - before)})
