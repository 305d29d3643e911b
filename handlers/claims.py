"""🙋 Saya periksa and Lepaskan on a review card (services/reviewing/claims.py holds the rules).

Each handler decodes the press, calls one use case, wakes what its outcome names and answers.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import BaseHandler

from handlers.common import answer, on, pressed, wake
from handlers.context import TerbitContext
from handlers.ops import Op
from handlers.render import local_time
from services.errors import ServiceError
from services.reviewing import claims
from texts.id import review as R


def claim_error(exc: ServiceError) -> str:
    """A refused claim, release or decision, in words (plain text, for a popup)."""
    return R.REVIEW_ERRORS.get(exc.code, exc.code).format(**exc.params)


async def _press(update: Update, context: TerbitContext, op: Op,
                 use_case: Callable[..., Awaitable[claims.Claimed]], **given: object) -> claims.Claimed | None:
    """A claim button: the use case's outcome, its workers woken; or None after a popup saying why not."""
    cb = await pressed(update, context, op)
    if cb is None:
        return None
    t = context.terbit
    try:
        done = await t.run(use_case, telegram_id=update.effective_user.id, submission_id=cb.int(0),
                              revision_id=cb.int(1), now=t.now(), **given)
    except ServiceError as exc:
        await answer(update, claim_error(exc)[:200], alert=True)
        return None
    wake(context, *done.wake)
    return done


async def on_claim(update: Update, context: TerbitContext) -> None:
    """🙋 Saya periksa: the presser takes the item on; the other cards say so and wait."""
    t = context.terbit
    done = await _press(update, context, Op.CLAIM, claims.claim_as, policy=claims.ClaimPolicy.of(t))
    if done is not None:
        until = local_time(done.until, t.settings.timezone) if done.until else ""
        await answer(update, R.POPUP_CLAIMED.format(id=done.submission_id, until=until)[:200])


async def on_release(update: Update, context: TerbitContext) -> None:
    """Lepaskan: the claimant lets go; every card gets its buttons back."""
    done = await _press(update, context, Op.CLAIM_RELEASE, claims.release_as)
    if done is not None:
        await answer(update, R.POPUP_RELEASED.format(id=done.submission_id))


def build() -> list[BaseHandler]:
    return [on(on_claim, Op.CLAIM), on(on_release, Op.CLAIM_RELEASE)]
