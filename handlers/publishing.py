"""Running the outbox from the JobQueue, telling people how it went, and the
admin's "Coba lagi"."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application, BaseHandler, ContextTypes

from domain.messaging import Notice
from domain.publication import Operation
from domain.workflow import Role
from handlers.common import answer, on, pressed, wake
from handlers.context import KEY, Terbit, terbit
from handlers.notices import drawer, send_text
from handlers.ops import Op
from handlers.render import fmt, local_time
from services import hints, people, publication_notices
from services.effects import Worker
from services.errors import ServiceError
from texts.id import common as C
from texts.id import publishing as P
from texts.id import review as R

JOB_NAME = "outbox"
_RUNNER = "outbox_runner"
log = logging.getLogger(__name__)


async def _publish_due(t: Terbit) -> None:
    """Publish what is due; after each job, owe the notices of what settled and wake the postman."""
    async def settled() -> None:
        # A job that settled may have owed "Terbit" (its transition's effects) or a failure notice (below).
        await publication_notices.owe_outcomes(t.sessions, t.now())
        t.wake(Worker.POSTMAN)

    await t.outbox.run_due(settled)
    if await publication_notices.owe_outcomes(t.sessions, t.now()):  # settled before (a crash, a retry)
        t.wake(Worker.POSTMAN)


class OutboxRunner:
    """One outbox worker, run when woken: an approval starts it at once, not through the JobQueue
    (whose run-once jobs are dropped as "missed" when the loop is a second behind under load).
    A wake while it runs makes it look again when this run ends, so nothing committed meanwhile
    waits for the next poll; wakes never pile up."""

    def __init__(self, t: Terbit, spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Future[None]]):
        self.t, self.spawn = t, spawn
        self.again = False
        self.task: asyncio.Future[None] | None = None

    def wake(self) -> asyncio.Future[None]:
        self.again = True
        if self.task is None or self.task.done():
            self.task = self.spawn(self._runs())
        return self.task

    async def _runs(self) -> None:
        while self.again:
            self.again = False
            try:
                await _publish_due(self.t)
            except Exception:
                log.exception("the outbox run failed; the next poll tries again")


def outbox_runner(app: Application) -> OutboxRunner:
    runner = app.bot_data.get(_RUNNER)
    if runner is None:
        def spawn(coroutine: Coroutine[Any, Any, None]) -> asyncio.Future[None]:
            # The application's task while it runs (its stop waits for it); else a plain one.
            return app.create_task(coroutine) if app.running else asyncio.ensure_future(coroutine)
        runner = app.bot_data[_RUNNER] = OutboxRunner(app.bot_data[KEY], spawn)
    return runner


def wake_outbox(app: Application) -> None:
    """Publish now rather than at the next poll (``Worker.OUTBOX``)."""
    outbox_runner(app).wake()


async def run_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The poll (the safety net: a retry whose time came, a scheduled publication): a run now,
    or the one running looks again when it ends; returns when that run is over."""
    await asyncio.shield(outbox_runner(context.application).wake())


def is_public(url: str | None) -> bool:
    """An address a phone can open (not a file:// URL or a path on the server)."""
    return bool(url) and str(url).lower().startswith(("https://", "http://"))


def where_lines(t: Terbit, targets: list[dict[str, Any]], *, admin: bool) -> list[str]:
    """Where the article lives, target by target, in words a phone can use: a link
    when there is a public one, never a path on the server (only the admins see
    the archive folder, relative to the archive)."""
    lines = []
    for j in targets:
        label = t.target_labels.get(j["target"], j["target"])
        if j["target"] == "archive":
            folder = j.get("remote_id")
            lines.append(fmt(P.PUBLISHED_ARCHIVED_AT, folder=folder) if admin and folder else P.PUBLISHED_ARCHIVED)
        elif is_public(j.get("url")):
            lines.append(fmt(R.PUBLISHED_TARGET, label=label, where=j["url"]))
        else:
            lines.append(fmt(P.PUBLISHED_NO_ADDRESS, label=label))
    return lines


def _needs_site_address(t: Terbit, targets: list[dict[str, Any]]) -> bool:
    """The static site published, but without SITE_BASE_URL it has no address to link to."""
    return not t.settings.site_base_url and any(j["target"] == "static_site" for j in targets)


@drawer(Notice.PUBLISHED)
async def draw_published(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """Every target has the article: where it is, and where it was archived; an admin
    reading it while the site has no public address is told once how to set one."""
    admin = Role.ADMIN in await people.roles_for(t.sessions, chat_id)
    lines = [fmt(R.PUBLISHED, id=params["submission_id"], title=params["title"]),
             *where_lines(t, params["targets"], admin=admin)]
    hint = hints.site_address_key(chat_id)
    tell = admin and _needs_site_address(t, params["targets"]) and not await hints.already_said(t.sessions, hint)
    if tell:  # in the same message: no extra call, and it arrives with what it explains
        lines += ["", P.SITE_ADDRESS_HINT]
    message_id = await send_text(bot, chat_id, "\n".join(lines))
    if tell:
        await hints.mark_said(t.sessions, hint, t.now())
    return message_id


@drawer(Notice.WITHDRAWN)
async def draw_withdrawn(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """Every target took the article down."""
    return await send_text(bot, chat_id, fmt(P.WITHDRAW_DONE, id=params["submission_id"], title=params["title"]))


@drawer(Notice.PUBLISH_FAILED)
async def draw_failed(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A target failed for good: the admin sees why, with a retry button."""
    text = fmt(R.PUBLISH_FAILED, id=params["submission_id"], title=params["title"],
               label=t.target_labels.get(params["target"], params["target"]), error=params["error"],
               attempts=params["attempts"])
    return await send_text(bot, chat_id, text, [[(R.BTN_RETRY, t.codec.encode(Op.RETRY_JOB, params["job_id"]))]])


def _outage_words(t: Terbit, params: dict[str, Any]) -> dict[str, Any]:
    """An outage's notice fields: the target in words, since when and for how long."""
    since = datetime.fromisoformat(params["since"]) if params.get("since") else t.now()
    return {"id": params["submission_id"], "title": params["title"],
            "label": t.target_labels.get(params["target"], params["target"]),
            "since": local_time(since, t.settings.timezone),
            "minutes": max(int((t.now() - since).total_seconds() // 60), 0)}


@drawer(Notice.PUBLISH_OUTAGE)
async def draw_outage(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A target keeps failing: the admin sees why, with a retry button, while the outbox keeps trying."""
    doing = P.OUTAGE_DOING[Operation(params.get("operation", Operation.PUBLISH))]
    text = fmt(P.OUTAGE_ADMIN, error=params["error"], doing=doing, **_outage_words(t, params))
    return await send_text(bot, chat_id, text, [[(R.BTN_RETRY, t.codec.encode(Op.RETRY_JOB, params["job_id"]))]])


@drawer(Notice.PUBLISH_DELAYED)
async def draw_delayed(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The writer hears once that the article is late to go live, and why."""
    return await send_text(bot, chat_id, fmt(P.OUTAGE_WRITER, error=params["error"], **_outage_words(t, params)))


@drawer(Notice.PUBLISH_RECOVERED)
async def draw_recovered(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The target of a reported outage works again."""
    return await send_text(bot, chat_id, fmt(P.OUTAGE_RECOVERED, **_outage_words(t, params)))


@drawer(Notice.UNDELIVERED)
async def draw_undelivered(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A message could not reach someone for the whole delivery window."""
    return await send_text(bot, chat_id, fmt(C.UNDELIVERED, chat=params["chat_id"], cause=params["cause"],
                                             error=params["error"]))


async def on_retry(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Coba lagi (admins): a failed job is due again now."""
    t = terbit(context)
    cb = await pressed(update, context, Op.RETRY_JOB)
    if cb is None:
        return
    try:
        retried = await t.outbox.retry_by(update.effective_user.id, cb.int(0))
    except ServiceError:
        await answer(update, C.ADMIN_ONLY, alert=True)
        return
    await answer(update, R.RETRY_QUEUED if retried else R.RETRY_NOT_NEEDED)
    if retried:
        wake(context, Worker.OUTBOX)


def build() -> list[BaseHandler]:
    return [on(on_retry, Op.RETRY_JOB)]

