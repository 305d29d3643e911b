"""The application's error handler: log it, tell the person, lose nothing."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n.id import common as C
from handlers.common import answer, reply

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("unhandled error", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query:
            await answer(update, C.GENERIC_ERROR, alert=True)
        else:
            await reply(update, C.GENERIC_ERROR)
    except Exception:  # the error report itself must never raise
        log.exception("could not report the error to the user")
