"""Pytest fixtures.  In tests/conftest.py:  ``from tests.fakebot.fixtures import fake_telegram  # noqa: F401``"""

from __future__ import annotations

import pytest_asyncio

from .server import FakeTelegram


@pytest_asyncio.fixture
async def fake_telegram():
    """A started FakeTelegram (token ``123456:TEST``, bot ``@terbit_test_bot``), stopped afterwards."""
    async with FakeTelegram(token="123456:TEST", bot_username="terbit_test_bot") as tg:
        yield tg
