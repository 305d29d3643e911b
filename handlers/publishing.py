"""Running the outbox from the JobQueue, telling people how it went, and the
admin's "Coba lagi"."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Bot, Update
from telegram.ext import BaseHandler

from domain.publication import Operation
from domain.workflow import Role
from handlers.common import answer, on, pressed, wake
from handlers.context import Terbit, TerbitContext
from handlers.notices import send_text
from handlers.ops import Op
from handlers.render import fmt, local_time
from services.errors import ServiceError
from services.staff import people
from services.transitions.effects import Worker
from services.writing import hints
from texts.id import common as C
from texts.id import publishing as P
from texts.id import review as R


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


async def draw_published(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """Every target has the article: where it is, and where it was archived; an admin
    reading it while the site has no public address is told once how to set one."""
    admin = Role.ADMIN in await t.run(people.roles_for, chat_id)
    lines = [fmt(R.PUBLISHED, id=params["submission_id"], title=params["title"]),
             *where_lines(t, params["targets"], admin=admin)]
    hint = hints.site_address_key(chat_id)
    tell = admin and _needs_site_address(t, params["targets"]) and not await t.run(hints.already_said, hint)
    if tell:  # in the same message: no extra call, and it arrives with what it explains
        lines += ["", P.SITE_ADDRESS_HINT]
    message_id = await send_text(bot, chat_id, "\n".join(lines))
    if tell:
        await t.run(hints.mark_said, hint, t.now())
    return message_id


async def draw_withdrawn(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """Every target took the article down."""
    return await send_text(bot, chat_id, fmt(P.WITHDRAW_DONE, id=params["submission_id"], title=params["title"]))


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


async def draw_outage(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A target keeps failing: the admin sees why, with a retry button, while the outbox keeps trying."""
    doing = P.OUTAGE_DOING[Operation(params.get("operation", Operation.PUBLISH))]
    text = fmt(P.OUTAGE_ADMIN, error=params["error"], doing=doing, **_outage_words(t, params))
    return await send_text(bot, chat_id, text, [[(R.BTN_RETRY, t.codec.encode(Op.RETRY_JOB, params["job_id"]))]])


async def draw_delayed(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The writer hears once that the article is late to go live, and why."""
    return await send_text(bot, chat_id, fmt(P.OUTAGE_WRITER, error=params["error"], **_outage_words(t, params)))


async def draw_recovered(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The target of a reported outage works again."""
    return await send_text(bot, chat_id, fmt(P.OUTAGE_RECOVERED, **_outage_words(t, params)))


async def draw_undelivered(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """A message could not reach someone for the whole delivery window."""
    return await send_text(bot, chat_id, fmt(C.UNDELIVERED, chat=params["chat_id"], cause=params["cause"],
                                             error=params["error"]))


async def on_retry(update: Update, context: TerbitContext) -> None:
    """Coba lagi (admins): a failed job is due again now."""
    t = context.terbit
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

