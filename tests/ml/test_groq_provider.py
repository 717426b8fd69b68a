"""The Groq provider: the real SDK against a loopback fake, answers cached by prompt hash."""

from __future__ import annotations

import pytest

from codeconvene.settings import Settings
from ml.llm import OfflineProvider, build_prompt, select_provider
from ml.llm.groq_provider import GroqProvider
from ml.summaries import write_weekly_summary

CHAT_PATH = "/openai/v1/chat/completions"


@pytest.fixture
def fake(fake_groq):
    return fake_groq


def _provider(warehouse, fake) -> GroqProvider:
    return GroqProvider(
        warehouse, "test-key", model="llama-test", base_url=fake.base_url, timeout=5, max_retries=0
    )


def test_returns_the_models_answer_through_the_sdk(warehouse, fake):
    # GIVEN the provider pointed at the fake chat-completions server
    provider = _provider(warehouse, fake)
    prompt = build_prompt("weekly_summary", {"week": "2026-W46", "messages": []})
    # WHEN asked once
    completion = provider.complete(prompt)
    # THEN the fake's content comes back, fresh, under the model the server reported
    assert (completion.text, completion.model, completion.cached) == (
        "Fake summary: 3 people were active.",
        "fake-llama",
        False,
    )
    # AND the SDK sent the key, the model and the system + user messages to the right path
    [request] = fake.requests
    assert request["path"] == CHAT_PATH
    assert request["auth"] == "Bearer test-key"
    assert request["body"]["model"] == "llama-test"
    assert [m["role"] for m in request["body"]["messages"]] == ["system", "user"]
    assert request["body"]["messages"][1]["content"] == prompt.user


def test_second_identical_prompt_is_served_from_the_cache(warehouse, fake):
    # GIVEN one answered prompt
    provider = _provider(warehouse, fake)
    prompt = build_prompt("weekly_summary", {"week": "2026-W46", "messages": []})
    provider.complete(prompt)
    # WHEN the identical prompt is asked again, even by a new provider object
    again = _provider(warehouse, fake).complete(prompt)
    # THEN it comes from ml.llm_cache and the server saw a single request
    assert again.cached is True
    assert again.text == "Fake summary: 3 people were active."
    assert len(fake.requests) == 1
    assert warehouse.execute("select count(*), min(model) from ml.llm_cache").fetchone() == (
        1,
        "fake-llama",
    )
    # AND a different prompt misses the cache
    provider.complete(build_prompt("weekly_summary", {"week": "2026-W47", "messages": []}))
    assert len(fake.requests) == 2


def test_weekly_summary_through_groq_stores_the_answer_and_model(warehouse, fake):
    # GIVEN the hand-made week and the Groq provider
    # WHEN the weekly summary is written
    row = write_weekly_summary(warehouse, _provider(warehouse, fake), "2026-W46")
    # THEN the model's text and name are stored for the week
    assert warehouse.execute(
        "select text, model from ml.summaries where period = '2026-W46' and kind = 'weekly'"
    ).fetchone() == ("Fake summary: 3 people were active.", "fake-llama")
    assert row["cached"] is False


def test_select_provider_uses_groq_only_with_a_key(tmp_path, warehouse, fake):
    # GIVEN settings without and with GROQ_API_KEY
    without = Settings(home=tmp_path, env={})
    with_key = Settings(
        home=tmp_path,
        env={"GROQ_API_KEY": "k", "GROQ_BASE_URL": fake.base_url, "GROQ_MODEL": "llama-custom"},
    )
    # WHEN a provider is selected
    # THEN the offline engine is used without a key, Groq (with the set model) with one
    assert isinstance(select_provider(without, warehouse), OfflineProvider)
    chosen = select_provider(with_key, warehouse)
    assert isinstance(chosen, GroqProvider) and chosen.model == "llama-custom"
    chosen.complete(build_prompt("weekly_summary", {"week": "2026-W46"}))
    assert fake.requests[0]["body"]["model"] == "llama-custom"


def test_select_provider_reads_timeout_retries_and_budget(tmp_path, warehouse, fake):
    # GIVEN the optional knobs set in the environment
    settings = Settings(
        home=tmp_path,
        env={
            "GROQ_API_KEY": "k",
            "GROQ_BASE_URL": fake.base_url,
            "GROQ_TIMEOUT_S": "2.5",
            "GROQ_MAX_RETRIES": "1",
            "GROQ_TOKEN_BUDGET": "500",
        },
    )
    # WHEN a provider is selected
    chosen = select_provider(settings, warehouse)
    # THEN it carries them
    assert (chosen.timeout, chosen.token_budget, chosen._policy.max_retries) == (2.5, 500, 1)


@pytest.mark.parametrize(
    ("name", "value"),
    [("GROQ_TOKEN_BUDGET", "lots"), ("GROQ_TIMEOUT_S", "-1"), ("GROQ_MAX_RETRIES", "2.5")],
)
def test_a_malformed_knob_is_one_clear_error(tmp_path, warehouse, name, value):
    settings = Settings(home=tmp_path, env={"GROQ_API_KEY": "k", name: value})
    with pytest.raises(ValueError, match=f"^{name} must be"):
        select_provider(settings, warehouse)
