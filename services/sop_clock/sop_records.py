"""When each SOP step of a submission started and ended, derived from what is
already recorded: the audit trail, ``submissions.created_at`` and
``publication_jobs.done_at``.  No second bookkeeping.

Mapping (one :class:`reports.StepSpan` per stretch, ``round`` grows after each
return and after each update of a published article):

* creation -> first submission ............ step 1 "collect" (material and draft
  are gathered together in the bot)
* each file: sent -> recorded with its renditions ... step 2 "convert" (the bot
  converts it itself; ``meta["sent_at"]``, the message's date, to the attachment's
  ``created_at``; files recorded before that was kept have no span)
* returned / reopened -> submitted again .. step 3 "draft" (the rework), round n
* waiting for the Kasubbag ................ step 4, waiting for the Kepala ... step 5
  (a Kepala's correction keeps step 5 running)
* approved -> published ................... step 6 (end: the audit event, else the
  latest ``done_at`` of the stage-0 publication jobs)
* published -> archived ................... step 7 (only when an archive target ran)

A draft cancelled or abandoned leaves its open span out: it is no observation
of how long drafting takes.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.standard_times import Step
from domain.workflow import Action, Role, State
from publishers.render import parse_iso
from reports.models import StepSpan, SubmissionRecord
from services.errors import ServiceError
from services.staff import acting
from services.staff.people import by_telegram_id, roles_of
from services.uow import Sessions
from storage.models import Attachment, AuditEvent, Comment, PublicationJob, Revision, Submission

#: Who may ask for the SOP report (a Plh/Plt of these roles too).
REPORT_ROLES = frozenset({Role.KASUBBAG, Role.KEPALA, Role.ADMIN})

#: The step whose clock runs while a submission sits in a state.
_STATE_STEP = {
    State.WAIT_KASUBBAG: Step.REVIEW_KASUBBAG,
    State.WAIT_KEPALA: Step.REVIEW_KEPALA,
    State.APPROVED: Step.PUBLISH,
}
#: Leaving to these states drops the open span instead of closing it.
_DEAD_ENDS = {"dibatalkan", "ditinggalkan"}


def derive_spans(
    created_at: datetime,
    events: Sequence[AuditEvent],
    jobs: Sequence[PublicationJob] = (),
) -> tuple[list[StepSpan], int, bool, datetime | None]:
    """(spans, rounds returned, withdrawn, first publication moment) for one submission.

    ``events`` in order of ``(at, id)``; ``jobs`` are the submission's publication jobs.
    """
    spans: list[StepSpan] = []
    rnd = 1
    returns = 0
    withdrawn = False
    published_at: datetime | None = None
    open_span: tuple[Step, datetime, int] | None = (Step.COLLECT, created_at, 1)
    has_archive = any(j.stage > 0 and j.operation == "publish" for j in jobs)

    def close(at: datetime) -> None:
        nonlocal open_span
        if open_span is not None:
            step, start, r = open_span
            spans.append(StepSpan(step, start, max(at, start), r))
        open_span = None

    for e in events:
        action, src, dst = str(e.action), str(e.from_state), str(e.to_state)
        if action == Action.ARCHIVED:
            if open_span is not None and open_span[0] is Step.ARCHIVE:
                close(e.at)
            continue
        if action == Action.WITHDRAW:
            withdrawn = True
        if src == dst:  # a correction, or anything else that keeps the step running
            continue
        if dst in _DEAD_ENDS:
            open_span = None
            continue
        if action == Action.RETURN:
            returns += 1
        close(e.at)  # (an archive span still open ends when the article leaves "published")
        if dst == State.RETURNED or (dst == State.DRAFT and src != State.DRAFT):
            rnd += 1
            open_span = (Step.DRAFT, e.at, rnd)
        elif dst in _STATE_STEP:
            open_span = (_STATE_STEP[State(dst)], e.at, rnd)
        elif dst == State.PUBLISHED and src == State.APPROVED:
            if published_at is None:
                published_at = e.at
            if has_archive:
                open_span = (Step.ARCHIVE, e.at, rnd)

    if open_span is not None and open_span[0] is Step.PUBLISH:
        # No audit event yet for publication: the outbox's done_at may still tell.
        done = [j.done_at for j in jobs if j.stage == 0 and j.operation == "publish"
                and j.state == "published" and j.done_at is not None and j.done_at >= open_span[1]]
        if done and all(j.state == "published" for j in jobs if j.stage == 0 and j.operation == "publish"):
            close(max(done))
            published_at = published_at or max(done)
    if open_span is not None:
        step, start, r = open_span
        spans.append(StepSpan(step, start, None, r))
    return spans, returns, withdrawn, published_at


def conversion_span(meta: dict[str, Any] | None, recorded: datetime) -> StepSpan | None:
    """Step 2 for one file: from when the writer sent it to when it was recorded with its renditions."""
    sent = parse_iso((meta or {}).get("sent_at"))
    if sent is None:
        return None
    return StepSpan(Step.CONVERT, min(sent, recorded), recorded)


async def records(
    s: AsyncSession, start: datetime, end: datetime, *, ids: Iterable[int] | None = None
) -> list[SubmissionRecord]:
    """Every submission created in ``[start, end)`` as a report record."""
    stmt = select(Submission).where(Submission.created_at >= start, Submission.created_at < end)
    if ids is not None:
        stmt = select(Submission).where(Submission.id.in_(list(ids)))
    subs = list((await s.scalars(stmt.order_by(Submission.created_at, Submission.id))).unique().all())
    if not subs:
        return []
    sub_ids = [x.id for x in subs]
    events: dict[int, list[AuditEvent]] = defaultdict(list)
    for e in (await s.scalars(select(AuditEvent).where(AuditEvent.submission_id.in_(sub_ids))
                              .order_by(AuditEvent.at, AuditEvent.id))).unique().all():
        events[e.submission_id].append(e)
    jobs: dict[int, list[PublicationJob]] = defaultdict(list)
    for j in (await s.scalars(select(PublicationJob).where(PublicationJob.submission_id.in_(sub_ids)))).all():
        jobs[j.submission_id].append(j)
    conversions: dict[int, list[StepSpan]] = defaultdict(list)
    for sid, meta, recorded in (await s.execute(select(Attachment.submission_id, Attachment.meta, Attachment.created_at)
                                                .where(Attachment.submission_id.in_(sub_ids))
                                                .order_by(Attachment.id))).all():
        span = conversion_span(meta, recorded)
        if span is not None:
            conversions[sid].append(span)
    said = {sid: (n, first) for sid, n, first in (await s.execute(
        select(Comment.submission_id, func.count(), func.min(Comment.created_at))
        .where(Comment.submission_id.in_(sub_ids), Comment.deleted_at.is_(None))
        .group_by(Comment.submission_id))).all()}
    rev_ids = [x.current_revision_id for x in subs if x.current_revision_id]
    revs = {r.id: r for r in (await s.scalars(select(Revision).where(Revision.id.in_(rev_ids)))).all()}

    out = []
    for sub in subs:
        spans, returns, withdrawn, published_at = derive_spans(sub.created_at, events[sub.id], jobs[sub.id])
        rev = revs.get(sub.current_revision_id) if sub.current_revision_id else None
        out.append(SubmissionRecord(
            id=sub.id,
            title=(rev.title if rev else None) or "(tanpa judul)",
            section=sub.section.name if sub.section else "-",
            kind=(rev.kind if rev else None) or "-",
            created_at=sub.created_at,
            final_state=sub.state,
            rounds_returned=returns,
            withdrawn=withdrawn,
            spans=(*conversions[sub.id], *spans),
            published_at=published_at,
            comments=said.get(sub.id, (0, None))[0],
            first_comment_at=said.get(sub.id, (0, None))[1],
        ))
    return out


# --- use cases ----------------------------------------------------------------

async def _may_report(s: AsyncSession, telegram_id: int, now: datetime) -> bool:
    me = await by_telegram_id(s, telegram_id)
    if me is None:
        return False
    return bool((roles_of(me) | frozenset(await acting.acting_roles(s, me, now))) & REPORT_ROLES)


async def may_report(sessions: Sessions, *, telegram_id: int, now: datetime) -> bool:
    """Whether this person may see the SOP report (Kasubbag, Kepala, admin, or their Plh/Plt)."""
    async with sessions() as s:
        return await _may_report(s, telegram_id, now)


async def report_records(
    sessions: Sessions, *, telegram_id: int, start: datetime, end: datetime, now: datetime
) -> list[SubmissionRecord]:
    """/laporan: the records of ``[start, end)`` for someone allowed to see them.

    Raises ``report_forbidden``.
    """
    async with sessions() as s:
        if not await _may_report(s, telegram_id, now):
            raise ServiceError("report_forbidden")
        return await records(s, start, end)


async def records_between(sessions: Sessions, start: datetime, end: datetime) -> list[SubmissionRecord]:
    """The records of every submission created in ``[start, end)`` (the monthly report)."""
    async with sessions() as s:
        return await records(s, start, end)




async def last_publication(sessions: Sessions) -> datetime | None:
    """When this office last published anything (ever): the pemda roll-up's "terbit terakhir"."""
    async with sessions() as s:
        found: datetime | None = await s.scalar(
            select(func.max(AuditEvent.at)).where(AuditEvent.action == Action.PUBLISHED))
        return found
