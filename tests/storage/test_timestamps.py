"""Timestamps come back timezone-aware, as the same instant, on both backends."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from storage.models import Person, PublicationJob
from tests.storage.office import T0, WIB, seed_office, to_kepala


async def test_aware_datetimes_round_trip_as_utc(db):
    local = datetime(2026, 3, 2, 15, 30, 45, 654321, tzinfo=WIB)  # 08:30:45.654321 UTC
    async with db.sessions.begin() as s:
        s.add(Person(telegram_id=42, full_name="Waktu", active=True, created_at=local, grants=[]))
    async with db.sessions() as s:  # a new session: nothing from the identity map
        got = await s.scalar(select(Person.created_at).where(Person.telegram_id == 42))
    assert got.tzinfo is not None and got.utcoffset() == timedelta(0)
    assert got == local  # the same instant, microseconds included
    assert got == datetime(2026, 3, 2, 8, 30, 45, 654321, tzinfo=UTC)


async def test_comparisons_with_other_zones_use_the_instant(db):
    async with db.sessions.begin() as s:
        s.add(Person(telegram_id=43, full_name="Waktu", active=True, created_at=T0, grants=[]))
    just_before = (T0 - timedelta(microseconds=1)).astimezone(WIB)
    async with db.sessions() as s:
        assert await s.scalar(select(Person.id).where(Person.created_at > just_before)) is not None
        assert await s.scalar(select(Person.id).where(Person.created_at > T0.astimezone(WIB))) is None


async def test_naive_datetimes_are_refused(db):
    with pytest.raises(StatementError) as exc:
        async with db.sessions.begin() as s:
            s.add(Person(telegram_id=44, full_name="Naif", active=True, created_at=datetime(2026, 3, 2, 8), grants=[]))
    assert isinstance(exc.value.orig, ValueError)


async def test_service_timestamps_are_aware(db):
    await seed_office(db)
    _sid, _ = await to_kepala(db)
    async with db.sessions() as s:
        rows = (await s.execute(select(Person.created_at))).scalars().all()
        assert rows and all(r.tzinfo is not None for r in rows)
        job_count = len((await s.scalars(select(PublicationJob))).all())
    assert job_count == 0
