"""A comment on a draft, told to the people concerned (services/reviewing/comments.py owes it).

The drawer reads the comment when it is delivered (an edit within the first minutes shows; a
deleted comment is not sent) and remembers the message, so a reply to it joins the thread.
(A plain function decorated as the other drawers are: the Notice→drawer table can take it.)
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot

from domain.anchors import Part
from handlers.context import Terbit
from handlers.notices import send_text
from handlers.ops import Op
from handlers.render import fmt, local_time
from services.delivery.postbox import Obsolete
from services.reviewing import comments
from services.reviewing.comments import CommentView
from texts.id import comments as M


def where(c: CommentView) -> str:
    """What the comment is about: "paragraf 2", "judul", "seluruh draf"."""
    if c.anchor.part is Part.BODY and c.anchor.paragraph_number is not None:
        return M.WHERE_PARAGRAPH.format(n=c.anchor.paragraph_number)
    return M.PARTS[c.anchor.part.value]


def clock(at: datetime, tz: str) -> str:
    """The time of day a comment was made, as the office reads it (09.15)."""
    return at.astimezone(ZoneInfo(tz)).strftime("%d/%m %H.%M")


def comment_text(c: CommentView, tz: str) -> str:
    """Who, when, about what, the quoted words and the text."""
    if c.thread_id is not None:
        head = fmt(M.NOTICE_REPLY, id=c.submission_id, title=c.title, author=c.author)
        quote = c.thread_quote
    else:
        head = fmt(M.NOTICE, id=c.submission_id, title=c.title, author=c.author, where=where(c))
        quote = c.anchor.quote
    head += f" · {clock(c.at, tz)}"
    parts = [head]
    if quote:
        parts.append(fmt(M.QUOTE, quote=quote[:300]) + (f"\n{M.OUTDATED}" if c.outdated else ""))
    parts.append(fmt("{text}", text=c.text))
    return "\n".join(parts)


def comment_history(t: Terbit, entries: Sequence[comments.Trail]) -> list[tuple[datetime, list[str]]]:
    """/riwayat's lines for the comments' events (added, edited, deleted, resolved), with their times."""
    out = []
    for e in entries:
        time, verb = local_time(e.at, t.settings.timezone), M.EVENT_VERBS.get(e.kind, e.kind)
        if e.thread_id is not None:
            line = fmt(M.HISTORY_REPLY, time=time, actor=e.actor, event=verb, n=e.comment_id, thread=e.thread_id)
        else:
            about = (M.WHERE_PARAGRAPH.format(n=e.paragraph) if e.paragraph is not None
                     else M.PARTS.get(e.part, e.part))
            line = fmt(M.HISTORY, time=time, actor=e.actor, event=verb, n=e.comment_id, where=about)
        lines = [line]
        if e.text and e.kind != comments.Kind.RESOLVED:
            quote = e.quote if e.thread_id is None else None
            lines.append(fmt(M.HISTORY_TEXT, quote=quote[:80], text=e.text[:300]) if quote
                         else fmt(M.HISTORY_TEXT_PLAIN, text=e.text[:300]))
        out.append((e.at, lines))
    return out


#: How many open threads the writer's preview lists, a button each.
PREVIEW_OPEN_MAX = 10


def open_block(open_: Sequence[CommentView]) -> str | None:
    """The preview's list of open threads: who, the quoted words, the text (short)."""
    if not open_:
        return None
    lines = [fmt(M.PREVIEW_OPEN, n=len(open_))]
    for i, c in enumerate(open_[:PREVIEW_OPEN_MAX], 1):
        text = " ".join(c.text.split())[:100]
        lines.append(fmt(M.PREVIEW_OPEN_ITEM, i=i, author=c.author, quote=" ".join(c.anchor.quote.split())[:60],
                         text=text) if c.anchor.quote
                     else fmt(M.PREVIEW_OPEN_ITEM_PLAIN, i=i, author=c.author, where=where(c), text=text))
    if len(open_) > PREVIEW_OPEN_MAX:
        lines.append(fmt(M.PREVIEW_OPEN_MORE, n=len(open_) - PREVIEW_OPEN_MAX))
    return "\n".join(lines)


def settled_block(settled: Sequence[CommentView]) -> str | None:
    """On a resubmission's card: the comments of last round that were resolved, or whose words changed."""
    if not settled:
        return None
    lines = [M.SETTLED]
    for c in settled[:PREVIEW_OPEN_MAX]:
        text = " ".join(c.text.split())[:100]
        quote = " ".join((c.anchor.quote or "").split())[:60]
        if c.outdated and not c.resolved:
            lines.append(fmt(M.SETTLED_CHANGED, author=c.author, quote=quote, text=text))
        elif quote:
            lines.append(fmt(M.SETTLED_RESOLVED, author=c.author, quote=quote, text=text))
        else:
            lines.append(fmt(M.SETTLED_RESOLVED_PLAIN, author=c.author, where=where(c), text=text))
    if len(settled) > PREVIEW_OPEN_MAX:
        lines.append(fmt(M.PREVIEW_OPEN_MORE, n=len(settled) - PREVIEW_OPEN_MAX))
    return "\n".join(lines)


def open_rows(t: Terbit, open_: Sequence[CommentView]) -> list[list[tuple[str, str]]]:
    """A button per listed thread, five to a row: a press shows the thread again."""
    buttons = [(M.BTN_THREAD.format(i=i), t.codec.encode(Op.COMMENT_SHOW, c.id))
               for i, c in enumerate(open_[:PREVIEW_OPEN_MAX], 1)]
    return [buttons[k:k + 5] for k in range(0, len(buttons), 5)]


async def draw_comment(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The comment, with a button to resolve its thread; replying to it answers in the thread."""
    c = await t.run(comments.view, params["comment_id"])
    if c is None or c.deleted:
        raise Obsolete
    rows = [[(M.BTN_RESOLVE, t.codec.encode(Op.COMMENT_RESOLVE, c.thread_id or c.id))]] if not c.resolved else None
    message_id = await send_text(bot, chat_id, f"{comment_text(c, t.settings.timezone)}\n\n{M.NOTICE_HINT}", rows)
    await t.run(comments.remember_message, chat_id=chat_id, message_id=message_id, submission_id=c.submission_id,
                                    comment_id=c.id, now=t.now())
    return message_id
