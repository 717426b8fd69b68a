"""Planned posts → a Slack workspace export folder, as Slack's "Export data" produces it.

`users.json`, `channels.json`, empty `dms.json`/`groups.json`/`mpims.json`, and one folder per
channel with a JSON file per UTC day. Thread parents carry `reply_count`, `reply_users`,
`replies` and `latest_reply`; replies carry `thread_ts` and `parent_user_id`. Bot posts are
`bot_message` lines with `bot_id` and `username`, plus `user` = the bot's user id so every
line joins to users.json.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.ids import client_msg_id, epoch, slack_id, slack_ts, ts_to_datetime
from ingest.simulate.people import Person
from ingest.simulate.slack_plan import CHANNELS, Post
from ingest.simulate.timeline import Cast

PURPOSES = {
    "announcements": "Release notes and project news",
    "general": "Say hi and talk about anything CodeConvene",
    "help": "Questions about installing and using CodeConvene",
    "contributing": "Working on CodeConvene itself: issues, pull requests, reviews",
    "random": "Off-topic, weekend plans and coffee",
}


@dataclass
class SlackExport:
    users: list[dict]
    channels: list[dict]
    messages: dict[str, list[dict]]  # channel name → messages in ts order


def render_slack(config: SimulationConfig, cast: Cast, posts: list[Post], members: dict[str, list[str]]) -> SlackExport:
    rng = stream(config, "slack-render")
    team = slack_id(rng, "T", set())
    slack_people = [p for p in cast.people if p.slack_id]
    avatars = {p.key: f"{rng.getrandbits(48):012x}" for p in slack_people}
    users = [_user(p, team, avatars[p.key]) for p in slack_people]
    _assign_ts(posts)
    replies: dict[Post, list[Post]] = defaultdict(list)  # Post hashes by identity (eq=False)
    for post in posts:
        if post.parent is not None:
            replies[post.parent].append(post)
    messages: dict[str, list[dict]] = {c: [] for c in CHANNELS}
    for post in sorted(posts, key=lambda p: (p.channel, p.ts)):
        messages[post.channel].append(_message(cast, post, team, avatars, rng, replies.get(post, [])))
    channels = _channels(cast, team, members, rng)
    return SlackExport(users, channels, messages)


def _assign_ts(posts: list[Post]) -> None:
    """ts is the post's time to the microsecond; a clash within a channel moves it by 1 µs."""
    taken: set[tuple[str, str]] = set()
    for post in sorted(posts, key=lambda p: p.at):
        ts = slack_ts(post.at)
        while (post.channel, ts) in taken:
            seconds, micros = ts.split(".")
            ts = f"{seconds}.{int(micros) + 1:06d}" if micros != "999999" else f"{int(seconds) + 1}.000000"
        taken.add((post.channel, ts))
        post.ts = ts


def _profile_stub(p: Person, team: str, avatar: str) -> dict:
    return {"avatar_hash": avatar, "image_72": f"https://secure.gravatar.com/avatar/{avatar}.jpg?s=72",
            "first_name": p.first, "real_name": p.display_name, "display_name": p.slack_name or "",
            "team": team, "name": p.slack_name, "is_restricted": False, "is_ultra_restricted": False}


def _message(cast: Cast, post: Post, team: str, avatars: dict[str, str], rng: random.Random, replies: list[Post]) -> dict:
    person = cast.by_key[post.author]
    if post.subtype == "channel_join":
        return {"type": "message", "subtype": "channel_join", "ts": post.ts, "user": person.slack_id, "text": post.text}
    if post.subtype == "bot_message":
        msg = {"type": "message", "subtype": "bot_message", "text": post.text, "ts": post.ts, "username": person.display_name,
               "bot_id": person.bot_id, "user": person.slack_id}
    else:
        msg = {"client_msg_id": client_msg_id(rng), "type": "message", "text": post.text, "user": person.slack_id,
               "ts": post.ts, "team": team, "user_team": team, "source_team": team,
               "user_profile": _profile_stub(person, team, avatars[person.key])}
    if post.parent is not None:
        msg["thread_ts"] = post.parent.ts
        msg["parent_user_id"] = cast.by_key[post.parent.author].slack_id
    elif replies:
        ordered = sorted(replies, key=lambda r: r.ts)
        repliers = list(dict.fromkeys(cast.by_key[r.author].slack_id for r in ordered))
        msg.update({"thread_ts": post.ts, "reply_count": len(ordered), "reply_users_count": len(repliers),
                    "latest_reply": ordered[-1].ts, "reply_users": repliers,
                    "replies": [{"user": cast.by_key[r.author].slack_id, "ts": r.ts} for r in ordered],
                    "is_locked": False, "subscribed": False})
    if post.reactions:
        msg["reactions"] = [{"name": name, "users": [cast.by_key[k].slack_id for k in keys], "count": len(keys)}
                            for name, keys in post.reactions]
    return msg


def _user(p: Person, team: str, avatar: str) -> dict:
    images = {f"image_{n}": f"https://secure.gravatar.com/avatar/{avatar}.jpg?s={n}" for n in (24, 32, 48, 72, 192, 512)}
    if p.is_bot:
        profile = {"real_name": p.display_name, "real_name_normalized": p.display_name, "display_name": "",
                   "display_name_normalized": "", "avatar_hash": avatar, **images, "bot_id": p.bot_id,
                   "api_app_id": "A" + (p.bot_id or "")[1:], "always_active": True, "first_name": p.display_name,
                   "team": team, "fields": None}
    else:
        profile = {"title": p.title, "phone": "", "skype": "", "real_name": p.display_name,
                   "real_name_normalized": p.display_name, "display_name": p.slack_name or "",
                   "display_name_normalized": p.slack_name or "", "fields": None, "status_text": "", "status_emoji": "",
                   "avatar_hash": avatar, "email": p.slack_email, "first_name": p.first, "last_name": p.last,
                   **images, "team": team}
    return {"id": p.slack_id, "team_id": team, "name": p.slack_name, "deleted": p.deleted, "color": "9f69e7",
            "real_name": p.display_name, "tz": p.tz[0], "tz_label": p.tz[1], "tz_offset": p.tz[2], "profile": profile,
            "is_admin": p.is_maintainer, "is_owner": p.role == "overloaded_maintainer", "is_primary_owner": False,
            "is_restricted": False, "is_ultra_restricted": False, "is_bot": p.is_bot, "is_app_user": False,
            "updated": epoch(p.arrive), "is_email_confirmed": not p.is_bot}


def _channels(cast: Cast, team: str, members: dict[str, list[str]], rng: random.Random) -> list[dict]:
    creator = cast.overloaded.slack_id
    created = epoch(cast.window.start_at) - 400 * 86400
    taken: set[str] = set()
    out = []
    for name in CHANNELS:
        ids = [cast.by_key[k].slack_id for k in members[name] if not cast.by_key[k].deleted]
        if name in ("announcements", "contributing", "general"):
            ids.append(cast.bot("bot-slack-convene").slack_id)
        out.append({"id": slack_id(rng, "C", taken), "name": name, "created": created, "creator": creator,
                    "is_archived": False, "is_general": name == "general", "members": ids, "pins": [],
                    "topic": {"value": "", "creator": "", "last_set": 0},
                    "purpose": {"value": PURPOSES[name], "creator": creator, "last_set": created}})
    return out


def write_slack_export(export: SlackExport, folder: Path) -> None:
    """Write the folder; files this generator wrote before are removed first (nothing else)."""
    folder.mkdir(parents=True, exist_ok=True)
    for channel in CHANNELS:
        for stale in (folder / channel).glob("*.json"):
            stale.unlink()
    _dump(folder / "users.json", export.users)
    _dump(folder / "channels.json", export.channels)
    for name in ("dms.json", "groups.json", "mpims.json"):
        _dump(folder / name, [])
    for channel, messages in export.messages.items():
        by_day: dict[str, list[dict]] = defaultdict(list)
        for msg in messages:
            by_day[ts_to_datetime(msg["ts"]).date().isoformat()].append(msg)
        (folder / channel).mkdir(exist_ok=True)
        for day in sorted(by_day):
            _dump(folder / channel / f"{day}.json", by_day[day])


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=4) + "\n", encoding="utf-8")
