"""Per-user token buckets, so one eager (or scripted) user cannot drown a bot or the warehouse.

Each user gets `capacity` questions at once and regains one every `refill_seconds`. The clock
is injected, so tests drive time by hand instead of sleeping. A limited user is told so once
per dry spell (`should_notify`), not on every further message, so the polite reply cannot
itself become the flood.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated_at: float
    notified: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: float = 0.0  # seconds until the next token, when not allowed
    should_notify: bool = False  # first refusal since the user was last allowed


class RateLimiter:
    """Token bucket per key (a platform user id); thread-safe; old idle buckets are dropped."""

    def __init__(
        self,
        capacity: int = 5,
        refill_seconds: float = 12.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if capacity < 1 or refill_seconds <= 0:
            raise ValueError("rate limit needs capacity >= 1 and refill_seconds > 0")
        self.capacity = capacity
        self.refill_seconds = refill_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> Decision:
        """Take one token for `key` if there is one."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                self._forget_full_buckets(now)
                bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
            gained = (now - bucket.updated_at) / self.refill_seconds
            bucket.tokens = min(float(self.capacity), bucket.tokens + gained)
            bucket.updated_at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                bucket.notified = False
                return Decision(True)
            wait = (1.0 - bucket.tokens) * self.refill_seconds
            notify = not bucket.notified
            bucket.notified = True
            return Decision(False, retry_after_s=wait, should_notify=notify)

    def _forget_full_buckets(self, now: float) -> None:
        """Keep memory bounded: a bucket that has refilled completely carries no state."""
        if len(self._buckets) < self._max_keys:
            return
        full_after = self.capacity * self.refill_seconds
        for key in [k for k, b in self._buckets.items() if now - b.updated_at >= full_after]:
            del self._buckets[key]
        while len(self._buckets) >= self._max_keys:  # all busy: drop the oldest
            del self._buckets[min(self._buckets, key=lambda k: self._buckets[k].updated_at)]


def polite_refusal(retry_after_s: float) -> str:
    seconds = max(1, round(retry_after_s))
    return (
        "You're asking faster than I can keep up with. "
        f"Please try again in about {seconds} second{'s' if seconds != 1 else ''}."
    )
