"""Issue type and priority from the LLM provider, when `triage: {classifier: llm}` is set.

The keyword rules (`ml.knowledge_classify`) are the default because they are free, instant
and explainable; a hosted model reads context the rules miss. The model must answer JSON with
allowed values; anything else falls back to the rules, so a bad answer never lands in
`ml.issue_triage`. The offline engine answers this prompt with the rules themselves.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ml.knowledge_classify import PRIORITIES, TYPES, Classification, classify_issue
from ml.llm.offline import register_template
from ml.llm.provider import LLMError, LLMProvider, build_prompt

PROMPT_NAME = "issue_triage"
RULES_MODEL = "rules-v1"
MAX_BODY_CHARS = 2000
_OBJECT = re.compile(r"\{.*?\}", re.DOTALL)


def offline_issue_triage(data: dict[str, Any]) -> str:
    found = classify_issue(data.get("title", ""), data.get("body", ""), data.get("me_too", 0))
    return json.dumps({"type": found.type, "priority": found.priority})


register_template(PROMPT_NAME, offline_issue_triage)


def parse_answer(text: str) -> tuple[str, str] | None:
    """(type, priority) from the model's JSON answer; None unless both values are allowed."""
    match = _OBJECT.search(text or "")
    try:
        answer = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        return None
    if not isinstance(answer, dict):
        return None
    kind, priority = str(answer.get("type", "")).lower(), str(answer.get("priority", "")).lower()
    return (kind, priority) if kind in TYPES and priority in PRIORITIES else None


def llm_classification(provider: LLMProvider, title: str, body: str,
                       me_too: int = 0) -> tuple[Classification, str]:
    """(classification, model that made it); the rules when the model fails or strays."""
    rules = classify_issue(title, body, me_too)
    prompt = build_prompt(PROMPT_NAME, {"title": title, "body": body[:MAX_BODY_CHARS],
                                        "me_too": me_too, "types": list(TYPES),
                                        "priorities": list(PRIORITIES)})
    try:
        completion = provider.complete(prompt)
    except LLMError:
        return rules, RULES_MODEL
    parsed = parse_answer(completion.text)
    if parsed is None:
        return rules, RULES_MODEL
    return Classification(parsed[0], parsed[1], ("llm",)), completion.model
