"""The application's error handler: log it, tell the person the truth, lose nothing.

When the failure is in storage (disk full, database locked past its
timeout, the database unreachable), what the person just sent was *not*
saved: they are told so plainly and asked to send it again, and the admins
are alerted once (not once per message).
"""
from __future__ import annotations

import errno
import logging
import time

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.common import answer
from handlers.context import terbit
from handlers.render import fmt
from services.postbox import admins_chats
from texts.id import common as C

log = logging.getLogger(__name__)

#: Storage trouble is told to the admins at most this often.
ALERT_EVERY = 30 * 60
_ALERTED = "storage_alerted_at"
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}


def is_storage_failure(exc: BaseException | None) -> bool:
    """Whether saving failed for a reason outside the person's input."""
    while exc is not None:
        if isinstance(exc, OperationalError | DBAPIError):
            return True
        if isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error and tell the person what happened to what they sent."""
    storage = is_storage_failure(context.error)
    log.error("unhandled error%s", " (storage)" if storage else "", exc_info=context.error)
    if storage:
        await _alert_admins(context)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = C.NOT_SAVED if storage else C.GENERIC_ERROR
    try:
        if update.callback_query:
            await answer(update, text.replace("<b>", "").replace("</b>", ""), alert=True)
        else:
            # Straight to Telegram: the postbox lives in the storage that may be failing.
            await context.bot.send_message(update.effective_chat.id, text, parse_mode=ParseMode.HTML)
    except Exception:  # the error report itself must never raise
        log.exception("could not report the error to the user")


async def _alert_admins(context: ContextTypes.DEFAULT_TYPE) -> None:
    now = time.monotonic()
    last = context.bot_data.get(_ALERTED)
    if last is not None and now - last < ALERT_EVERY:
        return
    context.bot_data[_ALERTED] = now
    t = terbit(context)
    error = f"{type(context.error).__name__}: {context.error}"[:300]
    try:
        chats = await admins_chats(t.sessions)
    except Exception:  # the database itself may be what fails: fall back to the configured admins
        chats = list(t.settings.admin_ids)
    for chat in chats:
        try:
            await context.bot.send_message(chat, fmt(C.STORAGE_ALERT, error=error), parse_mode=ParseMode.HTML)
        except Exception:
            log.exception("could not alert admin %s", chat)
