"""HTTP to a Discourse forum: `Api-Key`/`Api-Username` headers, waits, one-line errors.

Discourse answers 429 with `Retry-After` when an API key goes too fast, and 502/503 while it
restarts; urllib3's `Retry` (mounted on a `requests` session) sleeps through both, through
`sleep` so tests can record the waits instead of spending them. A rejected key is a 403
`invalid_access`, turned into a LiveError naming the settings to fix.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import Retry

from ingest.core.live import LiveError

KEY_HINT = "set DISCOURSE_API_KEY and DISCOURSE_API_USER (an admin-created key), or unset them for a public forum"


@dataclass(frozen=True)
class ClientOptions:
    timeout_s: float = 30.0
    retries: int = 6
    backoff_s: float = 1.0
    max_wait_s: float = 900.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> ClientOptions:
        raw = settings.value("DISCOURSE_TIMEOUT_S")
        options = cls(timeout_s=float(raw)) if raw and raw.replace(".", "", 1).isdigit() else cls()
        return replace(options, **overrides)


class WaitingRetry(Retry):
    """urllib3 Retry whose sleeps go through `sleep`, and which refuses waits over `max_wait`."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep, max_wait: float = 900.0, **kwargs: Any) -> None:
        self.sleep_fn, self.max_wait = sleep, max_wait
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> WaitingRetry:
        kw.update(sleep=self.sleep_fn, max_wait=self.max_wait)
        return super().new(**kw)

    def sleep_for_retry(self, response: Any) -> bool:
        seconds = self.get_retry_after(response)
        if seconds and seconds > self.max_wait:
            raise LiveError(f"Discourse asks to wait {seconds:.0f} s (429 Retry-After), over the {self.max_wait:.0f} s cap",
                            hint="the saved cursor resumes the sync; run it again later")
        if seconds:
            self.sleep_fn(seconds)
            return True
        return False

    def _sleep_backoff(self) -> None:
        seconds = self.get_backoff_time()
        if seconds > 0:
            self.sleep_fn(seconds)


class Forum:
    """GET JSON from one forum; `get(path, params)` returns the decoded body or raises LiveError."""

    def __init__(self, base_url: str, api_key: str | None, api_user: str | None, options: ClientOptions) -> None:
        self.base_url = base_url.rstrip("/")
        self.options = options
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "codeconvene"})
        if api_key:
            self.session.headers.update({"Api-Key": api_key, "Api-Username": api_user or "system"})
        retry = WaitingRetry(sleep=options.sleep, max_wait=options.max_wait_s, total=options.retries,
                             backoff_factor=options.backoff_s, status_forcelist=(429, 500, 502, 503, 504),
                             allowed_methods={"GET"}, raise_on_status=False)
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.requests = 0

    def get(self, path: str, params: Any = None, *, gone_ok: bool = False) -> Any:
        """`gone_ok`: None instead of an error for a 403/404 (a topic deleted or hidden since listed)."""
        url = f"{self.base_url}{path}"
        self.requests += 1
        try:
            response = self.session.get(url, params=params, timeout=self.options.timeout_s)
        except requests.RequestException as exc:
            raise LiveError(f"Discourse at {self.base_url} unreachable ({path}): {type(exc).__name__}",
                            hint="check DISCOURSE_URL and the network") from None
        if gone_ok and response.status_code in (403, 404):
            return None
        if response.status_code in (401, 403):
            kind = _error_type(response)
            raise LiveError(f"Discourse rejected DISCOURSE_API_KEY/DISCOURSE_API_USER ({response.status_code} {kind})",
                            hint=KEY_HINT)
        if response.status_code == 404:
            raise LiveError(f"Discourse: {path} not found (404) at {self.base_url}", hint="check DISCOURSE_URL")
        if response.status_code >= 400:
            raise LiveError(f"Discourse error {response.status_code} on {path} after retries ({self.base_url})",
                            hint="the saved cursor resumes the sync; run it again later")
        try:
            return response.json()
        except ValueError:
            raise LiveError(f"Discourse sent something that is not JSON for {path} ({self.base_url})",
                            hint="check DISCOURSE_URL points at the forum itself") from None

    def close(self) -> None:
        self.session.close()


def _error_type(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "forbidden"
    return str(body.get("error_type") or "forbidden") if isinstance(body, dict) else "forbidden"
