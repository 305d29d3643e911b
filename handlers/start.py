"""Who may talk to the bot, onboarding by invitation link, and help."""
from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from domain.workflow import Role
from handlers import menus
from handlers.common import answer, identity, reply, wake
from handlers.context import TerbitContext
from handlers.render import esc, fmt
from services.staff import offices, onboarding
from services.staff import people as people_svc
from services.transitions.effects import Worker
from texts.id import common as C


def _is_start_with_code(update: Update) -> bool:
    msg = update.effective_message
    return bool(msg and msg.text and msg.text.startswith("/start ") and update.callback_query is None)


async def gate(update: Update, context: TerbitContext) -> None:
    """Runs before every handler: unregistered people get one polite answer, nothing else."""
    if update.effective_user is None or update.effective_chat is None:
        raise ApplicationHandlerStop
    if update.effective_chat.type != "private":
        raise ApplicationHandlerStop  # the bot works in private chats only
    if _is_start_with_code(update):
        return
    if not await context.terbit.run(people_svc.admit, identity(update)):
        if update.callback_query:
            await answer(update, C.NOT_ALLOWED, alert=True)
        else:
            await reply(update, C.NOT_REGISTERED)
        raise ApplicationHandlerStop


def roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(C.ROLE_LABELS[r] for r in sorted(roles)) or "—"


def welcome(me: people_svc.Me) -> str:
    return f"{fmt(C.WELCOME, name=me.full_name, roles=roles_text(me.roles))}\n\n{menus.help_text(me.roles)}"


def joined_texts(me: people_svc.Me, role: Role, section: str | None) -> list[str]:
    """What a person who just joined reads: the role they joined in, then the welcome with help."""
    where = f" — bagian {esc(section)}" if section else ""
    return [C.INVITE_OK.format(role=esc(C.ROLE_LABELS[role]), section=where), welcome(me)]


async def start(update: Update, context: TerbitContext) -> None:
    """/start: welcome with help; /start <code>: join by invitation first."""
    t = context.terbit
    if context.args:
        await _join(update, context, context.args[0])
        return
    me = await t.run(people_svc.whoami, update.effective_user.id)
    await reply(update, welcome(me) if me else C.NOT_REGISTERED)
    if me:  # e.g. an admin from ADMIN_IDS who opens the bot for the first time: now their menu can be set
        await menus.refresh_for(context, telegram_id=update.effective_user.id)


async def _join(update: Update, context: TerbitContext, code: str) -> None:
    """Redeem the link: the welcome, then (to a new reviewer) what already waits for their role,
    both owed by the use case in that order and delivered by the postman."""
    t = context.terbit
    joined = await t.across_offices(onboarding.join, code=code, who=identity(update), now=t.now(),
                                    welcome=joined_texts)
    if isinstance(joined, onboarding.Refused):
        error = C.INVITE_ERRORS[joined.code]
        await reply(update, error if joined.registered else f"{error}\n\n{C.NOT_REGISTERED}")
        return
    # Joining an office makes it the one this person works in: the rest of this update is its.
    house = t.deployment
    house.current.pop(update.effective_user.id, None)
    joined_office = await house.across_offices(offices.current_office, telegram_id=update.effective_user.id)
    if joined_office is not None and joined_office in house.offices:
        context.office_id = joined_office
    wake(context, Worker.POSTMAN)
    await menus.refresh_for(context, person_ids=[joined.me.id])  # the commands of the role just taken


async def help_command(update: Update, context: TerbitContext) -> None:
    """/bantuan: what this person's roles can do."""
    roles = await context.terbit.run(people_svc.roles_for, update.effective_user.id)
    await reply(update, menus.help_text(roles))


async def unknown_button(update: Update, context: TerbitContext) -> None:
    """A button no handler claims (garbled, forged, from an old version): say so, once."""
    await answer(update, C.BUTTON_UNKNOWN, alert=True)


async def unknown_message(update: Update, context: TerbitContext) -> None:
    """Anything no handler claimed (an unknown command, a sticker, /batal with nothing to cancel)."""
    if update.effective_message is None:
        return
    msg = update.effective_message
    known_kind = msg.text or msg.photo or msg.document or msg.voice or msg.audio or msg.video
    await reply(update, C.UNKNOWN_INPUT if known_kind else C.UNSUPPORTED_MESSAGE)


async def nothing_to_cancel(update: Update, context: TerbitContext) -> None:
    """/batal with no question open (an open one is left by its conversation's own /batal)."""
    await reply(update, C.NOTHING_TO_CANCEL)


def catch_all() -> list[BaseHandler]:
    return [CallbackQueryHandler(unknown_button), CommandHandler("batal", nothing_to_cancel),
            MessageHandler(filters.ALL, unknown_message)]


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, gate), group=-2)  # before everything (comments: -1)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("bantuan", help_command))
    app.add_handler(CommandHandler("help", help_command))
