"""What a review card shows, read when the card is delivered (not when it
was owed), so a reviewer always sees the item as it stands now."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from domain import checks
from domain.diffing import RevisionDiff
from domain.messaging import DeliveryState, Notice
from domain.workflow import WAITING_FOR, Action, State
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.lexicons import needs_lexicons
from services.records import AttachmentRecord, RevisionRecord, SubmissionRecord, attachment_records
from services.reviewing import comments
from services.reviewing.comments import CommentView
from services.reviewing.review import changes_since_last_review
from services.reviewing.reviewers import remember_message
from services.staff.acting import actor_at
from services.staff.people import by_telegram_id
from services.transitions.audit import history
from services.transitions.effects import nobody_to_review
from services.uow import Sessions
from services.writing import drafts
from storage.models import Attachment, AuditEvent, Person, ReviewMessage, Submission

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardView:
    """Everything a review card or a review reminder draws, detached from the database."""

    submission: SubmissionRecord
    revision: RevisionRecord
    attachments: tuple[AttachmentRecord, ...]
    state: State
    findings: list[checks.Finding]
    diff: RevisionDiff | None
    #: Comments this level saw open last round that the round since settled (a resubmission's card says so).
    settled: tuple[CommentView, ...] = ()


@needs_lexicons
async def card_view(sessions: Sessions, submission_id: int, revision_id: int, policy: checks.CheckPolicy,
                    *, with_diff: bool = True) -> CardView | None:
    """The card for this revision, or None when the item no longer waits for a
    review of it (decided, corrected or withdrawn meanwhile)."""
    async with sessions() as s:
        d = await drafts.load(s, submission_id)
        sub = d.submission
        if sub.state not in WAITING_FOR or sub.current_revision_id != revision_id:
            return None
        diff = await changes_since_last_review(s, sub) if with_diff else None
        settled = tuple(await comments.settled_since_last_review(s, sub)) if with_diff else ()
        return CardView(SubmissionRecord.of(sub), RevisionRecord.of(d.revision), attachment_records(d.attachments),
                        sub.state, drafts.findings(d, policy), diff, settled)


async def remember_card(sessions: Sessions, *, submission_id: int, revision_id: int, state: State, person_id: int,
                        chat_id: int, message_id: int, now: datetime, text: str | None = None) -> bool:
    """A delivered message with review buttons: recorded, so a decision closes it.

    A reviewer may press a card within milliseconds of receiving it, before it is
    recorded here; the decision then closed the cards it knew.  So the card is
    recorded only while its item still waits at its revision (the submission row
    is locked, as a decision locks it); otherwise its buttons are owed their
    outcome now.  ``text``: the HTML the card was sent with (its outcome is
    appended to it).  Returns whether the card is still open."""
    async with sessions.begin() as s:
        sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
        person = await s.get(Person, person_id)
        if sub is None or person is None:
            return False
        if sub.current_revision_id == revision_id and sub.state == state:
            await remember_message(s, sub, person, chat_id, message_id, now, text)
            return True
        await postbox.owe(s, await _late_outcome(s, sub, revision_id, chat_id, message_id, text), now)
        return False


async def _late_outcome(s: AsyncSession, sub: Submission, revision_id: int, chat_id: int, message_id: int,
                        text: str | None) -> Owed:
    """The outcome a card decided before it was recorded shows (or just no buttons)."""
    key = f"late:{sub.id}:{chat_id}:{message_id}"
    last = await _last_decision(s, sub.id, revision_id)
    if last is None:
        return Owed(key, chat_id, Notice.TEXT, {"drop": message_id}, key)
    facts = {"submission_id": sub.id, "action": last.action.value, "name": last.actor.full_name if last.actor else "",
             "note": last.note, "message_id": message_id, "text": text}
    return Owed(key, chat_id, Notice.CARD_OUTCOME, facts, key)


async def _last_decision(s: AsyncSession, submission_id: int, revision_id: int) -> AuditEvent | None:
    """The latest reviewer decision taken on this revision, if any."""
    return next((e for e in reversed(await history(s, submission_id))
                 if e.revision_id == revision_id and e.action in OUTCOME_ACTIONS), None)


@dataclass(frozen=True)
class DecidedCard:
    """What a decided card's outcome is drawn from."""

    #: The HTML the card (or reminder) was sent with, to append its outcome to; None when not kept.
    text: str | None
    #: Whom the decision was taken for, when a Plh/Plt took it (the principal's name).
    acting_for: str | None


async def decided_card(sessions: Sessions, *, chat_id: int, message_id: int, action: Action) -> DecidedCard:
    """The card's text, and for whom its decision (``action``) was taken when a Plh/Plt took it."""
    async with sessions() as s:
        card = await s.scalar(select(ReviewMessage).where(
            ReviewMessage.chat_id == chat_id, ReviewMessage.message_id == message_id)
            .order_by(ReviewMessage.id.desc()).limit(1))
        if card is None:
            return DecidedCard(None, None)
        decisions = (select(AuditEvent).where(AuditEvent.submission_id == card.submission_id,
                                              AuditEvent.action == action)
                     .order_by(AuditEvent.id.desc()).limit(1))
        # The decision on this card's revision (a correction records the new one: then the newest).
        event = (await s.scalar(decisions.where(AuditEvent.revision_id == card.revision_id))
                 or await s.scalar(decisions))
        acting_for = event.acting_for.full_name if event is not None and event.acting_for is not None else None
        return DecidedCard(card.text, acting_for)


@dataclass(frozen=True)
class Refusal:
    """Why a review button records nothing now, for the popup that says so."""

    submission_id: int
    #: Where the item is now (None: there is no such item).
    state: State | None
    #: The button was drawn for an earlier revision (an earlier round, or before a correction).
    earlier_round: bool
    #: The latest decision taken on this revision, by whom, and whether that was the presser.
    decision: Action | None = None
    decided_by: str = ""
    by_presser: bool = False
    #: The presser reviews at a level that decided this revision (so the button was theirs to press then).
    reviewed_here: bool = False

    @property
    def waits_for_review(self) -> bool:
        return self.state in WAITING_FOR

    @property
    def moved_on(self) -> bool:
        """The button's round is over: no such item, an earlier revision, or decided at the presser's level."""
        return self.state is None or self.earlier_round or self.by_presser or (
            self.decision is not None and self.reviewed_here)


async def refusal(sessions: Sessions, *, submission_id: int, revision_id: int, telegram_id: int,
                  now: datetime) -> Refusal:
    """Why a review press for this revision is no longer valid: decided by someone
    (who, what) in this round, or a button from an earlier round."""
    async with sessions() as s:
        sub = await s.get(Submission, submission_id)
        if sub is None:
            return Refusal(submission_id, None, earlier_round=True)
        if sub.current_revision_id != revision_id:
            return Refusal(sub.id, sub.state, earlier_round=True)
        decisions = [e for e in await history(s, sub.id)
                     if e.revision_id == revision_id and e.action in OUTCOME_ACTIONS]
        if not decisions:
            return Refusal(sub.id, sub.state, earlier_round=False)
        person = await by_telegram_id(s, telegram_id)
        roles = (await actor_at(s, person, now))[0].roles if person is not None else frozenset()
        last = decisions[-1]
        return Refusal(sub.id, sub.state, earlier_round=False, decision=last.action,
                       decided_by=last.actor.full_name if last.actor else "",
                       by_presser=last.actor is not None and last.actor.telegram_id == telegram_id,
                       reviewed_here=any(WAITING_FOR.get(e.from_state) in roles for e in decisions))


#: Decisions a decided card shows as its outcome.
OUTCOME_ACTIONS = (Action.FORWARD, Action.RETURN, Action.APPROVE, Action.CORRECT)


async def after_unreachable(sessions: Sessions, *, key: str, submission_id: int, now: datetime) -> bool:
    """A card could not reach its reviewer (403).  When no card owed for the same
    cause reached anyone, the writer and the admins are told; True if so."""
    async with sessions.begin() as s:
        rows = await postbox.by_key_prefix(s, f"{key}:card:")
        if any(r.state in (DeliveryState.PENDING, DeliveryState.SENDING, DeliveryState.SENT) for r in rows):
            return False
        sub = await s.get(Submission, submission_id)
        role = WAITING_FOR.get(sub.state) if sub else None
        if sub is None or role is None:
            return False
        await postbox.owe(s, await nobody_to_review(s, sub, role, key), now)
        return True



async def remember_uploaded(sessions: Sessions, file_ids: dict[int, str]) -> None:
    """The Telegram file id each photo's web rendition got when a card first
    uploaded it: the next reviewer's card and the reminders send that id
    instead of the bytes again."""
    if not file_ids:
        return
    try:
        async with sessions.begin() as s:
            for att in (await s.scalars(select(Attachment).where(Attachment.id.in_(file_ids)))).all():
                att.renditions = [dict(r, telegram_file_id=file_ids[att.id]) if r.get("role") == "web" else r
                                  for r in att.renditions or []]
    except (OperationalError, OSError):  # only a saving: the next card uploads the bytes again
        log.warning("could not remember the file ids of %d uploaded photo(s)", len(file_ids))
