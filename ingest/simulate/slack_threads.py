"""Conversations on Slack: a person's arrival, a help question's thread, chatter, and
contribution talk that points at real issue and PR numbers.

Replies are always in a thread of the message they answer (Slack's `thread_ts`), placed at
the replier's next habitual hour; a post by someone no longer active is refused, which ends
the thread.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ingest.simulate import text as tx
from ingest.simulate.clock import after
from ingest.simulate.people import Person
from ingest.simulate.slack_plan import CHANNELS, Post, SlackPlanner
from ingest.simulate.timeline import CHATTERS, MAINTAINERS

FAQ_SHARE = 0.4
FAQ_POPULARITY = (8, 7, 6, 5, 4, 3, 2, 2)
UNANSWERED = 0.2


def entry(planner: SlackPlanner, person: Person) -> None:
    """Joining (a `channel_join` line per channel when inside the window), then a first post."""
    rng = planner.rng
    if person.arrive >= planner.cast.window.start_at:
        start = person.arrive
        for k, channel in enumerate(c for c in CHANNELS if person.key in planner.members[c]):
            planner.post(person, start + timedelta(seconds=3 * k), channel,
                         f"<@{person.slack_id}> has joined the channel", subtype="channel_join")
        start += timedelta(minutes=1)
    else:
        start = planner.cast.entry_time(rng, person)
    at = after(person, rng, start, 2)
    if rng.random() < (0.6 if person.role in ("newcomer", "casual") else 0.35):
        _intro(planner, person, at)
    else:
        question(planner, person, at, "help")


def _intro(planner: SlackPlanner, person: Person, at: datetime) -> None:
    rng = planner.rng
    post = planner.post(person, at, "general", tx.intro(rng, person.first, person.title.split(" · ")[0]))
    if post is None or rng.random() > 0.65:
        return
    welcomer = planner.responder(at, "general", (person.key,))
    if welcomer is not None:
        planner.post(welcomer, after(welcomer, rng, at, 6), "general", rng.choice(tx.WELCOME).format(first=person.first), post)
        fans = [planner.cast.by_key[k] for k in rng.sample(planner.members["general"], min(3, len(planner.members["general"])))]
        planner.react(post, "wave", fans)


def question(planner: SlackPlanner, asker: Person, at: datetime, channel: str, topic: int | None = None) -> None:
    """A question thread; `topic` forces an FAQ topic, else one is drawn (or a one-off asked)."""
    rng = planner.rng
    if topic is None and rng.random() < FAQ_SHARE:
        topic = rng.choices(range(len(tx.FAQ)), FAQ_POPULARITY)[0]
    text = planner.bank.faq(topic) if topic is not None else planner.bank.one_off()
    if text is None:
        topic = rng.choices(range(len(tx.FAQ)), FAQ_POPULARITY)[0]
        text = planner.bank.faq(topic)
    asked = planner.post(asker, at, channel, text, faq_topic=topic)
    if asked is None:
        return
    if rng.random() < UNANSWERED:
        if rng.random() < 0.3:
            watcher = planner.cast.pick_tiered(rng, at, "slack", MAINTAINERS, [asker.key])
            if watcher is not None:
                planner.react(asked, "eyes", [watcher])
        return
    responder = planner.responder(at, channel, (asker.key,))
    if responder is None:
        return
    t = after(responder, rng, at, 3 if responder.night_owl else 10)
    if rng.random() < 0.25:
        if planner.post(responder, t, channel, rng.choice(tx.FOLLOWUPS), asked) is None:
            return
        t = after(asker, rng, t, 5)
        if planner.post(asker, t, channel, "I'm on the latest release, here is the log output.", asked) is None:
            return
        t = after(responder, rng, t, 4)
    answer = tx.FAQ[topic][2] if topic is not None else rng.choice(tx.ANSWERS).format(cmd=rng.choice(("build", "ingest", "sql")))
    if responder.night_owl and rng.random() < max(0.0, planner.progress(t) - 0.55) * 1.3:
        answer = f"{rng.choice(tx.STRESSED)} {answer}"
    answered = planner.post(responder, t, channel, answer, asked)
    if answered is None:
        return
    _asker_reaction(planner, asker, responder, asked, answered, t)


def _asker_reaction(planner: SlackPlanner, asker: Person, responder: Person, asked: Post, answered: Post, t: datetime) -> None:
    rng, mood = planner.rng, planner.rng.random()
    if mood < 0.55:
        planner.post(asker, after(asker, rng, t, 4), asked.channel, rng.choice(tx.THANKS), asked)
        if rng.random() < 0.6:
            planner.react(answered, rng.choice(("white_check_mark", "pray", "raised_hands")), [asker])
    elif mood < 0.7:
        t = after(asker, rng, t, 4)
        if planner.post(asker, t, asked.channel, rng.choice(tx.STILL_BROKEN), asked) is not None:
            planner.post(responder, after(responder, rng, t, 6), asked.channel,
                         "Sorry about that! Could you open a GitHub issue with the full log?", asked)


def chatter(planner: SlackPlanner, author: Person, at: datetime, channel: str) -> None:
    rng, draw = planner.rng, planner.rng.random()
    mood = "neutral" if channel == "random" else "positive" if draw < 0.45 else "neutral" if draw < 0.8 else "negative"
    pool = {"positive": tx.POSITIVE, "neutral": tx.RANDOM if channel == "random" else tx.NEUTRAL, "negative": tx.NEGATIVE}[mood]
    post = planner.post(author, at, channel, tx.fill(rng, rng.choice(pool)))
    if post is None:
        return
    t = at
    for n in range(rng.choice((0, 0, 1, 1, 2, 3))):
        if mood == "negative" and n == 0:
            replier = planner.responder(t, channel, (author.key,))
            text = "Sorry about that! Could you open an issue with the details so we can fix it?"
        else:
            replier = planner.pick(t, channel, CHATTERS, (author.key,))
            text = tx.fill(rng, rng.choice(tx.CHAT_REPLIES))
        if replier is None:
            break
        t = after(replier, rng, t, 6)
        if planner.post(replier, t, channel, text, post) is None:
            break
    if mood == "positive":
        members = planner.members[channel]
        fans = [planner.cast.by_key[k] for k in rng.sample(members, min(len(members), rng.randint(1, 6)))]
        planner.react(post, rng.choice(("tada", "heart", "+1")), fans)


def claim(planner: SlackPlanner, person: Person, at: datetime, channel: str) -> None:
    """Asking for an issue or a review in #contributing, with real numbers from GitHub."""
    rng, items = planner.rng, sorted(planner.github.items, key=lambda i: i.created_at)
    mine = [i for i in items if i.kind == "pr" and i.author == person.key and i.created_at < at]
    starters = [i for i in items if i.kind == "issue" and "good first issue" in i.labels and i.created_at < at]
    if mine and rng.random() < 0.6:
        text, reply = f"Could someone take a look at my PR #{mine[-1].number}? Thanks!", "On it, will review tonight."
    elif starters:
        pick = rng.choice(starters[-8:])
        text = f"I'd like to pick up #{pick.number} ({pick.title}). Can someone assign it to me?"
        reply = "Go for it, assigned! Ping me if you get stuck."
    else:
        text, reply = "Are there any good first issues to pick up this week?", "Check the good first issue label on GitHub."
    post = planner.post(person, at, channel, text)
    responder = planner.responder(at, channel, (person.key,)) if post is not None else None
    if post is not None and responder is not None:
        planner.post(responder, after(responder, rng, at, 8), channel, reply, post)
