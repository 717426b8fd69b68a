"""Issue type and priority by keyword rules, and labels from the repository's own set.

Transparent on purpose: every rule is a regular expression with a weight in the tables below,
a match in the title counts twice (titles are written to say what the issue is), and the
highest total wins; `Classification.reasons` names the rules that fired, so a maintainer can
see why an issue was called a bug. No rule firing means "question" when the title asks
something, else "bug" (what most untitled-by-template reports are).

Priority: "high" for security, data loss or blockers of any type, and for bugs that crash or
regress; other bugs "medium"; features, docs and questions "low"; one level up when at least
`ME_TOO_BUMP` other people said "me too" on the issue.

Labels are only ever suggested from the labels the repository already uses, matched by
common spellings ("bug", "type: bug", "kind/bug"; "enhancement" or "feature"; ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

TYPES = ("bug", "feature", "docs", "question")
PRIORITIES = ("low", "medium", "high")
TITLE_WEIGHT = 2
ME_TOO_BUMP = 2

TYPE_RULES: dict[str, tuple[tuple[str, int], ...]] = {
    "bug": (
        (r"\bbug\b", 3),
        (r"describe the bug|steps to reproduce|to reproduce|expected behaviou?r", 3),
        (r"\bcrash(es|ed|ing)?\b|\bpanic", 2),
        (r"\b(error|exception|traceback|stack ?trace)\b", 2),
        (r"\b(fail(s|ed|ing|ure)?|broken|regression)\b", 2),
        (r"\bhang(s|ing)?\b|\bfreez(e|es|ing)\b|\btimes? out\b|\btimeout\b", 2),
        (r"\b(does ?n[o']t|did ?n[o']t|not) (work|being|get|load|show|appl|sav|respect)", 2),
        (r"\bknown (problem|issue|bug)\b", 2),
        (r"\b(wrong|incorrect|missing|duplicat(e|ed)|leak(s|ing)?)\b", 1),
        (r"\b(ignor(es|ed|ing)|drops?|memory)\b", 1),
    ),
    "feature": (
        (r"feature request|\bfeat\b", 4),
        (r"would be (great|nice|useful)|it would be|is there any plan", 2),
        (r"\b(enhancement|proposal|suggestion)\b", 2),
        (r"\bshould (allow|support|let)\b|\badd support\b", 2),
        (r"^(support|allow|add)\b", 1),
    ),
    "docs": (
        (r"\bdocs?\b|\bdocumentation\b|\breadme\b", 3),
        (r"^document\b", 3),
        (r"\b(typo|tutorial|explain)\b", 1),
    ),
    "question": (
        (r"\bquestion\b", 3),
        (r"\bhow (do|can|to|should)\b|\bis it possible\b", 2),
        (r"^(how|what|why|where|when|can|could|is|are|does|do)\b", 2),
        (r"\bany pointers\b|\bcan i\b", 1),
    ),
}
HIGH_ANY = r"\bsecurity\b|vulnerab|\bcve-\d|data loss|lost (data|messages)|corrupt|\bblock(s|er|ing)\b|\burgent\b|\bcritical\b|\boutage\b|\bproduction\b"
HIGH_BUG = r"\bcrash|\bregression\b|since the (last )?upgrade|after upgrading"

TYPE_LABELS = {
    "bug": ("bug", "defect", "bug report"),
    "feature": ("enhancement", "feature", "feature request", "improvement"),
    "docs": ("documentation", "docs", "doc"),
    "question": ("question", "support"),
}
PRIORITY_LABELS = {
    "high": ("priority: high", "high priority", "priority high", "p1", "p0", "critical"),
    "medium": ("priority: medium", "medium priority", "priority medium", "p2"),
    "low": ("priority: low", "low priority", "priority low", "p3"),
}
_LABEL_PREFIX = re.compile(r"^(type|kind|t|area)\s*[:/\-]\s*")


@dataclass(frozen=True)
class Classification:
    type: str
    priority: str
    reasons: tuple[str, ...] = field(default=())


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE | re.MULTILINE) is not None


def classify_type(title: str, body: str = "") -> tuple[str, tuple[str, ...]]:
    scores = dict.fromkeys(TYPES, 0)
    reasons = []
    for kind, rules in TYPE_RULES.items():
        for pattern, weight in rules:
            in_title, in_body = _matches(pattern, title), _matches(pattern, body)
            if in_title or in_body:
                scores[kind] += weight * (TITLE_WEIGHT if in_title else 1)
                reasons.append(f"{kind}:{pattern}")
    best = max(TYPES, key=lambda k: (scores[k], -TYPES.index(k)))
    if scores[best] == 0:
        return ("question" if "?" in title else "bug"), ()
    return best, tuple(r for r in reasons if r.startswith(best + ":"))


def classify_priority(kind: str, title: str, body: str = "", me_too: int = 0) -> str:
    text = f"{title}\n{body}"
    if _matches(HIGH_ANY, text) or (kind == "bug" and _matches(HIGH_BUG, text)):
        level = 2
    else:
        level = 1 if kind == "bug" else 0
    if me_too >= ME_TOO_BUMP:
        level = min(level + 1, 2)
    return PRIORITIES[level]


def classify_issue(title: str, body: str = "", me_too: int = 0) -> Classification:
    kind, reasons = classify_type(title, body)
    return Classification(kind, classify_priority(kind, title, body, me_too), reasons)


def normalize_label(label: str) -> str:
    return _LABEL_PREFIX.sub("", label.strip().lower())


def suggest_labels(classification: Classification, repo_labels: Iterable[str]) -> list[str]:
    """The repository's labels for this type and priority (none invented)."""
    wanted_type = set(TYPE_LABELS[classification.type])
    wanted_priority = set(PRIORITY_LABELS[classification.priority])
    chosen = {label for label in repo_labels
              if normalize_label(label) in wanted_type or label.strip().lower() in wanted_priority}
    return sorted(chosen)
