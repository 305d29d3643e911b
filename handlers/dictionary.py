"""/kamus: the office dictionary — words the spelling check accepts (names, places, jargon)."""
from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from handlers.common import reply
from handlers.context import TerbitContext
from handlers.render import esc, fmt
from services.errors import ServiceError
from services.writing import dictionary
from texts.id import dictionary as K

ADD = ("tambah",)
REMOVE = ("hapus",)


def _error(exc: ServiceError, registered: bool) -> str:
    if exc.code == "dictionary_word_invalid":
        return fmt(K.INVALID, **exc.params)
    return K.NOT_ALLOWED if registered else K.NOT_REGISTERED


async def kamus(update: Update, context: TerbitContext) -> None:
    """/kamus lists; /kamus tambah <kata> and /kamus hapus <kata> change it (admin, Kasubbag)."""
    t = context.terbit
    args = context.args or []
    who, path = update.effective_user.id, dictionary.path_in(t.settings.office_dir)
    verb = args[0].lower() if args else ""
    try:
        if not args:
            words = await t.run(dictionary.words, telegram_id=who, path=path)
            text = fmt(K.LIST_HEADER, n=len(words)) + "\n" + ", ".join(esc(w) for w in words) if words \
                else K.LIST_EMPTY
        elif verb in ADD + REMOVE and len(args) == 2:
            if verb in ADD:
                out = await t.run(dictionary.add, telegram_id=who, path=path, word=args[1])
                text = fmt(K.ADDED if out.changed else K.ALREADY, word=out.word)
            else:
                out = await t.run(dictionary.remove, telegram_id=who, path=path, word=args[1])
                text = fmt(K.REMOVED if out.changed else K.ABSENT, word=out.word)
        elif verb in ADD + REMOVE and len(args) > 2:
            text = fmt(K.INVALID, word=" ".join(args[1:]))
        else:
            text = K.USAGE
    except ServiceError as exc:
        text = _error(exc, exc.code != "dictionary_not_registered")
    await reply(update, text)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("kamus", kamus))
