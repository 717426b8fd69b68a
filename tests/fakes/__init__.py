"""Loopback fake servers that real client libraries are pointed at (DESIGN §2, STYLE §6)."""
