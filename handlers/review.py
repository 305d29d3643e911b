"""Review buttons (SOP steps 4 and 5) and the two things a reviewer types:
a return note, and the Kepala's correction.

Each handler decodes the press, calls one use case (services/reviewing/review.py),
lets :func:`~handlers.common.apply` wake what the outcome needs, and answers.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.workflow import Action, WorkflowError
from handlers import claims, comments, correction, schedule
from handlers.common import answer, apply, button, drop_buttons, on, pressed, reply
from handlers.context import Terbit, TerbitContext
from handlers.ops import Op
from handlers.render import fmt, state_label
from services.errors import ServiceError
from services.reviewing import cards, review
from texts.id import common as C
from texts.id import kip as K
from texts.id import review as R

NOTE = "note"
END = ConversationHandler.END

#: The decision each plain press records.
PRESS_ACTIONS = {Op.FORWARD: Action.FORWARD, Op.APPROVE: Action.APPROVE, Op.APPROVE_OPEN: Action.APPROVE}
POPUPS = {Action.FORWARD: R.POPUP_FORWARDED, Action.APPROVE: R.POPUP_APPROVED}

WORKFLOW_POPUPS = {
    "forbidden": C.NOT_ALLOWED,
    "own_submission": C.OWN_SUBMISSION,
    "not_author": C.NOT_ALLOWED,
    "note_required": R.NOTE_EMPTY,
    # UU 14/2008 Pasal 17: the workflow refuses every move toward the website for excepted information.
    "kip_excepted": K.EXCEPTED_POPUP,
}
#: Refusals that may only mean the item moved on (a Kasubbag may not return what waits for the
#: Kepala): when it did, the popup says who decided what, not "not allowed".
MOVED_ON_CODES = frozenset({"forbidden"})


def remember(context: TerbitContext, pending: dict[str, object]) -> None:
    """What the reviewer is about to type (kept in the persisted user_data across restarts)."""
    if context.user_data is not None:
        context.user_data["review"] = pending


async def refusal_for(t: Terbit, exc: Exception, telegram_id: int,
                      submission_id: int | None = None, revision_id: int | None = None) -> str:
    """Why a review decision records nothing, and what (if anything) to do now: the card's popup and
    the review desk's answer (handlers/desk/routes.py) say the same."""
    if isinstance(exc, ServiceError) and exc.code in R.REVIEW_ERRORS:  # someone else is on it
        return claims.claim_error(exc)
    code = exc.code if isinstance(exc, WorkflowError) else ""
    if (code in WORKFLOW_POPUPS and code not in MOVED_ON_CODES) or submission_id is None or revision_id is None:
        return WORKFLOW_POPUPS.get(code, C.BUTTON_STALE)
    why = await t.run(cards.refusal, submission_id=submission_id, revision_id=revision_id,
                      telegram_id=telegram_id, now=t.now())
    if code in WORKFLOW_POPUPS and not why.moved_on:  # not a press this person could ever have made here
        return WORKFLOW_POPUPS[code]
    return refusal_text(why)


async def _refuse(update: Update, context: TerbitContext, exc: Exception,
                  submission_id: int | None = None, revision_id: int | None = None) -> None:
    """One clear popup for a press that records nothing."""
    text = await refusal_for(context.terbit, exc, update.effective_user.id, submission_id, revision_id)
    await answer(update, text[:200], alert=True)


def refusal_text(why: cards.Refusal) -> str:
    """The popup for a review press that is no longer valid (plain text)."""
    if why.state is None:
        return R.POPUP_STALE_GONE.format(id=why.submission_id)
    if why.decision is not None:
        outcome = R.POPUP_OUTCOMES.get(why.decision.value, state_label(why.state).lower())
        if why.by_presser:
            return R.POPUP_DECIDED_BY_YOU.format(outcome=outcome)
        return R.POPUP_DECIDED.format(name=why.decided_by or C.ROLE_LABELS["sistem"], outcome=outcome)
    template = R.POPUP_STALE if why.earlier_round else R.POPUP_STALE_MOVED
    text = template.format(id=why.submission_id, state=state_label(why.state))
    return text + R.POPUP_USE_NEWEST if why.waits_for_review else text


async def on_decision(update: Update, context: TerbitContext) -> None:
    """Teruskan / Setujui: one press, one recorded decision."""
    cb = await pressed(update, context, *PRESS_ACTIONS)
    if cb is None:
        return
    t = context.terbit
    sid, rid, action = cb.int(0), cb.int(1), PRESS_ACTIONS[cb.op]
    if cb.op is Op.APPROVE and await comments.open_on(context, sid):
        # Open comments: the Kepala is asked once; "Tetap setujui" (Op.APPROVE_OPEN) approves.
        if await _may(update, context, sid, rid, action):
            await comments.ask_before_approving(update, context, sid, rid)
        return
    try:
        outcome = await t.run(review.decide_as, telegram_id=update.effective_user.id, submission_id=sid,
                                         revision_id=rid, action=action, note=None, now=t.now(), targets=t.targets)
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, context, exc, sid, rid)
        return
    await answer(update, POPUPS[action])
    apply(context, outcome)


async def on_status(update: Update, context: TerbitContext) -> None:
    """The outcome button of a card decided before outcomes were drawn as text: where the item is now."""
    cb = await pressed(update, context, Op.STATUS)
    if cb is None:
        return
    state = await context.terbit.run(review.state_of, cb.int(0))
    await answer(update, f"#{cb.int(0)}: {state_label(state) if state else '—'}")


async def _may(update: Update, context: TerbitContext, sid: int, rid: int, action: Action) -> bool:
    """Before asking for text: would the press be allowed right now?  Refuses with a popup if not."""
    t = context.terbit
    try:
        await t.run(review.check_may, telegram_id=update.effective_user.id, submission_id=sid,
                               revision_id=rid, action=action, now=t.now())
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, context, exc, sid, rid)
        return False
    return True


async def ask_return_note(update: Update, context: TerbitContext) -> str | None:
    """Kembalikan: asks for the note to the writer (required)."""
    cb = await pressed(update, context, Op.RETURN)
    if cb is None:
        return None
    sid, rid = cb.int(0), cb.int(1)
    if not await _may(update, context, sid, rid, Action.RETURN):
        return None
    remember(context, {"op": "return", "sid": sid, "rid": rid})
    await answer(update)
    rows = [[button(context, C.CANCEL, Op.REVIEW_CANCEL)]]
    question = fmt(R.ASK_RETURN_NOTE, id=sid)
    if n := await comments.open_on(context, sid):  # the open comments may be the note
        rows.insert(0, [button(context, R.BTN_RETURN_COMMENTS.format(n=n), Op.RETURN_COMMENTS, sid, rid)])
        question += "\n" + fmt(R.ASK_RETURN_OR_COMMENTS, n=n)
    await reply(update, question, rows)
    return NOTE


async def on_return_comments(update: Update, context: TerbitContext) -> int:
    """Kembalikan dengan N komentar terbuka: the return, its note built from the open comments."""
    cb = await pressed(update, context, Op.RETURN_COMMENTS)
    if cb is None:
        return END
    context.user_data.pop("review", None)
    t = context.terbit
    try:
        done = await t.run(review.return_with_comments, telegram_id=update.effective_user.id,
                                                 submission_id=cb.int(0), revision_id=cb.int(1), now=t.now(),
                                                 targets=t.targets)
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, context, exc, cb.int(0), cb.int(1))
        return END
    await answer(update, R.POPUP_RETURNED_COMMENTS.format(n=done.comments))
    await drop_buttons(update)
    apply(context, done.outcome)
    return END


async def on_note(update: Update, context: TerbitContext) -> str | int:
    """The return note: records the return; the conversation ends."""
    t = context.terbit
    pending = context.user_data.get("review") or {}
    note = (update.effective_message.text or "").strip()
    if pending.get("op") != "return":
        return END
    if not note:
        await reply(update, R.NOTE_EMPTY)
        return NOTE
    context.user_data.pop("review", None)
    try:
        outcome = await t.run(review.decide_as, telegram_id=update.effective_user.id,
                                         submission_id=pending["sid"], revision_id=pending["rid"],
                                         action=Action.RETURN, note=note, now=t.now(), targets=t.targets)
    except ServiceError as exc:
        await reply(update, claims.claim_error(exc) if exc.code in R.REVIEW_ERRORS else C.BUTTON_STALE)
        return END
    except WorkflowError as exc:
        await reply(update, WORKFLOW_POPUPS.get(exc.code, C.BUTTON_STALE))
        return END
    await reply(update, R.POPUP_RETURNED)
    apply(context, outcome)
    return END


async def ask_correction(update: Update, context: TerbitContext) -> str | int | None:
    """Koreksi and every button after it (a part to correct, Hapus, Simpan, Ubah lagi):
    checked against the workflow, then handled by handlers/correction.py."""
    cb = await pressed(update, context, *correction.OPS)
    if cb is None:
        return None
    if not await _may(update, context, cb.int(0), cb.int(1), Action.CORRECT):
        return None
    return await correction.press(update, context, cb)


async def on_correction(update: Update, context: TerbitContext) -> str | int | None:
    """A text for the part being corrected: joined, and the changes shown before Simpan."""
    return await correction.on_text(update, context)


async def on_cancel(update: Update, context: TerbitContext) -> int:
    """Batal: nothing recorded; the conversation ends."""
    context.user_data.pop("review", None)
    await answer(update)
    await reply(update, R.CANCELLED)
    return END


def build() -> list[BaseHandler]:
    text = filters.TEXT & ~filters.COMMAND
    conversation = ConversationHandler(
        name="review",
        persistent=True,
        allow_reentry=True,
        entry_points=[on(ask_return_note, Op.RETURN), on(ask_correction, *correction.OPS)],
        states={
            NOTE: [MessageHandler(text, on_note), on(on_return_comments, Op.RETURN_COMMENTS)],
            correction.PICK: [MessageHandler(text, correction.on_pick_text)],
            correction.CORRECTION: [MessageHandler(text, on_correction)],
        },
        fallbacks=[on(on_cancel, Op.REVIEW_CANCEL), CommandHandler("batal", on_cancel)],
    )
    return [conversation, *schedule.build(), *claims.build(), on(on_decision, *PRESS_ACTIONS), on(on_status, Op.STATUS),
            on(on_cancel, Op.REVIEW_CANCEL)]
