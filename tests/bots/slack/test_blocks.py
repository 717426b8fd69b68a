"""Block Kit rendering: answers and notices, escaped, with only trusted URLs as links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bots.answer.engine import Answer
from bots.poster import Notice
from bots.slack.blocks import answer_blocks, notice_blocks, source_label


@dataclass
class Source:  # the shape of a knowledge answer's cited passage
    id: str
    title: str
    url: str | None


def test_an_answer_renders_text_sources_and_sql_with_parameters():
    answer = Answer(
        text="3 people <@here> & co",
        kind="metric",
        value=3,
        sql="select count(*)\n  from marts.fct_activities where x >= ?",
        params=(date(2026, 10, 1), date(2026, 11, 1)),
        sources=("marts.fct_activities", Source("d1", "Testing guide", "https://example.org/t")),
    )
    text, sources, sql = answer_blocks(answer)
    assert text["text"]["text"] == "3 people &lt;@here&gt; &amp; co"  # no mass mention
    assert sources["elements"][0]["text"] == (
        "*Sources:* `marts.fct_activities` · <https://example.org/t|Testing guide>"
    )
    assert sql["elements"][0]["text"] == (
        "*SQL:* `select count(*) from marts.fct_activities where x &gt;= ?`"
        "  *parameters:* 2026-10-01, 2026-11-01"
    )


def test_only_http_urls_become_links_and_labels_cannot_break_out():
    assert source_label("javascript:alert(1)") == "`javascript:alert(1)`"
    assert source_label(("a|b>c", "https://x.org/p")) == "<https://x.org/p|a/b&gt;c>"
    assert source_label(Source("m1", "A message", None)) == "`A message`"
    assert source_label({"url": "https://x.org/q", "title": "Q"}) == "<https://x.org/q|Q>"


def test_an_uncertain_answer_without_sources_is_one_section():
    blocks = answer_blocks(Answer(text="I don't know.", kind="unknown", uncertain=True))
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": "I don't know."}}]


def test_long_text_is_clipped_to_slacks_limit():
    [block] = answer_blocks(Answer(text="x" * 5000, kind="knowledge"))
    assert len(block["text"]["text"]) == 3000


def test_a_notice_has_title_links_and_footnote():
    notice = Notice("Unanswered", "Asked <b>", (("Open", "https://x.org/1"),), "mart, q1")
    title, links, foot = notice_blocks(notice)
    assert title["text"]["text"] == "*Unanswered*\nAsked &lt;b&gt;"
    assert links["elements"][0]["text"] == "<https://x.org/1|Open>"
    assert foot["elements"][0]["text"] == "mart, q1"
    assert notice.plain == "Unanswered\nAsked <b>\nOpen: https://x.org/1\nmart, q1"


def test_cited_sources_are_numbered_like_the_citations():
    answer = Answer(
        text="Run make test [1], see also [2].",
        kind="knowledge",
        sources=(Source("f1", "FAQ: tests", "https://x.org/f1"), Source("d2", "Guide", None)),
    )
    _, sources = answer_blocks(answer)
    assert sources["elements"][0]["text"] == (
        "*Sources:* [1] <https://x.org/f1|FAQ: tests> · [2] `Guide`"
    )
