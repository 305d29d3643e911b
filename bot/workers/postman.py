"""The postman: delivers what the bot owes people, exactly once, in order per person.

Use cases record owed messages in the postbox (services/delivery/postbox.py) in the
same transaction as what caused them.  The postman claims due ones, draws
each (handlers/notices.py) and sends it:

* one lane per chat: a person's messages go out in the order they were owed,
  different people's concurrently;
* network errors, 5xx and 429 (honouring ``retry_after``) are retried with
  backoff for ``delivery_window``; after that the admins are told once;
* 403 (never opened the bot, or blocked it) settles the message as
  unreachable; a refused request (400) is not retried.

A claimed message carries a lease; one that a dead process was sending is
due again at the next start.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.ratelimit import BACKLOG
from domain.messaging import IN_PLACE, DeliveryState, Notice
from services.clock import Clock
from services.delivery import postbox
from services.delivery.postbox import NotYet, Obsolete, Owed, Parcel
from services.uow import Sessions

log = logging.getLogger(__name__)

#: Sends one owed message; returns the Telegram id of the message that carries
#: its buttons (or None).  Raises :class:`Obsolete` when it no longer applies.
Deliver = Callable[[Parcel], Awaitable[int | None]]
#: A chat's new messages (False) or its changes to messages already sent (True).
Lane = tuple[int, bool]
#: Called after a message was found unreachable (403).
Unreachable = Callable[[Parcel], Awaitable[None]]


#: The shortest self-scheduled wait (a message due a moment from now).
MIN_WAIT = 0.05
#: The next look when something is due while its chat is being served.
RECHECK = 0.5


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s … at most a minute between tries of one message."""
    return min(timedelta(seconds=2 ** max(attempts - 1, 0)), timedelta(minutes=1))


@dataclass
class Postman:
    sessions: Sessions
    clock: Clock
    deliver: Deliver
    on_unreachable: Unreachable
    #: How long a message is retried before the admins are told it could not be delivered.
    window: timedelta = timedelta(hours=6)
    #: Chats served at once (Telegram's own ceiling is about 30 messages a second).
    lanes: int = 16
    _task: asyncio.Task | None = field(default=None, init=False)
    _again: bool = field(default=False, init=False)
    #: Chats being delivered to now -> whether to look at them again when through.
    _serving: dict[Lane, bool] = field(default_factory=dict, init=False)
    _create_task: Callable[..., asyncio.Task] | None = field(default=None, init=False)
    _locks: dict[Lane, asyncio.Lock] = field(default_factory=dict, init=False)
    _timer: asyncio.TimerHandle | None = field(default=None, init=False)
    #: The newest message id seen per chat (shared with the lanes: a press on it may be answered in place).
    latest: dict[int, int] = field(default_factory=dict)
    #: Replies handed to :meth:`send_soon` and not yet settled, per chat (the newest
    #: message of such a chat is not known yet, so nothing is replaced in place).
    in_flight: dict[int, int] = field(default_factory=dict)
    _gate: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._gate = asyncio.Semaphore(self.lanes)

    def attach(self, create_task: Callable[..., asyncio.Task]) -> None:
        """Use the application's task factory, so shutdown waits for deliveries."""
        self._create_task = create_task

    def kick(self) -> None:
        """Deliver what is due now (coalesced: one look at the postbox runs at a time)."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = self._spawn(self.run())

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task:
        factory = self._create_task or asyncio.get_running_loop().create_task
        return factory(work)

    def stop(self) -> None:
        """At shutdown: no timer wakes a postman whose database is closed."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def start_up(self) -> None:
        released = await postbox.start_up(self.sessions, self.clock.now())
        if released:
            log.warning("%d message(s) left half-sent by a previous process are due again", released)

    def _lock(self, lane: Lane) -> asyncio.Lock:
        lock = self._locks.get(lane)
        if lock is None:
            lock = self._locks[lane] = asyncio.Lock()
        return lock

    async def run(self) -> None:
        """Look for chats with messages due and start delivering to each one that
        is not being served already; a chat never waits for another chat's round."""
        while True:
            self._again = False
            now = self.clock.now()
            for lane in await postbox.due_lanes(self.sessions, now):
                if lane in self._serving:
                    self._serving[lane] = True  # it looks again when it is through
                else:
                    self._serving[lane] = False
                    self._spawn(self._serve(lane))
            if not self._again:
                break
        later = await postbox.next_due_at(self.sessions)
        if later is not None:
            # Due already: a chat being served (its loop takes it), or one that fell due
            # just now (looked at again shortly, not in a busy loop).
            self.kick_later(max((later - now).total_seconds(), RECHECK if later <= now else MIN_WAIT))

    async def _serve(self, lane: Lane) -> None:
        """One lane's due messages, again while more fell due meanwhile (a few lanes at a time)."""
        chat_id, in_place = lane
        try:
            while True:
                async with self._gate:
                    await self.flush_chat(chat_id, in_place=in_place)
                if not self._serving.get(lane):
                    return
                self._serving[lane] = False
        finally:
            self._serving.pop(lane, None)

    def send_soon(self, parcel: Parcel) -> None:
        """A reply claimed as it was recorded goes out in the background: the update
        that owed it is done without waiting for Telegram, so its lane slot is free
        for the next person (the chat's lock keeps this chat's messages in order)."""
        chat = parcel.chat_id
        self.in_flight[chat] = self.in_flight.get(chat, 0) + 1

        async def send() -> None:
            try:
                await self.send_now(parcel)
            finally:
                left = self.in_flight.get(chat, 1) - 1
                if left:
                    self.in_flight[chat] = left
                else:
                    self.in_flight.pop(chat, None)

        self._spawn(send())

    async def send_now(self, parcel: Parcel) -> None:
        """A reply claimed as it was recorded: sent first, then whatever else the chat is owed."""
        async with self._lock((parcel.chat_id, parcel.notice in IN_PLACE)):
            retry_at = await self._one(parcel)
        if retry_at is None:
            await self.flush_chat(parcel.chat_id)

    async def flush_chat(self, chat_id: int, first: str | None = None, *, in_place: bool = False) -> int:
        """Deliver one chat's due messages now, in the order they were owed (a
        reply is sent this way before the update that caused it is done).
        Changes to messages already sent (``in_place``) are a lane of their own:
        a decided card shows its outcome at once, not after the cards queued
        behind it.

        ``first``: a key prefix that goes ahead of the rest (the replies to the
        update being handled come before what that update caused, such as a
        new card for the same person)."""
        lane = (chat_id, in_place)
        async with self._lock(lane):
            rows = await postbox.claim(self.sessions, self.clock.now(), chat_id, in_place=in_place)
            if first:
                rows.sort(key=lambda r: (not r.key.startswith(first), r.id))
            settled = 0
            for i, row in enumerate(rows):
                backlog = BACKLOG.set(len(rows) - i)  # the busiest chat is served first (bot/ratelimit.py)
                try:
                    retry_at = await self._one(row)
                finally:
                    BACKLOG.reset(backlog)
                if retry_at is not None:
                    for later in rows[i + 1:]:  # keep the order: they wait behind it
                        await postbox.record_outcome(self.sessions, later.id, DeliveryState.PENDING,
                                                     self.clock.now(), retry_at=retry_at)
                    break
                settled += 1
            if len(self._locks) > 10_000 and not self._lock(lane).locked():
                self._locks.clear()
            return settled

    async def _one(self, row: Parcel) -> datetime | None:
        """Deliver one message and record how it went; returns when to retry, if it must be."""
        now = self.clock.now
        try:
            message_id = await self.deliver(row)
        except Obsolete:
            await postbox.record_outcome(self.sessions, row.id, DeliveryState.OBSOLETE, now())
            return None
        except NotYet as exc:
            at = now() + timedelta(seconds=exc.seconds)
            await postbox.record_outcome(self.sessions, row.id, DeliveryState.PENDING, now(), retry_at=at)
            self.kick_later(exc.seconds)
            return at
        except Forbidden as exc:
            log.warning("cannot message %s (%s): %s", row.chat_id, row.cause, exc.message)
            await postbox.record_outcome(self.sessions, row.id, DeliveryState.UNREACHABLE, now(), error=exc.message)
            await self.on_unreachable(row)
            return None
        except RetryAfter as exc:
            wait = exc.retry_after if isinstance(exc.retry_after, timedelta) else timedelta(seconds=exc.retry_after)
            return await self._retry(row, str(exc), now() + wait)
        except BadRequest as exc:  # Telegram refuses the request itself: retrying cannot help
            log.error("message %s to %s refused: %s", row.key, row.chat_id, exc.message)
            await postbox.record_outcome(self.sessions, row.id, DeliveryState.FAILED, now(), error=exc.message)
            return None
        except NetworkError as exc:  # time-outs, 5xx, connection errors
            return await self._retry(row, str(exc), now() + backoff(row.attempts))
        except Exception as exc:  # a bug in drawing: keep the message, retry later, log loudly
            log.exception("delivering %s failed", row.key)
            return await self._retry(row, f"{type(exc).__name__}: {exc}", now() + backoff(row.attempts))
        await postbox.record_outcome(self.sessions, row.id, DeliveryState.SENT, now(),
                                     telegram_message_id=message_id)
        if message_id is not None:
            self.latest[row.chat_id] = max(self.latest.get(row.chat_id, 0), message_id)
        return None

    async def _retry(self, row: Parcel, error: str, at: datetime) -> datetime | None:
        now = self.clock.now()
        if now - row.created_at >= self.window:
            log.error("giving up on %s to %s after %s: %s", row.key, row.chat_id, self.window, error)
            admins = await postbox.admins_chats(self.sessions)
            told = [Owed(f"undelivered:{row.id}:{a}", a, Notice.UNDELIVERED,
                         {"chat_id": row.chat_id, "cause": row.cause, "error": error[:300]}, f"undelivered {row.key}")
                    for a in admins if a != row.chat_id and row.notice != Notice.UNDELIVERED]
            await postbox.record_outcome(self.sessions, row.id, DeliveryState.FAILED, now, error=error,
                                         also_owe=told)
            if told:
                self.kick_later(1.0)
            return None
        log.info("delivery of %s to %s will be retried: %s", row.key, row.chat_id, error)
        await postbox.record_outcome(self.sessions, row.id, DeliveryState.PENDING, now, error=error, retry_at=at)
        self.kick_later(max((at - now).total_seconds(), 0.0))
        return at

    def kick_later(self, seconds: float) -> None:
        """Wake up by itself when the next message falls due (a retry, an album's
        acknowledgement, a deferred notice); one timer, the earliest wins.  The
        repeating job is only the safety net."""
        loop = asyncio.get_running_loop()
        when = loop.time() + seconds
        if self._timer is not None and not self._timer.cancelled() and self._timer.when() <= when:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_at(when, self.kick)
