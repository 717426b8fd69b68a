"""Discord adapter: app commands and welcomes over `bots.answer` (`client`), a `Poster` for
alerts and reports (`poster`), and `run` for `codeconvene bot discord`. `format` and
`commands` are pure; only the other modules import discord.py."""
