"""After publication: /perbarui (update a live article), /tarik (withdraw,
confirmed by the Kepala), /terbitan (publications per target)."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import common as C
from bot.i18n.id import publishing as P
from domain.workflow import Role, WorkflowError
from handlers import drafting
from handlers.common import answer, button, drop_buttons, pressed, reply, send
from handlers.publishing import kick_outbox
from handlers.render import fmt, state_label
from services import drafts, updates
from services.errors import ServiceError
from services.people import by_telegram_id, people_with_role, roles_of
from storage.models import Revision, Submission

WORKFLOW_TEXTS = {"forbidden": C.NOT_ALLOWED, "not_author": C.NOT_ALLOWED, "own_submission": C.OWN_SUBMISSION}


def _id_arg(context) -> int | None:
    if context.args and context.args[0].lstrip("#").isdigit():
        return int(context.args[0].lstrip("#"))
    return None


async def _title(s, sub: Submission) -> str:
    rev = await s.get(Revision, sub.published_revision_id or sub.current_revision_id)
    return rev.title or ""


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """Enters the drafting conversation at the preview of the new revision."""
    t = terbit(context)
    sid = _id_arg(context)
    if sid is None:
        await reply(update, P.UPDATE_USAGE)
        return None
    try:
        async with t.sessions.begin() as s:
            person = await by_telegram_id(s, update.effective_user.id)
            sub = await updates.start_update(s, sid, person, t.now())
            title = await _title(s, sub)
            d = await drafts.load(s, sid)
    except ServiceError:
        await reply(update, fmt(C.NOT_FOUND, id=sid))
        return None
    except WorkflowError as exc:
        await reply(update, WORKFLOW_TEXTS.get(exc.code, C.BUTTON_STALE))
        return None
    await reply(update, fmt(P.UPDATE_STARTED, id=sid, title=title))
    return await drafting.ask(update, context, d, person, drafting.PREVIEW)


async def withdraw_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    sid = _id_arg(context)
    reason = " ".join((context.args or [])[1:]).strip()
    if sid is None or not reason:
        await reply(update, P.WITHDRAW_USAGE)
        return
    try:
        async with t.sessions.begin() as s:
            admin = await by_telegram_id(s, update.effective_user.id)
            sub = await updates.request_withdrawal(s, sid, admin, reason, t.now())
            title = await _title(s, sub)
            kepalas = [p for p in await people_with_role(s, Role.KEPALA)]
            admin_name = admin.full_name
    except ServiceError:
        await reply(update, fmt(C.NOT_FOUND, id=sid))
        return
    except WorkflowError as exc:
        await reply(update, C.ADMIN_ONLY if exc.code == "forbidden" else C.BUTTON_STALE)
        return
    rows = [[button(context, P.BTN_CONFIRM_WITHDRAW, "wd", sid, 1)], [button(context, P.BTN_KEEP, "wd", sid, 0)]]
    sent = 0
    for k in kepalas:
        if await send(context, k.telegram_id, fmt(P.WITHDRAW_CARD, id=sid, title=title, admin=admin_name,
                                                  reason=reason), rows):
            sent += 1
    await reply(update, fmt(P.WITHDRAW_REQUESTED, id=sid) if sent else P.NO_KEPALA)


async def on_withdraw_decision(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    cb = await pressed(update, context, {"wd": 2})
    if cb is None:
        return
    sid, confirm = cb.int(0), cb.args[1] == "1"
    try:
        async with t.sessions.begin() as s:
            kepala = await by_telegram_id(s, update.effective_user.id)
            sub, _reason = await updates.decide_withdrawal(s, sid, kepala, confirm, t.now(), t.targets)
            title = await _title(s, sub)
            audience = {sub.author.telegram_id} | {p.telegram_id for p in await people_with_role(s, Role.ADMIN)}
            name = kepala.full_name
    except (WorkflowError, ServiceError) as exc:
        code = getattr(exc, "code", "")
        await answer(update, WORKFLOW_TEXTS.get(code, C.BUTTON_STALE), alert=True)
        return
    await answer(update, P.POPUP_WITHDRAW_CONFIRMED if confirm else P.POPUP_WITHDRAW_KEPT)
    await drop_buttons(update)
    text = fmt(P.WITHDRAW_CONFIRMED if confirm else P.WITHDRAW_KEPT, id=sid, title=title, name=name)
    for chat_id in audience:
        await send(context, chat_id, text)
    if confirm:
        kick_outbox(context)


async def publications_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        if not roles_of(person) & {Role.ADMIN, Role.KEPALA, Role.KASUBBAG}:
            await reply(update, C.ADMIN_ONLY)
            return
        items = await updates.publications(s)
        lines = [P.PUBLICATIONS_HEADER]
        rows = []
        for sub, jobs in items:
            lines.append(fmt(P.PUBLICATION_ITEM, id=sub.id, title=await _title(s, sub), state=state_label(sub.state)))
            for job in jobs:
                detail = job.url or (job.remote or {}).get("path") or job.last_error or state_label(job.state)
                lines.append(fmt(P.JOB_LINE, mark=P.JOB_MARKS.get(job.state, "•"),
                                 label=t.target_labels.get(job.target, job.target),
                                 op=P.OP_WITHDRAW if job.operation == "withdraw" else "", detail=detail))
                if job.state == "failed" and Role.ADMIN in roles_of(person):
                    rows.append([button(context, f"🔄 #{sub.id} {t.target_labels.get(job.target, job.target)}"[:60],
                                        "pr8", job.id)])
    text = "\n".join(lines) if items else P.PUBLICATIONS_EMPTY
    while len(text) > 4000:
        lines.pop()
        text = "\n".join(lines)
    await reply(update, text, rows[:20])


def build() -> list:
    return [
        CommandHandler("tarik", withdraw_command),
        CommandHandler("terbitan", publications_command),
        CallbackQueryHandler(on_withdraw_decision, pattern=r"^1:wd:"),
    ]
