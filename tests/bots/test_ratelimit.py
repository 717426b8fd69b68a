"""Token buckets per user, driven by a hand-moved clock."""

from __future__ import annotations

import pytest

from bots.ratelimit import RateLimiter, polite_refusal


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_gets_capacity_questions_then_waits_for_a_refill():
    # GIVEN 3 questions at once, one more every 10 s
    clock = Clock()
    limiter = RateLimiter(capacity=3, refill_seconds=10, clock=clock)
    # WHEN the same user asks 4 times at once
    decisions = [limiter.check("U1") for _ in range(4)]
    # THEN the fourth is refused with the time until the next token
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[3].retry_after_s == pytest.approx(10.0)
    # AND 4 s later the wait is 6 s; 10 s after the refusal one more question is allowed
    clock.now += 4
    assert limiter.check("U1").retry_after_s == pytest.approx(6.0)
    clock.now += 6
    assert limiter.check("U1").allowed
    assert not limiter.check("U1").allowed


def test_users_have_separate_buckets():
    limiter = RateLimiter(capacity=1, refill_seconds=60, clock=Clock())
    assert limiter.check("U1").allowed
    assert not limiter.check("U1").allowed
    assert limiter.check("U2").allowed


def test_the_refusal_is_announced_once_per_dry_spell():
    # GIVEN a user who keeps asking while limited
    clock = Clock()
    limiter = RateLimiter(capacity=1, refill_seconds=10, clock=clock)
    limiter.check("U1")
    refusals = [limiter.check("U1") for _ in range(3)]
    # THEN only the first refusal asks for a polite reply
    assert [d.should_notify for d in refusals] == [True, False, False]
    # AND after being allowed again, the next dry spell is announced again
    clock.now += 10
    assert limiter.check("U1").allowed
    assert limiter.check("U1").should_notify


def test_a_bucket_never_holds_more_than_its_capacity():
    clock = Clock()
    limiter = RateLimiter(capacity=2, refill_seconds=1, clock=clock)
    limiter.check("U1")
    clock.now += 1000
    assert [limiter.check("U1").allowed for _ in range(3)] == [True, True, False]


def test_memory_stays_bounded():
    clock = Clock()
    limiter = RateLimiter(capacity=1, refill_seconds=1, clock=clock, max_keys=10)
    for n in range(100):
        limiter.check(f"U{n}")
        clock.now += 0.01
    assert len(limiter._buckets) <= 10


def test_polite_refusal_says_how_long_to_wait():
    assert polite_refusal(11.6).endswith("about 12 seconds.")
    assert polite_refusal(0.2).endswith("about 1 second.")


def test_nonsense_limits_are_refused():
    with pytest.raises(ValueError, match="capacity"):
        RateLimiter(capacity=0)
