"""Time expressions in a question → a half-open date range [start, end).

Pure and table-tested: the range becomes the only parameters of the metric SQL, so the
user's words never reach the query. Periods still running ("this month") end after `today`
rather than at their calendar end, and say so in their phrase ("so far in …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_LAST_N = re.compile(r"\b(?:last|past|previous)\s+(\d{1,3})\s+(day|week|month)s?\b")
# A month needs a preposition or a year ("in may", "may 2026"): "may" is also a verb.
_IN_MONTH = re.compile(
    rf"\b(?:in|during|for|of)\s+({_MONTH})\b(?:\s+(\d{{4}}))?|\b({_MONTH})\s+(\d{{4}})\b"
)
_IN_YEAR = re.compile(r"\b(?:in|during|for|of)\s+(\d{4})\b")
_RELATIVE = re.compile(r"\b(this|last|previous|past)\s+(week|month|year)\b")
_DAY = re.compile(r"\b(today|yesterday)\b")


@dataclass(frozen=True)
class Period:
    """Days from `start` up to, not including, `end`; `phrase` reads "in October 2026"."""

    start: date
    end: date
    phrase: str

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _month(year: int, month: int, today: date) -> Period:
    start = date(year, month, 1)
    end = _month_start(start, months_back=-1)
    label = f"{start:%B %Y}"
    if start <= today < end:
        return Period(start, today + timedelta(days=1), f"so far in {label}")
    return Period(start, end, f"in {label}")


def _year(year: int, today: date) -> Period:
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    if start <= today < end:
        return Period(start, today + timedelta(days=1), f"so far in {year}")
    return Period(start, end, f"in {year}")


def _week(monday: date, today: date) -> Period:
    year, week, _ = monday.isocalendar()
    label = f"week {year}-W{week:02d}"
    end = monday + timedelta(days=7)
    if monday <= today < end:
        return Period(monday, today + timedelta(days=1), f"so far in {label}")
    return Period(monday, end, f"in {label}")


def _relative(which: str, unit: str, today: date) -> Period:
    back = 0 if which == "this" else 1
    if unit == "week":
        return _week(today - timedelta(days=today.weekday() + 7 * back), today)
    if unit == "month":
        start = _month_start(today, back)
        return _month(start.year, start.month, today)
    return _year(today.year - back, today)


def _rolling(count: int, unit: str, today: date) -> Period:
    """Rolling windows end with today: "last 30 days" is 30 days including today, "last 3
    months" starts 3 calendar months before tomorrow (the day clamped to the month's length)."""
    end = today + timedelta(days=1)
    if unit == "month":
        first = _month_start(end, count)
        last_of_month = _month_start(first, -1) - timedelta(days=1)
        start = first.replace(day=min(end.day, last_of_month.day))
    else:
        start = end - timedelta(days=count * (7 if unit == "week" else 1))
    return Period(
        start, end, f"in the last {count} {unit}s" if count > 1 else f"in the last {unit}"
    )


def _named_month(name: str, year: str | None, today: date) -> Period:
    """A bare "in March" means the latest March that has begun (last year's, in January)."""
    month = MONTHS[name]
    if year:
        return _month(int(year), month, today)
    return _month(today.year if month <= today.month else today.year - 1, month, today)


def parse_period(question: str, today: date) -> Period | None:
    """The first time expression found in `question`, or None when there is none."""
    text = question.lower()
    if match := _LAST_N.search(text):
        return _rolling(max(int(match.group(1)), 1), match.group(2), today)
    if match := _RELATIVE.search(text):
        return _relative(match.group(1), match.group(2), today)
    if match := _IN_MONTH.search(text):
        name, year = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        return _named_month(name, year, today)
    if match := _IN_YEAR.search(text):
        return _year(int(match.group(1)), today)
    if match := _DAY.search(text):
        day = today if match.group(1) == "today" else today - timedelta(days=1)
        return Period(day, day + timedelta(days=1), f"on {day:%Y-%m-%d}")
    return None


def default_period(today: date) -> Period:
    """Used when a metric question names no period; the answer says it assumed this."""
    end = today + timedelta(days=1)
    return Period(end - timedelta(days=30), end, "in the last 30 days")


def _is_calendar_month(period: Period) -> bool:
    return period.start.day == 1 and period.end == _month_start(period.start, -1)


def previous_period(period: Period) -> Period:
    """What a trend compares with: the calendar month or year before a whole one, else the
    same number of days just before (so "so far this week" meets as many days of last week)."""
    start = period.start
    if type(start) is date and _is_calendar_month(period):
        first = _month_start(start, 1)
        return Period(first, start, f"in {first:%B %Y}")
    if type(start) is date and (start.month, start.day) == (1, 1) and period.end == date(start.year + 1, 1, 1):
        return Period(date(start.year - 1, 1, 1), start, f"in {start.year - 1}")
    length = period.end - start
    before = start - length
    days = length.days or 1
    return Period(before, start, f"in the {days} days before")
