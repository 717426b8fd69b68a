"""The live GitHub connector: real PyGithub against a loopback GitHub (tests/fakes/github_api.py).

Pages of 3 items make every stream paginate; waits go through a recording `sleep` so a
`Retry-After: 2` costs nothing and can be asserted.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codeconvene.settings import Settings
from codeconvene.warehouse import connect
from ingest.core.cursors import get_cursor
from ingest.core.live import LiveError
from ingest.github.api import check, sync
from ingest.github.api_client import ClientOptions
from tests.fakes.github_api import FakeGitHub, stamp

REPO_ROOT = Path(__file__).resolve().parents[3]
REPO = "octo/widgets"
TABLES = {"issues": "issue_id", "pull_requests": "pull_request_id", "comments": "comment_id",
          "reviews": "review_id", "releases": "release_id", "stars": "user_login", "forks": "fork_id"}


def seed(fake: FakeGitHub, repo: str = REPO, issues: int = 8) -> None:
    """Issues at minutes 0.., every third a PR; comments, reviews, releases, stars and forks."""
    for i in range(issues):
        fake.add_issue(repo, i, pull=i % 3 == 0, login=f"user{i % 4}")
    for i in range(5):
        fake.add_issue_comment(repo, 2, 20 + i)
    for number in (n for n in (1, 4) if n <= issues):
        fake.add_review(repo, number, 40 + number)
        fake.add_review_comment(repo, number, 50 + number)
    for i in range(4):
        fake.add_release(repo, 60 + i, f"v{i}")
    for i in range(7):
        fake.add_star(repo, 70 + i, f"fan{i}")
    for i in range(4):
        fake.add_fork(repo, 80 + i, f"forker{i}")


def expected(fake: FakeGitHub, repo: str = REPO) -> dict[str, set[str]]:
    data = fake.repos[repo]
    return {
        "issues": {str(i["id"]) for i in data.issues},
        "pull_requests": {str(p["id"]) for p in data.pulls},
        "comments": {str(c["id"]) for c in (*data.issue_comments, *data.review_comments)},
        "reviews": {str(r["id"]) for rs in data.reviews.values() for r in rs},
        "releases": {str(r["id"]) for r in data.releases},
        "stars": {s["user"]["login"] for s in data.stargazers},
        "forks": {str(f["id"]) for f in data.forks},
    }


def landed(con, repo: str = REPO) -> dict[str, list[str]]:
    """Every key per table (a list, so a duplicate would show)."""
    return {table: sorted(r[0] for r in con.execute(
        f"select {key} from raw_github.{table} where repo_name = ?", [repo]).fetchall())
        for table, key in TABLES.items()}


@pytest.fixture
def fake():
    with FakeGitHub(tokens=("good-token", "tok-a", "tok-b")) as server:
        yield server


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def settings_for(fake: FakeGitHub, tmp_path: Path, **env: str) -> Settings:
    return Settings(home=tmp_path, env={"GITHUB_TOKEN": "good-token", "GITHUB_API_URL": fake.base_url, **env})


def options_for(settings: Settings, sleeps: list[float] | None = None, **overrides) -> ClientOptions:
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    base = {"per_page": 3, "seconds_between_requests": 0.0, "backoff_s": 0.01, "sleep": record, "max_wait_s": 30.0}
    return ClientOptions.from_settings(settings, **{**base, **overrides})


def test_every_record_lands_exactly_once_and_cursors_advance(fake, con, tmp_path):
    # GIVEN a repository whose every stream spans several pages of 3
    seed(fake)
    for minute in range(90, 94):
        fake.add_review(REPO, 7, minute)  # 4 reviews: two pages, the second found through Link: next
    settings = settings_for(fake, tmp_path)
    # WHEN it is synced
    pages: list[tuple[str, int]] = []

    class Recorder:
        def start(self, total_units, total_bytes): pass
        def unit_started(self, location, size): pass
        def unit_finished(self, location, records, skipped): pages.append((location, records))
        def finish(self): pass

    summary = sync(settings, con, repos=[REPO], options=options_for(settings), progress=Recorder())
    # THEN each record is in its raw table once, under the same keys the REST API gave
    want = expected(fake)
    got = landed(con)
    for table, keys in want.items():
        assert got[table] == sorted(keys), table
    # 4 pages (3+3+3+2): each page after the first starts with the previous page's newest issue again
    assert summary.streams["issues"] == 11
    assert con.execute("select count(*) from meta.quarantine").fetchone()[0] == 0
    pulls = con.execute("select count(*) from raw_github.issues where is_pull_request").fetchone()[0]
    assert pulls == len(fake.repos[REPO].pulls) == 3
    users = {r[0] for r in con.execute("select login from raw_github.users").fetchall()}
    assert {"user0", "user3", "fan6", "forker3", "carol"} <= users
    # the cursors point past what landed
    newest = max(i["updated_at"] for i in fake.repos[REPO].issues)
    assert newest == stamp(93)  # PR 7, bumped by its last review
    assert json.loads(get_cursor(con, "github", f"{REPO}:issues"))["since"] + "Z" == newest
    assert json.loads(get_cursor(con, "github", f"{REPO}:stargazers")) == {"page": 3}
    assert json.loads(get_cursor(con, "github", f"{REPO}:releases"))["done"] == "2026-01-01T01:03:00"
    assert con.execute("select status, records from meta.runs").fetchall() == [("succeeded", summary.fetched)]
    # progress heard of every page as it landed
    assert len(pages) == summary.pages and sum(n for _, n in pages) == summary.fetched
    assert pages[0] == (f"{REPO}:issues page 1", 3)
    assert [r.query.get("page") for r in fake.seen(f"/repos/{REPO}/pulls/7/reviews")] == [None, "2"]


def test_second_run_fetches_only_what_is_new(fake, con, tmp_path):
    seed(fake)
    settings = settings_for(fake, tmp_path)
    sync(settings, con, repos=[REPO], options=options_for(settings))
    cursor = json.loads(get_cursor(con, "github", f"{REPO}:issues"))["since"]
    before = len(fake.requests)
    # GIVEN one new issue, one edited issue, one new comment, one new star
    new_issue = fake.add_issue(REPO, 100)
    fake.touch(REPO, 2, 101)
    fake.add_issue_comment(REPO, 2, 102)
    fake.add_star(REPO, 103, "latecomer")
    # WHEN synced again
    summary = sync(settings, con, repos=[REPO], options=options_for(settings))
    # THEN issues are asked for since the cursor, and only the changed ones come back
    issue_calls = [r for r in fake.requests[before:] if r.path == f"/repos/{REPO}/issues"]
    assert issue_calls[0].query["since"] == cursor + "Z" == stamp(44)
    # the boundary issue (same second as the cursor), the new one, #2 edited: a full page of 3, so
    # one more page is asked for, which holds #2 again
    assert summary.streams["issues"] == 4
    assert summary.streams["issue_comments"] == 2  # the boundary comment and the new one
    assert summary.streams["stargazers"] == 2  # page 3 again (one known star) + the new one
    assert summary.streams["reviews"] == 0  # no pull request moved
    got = landed(con)
    want = expected(fake)
    for table, keys in want.items():
        assert got[table] == sorted(keys), table
    edited = con.execute("select updated_at from raw_github.issues where number = 2").fetchone()[0]
    assert edited.isoformat() == "2026-01-01T01:41:00"
    assert str(new_issue["id"]) in got["issues"]


def test_rate_limits_5xx_and_timeouts_are_waited_out(fake, con, tmp_path):
    # GIVEN a secondary limit (429, Retry-After: 2), a 403 secondary limit, two 502s and a slow answer
    seed(fake)
    fake.fail(f"/repos/{REPO}/issues", 429, retry_after="2")
    fake.fail(f"/repos/{REPO}/releases", 403, retry_after="1",
              body={"message": "You have exceeded a secondary rate limit.", "documentation_url": "x"})
    fake.fail(f"/repos/{REPO}/pulls?", 502, times=2)
    fake.fail(f"/repos/{REPO}/forks", 200, delay_s=1.3, body=[])
    settings = settings_for(fake, tmp_path)
    sleeps: list[float] = []
    # WHEN synced with a 1 s read timeout
    sync(settings, con, repos=[REPO], options=options_for(settings, sleeps, timeout_s=1))
    # THEN the Retry-After waits were honoured and nothing is missing
    assert 2 in sleeps and 1 in sleeps
    assert len([r for r in fake.requests if r.path == f"/repos/{REPO}/forks"]) >= 2  # the slow one was retried
    got, want = landed(con), expected(fake)
    for table, keys in want.items():
        assert got[table] == sorted(keys), table


def test_primary_rate_limit_sleeps_until_reset(fake, con, tmp_path):
    seed(fake, issues=2)
    reset = int(time.time()) + 3
    fake.fail(f"/repos/{REPO}/issues", 403, body={"message": "API rate limit exceeded for user ID 1.",
                                                   "documentation_url": "x"},
              headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    settings = settings_for(fake, tmp_path)
    sleeps: list[float] = []
    sync(settings, con, repos=[REPO], streams=["issues"], options=options_for(settings, sleeps))
    assert len(sleeps) == 1 and 2 <= sleeps[0] <= 5  # until the reset, plus GitHub's one second of slack
    assert len(landed(con)["issues"]) == 2


def test_exhausted_token_rotates_to_the_next(fake, con, tmp_path):
    seed(fake, issues=4)
    fake.exhausted["tok-a"] = int(time.time()) + 3600  # an hour away: over the 30 s cap
    settings = settings_for(fake, tmp_path, GITHUB_TOKEN="tok-a, tok-b")
    sleeps: list[float] = []
    sync(settings, con, repos=[REPO], options=options_for(settings, sleeps))
    assert sleeps == []
    tokens = [r.token for r in fake.requests]
    assert tokens[0] == "tok-a" and set(tokens[1:]) == {"tok-b"}
    assert landed(con)["issues"] == sorted(expected(fake)["issues"])


def test_every_token_exhausted_is_one_error_and_keeps_progress(fake, con, tmp_path):
    seed(fake)
    settings = settings_for(fake, tmp_path, GITHUB_TOKEN="tok-a,tok-b")
    fake.exhausted.update({"tok-a": int(time.time()) + 3600, "tok-b": int(time.time()) + 7200})
    with pytest.raises(LiveError) as caught:
        sync(settings, con, repos=[REPO], options=options_for(settings))
    message = str(caught.value)
    assert "every GitHub credential is rate-limited" in message and "token 2 of 2" in message
    assert "tok-a" not in message and "tok-b" not in message
    assert con.execute("select status from meta.runs").fetchall() == [("failed",)]


def test_invalid_token_is_one_clear_error_without_the_token(fake, con, tmp_path, caplog):
    seed(fake, issues=2)
    settings = settings_for(fake, tmp_path, GITHUB_TOKEN="ghp_not-a-real-token-123")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(LiveError) as caught:
        sync(settings, con, repos=[REPO], options=options_for(settings))
    assert str(caught.value) == "GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials)"
    assert "GITHUB_TOKEN" in caught.value.hint
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "ghp_not-a-real-token-123" not in caplog.text
    assert check(settings).status == "failing" and "GITHUB_TOKEN" in check(settings).reason


def test_github_app_installation_token_is_used(fake, con, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    seed(fake, issues=2)
    settings = Settings(home=tmp_path, env={"GITHUB_API_URL": fake.base_url, "GITHUB_APP_ID": "4242",
                                            "GITHUB_APP_PRIVATE_KEY": key, "GITHUB_APP_INSTALLATION_ID": "7"})
    sync(settings, con, repos=[REPO], streams=["issues"], options=options_for(settings))
    assert fake.requests[0].path == "/app/installations/7/access_tokens" and fake.app_jwt_issuer == "4242"
    assert {r.token for r in fake.requests[1:]} == {fake.app_token}
    assert len(landed(con)["issues"]) == 2


def test_cli_prints_one_error_line_for_a_bad_token(fake, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from codeconvene.cli import app

    fake.add_issue(REPO, 1)
    monkeypatch.chdir(tmp_path)  # no stray .env / codeconvene.yaml
    env = {"CODECONVENE_HOME": str(tmp_path / "home"), "GITHUB_TOKEN": "ghp_bad-token-xyz",
           "GITHUB_API_URL": fake.base_url}
    result = CliRunner().invoke(app, ["ingest", "github", "--live", "--repo", REPO], env=env)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == ["error: GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials)"]
    assert "Traceback" not in result.output and "ghp_bad-token-xyz" not in result.output


def test_check_reports_configured_missing_failing(fake, tmp_path):
    assert check(settings_for(fake, tmp_path)).status == "configured"
    missing = check(Settings(home=tmp_path, env={"GITHUB_API_URL": fake.base_url}))
    assert (missing.status, "GITHUB_TOKEN" in missing.reason) == ("missing", True)
    unreachable = check(Settings(home=tmp_path, env={"GITHUB_TOKEN": "x", "GITHUB_API_URL": "http://127.0.0.1:9"}))
    assert unreachable.status == "failing" and "unreachable" in unreachable.reason


def test_organizations_expand_to_their_repositories(fake, con, tmp_path):
    fake.orgs["acme"] = ["acme/one", "acme/two"]
    seed(fake, "acme/one", issues=2)
    seed(fake, "acme/two", issues=4)
    settings = settings_for(fake, tmp_path)
    sync(settings, con, orgs=["acme"], options=options_for(settings))
    assert len(landed(con, "acme/one")["issues"]) == 2 and len(landed(con, "acme/two")["issues"]) == 4


def test_live_rows_equal_rest_dump_rows(fake, con, tmp_path):
    """The same API objects through `ingest` of a dump land as the same keys and payloads."""
    from ingest.core.runner import ingest_units
    from ingest.github.rest_files import rest_units

    seed(fake, issues=4)
    settings = settings_for(fake, tmp_path)
    sync(settings, con, repos=[REPO], streams=["issues", "stargazers"], options=options_for(settings))
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "issues.json").write_text(json.dumps(fake.repos[REPO].issues))
    (dumps / "stars.json").write_text(json.dumps(fake.repos[REPO].stargazers))
    other = connect(tmp_path / "files.duckdb")
    ingest_units(other, rest_units(dumps, repo=REPO))
    for table in ("issues", "stars", "users"):
        sql = f"select * exclude (_batch_id, _ingested_at) from raw_github.{table} order by all"
        assert con.execute(sql).fetchall() == other.execute(sql).fetchall(), table
    other.close()


CHILD = """
import sys
from pathlib import Path
from codeconvene.settings import Settings
from codeconvene.warehouse import connect
from ingest.github.api import sync
from ingest.github.api_client import ClientOptions
settings = Settings(home=Path(sys.argv[1]), env={"GITHUB_TOKEN": "good-token", "GITHUB_API_URL": sys.argv[2]})
options = ClientOptions.from_settings(settings, per_page=3, seconds_between_requests=0.0)
sync(settings, connect(Path(sys.argv[1]) / "warehouse.duckdb"), repos=[sys.argv[3]], streams=["issues"], options=options)
"""


def test_run_killed_midway_resumes_without_loss_or_duplicates(fake, tmp_path):
    # GIVEN 11 issues (4 pages of 3) and a sync process that is SIGKILLed while asking for page 3
    seed(fake, issues=11)
    arrived = fake.block(f"/repos/{REPO}/issues", nth=3)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path), fake.base_url, REPO],
                             cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                             stderr=subprocess.PIPE)
    assert arrived.wait(60), child.stderr.read().decode() if child.poll() is not None else "no page 3 request"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    con = connect(tmp_path / "warehouse.duckdb")
    # THEN the two landed pages and their cursor survived the kill
    # pages 1-2 are #2 #3 #5 and #5 #6 #7 (page 2 starts again at page 1's newest second)
    assert len(landed(con)["issues"]) == 5
    assert json.loads(get_cursor(con, "github", f"{REPO}:issues"))["since"] + "Z" == stamp(6)
    # WHEN the sync runs again
    before = len(fake.requests)
    settings = settings_for(fake, tmp_path)
    sync(settings, con, repos=[REPO], streams=["issues"], options=options_for(settings))
    # THEN it starts at the cursor (not page 1) and every issue is there exactly once
    first = next(r for r in fake.requests[before:] if r.path == f"/repos/{REPO}/issues")
    assert first.query["since"] == stamp(6)
    assert landed(con)["issues"] == sorted(expected(fake)["issues"])
    con.close()
