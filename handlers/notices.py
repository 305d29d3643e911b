"""Drawing what the bot owes people (services/postbox.py) as Telegram messages.

The postman hands each owed message here; its :class:`~domain.messaging.Notice`
picks the drawer, which renders the texts (bot/i18n) and buttons and sends
them.  A drawer returns the id of the message that carries buttons (so a
review card can be closed later), and raises :class:`~bot.postman.Obsolete`
when what it would say is no longer true.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode

from bot.context import Terbit
from domain.messaging import Notice
from handlers.common import Buttons, keyboard
from handlers.ops import Op
from services.postbox import Parcel

#: draw(terbit, bot, chat_id, params) -> the id of the message that carries the buttons.
Drawer = Callable[[Terbit, Bot, int, dict[str, Any]], Awaitable[int | None]]

DRAWERS: dict[Notice, Drawer] = {}


def drawer(*notices: Notice) -> Callable[[Drawer], Drawer]:
    """Register a drawer for these notices."""
    def register(fn: Drawer) -> Drawer:
        for n in notices:
            DRAWERS[n] = fn
        return fn
    return register


def encode_rows(t: Terbit, rows: list[list[list[Any]]] | None) -> Buttons | None:
    """Buttons kept in an owed message as [label, op, *args], encoded when it is sent."""
    if not rows:
        return None
    return [[(label, t.codec.encode(Op.named(op), *args)) for label, op, *args in row] for row in rows]


async def send_text(bot: Bot, chat_id: int, text: str, rows: Buttons | None = None) -> int:
    msg = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                                 disable_web_page_preview=True)
    return msg.message_id


@drawer(Notice.TEXT)
async def draw_text(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A ready text with its buttons: params {"text": html, and "markup": [[[label, data]]] (encoded)
    or "buttons": [[[label, op, *args]]] (encoded now)}."""
    rows = [[(label, data) for label, data in row] for row in params["markup"]] if params.get("markup") else None
    return await send_text(bot, chat_id, params["text"], rows or encode_rows(t, params.get("buttons")))


async def deliver(t: Terbit, bot: Bot, parcel: Parcel) -> int | None:
    """Draw and send one owed message (the postman's ``deliver``)."""
    draw = DRAWERS.get(parcel.notice)
    if draw is None:
        raise LookupError(f"no drawer for {parcel.notice}")
    return await draw(t, bot, parcel.chat_id, parcel.params)
