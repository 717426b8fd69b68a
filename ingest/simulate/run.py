"""One simulation run: cast → GitHub and Slack plans → export files → ground truth, then the
opt-in exports (Discord, Discourse, git, GitHub REST; `SimulationConfig.exports`).

The only entry point the CLI and the Dagster assets call. Output is byte-identical for equal
configs: every random stream is named and seeded from the config, JSON keys are written in a
fixed order, gzip headers carry no time, and nothing reads the clock once `end` is pinned.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.simulate.config import SimulationConfig, window_for
from ingest.simulate.github_events import render_github, write_gharchive
from ingest.simulate.github_schedule import plan_github
from ingest.simulate.people import build_people
from ingest.simulate.platforms import simulate_platforms
from ingest.simulate.slack_export import render_slack, write_slack_export
from ingest.simulate.slack_schedule import plan_slack
from ingest.simulate.timeline import Cast
from ingest.simulate.truth import ground_truth

TRUTH_FILE = "ground_truth.json"


def simulate(config: SimulationConfig, out_dir: Path) -> dict:
    """Write `out_dir/github/`, `out_dir/slack/`, the extra exports the config asks for, and
    `out_dir/ground_truth.json`; return the truth."""
    config = config.resolved()
    window = window_for(config)
    cast = Cast(build_people(config, window), window)
    github = plan_github(config, cast)
    posts, members = plan_slack(config, cast, github)
    events = render_github(config, cast, github)
    export = render_slack(config, cast, posts, members)
    truth = ground_truth(config, window, cast, github, events, posts, export)
    out_dir = Path(out_dir)
    write_gharchive(events, out_dir / "github")
    write_slack_export(export, out_dir / "slack")
    if set(config.exports) - {"github", "slack"}:
        truth.update(simulate_platforms(config, window, cast, github, events, export, out_dir))
    text = json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    (out_dir / TRUTH_FILE).write_text(text, encoding="utf-8")
    return json.loads(text)
