"""The GitHub bot's plan from the warehouse alone (pure: no PyGithub, no server)."""

from __future__ import annotations

from bots.github.plan import parse_thread, plan
from codeconvene.warehouse import reader


def test_plan_welcomes_first_github_items_and_triages_new_issues(github_settings):
    with reader(github_settings.warehouse_path) as con:
        actions = plan(con)
    assert [(a.kind, a.number) for a in actions] == [
        ("welcome", 12), ("welcome", 14), ("welcome", 13),
        ("labels", 12), ("duplicate", 12), ("labels", 14), ("labels", 15),
    ]
    gus = actions[0].body
    assert gus.startswith("Welcome to acme/widgets, Gus! Thank you for your first issue")
    assert "https://github.com/acme/widgets/issues/5" in gus  # the good first issue suggested
    assert gus.endswith("<!-- codeconvene:welcome -->")
    assert "review your pull request" in actions[2].body
    assert "duplicate of acme/widgets#3 (title similarity 0.91)" in actions[4].body


def test_parse_thread_accepts_only_github_item_ids():
    assert parse_thread("github:acme/widgets#12") == ("acme/widgets", 12)
    assert parse_thread("slack:C1:123.4") is None
    assert parse_thread(None) is None


def test_a_stored_welcome_for_the_same_first_item_is_reused(github_settings):
    # GIVEN ml.welcomes holds Gus's message for his first item, and Ivy's for her Slack hello
    import duckdb

    from ml.content_store import WELCOMES

    con = duckdb.connect(str(github_settings.warehouse_path))
    con.execute(WELCOMES)
    con.executemany(
        "insert into ml.welcomes values (?, ?, '2026-W48', ?, ?, '[]', 'groq', 'h', '2026-11-24')",
        [("p8", "github", "g1", "Hi Gus, a model wrote this."), ("p10", "slack", "s1", "Hi Ivy (Slack).")],
    )
    con.close()
    with reader(github_settings.warehouse_path) as con:
        bodies = {a.number: a.body for a in plan(con) if a.kind == "welcome"}
    # THEN Gus's comment is the stored one; Ivy's (written for another platform) is the template
    assert bodies[12].startswith("Hi Gus, a model wrote this.\n\n**Next steps**")
    assert bodies[14].startswith("Welcome to acme/widgets, Ivy!")
