"""The SOP clock through the real bot, with time held still by a FrozenClock."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from domain.sop_clock import FrozenClock
from tests.flow.harness import Office, make_settings

JKT = ZoneInfo("Asia/Jakarta")


def J(*args) -> datetime:
    """A moment in Jakarta (WIB)."""
    return datetime(*args, tzinfo=JKT)


@pytest.fixture
def make_office(fake_telegram, tmp_path):
    """``make_office(start, **settings)`` -> (office, clock); run it with ``running(office, clock=clock)``."""
    def make(start: datetime, **over) -> tuple[Office, FrozenClock]:
        # The repeating sweep stays out of the way: the tests run it themselves.
        over.setdefault("reminder_poll_seconds", 3600)
        return Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", **over)), FrozenClock(start)
    return make
