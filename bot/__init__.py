"""Terbit: the office's SOP for website content, run from Telegram."""
