"""`codeconvene demo`: simulate a community, ingest it, build everything, write the report.

A second run is idempotent: the demo community is kept (its end date pinned in
ground_truth.json) unless `--fresh`, so the files hash the same and ingest skips them.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.console import Console

from codeconvene.settings import Settings


class DemoMismatch(ValueError):
    pass


@dataclass
class DemoOutcome:
    report: Path | None
    failures: list[str] = field(default_factory=list)


def demo_dir(settings: Settings) -> Path:
    return settings.exports_dir / "demo"


def _config(folder: Path) -> dict:
    truth_file = folder / "ground_truth.json"
    if not truth_file.is_file():
        return {}
    return json.loads(truth_file.read_text(encoding="utf-8")).get("config", {})


def _existing_end(folder: Path, seed: int, people: int, weeks: int) -> date | None:
    """The pinned end date of a demo made with these options (every platform), else None."""
    from ingest.simulate import ALL_EXPORTS

    config = _config(folder)
    wanted = (seed, people, weeks, list(ALL_EXPORTS))
    if (config.get("seed"), config.get("people"), config.get("weeks"), config.get("exports")) != wanted:
        return None
    return date.fromisoformat(config["end"]) if config.get("end") else None


def generate(settings: Settings, *, seed: int, people: int, weeks: int, fresh: bool) -> Path:
    from ingest.simulate import ALL_EXPORTS, SimulationConfig, simulate

    folder = demo_dir(settings)
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        settings.warehouse_path.unlink(missing_ok=True)
        shutil.rmtree(settings.lance_path, ignore_errors=True)
    elif _existing_end(folder, seed, people, weeks) is not None:
        return folder
    elif folder.exists():
        raise DemoMismatch(
            f"{folder} holds a demo community made with other options; "
            "rerun with --fresh to start over (this also empties the warehouse)"
        )
    simulate(SimulationConfig(seed=seed, people=people, weeks=weeks, exports=ALL_EXPORTS), folder)
    return folder


def run_demo(settings: Settings, *, seed: int, people: int, weeks: int, fresh: bool,
             console: Console | None = None) -> DemoOutcome:
    from codeconvene.progress import RichIngestProgress
    from codeconvene.warehouse import writer
    from ingest.core.runner import ingest_units
    from ingest.formats import discover
    from orchestration.pipeline import build_all, failures

    console = console or Console()
    with console.status("generating the demo community…"):
        folder = generate(settings, seed=seed, people=people, weeks=weeks, fresh=fresh)
    console.print(f"demo community: {folder}")
    with writer(settings.warehouse_path) as con:
        # the REST stargazer dump does not name its repository: the demo's repo is the hint
        units = discover([folder], repo=_config(folder).get("repo"))
        summary = ingest_units(con, units, RichIngestProgress(console))
    console.print(
        f"ingested {summary.records} records from {summary.files} files "
        f"({summary.skipped} already ingested, {summary.quarantined} quarantined)"
    )
    with console.status("building the warehouse, ML outputs and report through Dagster…"):
        result = build_all(str(settings.home), log_file=settings.logs_dir / "build.log")
    problems = failures(result)
    reports = sorted(settings.reports_dir.glob("*.md"), key=lambda p: p.stat().st_mtime)
    return DemoOutcome(report=reports[-1] if reports else None, failures=problems)
