"""Bahasa Indonesia: every message the bot sends lives in this package."""
