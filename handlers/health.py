"""/kesehatan: the running bot's vital signs, for the admins."""
from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from config.about import STARTED_AT, version
from handlers.common import reply
from handlers.context import TerbitContext
from handlers.faults import STORAGE_WATCH
from handlers.render import esc, fmt, local_time
from services.errors import ServiceError
from services.operations import health
from texts.id import common as C
from texts.id import ops as T


def size_text(size: int | None) -> str:
    """``512 MB``, ``3,4 GB`` (base 1024, decimal comma); "tidak diketahui" for None."""
    if size is None:
        return T.UNKNOWN
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    number = f"{value:.0f}" if unit == "B" or value >= 100 else f"{value:.1f}".replace(".", ",")
    return f"{number.removesuffix(',0')} {unit}"


def uptime_text(uptime: timedelta) -> str:
    minutes = max(0, int(uptime.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return T.UPTIME_DAYS.format(d=days, h=hours)
    if hours:
        return T.UPTIME_HOURS.format(h=hours, m=minutes)
    return T.UPTIME_MINUTES.format(m=minutes)


def fault_text(last: tuple[datetime, float | None, str] | None, tz: str) -> str:
    """The storage fault going on now, or the last one (handlers/faults.py's StorageWatch.last)."""
    if last is None:
        return ""
    since, lasted, reason = last
    if lasted is None:
        return fmt(T.HEALTH_FAULT_NOW, since=local_time(since, tz), reason=reason)
    return fmt(T.HEALTH_FAULT_LAST, since=local_time(since, tz), minutes=max(1, round(lasted / 60)), reason=reason)


def render(h: health.Health, tz: str, fault: str = "") -> str:
    """The /kesehatan message (Telegram HTML)."""
    def when(dt: datetime | None) -> str:
        return local_time(dt, tz) if dt is not None else T.NEVER

    oldest = ""
    if h.oldest_job is not None:
        oldest = fmt(T.HEALTH_OLDEST, submission=h.oldest_job.submission_id, target=h.oldest_job.target,
                     since=local_time(h.oldest_job.since, tz))
    return T.HEALTH.format(
        version=esc(h.version), started=esc(local_time(h.started_at, tz)), uptime=esc(uptime_text(h.uptime)),
        last_update=esc(when(h.last_update_at)), inbox=h.inbox_waiting, jobs=h.jobs_waiting, oldest=oldest,
        jobs_failed=h.jobs_failed, owed=h.owed_waiting, undelivered=h.undelivered_recently,
        disk=esc(size_text(h.disk_free)), database=esc(h.database_kind), db_size=esc(size_text(h.database_size)),
        backup=esc(when(h.last_backup_at)), fault=fault,
    )


async def health_command(update: Update, context: TerbitContext) -> None:
    """/kesehatan: version, uptime, backlogs, failures, disk, database and last backup (admins only)."""
    t = context.terbit
    # A deployment admin (ADMIN_IDS) sees the whole installation, every office's backlog; an
    # office's admin, their office's.
    whole = update.effective_user.id in t.settings.admin_ids
    run = t.across_offices if whole else t.run
    try:
        vitals = await run(health.health_as, telegram_id=update.effective_user.id, data_dir=t.settings.data_dir,
                           version=version(), started_at=STARTED_AT, now=t.now(), asking_update=update.update_id)
    except ServiceError:
        await reply(update, C.ADMIN_ONLY)
        return
    watch = context.bot_data.get(STORAGE_WATCH)
    fault = fault_text(watch.last if watch is not None else None, t.settings.timezone)
    await reply(update, render(vitals, t.settings.timezone, fault))


def build() -> list[BaseHandler]:
    return [CommandHandler("kesehatan", health_command)]
