"""The guided drafting conversation (SOP steps 1-3) as a ConversationHandler.

Every answer is written to the database before the next question is asked,
and the conversation state is persisted after every update (see
storage/persistence.py), so a writer can stop at any point, and the bot can
restart at any point, without losing a word.  Which draft is being edited is
derived, never remembered: it is the writer's most recently touched open
draft, and every button carries its submission id anyway.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import terbit
from bot.i18n.id import common as C
from bot.i18n.id import drafting as D
from domain import checks
from domain.guide import QUESTIONS
from domain.kinds import Kind
from domain.workflow import WorkflowError
from handlers import uploads
from handlers.common import answer, button, drop_buttons, pressed, reply
from handlers.render import attachment_lines, card_messages, checklist, fmt
from handlers.review_cards import send_review_cards
from services import drafts
from services.errors import ServiceError
from services.people import by_telegram_id, writer_sections

SECTION, KIND, TITLE, BODY_MODE, BODY, GUIDE, MEDIA, CAPTION, PREVIEW, EDIT, CONFIRM_CANCEL = (
    "section", "kind", "title", "body_mode", "body", "guide", "media", "caption", "preview", "edit", "confirm_cancel",
)
END = ConversationHandler.END

OPS = {
    "dr": 1,   # resume a draft
    "ds": 2,   # section
    "dk": 2,   # kind
    "dm": 2,   # body mode: f(ree) | g(uided)
    "mf": 1,   # media finished
    "mm": 1,   # manage attachments
    "mr": 2,   # remove attachment
    "mc": 2,   # caption for attachment
    "ps": 1,   # submit
    "pe": 2,   # edit a part
    "px": 1,   # mask personal data
    "pc": 1,   # cancel draft (asks)
    "pcy": 1,  # cancel draft (confirmed)
    "rv": 1,   # revise after a return
}


def _policy(context) -> checks.CheckPolicy:
    return terbit(context).checks


# --- prompts -----------------------------------------------------------------

async def ask(update: Update, context, d: drafts.Draft, person, step: str) -> str:
    sid = d.submission.id
    if step == SECTION:
        rows = [[button(context, sec.name, "ds", sid, sec.id)] for sec in writer_sections(person)]
        await reply(update, D.ASK_SECTION, rows)
    elif step == KIND:
        rows = [[button(context, D.KIND_LABELS[k.value], "dk", sid, k.value)] for k in Kind]
        await reply(update, D.ASK_KIND, rows)
    elif step == TITLE:
        await reply(update, D.ASK_TITLE)
    elif step == BODY_MODE:
        await reply(update, D.ASK_BODY_MODE, [[button(context, D.BODY_FREE, "dm", sid, "f")],
                                               [button(context, D.BODY_GUIDED, "dm", sid, "g")]])
    elif step == BODY:
        await reply(update, D.ASK_BODY)
    elif step == GUIDE:
        answered = d.revision.guide or {}
        key = next(q for q in QUESTIONS if q not in answered)
        await reply(update, D.GUIDE_QUESTIONS[key])
    elif step == MEDIA:
        await reply(update, D.ASK_MEDIA, uploads.media_buttons(context, sid))
    elif step == PREVIEW:
        await send_preview(update, context, d)
    return step


def next_step(d: drafts.Draft, person) -> str:
    """The first thing still missing; the preview once everything is there."""
    if d.submission.section_id is None and len(writer_sections(person)) > 1:
        return SECTION
    rev = d.revision
    if not rev.kind:
        return KIND
    if not rev.title:
        return TITLE
    if not rev.body:
        guide = rev.guide or {}
        if guide and any(q not in guide for q in QUESTIONS):
            return GUIDE
        return BODY_MODE
    return PREVIEW


async def send_preview(update: Update, context, d: drafts.Draft) -> None:
    sid = d.submission.id
    found = drafts.findings(d, _policy(context))
    rows = [[button(context, D.BTN_SUBMIT, "ps", sid)], [button(context, D.BTN_EDIT, "pe", sid, "menu")]]
    if any(f.code.startswith("pii_") for f in found):
        rows.append([button(context, D.BTN_MASK, "px", sid)])
    rows.append([button(context, D.BTN_CANCEL_DRAFT, "pc", sid)])
    messages = card_messages(D.PREVIEW_HEADER, d.submission, d.revision, d.attachments, [checklist(found)])
    for text in messages[:-1]:
        await reply(update, text)
    await reply(update, messages[-1], rows)


# --- loading -------------------------------------------------------------------

async def _writer_and_draft(update, context, s, submission_id: int | None = None):
    t = terbit(context)
    person = await by_telegram_id(s, update.effective_user.id)
    if person is None:
        raise ServiceError("not_a_writer")
    if submission_id is None:
        open_ = await drafts.open_drafts(s, person)
        if not open_:
            return person, None
        submission_id = open_[0].id
    d = await drafts.editable(s, submission_id, person, t.now())
    return person, d


async def _service_error(update: Update, exc: ServiceError) -> None:
    text = fmt(C.ERRORS.get(exc.code, C.GENERIC_ERROR), **{k: v for k, v in exc.params.items()
                                                           if isinstance(v, (str, int))})
    if update.callback_query:
        await answer(update, C.ERRORS.get(exc.code, C.GENERIC_ERROR), alert=True)
    else:
        await reply(update, text)


# --- entry points ----------------------------------------------------------------

async def cmd_new(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    t = terbit(context)
    try:
        async with t.sessions.begin() as s:
            person = await by_telegram_id(s, update.effective_user.id)
            d = await drafts.start(s, person, t.now())
            step = next_step(d, person)
    except ServiceError as exc:
        await _service_error(update, exc)
        return END
    await reply(update, fmt(D.NEW_DRAFT, id=d.submission.id))
    return await ask(update, context, d, person, step)


async def cmd_drafts(update: Update, context: ContextTypes.DEFAULT_TYPE):
    t = terbit(context)
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        open_ = await drafts.open_drafts(s, person)
        items = []
        for sub in open_[:20]:
            d = await drafts.load(s, sub.id)
            items.append((sub.id, d.revision.title or D.UNTITLED, sub.state))
    if not items:
        await reply(update, D.DRAFTS_EMPTY)
        return END
    rows = [[button(context, f"#{i} {title[:40]} — {C.STATE_LABELS[state]}", "dr", i)] for i, title, state in items]
    await reply(update, D.DRAFTS_HEADER, rows)
    return END


async def on_resume(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """A draft picked from /draf, or "Perbaiki" on a returned submission."""
    t = terbit(context)
    cb = await pressed(update, context, OPS)
    if cb is None:
        return None
    try:
        async with t.sessions.begin() as s:
            person, d = await _writer_and_draft(update, context, s, cb.int(0))
            step = next_step(d, person)
    except ServiceError as exc:
        await _service_error(update, exc)
        return END
    await answer(update)
    await reply(update, fmt(D.RESUMED, id=d.submission.id))
    return await ask(update, context, d, person, step)


async def on_stray(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """Text outside the conversation: a writer with an open draft is asked the
    draft's next question (the text itself is not taken as an answer: after a
    pause, the writer may have meant anything)."""
    t = terbit(context)
    async with t.sessions.begin() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        open_ = await drafts.open_drafts(s, person) if person else []
        if open_:
            person, d = await _writer_and_draft(update, context, s, open_[0].id)
            step = next_step(d, person)
    if not open_:
        await reply(update, C.UNKNOWN_INPUT)
        return None
    await reply(update, fmt(D.RESUMED, id=d.submission.id))
    return await ask(update, context, d, person, step)


# --- steps -----------------------------------------------------------------------

async def _button_step(update: Update, context, apply) -> str | None:
    """Common shape of a button press inside the draft: decode, load, apply, ask next."""
    t = terbit(context)
    cb = await pressed(update, context, OPS)
    if cb is None:
        return None
    try:
        async with t.sessions.begin() as s:
            person, d = await _writer_and_draft(update, context, s, cb.int(0))
            step = await apply(s, person, d, cb)
    except ServiceError as exc:
        await _service_error(update, exc)
        return None
    except WorkflowError:
        await answer(update, C.BUTTON_STALE, alert=True)
        return None
    await answer(update)
    await drop_buttons(update)
    if isinstance(step, Quiet):
        return str(step)
    return await ask(update, context, d, person, step) if step in _PROMPTED else step


_PROMPTED = {SECTION, KIND, TITLE, BODY_MODE, BODY, GUIDE, MEDIA, PREVIEW}


class Quiet(str):
    """A next state whose prompt the step already sent itself."""


async def on_section(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        drafts.set_section(d, person, cb.int(1))
        return next_step(d, person)
    return await _button_step(update, context, apply)


async def on_kind(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        try:
            drafts.set_kind(d, cb.args[1])
        except ValueError:
            raise ServiceError("submission_unknown")
        return next_step(d, person)
    return await _button_step(update, context, apply)


async def on_body_mode(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        if cb.args[1] == "g":
            d.revision.guide = {}
            return GUIDE
        return BODY
    return await _button_step(update, context, apply)


async def _text_step(update: Update, context, apply) -> str | None:
    t = terbit(context)
    text = update.effective_message.text or ""
    try:
        async with t.sessions.begin() as s:
            person, d = await _writer_and_draft(update, context, s)
            if d is None:
                return END
            step = await apply(s, person, d, text)
    except ServiceError as exc:
        await _service_error(update, exc)
        return None
    if isinstance(step, Quiet):
        return str(step)
    return await ask(update, context, d, person, step) if step in _PROMPTED else step


async def on_title(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, text):
        had_body = bool(d.revision.body)
        drafts.set_title(d, text)
        return PREVIEW if had_body else next_step(d, person)
    return await _text_step(update, context, apply)


async def on_body(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, text):
        first_time = not d.revision.body
        drafts.set_body(d, text)
        return MEDIA if first_time and not d.attachments else PREVIEW
    return await _text_step(update, context, apply)


async def on_guide(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, text):
        answered = d.revision.guide or {}
        key = next((q for q in QUESTIONS if q not in answered), None)
        if key is None:
            return PREVIEW
        if not text.strip():
            raise ServiceError("body_empty")
        drafts.set_guide_answer(d, key, text)
        if all(q in d.revision.guide for q in QUESTIONS):
            drafts.compose_body(d)
            return "composed"
        return GUIDE
    step = await _text_step(update, context, apply)
    if step == "composed":
        await reply(update, D.GUIDE_COMPOSED)
        t = terbit(context)
        async with t.sessions() as s:
            person, d = await _writer_and_draft(update, context, s)
            return await ask(update, context, d, person, MEDIA if not d.attachments else PREVIEW)
    return step


async def on_upload(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """A file in any drafting step is accepted, and the step stays where it was."""
    await uploads.receive(update, context, with_buttons=True)
    return None


async def on_media_done(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        return next_step(d, person)
    return await _button_step(update, context, apply)


async def on_manage(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        if not d.attachments:
            await reply(update, D.MANAGE_EMPTY, uploads.media_buttons(context, d.submission.id))
            return Quiet(MEDIA)
        lines = [D.MANAGE_HEADER.format(count=len(d.attachments))]
        lines += attachment_lines(d.attachments)
        rows = [[button(context, D.BTN_REMOVE.format(n=i), "mr", d.submission.id, a.id),
                 button(context, D.BTN_CAPTION.format(n=i), "mc", d.submission.id, a.id)]
                for i, a in enumerate(d.attachments, 1)]
        rows.append([button(context, D.MEDIA_DONE, "mf", d.submission.id)])
        await reply(update, "\n".join(lines), rows)
        return Quiet(MEDIA)
    return await _button_step(update, context, apply)


async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        ids = [a.id for a in d.attachments]
        n = ids.index(cb.int(1)) + 1 if cb.int(1) in ids else 0
        drafts.detach(d, cb.int(1))
        await reply(update, D.REMOVED.format(n=n, count=len(d.attachments)),
                    uploads.media_buttons(context, d.submission.id))
        return Quiet(MEDIA)
    return await _button_step(update, context, apply)


async def on_caption_pick(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        ids = [a.id for a in d.attachments]
        if cb.int(1) not in ids:
            raise ServiceError("attachment_unknown")
        att = d.attachments[ids.index(cb.int(1))]
        context.user_data["caption_for"] = att.id
        await reply(update, fmt(D.ASK_CAPTION, n=ids.index(att.id) + 1,
                                name=att.original_name or D.MEDIA_KIND_LABELS.get(att.kind, att.kind)))
        return CAPTION
    return await _button_step(update, context, apply)


async def on_caption_text(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, text):
        att_id = context.user_data.pop("caption_for", None)
        if att_id is None:  # lost in a restart: show the list again
            return MEDIA
        drafts.set_caption(d, att_id, text)
        await reply(update, D.CAPTION_SET, uploads.media_buttons(context, d.submission.id))
        return Quiet(MEDIA)
    step = await _text_step(update, context, apply)
    return step


async def on_submit(update: Update, context: ContextTypes.DEFAULT_TYPE):
    t = terbit(context)
    cb = await pressed(update, context, OPS)
    if cb is None:
        return None
    try:
        async with t.sessions.begin() as s:
            person, d = await _writer_and_draft(update, context, s, cb.int(0))
            await drafts.submit(s, d, person, _policy(context), t.now())
    except ServiceError as exc:
        if exc.code == "checks_failed":
            await answer(update, D.SUBMIT_BLOCKED, alert=True)
            return PREVIEW
        await _service_error(update, exc)
        return None
    except WorkflowError:
        await answer(update, C.BUTTON_STALE, alert=True)
        return END
    await answer(update)
    await drop_buttons(update)
    await reply(update, fmt(D.SUBMITTED, id=d.submission.id))
    await send_review_cards(context, d.submission.id)
    return END


async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        part = cb.args[1]
        sid = d.submission.id
        if part == "menu":
            rows = [[button(context, D.BTN_EDIT_TITLE, "pe", sid, "title"),
                     button(context, D.BTN_EDIT_BODY, "pe", sid, "body")],
                    [button(context, D.BTN_EDIT_KIND, "pe", sid, "kind"),
                     button(context, D.BTN_EDIT_MEDIA, "pe", sid, "media")]]
            if len(writer_sections(person)) > 1:
                rows.append([button(context, D.BTN_EDIT_SECTION, "pe", sid, "section")])
            await reply(update, D.ASK_EDIT, rows)
            return EDIT
        return {"title": TITLE, "body": BODY_MODE, "kind": KIND, "media": MEDIA, "section": SECTION}.get(part, PREVIEW)
    return await _button_step(update, context, apply)


async def on_mask(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        drafts.mask_personal_data(d)
        await reply(update, D.MASKED)
        return PREVIEW
    return await _button_step(update, context, apply)


async def on_cancel_ask(update: Update, context: ContextTypes.DEFAULT_TYPE):
    async def apply(s, person, d, cb):
        await reply(update, D.CONFIRM_CANCEL, [[button(context, D.BTN_CONFIRM_CANCEL, "pcy", d.submission.id),
                                                button(context, C.BACK, "mf", d.submission.id)]])
        return CONFIRM_CANCEL
    return await _button_step(update, context, apply)


async def on_cancel_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE):
    t = terbit(context)
    cb = await pressed(update, context, OPS)
    if cb is None:
        return None
    try:
        async with t.sessions.begin() as s:
            person, d = await _writer_and_draft(update, context, s, cb.int(0))
            await drafts.cancel(s, d, person, t.now())
    except (ServiceError, WorkflowError):
        await answer(update, C.BUTTON_STALE, alert=True)
        return END
    await answer(update)
    await drop_buttons(update)
    await reply(update, fmt(D.CANCELLED, id=d.submission.id))
    return END


async def on_leave(update: Update, context: ContextTypes.DEFAULT_TYPE):
    await reply(update, D.LEFT)
    return END


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE):
    await reply(update, C.UNSUPPORTED_MESSAGE)
    return None


async def on_wrong_input(update: Update, context: ContextTypes.DEFAULT_TYPE):
    await reply(update, D.USE_BUTTONS)
    return None


async def _update_entry(update: Update, context: ContextTypes.DEFAULT_TYPE):
    from handlers.updates import update_command  # updates.py imports this module
    return await update_command(update, context)


def build() -> ConversationHandler:
    def cb(fn, *ops):
        return CallbackQueryHandler(fn, pattern=rf"^1:(?:{'|'.join(ops)}):")

    text = filters.TEXT & ~filters.COMMAND
    files = (filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
             | filters.VIDEO_NOTE | filters.ANIMATION)
    buttons = [
        cb(on_section, "ds"), cb(on_kind, "dk"), cb(on_body_mode, "dm"), cb(on_media_done, "mf"),
        cb(on_manage, "mm"), cb(on_remove, "mr"), cb(on_caption_pick, "mc"), cb(on_submit, "ps"),
        cb(on_edit, "pe"), cb(on_mask, "px"), cb(on_cancel_ask, "pc"), cb(on_cancel_confirm, "pcy"),
        MessageHandler(files, on_upload),
    ]
    starts = [
        CommandHandler("baru", cmd_new),
        CommandHandler("perbarui", _update_entry),
        CommandHandler("draf", cmd_drafts),
        cb(on_resume, "dr", "rv"),
    ]
    # No allow_reentry: it would let the catch-all text entry below take every
    # answer.  Starting over is in the fallbacks instead, which PTB consults
    # once the state's own handlers have passed.
    return ConversationHandler(
        name="drafting",
        persistent=True,
        entry_points=[
            *starts,
            *buttons,
            # Last: a writer who talks to the bot outside the conversation (after
            # /batal) is taken back to where their draft stands.
            MessageHandler(text, on_stray),
        ],
        states={
            SECTION: buttons,
            KIND: buttons,
            TITLE: [MessageHandler(text, on_title), *buttons],
            BODY_MODE: buttons,
            BODY: [MessageHandler(text, on_body), *buttons],
            GUIDE: [MessageHandler(text, on_guide), *buttons],
            MEDIA: buttons,
            CAPTION: [MessageHandler(text, on_caption_text), *buttons],
            PREVIEW: buttons,
            EDIT: buttons,
            CONFIRM_CANCEL: buttons,
        },
        fallbacks=[
            *starts,
            CommandHandler("batal", on_leave),
            MessageHandler(text, on_wrong_input),
            MessageHandler(~filters.COMMAND & ~files, on_unsupported),
        ],
    )
