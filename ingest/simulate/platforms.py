"""The opt-in exports of a run: Discord, Discourse, a git repository, GitHub REST dumps.

They are made after GitHub and Slack from what those already decided (people, releases, pull
requests, pushes) and never touch those plans or their random streams, so turning them on
leaves `github/`, `slack/` and the GitHub + Slack truth keys byte for byte the same.
"""

from __future__ import annotations

from pathlib import Path

from ingest.simulate.community import build_community
from ingest.simulate.config import SimulationConfig, Window
from ingest.simulate.discord_export import render_discord, write_discord
from ingest.simulate.discord_plan import plan_discord
from ingest.simulate.discourse_export import render_discourse, write_discourse
from ingest.simulate.discourse_plan import plan_discourse
from ingest.simulate.git_history import plan_git
from ingest.simulate.git_repo import write_git_repo
from ingest.simulate.github_plan import GithubPlan
from ingest.simulate.github_rest import render_rest, write_rest
from ingest.simulate.slack_export import SlackExport
from ingest.simulate.timeline import Cast
from ingest.simulate.truth_platforms import platform_truth


def simulate_platforms(config: SimulationConfig, window: Window, cast: Cast, github: GithubPlan, events: list[dict],
                       slack: SlackExport, out_dir: Path) -> dict:
    """Write the chosen extra exports under `out_dir`; return the truth keys they add."""
    community = discord = discourse = history = rest = None
    if config.writes("discord") or config.writes("discourse"):
        pushers = {e["actor"]["login"] for e in events if e["type"] == "PushEvent"}
        community = build_community(config, cast, {p.key for p in cast.people if p.github_login in pushers})
    if config.writes("discord"):
        discord = render_discord(config, community, plan_discord(config, community, github))
        write_discord(discord, out_dir / "discord")
    if config.writes("discourse"):
        discourse = render_discourse(config, community, plan_discourse(config, community, github))
        write_discourse(discourse, out_dir / "discourse")
    repo_name = config.repo.split("/")[1]
    if config.writes("git"):
        history = plan_git(config, cast, github, events)
        write_git_repo(history, out_dir / "git" / repo_name, f"https://github.com/{config.repo}.git")
    if config.writes("github-rest"):
        rest = render_rest(events)
        write_rest(rest, out_dir / "github-rest")
    return platform_truth(config, window, cast, events, slack, community, discord, discourse, history, rest,
                          f"git/{repo_name}")
