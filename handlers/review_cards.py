"""Review cards: what the Kasubbag and the Kepala see, with their buttons.

A card is the submission's media (the metadata-free web renditions, as they
will be published), then one message holding title, meta, body, the
automatic checklist, the changes since that level last saw it, and the
buttons.  Sent to every person who holds the role the state waits for.
"""
from __future__ import annotations

import logging

from telegram import InputMediaPhoto
from telegram.error import BadRequest, Forbidden

from bot.context import terbit
from bot.i18n.id import clock as T
from bot.i18n.id import common as C
from bot.i18n.id import review as R
from domain.standard_times import Step
from domain.workflow import WAITING_FOR, Role, State
from handlers.common import button, keyboard, send
from handlers.render import card_messages, checklist, diff_block, fmt
from services import drafts, review
from services.people import people_with_role
from storage.models import Attachment, Person, ReviewMessage, Submission

log = logging.getLogger(__name__)

#: The SOP step whose clock runs while a submission waits for a reviewer (steps 4 and 5).
STEP = {State.WAIT_KASUBBAG: Step.REVIEW_KASUBBAG, State.WAIT_KEPALA: Step.REVIEW_KEPALA}


def clock_line(t, sub: Submission, now) -> str:
    """Time waited against the SOP standard, as a traffic light (working time by default)."""
    return T.render_clock(t.calendar, sub.state_changed_at, now, t.standards[STEP[State(sub.state)]])


def review_buttons(context, state: State, sid: int, rid: int) -> list:
    if state == State.WAIT_KASUBBAG:
        return [[button(context, R.BTN_FORWARD, "rf", sid, rid)], [button(context, R.BTN_RETURN, "rr", sid, rid)]]
    return [[button(context, R.BTN_APPROVE, "ra", sid, rid)],
            [button(context, R.BTN_CORRECT, "rc", sid, rid), button(context, R.BTN_RETURN, "rr", sid, rid)]]


async def _send_media(context, chat_id: int, atts: list[Attachment], data_dir) -> None:
    photos = [a for a in atts if a.kind == "photo"]
    for i in range(0, len(photos), 10):
        group = photos[i:i + 10]
        media = []
        for a in group:
            web = next((r for r in a.renditions or [] if r["role"] == "web"), None)
            source = (data_dir / web["path"]).read_bytes() if web else a.telegram_file_id
            media.append(InputMediaPhoto(source, caption=a.caption[:1024] or None))
        if len(media) == 1:
            await context.bot.send_photo(chat_id, media[0].media, caption=media[0].caption)
        else:
            await context.bot.send_media_group(chat_id, media)
    for a in atts:
        if a.kind == "photo" or not a.telegram_file_id:
            continue
        kind = (a.meta or {}).get("tg_type", "document")
        sender = {
            "voice": context.bot.send_voice,
            "audio": context.bot.send_audio,
            "video": context.bot.send_video,
            "video_note": context.bot.send_video_note,
            "animation": context.bot.send_animation,
        }.get(kind, context.bot.send_document)
        if kind == "video_note":
            await sender(chat_id, a.telegram_file_id)
        else:
            await sender(chat_id, a.telegram_file_id, caption=a.caption[:1024] or None)


async def _waiting(s, submission_id: int, now) -> tuple[drafts.Draft, State, list[Person]] | None:
    """The submission, the review step it waits in, and who it waits for (a Plh/Plt
    too); None when it is not waiting for a review."""
    d = await drafts.load(s, submission_id)
    state = State(d.submission.state)
    if state not in STEP:
        return None
    return d, state, await review.reviewers_for(s, d.submission, now)


async def send_review_cards(context, submission_id: int, only: set[int] | None = None) -> int:
    """Send the card to everyone the submission now waits for (a Plh/Plt too);
    ``only``: just these person ids.  Returns how many got it."""
    t = terbit(context)
    now = t.now()
    async with t.sessions() as s:
        waiting = await _waiting(s, submission_id, now)
        if waiting is None:
            return 0
        d, state, reviewers = waiting
        sub = d.submission
        if only is not None:
            reviewers = [p for p in reviewers if p.id in only]
        diff = await review.changes_since_last_review(s, sub)
        found = drafts.findings(d, t.checks)
        header = fmt(R.CARD_HEADER[state], id=sub.id, std=T.format_working(t.standards[STEP[state]], t.calendar))
        header += "\n" + fmt(T.CARD_CLOCK, clock=clock_line(t, sub, now))
        messages = card_messages(header, sub, d.revision, d.attachments, [checklist(found), diff_block(diff)])
        rows = review_buttons(context, state, sub.id, d.revision.id)
        atts = list(d.attachments)
    delivered = 0
    for person in reviewers:
        msg = await _deliver(context, person, atts, messages, rows, t.settings.data_dir)
        if msg is None:
            continue
        delivered += 1
        await _remember(t, submission_id, person, msg)
    if not delivered and only is None:
        await _nobody_to_review(context, d, state)
    _kick_sop_clock(context)
    return delivered


async def _nobody_to_review(context, d: drafts.Draft, state: State) -> None:
    """An item must never wait silently for a role nobody holds (or nobody can
    be reached in): the writer hears it, the admins are asked to fix it."""
    t = terbit(context)
    role = C.ROLE_LABELS[WAITING_FOR[state]]
    sub = d.submission
    async with t.sessions() as s:
        admins = [p.telegram_id for p in await people_with_role(s, Role.ADMIN)]
    await send(context, sub.author.telegram_id, fmt(R.NO_REVIEWER_WRITER, id=sub.id, role=role))
    for chat_id in admins:
        await send(context, chat_id, fmt(R.NO_REVIEWER_ADMIN, id=sub.id, title=d.revision.title or "", role=role))


def _kick_sop_clock(context) -> None:
    from handlers.reminders import kick  # (handlers.reminders imports this module)

    kick(context)


async def send_review_reminder(context, submission_id: int, level: int) -> list[Person]:
    """A short reminder with the review buttons again, to everyone the item waits
    for; recorded as review messages, so deciding closes them too."""
    t = terbit(context)
    now = t.now()
    async with t.sessions() as s:
        waiting = await _waiting(s, submission_id, now)
        if waiting is None:
            return []
        d, state, reviewers = waiting
        sub = d.submission
        text = fmt(T.REMINDER_REVIEW if level < 2 else T.REMINDER_REVIEW_AGAIN, id=sub.id,
                   title=d.revision.title or "", step=STEP[state].label, clock=clock_line(t, sub, now))
        rows = review_buttons(context, state, sub.id, d.revision.id)
    reached = []
    for person in reviewers:
        msg = await send(context, person.telegram_id, text, rows)
        if msg is None:
            continue
        reached.append(person)
        await _remember(t, submission_id, person, msg)
    return reached


async def _remember(t, submission_id: int, person: Person, msg) -> None:
    """Record a message carrying review buttons, so a decision closes it."""
    async with t.sessions.begin() as s:
        sub = await s.get(Submission, submission_id)
        await review.remember_message(s, sub, person, msg.chat_id, msg.message_id, t.now())


async def _deliver(context, person: Person, atts, messages: list[str], rows, data_dir):
    try:
        await _send_media(context, person.telegram_id, atts, data_dir)
        for text in messages[:-1]:
            await context.bot.send_message(person.telegram_id, text, parse_mode="HTML")
    except Forbidden as exc:
        log.warning("reviewer %s unreachable: %s", person.id, exc.message)
        return None
    except BadRequest as exc:  # media that Telegram will not take back: the text card still goes
        log.warning("media for reviewer %s refused: %s", person.id, exc.message)
    return await send(context, person.telegram_id, messages[-1], rows)


async def close_cards(context, submission_id: int, outcome: str) -> None:
    """Replace the buttons of every open card of this submission with its outcome."""
    t = terbit(context)
    async with t.sessions.begin() as s:
        rows: list[ReviewMessage] = await review.close_messages(s, submission_id)
    _kick_sop_clock(context)  # the item left its waiting state: its reminders are withdrawn
    status = [[button(context, outcome[:60], "st", submission_id)]]
    for r in rows:
        try:
            await context.bot.edit_message_reply_markup(
                r.chat_id, r.message_id, reply_markup=keyboard(status))
        except BadRequest as exc:
            if "not modified" not in exc.message and "not found" not in exc.message:
                raise
        except Forbidden:
            continue

