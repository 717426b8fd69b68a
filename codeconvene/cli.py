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
    paths: Annotated[Optional[list[str]], typer.Argument(help="Export files or folders (or a source name with --live).")] = None,
    home: HomeOption = None,
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="Force a format (see the list above).")] = None,
    live: Annotated[bool, typer.Option(help="Pull from the platform's API instead of files.")] = False,
    repo: Annotated[Optional[str], typer.Option(help="GH Archive: only this repository; REST dumps: the repository they belong to (owner/name).")] = None,
    org: Annotated[Optional[str], typer.Option(help="GH Archive: only this organization.")] = None,
    channel: Annotated[Optional[str], typer.Option(help="Slack API page dumps: the channel id they belong to; with --live: only this Slack/Discord channel.")] = None,
) -> None:
    """Ingest export files into the raw layer; idempotent and resumable.

    Formats (auto-detected): gharchive (GH Archive .json/.json.gz), github-rest (REST API
    dumps), git (a local repository), slack-export (folder, .zip or .tar.gz), slack-api-dump,
    discord-dce-json / discord-dce-csv / discord-dce-html (DiscordChatExporter),
    discourse-json (topic, latest, posts, user and categories JSON).

    Live: `codeconvene ingest slack --live [--channel ID]` (github, slack, discord, discourse;
    `--repo owner/name` for github); `codeconvene ingest --live` pulls every configured source.
    """
    if live:
        _ingest_live(paths or [], home, repo, channel)
        return
    if not paths:
        fail("nothing to ingest: give export files or folders", "or pull from an API: codeconvene ingest slack --live")
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


def _ingest_live(names: list[str], home: Path | None, repo: str | None, channel: str | None) -> None:
    """Run each source's live connector; one error line per failing source, exit 1 if any failed."""
    from codeconvene import live as lv
    from codeconvene.warehouse import writer
    from ingest.core.live import LiveError

    if len(names) > 1:
        fail(f"one source at a time with --live, got {', '.join(names)}", "or none: every configured source")
    settings = _settings(home)
    try:
        sources = lv.sources_to_pull(settings, names[0] if names else None)
    except (lv.NotAvailable, ValueError) as exc:
        fail(str(exc), getattr(exc, "hint", ""))
    results, failed = [], []
    with writer(settings.warehouse_path) as con:
        for source in sources:
            try:
                module = lv.connector(source)
                results.append(module.sync(settings, con, progress=lv.RichLiveProgress(source, console),
                                           **lv.scope_for(source, repo, channel)))
            except (lv.NotAvailable, LiveError, ValueError) as exc:  # ValueError: a malformed codeconvene.yaml
                failed.append((str(exc), getattr(exc, "hint", "")))
    if results:
        console.print(lv.summary_table(results))
    for message, hint in failed[:-1]:
        err.print(f"[bold red]error:[/] {message}")
    if failed:
        fail(*failed[-1])


@app.command()
def build(
    home: HomeOption = None,
    full_refresh: Annotated[bool, typer.Option(
        "--full-refresh",
        help="Rebuild the incremental tables and marts from all history (after changing a dbt model's SQL).",
    )] = False,
) -> None:
    """Build the warehouse (dbt), the ML outputs and the report, through Dagster.

    Incremental by default: only new and changed data is processed."""
    from orchestration.pipeline import build_all, failures

    settings = _settings(home)
    with console.status("building: dbt models, sentiment, summary, report…"):
        result = build_all(str(settings.home), log_file=settings.logs_dir / "build.log", full_refresh=full_refresh)
    problems = failures(result)
    if problems:
        fail("the build failed:\n  " + "\n  ".join(problems), f"the full log is in {settings.logs_dir / 'build.log'}")
    console.print(f"[green]built[/] {settings.warehouse_path}")


@app.command()
def report(
    home: HomeOption = None,
    week: Annotated[Optional[str], typer.Option(help="ISO week, e.g. 2026-W46 (default: the latest complete week).")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="md or html (default: both).")] = None,
    post: Annotated[Optional[str], typer.Option("--post", help="Also post a short version to slack:CHANNEL or discord:CHANNEL_ID.")] = None,
) -> None:
    """Write the weekly maintainer report (Markdown and self-contained HTML) to $CODECONVENE_HOME/reports/."""
    from codeconvene.report import write_weekly_report
    from codeconvene.warehouse import reader

    settings = _settings(home)
    try:
        with reader(settings.warehouse_path) as con:
            paths = write_weekly_report(con, week, settings.reports_dir, (fmt,) if fmt else ("md", "html"))
    except FileNotFoundError as exc:
        fail(str(exc), "run `codeconvene demo` first")
    except (ValueError, LookupError) as exc:
        fail(str(exc), "weeks look like 2026-W07; --format is md or html")
    for path in paths.values():
        console.print(f"report: [bold]{path}[/]")
    if post:
        from codeconvene.report_post import post_weekly_report

        try:
            post_weekly_report(settings, post, paths)
        except ValueError as exc:
            fail(str(exc), getattr(exc, "hint", "") or "set SLACK_BOT_TOKEN or DISCORD_BOT_TOKEN in the environment or .env")
        console.print(f"posted to [bold]{post}[/]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help='A question, e.g. "how many new contributors last month?"')],
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer a question from the warehouse and the docs/FAQ index, showing the SQL or sources."""
    import getpass

    from bots.answer.service import ask_and_record

    settings = _settings(home)
    try:
        # the operator can read the whole warehouse anyway: maintainer-only figures are shown
        result = ask_and_record(question, settings, platform="cli", asker=getpass.getuser(), is_maintainer=True)
    except FileNotFoundError as exc:
        fail(str(exc), "run `codeconvene demo` first")
    if as_json:
        console.print_json(json.dumps(_answer_dict(result), default=str))
        return
    console.print(result.text)
    for title, where in getattr(result, "citations", ()):
        console.print(f"[dim]source:[/] {title} — {where}")
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


bot_app = typer.Typer(help="Run the Slack or Discord bot, or post alerts.", no_args_is_help=True)
app.add_typer(bot_app, name="bot")


def _bot_logging() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@bot_app.command("slack")
def bot_slack(
    home: HomeOption = None,
    http: Annotated[bool, typer.Option("--http", help="Serve the Events API instead of Socket Mode.")] = False,
    host: Annotated[str, typer.Option(help="Address for --http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for --http.")] = 3000,
) -> None:
    """Answer mentions, DMs and /convene in Slack (Socket Mode with SLACK_APP_TOKEN, or --http)."""
    from bots.slack.run import SlackSetupError, run

    settings = _settings(home)
    _bot_logging()
    try:
        run(settings, http=http, host=host, port=port)
    except SlackSetupError as exc:
        fail(str(exc), exc.hint)
    except KeyboardInterrupt:
        pass


@bot_app.command("discord")
def bot_discord(home: HomeOption = None) -> None:
    """Answer /ask, /stats, /faq and /report in Discord (needs DISCORD_BOT_TOKEN)."""
    try:
        from bots.discord.poster import DiscordError
        from bots.discord.run import run
    except ImportError as exc:
        fail(f"the Discord bot is not available: {exc}", "check that discord.py is installed")
    settings = _settings(home)
    _bot_logging()
    try:
        run(settings)
    except DiscordError as exc:
        fail(str(exc), "set DISCORD_BOT_TOKEN in the environment or .env")
    except KeyboardInterrupt:
        pass


@bot_app.command("github")
def bot_github(
    home: HomeOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Post comments and labels (default: a dry run that only prints).")
    ] = False,
    days: Annotated[int, typer.Option(help="Act on issues and PRs opened in the last N days of data.")] = 14,
) -> None:
    """Welcome first-time contributors on GitHub; add triage labels and duplicate links."""
    from bots.github.apply import GitHubBotError
    from bots.github.run import run

    settings = _settings(home)
    try:
        # typer.echo, not rich: comment bodies may contain [...] that rich would read as markup
        summary = run(settings, apply=apply, days=days, out=typer.echo)
    except GitHubBotError as exc:
        fail(str(exc), "set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise) in the environment or .env")
    typer.echo(", ".join(f"{key}: {value}" for key, value in summary.items()))


@bot_app.command("alerts")
def bot_alerts(
    home: HomeOption = None,
    post: Annotated[Optional[list[str]], typer.Option("--post", help="Community alerts to PLATFORM:CHANNEL, e.g. slack:C0123 (repeatable).")] = None,
    maintainers: Annotated[Optional[list[str]], typer.Option("--maintainers", help="Burnout alerts (maintainers only) to PLATFORM:CHANNEL.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent; post and record nothing.")] = False,
    burnout_threshold: Annotated[float, typer.Option(help="Burnout risk (0-100) that raises an alert.")] = 70.0,
    unanswered_hours: Annotated[float, typer.Option(help="Hours a question may stay unanswered.")] = 48.0,
) -> None:
    """Post burnout, activity-drop and unanswered-question alerts, each once per condition."""
    from bots.alerts import AlertOptions
    from bots.alerts_run import run_alerts

    settings = _settings(home)
    options = AlertOptions(burnout_threshold=burnout_threshold, unanswered_hours=unanswered_hours)
    try:
        deliveries = run_alerts(settings, post or (), maintainers or (), dry_run=dry_run, options=options)
    except FileNotFoundError as exc:
        fail(str(exc), "run `codeconvene demo` or `codeconvene build` first")
    except ValueError as exc:  # missing tokens, bad destinations: one line, never a traceback
        fail(str(exc), getattr(exc, "hint", "") or "e.g. --post slack:C0123456 --maintainers slack:G0123456 (or `alerts:` in codeconvene.yaml)")
    table = Table(title="alerts" + (" (dry run)" if dry_run else ""))
    for column in ("alert", "destination", "status"):
        table.add_column(column)
    for delivery in deliveries:
        table.add_row(delivery.alert_key, delivery.destination or "-", delivery.status + (f": {delivery.error}" if delivery.error else ""))
    console.print(table if deliveries else "no alert conditions hold right now")
    if any(d.status == "failed" for d in deliveries):
        raise typer.Exit(1)


@app.command()
def webhooks(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8800,
    host: Annotated[str, typer.Option(help="Address to bind (0.0.0.0 to accept from outside).")] = "127.0.0.1",
    home: HomeOption = None,
) -> None:
    """Receive GitHub (POST /webhooks/github) and Discourse (POST /webhooks/discourse) webhooks
    into the raw layer at once; signatures are checked with GITHUB_WEBHOOK_SECRET and
    DISCOURSE_WEBHOOK_SECRET."""
    from ingest.webhooks_server import Receiver, make_server

    settings = _settings(home)
    receiver = Receiver(settings)
    sources = receiver.configured()
    if not sources:
        fail("no webhook secret is set", "set GITHUB_WEBHOOK_SECRET and/or DISCOURSE_WEBHOOK_SECRET", code=2)
    try:
        server = make_server(receiver, host, port)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", "choose another --port")
    receiver.drain()
    paths = ", ".join(f"http://{host}:{port}/webhooks/{s}" for s in sources)
    console.print(f"receiving webhooks at {paths}  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def doctor(home: HomeOption = None) -> None:
    """What is configured, what is missing, what is failing and why (each source is asked once)."""
    from codeconvene.doctor import diagnose, healthy

    settings = get_settings(home)
    with console.status("checking sources…"):
        findings = diagnose(settings)
    colours = {"ok": "green", "configured": "green", "offline": "yellow", "missing": "yellow", "busy": "yellow",
               "failing": "red"}
    table = Table(title="codeconvene doctor")
    table.add_column("item")
    table.add_column("status")
    table.add_column("detail", overflow="fold")
    for finding in findings:
        colour = colours.get(finding.status, "white")
        table.add_row(finding.item, f"[{colour}]{finding.status}[/]", finding.detail)
    console.print(table)
    if not healthy(findings):
        fail("the warehouse cannot be used", "see the warehouse line above")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
