"""Kill an ingest anywhere, run it again: the warehouse ends exactly as an uninterrupted run's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover

REPO = Path(__file__).resolve().parents[3]
FILES = 16
# The child ingests the folder and SIGKILLs itself at the point it is told:
#   done:K   after the K-th unit of this run is committed (units skipped as done count too)
#   inside:K in the transaction of the K-th unit this run loads, after its rows went in
#   ready    never; the parent kills it after a delay from "ready"
CHILD = """
import dataclasses, os, signal, sys
from pathlib import Path
from codeconvene.warehouse import connect
from ingest.core.progress import NoProgress
from ingest.core.runner import ingest_units
from ingest.formats import discover

warehouse, folder, mode = sys.argv[1], sys.argv[2], sys.argv[3]
how, _, k = mode.partition(":")
k = int(k or 0)
units = discover([Path(folder)])

def die():
    os.kill(os.getpid(), signal.SIGKILL)

loads = []
def dying(real):
    def load(con, ctx):
        result = real(con, ctx)
        loads.append(ctx.location)
        if how == "inside" and len(loads) == k:
            die()
        return result
    return load
units = [dataclasses.replace(u, load=dying(u.load)) for u in units]

class KillAfter(NoProgress):
    seen = 0
    def unit_finished(self, location, records, skipped):
        self.seen += 1
        if how == "done" and self.seen == k:
            die()

con = connect(Path(warehouse))
print("ready", flush=True)
ingest_units(con, units, KillAfter())
con.close()
"""


def _event(event_id: int, hour: int, minute: int) -> str:
    return json.dumps({
        "id": str(event_id), "type": "PushEvent", "actor": {"id": event_id % 7, "login": f"dev{event_id % 7}"},
        "repo": {"id": 1, "name": "acme/rocket"}, "payload": {"n": event_id, "hour": hour},
        "public": True, "created_at": f"2026-03-02T{hour:02d}:{minute:02d}:00Z",
    })


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    # hour files of 60 events: ids repeat across files (later files carry newer edits of some,
    # equal-time edits of others) and every file has two bad lines
    root = tmp_path_factory.mktemp("gharchive")
    for hour in range(FILES):
        lines = [_event(hour * 50 + i, hour, i % 60) for i in range(50)]
        lines += [_event(i * 3, hour, 0) for i in range(10)]  # ids 0..27: rewritten every hour
        lines += ['{"id": "broken', json.dumps({"id": f"h{hour}", "type": "X"})]
        (root / f"2026-03-02-{hour}.json").write_text("\n".join(lines) + "\n")
    return root


def _child(warehouse: Path, folder: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(warehouse), str(folder), mode],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _snapshot(path: Path) -> dict:
    con = connect(path)
    try:
        return {
            "events": con.execute(
                "select md5(string_agg(concat_ws('|', event_id, event_type, repo_name, actor_login, updated_at,"
                " payload), '\n' order by event_id)), count(*) from raw_github.events").fetchall(),
            "quarantine": sorted(con.execute("select location, reason, raw_text from meta.quarantine").fetchall()),
            "files": con.execute("select count(*), count(distinct path) from meta.files").fetchall(),
            "runs": con.execute("select status, count(*) from meta.runs group by 1").fetchall(),
        }
    finally:
        con.close()


def test_a_run_killed_at_any_point_then_resumed_equals_an_uninterrupted_run(tmp_path, folder):
    # GIVEN the warehouse an uninterrupted run of the folder leaves
    reference = tmp_path / "reference.duckdb"
    con = connect(reference)
    ingest_units(con, discover([folder]))
    con.close()
    expected = _snapshot(reference)
    assert expected["files"] == [(FILES, FILES)] and expected["events"][0][1] == FILES * 50
    # WHEN another run is SIGKILLed inside its first unit's transaction
    warehouse = tmp_path / "killed.duckdb"
    first = _child(warehouse, folder, "inside:1")
    assert first.wait(timeout=120) == -signal.SIGKILL, first.stderr.read()
    # THEN nothing of that unit is there: no rows, no quarantine, no meta.files entry
    half = _snapshot(warehouse)
    assert half["events"][0][1] == 0 and half["quarantine"] == [] and half["files"] == [(0, 0)]
    # WHEN runs are then killed after commits, inside later units and at a timed moment,
    # each starting again where the last one died, and a last run goes to the end
    kills = 1
    for mode in ("done:3", "inside:2", "ready", "done:5"):
        child = _child(warehouse, folder, mode)
        if mode == "ready":
            assert child.stdout.readline().strip() == "ready"
            time.sleep(0.3)
            child.send_signal(signal.SIGKILL)
        code = child.wait(timeout=120)
        assert code in (-signal.SIGKILL, 0), child.stderr.read()
        assert mode == "ready" or code == -signal.SIGKILL
        kills += code == -signal.SIGKILL
    final = _child(warehouse, folder, "none")
    assert final.wait(timeout=120) == 0, final.stderr.read()
    # THEN rows, quarantine (not one line twice) and bookkeeping equal the uninterrupted run's
    got = _snapshot(warehouse)
    assert kills >= 4
    assert got["events"] == expected["events"]
    assert got["quarantine"] == expected["quarantine"] and len(got["quarantine"]) == 2 * FILES
    assert got["files"] == expected["files"]
    assert dict(got["runs"]).get("failed") is None


if os.name != "posix":  # pragma: no cover
    pytestmark = pytest.mark.skip("SIGKILL needs POSIX")
