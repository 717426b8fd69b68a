"""Generated malformed Slack inputs: each one is a quarantine row (or one error) saying what
is wrong and where, and the good records beside it still land."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

GOOD = {"type": "message", "user": "U01ADA", "text": "sibling", "ts": "1709373600.000200"}
DROP = object()


@dataclass(frozen=True)
class Case:
    files: dict[str, bytes]  # written over the good input, relative to its folder
    where: str  # the quarantined location, relative to that folder ("" when it is an error)
    reason: str  # a piece of the quarantine reason (or of the error line)
    error: bool = False


def _j(value: object) -> bytes:
    return json.dumps(value).encode()  # json's defaults: NaN and lone surrogates pass through as text


def _bad_message(**fields) -> dict:
    """The good message under another ts, with `fields` changed (DROP removes one)."""
    return {k: v for k, v in {**GOOD, "ts": "1709373600.000300", **fields}.items() if v is not DROP}


def _day(bad: object, reason: str) -> Case:
    return Case({"general/2024-03-02.json": _j([GOOD, bad])}, "general/2024-03-02.json[1]", reason)


def _file(name: str, data: bytes, reason: str, index: str = "") -> Case:
    return Case({name: data}, name + index, reason)


EXPORT_CASES = {
    # whole day files
    "day-empty": _file("general/2024-03-02.json", b"", "empty file"),
    "day-whitespace": _file("general/2024-03-02.json", b" \n\t ", "empty file"),
    "day-truncated": _file("general/2024-03-02.json", b'[{"type": "message", "ts": "17093', "invalid JSON"),
    "day-invalid-utf8": _file("general/2024-03-02.json", b'[{"ts": "1709373600.000300", "text": "caf\xe9 \xff"}]', "not UTF-8"),
    "day-object": _file("general/2024-03-02.json", b'{"messages": []}', "expected a JSON array"),
    "day-string": _file("general/2024-03-02.json", b'"hello"', "expected a JSON array"),
    "day-trailing-garbage": _file("general/2024-03-02.json", b"[] ]", "invalid JSON"),
    "day-nested-too-deep": _file("general/2024-03-02.json", b"[" * 100_000, "nested too deeply"),
    "day-nul-bytes": _file("general/2024-03-02.json", b"\x00\x00\x00", "invalid JSON"),
    # single messages
    "message-string": _day("hello", "not a JSON object"),
    "message-null": _day(None, "not a JSON object"),
    "message-number": _day(42, "not a JSON object"),
    "message-array": _day([GOOD], "not a JSON object"),
    "ts-missing": _day(_bad_message(ts=DROP), "without 'ts'"),
    "ts-null": _day(_bad_message(ts=None), "without 'ts'"),
    "ts-number": _day(_bad_message(ts=1709373600.0003), "must be a string"),
    "ts-array": _day(_bad_message(ts=["1709373600.000300"]), "must be a string"),
    "ts-words": _day(_bad_message(ts="yesterday"), "not a Slack timestamp"),
    "ts-empty": _day(_bad_message(ts=""), "not a Slack timestamp"),
    "ts-negative": _day(_bad_message(ts="-1709373600.000300"), "not a Slack timestamp"),
    "ts-beyond-any-calendar": _day(_bad_message(ts="999999999999.000000"), "out of range"),
    "ts-after-2100": _day(_bad_message(ts="9999999999.000000"), "updated_at"),
    "thread-ts-number": _day(_bad_message(thread_ts=1709287200.0001), "'thread_ts'"),
    "thread-ts-words": _day(_bad_message(thread_ts="soon"), "'thread_ts'"),
    "user-object": _day(_bad_message(user={"id": "U01ADA"}), "'user'"),
    "bot-id-number": _day(_bad_message(user=DROP, bot_id=7, subtype="bot_message"), "'bot_id'"),
    "edited-string": _day(_bad_message(edited="yes"), "'edited'"),
    "edited-ts-words": _day(_bad_message(edited={"user": "U01ADA", "ts": "later"}), "'ts' is not epoch"),
    "nan-number": _day(_bad_message(score=float("nan")), "standard JSON"),
    "lone-surrogate": _day(_bad_message(text="broken \ud800 emoji"), "standard JSON"),
    "oversized-text": _day(_bad_message(text="x" * (9 << 20)), "payload"),
    # users.json
    "user-string": _file("users.json", _j([{"id": "U01ADA"}, "U02BOB"]), "not a JSON object", "[1]"),
    "user-without-id": _file("users.json", _j([{"id": "U01ADA"}, {"name": "bob"}]), "missing field 'id'", "[1]"),
    "user-id-number": _file("users.json", _j([{"id": "U01ADA"}, {"id": 2}]), "'id'", "[1]"),
    "user-updated-words": _file("users.json", _j([{"id": "U01ADA"}, {"id": "U02", "updated": "soon"}]), "'updated'", "[1]"),
    "user-updated-bool": _file("users.json", _j([{"id": "U01ADA"}, {"id": "U02", "updated": True}]), "'updated'", "[1]"),
    "user-team-id-list": _file("users.json", _j([{"id": "U01ADA"}, {"id": "U02", "team_id": ["T1"]}]), "'team_id'", "[1]"),
    # conversation lists
    "channel-without-id": _file("channels.json", _j([{"id": "C01GEN", "name": "general"}, {"name": "x"}]),
                                "missing field 'id'", "[1]"),
    "channel-id-number": _file("channels.json", _j([{"id": "C01GEN", "name": "general"}, {"id": 5}]), "'id'", "[1]"),
    "channel-created-words": _file("channels.json", _j([{"id": "C01GEN", "name": "general"},
                                                        {"id": "C02", "name": "x", "created": "monday"}]), "'created'", "[1]"),
    "channel-topic-set-words": _file("channels.json", _j([{"id": "C01GEN", "name": "general"},
                                                          {"id": "C02", "topic": {"last_set": "then"}}]), "'last_set'", "[1]"),
    "dms-object": _file("dms.json", _j({"D01": {"members": []}}), "expected a JSON array"),
    "mpims-name-number": _file("mpims.json", _j([{"id": "G01", "name": 7}]), "'name'", "[0]"),
    "groups-invalid-utf8": _file("groups.json", b'[{"id": "G01", "name": "caf\xe9"}]', "not UTF-8"),
}

PAGE = {"ok": True, "messages": [GOOD], "has_more": False, "response_metadata": {"next_cursor": ""}}

API_CASES = {
    "page-messages-object": _file("C0DUMP01-page2.json", _j({"ok": True, "messages": {"ts": "1"}}), "must be an array"),
    "page-message-without-ts": _file("C0DUMP01-page2.json", _j({**PAGE, "messages": [GOOD, {"text": "x"}]}),
                                     "without 'ts'", "[messages][1]"),
    "page-invalid-utf8": _file("C0DUMP01-page2.json", b'{"ok": true, "messages": [{"ts": "1", "text": "\xff"}]}', "not UTF-8"),
    "users-list-member-string": _file("users.list.json", _j({"ok": True, "members": ["U01"]}), "not a JSON object",
                                      "[members][0]"),
    "conversations-list-truncated": _file("conversations.list.json", b'{"ok": true, "channels": [{"id": "C1", "na',
                                          "invalid JSON"),
    "page-without-channel": Case({"history-page2.json": _j(PAGE)}, "", "cannot tell which channel", error=True),
    "ok-false": Case({"C0DUMP01-page2.json": _j({"ok": False, "error": "ratelimited"})}, "", "'ratelimited'", error=True),
}


def _check(kit, con, summary, folder, case: Case) -> None:
    if case.error:
        assert len(summary.errors) == 1, summary.errors
        assert case.reason in summary.errors[0] and next(iter(case.files)) in summary.errors[0]
        return
    rows = kit.quarantine(con)
    assert len(rows) == 1, rows
    location, reason = rows[0]
    name, bracket, index = case.where.partition("[")
    assert location == str((folder / name).resolve()) + bracket + index
    assert case.reason in reason, reason
    assert not summary.errors


@pytest.mark.parametrize("case", EXPORT_CASES.values(), ids=EXPORT_CASES.keys())
def test_a_malformed_export_file_is_quarantined_and_the_rest_lands(tmp_path, kit, con, case):
    # GIVEN a small good export with one malformed file written over it (or next to it)
    root = kit.small_export(tmp_path / "export")
    for name, data in case.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    # WHEN it is ingested
    summary = kit.ingest(con, root)
    # THEN exactly that input is quarantined with its location and reason
    _check(kit, con, summary, root, case)
    # AND the good message lands, and so does a good sibling in the same day file
    texts = con.execute("select list(payload->>'text' order by ts) from raw_slack.messages").fetchone()[0]
    assert texts[0] == "hello"
    if case.where.startswith("general/2024-03-02.json["):
        assert texts == ["hello", "sibling"]


@pytest.mark.parametrize("case", API_CASES.values(), ids=API_CASES.keys())
def test_a_malformed_api_dump_is_quarantined_or_one_error_and_the_rest_lands(tmp_path, kit, con, case):
    # GIVEN a folder with a good history page and one malformed response
    dumps = tmp_path / "dumps"
    kit.write_json(dumps / "C0DUMP01-page1.json", PAGE)
    for name, data in case.files.items():
        (dumps / name).write_bytes(data)
    # WHEN the folder is ingested
    summary = kit.ingest(con, dumps)
    # THEN the malformed input is one quarantine row or one error, and the good page lands
    _check(kit, con, summary, dumps, case)
    assert con.execute("select list(channel_id || ' ' || ts) from raw_slack.messages").fetchone()[0] == [
        "C0DUMP01 1709373600.000200"]


def test_at_least_thirty_malformed_inputs_are_generated():
    # GIVEN / WHEN the generated cases / THEN they cover the brief's floor
    assert len(EXPORT_CASES) + len(API_CASES) >= 30


def test_duplicate_ts_lands_once_and_a_bom_is_tolerated(tmp_path, kit, con):
    # GIVEN a day file written with a UTF-8 BOM holding the same ts twice (re-exported overlap)
    root = kit.small_export(tmp_path / "export")
    day = root / "general" / "2024-03-02.json"
    day.write_bytes(b"\xef\xbb\xbf" + _j([GOOD, GOOD, {**GOOD, "ts": "1709373600.000300"}]))
    # WHEN it is ingested
    summary = kit.ingest(con, root)
    # THEN the duplicated message is one row, nothing is quarantined
    assert con.execute("select list(ts order by ts) from raw_slack.messages").fetchone()[0] == [
        "1709287200.000100", "1709373600.000200", "1709373600.000300"]
    assert summary.quarantined == 0 and not summary.errors
