"""Applying a transition: the state change and its audit event, together."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.workflow import State, Transition
from storage.models import AuditEvent, Submission


async def record(s: AsyncSession, sub: Submission, t: Transition, revision_id: int | None, now: datetime) -> AuditEvent:
    """Must run inside the caller's transaction: both rows commit or neither."""
    if sub.state != t.to_state:
        sub.state = t.to_state
        sub.state_changed_at = now
    sub.updated_at = now
    event = AuditEvent(
        submission_id=sub.id,
        actor_id=t.actor_id,
        role=t.role,
        action=t.action,
        from_state=t.from_state,
        to_state=t.to_state,
        note=t.note,
        revision_id=revision_id,
        at=now,
    )
    s.add(event)
    await s.flush()
    return event


async def history(s: AsyncSession, submission_id: int) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.submission_id == submission_id).order_by(AuditEvent.at, AuditEvent.id)
    return list((await s.scalars(stmt)).unique().all())


async def last_seen_revision(s: AsyncSession, submission_id: int, level: State) -> int | None:
    """The revision a reviewer at this level last decided on, for the diff."""
    stmt = (
        select(AuditEvent.revision_id)
        .where(AuditEvent.submission_id == submission_id, AuditEvent.from_state == level,
               AuditEvent.to_state != level)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    return await s.scalar(stmt)
