"""Files from phones: photos, albums, voice notes, audio, documents, video.

Each file is downloaded by streaming, stored by SHA-256, checked from its
bytes and converted (media/), then attached to the writer's open draft.  A
refused file gets a plain Indonesian reason; what was received before stays.
Album items arrive as separate updates; they are acknowledged once, shortly
after the last one, instead of ten messages on a phone.
"""
from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import ContextTypes

from bot.context import terbit
from bot.i18n.id import drafting as D
from bot.i18n.id.media import rejection_text
from bot.settings import BOT_API_DOWNLOAD_LIMIT
from handlers.common import button, reply, send
from handlers.render import fmt
from media.errors import MediaRejected
from services import drafts
from services.errors import ServiceError
from services.intake import Incoming
from services.people import by_telegram_id

log = logging.getLogger(__name__)
ALBUM_ACK_DELAY = 1.0


def incoming_of(msg: Message) -> tuple[str, Incoming] | None:
    """(what the client called it, descriptor) — the client's word is only a hint."""
    caption = msg.caption or ""
    group = msg.media_group_id
    if msg.photo:
        p = msg.photo[-1]  # the largest rendition the client sent
        return "photo", Incoming(p.file_id, p.file_unique_id, p.file_size, None, caption, group, "photo")
    for attr in ("document", "voice", "audio", "video", "video_note", "animation"):
        f = getattr(msg, attr, None)
        if f is not None:
            return attr, Incoming(f.file_id, f.file_unique_id, f.file_size, getattr(f, "file_name", None),
                                  caption, group, attr)
    return None


def media_buttons(context, submission_id: int) -> list:
    return [[button(context, D.MEDIA_DONE, "mf", submission_id)],
            [button(context, D.MEDIA_MANAGE, "mm", submission_id)]]


async def receive(update: Update, context: ContextTypes.DEFAULT_TYPE, *, with_buttons: bool) -> bool:
    """Attach the file in this message to the writer's open draft.  True if attached."""
    t = terbit(context)
    msg = update.effective_message
    parsed = incoming_of(msg)
    if parsed is None:
        return False
    _hint, incoming = parsed
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        open_ = await drafts.open_drafts(s, person) if person else []
    if not open_:
        await reply(update, D.MEDIA_NOT_NOW)
        return False
    submission_id, person_id = open_[0].id, person.id
    album = _album_started(context, msg.media_group_id)
    try:
        t.intake.precheck(incoming)
        tg_file = await context.bot.get_file(incoming.file_id)
        processed = await t.intake.fetch(tg_file.file_path, incoming)
    except MediaRejected as exc:
        await _refused(update, context, submission_id, rejection_text(exc.code, **exc.params))
        return False
    except BadRequest as exc:
        if "too big" in exc.message:  # Telegram's own cap, whatever MAX_UPLOAD_MB says
            limit = min(t.intake.policy.max_bytes, BOT_API_DOWNLOAD_LIMIT) / (1024 * 1024)
            await _refused(update, context, submission_id, rejection_text("too_large", max_mb=limit))
        else:
            await _refused(update, context, submission_id, rejection_text("download_failed"))
        return False
    except NetworkError:
        await _refused(update, context, submission_id, rejection_text("download_failed"))
        return False
    async with t.sessions.begin() as s:
        try:
            d = await drafts.editable(s, submission_id, person, t.now())
        except ServiceError:
            await reply(update, D.MEDIA_NOT_NOW)
            return False
        att = await t.intake.record(s, submission_id=submission_id, person_id=person_id,
                                    incoming=incoming, processed=processed, now=t.now())
        added = drafts.attach(d, att)
        count = len(d.attachments)
    if album is not None:
        album["n"] += 1 if added else 0
    if not added:
        await reply(update, D.MEDIA_DUPLICATE)
    elif album is not None:
        _schedule_album_ack(context, update.effective_chat.id, msg.media_group_id, submission_id, with_buttons)
    else:
        what = D.MEDIA_KIND_LABELS.get(att.kind, att.kind)
        await reply(update, fmt(D.MEDIA_RECEIVED, what=what, count=count),
                    media_buttons(context, submission_id) if with_buttons else None)
    return added


async def _refused(update, context, submission_id: int, reason: str) -> None:
    t = terbit(context)
    async with t.sessions() as s:
        d = await drafts.load(s, submission_id)
    await reply(update, fmt(D.MEDIA_REJECTED, reason=reason, count=len(d.attachments)))


def _album_started(context, group: str | None) -> dict | None:
    """Mark an album item as being processed, so its acknowledgement waits."""
    if group is None:
        return None
    album = context.chat_data.setdefault("albums", {}).setdefault(group, {"n": 0})
    album["busy"] = True
    return album


def _schedule_album_ack(context, chat_id: int, group: str, submission_id: int, with_buttons: bool) -> None:
    album = context.chat_data["albums"][group]
    album["busy"] = False
    name = f"album:{chat_id}:{group}"
    for job in context.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    context.job_queue.run_once(_album_ack, ALBUM_ACK_DELAY, name=name, chat_id=chat_id,
                               data={"group": group, "submission_id": submission_id, "buttons": with_buttons})


async def _album_ack(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One acknowledgement per album, once no item of it has been busy for a moment.

    The next item's processing may outlast the delay on a slow phone link; the
    acknowledgement then waits for it instead of splitting the count.
    """
    t = terbit(context)
    data = context.job.data
    albums = context.application.chat_data[context.job.chat_id].get("albums", {})
    album = albums.get(data["group"])
    if album is None:
        return
    if album.get("busy"):
        context.job_queue.run_once(_album_ack, ALBUM_ACK_DELAY, name=context.job.name,
                                   chat_id=context.job.chat_id, data=data)
        return
    del albums[data["group"]]
    async with t.sessions() as s:
        d = await drafts.load(s, data["submission_id"])
    rows = media_buttons(context, data["submission_id"]) if data["buttons"] else None
    await send(context, context.job.chat_id, fmt(D.ALBUM_RECEIVED, n=album["n"], count=len(d.attachments)), rows)
