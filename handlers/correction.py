"""The Kepala's correction (SOP step 5), one paragraph at a time, on a phone.

**Koreksi** shows the body as numbered paragraphs (split on blank lines, in as
many messages as Telegram's limit needs) with a button for the title, each
paragraph, "Tambah paragraf", "Ganti seluruh isi" and "Batal".  The Kepala
picks one and sends only its new text ("-", or the Hapus button, deletes a
paragraph).  Every text sent before a button is pressed is joined to the one
before (a phone splits texts over 4,096 characters into several messages).
After each text the Kepala sees the changes, drawn like the review cards'
diff, with Simpan / Ubah lagi / Batal; Simpan saves through
``services.reviewing.review.correct_as``, so the workflow, the audit trail and every
notice stay as they are.

What is being corrected lives in the persisted ``user_data["review"]``: the
target, the text so far and the ids of the messages joined, so an update
handled again after a crash joins nothing twice.  handlers/review.py checks
every press against the workflow before it comes here.
"""
from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from domain.diffing import RevisionDiff, RevisionView, diff_revisions
from domain.paragraphs import add_paragraph, join_part, paragraphs, replace_paragraph
from domain.workflow import WorkflowError
from handlers.callbacks import Callback
from handlers.common import (
    Buttons,
    answer,
    answer_in_place,
    apply,
    button,
    replies_key_prefix,
    reply,
    retire_replies,
)
from handlers.context import TerbitContext
from handlers.ops import Op
from handlers.paragraph_view import number_rows, numbered_messages, pieces
from handlers.render import diff_block, esc, fmt, thousands
from services.errors import ServiceError
from services.reviewing import review
from services.reviewing.review import Field, Texts
from texts.id import common as C
from texts.id import review as R

#: Conversation states: a part to pick (buttons), a text to receive.
PICK, CORRECTION = "correction_pick", "correction"
END = ConversationHandler.END
#: The user_data key of what the reviewer is about to type (shared with the return note).
PENDING = "review"
PARAGRAPH = "para"
#: Every press of the correction conversation.
OPS = (Op.CORRECT, Op.CORRECT_FIELD, Op.CORRECT_PARA, Op.CORRECT_DROP, Op.CORRECT_SAVE, Op.CORRECT_AGAIN)

State = str | int | None


# --- what is being corrected ----------------------------------------------------------

def pending(context: TerbitContext) -> dict[str, Any] | None:
    """The correction under way (its target picked), or None."""
    p = (context.user_data or {}).get(PENDING)
    return p if isinstance(p, dict) and p.get("op") == "correct" and "target" in p else None


def _start(context: TerbitContext, sid: int, rid: int, target: str, number: int = 0) -> dict[str, Any]:
    """A fresh correction of ``target`` (title, body or paragraph ``number``; 0: a new one)."""
    earlier = pending(context)
    p: dict[str, Any] = {"op": "correct", "sid": sid, "rid": rid, "target": target, "n": number, "text": "",
                         "delete": False, "msgs": [], "version": 0,
                         # the update whose changes were shown last: retired when newer ones are (show_changes)
                         "shown": earlier.get("shown") if earlier else None}
    _keep(context, p)
    return p


def _keep(context: TerbitContext, p: dict[str, Any]) -> None:
    if context.user_data is not None:
        context.user_data[PENDING] = p


def forget(context: TerbitContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(PENDING, None)


def proposal(p: dict[str, Any], texts: Texts) -> tuple[str, str]:
    """(field, its new text) the correction would save; IndexError for a paragraph gone."""
    if p["target"] == Field.TITLE:
        return Field.TITLE, p["text"]
    if p["target"] == Field.BODY:
        return Field.BODY, p["text"]
    if not p["n"]:
        return Field.BODY, add_paragraph(texts.body, p["text"])
    return Field.BODY, replace_paragraph(texts.body, p["n"], None if p["delete"] else p["text"])


# --- drawing ------------------------------------------------------------------------------

def menu_messages(sid: int, texts: Texts) -> list[str]:
    """The title and the numbered paragraphs, in messages within Telegram's limit."""
    head = [fmt(R.CORRECT_MENU, id=sid), fmt(R.CORRECT_MENU_TITLE, title=texts.title)]
    return numbered_messages(head, texts.body, R.CORRECT_MENU_EMPTY)


def menu_rows(context: TerbitContext, sid: int, rid: int, body: str) -> Buttons:
    return [
        [button(context, R.BTN_CORRECT_TITLE, Op.CORRECT_FIELD, sid, rid, Field.TITLE)],
        *number_rows(body, lambda n: button(context, R.BTN_CORRECT_PARA.format(n=n), Op.CORRECT_PARA, sid, rid, n)),
        [button(context, R.BTN_CORRECT_ADD, Op.CORRECT_PARA, sid, rid, 0),
         button(context, R.BTN_CORRECT_WHOLE, Op.CORRECT_FIELD, sid, rid, Field.BODY)],
        [button(context, C.CANCEL, Op.REVIEW_CANCEL)],
    ]


def writer_diff(params: dict[str, Any] | None) -> str | None:
    """What a correction changed, for the writer's notice (see services.reviewing.review.diff_params)."""
    if not params:
        return None
    lines = [(str(tag), str(text)) for tag, text in params.get("lines") or []]
    # Lines beyond those carried are only counted ("… dan N perubahan lain").
    lines += [("+", "")] * max(0, int(params.get("total") or 0) - len(lines))
    diff = RevisionDiff(params.get("old_title"), params.get("new_title"), lines, [], [])
    return None if diff.empty else diff_block(diff, header=R.TO_WRITER_DIFF_HEADER)


# --- the steps -------------------------------------------------------------------------------

async def press(update: Update, context: TerbitContext, cb: Callback) -> State:
    """A correction button, already allowed by the workflow: the menu, a part to
    correct, Hapus, Simpan or Ubah lagi.  Answers the press once."""
    sid, rid = cb.int(0), cb.int(1)
    if cb.op is Op.CORRECT:
        await answer(update)
        await show_menu(update, context, sid, rid)
        return PICK
    if cb.op is Op.CORRECT_FIELD:
        if cb.args[2] not in Field.ALL:
            await answer(update, C.BUTTON_UNKNOWN, alert=True)
            return None
        return await ask(update, context, sid, rid, cb.args[2])
    if cb.op is Op.CORRECT_PARA:
        return await ask(update, context, sid, rid, PARAGRAPH, cb.int(2))
    if cb.op is Op.CORRECT_DROP:
        return await drop(update, context, sid, rid, cb.int(2))
    if cb.op is Op.CORRECT_SAVE:
        return await save(update, context, sid, rid, cb.int(2))
    return await again(update, context, sid, rid)


async def show_menu(update: Update, context: TerbitContext, sid: int, rid: int) -> None:
    """The title and numbered paragraphs; the last message carries the buttons."""
    texts = await context.terbit.run(review.texts_of, rid)
    messages = menu_messages(sid, texts)
    for text in messages[:-1]:
        await reply(update, text)
    await reply(update, messages[-1], menu_rows(context, sid, rid, texts.body))


async def ask(update: Update, context: TerbitContext, sid: int, rid: int, target: str,
              number: int = 0) -> State:
    """Asks for the new text of the part picked, with its current text on its own to copy."""
    texts = await context.terbit.run(review.texts_of, rid)
    paras = paragraphs(texts.body)
    if target == PARAGRAPH and number > len(paras):
        await answer(update, R.CORRECT_PARA_GONE, alert=True)
        return None
    await answer(update)
    _start(context, sid, rid, target, number)
    cancel = button(context, C.CANCEL, Op.REVIEW_CANCEL)
    current: str | None = None
    if target == Field.TITLE:
        await reply(update, R.ASK_CORRECT_TITLE, [[cancel]])
        current = texts.title
    elif target == Field.BODY:
        await reply(update, R.ASK_CORRECT_WHOLE, [[cancel]])
    elif not number:
        await reply(update, R.ASK_CORRECT_ADD, [[cancel]])
    else:
        await reply(update, fmt(R.ASK_CORRECT_PARA, n=number),
                    [[button(context, R.BTN_CORRECT_DELETE.format(n=number), Op.CORRECT_DROP, sid, rid, number),
                      cancel]])
        current = paras[number - 1]
    # The current text on its own, so the Kepala can copy it, fix it, send it back.
    if current:
        for piece in pieces(current):
            await reply(update, esc(piece))
    return CORRECTION


async def on_text(update: Update, context: TerbitContext) -> State:
    """A text for the part picked: joined to what came before it; the changes are shown."""
    p = pending(context)
    if p is None:  # nothing picked (started before an upgrade, say): nothing is taken silently
        await reply(update, R.CORRECT_NOTHING_PENDING)
        return END
    msg = update.effective_message
    if msg.message_id not in p["msgs"]:  # not a replay of a text joined already
        text = msg.text or ""
        if p["target"] == PARAGRAPH and p["n"] and not p["msgs"] and text.strip() == "-":
            p["delete"] = True
        else:
            p["text"], p["delete"] = join_part(p["text"], text), False
        p["msgs"] = [*p["msgs"], msg.message_id]
        p["version"] += 1
        _keep(context, p)
    await show_changes(update, context, p)
    return CORRECTION


async def show_changes(update: Update, context: TerbitContext, p: dict[str, Any]) -> None:
    """The diff of what Simpan would save, with Simpan / Ubah lagi / Batal."""
    sid, rid = p["sid"], p["rid"]
    texts = await context.terbit.run(review.texts_of, rid)
    try:
        field, text = proposal(p, texts)
    except IndexError:
        await reply(update, R.CORRECT_PARA_GONE)
        return
    new = RevisionView(text if field == Field.TITLE else texts.title, text if field == Field.BODY else texts.body, {})
    diff = diff_revisions(RevisionView(texts.title, texts.body, {}), new)
    lead = None
    if len(p["msgs"]) > 1:
        lead = fmt(R.CORRECT_PARTS, parts=thousands(len(p["msgs"])), chars=thousands(len(p["text"])))
    rest = [button(context, R.BTN_CORRECT_AGAIN, Op.CORRECT_AGAIN, sid, rid),
            button(context, C.CANCEL, Op.REVIEW_CANCEL)]
    if diff.empty:
        body, rows = R.CORRECT_NO_CHANGE, [rest]
    else:
        body = f"{diff_block(diff, header=R.CORRECT_DIFF_HEADER)}\n\n{R.CORRECT_CONFIRM}"
        rows = [[button(context, R.BTN_CORRECT_SAVE, Op.CORRECT_SAVE, sid, rid, p["version"])], rest]
    # The changes shown before lose their buttons: only the newest Simpan saves (never a refusal after a tap).
    previous, p["shown"] = p.get("shown"), replies_key_prefix()
    _keep(context, p)
    if previous and previous != p["shown"]:
        await retire_replies(context, previous)
    await reply(update, "\n\n".join(x for x in (lead, body) if x), rows)


def _matching(context: TerbitContext, sid: int, rid: int) -> dict[str, Any] | None:
    p = pending(context)
    return p if p is not None and (p["sid"], p["rid"]) == (sid, rid) else None


async def drop(update: Update, context: TerbitContext, sid: int, rid: int, number: int) -> State:
    """Hapus: the paragraph is to go; the changes are shown."""
    p = _matching(context, sid, rid)
    if p is None or (p["target"], p["n"]) != (PARAGRAPH, number):
        p = _start(context, sid, rid, PARAGRAPH, number)
    p.update(delete=True, text="", version=p["version"] + 1)
    _keep(context, p)
    await answer(update)
    await answer_in_place(update)
    await show_changes(update, context, p)
    return CORRECTION


async def again(update: Update, context: TerbitContext, sid: int, rid: int) -> State:
    """Ubah lagi: what was sent is dropped; the same part is asked for again."""
    p = _matching(context, sid, rid)
    if p is None:
        await answer(update, R.CORRECT_NOTHING_PENDING, alert=True)
        return END
    await answer_in_place(update)
    return await ask(update, context, sid, rid, p["target"], p["n"])


async def save(update: Update, context: TerbitContext, sid: int, rid: int, version: int) -> State:
    """Simpan: the correction becomes a new revision (services.reviewing.review.correct_as)."""
    p = _matching(context, sid, rid)
    if p is None:
        await answer(update, R.CORRECT_NOTHING_PENDING, alert=True)
        return END
    if p["version"] != version:  # pressed on an earlier preview: what it showed is not what would be saved
        await answer(update, R.CORRECT_STALE_PREVIEW, alert=True)
        return None
    t = context.terbit
    try:
        field, text = proposal(p, await t.run(review.texts_of, rid))
        outcome = await t.run(review.correct_as, telegram_id=update.effective_user.id, submission_id=sid,
                                          revision_id=rid, field=field, text=text, now=t.now())
    except IndexError:
        await answer(update, R.CORRECT_PARA_GONE, alert=True)
        return None
    except ServiceError as exc:
        await answer(update, C.ERRORS.get(exc.code, C.GENERIC_ERROR), alert=True)
        return None
    except WorkflowError:
        forget(context)
        await answer(update, C.BUTTON_STALE, alert=True)
        return END
    forget(context)
    await answer(update)
    await answer_in_place(update)
    await reply(update, R.POPUP_CORRECTED)
    apply(context, outcome)
    return END


async def on_pick_text(update: Update, context: TerbitContext) -> State:
    """A text before a part was picked: points at the buttons."""
    await reply(update, R.CORRECT_USE_BUTTONS)
    return PICK
