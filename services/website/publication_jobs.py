"""The outbox's jobs as a transition causes them: one per target, in the same
transaction as the move that asks for them."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.publication import JobState, Operation
from storage.models import PublicationJob, Submission


async def enqueue_publication(
    s: AsyncSession, sub: Submission, revision_id: int, targets: Sequence[tuple[str, int]], now: datetime,
    operation: Operation = Operation.PUBLISH,
) -> list[PublicationJob]:
    """One job per ``(target, stage)``, due now."""
    jobs = []
    for name, stage in targets:
        job = PublicationJob(
            submission_id=sub.id, revision_id=revision_id, target=name, stage=stage, operation=operation,
            state=JobState.QUEUED, attempts=0, next_attempt_at=now, created_at=now, updated_at=now, remote={},
        )
        s.add(job)
        jobs.append(job)
    await s.flush()
    return jobs
