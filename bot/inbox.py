"""Durable updates in, one lane per person.

:class:`DurableUpdateQueue` is the Application's update queue: polling puts
each fetched update into it before asking Telegram for the next batch (which
is what confirms the previous one), and the webhook server puts an update
into it before answering 200.  Its ``put`` stores the update in the inbox
first (services/inbox.py), so an update Telegram considers delivered is
always in the database.

:class:`LaneProcessor` (python-telegram-bot's ``BaseUpdateProcessor``) runs
one person's updates in order, one at a time, and different people's
concurrently; it marks each update done once handled.  While an update is
handled, :data:`HANDLING` says which one, so replies are owed with a
delivery key derived from it: handling an update again (after a crash)
owes the same replies again, and the postbox records them once.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.ext import BaseUpdateProcessor, ExtBot

from services import inbox
from services.clock import Clock
from services.uow import Sessions

log = logging.getLogger(__name__)


@dataclass
class Handling:
    """The update being handled in this task, and how many replies it owed so far."""

    update_id: int
    chat_id: int | None
    #: Owes a reply (chat, Notice.TEXT params); the postman sends it straight away, in the background.
    owe_reply: OweReply | None = None
    replies: int = 0
    #: The pressed message whose buttons the next reply replaces (chat, message id):
    #: a button step answers in place instead of stripping the keyboard and sending anew.
    replace: tuple[int, int] | None = None
    #: The newest message id seen in each chat (sent or received), shared with the postman.
    latest: dict[int, int] = field(default_factory=dict)
    #: Replies still on their way, per chat (shared with the postman).
    in_flight: Mapping[int, int] = field(default_factory=dict)

    def is_latest(self, chat_id: int, message_id: int) -> bool:
        """Whether this is the newest message of the chat (replacing it keeps the chat's order)."""
        if self.in_flight.get(chat_id):
            return False  # a reply is still being sent: it will be newer than anything seen
        newest = self.latest.get(chat_id)
        return newest is not None and message_id >= newest

    def take_replace(self, chat_id: int) -> int | None:
        """The message the next reply to ``chat_id`` should replace, once."""
        if self.replace is None or self.replace[0] != chat_id:
            return None
        message_id, self.replace = self.replace[1], None
        return message_id

    def next_reply_key(self) -> str:
        self.replies += 1
        return f"u{self.update_id}:{self.replies}"


OweReply = Callable[["Handling", int, dict[str, Any]], Awaitable[None]]

HANDLING: ContextVar[Handling | None] = ContextVar("terbit_handling", default=None)


def lane_of(update: object) -> int:
    """Whose lane an update runs in: the person's, else the chat's."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return 0


class InboxBot(ExtBot[None]):
    """The bot whose getUpdates stores each batch in the inbox before returning
    it, so the polling loop's puts cost nothing and the offset still moves
    only past stored updates."""

    def __init__(self, *args: Any, inbox: DurableUpdateQueue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        updates = await super().get_updates(*args, **kwargs)
        if updates:
            await self._inbox.store_batch(updates)
        return updates


class DurableUpdateQueue(asyncio.Queue[object]):
    """The update queue that stores every update before it is acknowledged."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: Sessions | None = None
        self.clock: Clock | None = None
        #: Updates queued or being handled: a replayed update Telegram also
        #: sends again (it was stored but never confirmed) is handled once.
        self.pending: set[int] = set()
        #: Updates stored with their getUpdates batch, not yet put: whether each was handled before.
        self._stored: dict[int, bool] = {}

    def bind(self, sessions: Sessions, clock: Clock) -> None:
        self.sessions, self.clock = sessions, clock

    async def store_batch(self, updates: Sequence[Update]) -> None:
        """Store a whole getUpdates batch in one transaction (polling puts its
        updates one by one, and one transaction each was the inbox's main cost)."""
        if self.sessions is None or self.clock is None:
            return
        fresh = [u for u in updates if u.update_id not in self.pending]
        if not fresh:
            return
        handled = await inbox.store(self.sessions, [inbox.Received(u.update_id, lane_of(u), u.to_dict())
                                                    for u in fresh], self.clock.now())
        self._stored.update((u.update_id, u.update_id in handled) for u in fresh)

    async def put(self, item: Any) -> None:
        if isinstance(item, Update) and self.sessions is not None and self.clock is not None:
            if item.update_id in self.pending:
                return
            if item.update_id in self._stored:
                handled = {item.update_id} if self._stored.pop(item.update_id) else set()
            else:  # a webhook's update, or one that came without its batch being stored
                received = inbox.Received(item.update_id, lane_of(item), item.to_dict())
                handled = await inbox.store(self.sessions, [received], self.clock.now())
            if item.update_id in handled:
                log.info("update %s was handled before; not again", item.update_id)
                return
            self.pending.add(item.update_id)
        await super().put(item)

    async def replay(self, bot: Bot) -> int:
        """At start-up: what was stored but not handled goes first, in order."""
        if self.sessions is None:
            return 0
        n = 0
        for r in await inbox.unfinished(self.sessions):
            if r.update_id in self.pending:
                continue
            update = Update.de_json(r.payload, bot)
            self.pending.add(r.update_id)
            await super().put(update)
            n += 1
        return n


#: python-telegram-bot's own bound on updates in flight; the real bound is
#: :attr:`LaneProcessor.limit`, taken after the lane (see do_process_update).
IN_FLIGHT = 100_000


@dataclass
class LaneProcessor(BaseUpdateProcessor):
    """One lane per person: in order within a lane, concurrent across lanes."""

    queue: DurableUpdateQueue
    limit: int = 64
    owe_reply: OweReply | None = None
    #: The newest message id seen per chat (also updated by the postman as it sends).
    latest: dict[int, int] = field(default_factory=dict)
    #: Replies on their way per chat (the postman's).
    in_flight: Mapping[int, int] = field(default_factory=dict)
    #: Runs background work the application waits for at shutdown (its create_task).
    create_task: Callable[..., asyncio.Task[Any]] | None = None
    _finished: list[tuple[int, str | None]] = field(default_factory=list, init=False)
    _marking: asyncio.Task[Any] | None = field(default=None, init=False)
    _lanes: dict[int, asyncio.Lock] = field(default_factory=dict, init=False)
    _waiting: dict[int, int] = field(default_factory=dict, init=False)
    _slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        super().__init__(max_concurrent_updates=IN_FLIGHT)
        self._slots = asyncio.Semaphore(self.limit)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # The lane first, then a slot: a person who sends a hundred messages
        # queues behind themselves without taking everyone else's slots.
        key = lane_of(update)
        lock = self._lanes.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await self._handle(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                self._lanes.pop(key, None)

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        chat = update.effective_chat.id if update.effective_chat else None
        handling = Handling(update.update_id, chat, self.owe_reply, latest=self.latest, in_flight=self.in_flight)
        if update.message is not None and chat is not None:
            self.latest[chat] = max(self.latest.get(chat, 0), update.message.message_id)
        token = HANDLING.set(handling)
        error: str | None = None
        try:
            await coroutine
            if handling.replace is not None and self.owe_reply is not None:
                # Nothing replaced the pressed message: its buttons go, so nobody presses them twice.
                chat_id, message_id = handling.replace
                await self.owe_reply(handling, chat_id, {"drop": message_id})
        except Exception as exc:  # process_update reports handler errors itself; this is a last resort
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            HANDLING.reset(token)
            self._done(update.update_id, error)

    def _done(self, update_id: int, error: str | None) -> None:
        """Mark the update done, together with the others finishing meanwhile.

        One transaction for many instead of one each: under load the done-marks
        were a fifth of all writes.  Until its mark is committed an update stays
        unfinished, so a crash in between only means it is handled again at the
        next start, which changes nothing twice."""
        self._finished.append((update_id, error))
        if self._marking is None or self._marking.done():
            factory = self.create_task or asyncio.get_running_loop().create_task
            self._marking = factory(self._mark_done())

    async def _mark_done(self) -> None:
        q = self.queue
        while self._finished:
            batch, self._finished = self._finished, []
            if q.sessions is not None and q.clock is not None:
                try:
                    await inbox.done_many(q.sessions, batch, q.clock.now())
                except Exception:  # they stay unfinished and are handled again at the next start
                    log.exception("could not mark %d update(s) done", len(batch))
            for update_id, _ in batch:
                q.pending.discard(update_id)

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made as people write."""

    async def shutdown(self) -> None:
        """Unfinished updates stay in the inbox; the done-marks already made are written."""
        if self._marking is not None and not self._marking.done():
            await self._marking
        elif self._finished:
            await self._mark_done()
