"""Selftests of tests/fakebot (the fake Telegram Bot API)."""
