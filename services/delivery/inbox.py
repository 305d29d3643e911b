"""The inbox: every Telegram update is stored before Telegram is told it arrived.

Polling moves its offset past an update, and a webhook answers 200, only
once :func:`store` has committed it; :func:`done` marks it handled.  At
start-up :func:`unfinished` gives back what a crash interrupted, to be
handled again (handling is idempotent where it matters: attachments by
Telegram's unique file id, decisions by the workflow).

Telegram numbers updates per bot, so an update is known by its bot and its
number (:class:`Key`): another bot's update 5 (a database restored onto a
new token) is not this bot's update 5.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, delete, or_, select, update

from services.uow import Sessions, affected, insert_for
from storage.models import InboxUpdate


class Key(NamedTuple):
    """An update as Telegram knows it: (the receiving bot's id, the update id)."""

    bot_id: int
    update_id: int


@dataclass(frozen=True)
class Received:
    key: Key
    lane: int
    payload: dict[str, Any]

    @property
    def update_id(self) -> int:
        return self.key.update_id


def _is(keys: Sequence[Key]) -> ColumnElement[bool]:
    """Rows with these keys (grouped by bot: one IN list per bot)."""
    by_bot: dict[int, list[int]] = {}
    for k in keys:
        by_bot.setdefault(k.bot_id, []).append(k.update_id)
    return or_(*(and_(InboxUpdate.bot_id == bot, InboxUpdate.update_id.in_(ids)) for bot, ids in by_bot.items()))


async def store(sessions: Sessions, items: Sequence[Received], now: datetime) -> set[Key]:
    """Store received updates (a known key is kept as it was); returns the
    keys among them that were already handled."""
    if not items:
        return set()
    async with sessions.begin() as s:
        await s.execute(insert_for(s)(InboxUpdate).values([
            {"bot_id": r.key.bot_id, "update_id": r.key.update_id, "lane": r.lane, "payload": r.payload,
             "received_at": now, "attempts": 0}
            for r in items]).on_conflict_do_nothing(index_elements=["update_id", "bot_id"]))
        done = await s.execute(select(InboxUpdate.bot_id, InboxUpdate.update_id).where(
            _is([r.key for r in items]), InboxUpdate.done_at.is_not(None)))
        return {Key(bot, uid) for bot, uid in done.all()}


async def done(sessions: Sessions, key: Key, now: datetime, error: str | None = None) -> None:
    await done_many(sessions, [(key, error)], now)


async def done_many(sessions: Sessions, finished: Sequence[tuple[Key, str | None]], now: datetime) -> None:
    """Mark handled updates done, in one transaction (updates finish many at a time under load)."""
    clean = [key for key, error in finished if error is None]
    async with sessions.begin() as s:
        if clean:
            await s.execute(update(InboxUpdate).where(_is(clean))
                            .values(done_at=now, last_error=None, attempts=InboxUpdate.attempts + 1))
        for key, error in finished:
            if error is not None:
                await s.execute(update(InboxUpdate).where(_is([key]))
                                .values(done_at=now, last_error=error, attempts=InboxUpdate.attempts + 1))


async def lane_busy(sessions: Sessions, lane: int) -> bool:
    """Whether this person still has updates received but not handled."""
    async with sessions() as s:
        return await s.scalar(select(InboxUpdate.update_id).where(
            InboxUpdate.lane == lane, InboxUpdate.done_at.is_(None)).limit(1)) is not None


async def unfinished(sessions: Sessions) -> list[Received]:
    """Updates stored but not handled (a crash, a kill), oldest first (whichever bot received them)."""
    async with sessions() as s:
        rows = await s.scalars(select(InboxUpdate).where(InboxUpdate.done_at.is_(None))
                               .order_by(InboxUpdate.received_at, InboxUpdate.update_id))
        return [Received(Key(r.bot_id, r.update_id), r.lane, dict(r.payload)) for r in rows.all()]


async def forget_handled(sessions: Sessions, older_than: datetime) -> int:
    """Handled updates are kept a while (for the admin's view), then dropped."""
    async with sessions.begin() as s:
        res = await s.execute(delete(InboxUpdate).where(InboxUpdate.done_at.is_not(None),
                                                        InboxUpdate.done_at < older_than))
        return affected(res)


#: How long handled updates and settled outgoing messages are kept (bot/app.py prunes daily).
KEEP_HANDLED = timedelta(days=7)
