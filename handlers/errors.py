"""The application's error handler: log it, tell the person the truth, lose nothing.

When the failure is in storage (disk full, database locked past its
timeout, the database unreachable), what the person just sent was *not*
saved: they are told so plainly and asked to send it again, and the admins
are alerted once (not once per message), through the storage watch's local
limit (handlers/faults.py), which needs no database write.  While a fault is
known, each such error is one log line, not a traceback.  A failed
getUpdates was already logged as a state change by the inbox.
"""
from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode

from handlers.common import answer
from handlers.context import TerbitContext
from handlers.faults import STORAGE_WATCH, StorageWatch, is_storage_failure, reason_of
from handlers.handling import PollingFailed
from texts.id import common as C

log = logging.getLogger(__name__)


async def on_error(update: object, context: TerbitContext) -> None:
    """Log the error and tell the person what happened to what they sent."""
    if isinstance(context.error, PollingFailed):
        return  # the inbox logged it as a state change (one line when it starts and when it ends)
    storage = is_storage_failure(context.error)
    watch: StorageWatch | None = context.bot_data.get(STORAGE_WATCH)
    if storage and context.error is not None and not isinstance(update, Update) and watch is not None:
        watch.background(context.error)  # a job: one line per summary period
        await watch.alert_admins(reason_of(context.error))
        return
    if storage and context.error is not None:
        first = watch is None or await watch.alert_admins(reason_of(context.error))
        # The traceback once per alert period; the rest one line each.
        log.error("storage error while handling an update: %s", reason_of(context.error),
                  exc_info=context.error if first else None)
    else:
        log.error("unhandled error", exc_info=context.error)
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
