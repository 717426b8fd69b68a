"""GitHub text from templates: issue topics with two phrasings each, PRs, commits, reviews.

Duplicate detection needs true duplicates and near misses. An issue topic is a combination
(kind, component, problem, context); every topic is used by at most one original issue, and a
planted duplicate reuses its topic with the *other* phrasing (different words, same meaning).
Issues sharing only a component or a problem are the hard negatives.
"""

from __future__ import annotations

import random

COMPONENTS = (
    "Slack importer", "GitHub connector", "dashboard", "CLI", "dbt build", "weekly report",
    "sentiment scoring", "Discord bot", "FAQ builder", "DuckDB warehouse", "retention chart",
    "identity merge", "webhook receiver", "Discourse sync", "search index",
)
SYMPTOMS = (
    ("crashes", "a crash"), ("hangs forever", "an endless hang"), ("shows wrong totals", "incorrect totals"),
    ("silently drops messages", "missing messages"), ("times out", "a timeout error"),
    ("uses far too much memory", "very high memory usage"),
    ("ignores the config file", "settings from the config file not being applied"),
    ("writes duplicate rows", "duplicated rows"),
)
CONTEXTS = (
    ("on large exports", "with a big export"), ("after upgrading to the latest release", "since the last upgrade"),
    ("when user names contain emoji", "with emoji in display names"), ("on Windows", "on a Windows laptop"),
    ("behind a corporate proxy", "when running behind a proxy"),
)
FEATURES = (
    ("export to CSV", "exporting results as CSV files"), ("filtering by date range", "date range filters"),
    ("a dark mode", "a dark theme"), ("custom bot names", "renaming the bot"),
    ("several repositories", "tracking more than one repo at once"), ("Mattermost", "Mattermost workspaces"),
    ("per-channel settings", "configuring each channel separately"),
    ("timezone overrides", "overriding people's timezones"),
)
DOC_GAPS = (
    ("how to configure the {c}", "the {c} configuration options"), ("how to upgrade the {c}", "upgrade steps for the {c}"),
    ("the permissions the {c} needs", "which permissions the {c} requires"),
    ("how to debug the {c}", "troubleshooting the {c}"), ("how to run the {c} in Docker", "running the {c} in a container"),
)
QUESTIONS = (
    ("run the {c} on a schedule", "schedule the {c} to run daily"),
    ("use the {c} with a private repository", "point the {c} at a private repo"),
    ("reset the state of the {c}", "start the {c} from scratch"),
    ("limit the {c} to one channel", "restrict the {c} to a single channel"),
    ("run the {c} offline", "use the {c} without internet access"),
    ("speed up the {c}", "make the {c} faster"),
)
KIND_LABEL = {"bug": "bug", "enhancement": "enhancement", "docs": "documentation", "question": "question"}
FRUSTRATED = " Honestly this is frustrating and broken, it blocks our rollout."


def topic_space(kind: str) -> list[tuple[int, ...]]:
    comps = range(len(COMPONENTS))
    if kind == "bug":
        return [(c, s, x) for c in comps for s in range(len(SYMPTOMS)) for x in range(len(CONTEXTS))]
    table = {"enhancement": FEATURES, "docs": DOC_GAPS, "question": QUESTIONS}[kind]
    return [(c, i) for c in comps for i in range(len(table))]


def issue_text(kind: str, topic: tuple[int, ...], phrasing: int, version: str, rng: random.Random) -> tuple[str, str]:
    """(title, body) of an issue about `topic` in phrasing 0 or 1."""
    c = COMPONENTS[topic[0]]
    if kind == "bug":
        symptom, context = SYMPTOMS[topic[1]][phrasing], CONTEXTS[topic[2]][phrasing]
        if phrasing == 0:
            title = f"{c[0].upper()}{c[1:]} {symptom} {context}"
            body = (f"**Describe the bug**\nThe {c} {symptom} {context}.\n\n**To reproduce**\n1. Run `codeconvene "
                    f"build`\n2. Wait for the {c} step\n\n**Expected behaviour**\nIt finishes without errors.\n\n"
                    f"**Version**: {version}")
        else:
            title = f"{symptom[0].upper()}{symptom[1:]} in the {c} {context}"
            body = f"Hi! I'm seeing {symptom} in the {c} {context}. I'm on {version}. Is this a known problem?"
        return title, body + (FRUSTRATED if rng.random() < 0.2 else "")
    if kind == "enhancement":
        feature = FEATURES[topic[1]][phrasing]
        if phrasing == 0:
            return (f"Support {feature} in the {c}",
                    f"It would be great if the {c} supported {feature}. Our community team would use it every week.")
        return (f"Feature request: the {c} should allow {feature}",
                f"Is there any plan for {feature} in the {c}? We would use it for our monthly community review.")
    if kind == "docs":
        gap = DOC_GAPS[topic[1]][phrasing].format(c=c)
        if phrasing == 0:
            return f"Document {gap}", f"The docs don't say {gap}. I had to read the source code to find out."
        return f"Docs: explain {gap}", f"I couldn't find anything about {gap} in the docs. Could we add a section?"
    task = QUESTIONS[topic[1]][phrasing].format(c=c)
    if phrasing == 0:
        return f"How to {task}?", f"I'm trying to {task} but can't find how. Any pointers?"
    return f"Question: is it possible to {task}?", f"Sorry if this is obvious: can I {task}? Thanks!"


ISSUE_REPLIES = {
    "bug": ("Thanks for the report! I can reproduce this on main, looking into it.",
            "Thanks! Could you share the full log and your codeconvene.yaml?",
            "Confirmed, this is a regression from the last release. Fix coming."),
    "enhancement": ("Good idea, happy to review a PR for this.", "Makes sense. Marking it for the next milestone."),
    "docs": ("Agreed, the docs are thin here. A PR would be very welcome.",),
    "question": ("You can do that with `codeconvene build --select`; see the docs on configuration.",
                 "Yes: set it in codeconvene.yaml and rerun the build."),
}
AUTHOR_FOLLOWUPS_OK = ("Thanks, that fixed it!", "That worked perfectly, thank you so much!", "Great, thanks for the quick help!")
AUTHOR_FOLLOWUPS_BAD = ("Still broken for me after the update, this is frustrating.", "Tried that, same error. Annoying.")
ME_TOO = ("Same here, seeing this too.", "+1, we hit this as well.", "Also affected on our side.")
CLOSING = ("Fixed on main, closing. Thanks!", "Closing as resolved, feel free to reopen.", "Done in the latest release.")
STALE = ("This issue has been automatically marked as stale because it has not had recent activity. "
         "It will be closed if no further activity occurs.")

PR_PREFIXES = ("fix", "feat", "docs", "chore", "refactor", "test")
PR_CHANGES = (
    "handle empty exports", "retry on rate limits", "speed up the incremental load", "add missing type hints",
    "clarify the setup guide", "validate config values early", "support emoji in names", "log skipped records",
    "fix off-by-one in week labels", "cache API responses", "add a progress bar", "tidy error messages",
    "pin the dbt version", "close files after reading", "add unit tests for parsing", "improve chart colors",
)
COMMIT_MESSAGES = ("Fix typo", "Address review comments", "Add tests", "Update docs", "Refactor helper",
                   "Bump version", "Fix lint", "Small cleanup", "Handle edge case", "Improve logging")
REVIEW_BODIES = {
    "approved": ("LGTM, thanks!", "Looks great, thank you!", "Nice work, approving."),
    "changes_requested": ("Thanks! Could you add a test for the empty case?", "Almost there, please rebase on main."),
    "commented": ("Left a couple of notes.", "A few questions inline."),
}
REVIEW_COMMENTS = ("nit: can we rename this to something clearer?", "This branch needs a test.",
                   "Should this handle `None`?", "Could this reuse the existing helper?")
PR_AUTHOR_REPLIES = ("Thanks, updated!", "Good catch, fixed.", "Done, PTAL.")
CI_COMMENTS = ("All checks passed. Coverage: {n}%", "CI passed on all platforms. Coverage: {n}%")
PACKAGES = ("duckdb", "polars", "dbt-core", "streamlit", "plotly", "requests", "pyyaml", "typer", "ruff", "pytest")


def pr_text(rng: random.Random, component: str) -> tuple[str, str, str]:
    """(title, body, branch) for a contributor's pull request."""
    prefix, change = rng.choice(PR_PREFIXES), rng.choice(PR_CHANGES)
    area = component.lower().replace(" ", "-")
    title = f"{prefix}({area}): {change}"
    body = f"This PR makes the {component} {change.split()[0]} better: {change}.\n\n- [x] Tests added\n- [x] Docs updated"
    branch = f"{prefix}/{area}-{change.split()[0]}-{rng.randint(10, 999)}"
    return title, body, branch


def dependabot_text(package: str, old: str, new: str) -> tuple[str, str, str]:
    title = f"Bump {package} from {old} to {new}"
    body = (f"Bumps [{package}](https://github.com/{package}/{package}) from {old} to {new}.\n\n"
            "Dependabot will resolve any conflicts with this PR as long as you don't alter it yourself.")
    return title, body, f"dependabot/pip/{package}-{new}"


def release_body(titles: list[str]) -> str:
    lines = "\n".join(f"- {t}" for t in titles) or "- Maintenance and dependency updates"
    return f"## What's Changed\n{lines}\n\nThanks to everyone who contributed!"
