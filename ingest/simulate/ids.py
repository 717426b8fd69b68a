"""Identifiers shaped like the platforms' own, drawn from a seeded stream.

Real ids carry meaning downstream (Slack `U…` users, `B…` bots, GitHub's legacy base64
node ids, 40-hex shas), so the demo data uses the same shapes and loaders need no special case.
"""

from __future__ import annotations

import base64
import calendar
import random
import uuid
from datetime import datetime, timedelta

SLACK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
EPOCH = datetime(1970, 1, 1)


def slack_id(rng: random.Random, prefix: str, taken: set[str]) -> str:
    """`U`/`B`/`T`/`C` + 10 characters, unique within `taken` (which it updates)."""
    while True:
        value = prefix + "0" + "".join(rng.choice(SLACK_ALPHABET) for _ in range(9))
        if value not in taken:
            taken.add(value)
            return value


def sha(rng: random.Random) -> str:
    return f"{rng.getrandbits(160):040x}"


def client_msg_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def node_id(kind: str, number: int) -> str:
    """GitHub's legacy global id: base64 of '<len(kind):02d>:<kind><id>' (e.g. 04:User123)."""
    return base64.b64encode(f"{len(kind):02d}:{kind}{number}".encode()).decode()


def github_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def slack_ts(moment: datetime) -> str:
    """Slack's `ts`: epoch seconds '.' six-digit microseconds, computed without floats."""
    return f"{calendar.timegm(moment.timetuple())}.{moment.microsecond:06d}"


def ts_to_datetime(ts: str) -> datetime:
    seconds, _, micros = ts.partition(".")
    return EPOCH + timedelta(seconds=int(seconds), microseconds=int(micros.ljust(6, "0")[:6]))


def epoch(moment: datetime) -> int:
    return calendar.timegm(moment.timetuple())


DISCORD_EPOCH = datetime(2015, 1, 1)
DISCORD_WORKER = 1  # the worker bits of a snowflake: any fixed value, as one Discord shard would give


def millis(moment: datetime) -> datetime:
    """`moment` cut to the millisecond: Discord and Discourse keep no finer time."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def snowflake(moment: datetime, sequence: int = 0) -> str:
    """A Discord id created at `moment`: ((ms since 2015-01-01) << 22) | worker | sequence, so
    the time a consumer reads back from the id is the message's own timestamp."""
    ms = (moment - DISCORD_EPOCH) // timedelta(milliseconds=1)
    return str((ms << 22) | (DISCORD_WORKER << 17) | (sequence & 0xFFF))


def discord_time(moment: datetime) -> str:
    """DiscordChatExporter's JSON timestamp: milliseconds and an explicit +00:00 offset."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


def discourse_time(moment: datetime) -> str:
    """Discourse's API timestamp: milliseconds and a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
