"""🙋 Saya periksa and Lepaskan on a review card (services/claims.py holds the rules).

Each handler decodes the press, calls one use case, wakes what its outcome names and answers.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, ContextTypes

from handlers.common import answer, on, pressed, wake
from handlers.context import terbit
from handlers.ops import Op
from handlers.render import local_time
from services import claims
from services.errors import ServiceError
from texts.id import review as R


def claim_error(exc: ServiceError) -> str:
    """A refused claim, release or decision, in words (plain text, for a popup)."""
    return R.REVIEW_ERRORS.get(exc.code, exc.code).format(**exc.params)


async def on_claim(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """🙋 Saya periksa: the presser takes the item on; the other cards say so and wait."""
    cb = await pressed(update, context, Op.CLAIM)
    if cb is None:
        return
    t = terbit(context)
    try:
        done = await claims.claim_as(t.sessions, telegram_id=update.effective_user.id, submission_id=cb.int(0),
                                     revision_id=cb.int(1), policy=claims.ClaimPolicy.of(t), now=t.now())
    except ServiceError as exc:
        await answer(update, claim_error(exc)[:200], alert=True)
        return
    until = local_time(done.until, t.settings.timezone) if done.until else ""
    await answer(update, R.POPUP_CLAIMED.format(id=done.submission_id, until=until)[:200])
    wake(context, *done.wake)


async def on_release(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lepaskan: the claimant lets go; every card gets its buttons back."""
    cb = await pressed(update, context, Op.CLAIM_RELEASE)
    if cb is None:
        return
    t = terbit(context)
    try:
        done = await claims.release_as(t.sessions, telegram_id=update.effective_user.id, submission_id=cb.int(0),
                                       revision_id=cb.int(1), now=t.now())
    except ServiceError as exc:
        await answer(update, claim_error(exc)[:200], alert=True)
        return
    await answer(update, R.POPUP_RELEASED.format(id=done.submission_id))
    wake(context, *done.wake)


def build() -> list[BaseHandler]:
    return [on(on_claim, Op.CLAIM), on(on_release, Op.CLAIM_RELEASE)]
