"""Offline templates for the content drafts: blog post, release notes, social posts.

Each template reads the structured data a draft prompt fences (see `ml.drafts_facts`) and
fills fixed sections, so the shape of a draft never depends on what a community member
wrote: titles and texts from the community pass through `one_line` and land inside list
items. Blog posts and release notes are Markdown whose first line is `# <title>`, the same
shape the prompt files ask the hosted model for (`ml.drafts` splits title from body).
"""

from __future__ import annotations

from typing import Any

from ml.llm.wording import fit_post, join_names, one_line, place_name, plural

BLOG_SECTIONS = ("## Releases", "## Merged pull requests", "## Notable discussions", "## Thank you")
RELEASE_SECTIONS = ("## What's changed", "## Contributors", "## First-time contributors")


def _link(label: str, url: str | None) -> str:
    return f"[{label}]({one_line(url, 300)})" if url else label


def _pr_line(pr: dict[str, Any]) -> str:
    ref = _link(pr.get("number") or "link", pr.get("url"))
    author = f" by {one_line(pr['author'], 60)}" if pr.get("author") else ""
    return f"- {one_line(pr['title'])}{author} ({ref})"


def blog_title(data: dict[str, Any]) -> str:
    return f"This week in {one_line(data['project'], 80)} ({data['period']})"


def blog_post(data: dict[str, Any]) -> str:
    lines = [f"# {blog_title(data)}", "", _blog_intro(data), "", BLOG_SECTIONS[0], ""]
    releases = data.get("releases") or []
    lines += [
        f"- {_link(one_line(r['name'], 80), r.get('url'))} in {one_line(r['repository'], 80)}, "
        f"published {r['published_on']}"
        for r in releases
    ] or ["No release this week."]
    lines += ["", BLOG_SECTIONS[1], ""]
    prs = data.get("merged_prs") or []
    lines += [_pr_line(pr) for pr in prs] or ["No pull request was merged this week."]
    if data.get("merged_prs_total", 0) > len(prs):
        lines.append(f"- …and {data['merged_prs_total'] - len(prs)} more")
    if data.get("automated_prs"):
        lines.append(f"\nAlso merged: {plural(data['automated_prs'], 'automated pull request')}.")
    lines += ["", BLOG_SECTIONS[2], ""]
    lines += [
        f"- “{one_line(d['title'])}” in {place_name(d['platform'], d.get('place')) or 'a thread'} "
        f"on {d['platform']}: {plural(d['replies'], 'reply', 'replies')}, "
        f"{plural(d['participants'], 'person', 'people')} taking part"
        f"{', ' + plural(d['reactions'], 'reaction') if d.get('reactions') else ''}"
        f"{' (' + _link('thread', d.get('url')) + ')' if d.get('url') else ''}"
        for d in data.get("discussions") or []
    ] or ["No thread drew replies this week."]
    lines += ["", BLOG_SECTIONS[3], "", _thanks(data)]
    return "\n".join(lines)


def _blog_intro(data: dict[str, Any]) -> str:
    summary = one_line(data.get("summary"), 1500)
    if summary:
        return summary
    releases = len(data.get("releases") or [])
    parts = [
        plural(releases, "release"),
        plural(data.get("merged_prs_total", 0), "merged pull request"),
        plural(len(data.get("discussions") or []), "busy discussion"),
    ]
    return f"From {data['week_start']} to {data['week_end']}: {join_names(parts)}."


def _thanks(data: dict[str, Any]) -> str:
    names = [one_line(n, 60) for n in data.get("thank") or []]
    sentences = [
        f"Thank you to {join_names(names)}." if names else "Thank you to everyone who took part."
    ]
    welcome = [one_line(n, 60) for n in data.get("welcome") or []]
    if welcome:
        who = "our new contributor" if len(welcome) == 1 else "our new contributors"
        sentences.append(f"A warm welcome to {who} {join_names(welcome)}!")
    return " ".join(sentences)


def release_title(data: dict[str, Any]) -> str:
    release = data["release"]
    return f"Release notes: {one_line(release['name'], 80)} ({one_line(release['repository'], 80)})"


def release_notes(data: dict[str, Any]) -> str:
    release, previous = data["release"], data.get("previous_release")
    since = (
        f"since {one_line(previous['name'], 80)}"
        if previous
        else "since the first recorded activity"
    )
    total = data.get("merged_prs_total", 0)
    lines = [
        f"# {release_title(data)}",
        "",
        (
            f"Published on {release['published_on']}"
            f"{' (' + _link('release page', release.get('url')) + ')' if release.get('url') else ''}: "
            f"{plural(total, 'merged pull request')} {since}."
        ),
        "",
        RELEASE_SECTIONS[0],
        "",
    ]
    prs = data.get("merged_prs") or []
    lines += [_pr_line(pr) for pr in prs] or [f"No merged pull request was recorded {since}."]
    if total > len(prs):
        lines.append(f"- …and {total - len(prs)} more")
    people = [one_line(n, 60) for n in data.get("contributors") or []]
    lines += ["", RELEASE_SECTIONS[1], ""]
    lines.append(
        f"Thank you to {join_names(people)} for the pull requests in this release."
        if people
        else "Thank you to everyone who reported, reviewed and tested."
    )
    lines += ["", RELEASE_SECTIONS[2], ""]
    lines += [
        f"- {one_line(f['name'], 60)} made their first contribution in "
        f"{_link(f['pr'].get('number') or one_line(f['pr']['title']), f['pr'].get('url'))}"
        for f in data.get("first_time_contributors") or []
    ] or ["No first-time contributors in this release."]
    return "\n".join(lines)


def social_post(data: dict[str, Any]) -> str:
    """One post of at most `max_chars` characters on `topic` (recap, release, discussion, thanks)."""
    project, limit = one_line(data["project"], 60), int(data.get("max_chars", 280))
    topic = data["topic"]
    if topic == "release":
        r = data["release"]
        text = (
            f"🚀 {one_line(r['name'], 60)} of {project} is out, with "
            f"{plural(data.get('merged_prs', 0), 'merged pull request')} from "
            f"{plural(data.get('contributors', 0), 'contributor')}. Thank you all!"
        )
        return fit_post(text, r.get("url"), limit)
    if topic == "discussion":
        d = data["discussion"]
        text = (
            f"Most talked-about in {project} this week: “{one_line(d['title'], 100)}” "
            f"({plural(d['replies'], 'reply', 'replies')}). Join the conversation:"
        )
        return fit_post(text, d.get("url"), limit)
    if topic == "thanks":
        names = [one_line(n, 40) for n in data.get("thank") or []][:5]
        text = f"Thank you {join_names(names)} for your contributions to {project} this week! 💜"
        return fit_post(text, None, limit)
    parts = [plural(data.get("merged_prs", 0), "merged pull request")]
    if data.get("releases"):
        parts.append(plural(data["releases"], "release"))
    if data.get("discussions"):
        parts.append(plural(data["discussions"], "lively discussion"))
    welcome = [one_line(n, 40) for n in data.get("welcome") or []][:3]
    hello = f" Welcome, {join_names(welcome)}!" if welcome else ""
    return fit_post(
        f"This week in {project} ({data['period']}): {join_names(parts)}.{hello}", None, limit
    )
