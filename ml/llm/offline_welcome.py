"""Offline template for the welcome message to a first-time contributor.

Fixed sentences around the person's name, where they started and the suggested issues:
the newcomer's own text is in the data (the hosted model may use it to sound personal) but
this template never copies it, so nothing they wrote can change what the message says.
"""

from __future__ import annotations

from typing import Any

from ml.llm.wording import one_line, place_name

KIND_PHRASES = {
    "pr_opened": "pull request",
    "issue_opened": "issue",
    "issue_comment": "comment",
    "pr_review": "review",
    "pr_review_comment": "review comment",
    "push": "commit",
    "message": "message",
    "reply": "reply",
    "topic": "topic",
    "post": "post",
}
NO_ISSUES = (
    "If you are looking for what to do next, just ask and we will help you find a good first issue."
)
CLOSING = "Questions are always welcome: reply here or in the community channels."


def welcome_message(data: dict[str, Any]) -> str:
    first = data["first_contribution"]
    kind = KIND_PHRASES.get(first.get("kind") or "", "contribution")
    place = place_name(first.get("platform"), first.get("place"))
    where = f" in {place}" if place else ""
    lines = [
        (
            f"Welcome to {one_line(data['project'], 80)}, {one_line(data['name'], 60)}! "
            f"Thank you for your first {kind}{where}."
        ),
    ]
    issues = data.get("suggested_issues") or []
    if issues:
        lines.append("")
        lines.append(
            "If you are looking for what to do next, "
            + ("this issue is" if len(issues) == 1 else "these issues are")
            + " a good place to start:"
        )
        for issue in issues:
            labels = f" ({one_line(issue['labels'], 60)})" if issue.get("labels") else ""
            link = f": {issue['url']}" if issue.get("url") else ""
            lines.append(f"- {one_line(issue['title'])}{labels}{link}")
        lines.append("")
        lines.append(CLOSING)
    else:
        lines.append(f"{NO_ISSUES} {CLOSING}")
    return "\n".join(lines)
