"""Review cards: what the Kasubbag and the Kepala see, with their buttons.

A card is the submission's media (the metadata-free web renditions, as they
will be published), then one message holding title, meta, body, the
automatic checklist, the changes since that level last saw it, and the
buttons.  Cards are owed by the use cases (services/transitions/effects.py) and drawn
here when the postman delivers them, from the item as it stands then.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram import Bot, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from domain.kip import KipClass
from domain.standard_times import Step
from domain.workflow import WAITING_FOR, Action, Actor, State, allowed_actions
from handlers.comment_notices import settled_block
from handlers.common import WEB_APP, Buttons, keyboard
from handlers.context import Terbit
from handlers.desk.page import gate_path
from handlers.notices import send_text
from handlers.ops import Op
from handlers.render import TEXT_LIMIT, card_messages, checklist, diff_block, fmt, local_time
from services.delivery.postbox import Obsolete
from services.reviewing import cards, claims, comments
from services.reviewing.cards import CardView, card_view, remember_card
from services.transitions.effects import Worker
from services.writing import kip
from texts.id import clock as T
from texts.id import desk as D
from texts.id import kip as K
from texts.id import review as R

log = logging.getLogger(__name__)

#: The SOP step whose clock runs while a submission waits for a reviewer (steps 4 and 5).
STEP = {State.WAIT_KASUBBAG: Step.REVIEW_KASUBBAG, State.WAIT_KEPALA: Step.REVIEW_KEPALA}

#: How each reviewer action is drawn as a button.  Which of them a card shows
#: comes from the workflow table (``allowed_actions``), never from here.
ACTION_BUTTONS: dict[Action, tuple[str, Op]] = {
    Action.FORWARD: (R.BTN_FORWARD, Op.FORWARD),
    Action.APPROVE: (R.BTN_APPROVE, Op.APPROVE),
    Action.CORRECT: (R.BTN_CORRECT, Op.CORRECT),
    Action.RETURN: (R.BTN_RETURN, Op.RETURN),
}
#: A second way to take an action, drawn beside it whenever the table allows the action:
#: Setujui & jadwalkan is an APPROVE whose publication waits until a chosen moment.
VARIANT_BUTTONS: dict[Action, tuple[str, Op]] = {
    Action.APPROVE: (R.BTN_SCHEDULE, Op.SCHEDULE),
}
#: The action that moves the item on gets a row of its own, first.
ADVANCING = (Action.FORWARD, Action.APPROVE)


def clock_line(t: Terbit, sub: Any, now: datetime) -> str:
    """Time waited against the SOP standard, as a traffic light (working time by default)."""
    return T.render_clock(t.calendar, sub.state_changed_at, now, t.standards[STEP[sub.state]])


def review_rows(t: Terbit, state: State, sid: int, rid: int) -> Buttons:
    """The buttons a reviewer of this step has, as the workflow table allows them."""
    reviewer = Actor(None, frozenset({WAITING_FOR[state]}))
    actions = [a for a in allowed_actions(state, reviewer, author_id=-1) if a in ACTION_BUTTONS]
    first = [a for a in actions if a in ADVANCING]
    rest = [a for a in sorted(actions, key=list(ACTION_BUTTONS).index) if a not in ADVANCING]

    def draw(a: Action, table: dict[Action, tuple[str, Op]] = ACTION_BUTTONS) -> tuple[str, str]:
        label, op = table[a]
        return label, t.codec.encode(op, sid, rid)

    variants = [draw(a, VARIANT_BUTTONS) for a in first if a in VARIANT_BUTTONS]
    return [row for row in ([draw(a) for a in first], variants, [draw(a) for a in rest]) if row]


def claim_rows(t: Terbit, c: claims.CardClaim, decisions: Buttons) -> tuple[Buttons, str]:
    """A card's buttons and its claim line as the claim stands: someone else on it, no buttons;
    the claimant, the buttons and "Lepaskan"; nobody yet (several hold the role), "Saya periksa" first."""
    until = local_time(c.until, t.settings.timezone) if c.until is not None else ""
    if c.claimant is not None and not c.mine:
        return [], fmt(R.CLAIMED_BY, name=c.claimant, until=until)
    if c.claimant is not None:
        return [*decisions, [(R.BTN_RELEASE, t.codec.encode(Op.CLAIM_RELEASE, c.submission_id, c.revision_id))]], \
            fmt(R.CLAIMED_BY_YOU, until=until)
    if c.shared:
        return [[(R.BTN_CLAIM, t.codec.encode(Op.CLAIM, c.submission_id, c.revision_id))], *decisions], ""
    return decisions, ""


def desk_row(t: Terbit, chat_id: int, sid: int, rid: int, label: str = D.BTN_OPEN) -> list[tuple[str, str]]:
    """"Buka meja periksa" (a web_app button to the review desk's gate, issue 22): when the desk is
    on, and in a private chat only (Telegram refuses web_app buttons elsewhere).  ``label``: the
    writer's preview says "Lihat seperti di situs" (handlers/drafting.py)."""
    settings = t.deployment.settings
    origin = settings.desk_origin
    if chat_id <= 0 or not settings.desk_enabled or origin is None:
        return []
    return [(label, f"{WEB_APP}{origin}{gate_path(sid, rid)}")]


def with_desk(t: Terbit, chat_id: int, rows: Buttons, sid: int, rid: int) -> Buttons:
    """A card's buttons with the desk's under its decisions (only a card that has decisions)."""
    row = desk_row(t, chat_id, sid, rid) if rows else []
    return [*rows, row] if row else rows


def with_line(text: str, line: str) -> str:
    """The card's text with its claim line under it (when it fits in one message)."""
    return f"{text}\n\n{line}" if line and len(text) + len(line) + 2 <= TEXT_LIMIT else text


def card_class_row(t: Terbit, sid: int, rid: int, cls: KipClass) -> list[tuple[str, str]]:
    """The class row of a card ("🏷 Kelas: Berkala ▾"): a press shows the four classes to choose from
    (handlers/kip.py), deciding nothing."""
    return [(K.BTN_CLASS.format(label=cls.label), t.codec.encode(Op.KIP_CARD_MENU, sid, rid))]


async def _view(t: Terbit, params: dict[str, Any], *, with_diff: bool) -> CardView:
    view = await t.run(card_view, params["submission_id"], params["revision_id"], t.checks, with_diff=with_diff)
    if view is None:  # decided, corrected or withdrawn since it was owed
        raise Obsolete
    return view


async def draw_card(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The whole card: media, the body in parts when long, then the decision message with buttons."""
    view = await _view(t, params, with_diff=True)
    sub, rev, now = view.submission, view.revision, t.now()
    header = fmt(R.CARD_HEADER[view.state], id=sub.id, std=T.format_working(t.standards[STEP[view.state]], t.calendar))
    header += "\n" + fmt(T.CARD_CLOCK, clock=clock_line(t, sub, now))
    if sub.expires_at is not None:  # a pengumuman's "berlaku sampai": approved with it
        header += "\n" + fmt(R.EXPIRY_LINE, when=local_time(sub.expires_at, t.settings.timezone))
    messages = card_messages(header, sub, rev, view.attachments, [checklist(view.findings, view.attachments),
                                                                        diff_block(view.diff),
                                                                        settled_block(view.settled)])
    about: list[tuple[int, int, int | None]] = []  # (chat, message, attachment): a reply to one comments on it
    try:
        about += [(chat_id, mid, att) for mid, att in await _send_media(t, bot, chat_id, view.attachments)]
    except BadRequest as exc:  # media Telegram will not take back: the text card still goes
        log.warning("media for chat %s refused: %s", chat_id, exc.message)
    for text in messages[:-1]:
        about.append((chat_id, await send_text(bot, chat_id, text), None))
    await t.run(comments.remember_messages, about, submission_id=sub.id, now=now)
    claim = await t.run(claims.for_new_card, sub.id, params["person_id"], now)
    rows, line = claim_rows(t, claim, review_rows(t, view.state, sub.id, rev.id)) if claim else ([], "")
    if rows:
        rows = [*rows, card_class_row(t, sub.id, rev.id, await t.run(kip.class_of, sub.id))]
    rows = with_desk(t, chat_id, rows, sub.id, rev.id)
    message_id = await send_text(bot, chat_id, with_line(messages[-1], line), rows)
    if not await t.run(remember_card, submission_id=sub.id, revision_id=rev.id, state=view.state,
                               person_id=params["person_id"], chat_id=chat_id, message_id=message_id, now=now,
                               text=messages[-1]):
        t.wake(Worker.POSTMAN)  # decided while it was on its way: its outcome is owed
    return message_id


async def draw_reminder(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A short reminder with the review buttons again; deciding closes it like a card."""
    view = await _view(t, params, with_diff=False)
    sub, now = view.submission, t.now()
    template = T.REMINDER_REVIEW if params.get("level", 1) < 2 else T.REMINDER_REVIEW_AGAIN
    text = fmt(template, id=sub.id, title=view.revision.title or "", step=STEP[view.state].label,
               clock=clock_line(t, sub, now))
    claim = await t.run(claims.for_new_card, sub.id, params["person_id"], now)
    rows, line = claim_rows(t, claim, review_rows(t, view.state, sub.id, view.revision.id)) if claim else ([], "")
    rows = with_desk(t, chat_id, rows, sub.id, view.revision.id)
    message_id = await send_text(bot, chat_id, with_line(text, line), rows)
    if not await t.run(remember_card, submission_id=sub.id, revision_id=view.revision.id, state=view.state,
                               person_id=params["person_id"], chat_id=chat_id, message_id=message_id, now=now,
                               text=text):
        t.wake(Worker.POSTMAN)
    return message_id


async def draw_card_claim(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A copy of a card redrawn as its item's claim stands now (services/reviewing/claims.py owes it)."""
    c = await t.run(claims.card, params["card_id"], t.now())
    if c is None:  # decided or moved on meanwhile: its outcome is drawn by the decision
        raise Obsolete
    rows, line = claim_rows(t, c, review_rows(t, c.state, c.submission_id, c.revision_id))
    if rows:
        cls = await t.run(kip.class_of, c.submission_id)
        rows = [*rows, card_class_row(t, c.submission_id, c.revision_id, cls)]
    rows = with_desk(t, chat_id, rows, c.submission_id, c.revision_id)
    try:
        if c.text is None:
            await bot.edit_message_reply_markup(chat_id, c.message_id, reply_markup=keyboard(rows))
        else:
            await bot.edit_message_text(with_line(c.text, line), chat_id=chat_id, message_id=c.message_id,
                                        parse_mode=ParseMode.HTML, reply_markup=keyboard(rows),
                                        disable_web_page_preview=True)
    except BadRequest as exc:  # already shows it, or the reviewer deleted the message
        if not any(m in exc.message for m in ("not modified", "not found", "can't be edited")):
            raise
    return c.message_id


async def _photo_source(a: Any, data_dir: Path, *, reuse: bool = True) -> bytes | str:
    """What a card sends for a photo.  One the writer sent as a photo is sent by
    its Telegram id (Telegram re-encoded it and dropped its metadata already):
    nothing is uploaded.  One sent as a file (with its metadata) is shown by its
    web rendition, which has none, by the id that got on its first upload when
    there was one."""
    web = next((r for r in a.renditions or [] if r["role"] == "web"), None)
    if web is None or (reuse and (a.meta or {}).get("tg_type") == "photo" and a.telegram_file_id):
        return a.telegram_file_id
    if reuse and web.get("telegram_file_id"):
        return str(web["telegram_file_id"])
    return await asyncio.to_thread((data_dir / web["path"]).read_bytes)


async def _send_photos(bot: Bot, chat_id: int, group: list[Any], sources: list[bytes | str]) -> Sequence[Message]:
    media = [InputMediaPhoto(src, caption=a.caption[:1024] or None) for a, src in zip(group, sources, strict=True)]
    if len(media) == 1:
        return [await bot.send_photo(chat_id, media[0].media, caption=media[0].caption)]
    return await bot.send_media_group(chat_id, media)


async def _send_media(t: Terbit, bot: Bot, chat_id: int, atts: Sequence[Any]) -> list[tuple[int, int]]:
    """The item's photos and files; returns (message, attachment) of each."""
    photos = [a for a in atts if a.kind == "photo"]
    uploaded: dict[int, str] = {}
    sent_ids: list[tuple[int, int]] = []
    for i in range(0, len(photos), 10):
        group = photos[i:i + 10]
        sources = [await _photo_source(a, t.settings.data_dir) for a in group]
        try:
            sent = await _send_photos(bot, chat_id, group, sources)
        except BadRequest:
            if all(isinstance(src, bytes) for src in sources):
                raise
            # A remembered file id Telegram no longer knows (another bot token): upload again.
            sources = [await _photo_source(a, t.settings.data_dir, reuse=False) for a in group]
            sent = await _send_photos(bot, chat_id, group, sources)
        uploaded |= {a.id: m.photo[-1].file_id for a, src, m in zip(group, sources, sent, strict=False)
                     if isinstance(src, bytes) and m.photo}
        sent_ids += [(m.message_id, a.id) for a, m in zip(group, sent, strict=False)]
    await t.run(cards.remember_uploaded, uploaded)
    for a in atts:
        if a.kind == "photo" or not a.telegram_file_id:
            continue
        kind = (a.meta or {}).get("tg_type", "document")
        senders: dict[str, Callable[..., Awaitable[object]]] = {
            "voice": bot.send_voice,
            "audio": bot.send_audio,
            "video": bot.send_video,
            "video_note": bot.send_video_note,
            "animation": bot.send_animation,
        }
        sender = senders.get(kind, bot.send_document)
        if kind == "video_note":
            m = await sender(chat_id, a.telegram_file_id)
        else:
            m = await sender(chat_id, a.telegram_file_id, caption=a.caption[:1024] or None)
        if isinstance(m, Message):
            sent_ids.append((m.message_id, a.id))
    return sent_ids
