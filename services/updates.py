"""After publication: updating a live article (pembaharuan) and withdrawing it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.workflow import Action, State, decide
from services.audit import record
from services.errors import ServiceError
from services.outbox import enqueue_publication
from services.people import actor_of
from storage.models import AuditEvent, Person, PublicationJob, Revision, Submission


async def _live(s: AsyncSession, submission_id: int) -> Submission:
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    return sub


async def start_update(s: AsyncSession, submission_id: int, person: Person, now: datetime) -> Submission:
    """Open a new revision of a published article; the live one stays up meanwhile."""
    sub = await _live(s, submission_id)
    t = decide(State(sub.state), Action.REVISE_PUBLISHED, actor_of(person), author_id=sub.author_id,
               live=sub.published_revision_id is not None)
    live = await s.get(Revision, sub.published_revision_id)
    last = await s.scalar(select(Revision.number).where(Revision.submission_id == sub.id)
                          .order_by(Revision.number.desc()).limit(1))
    rev = Revision(
        submission_id=sub.id, number=last + 1, kind=live.kind, title=live.title, body=live.body,
        guide=dict(live.guide or {}), attachment_ids=list(live.attachment_ids or []),
        created_by=person.id, created_at=now, reason="update",
    )
    s.add(rev)
    await s.flush()
    sub.current_revision_id = rev.id
    await record(s, sub, t, rev.id, now)
    return sub


async def request_withdrawal(s: AsyncSession, submission_id: int, admin: Person, reason: str,
                             now: datetime) -> Submission:
    sub = await _live(s, submission_id)
    t = decide(State(sub.state), Action.REQUEST_WITHDRAW, actor_of(admin), author_id=sub.author_id, note=reason)
    await record(s, sub, t, sub.published_revision_id, now)
    return sub


async def decide_withdrawal(s: AsyncSession, submission_id: int, kepala: Person, confirm: bool, now: datetime,
                            targets) -> tuple[Submission, str | None]:
    """The Kepala confirms (every target takes it down) or keeps it published."""
    sub = await _live(s, submission_id)
    action = Action.WITHDRAW if confirm else Action.KEEP_PUBLISHED
    t = decide(State(sub.state), action, actor_of(kepala), author_id=sub.author_id)
    requested = await withdrawal_reason(s, sub.id)
    await record(s, sub, t, sub.published_revision_id, now)
    if confirm:
        jobs = await enqueue_publication(s, sub, sub.published_revision_id, targets, now, operation="withdraw")
        for job in jobs:
            job.remote = {"withdraw_reason": requested, "withdrawn_by": kepala.full_name}
    return sub, requested


async def withdrawal_reason(s: AsyncSession, submission_id: int) -> str | None:
    return await s.scalar(
        select(AuditEvent.note).where(AuditEvent.submission_id == submission_id,
                                      AuditEvent.action == Action.REQUEST_WITHDRAW)
        .order_by(AuditEvent.id.desc()).limit(1))


async def publications(s: AsyncSession, limit: int = 15) -> list[tuple[Submission, list[PublicationJob]]]:
    """Recent submissions that reached the outbox, newest first, with their jobs."""
    subs = (await s.scalars(
        select(Submission).where(Submission.id.in_(select(PublicationJob.submission_id)))
        .order_by(Submission.updated_at.desc()).limit(limit))).unique().all()
    out = []
    for sub in subs:
        jobs = (await s.scalars(select(PublicationJob).where(PublicationJob.submission_id == sub.id)
                                .order_by(PublicationJob.id))).all()
        out.append((sub, list(jobs)))
    return out
