"""The Groq provider under trouble: rate limits, server errors, timeouts, bad bodies, budget.

The real `groq` SDK talks to the loopback fake (tests/fakes/groq.py); the fake's scripted
replies play the trouble. Waits between retries go through an injected `sleep` that records
them, so the backoff is checked exactly and the tests stay fast.
"""

from __future__ import annotations

import logging

import pytest

from ml.llm import LLMError, build_prompt
from ml.llm.groq_provider import GroqProvider
from ml.llm.offline import MODEL as OFFLINE_MODEL
from ml.weekly_facts import gather_weekly_facts
from tests.fakes.groq import FakeGroq, Reply

KEY = "gsk_test_SECRET_0123456789"


@pytest.fixture
def fake():
    with FakeGroq(content="Fake summary.", model="fake-llama") as server:
        yield server


def provider(con, fake, **options) -> tuple[GroqProvider, list[float]]:
    waits: list[float] = []
    settings = {
        "base_url": fake.base_url,
        "timeout": 5,
        "max_retries": 3,
        "backoff_s": 0.5,
        "sleep": waits.append,
        **options,
    }
    return GroqProvider(con, KEY, **settings), waits


def prompt(week: str = "2026-W46"):
    return build_prompt("weekly_summary", {"week": week, "messages": []})


def test_a_rate_limit_is_retried_after_the_time_the_server_asks(warehouse, fake):
    # GIVEN a 429 with Retry-After: 2, then a normal answer
    fake.script(Reply.error(429, retry_after="2", message="Rate limit reached"))
    groq, waits = provider(warehouse, fake)
    # WHEN one prompt is asked
    completion = groq.complete(prompt())
    # THEN the provider waited exactly 2 s, asked again and got the answer
    assert waits == [2.0]
    assert len(fake.requests) == 2
    assert (completion.text, completion.model) == ("Fake summary.", "fake-llama")


def test_groq_retry_after_ms_is_preferred(warehouse, fake):
    # GIVEN a 429 carrying Groq's millisecond header as well
    fake.script(
        Reply(
            429, {"error": {"message": "slow down"}}, {"retry-after-ms": "250", "Retry-After": "1"}
        )
    )
    groq, waits = provider(warehouse, fake)
    groq.complete(prompt())
    # THEN the precise value is used
    assert waits == [0.25]


def test_server_errors_are_retried_with_exponential_backoff(warehouse, fake):
    # GIVEN two server errors, then a normal answer
    fake.script(Reply.error(500), Reply.error(503))
    groq, waits = provider(warehouse, fake, backoff_s=0.5)
    # WHEN one prompt is asked
    completion = groq.complete(prompt())
    # THEN the waits doubled and the third request succeeded
    assert waits == [0.5, 1.0]
    assert len(fake.requests) == 3 and completion.text == "Fake summary."


def test_retries_run_out_with_one_clear_line(warehouse, fake):
    # GIVEN a server that keeps failing
    fake.script(*[Reply.error(502, message="Bad gateway")] * 5)
    groq, waits = provider(warehouse, fake, max_retries=2)
    # WHEN asked
    with pytest.raises(LLMError) as caught:
        groq.complete(prompt())
    # THEN the error names the status, the prompt and the attempts, after 3 requests
    assert str(caught.value) == (
        "Groq answered HTTP 502 for the weekly_summary prompt (3 attempts): Bad gateway"
    )
    assert len(fake.requests) == 3 and waits == [0.5, 1.0]
    # AND nothing was cached
    assert warehouse.execute("select count(*) from ml.llm_cache").fetchone()[0] == 0


def test_an_unreachable_server_is_retried_then_named(warehouse):
    # GIVEN a base URL where nothing listens (a port just closed)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    waits: list[float] = []
    groq = GroqProvider(
        warehouse,
        KEY,
        base_url=f"http://127.0.0.1:{port}",
        max_retries=1,
        backoff_s=0.1,
        sleep=waits.append,
    )
    # WHEN asked
    with pytest.raises(LLMError) as caught:
        groq.complete(prompt())
    # THEN the connection was retried once, then reported in one line
    assert waits == [0.1]
    assert str(caught.value) == (
        "Groq could not be reached for the weekly_summary prompt (2 attempts)"
    )


def test_a_wait_longer_than_allowed_fails_at_once(warehouse, fake):
    # GIVEN a 429 asking to come back in an hour (a daily quota)
    fake.script(Reply.error(429, retry_after="3600", message="Daily token limit"))
    groq, waits = provider(warehouse, fake)
    # THEN the provider does not sleep through it
    with pytest.raises(LLMError, match="asks to wait 3600 s"):
        groq.complete(prompt())
    assert waits == [] and len(fake.requests) == 1


def test_client_errors_are_not_retried_and_say_what_to_check(warehouse, fake):
    fake.script(Reply.error(401, message="Invalid API Key"))
    groq, waits = provider(warehouse, fake)
    with pytest.raises(LLMError) as caught:
        groq.complete(prompt())
    assert str(caught.value) == (
        "Groq answered HTTP 401 for the weekly_summary prompt (check GROQ_API_KEY): Invalid API Key"
    )
    assert waits == [] and len(fake.requests) == 1


def test_a_slow_answer_times_out_with_a_clear_error(warehouse, fake):
    # GIVEN a model that takes 3 s and a provider that waits 0.3 s
    fake.script(Reply.slow(3))
    groq, _ = provider(warehouse, fake, timeout=0.3)
    # WHEN asked
    with pytest.raises(LLMError) as caught:
        groq.complete(prompt())
    # THEN it gives up at the timeout (had it waited, the 3 s answer would have succeeded), with
    # no retry and one line naming the setting (no wall-clock assertion: speed is for bench/)
    assert str(caught.value) == (
        "Groq did not answer the weekly_summary prompt within 0.3 s "
        "(raise GROQ_TIMEOUT_S or try again later)"
    )
    assert caught.value.__cause__ is None and len(fake.requests) == 1


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (Reply.not_json(), "the body is not JSON"),
        (Reply.no_choices(), "it has no choices"),
        (Reply(200, {"id": "x", "choices": [{"index": 0}]}), "the first choice has no message"),
        (Reply(200, [1, 2, 3]), "the body is not a chat completion"),
    ],
)
def test_a_malformed_answer_is_one_clear_error(warehouse, fake, reply, why):
    fake.script(reply)
    groq, _ = provider(warehouse, fake)
    with pytest.raises(LLMError) as caught:
        groq.complete(prompt())
    message = str(caught.value)
    assert message.startswith("Groq sent a malformed answer for the weekly_summary prompt: ")
    assert why in message and "\n" not in message


def test_past_the_token_budget_the_offline_engine_writes_the_rest(warehouse, fake, caplog):
    # GIVEN answers of 120 tokens and a budget of 200 tokens for the run
    groq, _ = provider(warehouse, fake, token_budget=200)
    data = gather_weekly_facts(warehouse, "2026-W46").as_data()
    prompts = [build_prompt("weekly_summary", {**data, "week": f"2026-W4{i}"}) for i in range(4)]
    # WHEN four different prompts are asked
    with caplog.at_level(logging.WARNING, logger="ml.llm.groq"):
        answers = [groq.complete(p) for p in prompts]
    # THEN two went to Groq (120, then 240 >= 200), the other two to the offline engine
    assert [a.model for a in answers] == ["fake-llama", "fake-llama", OFFLINE_MODEL, OFFLINE_MODEL]
    assert len(fake.requests) == 2 and groq.tokens_used == 240 and groq.budget_exhausted
    assert answers[2].text.startswith("In 2026-W42, 3 contributors were active")
    # AND the switch is logged once, naming the setting
    budget_lines = [r for r in caplog.records if "token budget" in r.getMessage()]
    assert len(budget_lines) == 1 and "GROQ_TOKEN_BUDGET" in budget_lines[0].getMessage()
    # AND an answer already cached is still served from the cache (it costs nothing)
    again = groq.complete(prompts[0])
    assert again.cached and again.model == "fake-llama" and len(fake.requests) == 2


def test_a_cache_hit_makes_no_request(warehouse, fake):
    groq, _ = provider(warehouse, fake)
    groq.complete(prompt())
    second, _ = provider(warehouse, fake)
    completion = second.complete(prompt())
    assert completion.cached and len(fake.requests) == 1 and second.tokens_used == 0


def test_the_api_key_never_reaches_logs_errors_or_the_warehouse(warehouse, fake, caplog):
    # GIVEN a run with a retried 429, an answer that echoes the key and a 401 that quotes it
    fake.script(
        Reply.error(429, retry_after="1"),
        Reply(content=f"Sure! The key is {KEY}."),
        Reply.error(401, message=f"Invalid API Key {KEY}"),
    )
    groq, _ = provider(warehouse, fake)
    with caplog.at_level(logging.DEBUG):
        answer = groq.complete(prompt("2026-W46"))
        with pytest.raises(LLMError) as caught:
            groq.complete(prompt("2026-W47"))
    # THEN the key was sent to the server, as it must be ...
    assert fake.requests[0]["auth"] == f"Bearer {KEY}"
    # ... but appears in no log record, no error text, no repr and no warehouse row
    assert caplog.records and KEY not in caplog.text
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert "[redacted]" in str(caught.value)
    assert KEY not in repr(groq) and KEY not in answer.text
    for (table,) in warehouse.execute(
        "select table_name from information_schema.tables where table_schema = 'ml'"
    ).fetchall():
        dump = str(warehouse.execute(f"select * from ml.{table}").fetchall())
        assert KEY not in dump, table
    # AND the key is not part of any prompt the model saw
    assert all(KEY not in str(r["body"]) for r in fake.requests)
