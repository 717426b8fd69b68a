"""Run the whole asset graph in-process: what `codeconvene build` and `demo` call."""

from __future__ import annotations

import contextlib
from pathlib import Path

import dagster as dg

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


# the embedding-heavy steps: what a warehouse-only build (`skip=KNOWLEDGE`) leaves out
KNOWLEDGE = (("ml", "faq"), ("lance", "documents"), ("ml", "issue_triage"))


def build_all(
    home: str | None = None,
    *,
    quiet: bool = True,
    log_file: Path | None = None,
    skip: tuple[tuple[str, ...], ...] = (),
    full_refresh: bool = False,
) -> dg.ExecuteInProcessResult:
    """Materialize every asset (but those in `skip`, with their checks); dbt's own log (which
    dagster-dbt echoes to stdout) goes to `log_file`. Readers of a skipped asset's table treat
    it as absent, as on a warehouse built before that asset existed."""
    from orchestration.definitions import ALL_ASSETS, ALL_CHECKS, resources

    selection = dg.AssetSelection.all()
    if skip:
        selection = selection - dg.AssetSelection.assets(*(dg.AssetKey(list(key)) for key in skip))

    def run() -> dg.ExecuteInProcessResult:
        # in-process and sequential (materialize always uses the in-process executor), so one
        # DuckDB writer at a time; separately declared checks ride in the same list
        return dg.materialize(
            [*ALL_ASSETS, *ALL_CHECKS],
            selection=selection if skip else None,
            resources=resources(home),
            run_config=_run_config(quiet, full_refresh),
            raise_on_error=False,
        )

    if log_file is None:
        return run()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("w", encoding="utf-8") as handle, contextlib.redirect_stdout(handle):
        return run()


def _run_config(quiet: bool, full_refresh: bool) -> dict | None:
    """Quiet console logs, and `--full-refresh` for both dbt steps when asked."""
    config: dict = dict(QUIET) if quiet else {}
    if full_refresh:
        dbt_config = {"config": {"tests": "all", "full_refresh": True}}
        config["ops"] = {"warehouse_models": dbt_config, "sentiment_marts": dbt_config}
    return config or None


def failures(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failed step, with the error's message, for a clear CLI error."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            lines.append(f"{event.step_key}: {error.message.strip() if error else 'failed'}")
    return lines
