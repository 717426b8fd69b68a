"""The Slack side of `bots.poster.Poster`: a notice as Block Kit through `chat.postMessage`."""

from __future__ import annotations

from slack_sdk import WebClient

from bots.poster import Notice
from bots.slack.blocks import notice_blocks


class SlackPoster:
    """Posts to a channel id, or to a user id (Slack then delivers it as a DM from the app)."""

    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post(self, channel: str, notice: Notice, thread: str | None = None) -> str:
        response = self.client.chat_postMessage(
            channel=channel,
            thread_ts=thread,
            text=notice.plain[:3000],
            blocks=notice_blocks(notice),
            unfurl_links=False,
        )
        return str(response["ts"])
