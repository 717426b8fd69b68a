"""Safe archive access: every hostile member gets a verdict naming it, reads stay bounded."""

from __future__ import annotations

import hashlib
import io
import itertools
import stat
import struct
import tarfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from ingest.core.archives import (
    DAMAGED,
    ArchiveError,
    Limits,
    Member,
    archive_kind,
    bounded,
    normalise_name,
    open_archive,
)

MiB = 1 << 20


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _verdicts(path: Path, limits: Limits | None = None) -> dict[str, str | None]:
    return {m.name: m.problem for m in open_archive(path, limits).members}


@pytest.mark.parametrize(("raw", "name", "problem"), [
    ("general/2024-03-01.json", "general/2024-03-01.json", None),
    ("./a/./b.json", "a/b.json", None),
    ("a/../b.json", "b.json", None),
    ("../evil.json", "../evil.json", "path traversal"),
    ("a/../../evil.json", "a/../../evil.json", "path traversal"),
    ("..\\..\\evil.json", "..\\..\\evil.json", "path traversal"),
    ("/etc/passwd", "/etc/passwd", "absolute path"),
    ("\\\\server\\share.json", "\\\\server\\share.json", "absolute path"),
    ("C:/Windows/evil.json", "C:/Windows/evil.json", "absolute path"),
    ("a\x00.json", "a\x00.json", "NUL byte"),
])
def test_member_names_are_normalised_or_refused(raw, name, problem):
    # GIVEN a raw member name / WHEN it is normalised
    got_name, got_problem = normalise_name(raw)
    # THEN it is the safe relative name, or refused with the reason
    assert got_name == name
    assert (got_problem is None) if problem is None else (problem in got_problem)


def test_good_members_read_back_exactly_and_hostile_ones_are_refused_by_name(tmp_path):
    # GIVEN a zip with good members, traversal, absolute, symlink and a duplicate
    path = _zip(tmp_path / "a.zip", {"users.json": b"[]", "general/2024-03-01.json": b"[1, 2]", "../up.json": b"x",
                                     "/root.json": b"x", "users.json\x00": b"y"})
    with zipfile.ZipFile(path, "a") as z:
        link = zipfile.ZipInfo("general/2024-03-02.json")
        link.create_system, link.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "../../../etc/passwd")
    # WHEN it is opened
    archive = open_archive(path)
    verdicts = {m.name: m.problem for m in archive.members}
    # THEN the good members read back byte for byte, with their hash
    good = [m for m in archive.members if not m.problem]
    assert [(m.name, archive.read_bytes(m)) for m in good] == [("users.json", b"[]"), ("general/2024-03-01.json", b"[1, 2]")]
    assert archive.sha256(good[1]) == hashlib.sha256(b"[1, 2]").hexdigest()
    # AND each hostile member has a verdict; reading it raises an error naming archive!member
    assert "path traversal" in verdicts["../up.json"] and "absolute path" in verdicts["/root.json"]
    assert "symbolic link" in verdicts["general/2024-03-02.json"]
    assert "duplicate member name" in verdicts["users.json"]  # zipfile cuts names at NUL: a second users.json
    refused = next(m for m in archive.members if m.name == "../up.json")
    with pytest.raises(ArchiveError, match=r"a\.zip!\.\./up\.json: path traversal"):
        archive.read_bytes(refused)


def _flag(path: Path, name: str, local_at: int, central_at: int, value: int, fmt: str = "<B") -> None:
    """Overwrite one field of a member in both its local header and its central directory entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo(name).header_offset
    struct.pack_into(fmt, data, offset + local_at, value)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + length] == name.encode():
            struct.pack_into(fmt, data, at + central_at, value)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_an_encrypted_member_is_refused_and_the_others_read(tmp_path):
    # GIVEN a zip whose second member carries the 'encrypted' flag
    path = _zip(tmp_path / "e.zip", {"a.json": b"[]", "b.json": b"[]"})
    _flag(path, "b.json", 6, 8, 0x1)
    # WHEN it is opened
    verdicts = _verdicts(path)
    # THEN b.json is refused as encrypted, a.json is fine
    assert verdicts["a.json"] is None and "encrypted" in verdicts["b.json"]


def _bomb(path: Path, mebibytes: int, name: str = "bomb.json") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ok.json", b"[]")
        with z.open(name, "w") as out:
            zeros = bytes(MiB)
            for _ in range(mebibytes):
                out.write(zeros)
    return path


def test_a_zip_bomb_is_refused_from_its_header_without_inflating(tmp_path):
    # GIVEN 200 MB of zeros deflated to about 200 KB
    path = _bomb(tmp_path / "bomb.zip", 200)
    assert path.stat().st_size < 300_000
    # WHEN it is opened and the bomb is read, with allocations traced
    tracemalloc.start()
    try:
        archive = open_archive(path)
        bomb = next(m for m in archive.members if m.name == "bomb.json")
        with pytest.raises(ArchiveError, match=r"bomb\.zip!bomb\.json: compression ratio 1,0\d\dx is over the 100x limit"):
            archive.read_bytes(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # THEN nothing near its size was allocated, and the small member still reads
    assert peak < 4 * MiB
    assert archive.read_bytes(next(m for m in archive.members if m.name == "ok.json")) == b"[]"


def test_a_header_that_understates_the_size_cannot_smuggle_a_bomb(tmp_path):
    # GIVEN a 50 MB zero member whose headers claim it inflates to 10 KB (a ratio that looks harmless)
    path = _bomb(tmp_path / "liar.zip", 50)
    _flag(path, "bomb.json", 22, 24, 10_000, "<I")
    archive = open_archive(path)
    liar = next(m for m in archive.members if m.name == "bomb.json")
    assert (liar.size, liar.problem) == (10_000, None)
    # WHEN it is read / THEN reading stops at the declared size and fails naming the member
    with pytest.raises(ArchiveError, match=r"liar\.zip!bomb\.json: cannot be read \(BadZipFile: Bad CRC-32"):
        archive.read_bytes(liar)


def test_bounded_reads_stop_at_the_limit_however_much_the_stream_has():
    # GIVEN an endless stream of 1 MiB chunks, and a member declared at 8 MiB from 1 MiB compressed
    pulled = itertools.count()
    endless = (bytes(MiB) for _ in iter(lambda: next(pulled), -1))
    member = Member("x.json", size=8 * MiB, compressed=MiB)
    # WHEN it is read through the guard
    with pytest.raises(ArchiveError, match=r"a\.zip!x\.json: inflates past 8,388,608 bytes"):
        for _ in bounded(endless, member, Limits(ratio=1000), "a.zip!x.json"):
            pass
    # THEN the guard stopped right after the limit (9 chunks pulled), and the ratio guard works too
    assert next(pulled) == 9
    ratio_member = Member("y.json", size=64 * MiB, compressed=MiB // 4)
    with pytest.raises(ArchiveError, match="100x its compressed size"):
        list(bounded((bytes(MiB) for _ in range(64)), ratio_member, Limits(), "a.zip!y.json"))


def test_size_total_and_count_limits_refuse_by_name(tmp_path):
    # GIVEN a zip of three 3 KB members of varied bytes
    data = {f"m{i}.json": bytes(range(256)) * 12 for i in range(3)}
    path = _zip(tmp_path / "l.zip", data)
    # WHEN it is opened under small per-member, total and member-count limits
    per_member = _verdicts(path, Limits(member_bytes=3000))
    total = _verdicts(path, Limits(total_bytes=7000))
    # THEN the member limit refuses all, the total limit the third, the count limit the archive
    assert all("member limit" in p for p in per_member.values())
    assert [p is None for p in total.values()] == [True, True, False] and "total limit" in total["m2.json"]
    with pytest.raises(ArchiveError, match="over the 2-member limit"):
        open_archive(path, Limits(members=2))


def _truncated(tmp_path: Path, streamed: bool) -> Path:
    sink = io.BytesIO()
    writable = sink if not streamed else _NoSeek(sink)
    with zipfile.ZipFile(writable, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.json", b"[1]")
        z.writestr("b.json", b"[2]")
        z.writestr("c.json", bytes(range(256)) * 40)
    data = sink.getvalue()
    path = tmp_path / "cut.zip"
    path.write_bytes(data[: data.rfind(b"PK\x03\x04") + 300])
    return path


class _NoSeek(io.RawIOBase):
    def __init__(self, sink: io.BytesIO) -> None:
        self.sink = sink

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        return self.sink.write(chunk)


@pytest.mark.parametrize("streamed", [False, True], ids=["sizes-in-headers", "data-descriptors"])
def test_a_truncated_zip_is_salvaged_up_to_the_cut(tmp_path, streamed):
    # GIVEN a zip cut inside its third member
    path = _truncated(tmp_path, streamed)
    # WHEN it is opened
    archive = open_archive(path)
    # THEN the first two read back, the third and the lost directory are refused by name
    members = {m.name: m for m in archive.members}
    assert list(members) == ["a.json", "b.json", "c.json", DAMAGED]
    assert [archive.read_bytes(members[n]) for n in ("a.json", "b.json")] == [b"[1]", b"[2]"]
    assert "ends inside this member" in members["c.json"].problem or "cut off" in members["c.json"].problem
    assert "central directory is missing" in members[DAMAGED].problem
    with pytest.raises(ArchiveError, match=r"cut\.zip!c\.json"):
        archive.read_bytes(members["c.json"])


def test_an_archive_with_nothing_recoverable_is_one_error_naming_it(tmp_path):
    # GIVEN a zip magic followed by nothing usable, and a text file named like a tarball
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 8)
    fake = tmp_path / "fake.tar.gz"
    fake.write_bytes(b"not gzip at all")
    # WHEN they are opened / THEN each is an ArchiveError naming the file
    with pytest.raises(ArchiveError, match=r"junk\.zip: not a readable zip"):
        open_archive(junk)
    with pytest.raises(ArchiveError, match=r"fake\.tar\.gz: cannot be listed"):
        open_archive(fake)


def test_archive_kind_sniffs_zips_by_magic_and_tars_by_name(tmp_path):
    # GIVEN a zip without a .zip name, a .tgz, a JSON file and a missing path
    disguised = _zip(tmp_path / "export.bin", {"a.json": b"[]"})
    (tmp_path / "x.tgz").write_bytes(b"")
    (tmp_path / "x.json").write_text("[]")
    # WHEN / THEN
    assert [archive_kind(p) for p in (disguised, tmp_path / "x.tgz", tmp_path / "x.json", tmp_path / "nope.zip")] == [
        "zip", "tar", None, None]


def _tar_member(tar: tarfile.TarFile, name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data)
    tar.addfile(info, io.BytesIO(data))


def test_a_tar_follows_the_same_rules(tmp_path):
    # GIVEN a .tar.gz with a good member, traversal, absolute, symlink, hard link and a device
    path = tmp_path / "t.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        _tar_member(tar, "users.json", data=b"[]")
        _tar_member(tar, "../evil.json", data=b"x")
        _tar_member(tar, "/abs.json", data=b"x")
        _tar_member(tar, "sym.json", tarfile.SYMTYPE, link="/etc/passwd")
        _tar_member(tar, "hard.json", tarfile.LNKTYPE, link="users.json")
        _tar_member(tar, "dev.json", tarfile.CHRTYPE)
    # WHEN it is opened
    archive = open_archive(path)
    verdicts = {m.name: m.problem for m in archive.members}
    # THEN only the good member is accepted and it reads back
    assert [n for n, p in verdicts.items() if p is None] == ["users.json"]
    assert archive.read_bytes(archive.members[0]) == b"[]"
    assert "path traversal" in verdicts["../evil.json"] and "absolute path" in verdicts["/abs.json"]
    assert "link to '/etc/passwd'" in verdicts["sym.json"] and "link to 'users.json'" in verdicts["hard.json"]
    assert "not a regular file" in verdicts["dev.json"]


def test_a_tar_gz_bomb_stops_the_listing(tmp_path):
    # GIVEN a .tar.gz whose 20 MB member of zeros compresses to a few KB, with a member after it
    path = tmp_path / "bomb.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        _tar_member(tar, "ok.json", data=b"[]")
        _tar_member(tar, "bomb.json", data=bytes(20 * MiB))
        _tar_member(tar, "after.json", data=b"[]")
    # WHEN it is opened
    archive = open_archive(path)
    # THEN the bomb is refused for inflating the archive past 100x, and the walk stops there
    assert [(m.name, m.problem is None) for m in archive.members] == [("ok.json", True), ("bomb.json", False)]
    assert "over 100x its size" in archive.members[1].problem
