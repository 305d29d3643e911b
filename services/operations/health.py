"""/kesehatan: how the running bot is doing, for the admins (a read use case).

Everything the database knows is read in one read-only session: what waits in
the inbox, the outbox (publication jobs) and the postbox (owed messages), and
what failed lately.  Disk space, the database's size and the newest backup's
time come from the data folder (read in a worker thread, never on the event loop).
"""
from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import DeliveryState
from domain.publication import JobState
from domain.workflow import Role
from services.delivery.postbox import backlog
from services.errors import ServiceError
from services.staff.people import by_telegram_id, roles_of
from services.uow import Sessions, dialect
from storage.models import InboxUpdate, OutgoingMessage, PublicationJob

#: Publication jobs still to be done (not published, not failed for good).
WAITING = (JobState.QUEUED, JobState.RUNNING, JobState.RETRY)
#: How far back failed deliveries are counted.
RECENT = timedelta(days=7)
BACKUPS_DIR = "backups"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class WaitingJob:
    """The publication job that has waited longest."""

    submission_id: int
    target: str
    since: datetime


@dataclass(frozen=True)
class Health:
    version: str
    started_at: datetime
    now: datetime
    last_update_at: datetime | None
    inbox_waiting: int
    jobs_waiting: int
    oldest_job: WaitingJob | None
    jobs_failed: int
    owed_waiting: int
    undelivered_recently: int
    disk_free: int | None
    database_kind: str
    database_size: int | None
    last_backup_at: datetime | None

    @property
    def uptime(self) -> timedelta:
        return self.now - self.started_at


@dataclass(frozen=True)
class _Folder:
    disk_free: int | None
    last_backup_at: datetime | None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def newest_backup(data_dir: Path) -> datetime | None:
    """The time in the newest backup's manifest (DATA_DIR/backups/*/manifest.json), or None."""
    times = []
    for manifest in (data_dir / BACKUPS_DIR).glob(f"*/{MANIFEST}"):
        if manifest.parent.name.startswith("."):
            continue  # a backup still being written
        try:
            created = json.loads(manifest.read_text(encoding="utf-8"))["created_at"]
            times.append(_aware(datetime.fromisoformat(str(created))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return max(times, default=None)


def _folder(data_dir: Path) -> _Folder:
    try:
        free: int | None = shutil.disk_usage(data_dir).free
    except OSError:
        free = None
    return _Folder(free, newest_backup(data_dir))


async def _count(s: AsyncSession, *where: object) -> int:
    return int(await s.scalar(select(func.count()).where(*where)) or 0)  # type: ignore[arg-type]


async def _database_size(s: AsyncSession) -> int | None:
    if dialect(s) == "postgresql":
        size = await s.scalar(text("SELECT pg_database_size(current_database())"))
    else:
        pages = await s.scalar(text("PRAGMA page_count"))
        page_size = await s.scalar(text("PRAGMA page_size"))
        size = int(pages) * int(page_size) if pages is not None and page_size is not None else None
    return int(size) if size is not None else None


async def _oldest_job(s: AsyncSession) -> WaitingJob | None:
    row = (await s.execute(select(PublicationJob.submission_id, PublicationJob.target, PublicationJob.created_at)
                           .where(PublicationJob.state.in_(WAITING))
                           .order_by(PublicationJob.created_at, PublicationJob.id).limit(1))).first()
    return WaitingJob(row[0], row[1], _aware(row[2])) if row is not None else None


async def health_as(sessions: Sessions, *, telegram_id: int, data_dir: Path, version: str,
                    started_at: datetime, now: datetime, asking_update: int | None = None) -> Health:
    """/kesehatan: the bot's vital signs; raises ``admin_only`` for anyone but an admin.

    ``asking_update`` (the update that asks, itself still being handled) is not counted as waiting."""
    folder = await asyncio.to_thread(_folder, data_dir)
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None or Role.ADMIN not in roles_of(person):
            raise ServiceError("admin_only")
        last = await s.scalar(select(func.max(InboxUpdate.done_at)))
        return Health(
            version=version, started_at=started_at, now=now,
            last_update_at=_aware(last) if last is not None else None,
            inbox_waiting=await _count(s, InboxUpdate.done_at.is_(None),
                                       InboxUpdate.update_id != (asking_update or -1)),
            jobs_waiting=await _count(s, PublicationJob.state.in_(WAITING)),
            oldest_job=await _oldest_job(s),
            jobs_failed=await _count(s, PublicationJob.state == JobState.FAILED),
            owed_waiting=await backlog(s),
            undelivered_recently=await _count(s, OutgoingMessage.state == DeliveryState.FAILED,
                                              OutgoingMessage.created_at >= now - RECENT),
            disk_free=folder.disk_free,
            database_kind=dialect(s),
            database_size=await _database_size(s),
            last_backup_at=folder.last_backup_at,
        )
