"""Telegram I/O made durable: the inbox (stored before acknowledged) and the postbox (owed, sent once)."""
