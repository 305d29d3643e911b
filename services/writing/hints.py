"""Hints that must reach someone once only (``said_once``): asked before the
message that carries the hint is sent, recorded after it was."""
from __future__ import annotations

from datetime import datetime

from services.uow import Sessions, insert_for
from storage.models import SaidOnce


def site_address_key(telegram_id: int) -> str:
    """The admins' "SITE_BASE_URL is not set" hint, one per admin."""
    return f"site_base_url:{telegram_id}"


async def already_said(sessions: Sessions, key: str) -> bool:
    async with sessions() as s:
        return await s.get(SaidOnce, key) is not None


async def mark_said(sessions: Sessions, key: str, now: datetime) -> None:
    """Recorded once; a second mark (a retried delivery) changes nothing."""
    async with sessions.begin() as s:
        await s.execute(insert_for(s)(SaidOnce).values(key=key, said_at=now)
                        .on_conflict_do_nothing(index_elements=["key"]))
