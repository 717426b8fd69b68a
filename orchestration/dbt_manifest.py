"""Keep dbt's manifest.json fresh: dagster-dbt needs it when definitions load.

`dbt parse` runs only when a file of the dbt project is newer than the manifest, so loading
definitions stays fast. Parsing needs no database, but the profile names one, so a
placeholder path is given when CODECONVENE_WAREHOUSE is not set yet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WATCHED = ("models", "macros", "seeds", "tests", "snapshots", "dbt_project.yml", "profiles.yml")


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in WATCHED:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for file in path.rglob("*"):
                if file.is_file():
                    newest = max(newest, file.stat().st_mtime)
    return newest


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def ensure_manifest(project_dir: Path, target_path: Path) -> Path:
    manifest = target_path / "manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime(project_dir):
        return manifest
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "CODECONVENE_WAREHOUSE": os.environ.get("CODECONVENE_WAREHOUSE", str(target_path / "parse-only.duckdb")),
    }
    completed = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(project_dir),
         "--profiles-dir", str(project_dir), "--target-path", str(target_path)],
        env=env, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0 or not manifest.exists():
        raise RuntimeError(f"dbt parse failed in {project_dir}:\n{completed.stdout}\n{completed.stderr}")
    return manifest
