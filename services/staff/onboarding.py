"""Joining by invitation link: the person is registered with the invited role,
and a reviewer who joins later receives what already waits for that role.

The welcome is owed in the same transaction, before those review cards, so
the new person reads who they are before what waits for them; its wording
comes from the bot layer (:data:`Welcome`)."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.workflow import Role
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.reviewing.reviewers import waiting_for_role
from services.staff.people import Me, TelegramIdentity, by_telegram_id, me_of, redeem_invitation
from services.transitions.effects import owe_review_cards
from services.uow import Sessions
from storage.models import Invitation, Person, Section, Submission
from storage.tenancy import for_office

#: (the person, the invited role, its section) -> the welcome messages (HTML), in order.
Welcome = Callable[[Me, Role, str | None], Sequence[str]]


@dataclass(frozen=True)
class Joined:
    me: Me
    role: Role
    section: str | None
    #: Review cards owed for items that already waited for the role.
    cards: int


@dataclass(frozen=True)
class Refused:
    """The link did not work (``code``: invite_unknown, invite_used, invite_expired)."""

    code: str
    registered: bool


async def join(sessions: Sessions, *, code: str, who: TelegramIdentity, now: datetime,
               welcome: Welcome) -> Joined | Refused:
    """/start <code>: redeem the invitation, owe the welcome and, to a new reviewer,
    what waits for their role.  Given the deployment's storage: the code says which office
    the person joins (and works in from now on); the rest is done in that office's scope."""
    async with sessions() as s:
        office = await s.scalar(select(Invitation.office_id).where(Invitation.code == code))
    if office is not None:
        sessions = for_office(sessions, office)
    async with sessions.begin() as s:
        try:
            person, inv = await redeem_invitation(s, code, who, now)
        except ServiceError as exc:  # refused before anything was written
            return Refused(exc.code, await by_telegram_id(s, who.telegram_id) is not None)
        person.current_office_id = inv.office_id
        section = await s.get(Section, inv.section_id) if inv.section_id else None
        joined = Joined(me_of(person), Role(inv.role), section.name if section else None, 0)
        key = f"join:{person.id}:{hashlib.sha256(code.encode()).hexdigest()[:16]}"
        await postbox.owe(s, [Owed(f"{key}:{i}", who.telegram_id, Notice.TEXT, {"text": text}, key)
                              for i, text in enumerate(welcome(joined.me, joined.role, joined.section))], now)
        cards = await _owe_waiting(s, person, joined.role, now)
        return Joined(joined.me, joined.role, joined.section, cards)


async def _owe_waiting(s: AsyncSession, person: Person, role: Role, now: datetime) -> int:
    await s.flush()  # the new grant counts when the reviewers are looked up
    owed = 0
    for sid in await waiting_for_role(s, role):
        sub = await s.get(Submission, sid)
        if sub is not None:
            owed += await owe_review_cards(s, sub, now, key=f"join:{person.id}:{sub.id}:{sub.current_revision_id}",
                                           only=[person.id])
    return owed
