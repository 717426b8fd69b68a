"""Raw tables filled from export files (the embedded default: no tokens needed)."""


import dagster as dg

from codeconvene.warehouse import writer
from ingest.core.runner import ingest_units
from ingest.formats import discover_optional
from orchestration.resources import CodeConveneResource

SOURCES: dict[str, tuple[tuple[str, ...], list[list[str]]]] = {
    "github": (
        ("gharchive", "github-rest"),
        [["raw_github", t] for t in ("events", "issues", "pull_requests", "comments", "reviews",
                                     "releases", "stars", "forks", "users")],
    ),
    "git": (("git",), [["raw_git", "commits"]]),
    "slack": (("slack-export", "slack-export-zip", "slack-api-dump"), [["raw_slack", t] for t in ("users", "channels", "messages")]),
    "discord": (
        ("discord-dce-json", "discord-dce-csv", "discord-dce-html"),
        [["raw_discord", t] for t in ("guilds", "channels", "members", "messages")],
    ),
    "discourse": (
        ("discourse-json",),
        [["raw_discourse", t] for t in ("users", "categories", "topics", "posts")],
    ),
}


def _build(source: str, formats: tuple[str, ...], keys: list[list[str]]) -> dg.AssetsDefinition:
    @dg.multi_asset(
        name=f"raw_{source}_files",
        specs=[dg.AssetSpec(key, group_name=f"raw_{source}", kinds={"duckdb"}) for key in keys],
        description=f"{source} export files under the configured export paths, upserted by natural key.",
    )
    def _asset(context: dg.AssetExecutionContext, codeconvene: CodeConveneResource):
        settings = codeconvene.settings()
        units = discover_optional(settings.export_paths, formats)
        if not units:
            context.log.info(f"no {source} exports under {', '.join(map(str, settings.export_paths))}")
        with writer(settings.warehouse_path) as con:
            summary = ingest_units(con, units)
            totals = {
                ".".join(key): con.execute(f"select count(*) from {'.'.join(key)}").fetchone()[0]
                for key in keys
            }
        for error in summary.errors:
            context.log.error(error)
        for key in keys:
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={
                    "rows": totals[".".join(key)],
                    "landed_this_run": summary.by_table.get(".".join(key), 0),
                    "files_ingested": summary.files,
                    "files_skipped": summary.skipped,
                    "quarantined": summary.quarantined,
                },
            )

    return _asset


file_assets = [_build(source, formats, keys) for source, (formats, keys) in SOURCES.items()]
