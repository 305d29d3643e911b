"""Announcements that expire ("berlaku sampai"): the writer sets the moment while
drafting; once a published pengumuman passes it, the system withdraws it through
the normal withdrawal path (withdrawal jobs in the outbox; the archive keeps
everything and records why), and the writer and the admins are told.

The moment is stored on the submission, so a restart neither loses nor repeats
an expiry: the sweep takes only what is still published.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from domain.kinds import Kind
from domain.schedule import ScheduleError, parse_when
from domain.workflow import Action, State, WorkflowError
from services.errors import ServiceError
from services.transitions.effects import Circumstances, Transitioned
from services.transitions.moves import move
from services.uow import Sessions
from storage.models import Revision, Submission

#: A date typed without a time lasts the whole day.
END_OF_DAY = (23, 59)


def parse_expiry(text: str, now: datetime, tz: str) -> datetime | None:
    """"10/12/2026", "10-12 17.00" (a date alone: until 23.59); "-" clears it.
    Raises ServiceError ``expiry_unreadable`` / ``expiry_past``."""
    if text.strip() in {"-", "hapus"}:
        return None
    try:
        return parse_when(text, now, tz, default_hour=END_OF_DAY)
    except ScheduleError as exc:
        raise ServiceError(f"expiry_{exc.code}") from exc


def set_on(sub: Submission, kind: str | None, expires_at: datetime | None) -> None:
    """Only an announcement may expire."""
    if expires_at is not None and (not kind or not Kind(kind).can_expire):
        raise ServiceError("expiry_kind")
    sub.expires_at = expires_at


def aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


async def _expire_one(s: AsyncSession, sub: Submission, now: datetime, targets: Sequence[tuple[str, int]],
                      reason: str, by: str) -> Transitioned:
    rev = await s.get(Revision, sub.published_revision_id)
    # What the archive's withdrawal record (DITARIK.json) says, and what the notices add.
    given = Circumstances(targets=tuple(targets),
                          job_record={"withdraw_reason": reason, "withdrawn_by": by, "expired": True},
                          detail={"expires_at": aware(sub.expires_at or now).isoformat()})
    return await move(s, sub, Action.EXPIRE, by=None, now=now, revision_id=sub.published_revision_id,
                      title=(rev.title if rev else "") or "", given=given)


async def expire_due(sessions: Sessions, now: datetime, targets: Sequence[tuple[str, int]],
                     reason: Callable[[datetime], str], by: str) -> list[Transitioned]:
    """Withdraw every published announcement past its end; ``reason`` words it for the archive.
    One transaction each: a concurrent change to one item does not hold up the others.
    An item being updated (or whose withdrawal is pending) waits until it is plainly published."""
    async with sessions() as s:
        ids = list((await s.scalars(select(Submission.id).where(
            Submission.state == State.PUBLISHED, Submission.expires_at.is_not(None),
            Submission.expires_at <= now))).all())
    done = []
    for sid in ids:
        try:
            async with sessions.begin() as s:
                sub = await s.get(Submission, sid, with_for_update={"of": Submission})
                if sub is None or sub.state != State.PUBLISHED or sub.expires_at is None:
                    continue
                done.append(await _expire_one(s, sub, now, targets, reason(aware(sub.expires_at)), by))
        except (StaleDataError, WorkflowError):
            continue  # changed meanwhile: the next sweep looks again
    return done
