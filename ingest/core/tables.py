"""The raw layer's tables: one row per natural key, the platform record kept whole.

Every table has its key columns, a few typed helper columns for cheap filtering, then the
contract columns of DESIGN §4: `updated_at`, `payload JSON`, `_source`, `_batch_id`,
`_ingested_at`. dbt staging reads `payload`; the helper columns only make upserts and
incremental reads cheap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawTable:
    schema: str
    name: str
    keys: tuple[str, ...]
    columns: tuple[tuple[str, str], ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def helper_columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @property
    def all_columns(self) -> tuple[str, ...]:
        return (*self.keys, *self.helper_columns, "updated_at", "payload", "_source", "_batch_id", "_ingested_at")

    def ddl(self) -> str:
        cols = [f"{k} varchar not null" for k in self.keys]
        cols += [f"{name} {sql_type}" for name, sql_type in self.columns]
        cols += [
            "updated_at timestamp not null",
            "payload json not null",
            "_source varchar not null",
            "_batch_id varchar not null",
            "_ingested_at timestamp not null",
            f"primary key ({', '.join(self.keys)})",
        ]
        return f"create table if not exists {self.qualified} (\n    " + ",\n    ".join(cols) + "\n)"


def _t(schema: str, name: str, keys: tuple[str, ...], *columns: tuple[str, str]) -> RawTable:
    return RawTable(schema, name, keys, tuple(columns))


RAW_TABLES: dict[str, RawTable] = {
    t.qualified: t
    for t in (
        # GitHub: GH Archive events, and REST API objects (PRs are issues with is_pull_request)
        _t("raw_github", "events", ("event_id",), ("event_type", "varchar"), ("repo_name", "varchar"), ("actor_login", "varchar")),
        _t("raw_github", "issues", ("issue_id",), ("repo_name", "varchar"), ("number", "bigint"), ("is_pull_request", "boolean"), ("author_login", "varchar")),
        _t("raw_github", "pull_requests", ("pull_request_id",), ("repo_name", "varchar"), ("number", "bigint"), ("author_login", "varchar")),
        _t("raw_github", "comments", ("comment_kind", "comment_id"), ("repo_name", "varchar"), ("issue_number", "bigint"), ("author_login", "varchar")),
        _t("raw_github", "reviews", ("review_id",), ("repo_name", "varchar"), ("pull_number", "bigint"), ("author_login", "varchar")),
        _t("raw_github", "releases", ("release_id",), ("repo_name", "varchar"), ("tag_name", "varchar")),
        _t("raw_github", "stars", ("repo_name", "user_login")),
        _t("raw_github", "forks", ("fork_id",), ("repo_name", "varchar"), ("owner_login", "varchar")),
        _t("raw_github", "users", ("login",), ("user_type", "varchar")),
        # git history of a local repository
        _t("raw_git", "commits", ("repository", "sha"), ("author_email", "varchar"), ("committer_email", "varchar"), ("is_merge", "boolean")),
        # Slack
        _t("raw_slack", "users", ("user_id",), ("team_id", "varchar")),
        _t("raw_slack", "channels", ("channel_id",), ("channel_name", "varchar")),
        _t("raw_slack", "messages", ("channel_id", "ts"), ("thread_ts", "varchar"), ("user_id", "varchar")),
        # Discord (snowflake ids are global)
        _t("raw_discord", "guilds", ("guild_id",), ("guild_name", "varchar")),
        _t("raw_discord", "channels", ("channel_id",), ("guild_id", "varchar"), ("channel_name", "varchar")),
        _t("raw_discord", "members", ("guild_id", "user_id"), ("username", "varchar"), ("is_bot", "boolean")),
        _t("raw_discord", "messages", ("message_id",), ("channel_id", "varchar"), ("author_id", "varchar")),
        # Discourse
        _t("raw_discourse", "users", ("user_id",), ("username", "varchar")),
        _t("raw_discourse", "categories", ("category_id",), ("category_name", "varchar")),
        _t("raw_discourse", "topics", ("topic_id",), ("category_id", "varchar"), ("title", "varchar")),
        _t("raw_discourse", "posts", ("post_id",), ("topic_id", "varchar"), ("username", "varchar"), ("text", "varchar")),
    )
}


def table_for(qualified: str) -> RawTable:
    try:
        return RAW_TABLES[qualified]
    except KeyError:
        raise KeyError(f"unknown raw table {qualified!r}; known: {', '.join(sorted(RAW_TABLES))}") from None
