"""After publication: /tarik (withdraw, confirmed by the Kepala) and /terbitan
(publications per target).  /perbarui enters the drafting conversation, so it
lives in handlers/drafting.py."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from domain.publication import JobState, Operation
from domain.workflow import WorkflowError
from handlers.common import answer, answer_in_place, apply, bad_number, button, id_arg, on, pressed, reply
from handlers.context import Terbit, TerbitContext
from handlers.ops import Op
from handlers.render import esc, fmt, local_time, state_label
from services.errors import ServiceError
from services.transitions.effects import Effect
from services.website import updates
from services.website.updates import JobLine, Publications
from texts.id import common as C
from texts.id import publishing as P

TEXT_LIMIT = 4000


async def withdraw_command(update: Update, context: TerbitContext) -> None:
    """/tarik <nomor> <alasan>: asks the Kepala to confirm taking a live article down."""
    t = context.terbit
    sid = id_arg(context)
    reason = " ".join((context.args or [])[1:]).strip()
    if (bad := bad_number(context, "tarik")) is not None:
        await reply(update, bad)
        return
    if sid is None or not reason:
        await reply(update, P.WITHDRAW_USAGE)
        return
    try:
        outcome = await t.run(updates.request_withdrawal_as, telegram_id=update.effective_user.id,
                                                      submission_id=sid, reason=reason, now=t.now())
    except ServiceError:
        await reply(update, fmt(C.NOT_FOUND, id=sid))
        return
    except WorkflowError as exc:
        await reply(update, C.ADMIN_ONLY if exc.code == "forbidden" else C.BUTTON_STALE)
        return
    asked = outcome.reached.get(Effect.ASK_KEPALA, 0) > 0
    await reply(update, fmt(P.WITHDRAW_REQUESTED, id=sid) if asked else P.NO_KEPALA)
    apply(context, outcome)


async def on_withdraw_decision(update: Update, context: TerbitContext) -> None:
    """The Kepala's answer to a withdrawal request: taken down everywhere, or kept."""
    t = context.terbit
    cb = await pressed(update, context, Op.WITHDRAW_DECIDE)
    if cb is None:
        return
    confirm = cb.args[1] == "1"
    try:
        outcome = await t.run(updates.decide_withdrawal_as, telegram_id=update.effective_user.id,
                                                     submission_id=cb.int(0), confirm=confirm, targets=t.targets,
                                                     now=t.now())
    except (WorkflowError, ServiceError) as exc:
        await answer(update, P.WORKFLOW_REFUSALS.get(exc.code, C.BUTTON_STALE), alert=True)
        return
    await answer(update, P.POPUP_WITHDRAW_CONFIRMED if confirm else P.POPUP_WITHDRAW_KEPT)
    await answer_in_place(update)
    apply(context, outcome)


async def publications_command(update: Update, context: TerbitContext) -> None:
    """/terbitan: recent publications and how each target stands (admins may retry a failed one)."""
    t = context.terbit
    try:
        pubs = await t.run(updates.publications_for, telegram_id=update.effective_user.id, now=t.now())
    except WorkflowError:
        await reply(update, C.ADMIN_ONLY)
        return
    lines, rows = _listing(context, pubs)
    text = "\n".join(lines) if pubs.items else P.PUBLICATIONS_EMPTY
    while len(text) > TEXT_LIMIT:
        lines.pop()
        text = "\n".join(lines)
    await reply(update, text, rows[:20])


def _job_detail(t: Terbit, job: JobLine, *, admin: bool) -> str:
    """A target's state in words: its public address when live, else where it is in words
    (never a path on the server), or what failed."""
    withdrawing_archive = job.target == "archive" and job.operation is Operation.WITHDRAW
    state = (P.ARCHIVE_WITHDRAW_STATES if withdrawing_archive else P.JOB_STATES[job.operation])[job.state]
    if job.scheduled_at is not None:
        return fmt(P.JOB_SCHEDULED, when=local_time(job.scheduled_at, t.settings.timezone))
    if job.state in (JobState.RETRY, JobState.FAILED) and job.error:
        return fmt(P.JOB_ERROR, state=state, error=job.error)
    if job.state is not JobState.PUBLISHED:  # waiting or running: an earlier error is no longer news
        return state
    if job.operation is Operation.WITHDRAW:
        return state
    if job.url:
        return esc(job.url)
    if job.target == "archive":
        return fmt(P.JOB_ARCHIVED_AT, folder=job.folder) if admin and job.folder else P.JOB_ARCHIVED
    if job.target == "static_site":
        base = t.settings.site_base_url
        if base and job.slug:  # published before SITE_BASE_URL was set: the static site's own page layout
            return esc(f"{base.rstrip('/')}/artikel/{job.slug}/")
        return P.JOB_SITE_NO_ADDRESS
    return P.JOB_NO_ADDRESS


def _listing(context: TerbitContext, pubs: Publications) -> tuple[list[str], list]:
    """The /terbitan lines, and a retry button per failed target."""
    t = context.terbit
    labels = t.target_labels
    lines, rows = [P.PUBLICATIONS_HEADER], []
    for item in pubs.items:
        lines.append(fmt(P.PUBLICATION_ITEM, id=item.submission_id, title=item.title, state=state_label(item.state)))
        for job in item.jobs:
            label = labels.get(job.target, job.target)
            lines.append(P.JOB_LINE.format(mark=P.JOB_MARKS[job.state], label=esc(label),
                                           op=P.OPERATIONS[job.operation],
                                           detail=_job_detail(t, job, admin=pubs.may_retry)))
            if job.state is JobState.FAILED and pubs.may_retry:
                rows.append([button(context, f"🔄 #{item.submission_id} {label}"[:60], Op.RETRY_JOB, job.id)])
    return lines, rows


def build() -> list:
    return [
        CommandHandler("tarik", withdraw_command),
        CommandHandler("terbitan", publications_command),
        on(on_withdraw_decision, Op.WITHDRAW_DECIDE),
    ]
