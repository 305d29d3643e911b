"""What the bot owes people: recorded with its cause, delivered exactly once.

A use case calls :func:`owe` inside its own transaction, so the message is
owed if and only if the change that causes it was committed.  The postman
(bot/workers/postman.py) claims due messages, sends them, and settles each one here.
The delivery key makes recording idempotent: a retried update or a repeated
sweep that owes the same thing again records nothing new.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import IN_PLACE, SETTLED, DeliveryState, Notice
from domain.workflow import Role
from services.staff.people import people_with_role
from services.uow import Sessions, affected, group_commit, insert_for
from storage.models import OutgoingMessage
from storage.tenancy import office_of, scoped_to

#: A claimed message not settled within this time belongs to a process that died.
LEASE = timedelta(minutes=2)


class Obsolete(Exception):
    """The owed message no longer applies (e.g. a card for an item decided meanwhile)."""


class NotYet(Exception):
    """The owed message must wait a little (an album whose items are still arriving)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"not yet; again in {seconds} s")
        self.seconds = seconds


@dataclass(frozen=True)
class Owed:
    """One message to record: to whom, what, and why."""

    key: str
    chat_id: int
    notice: Notice
    params: dict[str, Any] = field(default_factory=dict)
    cause: str = ""


async def owe(s: AsyncSession, owed: Owed | Sequence[Owed], now: datetime) -> None:
    """Record what is owed (in the caller's transaction); a known key is skipped."""
    items = [owed] if isinstance(owed, Owed) else list(owed)
    if not items:
        return
    await s.execute(insert_for(s)(OutgoingMessage).values([_row(o, now, office=office_of(s)) for o in items])
                    .on_conflict_do_nothing(index_elements=["key"]))


def _row(owed: Owed, now: datetime, *, state: DeliveryState = DeliveryState.PENDING, due: datetime | None = None,
         attempts: int = 0, office: int | None = None) -> dict[str, Any]:
    """The outgoing_messages row of an owed message (``office``: the office of the session that owes it)."""
    return {"key": owed.key[:160], "chat_id": owed.chat_id, "notice": owed.notice.value, "params": owed.params,
            "cause": (owed.cause or owed.key)[:160], "state": state.value, "attempts": attempts,
            "next_attempt_at": due or now, "created_at": now, "office_id": office}


def _due(now: datetime) -> ColumnElement[bool]:
    """Waiting, or being sent by a process whose lease ran out."""
    return OutgoingMessage.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]) & (
        OutgoingMessage.next_attempt_at <= now)


async def owe_at(s: AsyncSession, owed: Owed, due: datetime, now: datetime) -> None:
    """Owe a message for later; owing the same key again while it waits moves it
    later still (an album's acknowledgement waits for its last item)."""
    stmt = insert_for(s)(OutgoingMessage).values(_row(owed, now, due=due, office=office_of(s)))
    await s.execute(stmt.on_conflict_do_update(
        index_elements=["key"], set_={"next_attempt_at": due},
        where=OutgoingMessage.state == DeliveryState.PENDING.value))


async def supersede(s: AsyncSession, key: str) -> bool:
    """A message still waiting that something later made unnecessary; True if it was."""
    res = await s.execute(update(OutgoingMessage).where(OutgoingMessage.key == key,
                                                        OutgoingMessage.state == DeliveryState.PENDING)
                          .values(state=DeliveryState.OBSOLETE.value)
                          .execution_options(synchronize_session=False))
    return affected(res) > 0


async def supersede_prefix(s: AsyncSession, prefix: str) -> int:
    """Messages still waiting whose keys start so, made unnecessary by something later; how many."""
    res = await s.execute(update(OutgoingMessage).where(OutgoingMessage.key.startswith(prefix, autoescape=True),
                                                        OutgoingMessage.state == DeliveryState.PENDING)
                          .values(state=DeliveryState.OBSOLETE.value)
                          .execution_options(synchronize_session=False))
    return affected(res)


async def claim_due(s: AsyncSession, now: datetime, limit: int = 200, chat_id: int | None = None,
                    lane: ColumnElement[bool] | None = None) -> list[OutgoingMessage]:
    """Due messages (of one chat, given ``chat_id``), oldest first, marked as being sent (with a lease)."""
    stmt = select(OutgoingMessage).where(_due(now))
    if chat_id is not None:
        stmt = stmt.where(OutgoingMessage.chat_id == chat_id)
    if lane is not None:
        stmt = stmt.where(lane)
    due = list((await s.scalars(stmt.order_by(OutgoingMessage.id).limit(limit))).all())
    claimed = []
    for m in due:
        res = await s.execute(
            update(OutgoingMessage)
            .where(OutgoingMessage.id == m.id, OutgoingMessage.state == m.state,
                   OutgoingMessage.attempts == m.attempts)
            .values(state=DeliveryState.SENDING.value, attempts=m.attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if affected(res) == 1:
            m.state, m.attempts, m.next_attempt_at = DeliveryState.SENDING, m.attempts + 1, now + LEASE
            claimed.append(m)
    return claimed


async def release_orphans(s: AsyncSession, now: datetime) -> int:
    """At start-up: messages a dead process was sending are due again now."""
    res = await s.execute(
        update(OutgoingMessage).where(OutgoingMessage.state == DeliveryState.SENDING)
        .values(state=DeliveryState.PENDING.value, next_attempt_at=now)
        .execution_options(synchronize_session=False))
    return affected(res)


async def settle(s: AsyncSession, message_id: int, state: DeliveryState, now: datetime, *,
                 telegram_message_id: int | None = None, error: str | None = None,
                 retry_at: datetime | None = None) -> None:
    """Record how a delivery went; ``retry_at`` makes it due again then."""
    values: dict[str, Any] = {"state": state.value, "last_error": error}
    if state == DeliveryState.SENT:
        values |= {"sent_at": now, "message_id": telegram_message_id}
    if retry_at is not None:
        values |= {"state": DeliveryState.PENDING.value, "next_attempt_at": retry_at}
    await s.execute(update(OutgoingMessage).where(OutgoingMessage.id == message_id).values(**values)
                    .execution_options(synchronize_session=False))


async def next_due_at(sessions: Sessions) -> datetime | None:
    """When the next owed message falls due (or a send's lease runs out)."""
    async with sessions() as s:
        return await s.scalar(select(func.min(OutgoingMessage.next_attempt_at)).where(
            OutgoingMessage.state.in_([DeliveryState.PENDING, DeliveryState.SENDING])))


async def by_key_prefix(s: AsyncSession, prefix: str) -> list[OutgoingMessage]:
    return list((await s.scalars(
        select(OutgoingMessage).where(OutgoingMessage.key.startswith(prefix)).order_by(OutgoingMessage.id))).all())


async def retire(sessions: Sessions, prefix: str) -> list[tuple[int, int]]:
    """Messages owed under this key prefix that something newer replaced (a question asked again):
    those still waiting are not sent at all; the (chat, message id) of those already sent are
    returned, for the caller to take their buttons away."""
    async with sessions.begin() as s:
        await supersede_prefix(s, prefix)
        return [(m.chat_id, m.message_id) for m in await by_key_prefix(s, prefix)
                if m.state == DeliveryState.SENT and m.message_id is not None]


async def backlog(s: AsyncSession) -> int:
    """Messages still owed (waiting or being sent)."""
    return int(await s.scalar(select(func.count()).select_from(OutgoingMessage).where(
        OutgoingMessage.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]))) or 0)


# --- the postman's side: each call is its own transaction ---------------------

@dataclass(frozen=True)
class Parcel:
    """A claimed owed message, as the postman handles it."""

    id: int
    key: str
    chat_id: int
    notice: Notice
    params: dict[str, Any]
    cause: str
    attempts: int
    created_at: datetime
    #: The office it is about (None: the deployment's, or owed before offices: office no. 1).
    office_id: int | None = None


def _lane(in_place: bool) -> ColumnElement[bool]:
    """A chat's new messages, or its changes to messages already sent (:data:`IN_PLACE`)."""
    kinds = [n.value for n in IN_PLACE]
    return OutgoingMessage.notice.in_(kinds) if in_place else OutgoingMessage.notice.not_in(kinds)


async def claim(sessions: Sessions, now: datetime, chat_id: int, limit: int = 50, *,
                in_place: bool = False) -> list[Parcel]:
    """Claim one chat's due messages of one lane (new messages, or changes in place), oldest first."""
    async with sessions() as s:  # often nothing is due: look first without a write transaction
        if await s.scalar(select(OutgoingMessage.id).where(_due(now), OutgoingMessage.chat_id == chat_id,
                                                           _lane(in_place)).limit(1)) is None:
            return []
    async with sessions.begin() as s:
        return [Parcel(m.id, m.key, m.chat_id, m.notice, dict(m.params or {}), m.cause, m.attempts, m.created_at,
                       m.office_id)
                for m in await claim_due(s, now, limit, chat_id, lane=_lane(in_place))]


async def owe_claimed(sessions: Sessions, owed: Owed, now: datetime) -> Parcel | None:
    """Record a reply already claimed for sending now (one transaction instead of
    owe + claim, shared with the replies recorded at the same moment); None when
    its key is known (a replayed update: not sent again here)."""
    new_id = await group_commit(sessions, _insert_claimed)((owed, now))
    if new_id is None:
        return None
    return Parcel(new_id, owed.key[:160], owed.chat_id, owed.notice, owed.params, owed.cause, 1, now,
                  scoped_to(sessions))


async def _insert_claimed(s: AsyncSession, items: list[tuple[Owed, datetime]]) -> list[int | None]:
    """Insert replies as being sent; the new ids by position (None where the key was known)."""
    rows: dict[str, dict[str, Any]] = {}
    for owed, now in items:  # one key twice in a batch: the first is the reply, as with two transactions
        rows.setdefault(owed.key[:160], _row(owed, now, state=DeliveryState.SENDING, due=now + LEASE, attempts=1,
                                                       office=office_of(s)))
    inserted = await s.execute(insert_for(s)(OutgoingMessage).values(list(rows.values()))
                               .on_conflict_do_nothing(index_elements=["key"])
                               .returning(OutgoingMessage.key, OutgoingMessage.id))
    ids: dict[str, int] = {key: id_ for key, id_ in inserted.all()}
    out: list[int | None] = []
    for owed, _ in items:
        out.append(ids.pop(owed.key[:160], None))
    return out


async def due_lanes(sessions: Sessions, now: datetime, limit: int = 500) -> list[tuple[int, bool]]:
    """(chat, in place?) with messages due now, the one waiting longest first."""
    in_place = _lane(True)
    async with sessions() as s:
        rows = await s.execute(select(OutgoingMessage.chat_id, in_place).where(_due(now))
                               .group_by(OutgoingMessage.chat_id, in_place)
                               .order_by(func.min(OutgoingMessage.id)).limit(limit))
        return [(int(chat), bool(edit)) for chat, edit in rows.all()]


async def owe_now(sessions: Sessions, owed: Owed | Sequence[Owed], now: datetime) -> None:
    """Record owed messages in a transaction of their own (a reply to an update)."""
    async with sessions.begin() as s:
        await owe(s, owed, now)


async def record_outcome(sessions: Sessions, message_id: int, state: DeliveryState, now: datetime, *,
                         telegram_message_id: int | None = None, error: str | None = None,
                         retry_at: datetime | None = None, also_owe: Sequence[Owed] = ()) -> None:
    """Record how a delivery went (in a transaction shared with the outcomes recorded at the same moment)."""
    await group_commit(sessions, _record_outcomes)(
        _Outcome(message_id, state, now, telegram_message_id, error, retry_at, tuple(also_owe)))


@dataclass(frozen=True)
class _Outcome:
    message_id: int
    state: DeliveryState
    now: datetime
    telegram_message_id: int | None
    error: str | None
    retry_at: datetime | None
    also_owe: tuple[Owed, ...]


async def _record_outcomes(s: AsyncSession, outcomes: list[_Outcome]) -> list[None]:
    for o in outcomes:
        await settle(s, o.message_id, o.state, o.now, telegram_message_id=o.telegram_message_id, error=o.error,
                     retry_at=o.retry_at)
        await owe(s, o.also_owe, o.now)
    return [None] * len(outcomes)


async def start_up(sessions: Sessions, now: datetime) -> int:
    async with sessions.begin() as s:
        return await release_orphans(s, now)


async def admins_chats(sessions: Sessions) -> list[int]:
    async with sessions() as s:
        return [p.telegram_id for p in await people_with_role(s, Role.ADMIN)]


async def forget_settled(sessions: Sessions, older_than: datetime) -> int:
    """Delivered (or given up) messages are kept a while for the record and for
    their delivery keys, then dropped, so the table does not grow for ever."""
    async with sessions.begin() as s:
        res = await s.execute(delete(OutgoingMessage).where(
            OutgoingMessage.state.in_(list(SETTLED)), OutgoingMessage.created_at < older_than))
        return affected(res)
