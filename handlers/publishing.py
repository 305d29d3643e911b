"""Running the outbox from the JobQueue, and telling people how it went."""
from __future__ import annotations

import asyncio
from collections import defaultdict

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import common as C
from bot.i18n.id import publishing as P
from bot.i18n.id import review as R
from domain.workflow import Action, Role
from handlers.common import answer, button, pressed, send
from handlers.render import fmt
from services import audit
from services.outbox import FAILED, PUBLISHED
from services.people import by_telegram_id, people_with_role, roles_of
from storage.models import PublicationJob, Revision, Submission

JOB_NAME = "outbox"
_LOCK = "outbox_lock"


def kick_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Publish now rather than at the next poll: the clerical steps take seconds."""
    context.job_queue.run_once(run_outbox, 0, name=f"{JOB_NAME}-now")


async def run_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    lock = context.bot_data.setdefault(_LOCK, asyncio.Lock())
    async with lock:
        await t.outbox.run_due()
        await notify_outcomes(context)


async def _audience(s, sub: Submission) -> set[int]:
    """The writer, everyone who decided on it, and the admins."""
    ids = {sub.author.telegram_id}
    for e in await audit.history(s, sub.id):
        if e.actor is not None and e.action in (Action.FORWARD, Action.APPROVE, Action.CORRECT, Action.RETURN):
            ids.add(e.actor.telegram_id)
    ids |= {p.telegram_id for p in await people_with_role(s, Role.ADMIN)}
    return ids


async def notify_outcomes(context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    pending = await t.outbox.unnotified()
    batches: dict[tuple[int, str], list[PublicationJob]] = defaultdict(list)
    for job in pending:
        batches[(job.revision_id, job.operation)].append(job)
    for (revision_id, operation), jobs in batches.items():
        all_jobs = [j for j in await t.outbox.jobs_of_revision(revision_id) if j.operation == operation]
        async with t.sessions() as s:
            sub = await s.get(Submission, jobs[0].submission_id)
            rev = await s.get(Revision, revision_id)
            admins = [p.telegram_id for p in await people_with_role(s, Role.ADMIN)]
            audience = await _audience(s, sub)
        for job in jobs:
            if job.state == FAILED:
                text = fmt(R.PUBLISH_FAILED, id=sub.id, title=rev.title, label=t.target_labels.get(job.target, job.target),
                           error=job.last_error or "-", attempts=job.attempts)
                for admin in admins:
                    await send(context, admin, text, [[button(context, R.BTN_RETRY, "pr8", job.id)]])
        # People hear "published" once, when every target has it; a failure
        # goes to the admins alone, with its retry button.
        if all(j.state == PUBLISHED for j in all_jobs):
            if operation == "withdraw":
                for chat_id in audience:
                    await send(context, chat_id, fmt(P.WITHDRAW_DONE, id=sub.id, title=rev.title))
            else:
                await _announce(context, sub, rev, all_jobs, audience)
        await t.outbox.mark_notified([j.id for j in jobs])


async def _announce(context, sub: Submission, rev: Revision, jobs: list[PublicationJob], audience: set[int]) -> None:
    t = terbit(context)
    lines = [fmt(R.PUBLISHED, id=sub.id, title=rev.title)]
    for job in jobs:
        if job.state != PUBLISHED:
            continue
        if job.target == "archive":
            lines.append(fmt(R.PUBLISHED_ARCHIVE, path=(job.remote or {}).get("path") or job.remote_id or "-"))
        else:
            where = job.url or (job.remote or {}).get("path") or job.remote_id or "-"
            lines.append(fmt(R.PUBLISHED_TARGET, label=t.target_labels.get(job.target, job.target), where=where))
    text = "\n".join(lines)
    for chat_id in audience:
        await send(context, chat_id, text)


async def on_retry(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    cb = await pressed(update, context, {"pr8": 1})
    if cb is None:
        return
    async with t.sessions() as s:
        person = await by_telegram_id(s, update.effective_user.id)
        if Role.ADMIN not in roles_of(person):
            await answer(update, C.ADMIN_ONLY, alert=True)
            return
    job = await t.outbox.retry(cb.int(0))
    await answer(update, R.RETRY_QUEUED if job else R.RETRY_NOT_NEEDED)
    if job:
        kick_outbox(context)


def build() -> list:
    return [CallbackQueryHandler(on_retry, pattern=r"^1:pr8:")]


__all__ = ["kick_outbox", "run_outbox", "build"]
