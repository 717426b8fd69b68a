"""Discord REST calls through discord.py's own HTTP layer (`discord.http.HTTPClient`).

discord.py keeps Discord's rate-limit buckets (`X-RateLimit-Bucket`, `-Remaining`,
`-Reset-After`), waits out a 429's `retry_after` (globally when Discord says `global`) and
retries 500/502/504 itself; what it does not do is time out (its session has aiohttp's
5-minute default) or retry a timeout, so that is added here.

Two departures from `Client.login()`, both to honour `DISCORD_API_URL`: requests go through
a `Route` subclass whose `BASE` is that URL (the class attribute stays untouched for any
bot in the same process), and the session is opened here with a timeout instead of by
`static_login` (whose `/users/@me` call would use the global base). That second part sets
two private attributes of HTTPClient (pinned: discord.py 2.7); the live tests fail loudly
if a release moves them. discord.py is imported only here, inside functions, so the ingest
package stays free of it at import (tests/test_purity.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Self

from ingest.core.live import LiveError

DEFAULT_API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True)
class ClientOptions:
    """codeconvene.yaml `discord:` knobs: seconds per request, retries after a timeout, and the
    longest 429 wait discord.py may sit out before the run stops (progress kept) instead."""

    timeout_s: float = 30.0
    max_retries: int = 3
    max_rate_limit_wait_s: float = 600.0


class DiscordRefused(LiveError):
    """Discord answered an error status; `status` and Discord's JSON `code` say which."""

    def __init__(self, message: str, hint: str = "", status: int = 0, code: int = 0) -> None:
        super().__init__(message, hint)
        self.status = status
        self.code = code


class DiscordApi:
    """`async with DiscordApi(settings, options) as api: await api.get("/guilds/{guild_id}", guild_id=…)`."""

    def __init__(self, settings, options: ClientOptions = ClientOptions()) -> None:
        token = settings.secret("DISCORD_BOT_TOKEN")
        if not token:
            raise LiveError("discord: DISCORD_BOT_TOKEN is not set", "put the bot's token in the environment or .env")
        self._token = token
        self.base = (settings.value("DISCORD_API_URL") or DEFAULT_API_URL).rstrip("/")
        self.options = options
        self._http = None
        self._route = None

    async def __aenter__(self) -> Self:
        import aiohttp
        from discord.http import HTTPClient, Route

        self._route = type("LiveRoute", (Route,), {"BASE": self.base})
        http = HTTPClient(asyncio.get_running_loop(), max_ratelimit_timeout=self.options.max_rate_limit_wait_s)
        http._HTTPClient__session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),
            timeout=aiohttp.ClientTimeout(total=self.options.timeout_s),
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        http._global_over = asyncio.Event()
        http._global_over.set()
        http.token = self._token.get()
        self._http = http
        return self

    async def __aexit__(self, *exc) -> None:
        if self._http is not None:
            await self._http.close()

    async def get(self, path: str, params: dict[str, Any] | None = None, **route_params: Any) -> Any:
        """GET `path` (with `{placeholders}` filled from `route_params`) → JSON, or a LiveError."""
        import discord

        route = self._route("GET", path, **route_params)
        where = path.format(**route_params)
        for attempt in range(self.options.max_retries + 1):
            try:
                return await self._http.request(route, params={k: v for k, v in (params or {}).items() if v is not None})
            except TimeoutError:
                if attempt == self.options.max_retries:
                    raise LiveError(f"discord: GET {where} timed out {attempt + 1} times "
                                    f"(after {self.options.timeout_s:g} s each)",
                                    "check DISCORD_API_URL and the network; run again: progress so far is kept") from None
            except discord.HTTPException as exc:
                raise _refused(where, exc) from None
            except discord.RateLimited as exc:
                raise LiveError(f"discord: GET {where} is rate-limited for {exc.retry_after:.0f} s",
                                "run again later: progress so far is kept") from None
            except OSError as exc:  # refused or reset connections
                raise LiveError(f"discord: GET {where} failed: {type(exc).__name__}: {exc}",
                                f"check DISCORD_API_URL ({self.base}) and the network") from None
        raise AssertionError("unreachable")


def _refused(where: str, exc) -> DiscordRefused:
    status, code = int(getattr(exc, "status", 0) or 0), int(getattr(exc, "code", 0) or 0)
    text = (getattr(exc, "text", "") or "").strip()
    if status == 401:
        return DiscordRefused("discord: the token in DISCORD_BOT_TOKEN was refused (401 Unauthorized)",
                              "copy the bot token again from the Developer Portal (Bot → Reset Token)", status, code)
    if status == 403:
        return DiscordRefused(f"discord: GET {where} is not permitted (403 {text or 'Forbidden'})",
                              "give the bot the View Channel and Read Message History permissions", status, code)
    reason = f"{status} {text}".strip() if text else str(status)
    return DiscordRefused(f"discord: GET {where} failed ({reason})", "run again: progress so far is kept", status, code)
