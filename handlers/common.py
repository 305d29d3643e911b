"""Small helpers every handler uses: who is this, how to reply, how to send."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.context import terbit
from bot.i18n.id import common as C
from handlers.callbacks import BadCallback, Callback
from services import people as people_svc
from services.people import TelegramIdentity
from storage.models import Person

log = logging.getLogger(__name__)

Buttons = Sequence[Sequence[tuple[str, str]]]


def identity(update: Update) -> TelegramIdentity:
    u = update.effective_user
    return TelegramIdentity(u.id, u.full_name or str(u.id), u.username)


def keyboard(rows: Buttons | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows if row]
    )


def button(context: ContextTypes.DEFAULT_TYPE, text: str, op: str, *args: object) -> tuple[str, str]:
    return text, terbit(context).codec.encode(op, *args)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, ops: dict[str, int]) -> Callback | None:
    """The verified callback data of this press, or None after telling the person
    the button is not recognised (forged, garbled, from another version)."""
    try:
        return terbit(context).codec.decode(update.callback_query.data, ops)
    except BadCallback:
        await answer(update, C.BUTTON_UNKNOWN, alert=True)
        return None


async def person_of(update: Update, context: ContextTypes.DEFAULT_TYPE, s) -> Person | None:
    return await people_svc.by_telegram_id(s, update.effective_user.id)


async def reply(update: Update, text: str, rows: Buttons | None = None) -> Message:
    """Answer in the chat the update came from (message or button press)."""
    chat = update.effective_chat
    return await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                                   disable_web_page_preview=True)


async def send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str,
               rows: Buttons | None = None) -> Message | None:
    """Send to someone who may never have written to the bot, or blocked it.

    Telegram refuses those (403); that must not break the flow for everyone
    else, so it is logged and skipped.
    """
    try:
        return await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                              reply_markup=keyboard(rows), disable_web_page_preview=True)
    except Forbidden as exc:
        log.warning("cannot message %s: %s", chat_id, exc.message)
        return None


async def edit(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int, text: str,
               rows: Buttons | None = None) -> None:
    """Edit a message; an edit that changes nothing, or of a deleted message, is not an error here."""
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                            parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                                            disable_web_page_preview=True)
    except BadRequest as exc:
        if "not modified" in exc.message or "not found" in exc.message:
            return
        raise
    except Forbidden as exc:
        log.warning("cannot edit in %s: %s", chat_id, exc.message)


async def answer(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer a button press exactly once."""
    q = update.callback_query
    if q is None:
        return
    try:
        await q.answer(text, show_alert=alert)
    except BadRequest as exc:  # already answered or too old: nothing more to say
        log.info("callback answer refused: %s", exc.message)


async def drop_buttons(update: Update) -> None:
    """Remove the keyboard of the message whose button was just pressed."""
    q = update.callback_query
    if q is None or q.message is None or not getattr(q.message, "reply_markup", None):
        return
    try:
        await q.edit_message_reply_markup(None)
    except BadRequest as exc:
        if "not modified" not in exc.message and "not found" not in exc.message:
            raise
