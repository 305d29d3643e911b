"""What "🌐 Terbit" owes, once every target has a version: told by the transition that
completes it (services/transitions/effects.py), and by the outbox's sweep as its safety net."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.publication import JobState, Operation
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.staff.people import office_admins
from storage.models import PublicationJob, Submission


def approval_notice_key(revision_id: int) -> str:
    """The writer's "approved, being published", which "🌐 Terbit" makes unnecessary."""
    return f"approved:{revision_id}:writer"


def where(job: PublicationJob) -> dict[str, Any]:
    """Where one target has the article (the drawers never show a server path)."""
    return {"target": job.target, "url": job.url, "path": (job.remote or {}).get("path"), "remote_id": job.remote_id}


async def audience(s: AsyncSession, sub: Submission) -> list[int]:
    """The writer and the office's admins (SOP step 7: "the admin is told"; people.office_admins).
    The reviewers see the outcome on their decided cards, and /terbitan has the links."""
    ids = [sub.author.telegram_id, *(p.telegram_id for p in await office_admins(s))]
    return list(dict.fromkeys(ids))


async def siblings(s: AsyncSession, revision_id: int, operation: Operation) -> list[PublicationJob]:
    """Every job of one version and operation, by stage."""
    return list((await s.scalars(select(PublicationJob).where(
        PublicationJob.revision_id == revision_id, PublicationJob.operation == operation)
        .order_by(PublicationJob.stage, PublicationJob.id))).all())


async def owe_done(s: AsyncSession, sub: Submission, revision_id: int, operation: Operation, title: str,
                   jobs: list[PublicationJob], now: datetime) -> list[Owed]:
    """When every target has settled this version's publication (or withdrawal): "🌐 Terbit"
    (or "Ditarik") to the audience, once (keyed), the jobs marked told.  [] while one has not."""
    if not jobs or any(j.state != JobState.PUBLISHED for j in jobs):
        return []
    notice = Notice.WITHDRAWN if operation == Operation.WITHDRAW else Notice.PUBLISHED
    params = {"submission_id": sub.id, "title": title, "targets": [where(j) for j in jobs]}
    key = f"rev{revision_id}:{operation.value}:done"
    owed = [Owed(f"{key}:{c}", c, notice, params, key) for c in await audience(s, sub)]
    if operation == Operation.PUBLISH:  # "Terbit" says it all: the pending "approved" note is not needed
        await postbox.supersede(s, approval_notice_key(revision_id))
    for job in jobs:
        job.notified_at = job.notified_at or now
    return owed
