"""The background workers, one room: the postman (what the bot owes people), the outbox
(publishing, SOP steps 6-7) and the SOP clock (reminders, escalation, Plh re-sends, the
monthly report, expiry).  Each can be started, stopped and kicked; a transition's outcome
names the ones to kick (``services.transitions.effects.Worker``) and the handlers kick them through
``Terbit.wake``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram.ext import Application

from bot.workers import clock
from bot.workers.outbox import OutboxWorker
from bot.workers.postman import Postman
from handlers.context import TerbitContext
from services.transitions.effects import Worker


@dataclass
class Workers:
    app: Application
    postman: Postman
    outbox: OutboxWorker
    #: How often the postman looks for owed messages whose retry time came (the safety net).
    delivery_poll_seconds: float

    def wakers(self) -> dict[Worker, Callable[[], None]]:
        """How each worker is kicked, for the handlers' ``Terbit.wake``."""
        return {Worker.POSTMAN: self.postman.kick, Worker.OUTBOX: self.outbox.kick,
                Worker.CLOCK: lambda: clock.kick(self.app)}

    async def start(self) -> None:
        """After the first writes at start-up: the repeating runs and the SOP clock's jobs."""
        self.outbox.start()
        if self.app.job_queue is not None:
            self.app.job_queue.run_repeating(self._kick_postman, interval=self.delivery_poll_seconds, first=0,
                                             name="postman")
        await clock.start_jobs(self.app)

    def stop(self) -> None:
        self.postman.stop()
        self.outbox.stop()

    async def _kick_postman(self, context: TerbitContext) -> None:
        """The repeating safety net: deliver owed messages whose retry time came."""
        self.postman.kick()
