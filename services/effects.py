"""One table says what each workflow transition causes.

A use case that moves a submission calls :func:`realise` inside its own
transaction: the messages the transition owes people are recorded there (the
postbox), so they exist exactly when the change does.  What remains for the
bot layer is to wake the workers named in :attr:`Transitioned.wake`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.workflow import WAITING_FOR, Action, Role, State, Transition
from services import postbox
from services.acting import route
from services.people import people_with_role
from services.postbox import Owed
from services.reviewers import close_messages, reviewers_for
from storage.models import AuditEvent, Person, Submission


class Effect(StrEnum):
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
    #: The outbox has new jobs: publish (or withdraw) now.
    PUBLISH = "publish"
    #: The SOP clock re-plans the item's reminders.
    CLOCK = "clock"


class Worker(StrEnum):
    """The background workers a transition may need to wake."""

    POSTMAN = "postman"
    OUTBOX = "outbox"
    CLOCK = "clock"


E = Effect
#: (action, state it leads to) -> what it causes.  This table is the whole list.
EFFECTS: dict[tuple[Action, State], tuple[Effect, ...]] = {
    (Action.SUBMIT, State.WAIT_KASUBBAG): (E.SEND_CARDS, E.CLOCK),
    (Action.FORWARD, State.WAIT_KEPALA): (E.CLOSE_CARDS, E.TELL_WRITER, E.SEND_CARDS, E.CLOCK),
    (Action.RETURN, State.RETURNED): (E.CLOSE_CARDS, E.TELL_WRITER, E.CLOCK),
    (Action.CORRECT, State.WAIT_KEPALA): (E.CLOSE_CARDS, E.TELL_WRITER, E.SEND_CARDS, E.CLOCK),
    (Action.APPROVE, State.APPROVED): (E.CLOSE_CARDS, E.TELL_WRITER, E.PUBLISH, E.CLOCK),
    (Action.CANCEL, State.CANCELLED): (E.CLOCK,),
    (Action.ABANDON, State.ABANDONED): (E.CLOCK,),
    (Action.REVISE_PUBLISHED, State.DRAFT): (E.CLOCK,),
    (Action.DISCARD_UPDATE, State.PUBLISHED): (E.CLOCK,),
    (Action.REQUEST_WITHDRAW, State.WITHDRAW_PENDING): (E.ASK_KEPALA,),
    (Action.WITHDRAW, State.WITHDRAWN): (E.TELL_AUDIENCE, E.PUBLISH),
    (Action.KEEP_PUBLISHED, State.PUBLISHED): (E.TELL_AUDIENCE,),
    # A schedule taken back: the Kepala gets the card again.
    (Action.UNSCHEDULE, State.WAIT_KEPALA): (E.TELL_WRITER, E.SEND_CARDS, E.CLOCK),
    # Expired: the writer and the admins are told, every target takes it down.
    (Action.EXPIRE, State.WITHDRAWN): (E.TELL_AUDIENCE, E.PUBLISH),
    # Published and archived are told by the outbox once every target settled.
    (Action.PUBLISHED, State.PUBLISHED): (),
    (Action.ARCHIVED, State.PUBLISHED): (),
}

_WAKES = {E.PUBLISH: Worker.OUTBOX, E.CLOCK: Worker.CLOCK}

#: How long the writer's "approved, being published" waits for "Terbit" to make it unnecessary.
APPROVAL_GRACE = timedelta(seconds=30)


def approval_notice_key(revision_id: int) -> str:
    return f"approved:{revision_id}:writer"


#: How long the writer's "forwarded to the Kepala" waits: when the Kepala decides
#: within it, the writer hears only that decision (one message, not two).
PROGRESS_GRACE = timedelta(minutes=2)


def forwarded_notice_prefix(submission_id: int) -> str:
    return f"forwarded:{submission_id}:"


def effects_of(action: Action, to_state: State) -> tuple[Effect, ...]:
    return EFFECTS[(action, to_state)]


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


async def realise(
    s: AsyncSession, sub: Submission, t: Transition, event: AuditEvent, *, actor: Person | None, title: str,
    now: datetime, detail: dict[str, object] | None = None,
) -> Transitioned:
    """Record every message the transition owes, in the caller's transaction."""
    effects = effects_of(t.action, t.to_state)
    base = f"ev{event.id}"
    name = actor.full_name if actor else ""
    facts = {"submission_id": sub.id, "title": title, "action": t.action.value, "name": name,
             "role": t.role.value, "from_state": t.from_state.value, "note": t.note, **(detail or {})}
    reached: dict[Effect, int] = {}
    owed: list[Owed] = []
    if t.from_state == State.WAIT_KEPALA:
        # Whatever happened next says more than a "forwarded to the Kepala" still waiting to be said.
        await postbox.supersede_prefix(s, forwarded_notice_prefix(sub.id))
    for effect in effects:
        if effect == E.CLOSE_CARDS:
            cards = await close_messages(s, sub.id)
            owed += [Owed(f"{base}:close:{c.id}", c.chat_id, Notice.CARD_OUTCOME,
                          {**facts, "message_id": c.message_id}, f"{base} {t.action}") for c in cards]
            reached[effect] = len(cards)
        elif effect == E.TELL_WRITER and t.action == Action.APPROVE and facts.get("publish_at"):
            # Scheduled: the writer hears at once when it will go live ("Terbit" follows then).
            owed.append(Owed(f"{base}:writer", sub.author.telegram_id, Notice.DECISION, facts, f"{base} {t.action}"))
            reached[effect] = 1
        elif effect == E.TELL_WRITER and t.action == Action.APPROVE:
            # "Approved, being published" is said only if publishing takes a while:
            # when the article is live within the grace, "Terbit" says both at once.
            await postbox.owe_at(s, Owed(approval_notice_key(sub.current_revision_id or 0), sub.author.telegram_id,
                                         Notice.DECISION, facts, f"{base} {t.action}"), now + APPROVAL_GRACE, now)
            reached[effect] = 1
        elif effect == E.TELL_WRITER and t.action == Action.FORWARD:
            # A progress note: said after the grace, unless the Kepala's decision came first.
            await postbox.owe_at(s, Owed(f"{forwarded_notice_prefix(sub.id)}{event.id}", sub.author.telegram_id,
                                         Notice.DECISION, facts, f"{base} {t.action}"), now + PROGRESS_GRACE, now)
            reached[effect] = 1
        elif effect == E.TELL_WRITER:
            owed.append(Owed(f"{base}:writer", sub.author.telegram_id, Notice.DECISION, facts, f"{base} {t.action}"))
            reached[effect] = 1
        elif effect == E.SEND_CARDS:
            reached[effect] = await owe_review_cards(s, sub, now, base)
        elif effect == E.ASK_KEPALA:
            kepalas = await route(s, Role.KEPALA, await people_with_role(s, Role.KEPALA), now)
            owed += [Owed(f"{base}:ask:{p.id}", p.telegram_id, Notice.WITHDRAW_REQUEST, facts, f"{base} {t.action}")
                     for p in kepalas if p.id != (actor.id if actor else None)]
            reached[effect] = len(kepalas)
        elif effect == E.TELL_AUDIENCE:
            chats = [sub.author.telegram_id, *(p.telegram_id for p in await people_with_role(s, Role.ADMIN))]
            owed += [Owed(f"{base}:told:{c}", c, Notice.DECISION, facts, f"{base} {t.action}")
                     for c in dict.fromkeys(chats)]
            reached[effect] = len(set(chats))
    await postbox.owe(s, owed, now)
    wake = {Worker.POSTMAN} | {_WAKES[e] for e in effects if e in _WAKES}
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
