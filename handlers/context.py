"""The services the handlers use, kept in ``application.bot_data``.

Handlers never hold the storage: they name a use case and its arguments, and
:meth:`Terbit.run` gives it the storage this bot was composed with.

One deployment serves several offices.  ``application.bot_data[KEY]`` holds the
deployment's services; :meth:`Terbit.for_office` gives one office's (its
settings, its scoped storage, its buttons, its publishers).  A handler is given
the services of the office its update is for (``context.terbit``, chosen once
per update by ``handlers/offices.py::choose_office``): a button's office, else
the office its sender works in now.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
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
from services.staff.offices import OfficeView
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
    #: The office these services are for; None: the deployment's own (the workers, the roll-up).
    office: OfficeView | None = None
    #: The deployment's services (None: these are they).
    house: Terbit | None = field(default=None, repr=False)
    #: The deployment's offices, by id (read at start, and again when one is added).
    offices: dict[int, OfficeView] = field(default_factory=dict)
    #: Builds an office's services from the deployment's (set at composition).
    make_office: Callable[[Terbit, OfficeView], Terbit] | None = field(default=None, repr=False)
    _bound: dict[int, Terbit] = field(default_factory=dict, repr=False)
    #: The office each person works in now, as last read (Telegram id → office id).
    current: dict[int, int] = field(default_factory=dict, repr=False)

    async def run(self, use_case: Callable[Concatenate[Sessions, P], Awaitable[R]],
                  *args: P.args, **kwargs: P.kwargs) -> R:
        """One use case, in its own unit of work on this office's storage."""
        return await use_case(self.sessions, *args, **kwargs)

    async def across_offices(self, use_case: Callable[Concatenate[Sessions, P], Awaitable[R]],
                             *args: P.args, **kwargs: P.kwargs) -> R:
        """A use case of the deployment's (which office a person works in, adding an office): it is
        given the storage of every office and decides the office itself."""
        return await use_case(self.deployment.sessions, *args, **kwargs)

    @property
    def deployment(self) -> Terbit:
        return self.house or self

    @property
    def many_offices(self) -> bool:
        """More than one office: cards, notices and queues name theirs."""
        return len(self.deployment.offices) > 1

    def for_office(self, office_id: int) -> Terbit:
        """One office's services (built once per office)."""
        house = self.deployment
        found = house._bound.get(office_id)
        if found is None:
            office = house.offices.get(office_id)
            if office is None or house.make_office is None:
                raise LookupError(f"no office {office_id}")
            found = house._bound[office_id] = house.make_office(house, office)
        return found

    def know_offices(self, offices: Iterable[OfficeView]) -> None:
        """The deployment's offices as read now (an office's services, once built, stay)."""
        house = self.deployment
        house.offices = {o.id: o for o in offices}
        for office_id, bound in house._bound.items():
            if office_id in house.offices:
                bound.office = house.offices[office_id]

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

    #: The office this update is for (set before any handler runs); None: the deployment's (jobs).
    office_id: int | None = None

    @property
    def terbit(self) -> Terbit:
        """The services of the office this update is for (the deployment's in a job)."""
        house = terbit(self)
        return house if self.office_id is None else house.for_office(self.office_id)

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
