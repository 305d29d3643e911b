"""After publication: updating a live article (pembaharuan), withdrawing it,
and the list of what went to the targets.

The use cases (``*_as``, :func:`publications_for`) own their transaction; the
functions taking a session are the steps they are built from.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import checks
from domain.publication import JobState, Operation
from domain.workflow import Action, Role, State, WorkflowError
from services.errors import ServiceError
from services.lexicons import needs_lexicons
from services.staff.people import by_telegram_id, roles_of
from services.transitions.effects import Circumstances, Transitioned, realise
from services.transitions.moves import decided, move
from services.uow import Sessions
from services.website.outbox import without_paths
from services.writing import drafts
from services.writing.drafting import DraftView, view_of
from storage.models import AuditEvent, Person, PublicationJob, Revision, Submission

#: Who may see /terbitan (the admins may also retry a failed target there).
PUBLICATIONS_ROLES = frozenset({Role.ADMIN, Role.KEPALA, Role.KASUBBAG})


@dataclass(frozen=True)
class UpdateStarted:
    """A new revision of a live article, opened as a draft: what it caused, and the draft."""

    outcome: Transitioned
    draft: DraftView


@dataclass(frozen=True)
class JobLine:
    id: int
    target: str
    operation: Operation
    state: JobState
    #: Where it is live, when the target gave an address a phone can open (never file://).
    url: str | None = None
    #: The archive's folder, relative to the archive's root (for the admins).
    folder: str | None = None
    #: The static site's page name, to build its public address once SITE_BASE_URL is set.
    slug: str | None = None
    #: Why the last attempt failed, without any path on the server.
    error: str | None = None
    #: When a job the Kepala scheduled ("Setujui & jadwalkan") will run; None when it is not waiting for that.
    scheduled_at: datetime | None = None


@dataclass(frozen=True)
class PublicationLine:
    submission_id: int
    title: str
    state: State
    jobs: tuple[JobLine, ...]


@dataclass(frozen=True)
class Publications:
    items: tuple[PublicationLine, ...]
    #: The reader is an admin: failed targets get a retry button.
    may_retry: bool


# --- steps inside a transaction -------------------------------------------------------

async def _live(s: AsyncSession, submission_id: int) -> Submission:
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    return sub


async def live_title(s: AsyncSession, sub: Submission) -> str:
    """The title as published (or, before any publication, as it stands)."""
    rev = await s.get(Revision, sub.published_revision_id or sub.current_revision_id)
    return (rev.title if rev else "") or ""


async def _person(s: AsyncSession, telegram_id: int) -> Person:
    person = await by_telegram_id(s, telegram_id)
    if person is None:
        raise WorkflowError("forbidden", "not registered")
    return person


async def start_update(s: AsyncSession, submission_id: int, person: Person, now: datetime) -> Transitioned:
    """Open a new revision of a published article; the live one stays up meanwhile."""
    sub = await _live(s, submission_id)
    live = await s.get(Revision, sub.published_revision_id) if sub.published_revision_id else None
    if live is None:
        raise WorkflowError("not_allowed", "never published")
    last = await s.scalar(select(Revision.number).where(Revision.submission_id == sub.id)
                          .order_by(Revision.number.desc()).limit(1))
    rev = Revision(
        submission_id=sub.id, number=(last or 0) + 1, kind=live.kind, title=live.title, body=live.body,
        guide=dict(live.guide or {}), attachment_ids=list(live.attachment_ids or []),
        created_by=person.id, created_at=now, reason="update",
    )
    s.add(rev)
    await s.flush()
    sub.current_revision_id = rev.id
    return await move(s, sub, Action.REVISE_PUBLISHED, by=person, now=now, revision_id=rev.id,
                      title=live.title or "")


async def request_withdrawal(s: AsyncSession, submission_id: int, admin: Person, reason: str,
                             now: datetime) -> Transitioned:
    sub = await _live(s, submission_id)
    return await move(s, sub, Action.REQUEST_WITHDRAW, by=admin, now=now, note=reason,
                      revision_id=sub.published_revision_id, title=await live_title(s, sub))


async def decide_withdrawal(s: AsyncSession, submission_id: int, kepala: Person, confirm: bool, now: datetime,
                            targets: Sequence[tuple[str, int]]) -> Transitioned:
    """The Kepala confirms (every target takes it down) or keeps it published."""
    sub = await _live(s, submission_id)
    action = Action.WITHDRAW if confirm else Action.KEEP_PUBLISHED
    request = await withdrawal_request(s, sub.id)
    t, event = await decided(s, sub, action, by=kepala, now=now, revision_id=sub.published_revision_id)
    # The archive's DITARIK.json keeps both halves: who asked, why and when; who decided and when.
    record_of = {"withdraw_reason": request.note if request else None, "withdrawn_by": kepala.full_name,
                 "withdraw_request": _step(request, request.actor, request.acting_for) if request else None,
                 "withdraw_decision": _step(event, kepala, await s.get(Person, event.acting_for_id)
                                            if event.acting_for_id else None)}
    return await realise(s, sub, t, event, actor=kepala, title=await live_title(s, sub), now=now,
                         given=Circumstances(targets=tuple(targets), job_record=record_of))


def _who(person: Person | None) -> dict[str, object] | None:
    return None if person is None else {"name": person.full_name, "telegram_id": person.telegram_id,
                                        "username": person.username}


def _step(event: AuditEvent, by: Person | None, acting_for: Person | None) -> dict[str, object]:
    """One half of a withdrawal (the request, the decision) as plain data, from the audit trail."""
    return {"by": _who(by), "role": str(event.role), "acting_for": _who(acting_for),
            "action": str(event.action), "note": event.note, "at": event.at.isoformat()}


async def withdrawal_request(s: AsyncSession, submission_id: int) -> AuditEvent | None:
    """The latest REQUEST_WITHDRAW in the audit trail: who asked, why, when."""
    return await s.scalar(
        select(AuditEvent).where(AuditEvent.submission_id == submission_id,
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


# --- use cases ----------------------------------------------------------------------------

@needs_lexicons
async def start_update_as(sessions: Sessions, *, telegram_id: int, submission_id: int,
                          policy: checks.CheckPolicy, now: datetime) -> UpdateStarted:
    """/perbarui: the author (or an admin) opens an update of a live article."""
    async with sessions.begin() as s:
        person = await _person(s, telegram_id)
        outcome = await start_update(s, submission_id, person, now)
        return UpdateStarted(outcome, view_of(await drafts.load(s, outcome.submission_id), person, policy))


async def request_withdrawal_as(sessions: Sessions, *, telegram_id: int, submission_id: int, reason: str,
                                now: datetime) -> Transitioned:
    """/tarik: an admin asks; the Kepala's confirmation card is owed
    (``reached[Effect.ASK_KEPALA]`` says for how many)."""
    async with sessions.begin() as s:
        return await request_withdrawal(s, submission_id, await _person(s, telegram_id), reason, now)


async def decide_withdrawal_as(sessions: Sessions, *, telegram_id: int, submission_id: int, confirm: bool,
                               targets: Sequence[tuple[str, int]], now: datetime) -> Transitioned:
    """The Kepala's answer: taken down everywhere, or kept; the writer and the admins are told."""
    async with sessions.begin() as s:
        return await decide_withdrawal(s, submission_id, await _person(s, telegram_id), confirm, now, targets)


async def publications_for(sessions: Sessions, *, telegram_id: int, now: datetime, limit: int = 15) -> Publications:
    """/terbitan: recent publications with how each target stands (raises
    :class:`WorkflowError` ``forbidden`` for someone not in the office's lead)."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        roles = roles_of(person) if person else frozenset()
        if not roles & PUBLICATIONS_ROLES:
            raise WorkflowError("forbidden", "publications")
        items = [
            PublicationLine(sub.id, await live_title(s, sub), sub.state,
                            tuple(_line(j, now) for j in jobs))
            for sub, jobs in await publications(s, limit)
        ]
        return Publications(tuple(items), Role.ADMIN in roles)


def _public(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("https://", "http://")) else None


def _line(job: PublicationJob, now: datetime) -> JobLine:
    """One target's state for /terbitan: its public address, archive folder or error, no server path,
    or when it is scheduled to go live."""
    remote = job.remote or {}
    folder = job.remote_id if job.target == "archive" else None
    slug = remote.get("slug") if isinstance(remote.get("slug"), str) else None
    scheduled = job.state is JobState.QUEUED and not job.attempts and job.next_attempt_at > now
    return JobLine(job.id, job.target, job.operation, job.state, url=_public(job.url), folder=folder, slug=slug,
                   error=without_paths(job.last_error), scheduled_at=job.next_attempt_at if scheduled else None)
