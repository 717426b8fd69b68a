"""Broken DiscordChatExporter files: good records land, bad ones are quarantined, none vanish.

Each case writes one damaged file. The check is the same for all: the good messages are in
raw_discord.messages, each bad one is in meta.quarantine with its location (file[index] or
file:line) and reason, and landed + quarantined records = the records the file held.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import by_name


@dataclass(frozen=True)
class Case:
    fmt: str
    make: Callable  # (folder, dce) -> Path
    total: int  # records the file holds (what must be landed or quarantined)
    landed: int
    rejects: tuple[tuple[str, str], ...]  # (location regex, reason fragment)
    notes: int = 0  # rejects that name the file, not a record


def _four(dce) -> list[dict]:
    people = [dce.user(f"80000000000000001{i}", name) for i, name in enumerate(("ada", "bob", "cy", "di"))]
    return [dce.message(datetime(2024, 3, 4, 9, i * 5), people[i], f"message number {i}") for i in range(4)]


def _json(mutate: Callable[[list[dict]], object] = lambda m: None, edit=lambda text: text):
    def make(folder: Path, dce) -> Path:
        messages = _four(dce)
        mutate(messages)
        path = folder / dce.export_name("json")
        text = edit(dce.export_json(messages))
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return make


def _set(index: int, key: str, value):
    def mutate(messages):
        if value is DELETE:
            del messages[index][key]
        else:
            messages[index][key] = value
    return mutate


DELETE = object()
HEADER = "AuthorID;Author;Date;Content;Attachments;Reactions;\n"
ROW = '"80000000000000001{0}";"user{0}#000{0}";"0{0}-Jun-19 07:2{0} AM";"csv row {0}";"";"👌 ({0})";\n'


def _csv(*rows: str, header: str = HEADER, raw: bytes | None = None):
    def make(folder: Path, dce) -> Path:
        path = folder / "Acme - Support - help [710000000000000002].csv"
        path.write_bytes(raw if raw is not None else (header + "".join(rows)).encode())
        return path
    return make


def _html(edit: Callable[[str], str | bytes]):
    def make(folder: Path, dce) -> Path:
        path = folder / dce.export_name("html")
        text = edit(dce.export_html(_four(dce)))
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return make


def _cut_inside_message(text: str, index: int) -> str:
    return text[: text.index(f'"content": "message number {index}"') + 20]


def _bad_byte(text: str, marker: str) -> bytes:
    return text.replace(marker, marker + "\x00BAD").encode().replace(b"\x00BAD", b"\xff\xfe")


def _html_id(text: str, index: int) -> str:
    return re.findall(r'data-message-id="(\d+)"', text)[index]


M = r"\[messages\.{}\]$"
CASES = {
    "json truncated inside a message": Case("discord-dce-json", _json(edit=lambda t: _cut_inside_message(t, 3)),
                                            4, 3, ((M.format(3), "truncated JSON"),)),
    "json truncated after the messages": Case("discord-dce-json", _json(edit=lambda t: t[: t.rindex("]") + 1]),
                                              4, 4, ((r"\.json$", "truncated JSON"),), notes=1),
    "json invalid UTF-8 in a message": Case("discord-dce-json", _json(edit=lambda t: _bad_byte(t, "message number 1")),
                                            4, 3, ((M.format(1), "invalid UTF-8"),)),
    "json message without id": Case("discord-dce-json", _json(_set(1, "id", DELETE)), 4, 3, ((M.format(1), "valid 'id'"),)),
    "json id of the wrong type": Case("discord-dce-json", _json(_set(1, "id", True)), 4, 3, ((M.format(1), "valid 'id'"),)),
    "json timestamp not a date": Case("discord-dce-json", _json(_set(2, "timestamp", "yesterday")), 4, 3,
                                      ((M.format(2), "'timestamp' is not a timestamp"),)),
    "json timestamp a number": Case("discord-dce-json", _json(_set(2, "timestamp", 1709542805)), 4, 3,
                                    ((M.format(2), "timestamp string"),)),
    "json message without author": Case("discord-dce-json", _json(_set(0, "author", DELETE)), 4, 3,
                                        ((M.format(0), "'author' is missing"),)),
    "json author not an object": Case("discord-dce-json", _json(_set(0, "author", "ada")), 4, 3,
                                      ((M.format(0), "not an object"),)),
    "json content not a string": Case("discord-dce-json", _json(_set(3, "content", 42)), 4, 3,
                                      ((M.format(3), "'content' is not a string"),)),
    "json message not an object": Case("discord-dce-json", _json(lambda m: m.insert(2, "hello")), 5, 4,
                                       ((M.format(2), "not an object"),)),
    "json duplicate message id": Case("discord-dce-json", _json(lambda m: m[3].update(id=m[0]["id"])), 4, 3,
                                      ((M.format(3), "duplicate message id"),)),
    "json garbled message mid-file": Case(
        "discord-dce-json", _json(edit=lambda t: t.replace('"content": "message number 1"', '"content" "message number 1"')),
        4, 3, ((M.format(1), "invalid JSON"),)),
    "json empty file": Case("discord-dce-json", lambda folder, dce: _touch(folder / "empty.json"), 0, 0,
                            ((r"empty\.json$", "empty file"),), notes=1),
    "json oversized message": Case("discord-dce-json", _json(_set(1, "content", "x" * (9 << 20))), 4, 3,
                                   ((M.format(1), "'payload' failed"),)),
    "json channel without id": Case("discord-dce-json", _json(edit=lambda t: t.replace('"id": "710000000000000002"', '"id": null')),
                                    4, 0, ((r"\[channel\]$", "numeric 'id'"),) + tuple((M.format(i), "no channel") for i in range(4)),
                                    notes=1),
    "json message count disagrees": Case("discord-dce-json", _json(edit=lambda t: t.replace('"messageCount": 4', '"messageCount": 7')),
                                         4, 4, ((r"\[messageCount\]$", "says 7 messages; 4 were found"),), notes=1),
    "json messages not an array": Case("discord-dce-json", _json(edit=lambda t: re.sub(r'"messages": \[.*\],\s*"messageCount"',
                                                                                       '"messages": {}, "messageCount"', t, flags=re.DOTALL)),
                                       0, 0, ((r"\[messages\]$", "not an array"),), notes=1),
    "csv date not a DCE date": Case("discord-dce-csv", _csv(ROW.format(1), ROW.format(2).replace("02-Jun-19", "31-Foo-19"),
                                                            ROW.format(3)), 3, 2, ((r":3$", "not a date"),)),
    "csv author id not a snowflake": Case("discord-dce-csv", _csv(ROW.format(1), ROW.format(2).replace('"800000000000000012"', '"ada"')),
                                          2, 1, ((r":3$", "AuthorID"),)),
    "csv row with too few fields": Case("discord-dce-csv", _csv(ROW.format(1), '"1";"x";"y"\n', ROW.format(3)), 3, 2,
                                        ((r":3$", "expected 6 fields, found 3"),)),
    "csv invalid UTF-8 in a row": Case("discord-dce-csv", _csv(raw=(HEADER + ROW.format(1)).encode() + b'"800000000000000012";"x";'
                                                           b'"02-Jun-19 07:22 AM";"\xff\xfe";"";"";\n' + ROW.format(3).encode()),
                                       3, 2, ((r":3$", "invalid UTF-8"),)),
    "csv oversized field": Case("discord-dce-csv", _csv(ROW.format(1), ROW.format(2).replace("csv row 2", "y" * 200_000)), 2, 1,
                                ((r":3$", "unreadable CSV row"),)),
    "csv empty file": Case("discord-dce-csv", _csv(raw=b""), 0, 0, ((r"\.csv$", "empty file"),), notes=1),
    "csv bad row after a multi-line row": Case(
        "discord-dce-csv", _csv(ROW.format(1).replace("csv row 1", "line a\nline b\nline c"),
                                ROW.format(2).replace("07:22 AM", "noon")), 2, 1, ((r":5$", "not a date"),)),
    "csv new comma header, bad row": Case("discord-dce-csv", _csv(
        '"800000000000000011","ada","2019-06-05T07:28:00.000+00:00","hi","",""\n', '"800000000000000012","bob","later","x","",""\n',
        header="AuthorID,Author,Date,Content,Attachments,Reactions\n"), 2, 1, ((r":3$", "not a date"),)),
    "html truncated in the last message": Case("discord-dce-html", _html(lambda t: t[: t.index("message number 3") + 5]), 4, 3,
                                               ((r":\d+$", "last message may be incomplete"), (r":\d+$", "truncated HTML")), notes=1),
    "html author without user id": Case("discord-dce-html", _html(lambda t: t.replace('data-user-id="800000000000000011"', "", 1)),
                                        4, 3, ((r":\d+$", "'author' is missing"),)),
    "html invalid UTF-8 in a message": Case("discord-dce-html", _html(lambda t: _bad_byte(t, "message number 2")), 4, 3,
                                            ((r":\d+$", "invalid UTF-8"),)),
    "html duplicate message id": Case("discord-dce-html", _html(lambda t: t.replace(_html_id(t, 2), _html_id(t, 0))), 4, 3,
                                      ((r":\d+$", "duplicate message id"),)),
    "html id not a snowflake": Case("discord-dce-html", _html(lambda t: t.replace(f'data-message-id="{_html_id(t, 1)}"',
                                                                                  'data-message-id="abc"')), 4, 3,
                                    ((r":\d+$", "valid 'id'"),)),
    "html empty file": Case("discord-dce-html", lambda folder, dce: _touch(folder / "empty.html"), 0, 0,
                            ((r"empty\.html$", "empty file"),), notes=1),
    "html message count disagrees": Case("discord-dce-html", _html(lambda t: t.replace("Exported 4 message", "Exported 9 message")),
                                         4, 4, ((r"\[postamble\]$", "says 9 messages; 4 were found"),), notes=1),
}


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_damaged_file_lands_good_records_and_quarantines_the_rest(case, tmp_path, dce):
    # GIVEN a damaged export file
    path = case.make(tmp_path, dce)
    # WHEN it is ingested as its format
    con = connect(tmp_path / "w.duckdb")
    summary = ingest_units(con, by_name(case.fmt).units(path))
    # THEN the unit itself did not fail, and the good messages landed
    assert not summary.errors
    landed = con.execute("select count(*) from raw_discord.messages").fetchone()[0] if case.landed else 0
    assert landed == case.landed
    # AND each bad record is quarantined with its location and reason
    rows = con.execute("select location, reason from meta.quarantine").fetchall()
    assert len(rows) == len(case.rejects), rows
    unmatched = list(rows)
    for location, reason in case.rejects:
        hit = next((r for r in unmatched if re.search(location, r[0]) and reason in r[1]), None)
        assert hit is not None, (location, reason, rows)
        assert hit[0].startswith(str(path.resolve()))
        unmatched.remove(hit)
    # AND nothing was lost: landed + quarantined records = records in the file
    assert landed + len(case.rejects) - case.notes == case.total


def test_damage_leaves_other_tables_consistent(tmp_path, dce):
    # GIVEN a JSON export whose second message lacks an author
    path = CASES["json message without author"].make(tmp_path, dce)
    # WHEN it is ingested
    con = connect(tmp_path / "w.duckdb")
    ingest_units(con, by_name("discord-dce-json").units(path))
    # THEN members are the authors of the landed messages only, and the guild and channel landed
    members = {r[0] for r in con.execute("select user_id from raw_discord.members").fetchall()}
    authors = {r[0] for r in con.execute("select author_id from raw_discord.messages").fetchall()}
    assert members == authors == {"800000000000000011", "800000000000000012", "800000000000000013"}
    assert con.execute("select count(*) from raw_discord.guilds").fetchone()[0] == 1
    quarantined = json.loads(con.execute("select raw_text from meta.quarantine").fetchone()[0])
    assert quarantined["content"] == "message number 0"
