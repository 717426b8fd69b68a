"""Raw tables filled from export files (the embedded default: no tokens needed)."""


import dagster as dg

from codeconvene.warehouse import writer
from ingest.core.runner import ingest_units
from ingest.formats import discover_optional
from orchestration.resources import CodeConveneResource

SOURCES = {
    "github": ("gharchive", [["raw_github", "events"]]),
    "slack": ("slack-export", [["raw_slack", "users"], ["raw_slack", "channels"], ["raw_slack", "messages"]]),
}


def _build(source: str, fmt: str, keys: list[list[str]]) -> dg.AssetsDefinition:
    @dg.multi_asset(
        name=f"raw_{source}_files",
        specs=[dg.AssetSpec(key, group_name=f"raw_{source}", kinds={"duckdb"}) for key in keys],
        description=f"{source} export files under the configured export paths, upserted by natural key.",
    )
    def _asset(context: dg.AssetExecutionContext, codeconvene: CodeConveneResource):
        settings = codeconvene.settings()
        units = discover_optional(settings.export_paths, fmt)
        if not units:
            context.log.info(f"no {fmt} exports under {', '.join(map(str, settings.export_paths))}")
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


file_assets = [_build(source, fmt, keys) for source, (fmt, keys) in SOURCES.items()]
