"""Files from phones: photos, albums, voice notes, audio, documents, video.

Each file is downloaded by streaming, stored by SHA-256, checked from its
bytes and converted (media/), then attached to the writer's open draft.  A
refused file gets a plain Indonesian reason; what was received before stays.
Album items arrive as separate updates; they are acknowledged once, shortly
after the last one, instead of ten messages on a phone.

The handler only orchestrates: it asks Telegram for the file, lets the intake
download and convert it with no transaction open (a slow phone link must not
hold one), then records it through one use case (services/writing/drafting.py).
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot, Message, Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from config.settings import BOT_API_DOWNLOAD_LIMIT
from handlers.common import Buttons, button, reply, wake
from handlers.context import Terbit, TerbitContext
from handlers.notices import send_text
from handlers.ops import Op
from handlers.render import fmt
from media.errors import MediaRejected
from media.pipeline import Processed
from services.delivery import inbox
from services.delivery.postbox import NotYet
from services.errors import ServiceError
from services.transitions.effects import Worker
from services.writing import drafting
from services.writing.intake import Incoming
from texts.id import drafting as D
from texts.id.media import rejection_text

log = logging.getLogger(__name__)
ALBUM_ACK_DELAY = 1.0


def incoming_of(msg: Message) -> tuple[str, Incoming] | None:
    """(what the client called it, descriptor) — the client's word is only a hint."""
    caption = msg.caption or ""
    group = msg.media_group_id
    if msg.photo:
        p = msg.photo[-1]  # the largest rendition the client sent
        return "photo", Incoming(p.file_id, p.file_unique_id, p.file_size, None, caption, group, "photo", msg.date)
    for attr in ("document", "voice", "audio", "video", "video_note", "animation"):
        f = getattr(msg, attr, None)
        if f is not None:
            return attr, Incoming(f.file_id, f.file_unique_id, f.file_size, getattr(f, "file_name", None),
                                  caption, group, attr, msg.date)
    return None


def media_buttons(context: TerbitContext, submission_id: int) -> Buttons:
    return [[button(context, D.MEDIA_DONE, Op.MEDIA_DONE, submission_id)],
            [button(context, D.MEDIA_MANAGE, Op.MEDIA_MANAGE, submission_id)]]


async def receive(update: Update, context: TerbitContext, *, with_buttons: bool) -> bool:
    """Attach the file in this message to the writer's open draft.  True if attached."""
    t = context.terbit
    msg = update.effective_message
    parsed = incoming_of(msg) if msg else None
    if msg is None or parsed is None:
        return False
    _hint, incoming = parsed
    target = await t.run(drafting.upload_target, telegram_id=update.effective_user.id)
    if target is None:
        await reply(update, D.MEDIA_NOT_NOW)
        return False
    submission_id, group = target.submission_id, msg.media_group_id
    processed = await _fetch(update, context, submission_id, incoming)
    if processed is None:
        return False
    try:
        got = await t.run(drafting.record_upload, t.intake, telegram_id=update.effective_user.id,
                                           submission_id=submission_id, incoming=incoming,
                                           processed=processed, now=t.now())
    except ServiceError:
        await reply(update, D.MEDIA_NOT_NOW)
        return False
    if group is not None:
        # Album items are acknowledged together; a repeat of one (a restart) is counted once.
        await t.run(drafting.expect_album, submission_id=submission_id, group=group, chat_id=msg.chat_id,
                                    buttons=with_buttons, now=t.now(), delay=timedelta(seconds=ALBUM_ACK_DELAY))
        wake(context, Worker.POSTMAN)
    elif not got.added:
        await reply(update, D.MEDIA_DUPLICATE)
    else:
        what = D.MEDIA_KIND_LABELS.get(got.kind, got.kind)
        await reply(update, fmt(D.MEDIA_RECEIVED, what=what, count=got.count),
                    media_buttons(context, submission_id) if with_buttons else None)
    return got.added


async def _fetch(update: Update, context: TerbitContext, submission_id: int,
                 incoming: Incoming) -> Processed | None:
    """Download and convert the file; None after telling the writer why it was refused.

    Telegram keeps a file id downloadable for at least an hour, so getFile and
    the download are retried with backoff for FILE_FETCH_WINDOW_SECONDS; the
    writer hears once that the file was received and is being downloaded."""
    t = context.terbit
    window = t.settings.file_fetch_window_seconds
    deadline = time.monotonic() + window
    pause = min(1.0, window / 8)
    named = _file_named(incoming, update.effective_message, t.settings.timezone)
    told = False
    while True:
        wait: float | None = None  # a transient failure sets it
        try:
            t.intake.precheck(incoming)
            tg_file = await context.bot.get_file(incoming.file_id)
            if tg_file.file_path:
                return await t.intake.fetch(tg_file.file_path, incoming)
            reason, wait = rejection_text("download_failed"), pause
        except MediaRejected as exc:
            reason = rejection_text(exc.code, **exc.params)
            wait = pause if exc.code == "download_failed" else None
        except BadRequest as exc:
            if "too big" in exc.message:  # Telegram's own cap, whatever MAX_UPLOAD_MB says
                limit = min(t.intake.policy.max_bytes, BOT_API_DOWNLOAD_LIMIT) / (1024 * 1024)
                reason = rejection_text("too_large", max_mb=limit)
            else:
                reason = rejection_text("download_failed")
        except RetryAfter as exc:
            # (how python-telegram-bot's own retry loop reads it, without the deprecated int form)
            reason, wait = rejection_text("download_failed"), max(pause, exc._retry_after.total_seconds())
        except NetworkError:  # 5xx, timeouts, a connection cut
            reason, wait = rejection_text("download_failed"), pause
        if wait is None:
            break
        if time.monotonic() + wait > deadline:
            # plain text: _refused escapes the reason
            reason = D.MEDIA_FETCH_GAVE_UP.format(what=named, minutes=max(1, round(window / 60)))
            break
        if not told:
            told = True
            await reply(update, fmt(D.MEDIA_FETCHING, what=named))
        log.info("fetching a file failed; again in %.1f s", wait)
        await asyncio.sleep(wait)
        pause = min(pause * 2, 60.0)
    await _refused(update, context, submission_id, reason)
    return None


def _file_named(incoming: Incoming, msg: Message | None, tz: str) -> str:
    """Which file, in the writer's words: its name, else its kind, caption and the time it was sent."""
    if incoming.name:
        return f"«{incoming.name}»"
    what = D.MEDIA_KIND_LABELS.get(incoming.tg_type, D.MEDIA_KIND_LABELS["document"])
    if incoming.caption:
        what += f" «{incoming.caption[:40]}»"
    if msg is not None and msg.date is not None:
        what += D.MEDIA_SENT_AT.format(time=msg.date.astimezone(ZoneInfo(tz)).strftime("%H.%M"))
    return what


async def _refused(update: Update, context: TerbitContext, submission_id: int, reason: str) -> None:
    """The reason in plain Indonesian, and that what was received before stays."""
    count = await context.terbit.run(drafting.attachment_count, submission_id=submission_id)
    await reply(update, fmt(D.MEDIA_REJECTED, reason=reason, count=count))


async def draw_album_ack(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """One acknowledgement per album, with the true count, once no item of it is still arriving.

    Counted from the draft (attachments carry their album's id), not from
    memory, so an album interrupted by a restart is acknowledged once, right."""
    if await t.run(inbox.lane_busy, chat_id):
        raise NotYet(ALBUM_ACK_DELAY)
    counted = await t.run(drafting.album_count, submission_id=params["submission_id"], group=params["group"])
    rows = None
    if params.get("buttons"):
        rows = [[(D.MEDIA_DONE, t.codec.encode(Op.MEDIA_DONE, params["submission_id"]))],
                [(D.MEDIA_MANAGE, t.codec.encode(Op.MEDIA_MANAGE, params["submission_id"]))]]
    return await send_text(bot, chat_id, fmt(D.ALBUM_RECEIVED, n=counted.in_album, count=counted.total), rows)
