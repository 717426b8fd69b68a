"""One place where configuration is read, and only when it is used.

Values come from, in order of precedence: the process environment, a `.env` file in the
working directory, then `codeconvene.yaml` (sources, maintainers, identity overrides).
Secrets are wrapped in `Secret` so they never show up in reprs, logs or tracebacks.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from dotenv import dotenv_values

DEFAULT_HOME = ".codeconvene"
SECRET_NAMES = (
    "GITHUB_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "DISCORD_BOT_TOKEN",
    "DISCOURSE_API_KEY",
    "GROQ_API_KEY",
    "GITHUB_TOKENS",
    "GITHUB_APP_PRIVATE_KEY",
    "GITHUB_WEBHOOK_SECRET",
    "DISCOURSE_WEBHOOK_SECRET",
)
PLAIN_NAMES = (
    "CODECONVENE_HOME",
    "DISCOURSE_URL",
    "DISCOURSE_API_USER",
    "GROQ_MODEL",
    "GITHUB_API_URL",
    "GITHUB_APP_ID",
    "GITHUB_APP_INSTALLATION_ID",
    "GITHUB_TIMEOUT_S",
    "GITHUB_MAX_RATE_WAIT_S",
    "DISCOURSE_TIMEOUT_S",
    "SLACK_API_URL",
    "DISCORD_API_URL",
    "DISCORD_GUILD_IDS",
    "GROQ_BASE_URL",
    "GROQ_TIMEOUT_S",
    "GROQ_MAX_RETRIES",
    "GROQ_TOKEN_BUDGET",
)


class Secret:
    """A string that refuses to print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class Settings:
    home: Path
    env: dict[str, str] = field(default_factory=dict, repr=False)
    config: dict[str, Any] = field(default_factory=dict)

    # --- paths -------------------------------------------------------------------------
    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def lance_path(self) -> Path:
        return self.home / "lance"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    def ensure_dirs(self) -> None:
        for path in (self.home, self.lance_path, self.reports_dir, self.exports_dir, self.logs_dir):
            path.mkdir(parents=True, exist_ok=True)

    # --- values ------------------------------------------------------------------------
    def value(self, name: str, default: str | None = None) -> str | None:
        return self.env.get(name) or default

    def secret(self, name: str) -> Secret | None:
        raw = self.env.get(name)
        return Secret(raw) if raw else None

    @property
    def export_paths(self) -> list[Path]:
        """Export files or folders to ingest: `codeconvene.yaml` `exports:` or the home's exports/."""
        listed = self.config.get("exports") or []
        return [Path(p).expanduser() for p in listed] or [self.exports_dir]

    @property
    def maintainers(self) -> list[str]:
        return _logins(self.config.get("maintainers"), "maintainers")

    @property
    def not_maintainers(self) -> list[str]:
        return _logins(self.config.get("not_maintainers"), "not_maintainers")

    def source_options(self, source: str) -> dict[str, Any]:
        """The `<source>:` mapping of codeconvene.yaml: a live connector's scope and knobs."""
        options = self.config.get(source) or {}
        if not isinstance(options, dict):
            raise ValueError(f"codeconvene.yaml `{source}`: expected a mapping, got {type(options).__name__}")
        return options

    @property
    def slack_channels(self) -> list[str]:
        """Channel ids to pull live (`slack: {channels: [C…]}`); empty = every channel the bot is in."""
        return [str(c).strip() for c in self.source_options("slack").get("channels") or []]

    @property
    def discord_guilds(self) -> list[str]:
        """Guild ids to pull live (`discord: {guilds: […]}` or DISCORD_GUILD_IDS, comma-separated);
        empty = every guild the bot is in."""
        listed = self.source_options("discord").get("guilds") or (self.env.get("DISCORD_GUILD_IDS") or "").split(",")
        return [str(g).strip() for g in listed if str(g).strip()]

    def dbt_vars(self) -> dict[str, Any]:
        """What dbt needs from configuration (one setting, read by dbt and Python alike)."""
        return {"maintainers": self.maintainers, "not_maintainers": self.not_maintainers}

    def configured(self) -> dict[str, bool]:
        """Which optional integrations have what they need, for `doctor` and the assets."""
        return {
            "github": bool(
                self.env.get("GITHUB_TOKEN")
                or self.env.get("GITHUB_TOKENS")
                or (self.env.get("GITHUB_APP_ID") and self.env.get("GITHUB_APP_PRIVATE_KEY"))
            ),
            "slack": bool(self.env.get("SLACK_BOT_TOKEN")),
            "discord": bool(self.env.get("DISCORD_BOT_TOKEN")),
            # a public forum reads without DISCOURSE_API_KEY
            "discourse": bool(self.env.get("DISCOURSE_URL")),
            "groq": bool(self.env.get("GROQ_API_KEY")),
        }


_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\[\]-]{0,99}$")


def _logins(value: Any, key: str) -> list[str]:
    """GitHub logins from codeconvene.yaml; anything else is a clear error naming the key."""
    logins = [str(v).strip() for v in (value or [])]
    bad = [v for v in logins if not _LOGIN.match(v)]
    if bad:
        raise ValueError(f"codeconvene.yaml `{key}`: not GitHub logins: {', '.join(map(repr, bad))}")
    return logins


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping at the top level, got {type(loaded).__name__}")
    return loaded


def get_settings(home: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Settings:
    """Read settings now (never at import). `home` overrides CODECONVENE_HOME (the CLI's --home)."""
    cwd = cwd or Path.cwd()
    env: dict[str, str] = {k: v for k, v in dotenv_values(cwd / ".env").items() if v}
    env.update({k: v for k, v in os.environ.items() if v})
    resolved_home = Path(home or env.get("CODECONVENE_HOME") or cwd / DEFAULT_HOME).expanduser()
    if not resolved_home.is_absolute():
        resolved_home = (cwd / resolved_home).resolve()
    config = _read_yaml(cwd / "codeconvene.yaml") or _read_yaml(resolved_home / "codeconvene.yaml")
    return Settings(home=resolved_home, env=env, config=config)
