"""Every kind of owed message has its drawer, in one table (nothing registers by import)."""
from __future__ import annotations

import inspect

from domain.messaging import Notice
from handlers.drawers import DRAWERS


def test_every_notice_has_a_drawer():
    assert set(DRAWERS) == set(Notice)
    for notice, draw in DRAWERS.items():
        assert inspect.iscoroutinefunction(draw), notice
        assert list(inspect.signature(draw).parameters) == ["t", "bot", "chat_id", "params"], notice
