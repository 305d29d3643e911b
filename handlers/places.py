"""/tempat: the office's named places (admins), used to name where a photo was taken."""
from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.places import DEFAULT_RADIUS_M, Place, parse_position
from domain.workflow import Role
from handlers.common import reply
from handlers.context import TerbitContext
from handlers.render import fmt
from services.staff import people
from services.writing import places
from texts.id import drafting as D

_ADD = re.compile(r"^(?P<name>.+?)\s+(?P<pos>-?\d[\d.]*\s*,\s*-?\d[\d.]*)(?:\s+(?P<radius>\d{1,6})\s*m?)?$")


def parse_place(text: str) -> Place | None:
    """``"Aula Kantor Bupati -8.65,115.216 200"`` -> a Place; None when it does not read so."""
    m = _ADD.match(" ".join(text.split()))
    pos = parse_position(m.group("pos")) if m else None
    if m is None or pos is None:
        return None
    radius = int(m.group("radius")) if m.group("radius") else DEFAULT_RADIUS_M
    return Place(m.group("name").strip()[:80], pos[0], pos[1], max(10, radius))


async def places_command(update: Update, context: TerbitContext) -> None:
    """/tempat lists; /tempat tambah … adds (or replaces); /tempat hapus <nama> removes."""
    t = context.terbit
    if Role.ADMIN not in await t.run(people.roles_for, update.effective_user.id):
        await reply(update, D.PLACES_ADMIN_ONLY)
        return
    book = places.book(t.settings.office_dir)
    text = (update.effective_message.text or "").split(maxsplit=2)
    verb, rest = (text[1].lower() if len(text) > 1 else ""), (text[2] if len(text) > 2 else "")
    if verb == "tambah":
        place = parse_place(rest)
        if place is None:
            await reply(update, D.PLACE_BAD)
            return
        said = D.PLACE_ADDED if book.add(place) else D.PLACE_REPLACED
        await reply(update, fmt(said, name=place.name, radius=place.radius_m))
    elif verb == "hapus" and rest.strip():
        gone = book.remove(rest)
        await reply(update, fmt(D.PLACE_REMOVED, name=gone.name) if gone else fmt(D.PLACE_UNKNOWN, name=rest))
    elif verb:
        await reply(update, D.PLACES_USAGE)
    else:
        listed = book.all()
        lines = [fmt(D.PLACES_ITEM, name=p.name, radius=p.radius_m) for p in listed]
        head = fmt(D.PLACES_HEADER, n=len(listed)) if listed else D.PLACES_EMPTY
        await reply(update, "\n".join([head, *lines, "", D.PLACES_USAGE]))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("tempat", places_command))
