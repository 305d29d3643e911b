"""The baseline for ``bench.load_bench``: a bare python-telegram-bot 22 echo bot.

Run as its own process (``python -m bench.bare_echo_bot``) with the same
environment variables as Terbit: TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL,
TELEGRAM_FILE_URL.  Built like Terbit's Application where it matters for
speed: long polling with ``run_polling`` and the same allowed updates,
``AIORateLimiter(max_retries=3)``, concurrent updates (CONCURRENT_UPDATES,
Terbit's default 64).  It replies to every text with the same text (with one
inline button, so the users have something to press) and answers every
callback query.  No database, no persistence, nothing else.
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

BUTTON = InlineKeyboardMarkup([[InlineKeyboardButton("🔁 Lagi", callback_data="echo")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text, reply_markup=BUTTON)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("OK")


def main() -> None:
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot"))
        .base_file_url(os.environ.get("TELEGRAM_FILE_URL", "https://api.telegram.org/file/bot"))
        .concurrent_updates(int(os.environ.get("CONCURRENT_UPDATES", "64")))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(answer))
    app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
