"""The outbox worker: SOP steps 6 and 7 on python-telegram-bot's JobQueue.

:meth:`OutboxWorker.kick` runs it now (an approval, a withdrawal, an admin's Coba lagi);
a repeating run every ``OUTBOX_POLL_SECONDS`` is only the safety net (a scheduled
publication's moment, a retry's backoff).  One run at a time: a kick during a run is
served by a run right after it.
"""
from __future__ import annotations

import asyncio

from telegram.ext import Application, ContextTypes

from handlers.context import terbit
from services import publication_notices
from services.effects import Worker

JOB_NAME = "outbox"


class OutboxWorker:
    """Publishes what is due, then owes the notices of what settled."""

    def __init__(self, app: Application, poll_seconds: float) -> None:
        self.app = app
        self.poll_seconds = poll_seconds
        self._lock = asyncio.Lock()

    def start(self) -> None:
        if self.app.job_queue is not None:
            self.app.job_queue.run_repeating(self.run, interval=self.poll_seconds, first=0, name=JOB_NAME)

    def kick(self) -> None:
        """Publish now rather than at the next poll: the clerical steps take seconds."""
        if self.app.job_queue is not None:
            self.app.job_queue.run_once(self.run, 0, name=f"{JOB_NAME}-now")

    def stop(self) -> None:
        """The JobQueue stops its jobs with the application; nothing of ours to end."""

    async def run(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        t = terbit(context)
        async with self._lock:
            # A job that settled may have owed "Terbit" (its transition's effects) or a failure notice (below).
            attempted = await t.outbox.run_due()
            if await publication_notices.owe_outcomes(t.sessions, t.now()) or attempted:
                t.wake(Worker.POSTMAN)
