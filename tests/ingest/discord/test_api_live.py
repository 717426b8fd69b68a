"""The live Discord connector: discord.py's HTTPClient against a loopback Discord (tests/fakes/discord_api.py)."""

from __future__ import annotations

import json

import pytest

from codeconvene.settings import get_settings
from codeconvene.warehouse import connect
from ingest.core.cursors import get_cursor
from ingest.core.live import LiveError
from ingest.discord import api
from tests.fakes.discord_api import GOOD_TOKEN, FakeDiscordApi

FAST = {"page_size": 4, "timeout_s": 2.0}


@pytest.fixture
def discord_fake(tmp_path, monkeypatch):
    """#general (9 messages, replies, reactions), #news (announcement, 2), a voice channel, a
    category, #mods (the bot may not read it) and an active thread under #general (5)."""
    monkeypatch.chdir(tmp_path)
    with FakeDiscordApi() as fake:
        ada, grace, bot = fake.add_user("ada"), fake.add_user("grace"), fake.add_user("helper", bot=True)
        general = fake.add_channel("general")
        news = fake.add_channel("news", 5)
        fake.add_channel("Voice", 2)
        fake.add_channel("Text Channels", 4)
        mods = fake.add_channel("mods", forbidden=True)
        thread = fake.add_channel("help thread", 11, parent=general)
        first = fake.post(general, ada, "hello all", reactions={"👋": 2})
        for i in range(8):
            fake.post(general, (ada, grace, bot)[i % 3], f"general {i}", reply_to=first["id"] if i % 2 else None)
        for i in range(2):
            fake.post(news, ada, f"release {i}")
        for i in range(5):
            fake.post(thread, grace, f"in the thread {i}")
        fake.post(mods, ada, "mods only")
        monkeypatch.setenv("DISCORD_BOT_TOKEN", GOOD_TOKEN)
        monkeypatch.setenv("DISCORD_API_URL", fake.base_url)
        monkeypatch.setenv("CODECONVENE_HOME", str(tmp_path / "home"))
        monkeypatch.delenv("DISCORD_GUILD_IDS", raising=False)
        fake.ids = {"general": general, "news": news, "mods": mods, "thread": thread, "ada": ada, "grace": grace}
        yield fake


@pytest.fixture
def con(discord_fake, tmp_path):
    connection = connect(tmp_path / "home" / "warehouse.duckdb")
    yield connection
    connection.close()


def readable(fake: FakeDiscordApi) -> set[str]:
    ids = fake.ids
    return {m["id"] for cid in (ids["general"], ids["news"], ids["thread"]) for m in fake.messages[cid]}


def landed(con) -> list[str]:
    return [r[0] for r in con.execute("select message_id from raw_discord.messages").fetchall()]


def test_first_sync_lands_every_message_exactly_once(discord_fake, con):
    summary = api.sync(get_settings(), con, **FAST)
    rows = landed(con)
    assert len(rows) == len(set(rows)) == len(readable(discord_fake))
    assert set(rows) == readable(discord_fake)
    # AND channel, thread, guild and member rows are there
    channel_ids = {r[0] for r in con.execute("select channel_id from raw_discord.channels").fetchall()}
    assert channel_ids == {c["id"] for c in (*discord_fake.channels, *discord_fake.threads)}
    assert con.execute("select guild_id, guild_name from raw_discord.guilds").fetchall() == [
        (discord_fake.guild["id"], "Fake Guild")]
    assert con.execute("select count(*) from raw_discord.members").fetchone()[0] == 3
    # AND each channel's cursor is its newest message id
    for name in ("general", "news", "thread"):
        cid = discord_fake.ids[name]
        assert get_cursor(con, "discord", f"messages:{cid}") == discord_fake.messages[cid][-1]["id"]
    assert get_cursor(con, "discord", f"messages:{discord_fake.ids['mods']}") is None  # skipped: 403
    assert summary.streams["messages"] == len(readable(discord_fake))


def test_messages_are_stored_in_the_dce_shape_file_ingest_uses(discord_fake, con):
    # GIVEN a reply and a message with reactions, as the API serves them
    first, reply = discord_fake.messages[discord_fake.ids["general"]][0], discord_fake.messages[discord_fake.ids["general"]][2]
    api.sync(get_settings(), con, **FAST)
    payload = {r[0]: json.loads(r[1]) for r in con.execute(
        "select message_id, payload::varchar from raw_discord.messages where message_id in (?, ?)",
        [first["id"], reply["id"]]).fetchall()}
    # THEN the payload has DiscordChatExporter's field names and values
    assert payload[reply["id"]]["type"] == "Reply"
    assert payload[reply["id"]]["reference"]["messageId"] == first["id"]
    assert payload[first["id"]]["reactions"][0]["count"] == 2 and payload[first["id"]]["reactions"][0]["emoji"]["name"] == "👋"
    assert payload[first["id"]]["author"] == {**payload[first["id"]]["author"], "id": discord_fake.ids["ada"]["id"],
                                               "name": "ada", "isBot": False}
    assert payload[first["id"]]["timestamp"].endswith("+00:00") and payload[first["id"]]["timestamp"].count(".") == 1
    row = con.execute("select channel_id, author_id, _source from raw_discord.messages where message_id = ?",
                      [reply["id"]]).fetchone()
    assert row == (discord_fake.ids["general"], reply["author"]["id"], "discord:live")


def test_second_sync_asks_only_for_what_is_new(discord_fake, con):
    api.sync(get_settings(), con, **FAST)
    general = discord_fake.ids["general"]
    cursor = get_cursor(con, "discord", f"messages:{general}")
    before = len(discord_fake.requests)
    new = discord_fake.post(general, discord_fake.ids["grace"], "something new")
    summary = api.sync(get_settings(), con, **FAST)
    asked = [r for r in discord_fake.requests[before:] if r["path"] == f"/channels/{general}/messages"]
    assert [r["params"]["after"] for r in asked] == [cursor]
    assert summary.streams["messages"] == 1
    assert len(discord_fake.calls(r"/guilds/\d+/members")) == 1  # the member list is re-read daily
    assert get_cursor(con, "discord", f"messages:{general}") == new["id"]
    assert set(landed(con)) == readable(discord_fake) and len(landed(con)) == len(readable(discord_fake))


def test_rate_limits_gateway_errors_and_timeouts_are_survived(discord_fake, con):
    general = discord_fake.ids["general"]
    discord_fake.fault(rf"/channels/{general}/messages", 429, retry_after=0.3)
    discord_fake.fault(r"/guilds/\d+/channels", 502)
    discord_fake.fault(rf"/channels/{discord_fake.ids['news']}/messages", 200, delay_s=1.5)  # > the 0.5 s timeout
    api.sync(get_settings(), con, **{**FAST, "timeout_s": 0.5})
    assert [f.served for f in discord_fake.faults] == [1, 1, 1]
    assert set(landed(con)) == readable(discord_fake) and len(landed(con)) == len(readable(discord_fake))
    first_two = discord_fake.calls(rf"/channels/{general}/messages")[:2]
    assert first_two[0] == first_two[1] == {"after": "0", "limit": "4"}  # the limited page, asked again


def test_a_run_that_dies_midway_resumes_at_the_page_it_died_on(discord_fake, con):
    general = discord_fake.ids["general"]
    messages = discord_fake.messages[general]
    page3_after = messages[7]["id"]  # pages of 4: page 3 starts after the 8th message
    # GIVEN Discord fails page 3 of #general for good (503: discord.py retries only 500/502/504/524)
    discord_fake.fault(rf"/channels/{general}/messages", 503, times=None, when=lambda p: p.get("after") == page3_after)
    # WHEN the pull runs, it stops with one clear line, pages 1-2 landed and the cursor at page 3
    with pytest.raises(LiveError, match=rf"^discord: GET /channels/{general}/messages failed \(503"):
        api.sync(get_settings(), con, **{**FAST, "page_size": 4})
    assert set(landed(con)) == {m["id"] for m in messages[:8]}
    assert get_cursor(con, "discord", f"messages:{general}") == page3_after
    # WHEN Discord recovers: the next run starts at page 3 and everything is there exactly once
    discord_fake.faults.clear()
    before = len(discord_fake.requests)
    api.sync(get_settings(), con, **FAST)
    resumed = [r["params"]["after"] for r in discord_fake.requests[before:] if r["path"] == f"/channels/{general}/messages"]
    assert resumed == [page3_after]
    assert set(landed(con)) == readable(discord_fake) and len(landed(con)) == len(readable(discord_fake))


def test_invalid_token_is_one_clear_line_without_the_token(discord_fake, con, monkeypatch):
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "MTAwrong.secret-token")
    with pytest.raises(LiveError) as caught:
        api.sync(get_settings(), con, **FAST)
    assert str(caught.value) == "discord: the token in DISCORD_BOT_TOKEN was refused (401 Unauthorized)"
    assert discord_fake.requests[-1]["auth"] == "Bot MTAwrong.secret-token"
    check = api.check(get_settings())
    assert (check.status, check.reason) == ("failing", str(caught.value))
    assert "secret-token" not in check.reason + caught.value.hint


def test_check_configured_and_missing(discord_fake, monkeypatch):
    assert api.check(get_settings()) == api.CheckResult("discord", "configured", "bot codeconvene")
    monkeypatch.delenv("DISCORD_BOT_TOKEN")
    assert api.check(get_settings()).status == "missing"


def test_without_the_members_intent_authors_stand_in(discord_fake, con):
    discord_fake.members_allowed = False
    api.sync(get_settings(), con, **FAST)
    authors = {m["author"]["id"] for cid in (discord_fake.ids["general"], discord_fake.ids["news"],
                                              discord_fake.ids["thread"]) for m in discord_fake.messages[cid]}
    members = {r[0] for r in con.execute("select user_id from raw_discord.members").fetchall()}
    assert members == authors
    # AND the next run remembers the refusal: no new ask, new authors still become members
    newcomer = discord_fake.add_user("newcomer")
    discord_fake.post(discord_fake.ids["general"], newcomer, "hi, I am new")
    api.sync(get_settings(), con, **FAST)
    assert len(discord_fake.calls(r"/guilds/\d+/members")) == 1
    assert newcomer["id"] in {r[0] for r in con.execute("select user_id from raw_discord.members").fetchall()}


def test_one_channel_and_configured_guilds(discord_fake, con, monkeypatch):
    api.sync(get_settings(), con, channel=discord_fake.ids["news"], **FAST)
    assert set(landed(con)) == {m["id"] for m in discord_fake.messages[discord_fake.ids["news"]]}
    with pytest.raises(LiveError, match=r"not permitted \(403 Missing Access\)"):
        api.sync(get_settings(), con, channel=discord_fake.ids["mods"], **FAST)
    monkeypatch.setenv("DISCORD_GUILD_IDS", "123456789012345678")
    with pytest.raises(LiveError, match=r"GET /guilds/123456789012345678 failed \(404"):
        api.sync(get_settings(), con, **FAST)


def test_debug_logs_never_hold_the_token(discord_fake, con, caplog):
    discord_fake.fault(rf"/channels/{discord_fake.ids['general']}/messages", 429, retry_after=0.1)
    with caplog.at_level("DEBUG"):
        api.sync(get_settings(), con, **FAST)
    assert "rate limited" in caplog.text  # discord.py did log the 429 it waited out
    assert GOOD_TOKEN not in caplog.text


def test_archived_threads_are_read_once_and_again_when_archived_anew(discord_fake, con):
    # GIVEN a thread under #general that was archived before the first pull
    fake, general = discord_fake, discord_fake.ids["general"]
    old = fake.add_channel("old question", 11, parent=general, archived_ms=fake._ms + 1)
    posted = [fake.post(old, fake.ids["ada"], f"archived talk {i}")["id"] for i in range(3)]
    fake.archive(old, fake._ms + 1)
    # WHEN the guild is pulled: its messages land, and the archive cursor is set
    api.sync(get_settings(), con, **FAST)
    assert set(posted) <= set(landed(con))
    assert len(fake.calls(rf"/channels/{old}/messages")) == 1
    # AND a second pull lists archived threads but reads none again
    api.sync(get_settings(), con, **FAST)
    assert len(fake.calls(rf"/channels/{old}/messages")) == 1
    # WHEN the thread is reopened, added to and archived again, the next pull reads only the new message
    late = fake.post(old, fake.ids["grace"], "one more thing")["id"]
    fake.archive(old, fake._ms + 1)
    api.sync(get_settings(), con, **FAST)
    assert fake.calls(rf"/channels/{old}/messages")[-1]["after"] == posted[-1]
    rows = landed(con)
    assert late in rows and len(rows) == len(set(rows)) == len(readable(fake)) + 4


def test_a_rate_limit_longer_than_allowed_stops_the_run_in_one_line(discord_fake, con):
    discord_fake.fault(r"/guilds/\d+/channels", 429, retry_after=120.0)
    with pytest.raises(LiveError, match=r"^discord: GET /guilds/\d+/channels is rate-limited for 120 s$"):
        api.sync(get_settings(), con, **{**FAST, "max_rate_limit_wait_s": 30})
    assert con.execute("select count(*) from raw_discord.guilds").fetchone()[0] == 1  # kept: landed before
