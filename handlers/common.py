"""Small helpers every handler uses: who is this, how to reply, how to send."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler

from handlers.callbacks import BadCallback, Callback, pattern
from handlers.context import TerbitContext
from handlers.handling import HANDLING
from handlers.ops import Op
from handlers.render import fmt
from services.delivery import postbox
from services.staff.people import TelegramIdentity
from services.transitions.effects import Transitioned, Worker
from texts.id import common as C

log = logging.getLogger(__name__)

Buttons = Sequence[Sequence[tuple[str, str]]]


def identity(update: Update) -> TelegramIdentity:
    u = update.effective_user
    return TelegramIdentity(u.id, u.full_name or str(u.id), u.username)


#: A button whose "data" starts with this opens a Mini App at the rest (a web_app button, private
#: chats only): the review desk's (handlers/review_cards.py).  Callback data never starts with it.
WEB_APP = "web_app:"


def _button(text: str, data: str) -> InlineKeyboardButton:
    if data.startswith(WEB_APP):
        return InlineKeyboardButton(text, web_app=WebAppInfo(data.removeprefix(WEB_APP)))
    return InlineKeyboardButton(text, callback_data=data)


def rows_of(markup: InlineKeyboardMarkup | None) -> Buttons:
    """A message's keyboard read back as (label, data) rows (a web_app button as ``WEB_APP`` + its
    address), so it can be drawn again with :func:`keyboard`."""
    return [[(b.text, f"{WEB_APP}{b.web_app.url}" if b.web_app is not None else str(b.callback_data)) for b in row]
            for row in getattr(markup, "inline_keyboard", None) or ()]


def keyboard(rows: Buttons | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[_button(text, data) for text, data in row] for row in rows if row])


def button(context: TerbitContext, text: str, op: Op, *args: object) -> tuple[str, str]:
    return text, context.terbit.codec.encode(op, *args)


def on(callback, *ops: Op) -> CallbackQueryHandler:
    """A handler for presses of these buttons."""
    return CallbackQueryHandler(callback, pattern=pattern(*ops))


async def pressed(update: Update, context: TerbitContext, *ops: Op) -> Callback | None:
    """The verified callback data of this press, or None after telling the person
    the button is not recognised (forged, garbled, from another version)."""
    try:
        return context.terbit.codec.decode(update.callback_query.data, ops)
    except BadCallback:
        await answer(update, C.BUTTON_UNKNOWN, alert=True)
        return None


def apply(context: TerbitContext, outcome: Transitioned | None) -> None:
    """Carry out what a use case's outcome still needs from the bot: wake the
    workers that deliver the messages it recorded, publish, re-plan the clock."""
    if outcome is None:
        return
    wake(context, *outcome.wake)


def wake(context: TerbitContext, *workers: Worker) -> None:
    t = context.terbit
    for w in workers:
        t.wake(w)


def replies_key_prefix() -> str | None:
    """The key prefix under which the replies to the update being handled are owed
    (``Handling.next_reply_key``: bot and update), to retire them when a later update asks the same
    question anew."""
    handling = HANDLING.get()
    return handling.reply_prefix if handling is not None else None


async def retire_replies(context: TerbitContext, prefix: str) -> None:
    """The replies owed under ``prefix`` were superseded: unsent ones are not sent, sent ones lose their buttons."""
    for chat_id, message_id in await context.terbit.run(postbox.retire, prefix):
        await take_buttons(context, chat_id, message_id)


async def take_buttons(context: TerbitContext, chat_id: int, message_id: int) -> None:
    """A message whose buttons were used up (or superseded) keeps its text and loses its keyboard."""
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:  # no buttons left, or deleted: nothing to take away
        log.info("superseded message %s keeps what it has: %s", message_id, exc.message)


async def reply(update: Update, text: str, rows: Buttons | None = None) -> None:
    """Answer in the chat the update came from (message or button press).

    While an update is handled, the reply is owed durably (keyed by the
    update, so handling it again owes nothing new) and delivered at once;
    a Telegram outage leaves it to the postman's retries.  After
    :func:`answer_in_place`, the first reply replaces the pressed message."""
    chat = update.effective_chat
    handling = HANDLING.get()
    if handling is not None and handling.owe_reply is not None:
        params: dict[str, object] = {"text": text, "markup": [[[label, data] for label, data in row]
                                                              for row in rows or [] if row]}
        replaced = handling.take_replace(chat.id)
        if replaced is not None:
            params["edit"] = replaced
        await handling.owe_reply(handling, chat.id, params)
        return
    await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                            disable_web_page_preview=True)


async def answer_in_place(update: Update) -> None:
    """A button step's next question replaces the pressed message (one call
    instead of stripping its keyboard and sending a new one); if no reply
    follows, the keyboard is dropped when the update is done."""
    q = update.callback_query
    handling = HANDLING.get()
    if q is None or q.message is None or not getattr(q.message, "reply_markup", None):
        return
    if handling is None or handling.owe_reply is None:
        await drop_buttons(update)
        return
    if not handling.is_latest(q.message.chat.id, q.message.message_id):
        # Pressed on an older message: the answer goes at the bottom, where it is read.
        await handling.owe_reply(handling, q.message.chat.id, {"drop": q.message.message_id})
        return
    handling.replace = (q.message.chat.id, q.message.message_id)


async def edit(context: TerbitContext, chat_id: int, message_id: int, text: str,
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
    """Answer a button press exactly once.  Without a text of its own the popup
    names the button that was pressed: the next question may take a moment to
    arrive, and the person sees at once that the press counted."""
    q = update.callback_query
    if q is None:
        return
    if text is None:
        text = pressed_label(update)
    try:
        await q.answer(text, show_alert=alert)
    except BadRequest as exc:  # already answered or too old: nothing more to say
        log.info("callback answer refused: %s", exc.message)


def pressed_label(update: Update) -> str | None:
    """"✓ <the pressed button's label>", read from the message's keyboard."""
    q = update.callback_query
    markup = getattr(q.message, "reply_markup", None) if q is not None and q.message is not None else None
    for row in getattr(markup, "inline_keyboard", None) or ():
        for b in row:
            if q is not None and b.callback_data == q.data:
                return C.PRESSED.format(label=b.text)[:200]
    return None


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


#: Submission numbers are 32-bit in the database: anything larger names no submission.
MAX_NUMBER = 2**31 - 1


def id_arg(context: TerbitContext) -> int | None:
    """The submission number given after a command (``12`` or ``#12``); None when absent or not a number."""
    if not context.args:
        return None
    arg = context.args[0].lstrip("#")
    if arg.isascii() and arg.isdigit() and int(arg) <= MAX_NUMBER:
        return int(arg)
    return None


def bad_number(context: TerbitContext, command: str) -> str | None:
    """What to answer when the word after the command looks like a number but is none
    (19 digits, a "²"), else None."""
    if not context.args:
        return None
    arg = context.args[0].lstrip("#")
    if id_arg(context) is None and any(ch.isdigit() or ch.isnumeric() for ch in arg):
        return fmt(C.BAD_NUMBER, text=arg[:30], command=command)
    return None
