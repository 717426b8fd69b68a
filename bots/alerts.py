"""Alerts computed from the marts, each sent once per condition and destination.

Three conditions (DESIGN §7), all judged on the data's own clock (the newest activity in the
warehouse), so re-running over the same data finds the same alerts:
- a maintainer's burnout risk at or over a threshold in the latest complete week — sensitive,
  so it goes only to the maintainers' destination, never to a community channel;
- the community's active contributors in the latest complete week below the usual band
  (mean − k·sd of the 12 weeks before);
- a question still unanswered after N hours (recent ones only, so a first run over a long
  history does not post the whole backlog).

Every delivery is recorded in `ml.alerts_sent` (key = alert × destination) right after it is
posted, so a second run — or a crash half-way — never sends the same alert twice. Posting
goes through any `Poster` (bots/poster.py); this module knows no chat SDK.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import duckdb

from bots.poster import Notice, Poster, parse_destination
from ml.tables import ensure_ml_table, table_exists, utc_now
from ml.weekly_facts import latest_complete_week, parse_iso_week

Kind = Literal["burnout", "activity_drop", "unanswered"]
Audience = Literal["maintainers", "community"]

ALERTS_SENT = """
create table if not exists ml.alerts_sent (
    alert_key varchar not null,
    kind varchar not null,
    sent_at timestamp not null,
    channel varchar not null,
    message_id varchar,
    primary key (alert_key, channel)
)
"""


@dataclass(frozen=True)
class AlertOptions:
    burnout_threshold: float = 70.0  # burnout_risk 0-100
    drop_sd: float = 2.0  # the band's width in standard deviations
    drop_weeks: int = 12  # trailing weeks that define the usual band
    drop_min_weeks: int = 6  # fewer weeks of history: no band, no alert
    unanswered_hours: float = 48.0
    unanswered_max_age_days: float = 14.0
    max_per_kind: int = 10  # new deliveries per kind and destination per run; the rest wait


@dataclass(frozen=True)
class Alert:
    key: str  # the condition's identity: sent once per key and destination
    kind: Kind
    audience: Audience
    notice: Notice


@dataclass(frozen=True)
class Delivery:
    alert_key: str
    kind: Kind
    destination: str
    status: Literal["sent", "already sent", "would send", "deferred", "no destination", "failed"]
    message_id: str | None = None
    error: str | None = None


# --- the conditions ----------------------------------------------------------------------------


def activity_band(trailing: Sequence[int], sd_count: float) -> tuple[float, float] | None:
    """(mean, lower edge) of the usual weekly active count; None without two weeks to compare."""
    if len(trailing) < 2:
        return None
    mean = statistics.fmean(trailing)
    return mean, mean - sd_count * statistics.stdev(trailing)


def is_activity_drop(active: int, trailing: Sequence[int], sd_count: float = 2.0) -> bool:
    band = activity_band(trailing, sd_count)
    return band is not None and active < band[1]


def _week(con: duckdb.DuckDBPyConnection) -> tuple[str, date]:
    iso_week = latest_complete_week(con)
    return iso_week, parse_iso_week(iso_week)


def burnout_alerts(con: duckdb.DuckDBPyConnection, options: AlertOptions) -> list[Alert]:
    if not table_exists(con, "marts", "mart_contributor_health"):
        return []
    iso_week, monday = _week(con)
    rows = con.execute(
        "select person_id, display_name, burnout_risk, risk_reasons "
        "from marts.mart_contributor_health "
        "where week_start = ? and is_maintainer and burnout_risk >= ? "
        "order by burnout_risk desc, person_id",
        [monday, options.burnout_threshold],
    ).fetchall()
    alerts = []
    for person_id, name, risk, reasons in rows:
        notice = Notice(
            title=f"Burnout risk: {name or person_id} at {risk:.0f}/100 in {iso_week}",
            text=(
                f"{name or person_id}'s burnout risk is {risk:.0f}/100 (alert at "
                f"{options.burnout_threshold:.0f}). Reasons: {reasons or 'several small signals'}."
                " Consider sharing their review and support load."
            ),
            footnote=f"marts.mart_contributor_health, person {person_id}, week {iso_week}",
        )
        alerts.append(Alert(f"burnout:{person_id}:{iso_week}", "burnout", "maintainers", notice))
    return alerts


def activity_drop_alerts(con: duckdb.DuckDBPyConnection, options: AlertOptions) -> list[Alert]:
    if not table_exists(con, "marts", "mart_community_health_weekly"):
        return []
    iso_week, monday = _week(con)
    rows = con.execute(
        "select week_start, active from marts.mart_community_health_weekly "
        "where week_start <= ? order by week_start desc limit ?",
        [monday, options.drop_weeks + 1],
    ).fetchall()
    if not rows or rows[0][0] != monday:
        return []
    active = int(rows[0][1] or 0)
    trailing = [int(r[1] or 0) for r in rows[1:]]
    if len(trailing) < options.drop_min_weeks or not is_activity_drop(
        active, trailing, options.drop_sd
    ):
        return []
    mean, low = activity_band(trailing, options.drop_sd)
    notice = Notice(
        title=f"Activity drop in {iso_week}: {active} active contributors",
        text=(
            f"{active} people were active in {iso_week}, below the usual band "
            f"(mean {mean:.1f}, lower edge {low:.1f} = mean − {options.drop_sd:g} sd over the "
            f"previous {len(trailing)} weeks)."
        ),
        footnote=f"marts.mart_community_health_weekly, weeks up to {iso_week}",
    )
    return [Alert(f"activity_drop:{iso_week}", "activity_drop", "community", notice)]


def unanswered_alerts(con: duckdb.DuckDBPyConnection, options: AlertOptions) -> list[Alert]:
    if not table_exists(con, "marts", "mart_unanswered_questions"):
        return []
    [(watermark,)] = con.execute("select max(occurred_at) from marts.fct_activities").fetchall()
    if watermark is None:
        return []
    rows = con.execute(
        "select question_id, asked_at, platform, container, url, text, hours_open "
        "from marts.mart_unanswered_questions "
        "where is_still_unanswered and hours_open >= ? and asked_at >= ? "
        "order by asked_at, question_id",
        [options.unanswered_hours, watermark - timedelta(days=options.unanswered_max_age_days)],
    ).fetchall()
    alerts = []
    for question_id, asked_at, platform, container, url, text, hours in rows:
        where = f"{platform} {container}" if container else platform
        snippet = " ".join((text or "").split())[:200] or "(no text)"
        notice = Notice(
            title=f"Unanswered for {hours:.0f} h in {where}",
            text=f"Asked {asked_at:%Y-%m-%d %H:%M} UTC: “{snippet}”",
            links=((f"Open the question in {platform}", url),) if url else (),
            footnote=f"marts.mart_unanswered_questions, question {question_id}",
        )
        alerts.append(Alert(f"unanswered:{question_id}", "unanswered", "community", notice))
    return alerts


def compute_alerts(
    con: duckdb.DuckDBPyConnection, options: AlertOptions | None = None
) -> list[Alert]:
    """Every alert whose condition holds now (sent or not); empty on a warehouse without marts."""
    options = options or AlertOptions()
    if not table_exists(con, "marts", "fct_activities"):
        return []
    try:
        latest_complete_week(con)
    except LookupError:
        return []
    return (
        burnout_alerts(con, options)
        + activity_drop_alerts(con, options)
        + unanswered_alerts(con, options)
    )


# --- sending once ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Destinations:
    """Where alerts go: `community` for everyone's alerts, `maintainers` for sensitive ones."""

    community: tuple[str, ...] = ()
    maintainers: tuple[str, ...] = ()

    def for_audience(self, audience: Audience) -> tuple[str, ...]:
        return self.maintainers if audience == "maintainers" else self.community

    def __post_init__(self) -> None:
        for destination in (*self.community, *self.maintainers):
            parse_destination(destination)


def already_sent(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    if not table_exists(con, "ml", "alerts_sent"):
        return set()
    return {
        (k, c) for k, c in con.execute("select alert_key, channel from ml.alerts_sent").fetchall()
    }


def send_alerts(
    con: duckdb.DuckDBPyConnection,
    alerts: Sequence[Alert],
    destinations: Destinations,
    posters: Mapping[str, Poster],
    *,
    options: AlertOptions | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[Delivery]:
    """Post each alert not yet sent to each of its destinations; record what was posted.

    `con` must be writable unless `dry_run`. A failed post is reported and not recorded, so the
    next run tries again; a destination whose platform has no poster is a clear error.
    """
    options = options or AlertOptions()
    if not dry_run:
        ensure_ml_table(con, ALERTS_SENT)
    sent = already_sent(con)
    new_per_kind: dict[tuple[str, str], int] = {}
    deliveries: list[Delivery] = []
    for alert in alerts:
        targets = destinations.for_audience(alert.audience)
        if not targets:
            deliveries.append(Delivery(alert.key, alert.kind, "", "no destination"))
            continue
        for destination in targets:
            deliveries.append(
                _deliver(
                    con, alert, destination, posters, sent, new_per_kind, options, dry_run, now
                )
            )
    return deliveries


def _deliver(
    con, alert, destination, posters, sent, new_per_kind, options, dry_run, now
) -> Delivery:
    if (alert.key, destination) in sent:
        return Delivery(alert.key, alert.kind, destination, "already sent")
    count_key = (alert.kind, destination)
    if new_per_kind.get(count_key, 0) >= options.max_per_kind:
        return Delivery(alert.key, alert.kind, destination, "deferred")
    new_per_kind[count_key] = new_per_kind.get(count_key, 0) + 1
    if dry_run:
        return Delivery(alert.key, alert.kind, destination, "would send")
    platform, channel = parse_destination(destination)
    poster = posters.get(platform)
    if poster is None:
        raise ValueError(f"destination {destination}: no {platform} poster configured")
    try:
        message_id = poster.post(channel, alert.notice)
    except Exception as exc:  # noqa: BLE001 - one failed post must not stop the other alerts
        return Delivery(
            alert.key, alert.kind, destination, "failed", error=f"{type(exc).__name__}: {exc}"
        )
    con.execute(
        "insert into ml.alerts_sent values (?, ?, ?, ?, ?)",
        [alert.key, alert.kind, now or utc_now(), destination, message_id],
    )
    sent.add((alert.key, destination))
    return Delivery(alert.key, alert.kind, destination, "sent", message_id=message_id)


__all__ = [
    "ALERTS_SENT",
    "Alert",
    "AlertOptions",
    "Delivery",
    "Destinations",
    "activity_band",
    "compute_alerts",
    "is_activity_drop",
    "send_alerts",
]
