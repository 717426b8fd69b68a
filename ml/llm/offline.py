"""The offline engine: the same outputs as the hosted model, built from facts and quotes.

With no `GROQ_API_KEY` the product still writes every AI output (DESIGN §6). The engine
never reads the rendered prompt text; it reads the prompt's structured `data` (the very
document the hosted model sees inside the fence) and fills a template per prompt name, so
it cannot be steered by anything a community member wrote. Quoted sentences are chosen by
`ml.llm.extractive.rank_sentences`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ml.llm.extractive import rank_sentences
from ml.llm.offline_drafts import blog_post, release_notes, social_post
from ml.llm.offline_welcome import welcome_message
from ml.llm.provider import Completion, LLMError, Prompt
from ml.llm.wording import join_names, plural

__all__ = [
    "MODEL",
    "TEMPLATES",
    "OfflineProvider",
    "join_names",
    "plural",
    "register_template",
    "render_offline",
]

MODEL = "offline-extractive-1"


class OfflineProvider:
    """`LLMProvider` without a network: deterministic, instant, never cached (no need)."""

    model = MODEL

    def complete(self, prompt: Prompt) -> Completion:
        return Completion(text=render_offline(prompt.name, prompt.data), model=MODEL, cached=False)


def render_offline(name: str, data: dict[str, Any]) -> str:
    """The offline text for prompt `name` over `data` (also the draft a hosted model rewrites)."""
    template = TEMPLATES.get(name)
    if template is None:
        raise LLMError(f"the offline engine has no template for the {name!r} prompt")
    return template(data)


def _change(delta: int | None) -> str:
    if delta is None:
        return ""
    if delta == 0:
        return " (the same as the previous week)"
    direction = "up" if delta > 0 else "down"
    return f" ({direction} {abs(delta)} on the previous week)"


def weekly_summary(data: dict[str, Any]) -> str:
    """One paragraph in the shape `prompts/weekly_summary.md` asks the hosted model for."""
    figures = data["figures"]
    active = figures["active"]
    parts = [
        (
            f"In {data['week']}, {plural(active['value'], 'contributor')} "
            f"{'was' if active['value'] == 1 else 'were'} active"
            f"{_change(active['delta'])}: {figures['new']['value']} new, "
            f"{figures['returning']['value']} returning, and "
            f"{figures['inactive']['value']} became inactive."
        )
    ]
    thank = data.get("thank") or []
    if thank:
        names = [f"{p['name']} ({plural(p['contributions'], 'contribution')})" for p in thank[:3]]
        parts.append(f"Thank you to {join_names(names)}.")
    welcome = data.get("welcome") or []
    if welcome:
        parts.append(f"Welcome to {join_names([p['name'] for p in welcome[:5]])}.")
    parts.append(_unanswered_sentence(data))
    busiest = data.get("busiest") or []
    if busiest:
        places = [
            f"{b['container']} on {b['platform']} "
            f"({plural(b['activities'], 'activity', 'activities')})"
            for b in busiest
        ]
        parts.append(f"The busiest places were {join_names(places)}.")
    quotes = rank_sentences((m["id"], m["text"]) for m in data.get("messages") or [])
    if quotes:
        # no closing period: the quoted sentences end with their own punctuation
        parts.append("What people talked about: " + "; ".join(f"“{q.sentence}”" for q in quotes))
    return " ".join(parts)


def _unanswered_sentence(data: dict[str, Any]) -> str:
    count = data.get("unanswered_count", 0)
    if count == 0:
        return "No question asked this week is waiting for a reply."
    places = sorted({q["container"] for q in data.get("unanswered") or [] if q.get("container")})
    where = f" (in {join_names(places)})" if places else ""
    verb = "is" if count == 1 else "are"
    return f"{plural(count, 'question')} asked this week {verb} still waiting for a reply{where}."


TEMPLATES: dict[str, Callable[[dict[str, Any]], str]] = {
    "weekly_summary": weekly_summary,
    "blog_post": blog_post,
    "release_notes": release_notes,
    "social_post": social_post,
    "welcome_message": welcome_message,
}


def register_template(name: str, template: Callable[[dict[str, Any]], str]) -> None:
    """Give the offline engine the template of prompt `name` from the module that owns it.

    Modules outside `ml.llm` (FAQ, triage) register their template when imported, beside the
    code that builds the prompt, instead of editing this registry. A name cannot be taken
    twice by different templates.
    """
    current = TEMPLATES.get(name)
    if current is not None and current is not template:
        raise ValueError(f"the offline engine already has a template for the {name!r} prompt")
    TEMPLATES[name] = template
