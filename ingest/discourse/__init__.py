"""Discourse: API JSON responses saved as files (topics, latest, posts, categories, users)."""
