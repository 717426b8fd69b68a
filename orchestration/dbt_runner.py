"""Run dbt inside this Python process, parsing the project once per process.

Why in-process: a `dbt build` subprocess pays ~2 s importing dbt, ~1.2 s parsing the project
(and writing manifest.json) and ~0.5 s writing run_results.json before and after the SQL it
runs, and a refresh runs two such steps. The Dagster run worker has dbt imported already
(dagster-dbt imports it), so here each step is an invocation of `dbtRunner`, not a process:
the project is parsed once (`parse --no-write-json`, partial parsing from the target folder's
msgpack) and the parsed Manifest is handed to every later invocation while nothing it was
parsed from has changed: the project files, the `--vars`, the profile (CODECONVENE_WAREHOUSE
and the profiles folder) and the target folder.

dbt's structured events reach us through a dbtRunner callback and are handed on as dicts
shaped like dbt's JSON log lines (`{"info": {...}, "data": {...}}`), which is what dagster-dbt
converts into Dagster events. After every invocation dbt-duckdb's connections are closed, so
other code in this process (sentiment scoring through codeconvene.warehouse.connect) can open
the warehouse. No Dagster import: bench/build.py uses this module without Dagster.

One invocation at a time per process (a lock): dbt's event manager and adapter are globals.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt_common.events.functions import msg_to_dict

from orchestration.dbt_manifest import project_files_fingerprint

EventSink = Callable[[dict[str, Any]], None]
FAILED = ("error", "fail", "runtime error")
# dbt's console logger is off: events go to the callback, which echoes the info-level lines
QUIET_CONSOLE = ["--no-use-colors", "--log-level", "none"]

_lock = threading.Lock()
_parsed: tuple[str, Any] | None = None  # (cache key, dbt Manifest) of the last parse


class DbtFailed(RuntimeError):
    """A dbt invocation that did not succeed; the message names the failed nodes."""


@dataclass
class DbtRun:
    """What one invocation did: success, one row per node result, and the time it took."""

    args: list[str]
    success: bool
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exception: BaseException | None = None
    parsed: bool = False  # whether this invocation had to parse the project first
    parse_seconds: float = 0.0  # included in seconds
    seconds: float = 0.0

    def failure(self) -> str:
        """One line per failed node (and dbt's own error, if any), for a clear error."""
        command = self.args[0] if self.args else ""
        failed = [r for r in self.results if r["status"] in FAILED]
        lines = [f"{r['unique_id']} ({r['status']}): {(r['message'] or '').strip()[:500]}" for r in failed[:20]]
        if len(failed) > 20:
            lines.append(f"... and {len(failed) - 20} more failed nodes")
        if self.exception is not None:
            lines.append(f"{type(self.exception).__name__}: {str(self.exception).strip()[:2000]}")
        if not lines:
            lines = self.errors[-10:] or ["no node failed and dbt gave no error message"]
        return f"dbt {command} failed: " + "; ".join(lines)

    def check(self) -> DbtRun:
        if not self.success:
            raise DbtFailed(self.failure())
        return self


def common_args(project_dir: Path, target_path: Path, log_path: Path | None = None) -> list[str]:
    return [
        "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
        "--target-path", str(target_path), "--log-path", str(log_path or target_path), *QUIET_CONSOLE,
    ]


def _vars_arg(args: Sequence[str]) -> list[str]:
    args = list(args)
    return args[args.index("--vars"):args.index("--vars") + 2] if "--vars" in args else []


def _parse_key(project_dir: Path, target_path: Path, vars_arg: list[str]) -> str:
    parts = {
        "project": str(Path(project_dir).resolve()),
        "files": project_files_fingerprint(Path(project_dir)),
        "vars": vars_arg,
        "warehouse": os.environ.get("CODECONVENE_WAREHOUSE"),
        "target": str(Path(target_path).resolve()),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def forget_parsed() -> None:
    """Drop the cached parse: the next invocation parses, as a fresh process would."""
    global _parsed
    _parsed = None


def _close_connections() -> None:
    DuckDBConnectionManager.close_all_connections()


def _manifest(project_dir: Path, target_path: Path, log_path: Path | None, vars_arg: list[str], sink) -> tuple[Any, bool]:
    global _parsed
    key = _parse_key(project_dir, target_path, vars_arg)
    if _parsed is not None and _parsed[0] == key:
        return _parsed[1], False
    _parsed = None
    args = ["parse", "--no-write-json", *vars_arg, *common_args(project_dir, target_path, log_path)]
    try:
        result = dbtRunner(callbacks=[sink]).invoke(args)
    finally:
        _close_connections()
    if not result.success:
        raise DbtFailed(f"dbt parse of {project_dir} failed: {result.exception}")
    _parsed = (key, result.result)
    return result.result, True


def ensure_parsed(project_dir: Path, target_path: Path, args: Sequence[str] = (), log_path: Path | None = None) -> bool:
    """Parse now (for the `--vars` in `args`) unless the cached parse is current; True if parsed."""
    with _lock:
        Path(target_path).mkdir(parents=True, exist_ok=True)
        return _manifest(Path(project_dir), Path(target_path), log_path, _vars_arg(args), lambda msg: None)[1]


def _results(result: Any) -> list[dict[str, Any]]:
    rows = []
    for r in getattr(result, "results", None) or []:
        timing = [t for t in (getattr(r, "timing", None) or []) if t.started_at and t.completed_at]
        rows.append({
            "unique_id": r.node.unique_id,
            "status": str(r.status),
            "execution_time": r.execution_time or 0.0,
            "message": r.message,
            # wall-clock span of the node (compile to execute), for timelines of a build
            "started_at": timing[0].started_at.timestamp() if timing else None,
            "completed_at": timing[-1].completed_at.timestamp() if timing else None,
        })
    return rows


def run_dbt(
    args: Sequence[str], *, project_dir: Path, target_path: Path, log_path: Path | None = None,
    on_event: EventSink | None = None, echo: IO[str] | None = None,
) -> DbtRun:
    """Invoke dbt (`args` start with the command, e.g. `build`) in this process, reusing the
    parsed project when it is still current. `on_event` gets every info-or-louder event as a
    dict; `echo` gets their message lines (what dbt would print). Never raises on a dbt
    failure: see DbtRun.check()."""
    errors: list[str] = []

    def sink(msg: Any) -> None:
        level = msg.info.level
        if level == "debug":
            return
        if level == "error":
            errors.append(msg.info.msg)
        if echo is not None:
            echo.write(msg.info.msg + "\n")
        if on_event is not None:
            on_event(msg_to_dict(msg))

    with _lock:
        started = time.perf_counter()
        Path(target_path).mkdir(parents=True, exist_ok=True)
        manifest, parsed = _manifest(Path(project_dir), Path(target_path), log_path, _vars_arg(args), sink)
        parse_seconds = time.perf_counter() - started
        full_args = [*args, *common_args(Path(project_dir), Path(target_path), log_path)]
        try:
            result = dbtRunner(manifest=manifest, callbacks=[sink]).invoke(full_args)
        finally:
            _close_connections()
        if echo is not None:
            echo.flush()
        return DbtRun(
            args=list(args), success=result.success, results=_results(result.result), errors=errors,
            exception=result.exception, parsed=parsed, parse_seconds=parse_seconds,
            seconds=time.perf_counter() - started,
        )


def stream_dbt(
    args: Sequence[str], *, project_dir: Path, target_path: Path, log_path: Path | None = None,
    echo: IO[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Like run_dbt, but yields each event as dbt fires it (dbt runs in a thread), so a caller
    can report nodes as they finish. Raises DbtFailed at the end if dbt failed; the generator's
    return value is the DbtRun."""
    events: queue.Queue = queue.Queue()
    done = object()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["run"] = run_dbt(args, project_dir=project_dir, target_path=target_path,
                                     log_path=log_path, on_event=events.put, echo=echo)
        except BaseException as error:  # noqa: BLE001 (handed to the consuming thread, re-raised there)
            outcome["error"] = error
        finally:
            events.put(done)

    thread = threading.Thread(target=work, name="dbt", daemon=True)
    thread.start()
    try:
        while (event := events.get()) is not done:
            yield event
    finally:
        thread.join()  # never leave dbt writing to the warehouse behind the caller's back
    if "error" in outcome:
        raise outcome["error"]
    return outcome["run"].check()
