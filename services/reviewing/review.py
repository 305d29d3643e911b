"""The reviewers' side: SOP steps 4 (Kasubbag) and 5 (Kepala).

The use cases (:func:`decide_as`, :func:`correct_as`, :func:`unschedule`) own their
transaction and return small frozen outcomes; each moves the item through
:func:`services.transitions.moves.move`, so the workflow's rules hold on every one of them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.diffing import RevisionDiff, RevisionView, diff_revisions
from domain.messaging import Notice
from domain.publication import JobState, Operation
from domain.workflow import Action, Role, State, WorkflowError
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.reviewing import claims, comments
from services.staff import acting
from services.staff.people import by_telegram_id
from services.transitions.audit import last_seen_revision
from services.transitions.effects import Circumstances, Transitioned, decided_kepala_cards
from services.transitions.moves import judged, move
from services.uow import Sessions, must_get
from services.writing import drafts
from storage.models import Attachment, Person, PublicationJob, Revision, Submission
from texts.id import review as R


class Field:
    """What the Kepala may correct."""

    TITLE = "title"
    BODY = "body"
    ALL = (TITLE, BODY)


async def _locked(s: AsyncSession, submission_id: int, revision_id: int) -> Submission:
    # Lock only the submission row: PostgreSQL refuses FOR UPDATE on the
    # nullable side of the outer joins that load its author and section.
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    if sub.current_revision_id != revision_id:
        # A button from an earlier round (or from before a correction) is
        # stale even when the state happens to match again.
        raise WorkflowError("not_allowed", "stale revision")
    return sub


async def decision(
    s: AsyncSession, *, person: Person, submission_id: int, revision_id: int, action: Action, note: str | None,
    now: datetime, targets: Sequence[tuple[str, int]], publish_at: datetime | None = None,
) -> Transitioned:
    """One reviewer decision, with what it causes, inside the caller's transaction
    (:func:`decide_as` is the use case; the concurrency tests hold this one open)."""
    if publish_at is not None and (action != Action.APPROVE or publish_at <= now):
        raise ServiceError("schedule_past")
    sub = await _locked(s, submission_id, revision_id)
    await claims.refuse_if_claimed(s, sub, person, now)  # someone else is on it ("🙋 Saya periksa")
    rev = await s.get(Revision, revision_id)
    return await move(s, sub, action, by=person, now=now, note=note, revision_id=revision_id,
                      title=(rev.title if rev else "") or "",
                      given=Circumstances(targets=tuple(targets), publish_at=publish_at))


async def _reviewer(s: AsyncSession, telegram_id: int) -> Person:
    person = await by_telegram_id(s, telegram_id)
    if person is None:
        raise WorkflowError("forbidden", "not registered")
    return person


async def decide_as(
    sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int, action: Action,
    note: str | None, now: datetime, targets: Sequence[tuple[str, int]], publish_at: datetime | None = None,
) -> Transitioned:
    """Teruskan / Kembalikan / Setujui (now, or scheduled for ``publish_at``): one press,
    one recorded decision, with what it causes."""
    async with sessions.begin() as s:
        return await decision(s, person=await _reviewer(s, telegram_id), submission_id=submission_id,
                              revision_id=revision_id, action=action, note=note, now=now, targets=targets,
                              publish_at=publish_at)


#: How many open comments a return note built from them quotes (the rest are counted).
NOTE_COMMENTS = 10


def comments_note(open_: Sequence[comments.CommentView]) -> str:
    """The return note built from the open comments: who said what about which words."""
    lines = [R.RETURN_NOTE_HEAD.format(n=len(open_))]
    for c in open_[:NOTE_COMMENTS]:
        text = " ".join(c.text.split())[:300]
        lines.append(R.RETURN_NOTE_LINE.format(quote=" ".join(c.anchor.quote.split())[:120], text=text,
                                               author=c.author) if c.anchor.quote
                     else R.RETURN_NOTE_LINE_PLAIN.format(text=text, author=c.author))
    if len(open_) > NOTE_COMMENTS:
        lines.append(R.RETURN_NOTE_MORE.format(n=len(open_) - NOTE_COMMENTS))
    return "\n".join(lines)


@dataclass(frozen=True)
class ReturnedWithComments:
    outcome: Transitioned
    comments: int


async def return_with_comments(sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int,
                               now: datetime, targets: Sequence[tuple[str, int]]) -> ReturnedWithComments:
    """Kembalikan dengan N komentar terbuka: the return, its note built from the open comments
    (quoted words, texts, who), in one transaction.  ServiceError ``no_open_comments``."""
    async with sessions.begin() as s:
        open_ = await comments.open_threads(s, submission_id)
        if not open_:
            raise ServiceError("no_open_comments", id=submission_id)
        outcome = await decision(s, person=await _reviewer(s, telegram_id), submission_id=submission_id,
                                 revision_id=revision_id, action=Action.RETURN, note=comments_note(open_), now=now,
                                 targets=targets)
        return ReturnedWithComments(outcome, len(open_))


@dataclass(frozen=True)
class Scheduled:
    """An approved item waiting for its moment to go live."""

    submission_id: int
    revision_id: int
    title: str
    publish_at: datetime


def _unstarted(sub_id: int, revision_id: int) -> ColumnElement[bool]:
    return ((PublicationJob.submission_id == sub_id) & (PublicationJob.revision_id == revision_id)
            & (PublicationJob.operation == Operation.PUBLISH))


async def scheduled(sessions: Sessions, now: datetime) -> list[Scheduled]:
    """Approved items whose publication has not started and is due later, soonest first."""
    async with sessions() as s:
        rows = (await s.execute(
            select(Submission.id, Submission.current_revision_id, Revision.title,
                   func.min(PublicationJob.next_attempt_at))
            .join(PublicationJob, PublicationJob.revision_id == Submission.current_revision_id)
            .join(Revision, Revision.id == Submission.current_revision_id)
            .where(Submission.state == State.APPROVED, PublicationJob.operation == Operation.PUBLISH,
                   PublicationJob.state == JobState.QUEUED, PublicationJob.attempts == 0)
            .group_by(Submission.id, Submission.current_revision_id, Revision.title)
        )).all()
    out = [Scheduled(sid, rid or 0, title or "", aware(at)) for sid, rid, title, at in rows]
    return sorted((x for x in out if x.publish_at > now), key=lambda x: x.publish_at)


def aware(dt: datetime) -> datetime:
    """SQLite hands datetimes back naive; they are stored in UTC."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


async def _schedule_manager(s: AsyncSession, telegram_id: int, submission_id: int, now: datetime
                            ) -> tuple[Person, Submission, list[PublicationJob]]:
    """The Kepala (or Plh) or an admin, an item still scheduled, and its jobs not yet started."""
    person = await _reviewer(s, telegram_id)
    actor, _ = await acting.actor_at(s, person, now)
    if not actor.roles & {Role.KEPALA, Role.ADMIN}:
        raise WorkflowError("forbidden")
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    jobs = list((await s.scalars(select(PublicationJob).where(
        _unstarted(sub.id, sub.current_revision_id or 0)))).all())
    if sub.state != State.APPROVED or not jobs or any(
            j.state != JobState.QUEUED or j.attempts or aware(j.next_attempt_at) <= now for j in jobs):
        raise ServiceError("schedule_gone", id=submission_id)
    return person, sub, jobs


async def reschedule(sessions: Sessions, *, telegram_id: int, submission_id: int, publish_at: datetime,
                     now: datetime) -> Scheduled:
    """Ubah jadwal: the same approval, another moment (only before publishing started)."""
    if publish_at <= now:
        raise ServiceError("schedule_past")
    async with sessions.begin() as s:
        person, sub, jobs = await _schedule_manager(s, telegram_id, submission_id, now)
        for job in jobs:
            job.next_attempt_at, job.updated_at = publish_at, now
        sub.updated_at = now
        rev = await must_get(s, Revision, sub.current_revision_id)
        # The writer hears the new moment (keyed by it: pressing twice tells once).
        facts = {"submission_id": sub.id, "title": rev.title or "", "action": Action.APPROVE.value,
                 "name": person.full_name, "publish_at": publish_at.isoformat(), "moved": True}
        key = f"moved:{sub.id}:{int(publish_at.timestamp())}"
        owed = [Owed(key, sub.author.telegram_id, Notice.DECISION, facts, key)]
        # The Kepala's decided card says the new moment (keyed by when it moved: back and forth says each).
        cards = await decided_kepala_cards(s, sub.id, rev.id)
        owed += [Owed(f"{key}:{int(now.timestamp() * 1000)}:card:{c.id}", c.chat_id, Notice.CARD_OUTCOME,
                      {**facts, "message_id": c.message_id}, key) for c in cards]
        await postbox.owe(s, owed, now)
        return Scheduled(sub.id, rev.id, rev.title or "", publish_at)


async def unschedule(sessions: Sessions, *, telegram_id: int, submission_id: int, now: datetime) -> Transitioned:
    """Batalkan jadwal: the approval is taken back before it went live; the jobs are dropped
    and the item waits for the Kepala again (a new card, a new decision)."""
    async with sessions.begin() as s:
        person, sub, jobs = await _schedule_manager(s, telegram_id, submission_id, now)
        rev = await must_get(s, Revision, sub.current_revision_id)
        outcome = await move(s, sub, Action.UNSCHEDULE, by=person, now=now, title=rev.title or "")
        for job in jobs:
            await s.delete(job)
        return outcome


async def check_may(sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int, action: Action,
                    now: datetime) -> None:
    """Before asking for a note or a correction: would this press be allowed now?
    Raises :class:`WorkflowError` (``not_allowed`` for a stale or decided item)."""
    async with sessions() as s:
        person = await _reviewer(s, telegram_id)
        sub = await s.get(Submission, submission_id)
        if sub is None or sub.current_revision_id != revision_id:
            raise WorkflowError("not_allowed", "stale revision")
        await claims.refuse_if_claimed(s, sub, person, now)
        # The same verdict as the move itself (a Plh/Plt, the public-information class), recording nothing.
        await judged(s, sub, action, by=person, now=now, note="-")


async def state_of(sessions: Sessions, submission_id: int) -> State | None:
    async with sessions() as s:
        sub = await s.get(Submission, submission_id)
        return sub.state if sub else None


@dataclass(frozen=True)
class Texts:
    """The title and body of the revision the Kepala is correcting."""

    title: str
    body: str


async def texts_of(sessions: Sessions, revision_id: int) -> Texts:
    async with sessions() as s:
        rev = await s.get(Revision, revision_id)
        return Texts((rev.title or "") if rev else "", (rev.body or "") if rev else "")


#: How many changed paragraphs the writer's notice of a correction carries (the rest are counted).
DIFF_LINES_TOLD = 9


def diff_params(diff: RevisionDiff) -> dict[str, object]:
    """A correction's changes as the writer's notice carries them (small, JSON)."""
    return {"old_title": diff.old_title, "new_title": diff.new_title, "total": len(diff.body_lines),
            "lines": [[tag, text[:300]] for tag, text in diff.body_lines[:DIFF_LINES_TOLD]]}


async def correction(
    s: AsyncSession, *, person: Person, submission_id: int, revision_id: int, field: str, text: str, now: datetime
) -> Transitioned:
    """The Kepala's "memeriksa/mengkoreksi" inside the caller's transaction: a new revision
    authored by the Kepala, and what it causes (the writer is told what changed)."""
    sub = await _locked(s, submission_id, revision_id)
    await claims.refuse_if_claimed(s, sub, person, now)
    old = await s.get(Revision, revision_id)
    if old is None:
        raise ServiceError("submission_unknown", id=submission_id)
    text = text.strip()
    if field == Field.TITLE:
        text = " ".join(text.split())
    if not text:
        raise ServiceError("correction_empty")
    rev = Revision(
        submission_id=sub.id,
        number=old.number + 1,
        kind=old.kind,
        title=text if field == Field.TITLE else old.title,
        body=text if field == Field.BODY else old.body,
        guide=dict(old.guide or {}),
        attachment_ids=list(old.attachment_ids or []),
        created_by=person.id,
        created_at=now,
        frozen_at=now,
        reason="correction",
    )
    diff = diff_revisions(RevisionView(old.title or "", old.body or "", {}),
                          RevisionView(rev.title or "", rev.body or "", {}))
    try:
        s.add(rev)
        await s.flush()
        sub.current_revision_id = rev.id
        return await move(s, sub, Action.CORRECT, by=person, now=now, revision_id=rev.id, title=rev.title or "",
                          given=Circumstances(detail={"field": field, "diff": diff_params(diff)}))
    except IntegrityError as exc:
        if "uq_revision_number" not in str(exc.orig) and "revisions.submission_id" not in str(exc.orig):
            raise
        # A concurrent correction took this revision number first.
        raise WorkflowError("not_allowed", "corrected concurrently") from exc


async def correct_as(
    sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int, field: str, text: str,
    now: datetime,
) -> Transitioned:
    """The Kepala's correction as a use case: a new revision, and what it causes."""
    async with sessions.begin() as s:
        return await correction(s, person=await _reviewer(s, telegram_id), submission_id=submission_id,
                                revision_id=revision_id, field=field, text=text, now=now)


async def _view(s: AsyncSession, rev: Revision) -> RevisionView:
    atts = await drafts.attachments_of(s, rev)
    return RevisionView(rev.title or "", rev.body or "", {a.id: _att_name(a) for a in atts})


def _att_name(a: Attachment) -> str:
    return a.original_name or f"{a.label or a.kind} #{a.id}"


async def changes_since_last_review(s: AsyncSession, sub: Submission) -> RevisionDiff | None:
    """What changed since the reviewers at the current level last decided."""
    seen = await last_seen_revision(s, sub.id, State(sub.state))
    if sub.published_revision_id is not None:
        # An update of a live article: compare with the live version, unless
        # this reviewer has already seen a later round of the update.
        seen = max(seen or 0, sub.published_revision_id)
    if seen is None or seen == sub.current_revision_id:
        return None
    old, new = await must_get(s, Revision, seen), await must_get(s, Revision, sub.current_revision_id)
    return diff_revisions(await _view(s, old), await _view(s, new))


