"""Faults are a state, not a loop.

When the database cannot store what Telegram sends (disk full, locked past
the busy timeout, PostgreSQL down), :class:`StorageWatch` holds it as one
state: one log line when it starts, a summary now and then, one when it
ends; a backoff for polling (the updates stay with Telegram, unacknowledged,
until they can be stored); one alert to the admins and one short reply to
each person who writes meanwhile, both sent straight to Telegram (the
postbox lives in the storage that fails), then "pulih" to the same people
when it is over.  :class:`Fault` is the state itself, also used for an
unreachable getUpdates.
"""
from __future__ import annotations

import asyncio
import errno
import html
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from telegram import Bot, Update
from telegram.constants import ParseMode

from texts.id import common as C

log = logging.getLogger(__name__)

_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}
#: Admins are alerted of storage trouble at most this often (seconds).
ALERT_EVERY = 30 * 60
#: Where the application keeps its StorageWatch (bot_data).
STORAGE_WATCH = "storage_watch"
#: A direct send (no postbox) waits at most this long.
SEND_TIMEOUT = 10.0


def is_storage_failure(exc: BaseException | None) -> bool:
    """Whether saving failed for a reason outside the person's input (disk, lock, database unreachable)."""
    while exc is not None:
        if isinstance(exc, OperationalError | DBAPIError | PoolTimeout | ConnectionError):
            return True
        if isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def reason_of(exc: BaseException) -> str:
    """One short line for the log and the admins: the driver's words, never the SQL or its parameters."""
    inner: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        inner = exc.orig
    text = " ".join(str(inner).split()) or type(inner).__name__
    return f"{type(inner).__name__}: {text}"[:200]


class Fault:
    """One kind of trouble as a state: fine, or failing since a moment.

    The log gets one line when it starts, a summary every ``summary_every``
    seconds while it lasts and one line when it ends; :meth:`delay` is the
    backoff before the next attempt (doubling from ``first``, at most ``cap``)."""

    def __init__(self, what: str, *, first: float = 1.0, cap: float = 8.0, summary_every: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what, self.first, self.cap, self.summary_every, self.clock = what, first, cap, summary_every, clock
        self.since: float | None = None
        self.attempts = 0
        self.reason = ""
        self._summary_at = 0.0

    @property
    def active(self) -> bool:
        return self.since is not None

    def failed(self, reason: str) -> bool:
        """Record a failed attempt; True when it starts the fault (the state changed)."""
        now = self.clock()
        self.attempts += 1
        self.reason = reason
        if self.since is None:
            self.since, self._summary_at = now, now + self.summary_every
            log.error("%s: %s", self.what, reason)
            return True
        if now >= self._summary_at:
            self._summary_at = now + self.summary_every
            log.warning("%s: still failing after %.0f s (%d attempts); last: %s",
                        self.what, now - self.since, self.attempts, reason)
        return False

    def recovered(self) -> float | None:
        """Record a success; how long the fault lasted when this ends one, else None."""
        if self.since is None:
            return None
        lasted = self.clock() - self.since
        log.warning("%s: recovered after %.0f s (%d failed attempts)", self.what, lasted, self.attempts)
        self.since, self.attempts, self.reason = None, 0, ""
        return lasted

    def delay(self) -> float:
        if self.since is None:
            return 0.0
        return float(min(self.cap, self.first * 2 ** min(self.attempts - 1, 30)))


def chat_of(update: Update) -> int | None:
    """Where a person who sent this is told (their private chat, else the chat it came from)."""
    if update.effective_user is not None and (update.effective_chat is None or update.effective_chat.type == "private"
                                              or update.callback_query is not None):
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class StorageWatch:
    """The storage fault as a state, and who has been told of it."""

    def __init__(self, fault: Fault, admins: Callable[[], Awaitable[Iterable[int]]], *,
                 alert_every: float = ALERT_EVERY) -> None:
        self.fault, self.admins, self.alert_every = fault, admins, alert_every
        self.bot: Bot | None = None
        #: People told "cannot save right now" in this fault, to be told "pulih" when it ends.
        self.told: set[int] = set()
        #: The fault now, or the last one: (when it started, seconds it lasted or None while it lasts, reason).
        self.last: tuple[datetime, float | None, str] | None = None
        self._alerted_at: float | None = None
        self._background_at: float | None = None
        self._quiet = 0
        self._alerted_now = False
        self._lock = asyncio.Lock()

    async def failing(self, exc: BaseException, updates: Iterable[Update] = ()) -> None:
        """Storing failed: the state (one log line), the admins once, each writer once."""
        async with self._lock:
            if self.fault.failed(reason_of(exc)):
                self.last = (datetime.now(UTC), None, reason_of(exc))
            await self.alert_admins(reason_of(exc))
            chats = {c for c in (chat_of(u) for u in updates) if c is not None} - self.told
            for chat in sorted(chats):
                self.told.add(chat)
                await self._send(chat, C.STORAGE_WAIT)

    async def stored(self) -> None:
        """Storing works (again): "pulih" to whoever was told, once."""
        if not self.fault.active:
            return
        async with self._lock:
            lasted = self.fault.recovered()
            if lasted is None:
                return
            if self.last is not None:
                self.last = (self.last[0], lasted, self.last[2])
            told, self.told = sorted(self.told), set()
            for chat in told:
                await self._send(chat, C.STORAGE_BACK)
            if self._alerted_now:
                self._alerted_now = False
                for chat in await self._admin_chats():
                    await self._send(chat, C.STORAGE_BACK_ADMIN.format(minutes=max(1, round(lasted / 60))))

    def background(self, exc: BaseException) -> bool:
        """A job (outbox, postman, SOP clock) met the storage fault: one line per summary period,
        counting the rest.  True when this one is logged (with its traceback, for the record)."""
        now = time.monotonic()
        self._quiet += 1
        if self._background_at is not None and now - self._background_at < self.fault.summary_every:
            return False
        log.warning("background work (jobs) failed on storage: %s (%d time(s) since the last such line)",
                  reason_of(exc), self._quiet)
        self._background_at, self._quiet = now, 0
        return True

    async def alert_admins(self, reason: str) -> bool:
        """One alert per ``alert_every`` (a local limit: nothing is written to the failing storage)."""
        now = time.monotonic()
        if self._alerted_at is not None and now - self._alerted_at < self.alert_every:
            return False
        self._alerted_at, self._alerted_now = now, True
        for chat in await self._admin_chats():
            await self._send(chat, C.STORAGE_ALERT.format(error=html.escape(reason, quote=False)))
        return True

    async def _admin_chats(self) -> list[int]:
        try:
            return sorted(set(await asyncio.wait_for(self.admins(), SEND_TIMEOUT)))
        except Exception as exc:  # the database itself is what fails: the configured admins
            log.debug("admins not read (%s)", reason_of(exc))
            return []

    async def _send(self, chat: int, text: str, **kw: Any) -> None:
        if self.bot is None:
            return
        try:
            await asyncio.wait_for(self.bot.send_message(chat, text, parse_mode=ParseMode.HTML, **kw), SEND_TIMEOUT)
        except Exception as exc:  # telling must never break receiving
            log.warning("could not tell %s about the storage fault: %s", chat, reason_of(exc))
