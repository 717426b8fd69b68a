"""Platform timestamps → naive UTC datetimes (the warehouse's one time convention)."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_to_utc(text: str) -> datetime:
    """ISO 8601 with `Z` or an offset; naive input is taken as UTC."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def epoch_to_utc(value: str | float | int) -> datetime:
    """Slack-style epoch seconds ("1709388309.123456")."""
    return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None)
