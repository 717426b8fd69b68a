"""Webhooks: signatures (valid accepted, invalid or missing → 401 and nothing stored), the
delivery kept whole, its records upserted onto the same keys as the REST / file path."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from codeconvene.settings import Settings
from codeconvene.warehouse import connect
from ingest.github.rest_kinds import build
from ingest.webhooks import signature, verify
from ingest.webhooks_server import Receiver, make_server

GH_SECRET, DC_SECRET = "gh-hook-secret", "dc-hook-secret"
API = "https://api.github.com/repos/octo/widgets"
ALICE = {"login": "alice", "id": 1, "type": "User", "url": "https://api.github.com/users/alice"}
ISSUE = {"url": f"{API}/issues/7", "repository_url": API, "html_url": "https://github.com/octo/widgets/issues/7",
         "id": 9007, "number": 7, "title": "Crash on start", "user": ALICE, "state": "open", "labels": [],
         "comments": 0, "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z", "body": "it crashes"}
REPOSITORY = {"id": 5, "full_name": "octo/widgets", "name": "widgets", "owner": {"login": "octo", "type": "Organization"}}
POST = {"id": 501, "topic_id": 42, "username": "member1", "user_id": 11, "name": "Member1", "post_number": 2,
        "created_at": "2026-03-02T09:00:00.000Z", "updated_at": "2026-03-02T09:00:00.000Z",
        "cooked": "<p>Try clearing the cache.</p>", "reply_to_post_number": 1, "avatar_template": "/a/{size}.png"}


def test_signature_checks():
    body = b'{"zen": "Keep it logically awesome."}'
    good = signature(GH_SECRET, body)
    assert good.startswith("sha256=") and len(good) == 7 + 64
    assert verify(GH_SECRET, body, good)
    assert not verify(GH_SECRET, body + b" ", good)  # tampered body
    assert not verify("other-secret", body, good)
    assert not verify(GH_SECRET, body, None)
    assert not verify(GH_SECRET, body, good.removeprefix("sha256="))
    assert not verify(None, body, good)  # no secret configured: nothing verifies


@pytest.fixture
def receiver(tmp_path):
    settings = Settings(home=tmp_path, env={"GITHUB_WEBHOOK_SECRET": GH_SECRET, "DISCOURSE_WEBHOOK_SECRET": DC_SECRET,
                                            "DISCOURSE_URL": "https://forum.example.org"})
    return Receiver(settings)


@pytest.fixture
def server(receiver):
    http = make_server(receiver, "127.0.0.1", 0)
    thread = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_address[1]}"
    http.shutdown()
    http.server_close()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def github(server: str, event: str, payload: dict, delivery: str, secret: str | None = GH_SECRET) -> tuple[int, dict]:
    body = json.dumps(payload).encode()
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": delivery}
    if secret:
        headers["X-Hub-Signature-256"] = signature(secret, body)
    return post(f"{server}/webhooks/github", body, headers)


def rows(home: Path, sql: str) -> list[tuple]:
    con = connect(home / "warehouse.duckdb")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_signed_github_issue_lands_with_the_rest_key_and_payload(server, receiver, tmp_path):
    status, answer = github(server, "issues", {"action": "opened", "issue": ISSUE, "repository": REPOSITORY,
                                               "sender": ALICE}, "d-1")
    assert (status, answer["stored"]) == (200, 2)  # the issue and its author
    got = rows(tmp_path, "select issue_id, repo_name, number, payload, _source from raw_github.issues")
    rest = build("issue", ISSUE, "dump", None)  # what a REST dump of the same issue becomes
    assert got == [(rest.columns["issue_id"], "octo/widgets", 7, rest.payload, "github:octo/widgets")]
    assert rows(tmp_path, "select login, user_type from raw_github.users") == [("alice", "User")]
    kept = json.loads(next((tmp_path / "webhooks" / "landed").rglob("github-d-1.json")).read_text())
    assert kept["payload"]["issue"] == ISSUE and kept["headers"]["x-github-event"] == "issues"
    assert list((tmp_path / "webhooks" / "inbox").iterdir()) == []


@pytest.mark.parametrize("secret", ["wrong-secret", None], ids=["invalid", "missing"])
def test_unsigned_or_badly_signed_delivery_is_401_and_stores_nothing(server, tmp_path, secret):
    status, answer = github(server, "issues", {"action": "opened", "issue": ISSUE, "repository": REPOSITORY},
                            "d-2", secret=secret)
    assert status == 401 and "signature" in answer["error"]
    assert not (tmp_path / "webhooks").exists()
    assert rows(tmp_path, "select count(*) from raw_github.issues") == [(0,)]


def test_comment_star_and_update_events(server, tmp_path):
    comment = {"url": f"{API}/issues/comments/77", "issue_url": f"{API}/issues/7", "id": 77, "user": ALICE,
               "body": "same here", "created_at": "2026-03-01T11:00:00Z", "updated_at": "2026-03-01T11:00:00Z"}
    edited = {**ISSUE, "comments": 1, "updated_at": "2026-03-01T11:00:00Z"}
    assert github(server, "issues", {"action": "opened", "issue": ISSUE, "repository": REPOSITORY}, "a")[0] == 200
    assert github(server, "issue_comment", {"action": "created", "issue": edited, "comment": comment,
                                            "repository": REPOSITORY}, "b")[0] == 200
    assert github(server, "star", {"action": "created", "starred_at": "2026-03-01T12:00:00Z", "sender": ALICE,
                                   "repository": REPOSITORY}, "c")[0] == 200
    assert rows(tmp_path, "select comment_kind, comment_id, issue_number from raw_github.comments") == [("issue", "77", 7)]
    assert rows(tmp_path, "select json_extract(payload, '$.comments')::int from raw_github.issues") == [(1,)]
    star = rows(tmp_path, "select repo_name, user_login, payload from raw_github.stars")
    assert star[0][:2] == ("octo/widgets", "alice")
    assert json.loads(star[0][2]) == {"starred_at": "2026-03-01T12:00:00Z", "user": ALICE}  # the star+json shape


def test_discourse_post_event(server, tmp_path):
    body = json.dumps({"post": POST}).encode()
    headers = {"X-Discourse-Event-Type": "post", "X-Discourse-Event": "post_created", "X-Discourse-Event-Id": "9",
               "X-Discourse-Instance": "https://forum.example.org"}
    status, _ = post(f"{server}/webhooks/discourse", body,
                     {**headers, "X-Discourse-Event-Signature": signature("nope", body)})
    assert status == 401
    status, answer = post(f"{server}/webhooks/discourse", body,
                          {**headers, "X-Discourse-Event-Signature": signature(DC_SECRET, body)})
    assert (status, answer["stored"]) == (200, 2)
    assert rows(tmp_path, "select post_id, topic_id, username, text, _source from raw_discourse.posts") == [
        ("501", "42", "member1", "Try clearing the cache.", "discourse:forum.example.org")]


def test_cli_refuses_to_start_without_a_secret(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from codeconvene.cli import app

    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_WEBHOOK_SECRET", "DISCOURSE_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["webhooks", "--home", str(tmp_path / "home"), "--port", "0"])
    assert result.exit_code == 2 and "no webhook secret is set" in result.output


def test_a_kept_delivery_that_cannot_land_does_not_block_the_next(receiver, tmp_path):
    receiver.inbox.mkdir(parents=True)
    (receiver.inbox / "github-broken.json").write_text("{not json")
    body = json.dumps({"action": "opened", "issue": ISSUE, "repository": REPOSITORY}).encode()
    headers = {"X-GitHub-Event": "issues", "X-GitHub-Delivery": "ok", "X-Hub-Signature-256": signature(GH_SECRET, body)}
    assert receiver.receive("github", headers, body)[0] == 200
    assert [p.name for p in receiver.failed.iterdir()] == ["github-broken.json"]
    assert rows(tmp_path, "select number from raw_github.issues") == [(7,)]


def test_busy_warehouse_keeps_the_delivery_until_the_next(receiver, tmp_path):
    def busy():
        raise duckdb.IOException("Could not set lock on file: conflicting lock")

    real = receiver.connect
    receiver.connect = busy
    body = json.dumps({"action": "opened", "issue": ISSUE, "repository": REPOSITORY}).encode()
    headers = {"X-GitHub-Event": "issues", "X-GitHub-Delivery": "late", "X-Hub-Signature-256": signature(GH_SECRET, body)}
    assert receiver.receive("github", headers, body)[0] == 202
    assert [p.name for p in (tmp_path / "webhooks" / "inbox").iterdir()] == ["github-late.json"]
    receiver.connect = real
    ping = json.dumps({"zen": "hi", "repository": REPOSITORY}).encode()
    status, answer = receiver.receive("github", {"X-GitHub-Event": "ping", "X-GitHub-Delivery": "p",
                                                 "X-Hub-Signature-256": signature(GH_SECRET, ping)}, ping)
    assert (status, answer["stored"]) == (200, 0)
    assert rows(tmp_path, "select number from raw_github.issues") == [(7,)]
