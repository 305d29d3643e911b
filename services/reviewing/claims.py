"""Who is on it: a claim on a review ("🙋 Saya periksa", issue 21).

When several people hold the role an item waits for (two Kasubbag; a Plh beside the Kepala),
the first to press "Saya periksa" takes the item on: the other copies of its card say who is on
it and lose their decision buttons, until the claimant lets go ("Lepaskan") or the claim times
out (``CLAIM_TIMEOUT_MINUTES``, by default the step's standard time, counted as the SOP clock
counts).  A claim holds for one revision at one step: a decision moves the item on, and the claim
with it.  While it holds, a decision by anyone else is refused (:func:`refuse_if_claimed`, called
where the decision is taken: services/reviewing/review.py), and the SOP clock reminds the claimant only
(services/sop_clock/reminders.py).  The cards are redrawn through the postbox, in the claim's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.sop_clock import WorkingCalendar
from domain.standard_times import StandardTimes, Step
from domain.workflow import State
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.reviewing.reviewers import reviewers_for
from services.staff.people import by_telegram_id
from services.transitions.effects import Worker
from services.uow import Sessions
from storage.models import Person, ReviewClaim, ReviewMessage, Submission

#: The SOP step an item waits at, whose standard time is a claim's default length.
STEPS = {State.WAIT_KASUBBAG: Step.REVIEW_KASUBBAG, State.WAIT_KEPALA: Step.REVIEW_KEPALA}


class Ended:
    """How a claim ended (None: it still holds, or the item moved on)."""

    RELEASED = "dilepas"
    TIMED_OUT = "habis"


@dataclass(frozen=True)
class ClaimPolicy:
    calendar: WorkingCalendar
    standards: StandardTimes
    #: None: the standard time of the step the item waits at.
    timeout: timedelta | None = None

    @classmethod
    def of(cls, t: Any) -> ClaimPolicy:
        """From the bot's services (handlers.context.Terbit)."""
        minutes = t.settings.claim_timeout_minutes
        return cls(t.calendar, t.standards, timedelta(minutes=minutes) if minutes else None)

    def expires(self, state: State, now: datetime) -> datetime:
        return self.calendar.add(now, self.timeout or self.standards[STEPS[state]])


@dataclass(frozen=True)
class Claimed:
    """A claim taken or let go."""

    submission_id: int
    claimant: str
    until: datetime | None
    #: How many cards are redrawn.
    cards: int
    wake: frozenset[Worker] = frozenset({Worker.POSTMAN, Worker.CLOCK})


async def active(s: AsyncSession, sub: Submission, now: datetime) -> ReviewClaim | None:
    """The claim that holds on the item as it waits now, if any."""
    if sub.state not in STEPS:
        return None
    return await s.scalar(select(ReviewClaim).where(
        ReviewClaim.submission_id == sub.id, ReviewClaim.ended_at.is_(None), ReviewClaim.state == sub.state,
        ReviewClaim.revision_id == sub.current_revision_id, ReviewClaim.expires_at > now)
        .order_by(ReviewClaim.id.desc()).limit(1))


async def refuse_if_claimed(s: AsyncSession, sub: Submission, person: Person, now: datetime) -> None:
    """The rule: while someone else holds the item's claim, this person decides nothing on it
    (ServiceError ``review_claimed`` naming the claimant)."""
    claim = await active(s, sub, now)
    if claim is not None and claim.person_id != person.id:
        raise ServiceError("review_claimed", id=sub.id, name=claim.person.full_name)


async def _open_cards(s: AsyncSession, sub: Submission) -> list[ReviewMessage]:
    return list((await s.scalars(select(ReviewMessage).where(
        ReviewMessage.submission_id == sub.id, ReviewMessage.closed.is_(False),
        ReviewMessage.state == sub.state, ReviewMessage.revision_id == sub.current_revision_id)
        .order_by(ReviewMessage.id))).all())


async def _redraw(s: AsyncSession, sub: Submission, claim: ReviewClaim, why: str, now: datetime) -> int:
    """Every open copy of the item's card is redrawn as it stands when delivered."""
    cards = await _open_cards(s, sub)
    await postbox.owe(s, [Owed(f"claim{claim.id}:{why}:{c.id}", c.chat_id, Notice.CARD_CLAIM, {"card_id": c.id},
                               f"claim {claim.id} #{sub.id}") for c in cards], now)
    return len(cards)


async def _item(s: AsyncSession, telegram_id: int, submission_id: int, revision_id: int
                ) -> tuple[Person, Submission]:
    person = await by_telegram_id(s, telegram_id)
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None or sub.state not in STEPS or sub.current_revision_id != revision_id:
        raise ServiceError("claim_stale", id=submission_id)
    if person is None:
        raise ServiceError("claim_forbidden", id=submission_id)
    return person, sub


async def claim_as(sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int,
                   policy: ClaimPolicy, now: datetime) -> Claimed:
    """🙋 Saya periksa: the presser takes the item on.  ServiceError: ``claim_stale``,
    ``claim_forbidden`` (not one of those it waits for), ``claim_alone`` (the only one),
    ``review_claimed`` (someone else was first)."""
    async with sessions.begin() as s:
        person, sub = await _item(s, telegram_id, submission_id, revision_id)
        reviewers = await reviewers_for(s, sub, now)
        if person.id not in {p.id for p in reviewers}:
            raise ServiceError("claim_forbidden", id=sub.id)
        if len(reviewers) < 2:
            raise ServiceError("claim_alone", id=sub.id)
        held = await active(s, sub, now)
        if held is not None:
            if held.person_id != person.id:
                raise ServiceError("review_claimed", id=sub.id, name=held.person.full_name)
            return Claimed(sub.id, person.full_name, held.expires_at, 0, frozenset())
        claim = ReviewClaim(submission_id=sub.id, revision_id=revision_id, state=sub.state, person_id=person.id,
                            claimed_at=now, expires_at=policy.expires(sub.state, now))
        s.add(claim)
        await s.flush()
        return Claimed(sub.id, person.full_name, claim.expires_at, await _redraw(s, sub, claim, "take", now))


async def release_as(sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int,
                     now: datetime) -> Claimed:
    """Lepaskan: the claimant lets go; every card gets its buttons back.  ServiceError:
    ``claim_stale``, ``claim_gone`` (this person holds no claim on it)."""
    async with sessions.begin() as s:
        person, sub = await _item(s, telegram_id, submission_id, revision_id)
        claim = await active(s, sub, now)
        if claim is None or claim.person_id != person.id:
            raise ServiceError("claim_gone", id=sub.id)
        claim.ended_at, claim.ended = now, Ended.RELEASED
        return Claimed(sub.id, person.full_name, None, await _redraw(s, sub, claim, "end", now))


async def expiring(s: AsyncSession) -> list[ReviewClaim]:
    """Claims still holding on the item as it waits (the SOP clock plans their end)."""
    return list((await s.scalars(select(ReviewClaim).join(Submission, Submission.id == ReviewClaim.submission_id)
                                 .where(ReviewClaim.ended_at.is_(None), ReviewClaim.state == Submission.state,
                                        ReviewClaim.revision_id == Submission.current_revision_id))).all())


async def expire(s: AsyncSession, claim_id: int, now: datetime) -> int:
    """The SOP clock: a claim's time ran out (in the clock's transaction); the cards get their
    buttons back.  Returns how many cards are redrawn."""
    claim = await s.get(ReviewClaim, claim_id)
    if claim is None or claim.ended_at is not None:
        return 0
    sub = await s.get(Submission, claim.submission_id)
    claim.ended_at, claim.ended = max(now, claim.expires_at), Ended.TIMED_OUT
    if sub is None or sub.state != claim.state or sub.current_revision_id != claim.revision_id:
        return 0
    return await _redraw(s, sub, claim, "end", now)


async def claimant_of(s: AsyncSession, sub: Submission, now: datetime) -> int | None:
    """The person the item's claim is held by (the SOP clock reminds them only)."""
    claim = await active(s, sub, now)
    return claim.person_id if claim is not None else None


@dataclass(frozen=True)
class CardClaim:
    """A copy of a card as a claim draws it, detached from the database."""

    submission_id: int
    revision_id: int
    state: State
    message_id: int
    #: The HTML it was sent with (None: not kept).
    text: str | None
    #: Whether the item waits for several people (the claim button is drawn).
    shared: bool
    #: Who holds the claim (None: nobody), whether that is this card's person, and until when.
    claimant: str | None = None
    mine: bool = False
    until: datetime | None = None


async def _card_claim(s: AsyncSession, sub: Submission, person_id: int, message_id: int, text: str | None,
                      now: datetime) -> CardClaim:
    claim = await active(s, sub, now)
    shared = len(await reviewers_for(s, sub, now)) > 1
    return CardClaim(sub.id, sub.current_revision_id or 0, State(sub.state), message_id, text, shared,
                     claim.person.full_name if claim else None, claim is not None and claim.person_id == person_id,
                     claim.expires_at if claim else None)


async def card(sessions: Sessions, card_id: int, now: datetime) -> CardClaim | None:
    """An open copy of a card as it stands now; None when it was closed (decided) or moved on."""
    async with sessions() as s:
        c = await s.get(ReviewMessage, card_id)
        sub = await s.get(Submission, c.submission_id) if c is not None else None
        if c is None or sub is None or c.closed or sub.state != c.state or sub.current_revision_id != c.revision_id:
            return None
        return await _card_claim(s, sub, c.person_id, c.message_id, c.text, now)


async def for_new_card(sessions: Sessions, submission_id: int, person_id: int, now: datetime) -> CardClaim | None:
    """What a card about to be sent to this person shows of the claim."""
    async with sessions() as s:
        sub = await s.get(Submission, submission_id)
        return None if sub is None else await _card_claim(s, sub, person_id, 0, None, now)


@dataclass(frozen=True)
class Trail:
    """A claim's start or end, for /riwayat."""

    at: datetime
    actor: str
    kind: str  # "diambil" | Ended.*
    submission_id: int


async def trail_of(sessions: Sessions, submission_id: int) -> list[Trail]:
    async with sessions() as s:
        rows = (await s.scalars(select(ReviewClaim).where(ReviewClaim.submission_id == submission_id)
                                .order_by(ReviewClaim.id))).all()
        out = [Trail(c.claimed_at, c.person.full_name, "diambil", submission_id) for c in rows]
        out += [Trail(c.ended_at, c.person.full_name, c.ended, submission_id) for c in rows
                if c.ended_at is not None and c.ended is not None]
        return sorted(out, key=lambda x: x.at)
