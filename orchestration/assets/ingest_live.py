"""Raw tables kept current from the platforms' APIs: one asset per source, run hourly.

Each asset calls its source's live connector (`ingest/<source>/api.py`), which pulls only
what is new since its cursors. A source without its token is skipped, not failed: the
asset materializes with a `skipped` reason, so an offline install shows why nothing came
in. A live connector's own error (a refused token, an unreachable host) fails the run with
its one-line message. These assets are not in the demo's graph: they would need network.
"""


import dagster as dg

from codeconvene.live import LIVE_SOURCES, NotAvailable, connector, missing
from codeconvene.warehouse import writer
from ingest.core.live import LiveError
from orchestration.resources import CodeConveneResource


def _build(source: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"raw_{source}_live",
        group_name=f"raw_{source}",
        kinds={"duckdb"},
        description=f"What is new on {source} since the last pull, upserted into raw_{source}.* by natural key "
                    "(cursors in meta.cursors). Skipped when the source is not configured.",
    )
    def _asset(context: dg.AssetExecutionContext, codeconvene: CodeConveneResource) -> dg.MaterializeResult:
        settings = codeconvene.settings()
        lacking = missing(settings, source)
        if lacking:
            reason = f"{lacking} not set"
            context.log.info(f"{source} live ingest skipped: {reason}")
            return dg.MaterializeResult(metadata={"skipped": reason})
        try:
            with writer(settings.warehouse_path) as con:
                summary = connector(source).sync(settings, con)
        except (LiveError, NotAvailable) as exc:
            raise dg.Failure(description=str(exc), metadata={"hint": exc.hint}) from None
        return dg.MaterializeResult(metadata={
            "records": summary.fetched,
            "pages": summary.pages,
            "cursor_updates": summary.cursor_updates,
            **{f"records_{stream}": count for stream, count in sorted(summary.streams.items())},
        })

    return _asset


live_assets = [_build(source) for source in LIVE_SOURCES]
