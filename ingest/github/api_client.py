"""PyGithub clients for the live connector: credentials, rate-limit waits, token rotation.

Waiting is urllib3's job, through PyGithub's `GithubRetry`: a secondary limit (403/429 with
`Retry-After`) sleeps that long; a primary one (`X-RateLimit-Remaining: 0`) sleeps until
`X-RateLimit-Reset`; 5xx and read timeouts back off exponentially. `RateLimitRetry` adds
429 to what is retried, a primary reset read from the headers alone, a cap (`max_wait_s`)
beyond which it raises instead of sleeping, and an injectable `sleep` so tests stay fast.

Past the cap, `Clients.call` switches to the next credential (GITHUB_TOKEN may hold several,
comma-separated, or GITHUB_TOKENS); when every one is spent it raises `LiveError` — the
cursors already saved mean the next run resumes where this one stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException, GithubIntegration, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededExceedsMaxWait,
    RateLimitExceededException,
)

from ingest.core.live import LiveError

T = TypeVar("T")
DEFAULT_API_URL = "https://api.github.com"
TOKEN_HINT = "set GITHUB_TOKEN to a valid token (a fine-grained token with read access to the repositories)"


@dataclass(frozen=True)
class ClientOptions:
    base_url: str = DEFAULT_API_URL
    timeout_s: float = 30.0
    retries: int = 6
    backoff_s: float = 1.0  # exponential backoff factor for 5xx and timeouts
    max_wait_s: float = 900.0  # longest rate-limit sleep before rotating credentials
    per_page: int = 100
    seconds_between_requests: float = 0.25  # GitHub asks for serial, unhurried requests
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> ClientOptions:
        def number(name: str, default: float) -> float:
            raw = settings.value(name)
            try:
                return float(raw) if raw else default
            except ValueError:
                raise LiveError(f"{name} is not a number: {raw!r}") from None

        options = cls(
            base_url=(settings.value("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            timeout_s=number("GITHUB_TIMEOUT_S", cls.timeout_s),
            max_wait_s=number("GITHUB_MAX_RATE_WAIT_S", cls.max_wait_s),
        )
        return replace(options, **overrides)


class RateLimitRetry(GithubRetry):
    """GithubRetry that also retries 429, reads a primary reset from headers, caps every wait
    at `max_rate_limit_wait` (raising RateLimitExceededExceedsMaxWait) and sleeps through `sleep`."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> None:
        self.sleep_fn = sleep
        kwargs.setdefault("status_forcelist", [429, *range(500, 600)])
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> RateLimitRetry:
        kw["sleep"] = self.sleep_fn
        return super().new(**kw)

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        headers = response.headers
        if seconds is None and response.status in (403, 429) and headers.get("X-RateLimit-Remaining") == "0":
            reset = headers.get("X-RateLimit-Reset", "")
            if reset.isdigit():
                seconds = max(0.0, int(reset) - time.time()) + 1
        if seconds is not None and self.max_rate_limit_wait is not None and seconds > self.max_rate_limit_wait:
            raise RateLimitExceededExceedsMaxWait(response.status, {"message": "rate limit"}, dict(headers),
                                                  wait=seconds)
        return seconds

    def sleep_for_retry(self, response: Any) -> bool:
        seconds = self.get_retry_after(response)
        if seconds:
            self.sleep_fn(seconds)
            return True
        return False

    def _sleep_backoff(self) -> None:
        seconds = self.get_backoff_time()
        if seconds > 0:
            self.sleep_fn(seconds)


def retry_policy(options: ClientOptions) -> RateLimitRetry:
    return RateLimitRetry(sleep=options.sleep, total=options.retries, backoff_factor=options.backoff_s,
                          backoff_max=max(options.backoff_s * 16, 1.0), max_rate_limit_wait=options.max_wait_s,
                          secondary_rate_wait=min(60.0, options.max_wait_s), raise_on_status=False)


@dataclass(frozen=True)
class Credential:
    """An auth object and the setting it came from (named in errors; the secret never is)."""

    auth: Any
    name: str


def credentials(settings: Any, options: ClientOptions | None = None, repo_hint: str | None = None) -> list[Credential]:
    """Tokens from GITHUB_TOKEN (comma-separated) and GITHUB_TOKENS, or a GitHub App."""
    tokens: list[tuple[str, str]] = []
    for name in ("GITHUB_TOKEN", "GITHUB_TOKENS"):
        secret = settings.secret(name)
        if secret:
            parts = [p.strip() for p in secret.get().replace("\n", ",").split(",") if p.strip()]
            tokens += [(name if len(parts) == 1 else f"{name} (token {i + 1} of {len(parts)})", p)
                       for i, p in enumerate(parts)]
    found = [Credential(Auth.Token(token), name) for name, token in tokens]
    app_id, key = settings.value("GITHUB_APP_ID"), settings.secret("GITHUB_APP_PRIVATE_KEY")
    if app_id and key:
        found.append(_app_credential(settings, app_id, key.get(), options or ClientOptions(), repo_hint))
    return found


def _app_credential(settings: Any, app_id: str, key: str, options: ClientOptions, repo_hint: str | None) -> Credential:
    """A GitHub App installation token (PyGithub refreshes it before it expires)."""
    if "BEGIN" not in key and key.strip().endswith(".pem"):
        from pathlib import Path

        key = Path(key.strip()).expanduser().read_text(encoding="utf-8")
    app = Auth.AppAuth(int(app_id), key)
    installation = settings.value("GITHUB_APP_INSTALLATION_ID")
    if not installation:
        if not repo_hint:
            raise LiveError("GITHUB_APP_ID is set but GITHUB_APP_INSTALLATION_ID is not, and no repository to look "
                            "it up from", hint="set GITHUB_APP_INSTALLATION_ID")
        owner, _, name = repo_hint.partition("/")
        integration = GithubIntegration(auth=app, base_url=options.base_url, retry=retry_policy(options),
                                        timeout=int(options.timeout_s))
        installation = integration.get_repo_installation(owner, name).id
    return Credential(app.get_installation_auth(int(installation)), "GITHUB_APP_ID/GITHUB_APP_PRIVATE_KEY")


class Clients:
    """One PyGithub client per credential; `call(fn)` runs `fn(github)` and rotates on limits."""

    def __init__(self, creds: list[Credential], options: ClientOptions) -> None:
        if not creds:
            raise LiveError("no GitHub credentials", hint=TOKEN_HINT)
        self.creds = creds
        self.options = options
        self.index = 0
        self._clients: dict[int, Github] = {}

    @property
    def github(self) -> Github:
        if self.index not in self._clients:
            o = self.options
            self._clients[self.index] = Github(
                base_url=o.base_url, auth=self.creds[self.index].auth, timeout=int(max(1, o.timeout_s)),
                retry=retry_policy(o), per_page=o.per_page, seconds_between_requests=o.seconds_between_requests,
                lazy=True,
            )
        return self._clients[self.index]

    def call(self, fn: Callable[[Github], T], what: str = "") -> T:
        spent: list[str] = []
        while True:
            cred = self.creds[self.index]
            try:
                return fn(self.github)
            except BadCredentialsException:
                raise LiveError(f"GitHub rejected the token in {cred.name} (401 Bad credentials)",
                                hint=TOKEN_HINT) from None
            except (RateLimitExceededException, GithubException) as exc:
                if not _is_rate_limit(exc):
                    raise LiveError(_describe(exc, what, self.options.base_url)) from None
                spent.append(f"{cred.name} {_reset_text(exc)}".strip())
                if len(spent) >= len(self.creds):
                    raise LiveError("every GitHub credential is rate-limited: " + "; ".join(spent),
                                    hint="the saved cursors resume the sync; run it again later or add "
                                         "tokens to GITHUB_TOKENS") from None
                self.index = (self.index + 1) % len(self.creds)
            except requests.RequestException as exc:
                raise LiveError(f"GitHub API at {self.options.base_url} unreachable{_for(what)}: "
                                f"{type(exc).__name__}", hint="check GITHUB_API_URL and the network") from None


def _is_rate_limit(exc: GithubException) -> bool:
    if isinstance(exc, RateLimitExceededException):
        return True
    headers = exc.headers or {}
    remaining = {k.lower(): v for k, v in headers.items()}.get("x-ratelimit-remaining")
    return exc.status == 429 or (exc.status == 403 and remaining == "0")


def _reset_text(exc: GithubException) -> str:
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    reset = str(headers.get("x-ratelimit-reset", ""))
    if reset.isdigit():
        return f"(resets {datetime.fromtimestamp(int(reset), UTC):%Y-%m-%d %H:%M} UTC)"
    wait = getattr(exc, "wait", None)
    return f"(wait {wait:.0f} s)" if wait else ""


def _for(what: str) -> str:
    return f" ({what})" if what else ""


def _describe(exc: GithubException, what: str, base_url: str) -> str:
    message = ""
    if isinstance(exc.data, dict):
        message = str(exc.data.get("message") or "")[:200]
    if exc.status == 404:
        return f"GitHub: {what or 'resource'} not found (404), or the token cannot see it"
    return f"GitHub API error {exc.status}{_for(what)}: {message or 'no message'} ({base_url})"
