"""Who may talk to the bot, onboarding by invitation link, and help."""
from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import terbit
from bot.i18n.id import common as C
from domain.workflow import Role
from handlers.common import answer, identity, reply
from handlers.render import esc, fmt
from handlers.review_cards import send_review_cards
from services import people as people_svc
from services import review
from services.errors import ServiceError
from storage.models import Section


def _is_start_with_code(update: Update) -> bool:
    msg = update.effective_message
    return bool(msg and msg.text and msg.text.startswith("/start ") and update.callback_query is None)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: unregistered people get one polite answer, nothing else."""
    if update.effective_user is None or update.effective_chat is None:
        raise ApplicationHandlerStop
    if update.effective_chat.type != "private":
        raise ApplicationHandlerStop  # the bot works in private chats only
    if _is_start_with_code(update):
        return
    t = terbit(context)
    async with t.sessions.begin() as s:
        person = await people_svc.touch(s, identity(update))
    if person is None:
        if update.callback_query:
            await answer(update, C.NOT_ALLOWED, alert=True)
        else:
            await reply(update, C.NOT_REGISTERED)
        raise ApplicationHandlerStop


def help_text(roles: frozenset[Role]) -> str:
    parts = []
    if Role.WRITER in roles:
        parts.append(C.HELP_WRITER)
    if roles & {Role.KASUBBAG, Role.KEPALA, Role.ADMIN}:
        parts.append(C.HELP_REVIEWER)
    if Role.ADMIN in roles:
        parts.append(C.HELP_ADMIN)
    return "\n\n".join(parts)


def roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(C.ROLE_LABELS[r] for r in sorted(roles)) or "—"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    code = context.args[0] if context.args else None
    async with t.sessions.begin() as s:
        if code:
            try:
                person, inv = await people_svc.redeem_invitation(s, code, identity(update), t.now())
            except ServiceError as exc:
                person = await people_svc.by_telegram_id(s, update.effective_user.id)
                await reply(update, C.INVITE_ERRORS[exc.code] if person else
                            f"{C.INVITE_ERRORS[exc.code]}\n\n{C.NOT_REGISTERED}")
                return
            section = ""
            if inv.section_id:
                sec = await s.get(Section, inv.section_id)
                section = f" — bagian {esc(sec.name)}"
            await reply(update, C.INVITE_OK.format(role=esc(C.ROLE_LABELS[inv.role]), section=section))
        else:
            person = await people_svc.by_telegram_id(s, update.effective_user.id)
            if person is None:
                await reply(update, C.NOT_REGISTERED)
                return
        roles = people_svc.roles_of(person)
        name, person_id = person.full_name, person.id
        waiting = await review.waiting_for_role(s, Role(inv.role)) if code else []
    await reply(update, f"{fmt(C.WELCOME, name=name, roles=roles_text(roles))}\n\n{help_text(roles)}")
    # A new reviewer gets at once what has been waiting for their role.
    for sid in waiting:
        await send_review_cards(context, sid, only={person_id})


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    async with t.sessions() as s:
        person = await people_svc.by_telegram_id(s, update.effective_user.id)
        roles = people_svc.roles_of(person)
    await reply(update, help_text(roles))


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button no handler claims (garbled, forged, from an old version): say so, once."""
    await answer(update, C.BUTTON_UNKNOWN, alert=True)


async def unknown_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything no handler claimed (an unknown command, a sticker, /batal with nothing to cancel)."""
    if update.effective_message is None:
        return
    msg = update.effective_message
    known_kind = msg.text or msg.photo or msg.document or msg.voice or msg.audio or msg.video
    await reply(update, C.UNKNOWN_INPUT if known_kind else C.UNSUPPORTED_MESSAGE)


def catch_all() -> list:
    return [CallbackQueryHandler(unknown_button), MessageHandler(filters.ALL, unknown_message)]


def register(app) -> None:
    app.add_handler(TypeHandler(Update, gate), group=-1)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("bantuan", help_command))
    app.add_handler(CommandHandler("help", help_command))
