"""The outbox worker: SOP steps 6 and 7.

:meth:`OutboxWorker.kick` runs it now (an approval, a withdrawal, an admin's Coba lagi),
as a task of its own rather than through the JobQueue, whose run-once jobs are dropped as
"missed" when the event loop is a second behind under load.  A kick while it runs makes it
look again when this run ends, so nothing committed meanwhile waits for the next poll, and
kicks never pile up.  A repeating run every ``OUTBOX_POLL_SECONDS`` is only the safety net
(a scheduled publication's moment, a retry's backoff).
"""
from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application

from handlers.context import KEY, Terbit, TerbitContext
from handlers.faults import STORAGE_WATCH, StorageWatch, is_storage_failure, reason_of
from services.transitions.effects import Worker
from services.website import publication_notices

log = logging.getLogger(__name__)

JOB_NAME = "outbox"


async def publish_due(t: Terbit) -> None:
    """Publish what is due; after each job, owe the notices of what settled and wake the postman."""
    async def settled() -> None:
        # A job that settled may have owed "Terbit" (its transition's effects) or a failure notice (below).
        await publication_notices.owe_outcomes(t.sessions, t.now())
        t.wake(Worker.POSTMAN)

    await t.outbox.run_due(settled)
    if await publication_notices.owe_outcomes(t.sessions, t.now()):  # settled before (a crash, a retry)
        t.wake(Worker.POSTMAN)


class OutboxWorker:
    """Publishes what is due, then owes the notices of what settled; one run at a time."""

    def __init__(self, app: Application, poll_seconds: float) -> None:
        self.app = app
        self.poll_seconds = poll_seconds
        self.again = False
        self.task: asyncio.Future[None] | None = None

    def start(self) -> None:
        if self.app.job_queue is not None:
            self.app.job_queue.run_repeating(self.poll, interval=self.poll_seconds, first=0, name=JOB_NAME)

    def kick(self) -> None:
        """Publish now rather than at the next poll: the clerical steps take seconds."""
        self.wake()

    def stop(self) -> None:
        """A run in progress is the application's task: its stop waits for it."""

    def wake(self) -> asyncio.Future[None]:
        self.again = True
        if self.task is None or self.task.done():
            self.task = self._spawn()
        return self.task

    def _spawn(self) -> asyncio.Future[None]:
        work = self._runs()
        # The application's task while it runs (its stop waits for it); else a plain one.
        return self.app.create_task(work) if self.app.running else asyncio.ensure_future(work)

    async def _runs(self) -> None:
        while self.again:
            self.again = False
            try:
                await publish_due(self.app.bot_data[KEY])
            except Exception as exc:
                await self._failed(exc)

    async def _failed(self, exc: Exception) -> None:
        """A run that failed: a storage fault is a state (one line per summary period, the admins
        alerted once), anything else a traceback; either way the next poll tries again."""
        watch: StorageWatch | None = self.app.bot_data.get(STORAGE_WATCH)
        if watch is not None and is_storage_failure(exc):
            watch.background(exc)
            await watch.alert_admins(reason_of(exc))
            return
        log.exception("the outbox run failed; the next poll tries again", exc_info=exc)

    async def poll(self, context: TerbitContext) -> None:
        """The poll (the safety net): a run now, or the one running looks again when it ends;
        returns when that run is over."""
        await asyncio.shield(self.wake())
