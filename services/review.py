"""The reviewers' side: SOP steps 4 (Kasubbag) and 5 (Kepala).

The use cases (:func:`decide`, :func:`correct`, :func:`check_may`) own their
transaction and return small frozen outcomes; ``decide_on`` is the step
inside a transaction that they (and the storage tests) build on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from domain.diffing import RevisionDiff, RevisionView, diff_revisions
from domain.workflow import Action, State, Transition, WorkflowError, allowed_actions, decide
from services import acting, drafts
from services.audit import last_seen_revision, record
from services.effects import Transitioned, realise
from services.errors import ServiceError
from services.outbox import enqueue_publication
from services.people import by_telegram_id
from services.uow import Sessions, must_get
from storage.models import Attachment, AuditEvent, Person, Revision, Submission


@dataclass(frozen=True)
class Decision:
    submission_id: int
    action: Action
    from_state: State
    to_state: State
    note: str | None


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


async def _record_decision(
    s: AsyncSession, *, submission_id: int, revision_id: int, person: Person, action: Action, note: str | None,
    now: datetime, targets: list[tuple[str, int]] | tuple[tuple[str, int], ...] = (),
) -> tuple[Submission, Transition, AuditEvent]:
    sub = await _locked(s, submission_id, revision_id)
    actor, acting_for = await acting.actor_at(s, person, now)  # Plh/Plt roles at this moment
    t = decide(sub.state, action, actor, author_id=sub.author_id, note=note)
    try:
        event = await record(s, sub, t, revision_id, now)
        event.acting_for_id = acting_for.get(t.role)  # "as Plh of <name>" in the audit trail
        if t.to_state == State.APPROVED:
            await enqueue_publication(s, sub, revision_id, targets, now)
    except StaleDataError as exc:
        # Another reviewer (maybe in another bot process) decided in between.
        # SQLite has no FOR UPDATE, so the versioned UPDATE is what notices.
        raise WorkflowError("not_allowed", "decided concurrently") from exc
    return sub, t, event


async def decide_on(
    s: AsyncSession, *, submission_id: int, revision_id: int, person: Person, action: Action, note: str | None,
    now: datetime, targets: list[tuple[str, int]] | tuple[tuple[str, int], ...] = (),
) -> Decision:
    """Record one reviewer decision inside the caller's transaction."""
    sub, t, _event = await _record_decision(s, submission_id=submission_id, revision_id=revision_id, person=person,
                                            action=action, note=note, now=now, targets=targets)
    return Decision(sub.id, action, t.from_state, t.to_state, t.note)


async def _reviewer(s: AsyncSession, telegram_id: int) -> Person:
    person = await by_telegram_id(s, telegram_id)
    if person is None:
        raise WorkflowError("forbidden", "not registered")
    return person


async def decide_as(
    sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int, action: Action,
    note: str | None, now: datetime, targets: list[tuple[str, int]],
) -> Transitioned:
    """Teruskan / Kembalikan / Setujui: one press, one recorded decision, with what it causes."""
    async with sessions.begin() as s:
        person = await _reviewer(s, telegram_id)
        sub, t, event = await _record_decision(s, submission_id=submission_id, revision_id=revision_id,
                                               person=person, action=action, note=note, now=now, targets=targets)
        rev = await s.get(Revision, revision_id)
        return await realise(s, sub, t, event, actor=person, title=(rev.title if rev else "") or "", now=now)


async def check_may(sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int, action: Action,
                    now: datetime) -> None:
    """Before asking for a note or a correction: would this press be allowed now?
    Raises :class:`WorkflowError` (``not_allowed`` for a stale or decided item)."""
    async with sessions() as s:
        person = await _reviewer(s, telegram_id)
        sub = await s.get(Submission, submission_id)
        if sub is None or sub.current_revision_id != revision_id:
            raise WorkflowError("not_allowed", "stale revision")
        actor, _ = await acting.actor_at(s, person, now)  # a Plh/Plt may decide too
        live = sub.published_revision_id is not None
        if action not in allowed_actions(sub.state, actor, author_id=sub.author_id, live=live):
            # Ask the table why, so the popup can say it.
            decide(sub.state, action, actor, author_id=sub.author_id, note="-", live=live)
            raise WorkflowError("not_allowed")


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


async def correct(
    s: AsyncSession, *, submission_id: int, revision_id: int, person: Person, field: str, text: str, now: datetime
) -> Revision:
    """The Kepala's "memeriksa/mengkoreksi": a new revision authored by the Kepala."""
    rev, _sub, _t, _event = await _record_correction(s, submission_id=submission_id, revision_id=revision_id,
                                                      person=person, field=field, text=text, now=now)
    return rev


async def _record_correction(
    s: AsyncSession, *, submission_id: int, revision_id: int, person: Person, field: str, text: str, now: datetime
) -> tuple[Revision, Submission, Transition, AuditEvent]:
    sub = await _locked(s, submission_id, revision_id)
    actor, acting_for = await acting.actor_at(s, person, now)
    t = decide(sub.state, Action.CORRECT, actor, author_id=sub.author_id)
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
    try:
        s.add(rev)
        await s.flush()
        sub.current_revision_id = rev.id
        event = await record(s, sub, t, rev.id, now)
        event.acting_for_id = acting_for.get(t.role)
    except StaleDataError as exc:
        raise WorkflowError("not_allowed", "corrected concurrently") from exc
    except IntegrityError as exc:
        if "uq_revision_number" not in str(exc.orig) and "revisions.submission_id" not in str(exc.orig):
            raise
        # A concurrent correction took this revision number first.
        raise WorkflowError("not_allowed", "corrected concurrently") from exc
    return rev, sub, t, event


async def correct_as(
    sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int, field: str, text: str,
    now: datetime,
) -> Transitioned:
    """The Kepala's correction as a use case: a new revision, and what it causes."""
    async with sessions.begin() as s:
        person = await _reviewer(s, telegram_id)
        rev, sub, t, event = await _record_correction(s, submission_id=submission_id, revision_id=revision_id,
                                                      person=person, field=field, text=text, now=now)
        old = await must_get(s, Revision, revision_id)
        diff = diff_revisions(RevisionView(old.title or "", old.body or "", {}),
                              RevisionView(rev.title or "", rev.body or "", {}))
        # The writer is told what changed, not only that something did.
        return await realise(s, sub, t, event, actor=person, title=rev.title or "", now=now,
                             detail={"field": field, "diff": diff_params(diff)})


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


