"""Review buttons (SOP steps 4 and 5) and the two things a reviewer types:
a return note, and the Kepala's correction."""
from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import terbit
from bot.i18n.id import common as C
from bot.i18n.id import review as R
from domain.workflow import Action, State, WorkflowError, decide
from handlers.common import answer, button, pressed, reply, send
from handlers.publishing import kick_outbox
from handlers.render import esc, fmt, state_label
from handlers.review_cards import close_cards, send_review_cards
from services import acting, review
from services.errors import ServiceError
from services.people import by_telegram_id
from storage.models import Revision, Submission

OPS = {"rf": 2, "rr": 2, "ra": 2, "rc": 2, "rcf": 3, "rx": 0, "st": 1}
NOTE, CORRECTION = "note", "correction"
END = ConversationHandler.END

WORKFLOW_POPUPS = {
    "forbidden": C.NOT_ALLOWED,
    "own_submission": C.OWN_SUBMISSION,
    "not_author": C.NOT_ALLOWED,
    "note_required": R.NOTE_EMPTY,
}


async def _refuse(update: Update, context, exc: Exception, submission_id: int | None = None) -> None:
    """One clear popup for a press that records nothing."""
    if isinstance(exc, WorkflowError) and exc.code in WORKFLOW_POPUPS:
        await answer(update, WORKFLOW_POPUPS[exc.code], alert=True)
        return
    state = None
    if submission_id is not None:
        async with terbit(context).sessions() as s:
            sub = await s.get(Submission, submission_id)
            state = sub.state if sub else None
    text = R.POPUP_ALREADY.format(state=state_label(state)) if state else C.BUTTON_STALE
    await answer(update, text, alert=True)


async def _decide(update: Update, context, sid: int, rid: int, action: Action, note: str | None):
    t = terbit(context)
    async with t.sessions.begin() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        decision = await review.decide_on(s, submission_id=sid, revision_id=rid, person=person, action=action,
                                          note=note, now=t.now(), targets=t.targets)
        sub = await s.get(Submission, sid)
        rev = await s.get(Revision, rid)
        info = {"name": person.full_name, "title": rev.title or "", "writer": sub.author.telegram_id,
                "role": C.ROLE_LABELS[person_role(decision)]}
    return decision, info


def person_role(decision) -> str:
    return "kasubbag" if decision.from_state == State.WAIT_KASUBBAG else "kepala"


async def _after(context, decision, info) -> None:
    """Tell people, close the cards, move the item to its next hands."""
    sid = decision.submission_id
    if decision.action == Action.FORWARD:
        await close_cards(context, sid, fmt(R.DONE_FORWARD, name=info["name"]))
        await send(context, info["writer"], fmt(R.TO_WRITER_FORWARDED, id=sid, title=info["title"], name=info["name"]))
        await send_review_cards(context, sid)
    elif decision.action == Action.RETURN:
        await close_cards(context, sid, fmt(R.DONE_RETURN, name=info["name"], note=decision.note)
                          .replace("<i>", "").replace("</i>", ""))
        await send(context, info["writer"], fmt(R.TO_WRITER_RETURNED, id=sid, title=info["title"], role=info["role"],
                                                name=info["name"], note=decision.note),
                   [[button(context, R.BTN_REVISE, "rv", sid)]])
    elif decision.action == Action.APPROVE:
        await close_cards(context, sid, fmt(R.DONE_APPROVE, name=info["name"]))
        await send(context, info["writer"], fmt(R.TO_WRITER_APPROVED, id=sid, title=info["title"], name=info["name"]))
        kick_outbox(context)


async def on_decision(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Teruskan / Setujui: one press, one recorded decision."""
    cb = await pressed(update, context, OPS)
    if cb is None:
        return
    sid, rid = cb.int(0), cb.int(1)
    action = {"rf": Action.FORWARD, "ra": Action.APPROVE}[cb.op]
    try:
        decision, info = await _decide(update, context, sid, rid, action, None)
    except (WorkflowError, ServiceError) as exc:
        await _refuse(update, context, exc, sid)
        return
    await answer(update, R.POPUP_FORWARDED if action == Action.FORWARD else R.POPUP_APPROVED)
    await _after(context, decision, info)


async def on_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The outcome button on a decided card: shows where the item is now."""
    cb = await pressed(update, context, OPS)
    if cb is None:
        return
    async with terbit(context).sessions() as s:
        sub = await s.get(Submission, cb.int(0))
    await answer(update, f"#{cb.int(0)}: {state_label(sub.state) if sub else '—'}")


async def _check_can(update: Update, context, sid: int, rid: int, action: Action) -> bool:
    """Before asking for text, check the press would be allowed right now."""
    t = terbit(context)
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        sub = await s.get(Submission, sid)
        try:
            if sub is None or sub.current_revision_id != rid:
                raise WorkflowError("not_allowed")
            actor, _ = await acting.actor_at(s, person, t.now())  # a Plh/Plt may decide too
            decide(State(sub.state), action, actor, author_id=sub.author_id, note="-")
        except WorkflowError as exc:
            await _refuse(update, context, exc, sid if sub else None)
            return False
    return True


async def ask_return_note(update: Update, context: ContextTypes.DEFAULT_TYPE):
    cb = await pressed(update, context, OPS)
    if cb is None:
        return None
    sid, rid = cb.int(0), cb.int(1)
    if not await _check_can(update, context, sid, rid, Action.RETURN):
        return None
    context.user_data["review"] = {"op": "return", "sid": sid, "rid": rid}
    await answer(update)
    await reply(update, fmt(R.ASK_RETURN_NOTE, id=sid), [[button(context, C.CANCEL, "rx")]])
    return NOTE


async def on_note(update: Update, context: ContextTypes.DEFAULT_TYPE):
    pending = context.user_data.get("review") or {}
    note = (update.effective_message.text or "").strip()
    if pending.get("op") != "return":
        return END
    if not note:
        await reply(update, R.NOTE_EMPTY)
        return NOTE
    try:
        decision, info = await _decide(update, context, pending["sid"], pending["rid"], Action.RETURN, note)
    except (WorkflowError, ServiceError) as exc:
        context.user_data.pop("review", None)
        code = getattr(exc, "code", "")
        await reply(update, WORKFLOW_POPUPS.get(code, C.BUTTON_STALE))
        return END
    context.user_data.pop("review", None)
    await reply(update, R.POPUP_RETURNED)
    await _after(context, decision, info)
    return END


async def ask_correction(update: Update, context: ContextTypes.DEFAULT_TYPE):
    cb = await pressed(update, context, OPS)
    if cb is None:
        return None
    sid, rid = cb.int(0), cb.int(1)
    if not await _check_can(update, context, sid, rid, Action.CORRECT):
        return None
    await answer(update)
    if cb.op == "rc":
        await reply(update, fmt(R.ASK_CORRECT_FIELD, id=sid), [[
            button(context, R.BTN_CORRECT_TITLE, "rcf", sid, rid, "title"),
            button(context, R.BTN_CORRECT_BODY, "rcf", sid, rid, "body"),
        ], [button(context, C.CANCEL, "rx")]])
        return None
    field = cb.args[2]
    if field not in ("title", "body"):
        return None
    context.user_data["review"] = {"op": "correct", "sid": sid, "rid": rid, "field": field}
    async with terbit(context).sessions() as s:
        rev = await s.get(Revision, rid)
        current = (rev.title if field == "title" else rev.body) or ""
    label = R.BTN_CORRECT_TITLE if field == "title" else R.BTN_CORRECT_BODY
    await reply(update, fmt(R.ASK_CORRECT_TEXT, field=label.lower()), [[button(context, C.CANCEL, "rx")]])
    # The current text on its own, so the Kepala can copy it, fix it, send it back.
    await reply(update, esc(current[:4000]))
    return CORRECTION


async def on_correction(update: Update, context: ContextTypes.DEFAULT_TYPE):
    t = terbit(context)
    pending = context.user_data.get("review") or {}
    if pending.get("op") != "correct":
        return END
    text = update.effective_message.text or ""
    try:
        async with t.sessions.begin() as s:
            person = await by_telegram_id(s, update.effective_user.id)
            rev = await review.correct(s, submission_id=pending["sid"], revision_id=pending["rid"], person=person,
                                       field=pending["field"], text=text, now=t.now())
            sub = await s.get(Submission, pending["sid"])
            writer, name = sub.author.telegram_id, person.full_name
    except ServiceError as exc:
        await reply(update, C.ERRORS.get(exc.code, C.GENERIC_ERROR))
        return CORRECTION
    except WorkflowError as exc:
        context.user_data.pop("review", None)
        await reply(update, WORKFLOW_POPUPS.get(exc.code, C.BUTTON_STALE))
        return END
    context.user_data.pop("review", None)
    field = (R.BTN_CORRECT_TITLE if pending["field"] == "title" else R.BTN_CORRECT_BODY).lower()
    await reply(update, R.POPUP_CORRECTED)
    await close_cards(context, sub.id, fmt(R.DONE_CORRECTED, name=name))
    await send(context, writer, fmt(R.TO_WRITER_CORRECTED, id=sub.id, title=rev.title, name=name, field=field))
    await send_review_cards(context, sub.id)
    return END


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE):
    context.user_data.pop("review", None)
    await answer(update)
    await reply(update, R.CANCELLED)
    return END


def build() -> list:
    def cb(fn, *ops):
        return CallbackQueryHandler(fn, pattern=rf"^1:(?:{'|'.join(ops)}):")

    text = filters.TEXT & ~filters.COMMAND
    conversation = ConversationHandler(
        name="review",
        persistent=True,
        allow_reentry=True,
        entry_points=[cb(ask_return_note, "rr"), cb(ask_correction, "rc", "rcf")],
        states={
            NOTE: [MessageHandler(text, on_note)],
            CORRECTION: [MessageHandler(text, on_correction)],
        },
        fallbacks=[cb(on_cancel, "rx"), CommandHandler("batal", on_cancel)],
    )
    return [conversation, cb(on_decision, "rf", "ra"), cb(on_status, "st"), cb(on_cancel, "rx")]
