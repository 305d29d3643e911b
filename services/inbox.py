"""The inbox: every Telegram update is stored before Telegram is told it arrived.

Polling moves its offset past an update, and a webhook answers 200, only
once :func:`store` has committed it; :func:`done` marks it handled.  At
start-up :func:`unfinished` gives back what a crash interrupted, to be
handled again (handling is idempotent where it matters: attachments by
Telegram's unique file id, decisions by the workflow).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from services.uow import Sessions, affected, insert_for
from storage.models import InboxUpdate


@dataclass(frozen=True)
class Received:
    update_id: int
    lane: int
    payload: dict[str, Any]


async def store(sessions: Sessions, items: Sequence[Received], now: datetime) -> set[int]:
    """Store received updates (a known update_id is kept as it was); returns
    the ids among them that were already handled."""
    if not items:
        return set()
    async with sessions.begin() as s:
        await s.execute(insert_for(s)(InboxUpdate).values([
            {"update_id": r.update_id, "lane": r.lane, "payload": r.payload, "received_at": now, "attempts": 0}
            for r in items]).on_conflict_do_nothing(index_elements=["update_id"]))
        done = await s.scalars(select(InboxUpdate.update_id).where(
            InboxUpdate.update_id.in_([r.update_id for r in items]), InboxUpdate.done_at.is_not(None)))
        return set(done.all())


async def done(sessions: Sessions, update_id: int, now: datetime, error: str | None = None) -> None:
    await done_many(sessions, [(update_id, error)], now)


async def done_many(sessions: Sessions, finished: Sequence[tuple[int, str | None]], now: datetime) -> None:
    """Mark handled updates done, in one transaction (updates finish many at a time under load)."""
    clean = [update_id for update_id, error in finished if error is None]
    async with sessions.begin() as s:
        if clean:
            await s.execute(update(InboxUpdate).where(InboxUpdate.update_id.in_(clean))
                            .values(done_at=now, last_error=None, attempts=InboxUpdate.attempts + 1))
        for update_id, error in finished:
            if error is not None:
                await s.execute(update(InboxUpdate).where(InboxUpdate.update_id == update_id)
                                .values(done_at=now, last_error=error, attempts=InboxUpdate.attempts + 1))


async def lane_busy(sessions: Sessions, lane: int) -> bool:
    """Whether this person still has updates received but not handled."""
    async with sessions() as s:
        return await s.scalar(select(InboxUpdate.update_id).where(
            InboxUpdate.lane == lane, InboxUpdate.done_at.is_(None)).limit(1)) is not None


async def unfinished(sessions: Sessions) -> list[Received]:
    """Updates stored but not handled (a crash, a kill), oldest first."""
    async with sessions() as s:
        rows = await s.scalars(select(InboxUpdate).where(InboxUpdate.done_at.is_(None))
                               .order_by(InboxUpdate.update_id))
        return [Received(r.update_id, r.lane, dict(r.payload)) for r in rows.all()]


async def forget_handled(sessions: Sessions, older_than: datetime) -> int:
    """Handled updates are kept a while (for the admin's view), then dropped."""
    async with sessions.begin() as s:
        res = await s.execute(delete(InboxUpdate).where(InboxUpdate.done_at.is_not(None),
                                                        InboxUpdate.done_at < older_than))
        return affected(res)


#: How long handled updates and settled outgoing messages are kept (bot/app.py prunes daily).
KEEP_HANDLED = timedelta(days=7)
