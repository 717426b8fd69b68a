"""When people act: working-hour habits in their own timezone, and reaction delays.

Habits are what the burnout metrics must see: most people work local daytime and skip many
weekends; the overloaded maintainer works mostly 21:00-03:00 local, every day of the week.
A reply is placed at the responder's next habitual slot after a random delay, so response
times and after-hours shares come out of the same mechanism.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ingest.simulate.people import Person

DAY_HOURS = {8: 2, 9: 5, 10: 7, 11: 7, 12: 5, 13: 6, 14: 7, 15: 7, 16: 6, 17: 5, 18: 3, 19: 2, 20: 1}
# Night-owl evening hours; 0-2 belong to the evening that started the day before.
NIGHT_HOURS = {21: 10, 22: 12, 23: 12, 0: 10, 1: 8, 2: 5}
OWL_HOURS = {**NIGHT_HOURS, **{h: 2.5 for h in range(9, 19)}}
WEEKEND_SKIP = 0.7
HOUR = timedelta(hours=1)


def is_night_hour(hour: int) -> bool:
    """The 21:00-03:00 band the ground truth's night share counts."""
    return hour >= 21 or hour < 3


def local(person: Person, moment: datetime) -> datetime:
    return moment + timedelta(seconds=person.tz_offset)


def to_utc(person: Person, local_moment: datetime) -> datetime:
    return local_moment - timedelta(seconds=person.tz_offset)


def _slots(person: Person, day: date) -> list[tuple[datetime, float]]:
    base = datetime(day.year, day.month, day.day)
    hours = OWL_HOURS if person.night_owl else DAY_HOURS
    return [(base + timedelta(days=1 if person.night_owl and h < 3 else 0, hours=h), w) for h, w in hours.items()]


def _pick(rng: random.Random, slots: list[tuple[datetime, float]]) -> datetime:
    starts = [s for s, _ in slots]
    return rng.choices(starts, weights=[w for _, w in slots])[0]


def on_day(person: Person, rng: random.Random, day: date) -> datetime:
    """A UTC moment within the person's habitual hours of their local calendar `day`."""
    start = _pick(rng, _slots(person, day))
    return to_utc(person, start + timedelta(seconds=rng.randrange(3600), microseconds=rng.randrange(1_000_000)))


def skips_day(person: Person, rng: random.Random, day: date) -> bool:
    """A day they don't work: a planned break, or (day people only) most weekends."""
    if day in person.days_off:
        return True
    return not person.night_owl and day.weekday() >= 5 and rng.random() < WEEKEND_SKIP


def after(person: Person, rng: random.Random, earliest: datetime, mean_hours: float) -> datetime:
    """The person's reaction to something at `earliest`: a delay, then their next habitual slot."""
    target = local(person, earliest + timedelta(hours=max(rng.expovariate(1 / mean_hours), 0.04)))
    day = target.date() - timedelta(days=1 if person.night_owl and target.hour < 3 else 0)
    for _ in range(21):
        if not skips_day(person, rng, day):
            slots = [(s, w) for s, w in _slots(person, day) if s + HOUR > target]
            if slots:
                slot = _pick(rng, slots)
                begin = max(slot, target)
                span = int((slot + HOUR - begin).total_seconds() * 1_000_000)
                return to_utc(person, begin + timedelta(microseconds=rng.randrange(max(span, 1))))
        day += timedelta(days=1)
    return earliest + timedelta(minutes=rng.uniform(5, 60))


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; rates here are small (a few per week)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam ** 0.5)))
    threshold, k, product = pow(2.718281828459045, -lam), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k
