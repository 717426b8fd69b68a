"""Bots and the answer engine they share; platform adapters stay thin over `bots.answer`."""
