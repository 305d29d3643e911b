"""Durable updates in, one lane per person.

:class:`DurableUpdateQueue` is the Application's update queue: polling puts
each fetched update into it before asking Telegram for the next batch (which
is what confirms the previous one), and the webhook server puts an update
into it before answering 200.  Its ``put`` stores the update in the inbox
first (services/delivery/inbox.py), so an update Telegram considers delivered is
always in the database.

:class:`LaneProcessor` (python-telegram-bot's ``BaseUpdateProcessor``) runs
one person's updates in order, one at a time, and different people's
concurrently; it marks each update done once handled.  While an update is
handled, :data:`HANDLING` says which one, so replies are owed with a
delivery key derived from it: handling an update again (after a crash)
owes the same replies again, and the postbox records them once.

An update is known by the bot that received it and its number
(services/delivery/inbox.py's ``Key``).  When it cannot be stored (handlers/faults.py),
polling returns nothing, so the offset does not move and Telegram keeps the
updates; the next getUpdates waits the fault's backoff first.  A webhook
request gets an error instead of 200, and Telegram sends it again later.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import BaseUpdateProcessor, ExtBot

from handlers.faults import Fault, StorageWatch, is_storage_failure, reason_of
from handlers.handling import HANDLING, Handling, OweReply, PollingFailed
from services.clock import Clock
from services.delivery import inbox
from services.uow import Sessions

log = logging.getLogger(__name__)




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
    only past stored updates.

    A batch that cannot be stored is not returned (python-telegram-bot's
    Updater then neither queues nor confirms it: Telegram keeps it), and the
    next call waits the storage fault's backoff first.  An unreachable
    Telegram is a state too: one log line when it starts and when it ends."""

    def __init__(self, *args: Any, inbox: DurableUpdateQueue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox
        self._unreachable = Fault("getUpdates failing (Telegram unreachable?)")

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        watch = self._inbox.watch
        if watch is not None and watch.fault.active:
            await asyncio.sleep(watch.fault.delay())
        try:
            updates = await super().get_updates(*args, **kwargs)
        except TimedOut:
            raise  # retried at once by the polling loop, logged by nobody
        except NetworkError as exc:
            self._unreachable.failed(reason_of(exc))
            raise PollingFailed(str(exc)) from exc
        self._unreachable.recovered()
        if updates and not await self._inbox.store_batch(updates):
            return ()
        return updates


class DurableUpdateQueue(asyncio.Queue[object]):
    """The update queue that stores every update before it is acknowledged."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: Sessions | None = None
        self.clock: Clock | None = None
        #: The bot receiving (its token's number): updates are keyed by (bot, update id).
        self.bot_id = 0
        #: The storage fault state, and who was told of it (handlers/faults.py).
        self.watch: StorageWatch | None = None
        #: Updates queued or being handled: a replayed update Telegram also
        #: sends again (it was stored but never confirmed) is handled once.
        self.pending: set[inbox.Key] = set()
        #: Updates stored with their getUpdates batch, not yet put: whether each was handled before.
        self._stored: dict[inbox.Key, bool] = {}
        #: Replayed updates another bot received (a restored database, or stored before 0009): by update id.
        self._foreign: dict[int, int] = {}

    def bind(self, sessions: Sessions, clock: Clock, bot_id: int = 0, watch: StorageWatch | None = None) -> None:
        self.sessions, self.clock, self.bot_id, self.watch = sessions, clock, bot_id, watch

    def key_of(self, update_id: int) -> inbox.Key:
        """The key of an update being handled (a replayed one may be another bot's)."""
        return inbox.Key(self._foreign.get(update_id, self.bot_id), update_id)

    def _key(self, update: Update) -> inbox.Key:
        return inbox.Key(self.bot_id, update.update_id)

    async def _store(self, updates: Sequence[Update]) -> set[inbox.Key]:
        """Store updates; the storage fault's state follows.  Raises what storage raised."""
        assert self.sessions is not None and self.clock is not None
        try:
            handled = await inbox.store(self.sessions, [inbox.Received(self._key(u), lane_of(u), u.to_dict())
                                                        for u in updates], self.clock.now())
        except Exception as exc:
            if self.watch is not None and is_storage_failure(exc):
                await self.watch.failing(exc, updates)
            raise
        if self.watch is not None:
            await self.watch.stored()
        return handled

    async def store_batch(self, updates: Sequence[Update]) -> bool:
        """Store a whole getUpdates batch in one transaction (polling puts its
        updates one by one, and one transaction each was the inbox's main cost).
        False when storage failed: nothing of the batch may be confirmed."""
        if self.sessions is None or self.clock is None:
            return True
        fresh = [u for u in updates if self._key(u) not in self.pending]
        if not fresh:
            return True
        try:
            handled = await self._store(fresh)
        except Exception as exc:
            if not is_storage_failure(exc):
                raise
            return False
        self._stored.update((self._key(u), self._key(u) in handled) for u in fresh)
        return True

    async def put(self, item: Any) -> None:
        if isinstance(item, Update) and self.sessions is not None and self.clock is not None:
            key = self._key(item)
            if key in self.pending:
                return
            if key in self._stored:
                handled = {key} if self._stored.pop(key) else set()
            else:  # a webhook's update (an error here answers non-200: Telegram sends it again later)
                handled = await self._store([item])
            if key in handled:
                log.info("update %s was handled before; not again", item.update_id)
                return
            self.pending.add(key)
        await super().put(item)

    async def replay(self, bot: Bot) -> int:
        """At start-up: what was stored but not handled goes first, in order."""
        if self.sessions is None:
            return 0
        n = 0
        for r in await inbox.unfinished(self.sessions):
            if r.key in self.pending:
                continue
            update = Update.de_json(r.payload, bot)
            if r.key.bot_id != self.bot_id:
                self._foreign[r.update_id] = r.key.bot_id
            self.pending.add(r.key)
            await super().put(update)
            n += 1
        return n

    def finished(self, key: inbox.Key) -> None:
        self.pending.discard(key)
        if self._foreign.get(key.update_id) == key.bot_id:
            del self._foreign[key.update_id]


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
    _finished: list[tuple[inbox.Key, str | None]] = field(default_factory=list, init=False)
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
        key = self.queue.key_of(update.update_id)
        handling = Handling(update.update_id, chat, key.bot_id, self.owe_reply, latest=self.latest,
                            in_flight=self.in_flight)
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
            self._done(key, error)

    def _done(self, key: inbox.Key, error: str | None) -> None:
        """Mark the update done, together with the others finishing meanwhile.

        One transaction for many instead of one each: under load the done-marks
        were a fifth of all writes.  Until its mark is committed an update stays
        unfinished, so a crash in between only means it is handled again at the
        next start, which changes nothing twice."""
        self._finished.append((key, error))
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
                except Exception as exc:  # they stay unfinished and are handled again at the next start
                    if not is_storage_failure(exc):
                        log.exception("could not mark %d update(s) done", len(batch))
                    else:  # the storage fault is logged as a state, not a traceback per batch
                        log.warning("could not mark %d update(s) done: %s", len(batch), reason_of(exc))
            for key, _ in batch:
                q.finished(key)

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made as people write."""

    async def shutdown(self) -> None:
        """Unfinished updates stay in the inbox; the done-marks already made are written."""
        if self._marking is not None and not self._marking.done():
            await self._marking
        elif self._finished:
            await self._mark_done()
