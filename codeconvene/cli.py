"""`codeconvene …`: thin commands; each one calls a function elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from codeconvene.settings import get_settings

app = typer.Typer(
    help="CodeConvene: community data in, community health out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)
HomeOption = Annotated[
    Optional[Path],
    typer.Option("--home", help="Data folder (default: $CODECONVENE_HOME or ./.codeconvene).", envvar=None),
]


class CliError(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def fail(message: str, hint: str = "", code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    if hint:
        err.print(f"[dim]hint: {hint}[/]")
    raise typer.Exit(code)


def _settings(home: Path | None):
    settings = get_settings(home)
    settings.ensure_dirs()
    return settings


def _print_summary(summary) -> None:
    table = Table(title="ingest summary")
    for name in ("files", "skipped", "records", "inserted", "updated", "unchanged", "quarantined", "errors"):
        table.add_column(name, justify="right")
    values = summary.as_dict()
    table.add_row(*(str(values[k]) for k in ("files", "skipped", "records", "inserted", "updated", "unchanged", "quarantined", "errors")))
    console.print(table)
    for line in summary.errors:
        err.print(f"[red]{line}[/]")


@app.command()
def demo(
    home: HomeOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the simulated community.")] = 7,
    people: Annotated[int, typer.Option(help="How many people the community has.")] = 300,
    weeks: Annotated[int, typer.Option(help="How many weeks of history.")] = 52,
    fresh: Annotated[bool, typer.Option(help="Regenerate even if a demo community exists.")] = False,
) -> None:
    """Generate the demo community, ingest it, build everything, write the weekly report."""
    from codeconvene.demo import DemoMismatch, run_demo

    settings = _settings(home)
    try:
        outcome = run_demo(settings, seed=seed, people=people, weeks=weeks, fresh=fresh, console=console)
    except DemoMismatch as exc:
        fail(str(exc), "codeconvene demo --fresh")
    if outcome.failures:
        fail("the build failed:\n  " + "\n  ".join(outcome.failures), "run `codeconvene build` to retry")
    console.print(f"\n[bold green]Done.[/] Weekly report: [bold]{outcome.report}[/]")
    console.print("Open the dashboard:  [bold]codeconvene dashboard[/]  (or .venv/bin/codeconvene dashboard)")
    console.print("Open the Dagster UI: [bold]make dagster[/]  (runs dagster dev -w workspace.yaml)")
    console.print('Ask a question:      [bold]codeconvene ask "how many new contributors last month?"[/]')


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Export files or folders (or a source name with --live).")],
    home: HomeOption = None,
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="Force a format (see the list above).")] = None,
    live: Annotated[bool, typer.Option(help="Pull from the platform's API instead of files.")] = False,
    repo: Annotated[Optional[str], typer.Option(help="GH Archive: only this repository; REST dumps: the repository they belong to (owner/name).")] = None,
    org: Annotated[Optional[str], typer.Option(help="GH Archive: only this organization.")] = None,
    channel: Annotated[Optional[str], typer.Option(help="Slack API page dumps: the channel id they belong to.")] = None,
) -> None:
    """Ingest export files into the raw layer; idempotent and resumable.

    Formats (auto-detected): gharchive (GH Archive .json/.json.gz), github-rest (REST API
    dumps), git (a local repository), slack-export (folder, .zip or .tar.gz), slack-api-dump,
    discord-dce-json / discord-dce-csv / discord-dce-html (DiscordChatExporter),
    discourse-json (topic, latest, posts, user and categories JSON).
    """
    if live:
        fail("live API ingest is not built yet", "ingest export files instead; see `codeconvene ingest --help`", code=2)
    from codeconvene.progress import RichIngestProgress
    from codeconvene.warehouse import writer
    from ingest.core.runner import ingest_units
    from ingest.formats import UnknownFormat, discover

    settings = _settings(home)
    try:
        units = discover([Path(p) for p in paths], format, repo=repo, org=org, channel=channel)
    except (FileNotFoundError, UnknownFormat) as exc:
        fail(str(exc), "check the path, or pass --format")
    with writer(settings.warehouse_path) as con:
        summary = ingest_units(con, units, RichIngestProgress(console))
    _print_summary(summary)
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def build(home: HomeOption = None) -> None:
    """Build the warehouse (dbt), the ML outputs and the report, through Dagster."""
    from orchestration.pipeline import build_all, failures

    settings = _settings(home)
    with console.status("building: dbt models, sentiment, summary, report…"):
        result = build_all(str(settings.home), log_file=settings.logs_dir / "build.log")
    problems = failures(result)
    if problems:
        fail("the build failed:\n  " + "\n  ".join(problems), f"the full log is in {settings.logs_dir / 'build.log'}")
    console.print(f"[green]built[/] {settings.warehouse_path}")


@app.command()
def report(
    home: HomeOption = None,
    week: Annotated[Optional[str], typer.Option(help="ISO week, e.g. 2026-W46 (default: the latest complete week).")] = None,
) -> None:
    """Write the weekly maintainer report to $CODECONVENE_HOME/reports/."""
    from codeconvene.report import render_weekly_report
    from codeconvene.warehouse import reader

    settings = _settings(home)
    try:
        with reader(settings.warehouse_path) as con:
            path = render_weekly_report(con, week, settings.reports_dir)
    except FileNotFoundError as exc:
        fail(str(exc), "run `codeconvene demo` first")
    console.print(f"report: [bold]{path}[/]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help='A question, e.g. "how many new contributors last month?"')],
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer a question from the warehouse, showing the SQL it ran."""
    from bots.answer.engine import answer
    from codeconvene.warehouse import reader

    settings = _settings(home)
    try:
        with reader(settings.warehouse_path) as con:
            result = answer(question, con)
    except FileNotFoundError as exc:
        fail(str(exc), "run `codeconvene demo` first")
    if as_json:
        console.print_json(json.dumps(_answer_dict(result), default=str))
        return
    console.print(result.text)
    if result.sql:
        console.print(f"[dim]SQL:[/]\n[dim]{result.sql.strip()}[/]")
        if getattr(result, "params", None):
            console.print(f"[dim]parameters: {result.params}[/]")


def _answer_dict(result) -> dict:
    from dataclasses import asdict, is_dataclass

    return asdict(result) if is_dataclass(result) else dict(vars(result))


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A read-only query, e.g. \"select * from marts.dim_contributors\".")],
    home: HomeOption = None,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Write the result to this CSV file.")] = None,
    parquet: Annotated[Optional[Path], typer.Option("--parquet", help="Write the result to this Parquet file.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to print (files get all rows).")] = 50,
) -> None:
    """Run read-only SQL on the warehouse; writes and file access are refused."""
    import duckdb

    from codeconvene.warehouse import ReadOnlyViolation, run_read_only

    settings = _settings(home)
    try:
        table = run_read_only(settings.warehouse_path, query, limit=None if (csv or parquet) else limit)
    except ReadOnlyViolation as exc:
        fail(str(exc), "this surface is read-only: use SELECT over marts.*, staging.*, raw_*.*")
    except FileNotFoundError as exc:
        fail(str(exc), "run `codeconvene demo` first")
    except duckdb.Error as exc:
        fail(str(exc).splitlines()[0], "list tables with: codeconvene sql \"select * from information_schema.tables\"")
    if csv or parquet:
        _write_table(table, csv, parquet)
        return
    out = Table(show_lines=False)
    for name in table.column_names:
        out.add_column(name)
    for row in table.to_pylist():
        out.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(out)
    console.print(f"[dim]{table.num_rows} row(s)[/]")


def _write_table(table, csv: Path | None, parquet: Path | None) -> None:
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    if csv:
        pa_csv.write_csv(table, csv)
        console.print(f"wrote {table.num_rows} row(s) to {csv}")
    if parquet:
        pq.write_table(table, parquet)
        console.print(f"wrote {table.num_rows} row(s) to {parquet}")


@app.command()
def dashboard(
    home: HomeOption = None,
    port: Annotated[int, typer.Option(help="Port to serve on (127.0.0.1).")] = 8501,
) -> None:
    """Serve the Streamlit dashboards on http://127.0.0.1:PORT."""
    import os

    settings = _settings(home)
    home_page = Path(__file__).resolve().parents[1] / "apps" / "streamlit" / "Home.py"
    env = {**os.environ, "CODECONVENE_HOME": str(settings.home)}
    console.print(f"dashboard: [bold]http://127.0.0.1:{port}[/]  (Ctrl+C to stop)")
    cmd = [sys.executable, "-m", "streamlit", "run", str(home_page), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    raise typer.Exit(subprocess.call(cmd, env=env))


@app.command()
def bot(platform: Annotated[str, typer.Argument(help="slack or discord")]) -> None:
    """Run the Slack or Discord bot (not built yet)."""
    fail(f"the {platform} bot is not built yet", "use `codeconvene ask` for answers meanwhile", code=2)


@app.command()
def webhooks(port: Annotated[int, typer.Option(help="Port to listen on.")] = 8800) -> None:
    """Receive GitHub/Discourse webhooks (not built yet)."""
    fail("the webhook receiver is not built yet", "ingest export files meanwhile", code=2)


@app.command()
def doctor(home: HomeOption = None) -> None:
    """What is configured, what is missing."""
    settings = get_settings(home)
    table = Table(title="codeconvene doctor")
    table.add_column("item")
    table.add_column("status")
    table.add_column("detail")
    table.add_row("home", "ok", str(settings.home))
    exists = settings.warehouse_path.exists()
    table.add_row("warehouse", "ok" if exists else "missing", str(settings.warehouse_path) if exists else "run `codeconvene demo`")
    hints = {
        "github": "set GITHUB_TOKEN",
        "slack": "set SLACK_BOT_TOKEN",
        "discord": "set DISCORD_BOT_TOKEN",
        "discourse": "set DISCOURSE_URL and DISCOURSE_API_KEY",
        "groq": "set GROQ_API_KEY (else the offline engine writes the summaries)",
    }
    for name, ok in settings.configured().items():
        table.add_row(name, "configured" if ok else "not configured", "" if ok else hints[name])
    console.print(table)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
