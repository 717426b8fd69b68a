"""Hostile or damaged Slack export archives: each bad member is a clear quarantine row
naming `archive!member`, and the good members still land."""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import tarfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from ingest.core.archives import DAMAGED

GOOD_DAY = "general/2024-03-01.json"


def _good_zip(tmp_path: Path, kit, name: str = "export.zip") -> Path:
    return kit.zip_folder(kit.small_export(tmp_path / "export"), tmp_path / name)


def _flag_encrypted(path: Path, name: str) -> None:
    """Set the 'encrypted' bit of one member in its local header and central directory."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        data[archive.getinfo(name).header_offset + 6] |= 1
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + length] == name.encode():
            data[at + 8] |= 1
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_traversal_absolute_symlink_encrypted_and_duplicate_members_are_refused(tmp_path, kit, con):
    # GIVEN a good export zip with hostile members appended
    archive = _good_zip(tmp_path, kit)
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("../evil.json", "[]")
        z.writestr("/abs.json", "[]")
        z.writestr("general/../../etc/cron.json", "[]")
        link = zipfile.ZipInfo("general/2024-03-02.json")
        link.create_system, link.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
        z.writestr("general/2024-03-03.json", '[{"type": "message", "ts": "1709460000.000100", "text": "secret"}]')
        z.writestr("general/2024-03-01.json", '[{"type": "message", "ts": "1709287200.000999", "text": "shadow"}]')
    _flag_encrypted(archive, "general/2024-03-03.json")
    # WHEN the zip is ingested
    summary = kit.ingest(con, archive)
    # THEN each hostile member is one quarantine row naming it and why
    reasons = dict(kit.quarantine(con))
    where = f"{archive.resolve()}!"
    assert "path traversal" in reasons[where + "../evil.json"]
    assert "absolute path" in reasons[where + "/abs.json"]
    assert "path traversal" in reasons[where + "general/../../etc/cron.json"]
    assert "symbolic link" in reasons[where + "general/2024-03-02.json"]
    assert "encrypted" in reasons[where + "general/2024-03-03.json"]
    assert "duplicate member name" in reasons[where + GOOD_DAY]
    assert len(reasons) == 6 and not summary.errors
    # AND the good members land, and nothing of the refused ones does
    assert con.execute("select list(payload->>'text') from raw_slack.messages").fetchone()[0] == ["hello"]
    assert (kit.count(con, "users"), kit.count(con, "channels")) == (1, 1)


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path, kit, con):
    # GIVEN an export zip with a day file of 200 MB of zeros, deflated to about 200 KB
    archive = _good_zip(tmp_path, kit)
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as z, z.open("general/2024-03-02.json", "w") as bomb:
        zeros = bytes(1 << 20)
        for _ in range(200):
            bomb.write(zeros)
    assert archive.stat().st_size < 300_000
    # WHEN it is ingested while Python's allocations are traced
    tracemalloc.start()
    try:
        summary = kit.ingest(con, archive)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # THEN the bomb is one quarantine row, far less than its size was ever allocated, the rest lands
    [(location, reason)] = kit.quarantine(con)
    assert location == f"{archive.resolve()}!general/2024-03-02.json"
    assert "compression ratio" in reason and "100x limit" in reason
    assert peak < 20 * (1 << 20)
    assert kit.count(con, "messages") == 1 and not summary.errors


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes sizes after each member (data descriptors)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.data += chunk
        return len(chunk)


@pytest.mark.parametrize("streamed", [False, True], ids=["sizes-in-headers", "data-descriptors"])
def test_a_truncated_zip_lands_the_members_before_the_cut(tmp_path, kit, con, streamed):
    # GIVEN an export zip cut short inside its last day file (a download interrupted)
    root = kit.small_export(tmp_path / "export")
    noise = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(50)]  # keeps the member large when deflated
    kit.write_json(root / "general" / "2024-03-02.json", [kit.message(f"1709373600.{i:06d}", text) for i, text in enumerate(noise)])
    sink = _Unseekable() if streamed else io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as z:
        for file in sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: (p.parent != root, p.name)):
            z.write(file, file.relative_to(root).as_posix())
    data = bytes(sink.data if streamed else sink.getvalue())
    cut = data.rfind(b"PK\x03\x04") + 200  # inside the last member, general/2024-03-02.json
    archive = tmp_path / "export.zip"
    archive.write_bytes(data[:cut])
    # WHEN it is ingested
    summary = kit.ingest(con, archive)
    # THEN the members before the cut land, the cut member and the lost directory are quarantined
    assert (kit.count(con, "users"), kit.count(con, "channels"), kit.count(con, "messages")) == (1, 1, 1)
    reasons = dict(kit.quarantine(con))
    where = f"{archive.resolve()}!"
    assert set(reasons) == {where + "general/2024-03-02.json", where + DAMAGED}
    assert "truncated" in reasons[where + DAMAGED]
    assert ("cut off" if not streamed else "ends inside this member") in reasons[where + "general/2024-03-02.json"]
    assert not summary.errors


def test_an_unreadable_zip_given_as_an_export_is_one_error_naming_it(tmp_path, kit, con):
    # GIVEN a file that starts like a zip but holds nothing recoverable
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 10)
    # WHEN it is ingested as a Slack export
    summary = kit.ingest(con, archive, fmt="slack-export")
    # THEN one error names the archive and says it is unreadable
    assert len(summary.errors) == 1
    assert str(archive.resolve()) in summary.errors[0] and "not a readable zip" in summary.errors[0]


def test_a_tarball_follows_the_same_rules(tmp_path, kit, con):
    # GIVEN an export .tar.gz with a traversal member, a symlink and a hard link beside the good files
    root = kit.small_export(tmp_path / "export")
    tarball = tmp_path / "export.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(root, arcname=".")
        for name, kind in (("../evil.json", tarfile.REGTYPE), ("general/2024-03-02.json", tarfile.SYMTYPE),
                           ("general/2024-03-03.json", tarfile.LNKTYPE)):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, "/etc/passwd" if kind != tarfile.REGTYPE else ""
            data = b"[]" if kind == tarfile.REGTYPE else b""
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    # WHEN it is ingested
    summary = kit.ingest(con, tarball)
    # THEN the three are quarantined by name, the good export lands
    reasons = dict(kit.quarantine(con))
    where = f"{tarball.resolve()}!"
    assert "path traversal" in reasons[where + "../evil.json"]
    assert "link to '/etc/passwd'" in reasons[where + "general/2024-03-02.json"]
    assert "link to '/etc/passwd'" in reasons[where + "general/2024-03-03.json"]
    assert len(reasons) == 3 and not summary.errors
    assert (kit.count(con, "users"), kit.count(con, "channels"), kit.count(con, "messages")) == (1, 1, 1)
