"""Telling people how publishing went, exactly once.

After the outbox settled jobs, one transaction finds the ones nobody was told
about, owes the notices (services/delivery/postbox.py) and marks the jobs notified, so
a crash either tells nobody yet or has everything recorded for the postman.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.publication import TERMINAL, JobState, Operation
from domain.workflow import Role
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.staff.people import people_with_role
from services.uow import Sessions
from services.website import published
from services.website.outbox import without_paths
from storage.models import PublicationJob, Revision, Submission
from storage.tenancy import for_office


async def owe_outcomes(sessions: Sessions, now: datetime) -> int:
    """Owe the notices for every settled job nobody was told of; returns how many were owed.
    Each office's in its own scope: its admins and writers hear of its jobs only."""
    async with sessions() as s:  # most polls find nothing: look first without a write transaction
        offices = (await s.scalars(select(PublicationJob.office_id).where(
            PublicationJob.state.in_(TERMINAL), PublicationJob.notified_at.is_(None)).distinct())).all()
    owed = 0
    for office in sorted(offices):
        owed += await _owe_in(for_office(sessions, office), now)
    return owed


async def _owe_in(sessions: Sessions, now: datetime) -> int:
    async with sessions.begin() as s:
        pending = list((await s.scalars(
            select(PublicationJob).where(PublicationJob.state.in_(TERMINAL), PublicationJob.notified_at.is_(None))
            .order_by(PublicationJob.id).with_for_update())).all())
        batches: dict[tuple[int, Operation], list[PublicationJob]] = defaultdict(list)
        for job in pending:
            batches[(job.revision_id, job.operation)].append(job)
        owed: list[Owed] = []
        for (revision_id, operation), jobs in batches.items():
            owed += await _for_batch(s, revision_id, operation, jobs, now)
            for job in jobs:
                job.notified_at = now
        await postbox.owe(s, owed, now)
        return len(owed)


async def _for_batch(s: AsyncSession, revision_id: int, operation: Operation,
                     jobs: list[PublicationJob], now: datetime) -> list[Owed]:
    sub = await s.get(Submission, jobs[0].submission_id)
    rev = await s.get(Revision, revision_id)
    if sub is None or rev is None:
        return []
    title = rev.title or ""
    owed: list[Owed] = []
    admins = [p.telegram_id for p in await people_with_role(s, Role.ADMIN)]
    for job in jobs:
        if job.state == JobState.FAILED:
            params = {"submission_id": sub.id, "title": title, "target": job.target, "job_id": job.id,
                      "error": without_paths(job.last_error) or "-", "attempts": job.attempts}
            owed += [Owed(f"job{job.id}:failed:{job.attempts}:{a}", a, Notice.PUBLISH_FAILED, params, f"job {job.id}")
                     for a in admins]
    # People hear "published" once, when every target has it; a failure goes
    # to the admins alone, with its retry button.
    owed += await published.owe_done(s, sub, revision_id, operation, title,
                                     await published.siblings(s, revision_id, operation), now)
    return owed
