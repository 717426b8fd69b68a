"""The pure Discord formatting: limits, links, mentions, and no discord.py import."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bots.discord import format as fmt

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Passage:
    title: str
    url: str


@dataclass(frozen=True)
class FakeAnswer:  # the fields of bots.answer.Answer the embed reads
    text: str
    sources: tuple = ()
    sql: str | None = None
    params: tuple = ()
    uncertain: bool = False


def test_answer_embed_links_sources_and_fits_discord_limits():
    answer = FakeAnswer(
        text="x" * 5000,
        sources=(Passage("Install guide", "https://example.org/install"), "marts.fct_activities",
                 Passage("bad", "javascript:alert(1)")),
        sql="select count(*)\n  from marts.fct_activities where occurred_at >= ?" + " and true" * 200,
        params=("2026-10-01", "2026-11-01"),
    )
    embed = fmt.answer_embed("how many? @everyone " + "q" * 300, answer)
    assert len(embed["title"]) == fmt.TITLE_MAX and "@everyone" not in embed["title"]
    assert len(embed["description"]) == fmt.DESCRIPTION_MAX and embed["description"].endswith("…")
    sources, sql = embed["fields"]
    assert sources["value"].splitlines() == [
        "• [Install guide](https://example.org/install)", "• `marts.fct_activities`", "• `bad`"]
    assert len(sql["value"]) <= fmt.FIELD_MAX and sql["value"].startswith("```sql\nselect count(*) from")
    assert embed["footer"]["text"] == "SQL parameters: 2026-10-01, 2026-11-01"
    assert embed["color"] == fmt.GREEN


def test_uncertain_answer_is_amber_and_says_so():
    embed = fmt.answer_embed("why?", FakeAnswer("I don't know.", uncertain=True))
    assert embed["color"] == fmt.AMBER and "I don't know" in embed["footer"]["text"]
    assert embed["fields"] == []


def test_thread_name_is_one_short_line():
    assert fmt.thread_name("  how\nmany\tpeople?  ") == "how many people?"
    assert len(fmt.thread_name("a" * 300)) == fmt.THREAD_NAME_MAX
    assert fmt.thread_name("   ") == "Question"


def test_welcome_text_defuses_mass_mentions_in_the_guild_name():
    text = fmt.welcome_text("<@42>", "@everyone's club")
    assert text.startswith("Welcome to @\u200beveryone's club, <@42>!")


def test_pure_discord_modules_import_no_framework():
    code = ("import sys, bots.discord.format, bots.discord.commands, bots.github.plan\n"
            "print(','.join(m for m in ('discord', 'github', 'dagster', 'streamlit', 'slack_sdk') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
