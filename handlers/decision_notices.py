"""How people are told of a decision: the writer's notice, the outcome on a
decided card, the Kepala's withdrawal card, and "nobody can review this"."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from domain.workflow import Action, State
from handlers.context import Terbit
from handlers.correction import writer_diff
from handlers.notices import send_text
from handlers.ops import Op
from handlers.publishing import where_lines
from handlers.render import TEXT_LIMIT, fmt, local_time
from services.reviewing import cards
from texts.id import common as C
from texts.id import publishing as P
from texts.id import review as R

#: The outcome a decided card shows instead of its buttons.
CARD_OUTCOMES = {
    Action.FORWARD: R.DONE_FORWARD,
    Action.RETURN: R.DONE_RETURN,
    Action.APPROVE: R.DONE_APPROVE,
    Action.CORRECT: R.DONE_CORRECTED,
    Action.UNSCHEDULE: R.DONE_UNSCHEDULED,
}


def scheduled_when(t: Terbit, params: dict[str, Any]) -> str:
    """When a scheduled approval goes live (or an announcement expired), in the office's words and zone."""
    return local_time(datetime.fromisoformat(params.get("publish_at") or params["expires_at"]), t.settings.timezone)


def _reviewer_role(params: dict[str, Any]) -> str:
    """Which reviewer decided, named as the writer knows them."""
    return C.ROLE_LABELS["kasubbag" if params.get("from_state") == State.WAIT_KASUBBAG else "kepala"]


def decision_text(t: Terbit, params: dict[str, Any]) -> tuple[str, list | None]:
    """The notice for the writer (or, for a withdrawal, the audience) and its buttons."""
    action, sid = Action(params["action"]), params["submission_id"]
    common = {"id": sid, "title": params.get("title", ""), "name": params.get("name", "")}
    if action == Action.FORWARD:
        return fmt(R.TO_WRITER_FORWARDED, **common), None
    if action == Action.RETURN:
        text = fmt(R.TO_WRITER_RETURNED, **common, role=_reviewer_role(params), note=params.get("note") or "")
        return text, [[(R.BTN_REVISE, t.codec.encode(Op.REVISE, sid))]]
    if action == Action.APPROVE and params.get("moved"):
        return fmt(R.TO_WRITER_RESCHEDULED, **common, when=scheduled_when(t, params)), None
    if action == Action.UNSCHEDULE:
        return fmt(R.TO_WRITER_UNSCHEDULED, **common), None
    if action == Action.APPROVE and params.get("publish_at"):
        return fmt(R.TO_WRITER_SCHEDULED, **common, when=scheduled_when(t, params)), None
    if action == Action.APPROVE:
        return fmt(R.TO_WRITER_APPROVED, **common), None
    if action == Action.CORRECT:
        field = (R.BTN_CORRECT_TITLE if params.get("field") == "title" else R.BTN_CORRECT_BODY).lower()
        text = fmt(R.TO_WRITER_CORRECTED, **common, field=field)
        changes = writer_diff(params.get("diff"))  # what the Kepala changed, as the reviewers see diffs
        return (f"{text}\n\n{changes}" if changes else text), None
    if action == Action.WITHDRAW:
        return fmt(P.WITHDRAW_CONFIRMED, **common), None
    if action == Action.EXPIRE:
        return fmt(R.EXPIRED_TOLD, **common, when=scheduled_when(t, params)), None
    if action == Action.KEEP_PUBLISHED:
        return fmt(P.WITHDRAW_KEPT, **common), None
    raise ValueError(f"no notice for {action}")


async def draw_decision(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The decision, told to the writer (withdrawals: to writer and admins)."""
    text, rows = decision_text(t, params)
    return await send_text(bot, chat_id, text, rows)


def decided_card(card: str | None, outcome: str, params: dict[str, Any]) -> str:
    """The card's own text with its outcome as the last line; a card whose text
    was not kept (or that would grow past Telegram's limit) keeps its header."""
    if card is None:
        card = fmt(R.CARD_DECIDED, id=params["submission_id"], title=params.get("title", ""))
    text = f"{card}\n\n{outcome}"
    if len(text) <= TEXT_LIMIT:
        return text
    # The first line is the card's header (balanced HTML); the rest is what the reviewer already read.
    return f"{card.split(chr(10), 1)[0]}\n…\n\n{outcome}"[:TEXT_LIMIT]


def card_outcome(t: Terbit, params: dict[str, Any], acting_for: str | None = None) -> str:
    """The line a decided card ends with: the decision, or (once live) where it was published;
    a decision taken by a Plh/Plt says for whom, as /riwayat does."""
    action = Action(params["action"])
    name = params.get("approved_by", "") if action == Action.PUBLISHED else params.get("name", "")
    if acting_for:
        name = R.DONE_BY_ACTING.format(name=name, principal=acting_for)  # escaped once, by fmt
    if action == Action.PUBLISHED:
        return "\n".join([fmt(R.DONE_PUBLISHED, name=name),
                          *where_lines(t, params.get("targets") or [], admin=False)])
    template = CARD_OUTCOMES[action]
    if params.get("publish_at"):  # Setujui & jadwalkan: the card says when it goes live
        template = R.DONE_SCHEDULED
    return fmt(template, name=name, note=params.get("note") or "",
               when=scheduled_when(t, params) if params.get("publish_at") else "")


async def draw_card_outcome(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A decided card: one edit writes the outcome under its text and takes its buttons away."""
    action = Action(params["action"])
    # The live card names the approval's Plh/Plt as its decided card did.
    record = await t.run(cards.decided_card, chat_id=chat_id, message_id=params["message_id"],
                                      action=Action.APPROVE if action == Action.PUBLISHED else action)
    outcome = card_outcome(t, params, record.acting_for)
    card = params.get("text") or record.text
    try:
        # No reply_markup: the edit removes the keyboard in the same call.
        await bot.edit_message_text(decided_card(card, outcome, params), chat_id=chat_id,
                                    message_id=params["message_id"], parse_mode=ParseMode.HTML,
                                    disable_web_page_preview=True)
    except BadRequest as exc:  # already shows it, or the reviewer deleted the message
        if not any(m in exc.message for m in ("not modified", "not found", "can't be edited")):
            raise
    return params["message_id"]


async def draw_no_reviewer(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """Nobody can review this yet: the writer is reassured, the admins are asked to fix it."""
    role = C.ROLE_LABELS[params["role"]]
    if params.get("to") == "writer":
        return await send_text(bot, chat_id, fmt(R.NO_REVIEWER_WRITER, id=params["submission_id"], role=role))
    return await send_text(bot, chat_id, fmt(R.NO_REVIEWER_ADMIN, id=params["submission_id"],
                                             title=params.get("title", ""), role=role))


async def draw_withdraw_request(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The Kepala is asked to confirm a withdrawal."""
    sid = params["submission_id"]
    rows = [[(P.BTN_CONFIRM_WITHDRAW, t.codec.encode(Op.WITHDRAW_DECIDE, sid, 1))],
            [(P.BTN_KEEP, t.codec.encode(Op.WITHDRAW_DECIDE, sid, 0))]]
    text = fmt(P.WITHDRAW_CARD, id=sid, title=params.get("title", ""), admin=params.get("name", ""),
               reason=params.get("note") or "")
    return await send_text(bot, chat_id, text, rows)
