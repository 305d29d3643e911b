"""Where things are: the writer's own items, what waits for a reviewer, and
an item's audit trail, as read models for /status, /antrian and /riwayat."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from domain.workflow import Action, Role, State
from services.errors import ServiceError
from services.reviewing.reviewers import queue_for
from services.staff.people import by_telegram_id, roles_of
from services.transitions import audit
from services.uow import Sessions
from storage.models import Submission

UNTITLED = "(tanpa judul)"
#: Who may read the trail of an item they had nothing to do with.
OVERSEERS = frozenset({Role.KASUBBAG, Role.KEPALA, Role.ADMIN})


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    state: State
    state_changed_at: datetime


@dataclass(frozen=True)
class Queue:
    """What waits for a reviewer, oldest first: how many, and the first ones."""

    total: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str | None
    role: Role
    action: Action
    from_state: State
    to_state: State
    acting_for: str | None
    note: str | None


@dataclass(frozen=True)
class Trail:
    submission_id: int
    title: str
    events: tuple[Event, ...]


def _item(sub: Submission) -> Item:
    rev = sub.current_revision
    return Item(sub.id, (rev.title if rev else None) or UNTITLED, sub.state, sub.state_changed_at)


async def mine(sessions: Sessions, *, telegram_id: int, limit: int) -> tuple[Item, ...]:
    """/status: the writer's items, most recently changed first."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            return ()
        subs = (await s.scalars(select(Submission).where(Submission.author_id == person.id)
                                .order_by(Submission.updated_at.desc()).limit(limit))).unique().all()
        return tuple(_item(x) for x in subs)


async def waiting(sessions: Sessions, *, telegram_id: int, now: datetime, limit: int) -> Queue:
    """/antrian: what waits for this person (as Plh/Plt too), oldest first."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            return Queue(0, ())
        subs = await queue_for(s, person, now)
        return Queue(len(subs), tuple(_item(x) for x in subs[:limit]))


async def trail(sessions: Sessions, *, telegram_id: int, submission_id: int) -> Trail:
    """/riwayat: an item's audit trail, for those involved in it and the reviewers.

    Raises ``submission_unknown`` and ``history_denied``.
    """
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        sub = await s.get(Submission, submission_id)
        if sub is None:
            raise ServiceError("submission_unknown", id=submission_id)
        events = await audit.history(s, submission_id)
        involved = person is not None and (
            sub.author_id == person.id or any(e.actor_id == person.id for e in events))
        if not (involved or (person is not None and roles_of(person) & OVERSEERS)):
            raise ServiceError("history_denied")
        return Trail(sub.id, _item(sub).title, tuple(
            Event(e.at, e.actor.full_name if e.actor else None, e.role, e.action, e.from_state, e.to_state,
                  e.acting_for.full_name if e.acting_for else None, e.note) for e in events))
