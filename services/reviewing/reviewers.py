"""Who reviews what: the people an item waits for, their queues, and the
messages that carry review buttons (so a decision can close them)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.workflow import WAITING_FOR, Role, State
from services.staff import acting
from services.staff.people import people_with_role, roles_of
from storage.models import Person, ReviewMessage, Submission


async def reviewers_for(s: AsyncSession, sub: Submission, now: datetime | None = None) -> list[Person]:
    role = WAITING_FOR.get(State(sub.state))
    if role is None:
        return []
    holders = await people_with_role(s, role)
    if now is not None:  # a Plh/Plt receives the requests of the official they cover
        holders = await acting.route(s, role, holders, now)
    return [p for p in holders if p.id != sub.author_id]


async def queue_for(s: AsyncSession, person: Person, now: datetime | None = None) -> list[Submission]:
    """What waits for this person (as Plh/Plt too, given ``now``), oldest first."""
    roles = roles_of(person) | (frozenset(await acting.acting_roles(s, person, now)) if now else frozenset())
    states = [st for st, role in WAITING_FOR.items() if role in roles]
    if Role.ADMIN in roles:
        states = list(WAITING_FOR)
    if not states:
        return []
    stmt = (
        select(Submission)
        .where(Submission.state.in_(states), Submission.author_id != person.id)
        .order_by(Submission.state_changed_at)
    )
    return list((await s.scalars(stmt)).unique().all())


async def waiting_for_role(s: AsyncSession, role: Role) -> list[int]:
    """Submissions waiting in the review step of this role, oldest first."""
    states = [st for st, r in WAITING_FOR.items() if r == role]
    if not states:
        return []
    stmt = select(Submission.id).where(Submission.state.in_(states)).order_by(Submission.state_changed_at)
    return list((await s.scalars(stmt)).all())


async def remember_message(
    s: AsyncSession, sub: Submission, person: Person, chat_id: int, message_id: int, now: datetime,
    text: str | None = None,
) -> None:
    """``text``: the HTML it was sent with, so its outcome can be appended to it later."""
    s.add(ReviewMessage(submission_id=sub.id, revision_id=sub.current_revision_id, person_id=person.id,
                        chat_id=chat_id, message_id=message_id, state=sub.state, created_at=now, text=text))


async def close_messages(s: AsyncSession, submission_id: int) -> list[ReviewMessage]:
    """Open review messages for this submission, marked closed; the caller edits them."""
    rows = list((await s.scalars(select(ReviewMessage).where(
        ReviewMessage.submission_id == submission_id, ReviewMessage.closed.is_(False)))).all())
    for r in rows:
        r.closed = True
    return rows
