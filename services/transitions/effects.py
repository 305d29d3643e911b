"""One table says what each workflow transition causes.

Every move of a submission goes through :func:`services.transitions.moves.move`, which calls
:func:`realise` inside the move's own transaction: the messages the transition
owes people (the postbox) and the outbox's jobs are recorded there, so they
exist exactly when the change does.  What remains for the bot layer is to wake
the workers named in :attr:`Transitioned.wake`.

The table holds typed values; each knows what it causes, so :func:`realise`
asks no question about which action it is realising.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.publication import Operation
from domain.workflow import WAITING_FOR, Action, Role, State, Transition
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.reviewing.reviewers import close_messages, reviewers_for
from services.staff.acting import route
from services.staff.people import people_with_role
from services.website import published
from services.website.publication_jobs import enqueue_publication
from services.website.published import approval_notice_key
from storage.models import AuditEvent, Person, ReviewMessage, Submission


class Effect(StrEnum):
    """The kinds of effect, as :attr:`Transitioned.reached` counts them."""

    #: Open review cards of the item show the outcome instead of their buttons.
    CLOSE_CARDS = "close_cards"
    #: A review card to everyone the item now waits for (a Plh/Plt too).
    SEND_CARDS = "send_cards"
    #: The writer hears the decision.
    TELL_WRITER = "tell_writer"
    #: The Kepala is asked to confirm a withdrawal.
    ASK_KEPALA = "ask_kepala"
    #: The writer and the admins hear how a withdrawal request was decided.
    TELL_AUDIENCE = "tell_audience"
    #: The outbox has new jobs: publish (or withdraw) now, or at the scheduled moment.
    PUBLISH = "publish"
    #: The SOP clock re-plans the item's reminders.
    CLOCK = "clock"
    #: A "forwarded to the Kepala" still waiting to be said is dropped: what happened next says more.
    DROP_PROGRESS = "drop_progress"
    #: Every target has the version: "🌐 Terbit" to the writer and the admins.
    TELL_PUBLISHED = "tell_published"
    #: The Kepala's decided card shows that the article is live, and where.
    SHOW_PUBLISHED = "show_published"
    #: The Kepala's decided card no longer promises a moment: the schedule was taken back.
    SHOW_UNSCHEDULED = "show_unscheduled"


class Worker(StrEnum):
    """The background workers a transition may need to wake."""

    POSTMAN = "postman"
    OUTBOX = "outbox"
    CLOCK = "clock"


class WriterKey(StrEnum):
    """How the writer's notice of a transition is keyed (and so what can supersede it)."""

    #: One notice per audit event.
    EVENT = "event"
    #: "Approved, being published": keyed by the revision, so "🌐 Terbit" can make it unnecessary.
    APPROVAL = "approval"
    #: "Forwarded to the Kepala": keyed under the item's progress prefix (see :data:`Effect.DROP_PROGRESS`).
    PROGRESS = "progress"


@dataclass(frozen=True)
class Circumstances:
    """What a move knows beyond the transition itself, for the effects that need it."""

    #: The publish targets, as ``(name, stage)``; the outbox's jobs are one per target.
    targets: Sequence[tuple[str, int]] = ()
    #: A scheduled approval: when the jobs become due.
    publish_at: datetime | None = None
    #: What withdrawal jobs carry for the archive's record (who asked, why, who decided).
    job_record: Mapping[str, Any] | None = None
    #: Extra facts for the notices (a correction's diff, an expiry's moment).
    detail: Mapping[str, Any] | None = None


@dataclass
class Realising:
    """One transition being realised: what the effects read, and what they owe."""

    s: AsyncSession
    sub: Submission
    t: Transition
    event: AuditEvent
    actor: Person | None
    facts: dict[str, Any]
    now: datetime
    given: Circumstances
    owed: list[Owed] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"ev{self.event.id}"

    def owe(self, key: str, chat_id: int, notice: Notice, params: Mapping[str, Any] | None = None) -> None:
        self.owed.append(Owed(key, chat_id, notice, dict(params or self.facts), f"{self.base} {self.t.action}"))

    @property
    def grace_applies(self) -> bool:
        """A scheduled approval is said at once, with its moment: no grace waits for a later outcome."""
        return self.given.publish_at is None

    async def owe_after(self, grace: timedelta | None, key: str, chat_id: int, notice: Notice,
                        params: Mapping[str, Any] | None = None) -> None:
        """Owe it now, or after ``grace`` (when something said meanwhile may make it unnecessary)."""
        if grace is None or not self.grace_applies:
            self.owe(key, chat_id, notice, params)
            return
        await postbox.owe_at(self.s, Owed(key, chat_id, notice, dict(params or self.facts),
                                          f"{self.base} {self.t.action}"), self.now + grace, self.now)


@dataclass(frozen=True)
class CloseCards:
    """The open cards show the outcome instead of their buttons; with a ``grace``, the edit waits
    that long, so a publication that completes meanwhile is told in the same one edit
    (:class:`ShowPublished` supersedes it).  A scheduled approval is shown at once."""

    grace: timedelta | None = None
    kind = Effect.CLOSE_CARDS
    wakes = None

    async def cause(self, r: Realising) -> int:
        cards = await close_messages(r.s, r.sub.id)
        for c in cards:
            await r.owe_after(self.grace, f"{close_key_prefix(r.event.id)}{c.id}", c.chat_id, Notice.CARD_OUTCOME,
                              {**r.facts, "message_id": c.message_id})
        return len(cards)


@dataclass(frozen=True)
class SendCards:
    kind = Effect.SEND_CARDS
    wakes = None

    async def cause(self, r: Realising) -> int:
        return await owe_review_cards(r.s, r.sub, r.now, r.base)


@dataclass(frozen=True)
class TellWriter:
    """The writer hears the decision; with a ``grace``, only if nothing later made it unnecessary."""

    grace: timedelta | None = None
    key: WriterKey = WriterKey.EVENT
    kind = Effect.TELL_WRITER
    wakes = None

    async def cause(self, r: Realising) -> int:
        # A scheduled approval is said at once, with its moment ("Terbit" follows then).
        waits = self.grace is not None and r.grace_applies
        key = (f"{r.base}:writer" if not waits or self.key is WriterKey.EVENT
               else approval_notice_key(r.sub.current_revision_id or 0) if self.key is WriterKey.APPROVAL
               else f"{forwarded_notice_prefix(r.sub.id)}{r.event.id}")
        await r.owe_after(self.grace, key, r.sub.author.telegram_id, Notice.DECISION)
        return 1


@dataclass(frozen=True)
class AskKepala:
    kind = Effect.ASK_KEPALA
    wakes = None

    async def cause(self, r: Realising) -> int:
        kepalas = await route(r.s, Role.KEPALA, await people_with_role(r.s, Role.KEPALA), r.now)
        me = r.actor.id if r.actor else None
        for p in kepalas:
            if p.id != me:
                r.owe(f"{r.base}:ask:{p.id}", p.telegram_id, Notice.WITHDRAW_REQUEST)
        return len(kepalas)


@dataclass(frozen=True)
class TellAudience:
    """The writer and the admins."""

    kind = Effect.TELL_AUDIENCE
    wakes = None

    async def cause(self, r: Realising) -> int:
        chats = [r.sub.author.telegram_id, *(p.telegram_id for p in await people_with_role(r.s, Role.ADMIN))]
        for c in dict.fromkeys(chats):
            r.owe(f"{r.base}:told:{c}", c, Notice.DECISION)
        return len(set(chats))


@dataclass(frozen=True)
class Enqueue:
    """One outbox job per target: the current revision published (at the scheduled moment,
    if any), or the live one taken down, carrying the withdrawal's record for the archive."""

    operation: Operation
    kind = Effect.PUBLISH
    wakes = Worker.OUTBOX

    async def cause(self, r: Realising) -> int:
        publishing = self.operation is Operation.PUBLISH
        revision = r.sub.current_revision_id if publishing else r.sub.published_revision_id
        jobs = await enqueue_publication(r.s, r.sub, revision or 0, r.given.targets, r.now, operation=self.operation)
        for job in jobs:
            if publishing and r.given.publish_at is not None:  # the outbox holds them until then
                job.next_attempt_at = r.given.publish_at
            if not publishing and r.given.job_record:
                job.remote = dict(r.given.job_record)
        return len(jobs)


@dataclass(frozen=True)
class Replan:
    kind = Effect.CLOCK
    wakes = Worker.CLOCK

    async def cause(self, r: Realising) -> int:
        return 1  # the clock reads the item's state when woken


@dataclass(frozen=True)
class DropProgress:
    kind = Effect.DROP_PROGRESS
    wakes = None

    async def cause(self, r: Realising) -> int:
        return await postbox.supersede_prefix(r.s, forwarded_notice_prefix(r.sub.id))


@dataclass(frozen=True)
class TellPublished:
    """Once every target has this version (the archive included): "🌐 Terbit", said once."""

    kind = Effect.TELL_PUBLISHED
    wakes = None

    async def cause(self, r: Realising) -> int:
        revision = r.event.revision_id or 0
        owed = await published.owe_done(r.s, r.sub, revision, Operation.PUBLISH, r.facts["title"],
                                        await published.siblings(r.s, revision, Operation.PUBLISH), r.now)
        r.owed += owed
        return len(owed)


async def decided_kepala_cards(s: AsyncSession, submission_id: int, revision_id: int) -> list[ReviewMessage]:
    """The Kepala's closed (decided) cards of one revision: what a later turn of its approval re-edits
    (live, a schedule moved or taken back)."""
    return list((await s.scalars(select(ReviewMessage).where(
        ReviewMessage.submission_id == submission_id, ReviewMessage.revision_id == revision_id,
        ReviewMessage.state == State.WAIT_KEPALA, ReviewMessage.closed.is_(True)))).all())


@dataclass(frozen=True)
class ShowPublished:
    """The Kepala's card, decided "being published", says it is live and where."""

    kind = Effect.SHOW_PUBLISHED
    wakes = None

    async def cause(self, r: Realising) -> int:
        revision = r.event.revision_id or 0
        cards = await decided_kepala_cards(r.s, r.sub.id, revision)
        if not cards:
            return 0
        approval = await r.s.scalar(select(AuditEvent).where(
            AuditEvent.submission_id == r.sub.id, AuditEvent.action == Action.APPROVE,
            AuditEvent.revision_id == revision).order_by(AuditEvent.id.desc()).limit(1))
        if approval is not None:  # a close edit still waiting: this one edit says both
            await postbox.supersede_prefix(r.s, close_key_prefix(approval.id))
        jobs = await published.siblings(r.s, revision, Operation.PUBLISH)
        facts = {**r.facts, "approved_by": approval.actor.full_name if approval and approval.actor else "",
                 "targets": [published.where(j) for j in jobs if j.stage == 0]}
        for c in cards:
            r.owe(f"{r.base}:live:{c.id}", c.chat_id, Notice.CARD_OUTCOME, {**facts, "message_id": c.message_id})
        return len(cards)


@dataclass(frozen=True)
class ShowUnscheduled:
    """The Kepala's card, decided "approved, goes live at ...", says the schedule was taken back
    (the new card with the buttons is :class:`SendCards`'s)."""

    kind = Effect.SHOW_UNSCHEDULED
    wakes = None

    async def cause(self, r: Realising) -> int:
        cards = await decided_kepala_cards(r.s, r.sub.id, r.sub.current_revision_id or 0)
        for c in cards:
            r.owe(f"{r.base}:unscheduled:{c.id}", c.chat_id, Notice.CARD_OUTCOME,
                  {**r.facts, "message_id": c.message_id})
        return len(cards)


Cause = (CloseCards | SendCards | TellWriter | AskKepala | TellAudience | Enqueue | Replan | DropProgress
         | TellPublished | ShowPublished | ShowUnscheduled)

#: How long the writer's "approved, being published" waits for "Terbit" to make it unnecessary.
APPROVAL_GRACE = timedelta(seconds=30)
#: How long the approved cards wait before saying "being published": an article live by then is
#: told in the same one edit (the press itself is answered at once with a popup).
CARD_GRACE = timedelta(seconds=4)
#: How long the writer's "forwarded to the Kepala" waits: when the Kepala decides
#: within it, the writer hears only that decision (one message, not two).
PROGRESS_GRACE = timedelta(minutes=2)

CLOSE, CARDS, WRITER, CLOCK, DROP = CloseCards(), SendCards(), TellWriter(), Replan(), DropProgress()
#: (action, state it leads to) -> what it causes, in order.  This table is the whole list.
EFFECTS: dict[tuple[Action, State], tuple[Cause, ...]] = {
    (Action.SUBMIT, State.WAIT_KASUBBAG): (CARDS, CLOCK),
    (Action.FORWARD, State.WAIT_KEPALA): (CLOSE, TellWriter(PROGRESS_GRACE, WriterKey.PROGRESS), CARDS, CLOCK),
    (Action.RETURN, State.RETURNED): (DROP, CLOSE, WRITER, CLOCK),
    (Action.CORRECT, State.WAIT_KEPALA): (DROP, CLOSE, WRITER, CARDS, CLOCK),
    (Action.APPROVE, State.APPROVED): (DROP, CloseCards(CARD_GRACE), TellWriter(APPROVAL_GRACE, WriterKey.APPROVAL),
                                       Enqueue(Operation.PUBLISH), CLOCK),
    (Action.CANCEL, State.CANCELLED): (CLOCK,),
    (Action.ABANDON, State.ABANDONED): (CLOCK,),
    (Action.REVISE_PUBLISHED, State.DRAFT): (CLOCK,),
    (Action.DISCARD_UPDATE, State.PUBLISHED): (CLOCK,),
    (Action.REQUEST_WITHDRAW, State.WITHDRAW_PENDING): (AskKepala(),),
    (Action.WITHDRAW, State.WITHDRAWN): (TellAudience(), Enqueue(Operation.WITHDRAW)),
    (Action.KEEP_PUBLISHED, State.PUBLISHED): (TellAudience(),),
    # A schedule taken back: the decided card says so, and the Kepala gets a card again.
    (Action.UNSCHEDULE, State.WAIT_KEPALA): (ShowUnscheduled(), WRITER, CARDS, CLOCK),
    # Expired: the writer and the admins are told, every target takes it down.
    (Action.EXPIRE, State.WITHDRAWN): (TellAudience(), Enqueue(Operation.WITHDRAW)),
    # Live on every stage-0 target: the Kepala's card says so; "Terbit" once the archive has it too
    # (at once where no archive is configured).  The outbox's sweep tells failures and withdrawals.
    (Action.PUBLISHED, State.PUBLISHED): (ShowPublished(), TellPublished()),
    (Action.ARCHIVED, State.PUBLISHED): (TellPublished(),),
}


def close_key_prefix(event_id: int) -> str:
    """The delivery keys of the card edits a decision (its audit event) owes."""
    return f"ev{event_id}:close:"


def forwarded_notice_prefix(submission_id: int) -> str:
    return f"forwarded:{submission_id}:"


def effects_of(action: Action, to_state: State) -> tuple[Cause, ...]:
    return EFFECTS[(action, to_state)]


def kinds_of(action: Action, to_state: State) -> frozenset[Effect]:
    """The kinds of what a transition causes (for tests and documentation)."""
    return frozenset(e.kind for e in effects_of(action, to_state))


@dataclass(frozen=True)
class Transitioned:
    """What a use case that moved a submission tells its caller."""

    submission_id: int
    revision_id: int
    title: str
    action: Action
    from_state: State
    to_state: State
    #: The person who acted (empty for the system) and in which role.
    actor_name: str
    role: Role
    note: str | None
    #: People a message was recorded for (cards, notices), by effect.
    reached: dict[Effect, int]
    wake: frozenset[Worker]


#: Effects whose count says nothing about people reached.
_UNCOUNTED = frozenset({Effect.PUBLISH, Effect.CLOCK, Effect.DROP_PROGRESS})


async def realise(
    s: AsyncSession, sub: Submission, t: Transition, event: AuditEvent, *, actor: Person | None, title: str,
    now: datetime, given: Circumstances | None = None,
) -> Transitioned:
    """Record everything the transition causes, in the caller's transaction."""
    given = given or Circumstances()
    name = actor.full_name if actor else ""
    facts = {"submission_id": sub.id, "title": title, "action": t.action.value, "name": name,
             "role": t.role.value, "from_state": t.from_state.value, "note": t.note, **(given.detail or {})}
    if given.publish_at is not None:
        facts["publish_at"] = given.publish_at.isoformat()
    r = Realising(s, sub, t, event, actor, facts, now, given)
    reached: dict[Effect, int] = {}
    wake = {Worker.POSTMAN}
    for effect in effects_of(t.action, t.to_state):
        n = await effect.cause(r)
        if effect.kind not in _UNCOUNTED:
            reached[effect.kind] = n
        if effect.wakes is not None:
            wake.add(effect.wakes)
    await postbox.owe(s, r.owed, now)
    return Transitioned(sub.id, sub.current_revision_id or 0, title, t.action, t.from_state, t.to_state, name,
                        t.role, t.note, reached, frozenset(wake))


async def owe_review_cards(s: AsyncSession, sub: Submission, now: datetime, key: str,
                           only: Iterable[int] | None = None, reminder_level: int = 0) -> int:
    """Owe a review card (or, with ``reminder_level``, a reminder with the buttons
    again) to each person the submission waits for; returns how many.  When
    nobody holds the role, the writer and the admins are told instead."""
    role = WAITING_FOR.get(State(sub.state))
    if role is None:
        return 0
    reviewers = await reviewers_for(s, sub, now)
    if only is not None:
        wanted = set(only)
        reviewers = [p for p in reviewers if p.id in wanted]
    notice = Notice.REVIEW_REMINDER if reminder_level else Notice.REVIEW_CARD
    params = {"submission_id": sub.id, "revision_id": sub.current_revision_id, "state": sub.state.value,
              "level": reminder_level}
    owed = [Owed(f"{key}:card:{p.id}", p.telegram_id, notice, {**params, "person_id": p.id}, key)
            for p in reviewers]
    if not owed and only is None and not reminder_level:
        owed = await nobody_to_review(s, sub, role, key)
    await postbox.owe(s, owed, now)
    return len(reviewers)


async def nobody_to_review(s: AsyncSession, sub: Submission, role: Role, key: str) -> list[Owed]:
    """An item must never wait silently for a role nobody holds (or nobody can
    be reached in): the writer hears it, the admins are asked to fix it."""
    title = (sub.current_revision.title if sub.current_revision else "") or ""
    params = {"submission_id": sub.id, "role": role.value, "title": title}
    owed = [Owed(f"{key}:nobody:writer", sub.author.telegram_id, Notice.NO_REVIEWER, {**params, "to": "writer"}, key)]
    owed += [Owed(f"{key}:nobody:{p.id}", p.telegram_id, Notice.NO_REVIEWER, {**params, "to": "admin"}, key)
             for p in await people_with_role(s, Role.ADMIN)]
    return owed
