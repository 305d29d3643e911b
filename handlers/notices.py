"""What every drawer shares: the ``Drawer`` signature, sending a text, the plain-text notice.

A drawer renders one owed message (services/delivery/postbox.py) from its texts (texts/id/) and
buttons and sends it; it returns the id of the message that carries buttons (so a review card
can be closed later), and raises :class:`~services.delivery.postbox.Obsolete` when what it would say is
no longer true.  Which drawer draws which :class:`~domain.messaging.Notice` is one table,
handlers/drawers.py.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from handlers.common import Buttons, keyboard
from handlers.context import Terbit
from handlers.render import TEXT_LIMIT

log = logging.getLogger(__name__)

#: draw(terbit, bot, chat_id, params) -> the id of the message that carries the buttons.
Drawer = Callable[[Terbit, Bot, int, dict[str, Any]], Awaitable[int | None]]

#: While a notice about an office's item is drawn in a deployment of several offices: the line
#: that names the office, first in what is sent (handlers/drawers.py sets it).
OFFICE_LINE: ContextVar[str] = ContextVar("office_line", default="")


async def send_text(bot: Bot, chat_id: int, text: str, rows: Buttons | None = None) -> int:
    named = OFFICE_LINE.get()
    if named and len(named) + 1 + len(text) <= TEXT_LIMIT:
        text = f"{named}\n{text}"
    msg = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                                 disable_web_page_preview=True)
    return msg.message_id


async def draw_text(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A ready text with its buttons: params {"text": html, "markup": [[[label, data]]]}; or
    {"drop": message_id}: the buttons of a pressed message nothing replaced."""
    if "drop" in params:  # a pressed keyboard nothing replaced
        await _quietly(bot.edit_message_reply_markup(chat_id, params["drop"], reply_markup=None))
        return None
    rows: Buttons | None = [[(label, data) for label, data in row] for row in params.get("markup") or []] or None
    if "edit" in params:
        try:
            await bot.edit_message_text(params["text"], chat_id=chat_id, message_id=params["edit"],
                                        parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                                        disable_web_page_preview=True)
            return int(params["edit"])
        except BadRequest as exc:
            if "not modified" in exc.message:
                return int(params["edit"])
            # Too old to edit, or deleted: say it as a new message.
            log.info("could not edit %s in %s (%s); sending anew", params["edit"], chat_id, exc.message)
    return await send_text(bot, chat_id, params["text"], rows)


async def _quietly(edit: Awaitable[object]) -> None:
    """An edit whose failure changes nothing for the person (already so, or deleted)."""
    try:
        await edit
    except BadRequest as exc:
        if "not modified" not in exc.message and "not found" not in exc.message:
            raise
