"""The real export, zipped (or tarred) by the test, lands exactly like the folder does."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from codeconvene.warehouse import connect
from ingest.formats import detect

pytestmark = pytest.mark.real_data


def _expected(root: Path) -> tuple[int, int, int]:
    """Counts read straight from the export's JSON files, independently of the connector."""
    users = json.loads((root / "users.json").read_text())
    conversations = {c["id"]: c for name in ("channels", "groups", "dms", "mpims")
                     for c in json.loads((root / f"{name}.json").read_text())}
    folders = {c.get("name") or c["id"]: c["id"] for c in conversations.values()}
    messages = {(folders[day.parent.name], m["ts"]) for day in root.glob("*/*.json") for m in json.loads(day.read_text())}
    return len({u["id"] for u in users}), len(conversations), len(messages)


def _table(con) -> list[tuple]:
    return con.execute("select channel_id, ts, thread_ts, user_id, updated_at, payload from raw_slack.messages order by 1, 2").fetchall()


@pytest.mark.parametrize("prefix", ["", "olake/"], ids=["members-at-root", "members-in-a-folder"])
def test_zipped_real_export_lands_like_the_folder(real_data, tmp_path, kit, con, prefix):
    # GIVEN the real export zipped by the test, and counts computed from its JSON files
    root = real_data / "slack" / "olake"
    archive = kit.zip_folder(root, tmp_path / "olake.zip", prefix)
    users, channels, messages = _expected(root)
    assert (users, channels, messages) == (681, 5, 290)
    # WHEN the zip is ingested (format auto-detected), and the folder into a second warehouse
    assert detect(archive) == "slack-export-zip"
    summary = kit.ingest(con, archive)
    folder_con = connect(tmp_path / "folder.duckdb")
    kit.ingest(folder_con, root)
    # THEN the counts match the files, nothing is quarantined, and every row equals the folder's
    assert (kit.count(con, "users"), kit.count(con, "channels"), kit.count(con, "messages")) == (users, channels, messages)
    assert summary.quarantined == 0 and not summary.errors
    assert _table(con) == _table(folder_con)
    # AND each unit is named archive!member
    location = con.execute("select path from meta.files where path like '%general/%' order by path limit 1").fetchone()[0]
    assert location.startswith(f"{archive}!{prefix}general/") and location.endswith(".json")
    folder_con.close()


def test_rezipped_export_is_skipped_and_a_tarball_changes_nothing(real_data, tmp_path, kit, con):
    # GIVEN the real export ingested from a zip
    root = real_data / "slack" / "olake"
    archive = kit.zip_folder(root, tmp_path / "olake.zip")
    first = kit.ingest(con, archive)
    # WHEN the same zip is ingested again, and then the same export as a .tar.gz
    again = kit.ingest(con, archive)
    tarball = tmp_path / "olake.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(root, arcname="olake")
    from_tar = kit.ingest(con, tarball)
    # THEN the replay skips every member (same location and hash), the tarball updates nothing
    assert again.skipped == first.files and again.records == 0
    assert from_tar.files == first.files and not from_tar.errors
    assert (from_tar.counts.inserted, from_tar.counts.updated) == (0, 0)
    assert from_tar.counts.unchanged == first.records
