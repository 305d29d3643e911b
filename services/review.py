"""The reviewers' side: SOP steps 4 (Kasubbag) and 5 (Kepala)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from domain.diffing import RevisionDiff, RevisionView, diff_revisions
from domain.workflow import WAITING_FOR, Action, Role, State, WorkflowError, decide
from services import acting, drafts
from services.audit import last_seen_revision, record
from services.errors import ServiceError
from services.outbox import enqueue_publication
from services.people import people_with_role, roles_of
from storage.models import Attachment, Person, ReviewMessage, Revision, Submission


@dataclass(frozen=True)
class Decision:
    submission_id: int
    action: Action
    from_state: State
    to_state: State
    note: str | None


async def decide_on(
    s: AsyncSession,
    *,
    submission_id: int,
    revision_id: int,
    person: Person,
    action: Action,
    note: str | None,
    now: datetime,
    targets: list[tuple[str, int]] = (),
) -> Decision:
    """Record one reviewer decision, authorised against the database.

    ``revision_id`` is the revision the button was drawn for: a button from an
    earlier round (or from before a Kepala's correction) is stale even when
    the state happens to match again.
    """
    # Lock only the submission row: PostgreSQL refuses FOR UPDATE on the
    # nullable side of the outer joins that load its author and section.
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    if sub.current_revision_id != revision_id:
        raise WorkflowError("not_allowed", "stale revision")
    actor, acting_for = await acting.actor_at(s, person, now)  # Plh/Plt roles at this moment
    t = decide(State(sub.state), action, actor, author_id=sub.author_id, note=note)
    try:
        event = await record(s, sub, t, revision_id, now)
        event.acting_for_id = acting_for.get(t.role)  # "as Plh of <name>" in the audit trail
        if t.to_state == State.APPROVED:
            await enqueue_publication(s, sub, revision_id, targets, now)
    except StaleDataError as exc:
        # Another reviewer (maybe in another bot process) decided in between.
        # SQLite has no FOR UPDATE, so the versioned UPDATE is what notices.
        raise WorkflowError("not_allowed", "decided concurrently") from exc
    return Decision(sub.id, action, t.from_state, t.to_state, t.note)


async def correct(
    s: AsyncSession, *, submission_id: int, revision_id: int, person: Person, field: str, text: str, now: datetime
) -> Revision:
    """The Kepala's "memeriksa/mengkoreksi": a new revision authored by the Kepala."""
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    if sub.current_revision_id != revision_id:
        raise WorkflowError("not_allowed", "stale revision")
    actor, acting_for = await acting.actor_at(s, person, now)
    t = decide(State(sub.state), Action.CORRECT, actor, author_id=sub.author_id)
    old = await s.get(Revision, revision_id)
    text = text.strip()
    if field == "title":
        text = " ".join(text.split())
    if not text:
        raise ServiceError("correction_empty")
    rev = Revision(
        submission_id=sub.id,
        number=old.number + 1,
        kind=old.kind,
        title=text if field == "title" else old.title,
        body=text if field == "body" else old.body,
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
    return rev


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
    old, new = await s.get(Revision, seen), await s.get(Revision, sub.current_revision_id)
    return diff_revisions(await _view(s, old), await _view(s, new))


async def remember_message(
    s: AsyncSession, sub: Submission, person: Person, chat_id: int, message_id: int, now: datetime
) -> None:
    s.add(ReviewMessage(submission_id=sub.id, revision_id=sub.current_revision_id, person_id=person.id,
                        chat_id=chat_id, message_id=message_id, state=sub.state, created_at=now))


async def close_messages(s: AsyncSession, submission_id: int) -> list[ReviewMessage]:
    """Open review messages for this submission, marked closed; the caller edits them."""
    rows = list((await s.scalars(select(ReviewMessage).where(
        ReviewMessage.submission_id == submission_id, ReviewMessage.closed.is_(False)))).all())
    for r in rows:
        r.closed = True
    return rows
