"""One small simulated community per test session, and the files read back independently.

The fixtures parse the written files themselves (not the simulator's own structures), so
the tests check what a consumer would see on disk.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ingest.simulate import SimulationConfig, simulate
from ingest.simulate.config import ALL_EXPORTS

SMALL = SimulationConfig(seed=11, people=60, weeks=16, end=date(2026, 3, 1))
SMALL_ALL = SimulationConfig(seed=11, people=60, weeks=16, end=date(2026, 3, 1), exports=ALL_EXPORTS)
NOT_ACTIVITIES = {"channel_join", "channel_leave", "channel_topic", "channel_purpose"}


@dataclass(frozen=True)
class Activity:
    person: str
    at: datetime
    platform: str
    is_reply: bool
    is_contribution: bool


@pytest.fixture(scope="session")
def small_config() -> SimulationConfig:
    return SMALL


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim-small")
    simulate(SMALL, out)
    return out


@pytest.fixture(scope="session")
def truth(small_dir: Path) -> dict:
    return json.loads((small_dir / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gh_events(small_dir: Path) -> list[tuple[Path, dict]]:
    events = []
    for path in sorted((small_dir / "github").glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            events.extend((path, json.loads(line)) for line in handle if line.strip())
    return events


@pytest.fixture(scope="session")
def slack(small_dir: Path) -> dict:
    root = small_dir / "slack"
    channels = json.loads((root / "channels.json").read_text(encoding="utf-8"))
    messages = {}
    for channel in channels:
        messages[channel["name"]] = [
            (day, m) for day in sorted((root / channel["name"]).glob("*.json"))
            for m in json.loads(day.read_text(encoding="utf-8"))
        ]
    return {"root": root, "users": json.loads((root / "users.json").read_text(encoding="utf-8")),
            "channels": channels, "messages": messages}


def ts_time(ts: str) -> datetime:
    seconds, micros = ts.split(".")
    return datetime(1970, 1, 1) + timedelta(seconds=int(seconds), microseconds=int(micros))


@pytest.fixture(scope="session")
def people(truth: dict) -> dict[str, dict]:
    return {p["person_key"]: p for p in truth["people"]}


@pytest.fixture(scope="session")
def activities(truth: dict, gh_events: list, slack: dict) -> list[Activity]:
    """Every activity by a human, attributed through the truth's account → person table."""
    by_login = {p["github_login"]: p for p in truth["people"] if p["github_login"]}
    by_slack = {p["slack_user_id"]: p for p in truth["people"] if p["slack_user_id"]}
    out = []
    for _, e in gh_events:
        person = by_login[e["actor"]["login"]]
        if not person["is_bot"]:
            reply = e["type"] in ("IssueCommentEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent")
            out.append(Activity(person["person_key"], datetime.strptime(e["created_at"], "%Y-%m-%dT%H:%M:%SZ"),
                                "github", reply, e["type"] not in ("WatchEvent", "ForkEvent")))
    for items in slack["messages"].values():
        for _, m in items:
            person = by_slack[m["user"]]
            if not person["is_bot"]:
                reply = "thread_ts" in m and m["thread_ts"] != m["ts"]
                out.append(Activity(person["person_key"], ts_time(m["ts"]), "slack", reply,
                                    m.get("subtype") not in NOT_ACTIVITIES))
    return sorted(out, key=lambda a: (a.at, a.person))


# Every export format: the same small community, also on Discord, Discourse, git and the REST API.


@pytest.fixture(scope="session")
def all_config() -> SimulationConfig:
    return SMALL_ALL


@pytest.fixture(scope="session")
def all_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim-all")
    simulate(SMALL_ALL, out)
    return out


@pytest.fixture(scope="session")
def all_truth(all_dir: Path) -> dict:
    return json.loads((all_dir / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def discord_json(all_dir: Path) -> dict[str, dict]:
    """channel name → the DCE JSON document of that channel."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((all_dir / "discord").glob("*.json"))]
    return {d["channel"]["name"]: d for d in docs}


@pytest.fixture(scope="session")
def discourse_topics(all_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((all_dir / "discourse" / "t").glob("*/*.json"))]
