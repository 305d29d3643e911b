"""Drawing what the SOP clock owes people (services/sop_clock/reminders.py): the
escalation of an item past twice its standard, and the reminders about a
returned, forgotten or abandoned draft.  Review reminders are review cards
(handlers/review_cards.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Bot

from domain.standard_times import step_for_state
from domain.workflow import State
from handlers.common import Buttons
from handlers.context import Terbit
from handlers.notices import send_text
from handlers.ops import Op
from handlers.render import fmt, local_time
from services.delivery.postbox import Obsolete
from services.sop_clock import reminders
from texts.id import clock as T
from texts.id import review as R


async def draw_escalation(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """Past twice the standard: what waits, for whom, and its clock now (obsolete once decided)."""
    sid, state, since = params["submission_id"], State(params["state"]), datetime.fromisoformat(params["since"])
    step = step_for_state(state)
    if step is None or not await t.run(reminders.still_waiting, submission_id=sid, state=state, since=since):
        raise Obsolete(f"#{sid} no longer waits in {state}")
    clock = T.render_clock(t.calendar, since, t.now(), t.standards[step])
    text = fmt(T.ESCALATION, id=sid, title=params.get("title", ""), step=step.label,
               who=", ".join(params.get("who") or []) or T.NOBODY, clock=clock)
    return await send_text(bot, chat_id, text)


def _draft_reminder(t: Terbit, params: dict[str, Any]) -> tuple[str, Buttons | None]:
    """The writer's reminder about a draft, by its ``kind``, with the button that resumes it."""
    sid, title, kind = params["submission_id"], params.get("title", ""), params["kind"]
    since = local_time(datetime.fromisoformat(params["since"]), t.settings.timezone)
    if kind == reminders.DRAFT_RETURNED:
        return (fmt(T.REMINDER_RETURNED, id=sid, title=title, since=since),
                [[(R.BTN_REVISE, t.codec.encode(Op.REVISE, sid))]])
    if kind == reminders.DRAFT_WARNING:
        until = T.format_date(t.office_hours.local(datetime.fromisoformat(params["until"])))
        return (fmt(T.ABANDON_WARNING, id=sid, title=title, since=since, until=until),
                [[(T.BTN_CONTINUE, t.codec.encode(Op.RESUME, sid))]])
    if kind == reminders.DRAFT_ABANDONED:
        return fmt(T.ABANDONED, id=sid, title=title), None
    raise ValueError(f"no draft reminder of kind {kind!r}")


async def draw_draft_reminder(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A returned draft still waits, a draft is about to be archived, or was."""
    text, rows = _draft_reminder(t, params)
    return await send_text(bot, chat_id, text, rows)
