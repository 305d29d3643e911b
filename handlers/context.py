"""The services the handlers use, kept in ``application.bot_data``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from config.settings import Settings
from domain.checks import CheckPolicy
from domain.sop_clock import WorkingCalendar
from domain.standard_times import StandardTimes
from handlers.callbacks import CallbackCodec
from services.clock import Clock, office_calendar, sop_calendar, standard_times
from services.effects import Worker
from services.intake import Intake
from services.outbox import Outbox

if TYPE_CHECKING:
    from telegram.ext import Application, CallbackContext

KEY = "terbit"


@dataclass
class Terbit:
    settings: Settings
    engine: AsyncEngine
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
