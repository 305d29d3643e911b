"""Comments on the draft: a reply to a card, a preview, a correction view or a comment's notice.

The reply handler runs before the conversations (its own handler group): a reply to a message
about an item is a comment on it, and goes no further; any other reply (an answer to a question,
swiped as a reply) goes on to the conversation it belongs to.  The buttons resolve a thread, or
let a comment's author rewrite or delete it within five minutes.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    MessageHandler,
    filters,
)

from handlers import comment_notices  # noqa: F401  (its drawer registers)
from handlers.callbacks import BadCallback
from handlers.comment_notices import where
from handlers.common import answer, button, drop_buttons, on, pressed, reply, wake
from handlers.context import TerbitContext
from handlers.ops import Op
from handlers.render import fmt
from services.errors import ServiceError
from services.reviewing import comments
from services.reviewing.comments import Commented, RepliedTo, Said
from texts.id import comments as M

#: Runs after the gate (handlers/start.py, group -2) and before the conversations (group 0).
GROUP = -1

#: Buttons whose first argument is the item: a message carrying one (a writer's preview, a card,
#: a correction view) is about that item, and a reply to it comments on it.
ITEM_OPS = frozenset({
    Op.SUBMIT, Op.EDIT, Op.MASK, Op.CANCEL_DRAFT, Op.KIP_CLASS_MENU,
    Op.FORWARD, Op.RETURN, Op.APPROVE, Op.CORRECT, Op.SCHEDULE, Op.KIP_CARD_MENU,
    Op.CORRECT_FIELD, Op.CORRECT_PARA, Op.CORRECT_DROP, Op.CORRECT_SAVE, Op.CORRECT_AGAIN,
})
EDITING = "comment_edit"
T = TypeVar("T")


def item_of_buttons(context: TerbitContext, message: Message) -> int | None:
    """The item a bot message's (verified) buttons name, if any."""
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for b in row:
            if not isinstance(b.callback_data, str):
                continue
            try:
                cb = context.terbit.codec.decode(b.callback_data, ITEM_OPS)
            except BadCallback:
                continue
            return cb.int(0)
    return None


def ack_text(c: Commented, view: comments.CommentView | None) -> str:
    told = ", ".join(c.told) or M.ACK_NOBODY
    if c.thread_id is not None or view is None:
        return fmt(M.ACK_REPLY, id=c.submission_id, told=told)
    return fmt(M.ACK, id=c.submission_id, where=where(view), told=told)


async def _stop(context: TerbitContext) -> None:
    """This update was a comment: nothing else handles it (its state is written now, as after any update)."""
    await context.application.update_persistence()
    raise ApplicationHandlerStop


async def on_reply(update: Update, context: TerbitContext) -> None:
    """A reply to the bot's message about an item: a comment on it, acknowledged, told to those concerned."""
    msg = update.message
    if msg is None:
        return
    if context.user_data is not None and EDITING in context.user_data:
        await on_new_text(update, context)
        return
    to = msg.reply_to_message
    if to is None or to.from_user is None or not to.from_user.is_bot:
        return
    t = context.terbit
    quote = msg.quote
    try:
        outcome = await t.run(comments.comment_as,
            telegram_id=update.effective_user.id,
            replied_to=RepliedTo(to.chat_id, to.message_id, to.text or to.caption or "",
                                 item_of_buttons(context, to)),
            said=Said(msg.chat_id, msg.message_id, msg.text or "", quote.text if quote else None,
                      quote.position if quote else None),
            now=t.now())
    except ServiceError as exc:
        await reply(update, error_text(exc))
        await _stop(context)
        return
    if outcome is None:  # not about an item: the conversations take it
        return
    view = await t.run(comments.view, outcome.comment_id)
    await reply(update, ack_text(outcome, view),
                [[button(context, M.BTN_EDIT, Op.COMMENT_EDIT, outcome.comment_id),
                  button(context, M.BTN_DELETE, Op.COMMENT_DELETE, outcome.comment_id)]])
    wake(context, *outcome.wake)
    await _stop(context)


async def on_new_text(update: Update, context: TerbitContext) -> None:
    """The new text of a comment its author chose to rewrite."""
    t = context.terbit
    comment_id = int(context.user_data.pop(EDITING))
    try:
        changed = await t.run(comments.edit_as, telegram_id=update.effective_user.id, comment_id=comment_id,
                                         text=update.message.text or "", now=t.now())
    except ServiceError as exc:
        await reply(update, error_text(exc))
    else:
        await reply(update, fmt(M.EDITED, id=changed.submission_id))
    await _stop(context)


def error_text(exc: ServiceError) -> str:
    return M.ERRORS.get(exc.code, exc.code).format(**exc.params)


async def _change(update: Update, context: TerbitContext, op: Op,
                  change: Callable[..., Awaitable[T]]) -> tuple[int, T] | None:
    """A press on a comment's button: (the comment, the use case's outcome), or None after a popup saying why not."""
    cb = await pressed(update, context, op)
    if cb is None:
        return None
    t = context.terbit
    try:
        return cb.int(0), await t.run(change, telegram_id=update.effective_user.id, comment_id=cb.int(0),
                                       now=t.now())
    except ServiceError as exc:
        await answer(update, error_text(exc)[:200], alert=True)
        return None


async def on_edit(update: Update, context: TerbitContext) -> None:
    """✏️ Ubah: the next text is the comment's new text (within five minutes of sending it)."""
    done = await _change(update, context, Op.COMMENT_EDIT, comments.may_change)
    if done is None:
        return
    comment_id, sid = done
    if context.user_data is not None:
        context.user_data[EDITING] = comment_id
    await answer(update)
    await reply(update, fmt(M.ASK_EDIT, id=sid))


async def on_delete(update: Update, context: TerbitContext) -> None:
    """🗑 Hapus: the author takes the comment back (kept, marked deleted; undelivered notices not sent)."""
    if await _change(update, context, Op.COMMENT_DELETE, comments.delete_as) is not None:
        await answer(update, M.DELETED)
        await drop_buttons(update)


async def on_resolve(update: Update, context: TerbitContext) -> None:
    """✅ Selesai: the thread is resolved (kept)."""
    if await _change(update, context, Op.COMMENT_RESOLVE, comments.resolve_as) is not None:
        await answer(update, M.POPUP_RESOLVED)
        await drop_buttons(update)


async def on_show(update: Update, context: TerbitContext) -> None:
    """💬 n on the writer's preview: the thread is sent again (a reply to it answers in the thread)."""
    shown = await _change(update, context, Op.COMMENT_SHOW, comments.show_as)
    if shown is not None:
        await answer(update, M.POPUP_SHOWN)
        wake(context, *shown[1].wake)


async def open_on(context: TerbitContext, sid: int) -> int:
    """How many of the item's comment threads are open."""
    return await context.terbit.run(comments.open_count, sid)


async def ask_before_approving(update: Update, context: TerbitContext, sid: int, rid: int) -> None:
    """Setujui on an item with open comments: the Kepala is asked once, with the list, instead of
    approving.  "Tetap setujui" approves (handlers/review.py); "Periksa dulu" does nothing."""
    open_ = await context.terbit.run(comments.open_list, sid)
    await answer(update)
    lines = [fmt(M.ASK_APPROVE_OPEN, n=len(open_), id=sid)]
    lines += [fmt(M.OPEN_ITEM, author=c.author, where=where(c), text=c.text[:120]) for c in open_[:10]]
    await reply(update, "\n".join(lines), [[button(context, M.BTN_APPROVE_OPEN, Op.APPROVE_OPEN, sid, rid)],
                                           [button(context, M.BTN_SEE_FIRST, Op.REVIEW_CANCEL)]])


def register(app: Application) -> None:
    replies = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(replies, on_reply), group=GROUP)
    for h in (on(on_edit, Op.COMMENT_EDIT), on(on_delete, Op.COMMENT_DELETE), on(on_resolve, Op.COMMENT_RESOLVE),
              on(on_show, Op.COMMENT_SHOW)):
        app.add_handler(h)
