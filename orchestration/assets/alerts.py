"""Alerts as a Dagster asset: after each warehouse refresh, post what newly holds.

The conditions and the once-per-condition bookkeeping live in `bots/alerts.py`; this asset
only decides whether there is anywhere to post (`alerts:` in codeconvene.yaml) and reports
what happened. With no destination configured it materializes as skipped, so an offline
install never fails for want of a chat workspace.
"""

from __future__ import annotations

from collections import Counter

import dagster as dg

from orchestration.resources import CodeConveneResource

ALERT_MARTS = ("mart_contributor_health", "mart_community_health_weekly", "mart_unanswered_questions")


@dg.asset(
    key=["bots", "alerts"],
    deps=[["marts", name] for name in ALERT_MARTS],
    group_name="bots",
    kinds={"slack", "discord"},
)
def alerts(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """Burnout (maintainers only), activity-drop and unanswered-question alerts, each sent once."""
    from bots.alerts_run import destinations, run_alerts

    settings = codeconvene.settings()
    targets = destinations(settings, (), ())
    if not (targets.community or targets.maintainers):
        return dg.MaterializeResult(
            metadata={"skipped": "no destination: set `alerts: {post: [...], maintainers: [...]}` in codeconvene.yaml"}
        )
    try:
        deliveries = run_alerts(settings)
    except ValueError as exc:  # a missing token or a bad destination: one clear line
        raise dg.Failure(description=str(exc)) from None
    statuses = Counter(delivery.status for delivery in deliveries)
    failed = [f"{d.alert_key} → {d.destination}: {d.error}" for d in deliveries if d.status == "failed"]
    if failed:
        raise dg.Failure(description="; ".join(failed), metadata={"statuses": dict(statuses)})
    return dg.MaterializeResult(metadata={status: count for status, count in statuses.items()})


# after the :15 warehouse refresh has had time to land
alerts_job = dg.define_asset_job(
    "post_alerts", selection=dg.AssetSelection.assets(alerts), executor_def=dg.in_process_executor
)
alerts_hourly = dg.ScheduleDefinition(
    name="alerts_hourly",
    job=alerts_job,
    cron_schedule="45 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
