"""The Slack adapter: Events API (HTTP) or Socket Mode in, `chat.postMessage` out.

Thin on purpose: questions go to `bots.answer`, replies are rendered as Block Kit
(`blocks.py`). `client.py`, `bot.py`, `server.py`, `socket_mode.py`, `poster.py` and `run.py`
import slack_sdk; `blocks.py`, `commands.py` and `dedupe.py` are pure, and importing this
package itself loads nothing.
"""
