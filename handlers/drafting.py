"""The guided drafting conversation (SOP steps 1-3) as a ConversationHandler.

Every answer is written to the database before the next question is asked,
and the conversation state is persisted after every update (see
storage/persistence.py), so a writer can stop at any point, and the bot can
restart at any point, without losing a word.  Which draft is being edited is
derived, never remembered: it is the writer's most recently touched open
draft, and every button carries its submission id anyway.

Each step calls one use case of services/writing/drafting.py, which changes the draft
in its own transaction and says which question comes next; this module only
draws the questions (:func:`ask`).

Long texts are never cut: a phone sends a text over 4,096 characters as
several messages, so texts that follow the body before any file or button
press are joined to it (state ``BODY_MORE``), and "Ubah → Isi" changes one
paragraph at a time.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from telegram import Bot, Update
from telegram.ext import (
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.checks import SPELLING
from domain.kinds import Kind
from domain.workflow import WorkflowError
from handlers import uploads
from handlers.callbacks import Callback
from handlers.comment_notices import open_block, open_rows
from handlers.common import (
    Buttons,
    answer,
    answer_in_place,
    apply,
    bad_number,
    button,
    id_arg,
    on,
    pressed,
    reply,
    wake,
)
from handlers.common import reply as say
from handlers.context import Terbit, TerbitContext
from handlers.notices import send_text
from handlers.ops import Op
from handlers.paragraph_view import number_rows, numbered_messages, pieces
from handlers.render import attachment_lines, card_messages, checklist, esc, fmt, local_time, thousands
from handlers.review_cards import desk_row
from publishers.render import zone_abbr
from services.errors import ServiceError
from services.reviewing import comments
from services.transitions.effects import Worker
from services.website import updates
from services.writing import drafting, kip
from services.writing.drafting import EDIT_MENU, Drafted, DraftView, Step
from texts.id import common as C
from texts.id import desk as DK
from texts.id import drafting as D
from texts.id import kip as K
from texts.id import publishing as P
from texts.id import review as R

END = ConversationHandler.END
#: What a handler returns to the ConversationHandler: the next state, END, or None (stay).
Next = Step | int | None
T = TypeVar("T")

GUIDED, FREE = "g", "f"
#: user_data: the draft and first message of the body just received (its further parts join it),
#: and the paragraph they continue (0: the body's end).
BODY_WINDOW = "body_window"
#: user_data: the paragraph being changed ("Ubah → Isi"), and the body it was picked from.
PARAGRAPH = "paragraph"


# --- questions -------------------------------------------------------------------------

async def ask(update: Update, context: TerbitContext, d: DraftView, step: Step,
              lead: str | None = None) -> Step:
    """Draw the question of this step (the preview for PREVIEW; nothing for a step
    whose handler draws its own message); returns the step.  ``lead``: a line
    said in the same message, before the question (one message, not two)."""
    sid = d.id

    async def reply(update: Update, text: str, rows: Buttons | None = None) -> None:
        nonlocal lead
        if lead:
            text, lead = f"{lead}\n\n{text}", None
        await say(update, text, rows)

    if step == Step.SECTION:
        await reply(update, D.ASK_SECTION, [[button(context, sec.name, Op.SECTION, sid, sec.id)] for sec in d.sections])
    elif step == Step.KIND:
        await reply(update, D.ASK_KIND,
                    [[button(context, D.KIND_LABELS[k.value], Op.KIND, sid, k.value)] for k in Kind])
    elif step == Step.TITLE:
        await reply(update, D.ASK_TITLE)
    elif step == Step.BODY_MODE:
        await reply(update, D.ASK_BODY_MODE, [[button(context, D.BODY_FREE, Op.BODY_MODE, sid, FREE)],
                                               [button(context, D.BODY_GUIDED, Op.BODY_MODE, sid, GUIDED)]])
    elif step == Step.BODY:
        await reply(update, D.ASK_BODY)
    elif step == Step.GUIDE:
        await reply(update, *_guide_question(context, d))
    elif step == Step.MEDIA:
        await reply(update, D.ASK_MEDIA, uploads.media_buttons(context, sid))
    elif step == Step.PREVIEW:
        await send_preview(update, context, d, lead)
    elif step == Step.PARAGRAPHS:
        await send_paragraphs(update, context, d, lead)
    return step


async def send_paragraphs(update: Update, context: TerbitContext, d: DraftView,
                          lead: str | None = None) -> None:
    """"Ubah → Isi": the body as numbered paragraphs, a button each; the last message carries them."""
    sid, body = d.id, d.revision.body or ""
    head = [x for x in (lead, fmt(D.EDIT_BODY_MENU, id=sid)) if x]
    messages = numbered_messages(head, body, D.BODY_EMPTY)
    rows = [*number_rows(body, lambda n: button(context, D.BTN_PARA.format(n=n), Op.EDIT_PARA, sid, n)),
            [button(context, D.BTN_ADD_PARA, Op.EDIT_PARA, sid, 0)],
            [button(context, D.BTN_REWRITE, Op.EDIT, sid, "rewrite")],
            [button(context, C.BACK, Op.MEDIA_DONE, sid)]]
    for text in messages[:-1]:
        await reply(update, text)
    await reply(update, messages[-1], rows)


async def send_preview(update: Update, context: TerbitContext, d: DraftView,
                       lead: str | None = None) -> None:
    """The draft as it would be published, the checklist, and what can be done with it."""
    sid = d.id
    rows = [[button(context, D.BTN_SUBMIT, Op.SUBMIT, sid)], [button(context, D.BTN_EDIT, Op.EDIT, sid, EDIT_MENU)]]
    cls = await context.terbit.run(kip.class_of, sid)  # the public-information class (UU 14/2008)
    rows.insert(1, [button(context, K.BTN_CLASS.format(label=cls.label), Op.KIP_CLASS_MENU, sid)])  # handlers/kip.py
    if any(f.code.startswith("pii_") for f in d.findings):
        rows.append([button(context, D.BTN_MASK, Op.MASK, sid)])
    photo_line, photo_rows = _photo_facts(context, d)
    rows.extend(photo_rows)
    if any(f.code == SPELLING and f.params.get("fixable") for f in d.findings):
        rows.append([button(context, D.BTN_FIX_SPELLING, Op.FIX_SPELLING, sid)])
    if d.revision.kind and Kind(d.revision.kind).can_expire:
        rows.append([button(context, D.BTN_EXPIRY, Op.EXPIRY, sid)])
    open_ = await context.terbit.run(comments.open_list, sid)  # the reviewers' open comments, a button each
    rows.extend(open_rows(context.terbit, open_))
    rows.append([button(context, D.BTN_CANCEL_DRAFT, Op.CANCEL_DRAFT, sid)])
    chat = update.effective_chat  # the review desk, read-only: the article as the site will show it
    site = desk_row(context.terbit, chat.id if chat is not None else 0, sid, d.revision.id, DK.BTN_PREVIEW)
    if site:
        rows.insert(1, site)
    header = f"{lead}\n\n{D.PREVIEW_HEADER}" if lead else D.PREVIEW_HEADER
    if d.submission.expires_at is not None:  # an announcement's end, as the reviewers will see it
        header += "\n" + expiry_line(context.terbit, d.submission.expires_at)
    messages = card_messages(header, d.submission, d.revision, list(d.attachments),
                             [checklist(d.findings, d.attachments), photo_line, open_block(open_)])
    for text in messages[:-1]:
        await reply(update, text)
    await reply(update, messages[-1], rows)


def _guide_question(context: TerbitContext, d: DraftView) -> tuple[str, Buttons | None]:
    """The guide's next question; at Kapan/Di mana, with the photos' answer as a button."""
    question = D.GUIDE_QUESTIONS[d.next_question or ""]
    policy = context.terbit.checks
    if d.next_question not in drafting.photo_parts_usable(d, policy):
        return question, None
    answer_ = drafting.photo_facts(d, policy).answer(d.next_question or "") or ""
    return (f"{question}\n{D.GUIDE_PHOTO_HINT}",
            [[button(context, fmt(D.BTN_PHOTO_ANSWER, answer=answer_), Op.PHOTO_USE, d.id, d.next_question)]])


def _photo_facts(context: TerbitContext, d: DraftView) -> tuple[str | None, list[list[tuple[str, str]]]]:
    """The preview's "📷 Foto diambil …" line, and the buttons that use it (a guided body only)."""
    policy = context.terbit.checks
    facts = drafting.photo_facts(d, policy)
    if facts.when and facts.where:
        line = fmt(D.PHOTO_TAKEN_BOTH, when=facts.when, where=facts.where)
    elif facts.when or facts.where:
        line = fmt(D.PHOTO_TAKEN_WHEN, when=facts.when) if facts.when else fmt(D.PHOTO_TAKEN_WHERE, where=facts.where)
    else:
        return None, []
    usable = drafting.photo_parts_usable(d, policy)
    labels = {"kapan": D.BTN_PHOTO_WHEN, "di_mana": D.BTN_PHOTO_WHERE}
    rows = [[button(context, labels[p], Op.PHOTO_USE, d.id, p) for p in usable]] if usable else []
    return (f"{line}\n{D.PHOTO_TAKEN_USE}" if usable else line), rows


async def on_photo_use(update: Update, context: TerbitContext) -> Next:
    """A photo's time or place taken as the Kapan/Di mana answer: the guide goes on, or the preview."""
    t = context.terbit
    cb = await pressed(update, context, Op.PHOTO_USE)
    if cb is None:
        return None
    try:
        out = await t.run(drafting.use_photo_fact, telegram_id=_writer(update), submission_id=cb.int(0),
                                            part=cb.args[1], policy=t.checks, now=t.now())
    except ServiceError as exc:
        if exc.code == "photo_fact_gone":
            await answer(update, D.PHOTO_FACT_GONE, alert=True)
            return None
        await _refuse(update, exc)
        return None
    except WorkflowError as exc:
        await _refuse(update, exc)
        return None
    await answer(update, D.PHOTO_USED)
    await answer_in_place(update)
    lead = D.GUIDE_COMPOSED if out.composed else None
    return await ask(update, context, out.draft, out.step, lead=lead)


async def _ask_next(update: Update, context: TerbitContext, out: Drafted | Next) -> Next:
    """After a step: ask the question it leads to (a refused or finished step says where to go itself)."""
    if isinstance(out, Drafted):
        return await ask(update, context, out.draft, out.step)
    return out


# --- the shape of every step ---------------------------------------------------------------

async def _refuse(update: Update, exc: ServiceError | WorkflowError) -> None:
    """Say why a step was refused: in a popup for a button, in a reply to a text."""
    if isinstance(exc, WorkflowError):
        await answer(update, C.BUTTON_STALE, alert=True)
        return
    text = C.ERRORS.get(exc.code, C.GENERIC_ERROR)
    if update.callback_query:
        await answer(update, text, alert=True)
    else:
        await reply(update, fmt(text, **{k: v for k, v in exc.params.items() if isinstance(v, (str, int))}))


async def _press(update: Update, context: TerbitContext, ops: tuple[Op, ...],
                 run: Callable[[Terbit, Callback], Awaitable[T]], *, drop: bool = True,
                 refused: Next = None) -> T | Next:
    """A button inside a draft: verify the press, run its use case, then answer the
    press and drop the pressed keyboard.  A refusal is told; ``refused`` is then returned."""
    cb = await pressed(update, context, *ops)
    if cb is None:
        return None
    try:
        out = await run(context.terbit, cb)
    except (ServiceError, WorkflowError) as exc:
        await _refuse(update, exc)
        return refused
    await answer(update)
    if drop:
        await answer_in_place(update)
    return out


async def _typed(update: Update, context: TerbitContext,
                 run: Callable[[Terbit, str], Awaitable[T | None]]) -> T | Next:
    """A typed answer to the open draft: run its use case; END when no draft is open,
    None (the question stands) after telling why the answer was refused."""
    try:
        out = await run(context.terbit, update.effective_message.text or "")
    except ServiceError as exc:
        await _refuse(update, exc)
        return None
    return END if out is None else out


def _writer(update: Update) -> int:
    return update.effective_user.id


# --- entry points ------------------------------------------------------------------------

async def cmd_new(update: Update, context: TerbitContext) -> Next:
    """/baru: a new draft; asks its first question."""
    t = context.terbit
    try:
        out = await t.run(drafting.start_draft, telegram_id=_writer(update), policy=t.checks, now=t.now())
    except ServiceError as exc:
        await _refuse(update, exc)
        return END
    return await ask(update, context, out.draft, out.step, lead=fmt(D.NEW_DRAFT, id=out.draft.id))


async def cmd_drafts(update: Update, context: TerbitContext) -> Next:
    """/draf: the open drafts, each a button that resumes it."""
    items = await context.terbit.run(drafting.list_drafts, telegram_id=_writer(update))
    if not items:
        await reply(update, D.DRAFTS_EMPTY)
        return END
    rows = [[button(context, f"#{i.id} {(i.title or D.UNTITLED)[:40]} — {C.STATE_LABELS[i.state]}", Op.RESUME, i.id)]
            for i in items]
    await reply(update, D.DRAFTS_HEADER, rows)
    return END


async def cmd_update(update: Update, context: TerbitContext) -> Next:
    """/perbarui <nomor>: opens a new revision of a live article; shows its preview."""
    t = context.terbit
    sid = id_arg(context)
    if (bad := bad_number(context, "perbarui")) is not None:
        await reply(update, bad)
        return None
    if sid is None:
        await reply(update, P.UPDATE_USAGE)
        return None
    try:
        started = await t.run(updates.start_update_as, telegram_id=_writer(update), submission_id=sid,
                                                policy=t.checks, now=t.now())
    except ServiceError:
        await reply(update, fmt(C.NOT_FOUND, id=sid))
        return None
    except WorkflowError as exc:
        await reply(update, P.WORKFLOW_REFUSALS.get(exc.code, C.BUTTON_STALE))
        return None
    apply(context, started.outcome)
    return await ask(update, context, started.draft, Step.PREVIEW,
                     lead=fmt(P.UPDATE_STARTED, id=sid, title=started.outcome.title))


async def on_resume(update: Update, context: TerbitContext) -> Next:
    """A draft picked from /draf, or "Perbaiki" on a returned submission: asks what it still needs."""
    out = await _press(update, context, (Op.RESUME, Op.REVISE), lambda t, cb: t.run(drafting.open_draft,
        telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks, now=t.now()),
        drop=False, refused=END)
    if isinstance(out, Drafted):
        return await ask(update, context, out.draft, out.step, lead=fmt(D.RESUMED, id=out.draft.id))
    return out


async def on_stray(update: Update, context: TerbitContext) -> Next:
    """Text outside the conversation: a writer with an open draft is asked the
    draft's next question (the text itself is not taken as an answer: after a
    pause, the writer may have meant anything)."""
    t = context.terbit
    out = await t.run(drafting.latest_draft, telegram_id=_writer(update), policy=t.checks, now=t.now())
    if out is None:
        await reply(update, C.UNKNOWN_INPUT)
        return None
    return await ask(update, context, out.draft, out.step, lead=fmt(D.RESUMED, id=out.draft.id))


# --- button steps ----------------------------------------------------------------------------

async def on_section(update: Update, context: TerbitContext) -> Next:
    """A section picked: asks what is still missing."""
    return await _ask_next(update, context, await _press(update, context, (Op.SECTION,), lambda t, cb: (
        t.run(drafting.choose_section, telegram_id=_writer(update), submission_id=cb.int(0),
                                section_id=cb.int(1), policy=t.checks, now=t.now()))))


async def on_kind(update: Update, context: TerbitContext) -> Next:
    """A kind picked: asks what is still missing."""
    return await _ask_next(update, context, await _press(update, context, (Op.KIND,), lambda t, cb: (
        t.run(drafting.choose_kind, telegram_id=_writer(update), submission_id=cb.int(0), kind=cb.args[1],
                             policy=t.checks, now=t.now()))))


async def on_body_mode(update: Update, context: TerbitContext) -> Next:
    """Free writing or the 5W1H guide: asks for the body, or the guide's first question."""
    return await _ask_next(update, context, await _press(update, context, (Op.BODY_MODE,), lambda t, cb: (
        t.run(drafting.choose_body_mode, telegram_id=_writer(update), submission_id=cb.int(0),
                                  guided=cb.args[1] == GUIDED, policy=t.checks, now=t.now()))))


async def on_media_done(update: Update, context: TerbitContext) -> Next:
    """"Selesai" (or "Kembali"): asks what is still missing, else shows the preview."""
    return await _ask_next(update, context, await _press(update, context, (Op.MEDIA_DONE,), lambda t, cb: (
        t.run(drafting.open_draft, telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks,
                            now=t.now()))))


async def on_manage(update: Update, context: TerbitContext) -> Next:
    """"Kelola lampiran": the attachments, each with remove and caption buttons."""
    out = await _press(update, context, (Op.MEDIA_MANAGE,), lambda t, cb: t.run(drafting.open_draft,
        telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks, now=t.now()))
    if not isinstance(out, Drafted):
        return out
    d = out.draft
    if not d.attachments:
        await reply(update, D.MANAGE_EMPTY, uploads.media_buttons(context, d.id))
        return Step.MEDIA
    lines = [D.MANAGE_HEADER.format(count=len(d.attachments)), *attachment_lines(list(d.attachments))]
    rows: Buttons = [[button(context, D.BTN_REMOVE.format(n=i), Op.MEDIA_REMOVE, d.id, a.id),
                      button(context, D.BTN_CAPTION.format(n=i), Op.MEDIA_CAPTION, d.id, a.id)]
                     for i, a in enumerate(d.attachments, 1)]
    await reply(update, "\n".join(lines), [*rows, [button(context, D.MEDIA_DONE, Op.MEDIA_DONE, d.id)]])
    return Step.MEDIA


async def on_remove(update: Update, context: TerbitContext) -> Next:
    """An attachment removed: says how many remain; the media step again."""
    out = await _press(update, context, (Op.MEDIA_REMOVE,), lambda t, cb: t.run(drafting.remove_attachment,
        telegram_id=_writer(update), submission_id=cb.int(0), attachment_id=cb.int(1),
        policy=t.checks, now=t.now()))
    if not isinstance(out, drafting.Removed):
        return out
    await reply(update, D.REMOVED.format(n=out.position, count=len(out.draft.attachments)),
                uploads.media_buttons(context, out.draft.id))
    return Step.MEDIA


async def on_caption_pick(update: Update, context: TerbitContext) -> Next:
    """An attachment to caption: asks for the caption."""
    out = await _press(update, context, (Op.MEDIA_CAPTION,), lambda t, cb: t.run(drafting.pick_attachment,
        telegram_id=_writer(update), submission_id=cb.int(0), attachment_id=cb.int(1),
        policy=t.checks, now=t.now()))
    if not isinstance(out, drafting.Picked):
        return out
    att = out.attachment
    if context.user_data is not None:
        context.user_data["caption_for"] = att.id
    await reply(update, fmt(D.ASK_CAPTION, n=out.position,
                            name=att.original_name or D.MEDIA_KIND_LABELS.get(att.kind, att.kind)))
    return Step.CAPTION


async def on_edit(update: Update, context: TerbitContext) -> Next:
    """"Ubah": the menu of parts, or the question that changes the part chosen."""
    out = await _press(update, context, (Op.EDIT,), lambda t, cb: t.run(drafting.edit_part,
        telegram_id=_writer(update), submission_id=cb.int(0), part=cb.args[1], policy=t.checks,
        now=t.now()))
    if not isinstance(out, Drafted) or out.step != Step.EDIT:
        return await _ask_next(update, context, out)
    sid = out.draft.id
    rows = [[button(context, D.BTN_EDIT_TITLE, Op.EDIT, sid, "title"),
             button(context, D.BTN_EDIT_BODY, Op.EDIT, sid, "body")],
            [button(context, D.BTN_EDIT_KIND, Op.EDIT, sid, "kind"),
             button(context, D.BTN_EDIT_MEDIA, Op.EDIT, sid, "media")]]
    if len(out.draft.sections) > 1:
        rows.append([button(context, D.BTN_EDIT_SECTION, Op.EDIT, sid, "section")])
    await reply(update, D.ASK_EDIT, rows)
    return Step.EDIT


async def on_edit_para(update: Update, context: TerbitContext) -> Next:
    """A paragraph picked in "Ubah → Isi" (or "Tambah paragraf"): asks for its new text."""
    out = await _press(update, context, (Op.EDIT_PARA,), lambda t, cb: t.run(drafting.paragraph_of,
        telegram_id=_writer(update), submission_id=cb.int(0), number=cb.int(1), policy=t.checks,
        now=t.now()), drop=False)
    if not isinstance(out, drafting.Paragraph):
        return out
    d, n = out.draft, out.number
    if out.text is None:  # a button from an older list
        await send_paragraphs(update, context, d, D.PARA_GONE)
        return Step.PARAGRAPHS
    if context.user_data is not None:
        context.user_data[PARAGRAPH] = {"sid": d.id, "n": n, "was": out.was}
    back = button(context, C.BACK, Op.EDIT, d.id, "body")
    if not n:
        await reply(update, D.ASK_NEW_PARA, [[back]])
        return Step.PARAGRAPH
    await reply(update, fmt(D.ASK_PARA, n=n),
                [[button(context, D.BTN_DELETE_PARA.format(n=n), Op.EDIT_PARA_DROP, d.id, n, out.was), back]])
    for piece in pieces(out.text):  # on its own, to copy and fix
        await reply(update, esc(piece))
    return Step.PARAGRAPH


async def on_paragraph_text(update: Update, context: TerbitContext) -> Next:
    """The new text of the paragraph picked ("-": delete it): saved, then the preview.
    Texts right after it are its further parts (:func:`on_body_part`)."""
    picked = (context.user_data or {}).get(PARAGRAPH)
    if not picked:  # lost in a restart
        return await on_wrong_input(update, context)
    msg = update.effective_message
    delete = bool(picked["n"]) and (msg.text or "").strip() == "-"
    out = await _typed(update, context, lambda t, text: t.run(drafting.set_paragraph,
        telegram_id=_writer(update), submission_id=picked["sid"], number=picked["n"],
        text=None if delete else text, was=picked["was"], policy=t.checks, now=t.now()))
    if not isinstance(out, drafting.ParagraphSet):
        return out
    context.user_data.pop(PARAGRAPH, None)
    return await _paragraph_saved(update, context, out, delete, msg.message_id)


async def on_paragraph_drop(update: Update, context: TerbitContext) -> Next:
    """"Hapus ¶n": the paragraph is deleted (from the body it was picked from); the preview."""
    out = await _press(update, context, (Op.EDIT_PARA_DROP,), lambda t, cb: t.run(drafting.set_paragraph,
        telegram_id=_writer(update), submission_id=cb.int(0), number=cb.int(1), text=None,
        was=cb.args[2], policy=t.checks, now=t.now()))
    if not isinstance(out, drafting.ParagraphSet):
        return out
    (context.user_data or {}).pop(PARAGRAPH, None)
    return await _paragraph_saved(update, context, out, True, 0)


async def _paragraph_saved(update: Update, context: TerbitContext, out: drafting.ParagraphSet,
                           deleted: bool, message_id: int) -> Next:
    """Says what happened to the paragraph, shows the preview, and opens the window
    for further parts of the text just received (``message_id``; 0: none)."""
    lead, n = None, out.number
    if out.changed:
        lead = fmt(D.PARA_DELETED, n=n) if deleted else fmt(D.PARA_CHANGED, n=n) if n else D.PARA_ADDED
    await send_preview(update, context, out.draft, lead)
    if not out.last or not message_id or context.user_data is None:
        return Step.PREVIEW
    context.user_data[BODY_WINDOW] = {"sid": out.draft.id, "first": message_id, "paragraph": out.last}
    return Step.BODY_MORE


def expiry_line(t: Terbit, at: datetime) -> str:
    """"⏳ Berlaku sampai: Kamis, 10 Desember 2026 pukul 23.59 WIB"."""
    return fmt(R.EXPIRY_LINE, when=local_time(at, t.settings.timezone))


async def on_expiry_ask(update: Update, context: TerbitContext) -> Next:
    """⏳ Berlaku sampai (a pengumuman): asks for the end date."""
    out = await _press(update, context, (Op.EXPIRY,), lambda t, cb: t.run(drafting.open_draft,
        telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks, now=t.now()))
    if not isinstance(out, Drafted):
        return out
    t = context.terbit
    await reply(update, fmt(D.ASK_EXPIRY, zone=zone_abbr(t.now().astimezone(t.office_hours.tz))))
    return Step.EXPIRY


EXPIRY_REFUSALS = {"expiry_past": D.EXPIRY_PAST, "expiry_kind": D.EXPIRY_KIND}


async def on_expiry_text(update: Update, context: TerbitContext) -> Next:
    """The typed end date: the preview again with it (a past or unreadable date is asked again)."""
    t = context.terbit
    try:
        out = await t.run(drafting.set_expiry, telegram_id=_writer(update),
                                        text=update.effective_message.text or "", tz=t.settings.timezone,
                                        policy=t.checks, now=t.now())
    except ServiceError as exc:
        await reply(update, EXPIRY_REFUSALS.get(exc.code, D.EXPIRY_UNREADABLE))
        return Step.EXPIRY
    if out is None:
        return END
    at = out.draft.submission.expires_at
    lead = fmt(D.EXPIRY_SET, when=local_time(at, t.settings.timezone)) if at \
        else D.EXPIRY_CLEARED
    return await ask(update, context, out.draft, out.step, lead=lead)


async def on_mask(update: Update, context: TerbitContext) -> Next:
    """Personal data masked: says so, then the preview again."""
    out = await _press(update, context, (Op.MASK,), lambda t, cb: t.run(drafting.mask_draft,
        telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks, now=t.now()))
    if isinstance(out, Drafted):
        return await ask(update, context, out.draft, out.step, lead=D.MASKED)
    return out


async def on_fix_spelling(update: Update, context: TerbitContext) -> Next:
    """Non-standard forms replaced by their KBBI form: says so, then the preview again."""
    out = await _press(update, context, (Op.FIX_SPELLING,), lambda t, cb: t.run(drafting.fix_spelling_draft,
        telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks, now=t.now()))
    if isinstance(out, Drafted):
        return await ask(update, context, out.draft, out.step, lead=D.SPELLING_FIXED)
    return out


async def on_submit(update: Update, context: TerbitContext) -> Next:
    """"Ajukan": the draft goes to the Kasubbag (their cards are owed); the conversation ends."""
    t = context.terbit
    cb = await pressed(update, context, Op.SUBMIT)
    if cb is None:
        return None
    try:
        outcome = await t.run(drafting.submit_draft, telegram_id=_writer(update), submission_id=cb.int(0),
                                              policy=t.checks, now=t.now())
    except ServiceError as exc:
        if exc.code == "checks_failed":
            await answer(update, D.SUBMIT_BLOCKED, alert=True)
            return Step.PREVIEW
        await _refuse(update, exc)
        return None
    except WorkflowError as exc:
        if exc.code == "kip_excepted":  # UU 14/2008 Pasal 17: the workflow never lets it go toward the website
            await answer(update, K.EXCEPTED_POPUP_WRITER, alert=True)
            await reply(update, K.EXCEPTED_REASON)
            return Step.PREVIEW
        await answer(update, C.BUTTON_STALE, alert=True)
        return END
    await answer(update)
    await answer_in_place(update)
    await reply(update, fmt(D.SUBMITTED, id=outcome.submission_id))
    apply(context, outcome)
    return END


async def on_cancel_ask(update: Update, context: TerbitContext) -> Next:
    """"Batalkan draf": asks to confirm."""
    out = await _press(update, context, (Op.CANCEL_DRAFT,), lambda t, cb: t.run(drafting.open_draft,
        telegram_id=_writer(update), submission_id=cb.int(0), policy=t.checks, now=t.now()))
    if not isinstance(out, Drafted):
        return out
    sid = out.draft.id
    await reply(update, D.CONFIRM_CANCEL, [[button(context, D.BTN_CONFIRM_CANCEL, Op.CANCEL_DRAFT_YES, sid),
                                            button(context, C.BACK, Op.MEDIA_DONE, sid)]])
    return Step.CONFIRM_CANCEL


async def on_cancel_confirm(update: Update, context: TerbitContext) -> Next:
    """Cancelling confirmed: the draft is kept but never processed; the conversation ends."""
    t = context.terbit
    cb = await pressed(update, context, Op.CANCEL_DRAFT_YES)
    if cb is None:
        return None
    try:
        outcome = await t.run(drafting.cancel_draft, telegram_id=_writer(update), submission_id=cb.int(0),
                                              now=t.now())
    except (ServiceError, WorkflowError):
        await answer(update, C.BUTTON_STALE, alert=True)
        return END
    await answer(update)
    await answer_in_place(update)
    await reply(update, fmt(D.CANCELLED, id=outcome.submission_id))
    apply(context, outcome)
    return END


# --- typed steps --------------------------------------------------------------------------------

async def on_title(update: Update, context: TerbitContext) -> Next:
    """A title: asks what is still missing (the preview when the body is there)."""
    return await _ask_next(update, context, await _typed(update, context, lambda t, text: t.run(drafting.set_title,
        telegram_id=_writer(update), text=text, policy=t.checks, now=t.now())))


async def on_body(update: Update, context: TerbitContext) -> Next:
    """A body: asks for media the first time, else shows the preview.  Texts that
    follow it before any file or button are its further parts (:func:`on_body_part`)."""
    out = await _typed(update, context, lambda t, text: t.run(drafting.set_body,
        telegram_id=_writer(update), text=text, policy=t.checks, now=t.now()))
    if not isinstance(out, Drafted):
        return out
    if context.user_data is not None:
        context.user_data[BODY_WINDOW] = {"sid": out.draft.id, "first": update.effective_message.message_id}
    await ask(update, context, out.draft, out.step)
    return Step.BODY_MORE


async def on_body_part(update: Update, context: TerbitContext) -> Next:
    """A text right after the body, with no file or button press in between (nor
    /batal, /baru, /draf): the next part of a long text the phone split.  Joined
    to the body; the acknowledgement with the running count is owed by the use
    case (keyed by the part) and delivered by the postman."""
    window = (context.user_data or {}).get(BODY_WINDOW)
    if not window:  # lost in a restart: the body step is over, as before
        return await on_wrong_input(update, context)
    msg = update.effective_message
    if msg.message_id <= window["first"]:
        # The first part itself, handled again after a crash that came after its
        # step was saved: it is in the body, and its answer was owed already.
        return Step.BODY_MORE
    out = await _typed(update, context, lambda t, text: t.run(drafting.continue_body,
        telegram_id=_writer(update), submission_id=window["sid"], chat_id=msg.chat_id,
        first_message_id=window["first"], message_id=msg.message_id, text=text, policy=t.checks, now=t.now(),
        paragraph=window.get("paragraph", 0)))
    if not isinstance(out, drafting.BodyParts):
        return out
    if context.user_data is not None:
        context.user_data[BODY_WINDOW] = {**window, "paragraph": out.paragraph}
    wake(context, Worker.POSTMAN)
    return Step.BODY_MORE


async def draw_body_parts(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """"Isi diterima: 2 bagian, 10.001 karakter", with the media step's buttons."""
    sid = params["submission_id"]
    rows = [[(D.MEDIA_DONE, t.codec.encode(Op.MEDIA_DONE, sid))],
            [(D.MEDIA_MANAGE, t.codec.encode(Op.MEDIA_MANAGE, sid))]]
    text = fmt(D.BODY_PARTS_RECEIVED, parts=thousands(params["parts"]), chars=thousands(params["chars"]))
    return await send_text(bot, chat_id, text, rows)


async def on_guide(update: Update, context: TerbitContext) -> Next:
    """A 5W1H answer: the next question; after the last, the composed body and media or preview."""
    out = await _typed(update, context, lambda t, text: t.run(drafting.answer_guide,
        telegram_id=_writer(update), text=text, policy=t.checks, now=t.now()))
    if isinstance(out, Drafted) and out.composed:
        return await ask(update, context, out.draft, out.step, lead=D.GUIDE_COMPOSED)
    return await _ask_next(update, context, out)


async def on_caption_text(update: Update, context: TerbitContext) -> Next:
    """A caption for the attachment picked before: saved; the media step again."""
    att_id = (context.user_data or {}).pop("caption_for", None)
    if att_id is None:  # lost in a restart: show the media step again
        out = await _typed(update, context, lambda t, text: t.run(drafting.latest_draft,
            telegram_id=_writer(update), policy=t.checks, now=t.now()))
        return await ask(update, context, out.draft, Step.MEDIA) if isinstance(out, Drafted) else out
    captioned = await _typed(update, context, lambda t, text: t.run(drafting.set_caption,
        telegram_id=_writer(update), attachment_id=att_id, text=text, policy=t.checks, now=t.now()))
    if not isinstance(captioned, Drafted):
        return captioned
    await reply(update, D.CAPTION_SET, uploads.media_buttons(context, captioned.draft.id))
    return Step.MEDIA


async def on_upload(update: Update, context: TerbitContext) -> Next:
    """A file in any drafting step is accepted, and the step stays where it was."""
    await uploads.receive(update, context, with_buttons=True)
    return None


async def on_upload_after_body(update: Update, context: TerbitContext) -> Next:
    """A file right after the body: accepted, and the body is complete (a text now is not a part)."""
    await uploads.receive(update, context, with_buttons=True)
    return Step.MEDIA


# --- leaving and wrong input ----------------------------------------------------------------------

async def on_leave(update: Update, context: TerbitContext) -> Next:
    """/batal: the draft stays saved; the conversation ends."""
    await reply(update, D.LEFT)
    return END


async def on_unsupported(update: Update, context: TerbitContext) -> Next:
    """A sticker, location and the like: says what can be sent."""
    await reply(update, C.UNSUPPORTED_MESSAGE)
    return None


async def on_wrong_input(update: Update, context: TerbitContext) -> Next:
    """Text where a button is expected: points at the buttons."""
    await reply(update, D.USE_BUTTONS)
    return None


def build() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    files = (filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
             | filters.VIDEO_NOTE | filters.ANIMATION)
    buttons = [
        on(on_section, Op.SECTION), on(on_kind, Op.KIND), on(on_body_mode, Op.BODY_MODE),
        on(on_media_done, Op.MEDIA_DONE), on(on_manage, Op.MEDIA_MANAGE), on(on_remove, Op.MEDIA_REMOVE),
        on(on_caption_pick, Op.MEDIA_CAPTION), on(on_submit, Op.SUBMIT), on(on_edit, Op.EDIT),
        on(on_mask, Op.MASK), on(on_expiry_ask, Op.EXPIRY), on(on_cancel_ask, Op.CANCEL_DRAFT),
        on(on_cancel_confirm, Op.CANCEL_DRAFT_YES),
        on(on_edit_para, Op.EDIT_PARA), on(on_paragraph_drop, Op.EDIT_PARA_DROP),
        on(on_photo_use, Op.PHOTO_USE),
        on(on_fix_spelling, Op.FIX_SPELLING),
        MessageHandler(files, on_upload),
    ]
    starts = [
        CommandHandler("baru", cmd_new),
        CommandHandler("perbarui", cmd_update),
        CommandHandler("draf", cmd_drafts),
        on(on_resume, Op.RESUME, Op.REVISE),
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
            Step.SECTION: buttons,
            Step.KIND: buttons,
            Step.TITLE: [MessageHandler(text, on_title), *buttons],
            Step.BODY_MODE: buttons,
            Step.BODY: [MessageHandler(text, on_body), *buttons],
            # Any button or file ends the body: a later text is not taken as part of it.
            Step.BODY_MORE: [MessageHandler(text, on_body_part), MessageHandler(files, on_upload_after_body),
                             *buttons],
            Step.GUIDE: [MessageHandler(text, on_guide), *buttons],
            Step.MEDIA: buttons,
            Step.CAPTION: [MessageHandler(text, on_caption_text), *buttons],
            Step.PREVIEW: buttons,
            Step.PARAGRAPHS: buttons,
            Step.PARAGRAPH: [MessageHandler(text, on_paragraph_text), *buttons],
            Step.EDIT: buttons,
            Step.CONFIRM_CANCEL: buttons,
            Step.EXPIRY: [MessageHandler(text, on_expiry_text), *buttons],
        },
        fallbacks=[
            *starts,
            CommandHandler("batal", on_leave),
            MessageHandler(text, on_wrong_input),
            MessageHandler(~filters.COMMAND & ~files, on_unsupported),
        ],
    )
