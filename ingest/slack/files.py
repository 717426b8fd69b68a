"""Slack's file formats, and how each is recognised; `ingest/formats.py` reads `FORMATS`.

- `slack-export`: a workspace export folder (Slack's "Export data", or slackdump's).
- `slack-export-zip`: the same export still zipped (or tarred); read member by member.
- `slack-api-dump`: saved Web API responses (history, replies, users.list, conversations.list).

Zipped exports yield units of format `slack-export` too, so whoever asks for Slack exports
(the Dagster file asset, `--format slack-export`) gets both forms.
"""

from __future__ import annotations

from ingest.core.units import Format
from ingest.slack.api_dumps import api_dump_units, is_slack_api_dump
from ingest.slack.export import is_slack_export, is_slack_export_archive, slack_export_units

FORMATS = [
    Format("slack-export", is_slack_export, slack_export_units, folder=True),
    Format("slack-export-zip", is_slack_export_archive, slack_export_units),
    Format("slack-api-dump", is_slack_api_dump, api_dump_units),
]

__all__ = ["FORMATS", "api_dump_units", "is_slack_api_dump", "is_slack_export", "is_slack_export_archive",
           "slack_export_units"]
