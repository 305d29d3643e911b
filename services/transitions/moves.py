"""One move of a submission, the only way any path changes its state.

:func:`move` sees the actor as the workflow does at that moment (a Plh/Plt
too), gives the workflow every fact its rules need (whether the article is
live, its public-information class), records the audit event with the state
change, and realises what the effects table says the transition causes — all
in the caller's transaction.  A rule therefore holds on every path that moves
an item: now or scheduled, from a button, a typed note, a correction, an
update, a sweep of the SOP clock or the outbox.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from domain.kip import KipClass
from domain.workflow import SYSTEM, Action, Role, Transition, WorkflowError, decide, needs_class
from services.staff import acting
from services.transitions.audit import record
from services.transitions.effects import Circumstances, Transitioned, realise
from services.writing import kip
from storage.models import AuditEvent, Person, Submission


async def judged(s: AsyncSession, sub: Submission, action: Action, *, by: Person | None, now: datetime,
                 note: str | None = None) -> tuple[Transition, KipClass | None, dict[Role, int]]:
    """The workflow's verdict on one move, given every fact its rules need (nothing recorded): the
    transition, the class it was decided with, and for which roles the actor is a Plh/Plt.
    Raises :class:`WorkflowError`."""
    acting_for: dict[Role, int] = {}
    if by is None:
        actor = SYSTEM
    else:
        actor, acting_for = await acting.actor_at(s, by, now)  # Plh/Plt roles at this moment
    cls = await kip.effective(s, sub) if needs_class(sub.state, action) else None
    t = decide(sub.state, action, actor, author_id=sub.author_id, note=note,
               live=sub.published_revision_id is not None, kip_class=cls)
    return t, cls, acting_for


async def decided(s: AsyncSession, sub: Submission, action: Action, *, by: Person | None, now: datetime,
                  note: str | None = None, revision_id: int | None = None) -> tuple[Transition, AuditEvent]:
    """Decide and record one move (no effects): the audit event names ``revision_id``
    (default: the current revision).  Raises :class:`WorkflowError`."""
    t, cls, acting_for = await judged(s, sub, action, by=by, now=now, note=note)
    if cls is not None and sub.kip_class is None:
        sub.kip_class = cls  # fixed as it moves toward the public: a later change of the default does not move it
    try:
        event = await record(s, sub, t, revision_id or sub.current_revision_id, now)
    except StaleDataError as exc:
        # Another reviewer (maybe in another bot process) decided in between.  SQLite has
        # no FOR UPDATE, so the versioned UPDATE is what notices.
        raise WorkflowError("not_allowed", "decided concurrently") from exc
    event.acting_for_id = acting_for.get(t.role)  # "as Plh of <name>" in the audit trail
    return t, event


async def move(s: AsyncSession, sub: Submission, action: Action, *, by: Person | None, now: datetime, title: str,
               note: str | None = None, revision_id: int | None = None,
               given: Circumstances | None = None) -> Transitioned:
    """Decide, record and cause one move, in the caller's transaction."""
    t, event = await decided(s, sub, action, by=by, now=now, note=note, revision_id=revision_id)
    return await realise(s, sub, t, event, actor=by, title=title, now=now, given=given)
