"""The services the handlers use, kept in ``application.bot_data``.

Handlers never hold the storage: they name a use case and its arguments, and
:meth:`Terbit.run` gives it the storage this bot was composed with.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from config.settings import Settings
from domain.checks import CheckPolicy
from domain.sop_clock import WorkingCalendar
from domain.standard_times import StandardTimes
from handlers.callbacks import CallbackCodec
from services.clock import Clock, office_calendar, sop_calendar, standard_times
from services.transitions.effects import Worker
from services.uow import Sessions
from services.website.outbox import Outbox
from services.writing.intake import Intake

KEY = "terbit"
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Terbit:
    settings: Settings
    engine: AsyncEngine
    #: The storage, for the composition root and the workers; handlers go through :meth:`run`.
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    codec: CallbackCodec
    checks: CheckPolicy
    intake: Intake
    outbox: Outbox
    #: (target name, stage) for every configured publisher, in order.
    targets: list[tuple[str, int]] = field(default_factory=list)
    target_labels: dict[str, str] = field(default_factory=dict)
    #: How to wake each background worker (set when the application is built).
    workers: dict[Worker, Callable[[], None]] = field(default_factory=dict)

    async def run(self, use_case: Callable[Concatenate[Sessions, P], Awaitable[R]],
                  *args: P.args, **kwargs: P.kwargs) -> R:
        """One use case, in its own unit of work on this bot's storage."""
        return await use_case(self.sessions, *args, **kwargs)

    def wake(self, worker: Worker) -> None:
        waker = self.workers.get(worker)
        if waker is not None:
            waker()

    def now(self):
        return self.clock.now()

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """How the SOP's times are counted (office hours unless SOP_WALL_CLOCK)."""
        return sop_calendar(self.settings)

    @cached_property
    def office_hours(self) -> WorkingCalendar:
        """When people may be reminded: always office hours."""
        return office_calendar(self.settings)

    @cached_property
    def standards(self) -> StandardTimes:
        return standard_times(self.settings)


def terbit(owner: CallbackContext[Any, Any, Any, Any] | Application[Any, Any, Any, Any, Any, Any]) -> Terbit:
    """The services of this bot, from a handler's context or the application."""
    found: Terbit = owner.bot_data[KEY]
    return found


class TerbitContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """What every handler and job is given: python-telegram-bot's context, with this bot's services."""

    @property
    def terbit(self) -> Terbit:
        return terbit(self)

    @property
    def jobs(self) -> JobQueue[TerbitContext]:
        """The JobQueue, typed for jobs that take this context (python-telegram-bot types it by
        CallbackContext's own parameters; the application builds a TerbitContext for every job)."""
        queue = self.job_queue
        if queue is None:
            raise RuntimeError("Terbit needs python-telegram-bot[job-queue]")
        return cast("JobQueue[TerbitContext]", queue)


#: Given to the ApplicationBuilder, so python-telegram-bot builds a TerbitContext for every callback.
CONTEXT_TYPES = ContextTypes(context=TerbitContext)
