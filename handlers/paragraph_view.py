"""A body drawn as numbered paragraphs (¶1, ¶2 …) within Telegram's limits,
with a button per paragraph: the Kepala's correction and the writer's
"Ubah → Isi" both pick a paragraph from it."""
from __future__ import annotations

from collections.abc import Callable

from domain.paragraphs import paragraphs
from handlers.render import TEXT_LIMIT, esc, pack

#: Paragraph buttons per row, and at most this many (Telegram draws about a hundred buttons).
PER_ROW, MAX_BUTTONS = 6, 90


def pieces(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """``text`` cut (at a space where one is near) into pieces of at most ``limit`` characters once escaped."""
    out: list[str] = []
    while len(esc(text)) > limit:
        cut = limit
        while len(esc(text[:cut])) > limit:
            cut = cut * 9 // 10
        space = text.rfind(" ", 0, cut)
        if space > cut // 2:
            cut = space
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    out.append(text)
    return out


def numbered_messages(head: list[str], body: str, empty: str, limit: int = TEXT_LIMIT) -> list[str]:
    """``head`` (ready HTML blocks), then the body's paragraphs numbered, in messages within ``limit``."""
    blocks = list(head)
    paras = paragraphs(body)
    if not paras:
        blocks.append(empty)
    for n, para in enumerate(paras, 1):
        for i, piece in enumerate(pieces(para, limit - 20)):
            blocks.append(f"<b>¶{n}</b> {esc(piece)}" if i == 0 else esc(piece))
    return pack(blocks, limit)


def number_rows(body: str, draw: Callable[[int], tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """A button per paragraph (``draw(n)``, n from 1), several to a row."""
    count = min(len(paragraphs(body)), MAX_BUTTONS)
    buttons = [draw(n) for n in range(1, count + 1)]
    return [buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
