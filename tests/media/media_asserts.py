"""Assertions shared by the media tests (kept out of conftest.py so the import is unambiguous)."""

from __future__ import annotations

import pytest

from media import MediaRejected
from texts.id.media import FALLBACK, MESSAGES, rejection_text


def assert_message(code: str, **params) -> str:
    """Every rejection code has its own Indonesian text, formatted with its params."""
    assert code in MESSAGES, f"no Indonesian message for {code!r}"
    text = rejection_text(code, **params)
    assert text and text != FALLBACK
    assert "{" not in text and "}" not in text
    return text


async def expect_rejected(coro, code: str) -> MediaRejected:
    with pytest.raises(MediaRejected) as info:
        await coro
    assert info.value.code == code, f"expected {code}, got {info.value}"
    assert_message(code, **info.value.params)
    return info.value
