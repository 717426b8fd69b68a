"""Chat text from templates: FAQ questions and their variants, one-off questions, answers,
and messages whose sentiment a lexicon scorer (VADER) reads unambiguously.

FAQ topics are the planted "repeated questions": a canonical wording plus near-identical
variants. One-off questions are combinations drawn without replacement, so nothing outside
the FAQ repeats and the ground truth's repeated questions are exactly the planted ones.
"""

from __future__ import annotations

import random

from ingest.simulate.issue_text import COMPONENTS

# (canonical, variants, answer)
FAQ = (
    ("How do I reset my API token?",
     ("How can I reset my API token?", "how do I regenerate my api token", "Is there a way to rotate the API token?"),
     "Go to Settings → Tokens and click Regenerate; the old token stops working right away."),
    ("How do I connect a private GitHub repository?",
     ("Can I connect a private GitHub repo?", "how do i add a private repository", "How to ingest a private GitHub repository?"),
     "Set GITHUB_TOKEN with the repo scope and add the repo under sources in codeconvene.yaml."),
    ("Why is the dashboard empty after the first import?",
     ("Dashboard shows nothing after my first import, why?", "why is my dashboard empty after importing",
      "After the first import the dashboard is blank, what am I missing?"),
     "The marts are built by `codeconvene build`; run it after `ingest` and refresh the page."),
    ("How do I export the weekly report as PDF?",
     ("Can the weekly report be exported to PDF?", "how to get the weekly report as a pdf",
      "Is there a PDF export for the weekly report?"),
     "Run `codeconvene report --week 2026-W10`, then print the HTML to PDF; native PDF is on the roadmap."),
    ("How do I change the timezone used in charts?",
     ("Can I change the timezone of the charts?", "how do i set the chart timezone", "Charts are in UTC, how can I switch timezone?"),
     "Charts are UTC by design; set `display_timezone` in codeconvene.yaml to shift the labels."),
    ("How do I invite the bot to a private channel?",
     ("How can I add the bot to a private channel?", "bot can't see my private channel, how do I invite it",
      "Is it possible to use the bot in private channels?"),
     "Type `/invite @convene` in the private channel; the bot only reads channels it is a member of."),
    ("Where are the logs stored?",
     ("Where can I find the logs?", "where do the log files go", "What folder are the logs written to?"),
     "Under $CODECONVENE_HOME/logs, one file per run."),
    ("How do I upgrade to the latest version?",
     ("What's the upgrade process for a new version?", "how do i update to the newest release",
      "How can I upgrade CodeConvene safely?"),
     "`pip install -U codeconvene`, then `codeconvene build`; the warehouse migrates itself."),
)

ONE_OFF_TASKS = (
    "merge two contributor profiles", "hide bots from the leaderboard", "backfill last year's Slack history",
    "rename a channel without losing history", "exclude a repository from the metrics",
    "see who answered the most questions", "add a custom metric to the health score",
    "share a dashboard with my team", "track Discord threads", "compare two quarters side by side",
    "change the retention cohort size", "label good first issues automatically",
    "tune the duplicate threshold", "count reactions as responses", "use my own LLM key",
    "filter the leaderboard by company",
)
ONE_OFF_QUALIFIERS = ("", " in the dashboard", " from the CLI", " for a single repo", " on a schedule")
ONE_OFF_VERBS = ("restart", "debug", "configure logging for", "speed up", "test changes to", "disable", "monitor")
QUESTION_FORMS = ("How do I {t}?", "Is it possible to {t}?", "Any idea how to {t}?", "What's the best way to {t}?")

ANSWERS = (
    "You can do that from the CLI: `codeconvene {cmd} --help` lists the options.",
    "Good question! Set it in codeconvene.yaml and rerun `codeconvene build`.",
    "There's no built-in way yet; a workaround is to filter it in the SQL view with `codeconvene sql`.",
    "Yes, check the docs page on configuration, there is a section for exactly this.",
)
THANKS = ("Thanks, this is great!", "That worked perfectly, thank you so much!", "Awesome, thanks for the help!",
          "Great, that solved it. Thank you!")
STILL_BROKEN = ("Still failing for me, this is frustrating and broken.", "Tried that, same error again. Really annoying.")
FOLLOWUPS = ("Could you share the full error message?", "Which version are you on?", "Does it happen with a fresh home folder too?")
POSITIVE = (
    "Thanks, this is great!", "Love the new {c}, awesome work everyone!", "Huge thanks to the maintainers, really appreciate the help!",
    "This is amazing, the {c} is so much better now 🎉", "Great release, nice job team!",
    "Really happy with how the {c} turned out, excellent work!",
)
NEGATIVE = (
    "This is frustrating and broken.", "Ugh, the {c} failed again and I wasted hours. Really annoying.",
    "The docs for the {c} are terrible and confusing, I gave up.", "I'm disappointed, the upgrade broke my setup again.",
    "The {c} is painfully slow and keeps crashing, this is awful.",
)
NEUTRAL = (
    "I pushed a draft for the {c} changes, will open a PR tomorrow.", "Heads up: the community call is on Thursday at 16:00 UTC.",
    "Notes from the last community call are in the wiki.", "Working on the {c} docs this week.",
)
CHAT_REPLIES = ("Agreed!", "Same experience here.", "Good point, let's discuss it at the community call.",
                "I'll take a look at the {c} tomorrow.", "+1")
RANDOM = ("Happy Friday everyone!", "Anyone going to a data conference next month?",
          "Just watched a nice talk on community metrics, recommended.", "Coffee or tea while coding?")
STRESSED = ("Sorry for the slow reply, I'm exhausted and swamped this week.",
            "Sorry for the delay, I'm really tired and overwhelmed lately.")
WELCOME = ("Welcome {first}! Glad to have you here.", "Welcome aboard {first}! Shout if you need anything.")


def fill(rng: random.Random, template: str) -> str:
    return template.replace("{c}", rng.choice(COMPONENTS))


def intro(rng: random.Random, first: str, job: str) -> str:
    return rng.choice((
        f"Hi everyone! I'm {first}, {job.lower()} here. Excited to try CodeConvene for our community.",
        f"Hello all, {first} here ({job.lower()}). Glad to join, looking forward to contributing!",
    ))


class QuestionBank:
    """Hands out one-off questions without repeats, and FAQ variants by topic."""

    def __init__(self, rng: random.Random) -> None:
        pairs = [(t, q) for t in ONE_OFF_TASKS for q in ONE_OFF_QUALIFIERS]
        pairs += [(f"{v} the {c}", "") for v in ONE_OFF_VERBS for c in COMPONENTS]
        rng.shuffle(pairs)
        self._one_offs = pairs
        self._rng = rng

    def one_off(self) -> str | None:
        if not self._one_offs:
            return None
        task, qualifier = self._one_offs.pop()
        return self._rng.choice(QUESTION_FORMS).format(t=task + qualifier)

    def faq(self, topic: int) -> str:
        canonical, variants, _ = FAQ[topic]
        return self._rng.choice((canonical, *variants))
