"""The Discord bot: four app commands over the answer engine, and a welcome for new members.

Thin on purpose: each command checks the asker's rate limit, defers (Discord allows 3 s for
a first response), runs the pure `bots.discord.commands` function on a read-only warehouse
connection in a worker thread, and posts the embed. `/ask` posts who asked what in the
channel and answers in a thread hanging from that message; in a DM or inside a thread,
where no thread can be started, the answer follows in place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import discord
from discord import app_commands

from bots.discord import commands
from bots.discord import format as fmt
from bots.discord.api import discord_maintainers, set_api_base, welcome_channel_id
from bots.ratelimit import RateLimiter, polite_refusal
from codeconvene.settings import Settings
from codeconvene.warehouse import reader

log = logging.getLogger(__name__)
THREAD_TYPES = {discord.ChannelType.public_thread, discord.ChannelType.private_thread,
                discord.ChannelType.news_thread}
ARCHIVE_AFTER_MINUTES = 1440
NO_MENTIONS = discord.AllowedMentions.none()


def default_intents() -> discord.Intents:
    """Guild events plus members (privileged: enable "Server Members Intent" for welcomes)."""
    intents = discord.Intents.default()
    intents.members = True
    return intents


class ConveneBot(discord.Client):
    """A `discord.Client` with a `CommandTree` holding /ask, /stats, /faq and /report."""

    def __init__(
        self,
        settings: Settings,
        *,
        today: Callable[[], date | None] = lambda: None,
        limiter: RateLimiter | None = None,
        sync_commands: bool = True,
        intents: discord.Intents | None = None,
    ) -> None:
        super().__init__(intents=intents or default_intents(), allowed_mentions=NO_MENTIONS)
        set_api_base(settings)
        self.settings = settings
        self.today = today
        self.limiter = limiter or RateLimiter()
        self.sync_commands = sync_commands
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self.on_command_error
        self._register()

    async def setup_hook(self) -> None:
        if self.sync_commands:
            synced = await self.tree.sync()
            log.info("registered %d app commands", len(synced))

    # --- commands -----------------------------------------------------------------------
    def _register(self) -> None:
        @self.tree.command(name="ask", description="Ask about the community; answers cite their sources.")
        @app_commands.describe(question="e.g. how many new contributors joined last month?")
        async def ask(interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]) -> None:
            await self.answer_question(interaction, question)

        @self.tree.command(name="stats", description="This week's community figures.")
        async def stats(interaction: discord.Interaction) -> None:
            await self.reply_embed(interaction, commands.stats)

        @self.tree.command(name="faq", description="The most asked questions and their answers.")
        @app_commands.describe(topic="only questions mentioning these words")
        async def faq(interaction: discord.Interaction, topic: app_commands.Range[str, 0, 100] = "") -> None:
            await self.reply_embed(interaction, commands.faq, topic)

        @self.tree.command(name="report", description="The latest weekly community report.")
        async def report(interaction: discord.Interaction) -> None:
            await self.reply_embed(interaction, commands.report)

    async def on_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Log the failure and tell the asker (privately), rather than "thinking" forever."""
        log.error("command /%s failed: %s", getattr(interaction.command, "name", "?"), error,
                  exc_info=getattr(error, "original", error))
        text = "Sorry, something went wrong while answering. The maintainers can find the details in the bot's log."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell the asker about the failure")

    async def _allowed(self, interaction: discord.Interaction) -> bool:
        decision = self.limiter.check(f"discord:{interaction.user.id}")
        if not decision.allowed:
            await interaction.response.send_message(polite_refusal(decision.retry_after_s), ephemeral=True)
        return decision.allowed

    def _read(self, call: Callable[[Any], Any]) -> Any:
        """`call(con)` on a fresh read-only connection (run in a worker thread); None: no warehouse."""
        try:
            with reader(self.settings.warehouse_path) as con:
                return call(con)
        except FileNotFoundError:
            return None

    async def reply_embed(self, interaction: discord.Interaction, function: Callable[..., dict], *args: Any) -> None:
        if not await self._allowed(interaction):
            return
        await interaction.response.defer(thinking=True)
        embed = await asyncio.to_thread(self._read, lambda con: function(con, *args))
        await interaction.followup.send(embed=discord.Embed.from_dict(embed or fmt.notice_embed(commands.NOT_BUILT)))

    async def answer_question(self, interaction: discord.Interaction, question: str) -> None:
        if not await self._allowed(interaction):
            return
        await interaction.response.defer(thinking=True)
        today, asker, maintainers = self.today(), str(interaction.user.id), discord_maintainers(self.settings)
        reply = await asyncio.to_thread(self._read, lambda con: commands.ask(
            question, con, asker=asker, asker_mention=interaction.user.mention, today=today,
            maintainers=maintainers))
        if reply is None:
            await interaction.followup.send(embed=discord.Embed.from_dict(fmt.notice_embed(commands.NOT_BUILT)))
            return
        embed = discord.Embed.from_dict(reply.embed)
        if interaction.guild_id is None or getattr(interaction.channel, "type", None) in THREAD_TYPES:
            await interaction.followup.send(content=reply.header, embed=embed, allowed_mentions=NO_MENTIONS)
            return
        header = await interaction.followup.send(content=reply.header, wait=True, allowed_mentions=NO_MENTIONS)
        try:
            thread = await self.http.start_thread_with_message(
                interaction.channel_id, header.id, name=reply.thread_name,
                auto_archive_duration=ARCHIVE_AFTER_MINUTES,
            )
        except discord.HTTPException as error:  # no permission to start threads here
            log.warning("could not start a thread (%s); answering in place", error.status)
            await interaction.followup.send(embed=embed)
            return
        target = self.get_partial_messageable(
            int(thread["id"]), guild_id=interaction.guild_id, type=discord.ChannelType.public_thread
        )
        await target.send(embed=embed)

    # --- events -------------------------------------------------------------------------
    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot:
            return
        channel_id = welcome_channel_id(self.settings)
        if channel_id is None and member.guild.system_channel is not None:
            channel_id = member.guild.system_channel.id
        if channel_id is None:
            log.info("a member joined but no welcome channel is configured")
            return
        text = fmt.welcome_text(member.mention, member.guild.name)
        await self.get_partial_messageable(channel_id, guild_id=member.guild.id).send(
            text, allowed_mentions=discord.AllowedMentions(users=[member], everyone=False, roles=False)
        )
