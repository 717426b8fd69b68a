"""Carry out the GitHub bot's plan with PyGithub: look first, post only what is missing.

For each action the live issue is read: a comment whose hidden marker is already there is
skipped (so a rerun, or a second machine, never posts twice), labels are kept only when the
repository has them (matched case-insensitively, GitHub's own spelling used) and the issue
lacks them. In a dry run the same checks run and the would-be posts are printed instead.
Errors become one line naming the issue; a rejected token stops the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from github import Auth, BadCredentialsException, Github, GithubException, UnknownObjectException

from bots.github.plan import Action
from codeconvene.settings import Secret

DEFAULT_API_URL = "https://api.github.com"


class GitHubBotError(RuntimeError):
    """One clear line about what GitHub refused (never containing the token)."""


@dataclass
class Outcome:
    """What happened to each action: posted, would post, already there, or skipped."""

    posted: list[str] = field(default_factory=list)
    would_post: list[str] = field(default_factory=list)
    already_done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self, apply: bool) -> dict[str, object]:
        return {
            "apply": apply,
            "posted": len(self.posted),
            "would_post": len(self.would_post),
            "already_done": len(self.already_done),
            "skipped": len(self.skipped),
        }


@dataclass(frozen=True)
class Pace:
    """PyGithub's pauses between requests and between writes; its defaults (0.25 s, 1 s) keep
    clear of GitHub's secondary rate limits, a loopback fake needs none."""

    between_requests: float = 0.25
    between_writes: float = 1.0


def connect(token: Secret, api_url: str | None = None, *, retry: int | None = None, timeout: int = 15,
            pace: Pace | None = None) -> Github:
    """PyGithub on `GITHUB_API_URL` (GitHub Enterprise or a test fake) with the token."""
    options = {} if retry is None else {"retry": retry}
    pace = pace or Pace()
    return Github(base_url=(api_url or DEFAULT_API_URL).rstrip("/"), auth=Auth.Token(token.get()),
                  timeout=timeout, seconds_between_requests=pace.between_requests,
                  seconds_between_writes=pace.between_writes, **options)


class Executor:
    """Runs actions against one `Github`; caches repositories and their label sets."""

    def __init__(self, gh: Github, apply: bool, out: Callable[[str], None]) -> None:
        self.gh = gh
        self.apply = apply
        self.out = out
        self.outcome = Outcome()
        self._repos: dict = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._issues: dict = {}

    def run(self, actions: Iterable[Action]) -> Outcome:
        for action in actions:
            try:
                self._one(action)
            except BadCredentialsException:
                raise GitHubBotError("GitHub rejected GITHUB_TOKEN (401 Bad credentials); check the token") from None
            except UnknownObjectException:
                self._note(self.outcome.skipped, f"skipped {action.target} ({action.kind}): not found on GitHub (404)")
            except GithubException as error:
                message = error.data.get("message") if isinstance(error.data, dict) else error.data
                raise GitHubBotError(f"GitHub refused {action.kind} on {action.target}: {error.status} {message}") from None
        return self.outcome

    # --- one action -------------------------------------------------------------------
    def _one(self, action: Action) -> None:
        issue = self._issue(action)
        if action.kind == "labels":
            self._labels_action(action, issue)
        else:
            self._comment_action(action, issue)

    def _comment_action(self, action: Action, issue) -> None:
        if any(action.marker in (comment.body or "") for comment in issue.get_comments()):
            self._note(self.outcome.already_done, f"already commented on {action.target} ({action.kind})")
            return
        if self.apply:
            comment = issue.create_comment(action.body or "")
            self._note(self.outcome.posted, f"commented on {action.target} ({action.kind}): {comment.html_url}")
        else:
            self._note(self.outcome.would_post, f"would comment on {action.target} ({action.kind}):")
            self.out("\n".join(f"    {line}" for line in (action.body or "").splitlines()))

    def _labels_action(self, action: Action, issue) -> None:
        known = self._repo_labels(action.repo)
        present = {label.name.lower() for label in issue.labels}
        wanted = [known[name.lower()] for name in action.labels if name.lower() in known]
        missing = [name for name in dict.fromkeys(wanted) if name.lower() not in present]
        unknown = [name for name in action.labels if name.lower() not in known]
        if unknown:
            self.out(f"  not in {action.repo}'s labels, left out: {', '.join(unknown)}")
        if not missing:
            self._note(self.outcome.already_done, f"labels on {action.target} already set (or none apply)")
            return
        if self.apply:
            issue.add_to_labels(*missing)
            self._note(self.outcome.posted, f"labelled {action.target}: {', '.join(missing)}")
        else:
            self._note(self.outcome.would_post, f"would label {action.target}: {', '.join(missing)}")

    # --- lookups ----------------------------------------------------------------------
    def _repo(self, name: str):
        if name not in self._repos:
            self._repos[name] = self.gh.get_repo(name)
        return self._repos[name]

    def _issue(self, action: Action):
        key = (action.repo, action.number)
        if key not in self._issues:
            self._issues[key] = self._repo(action.repo).get_issue(action.number)
        return self._issues[key]

    def _repo_labels(self, name: str) -> dict[str, str]:
        if name not in self._labels:
            self._labels[name] = {label.name.lower(): label.name for label in self._repo(name).get_labels()}
        return self._labels[name]

    def _note(self, bucket: list[str], line: str) -> None:
        bucket.append(line)
        self.out(line)


def print_plan_only(actions: Iterable[Action], out: Callable[[str], None]) -> Outcome:
    """Without a token: what the warehouse asks for, unchecked against GitHub."""
    outcome = Outcome()
    for action in actions:
        if action.kind == "labels":
            outcome.would_post.append(action.target)
            out(f"would label {action.target}: {', '.join(action.labels)} (if the repository has them)")
        else:
            outcome.would_post.append(action.target)
            out(f"would comment on {action.target} ({action.kind}):")
            out("\n".join(f"    {line}" for line in (action.body or "").splitlines()))
    return outcome
