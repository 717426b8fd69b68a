"""DiscordChatExporter exports (JSON, CSV, HTML) → raw_discord."""
