"""An outage is owed in the transaction that records the failed attempt: the admins
once it lasted OUTBOX_OUTAGE_MINUTES, the writer once, the admins again on recovery."""
from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import select

from domain.messaging import Notice
from domain.workflow import Action, Role
from publishers.base import Article, PriorPublication, PublishError, PublishResult
from services.clock import ManualClock
from services.website.outbox import UNEXPECTED_FAILURE
from storage.models import OutgoingMessage, Person, PublicationJob, RoleGrant
from tests.storage.office import (
    KASUBBAG,
    KEPALA,
    T0,
    WRITER,
    FakePublisher,
    Publishers,
    decide,
    outbox,
    seed_office,
    write_and_submit,
)

ADMIN = 4001


class DownPublisher(FakePublisher):
    """A CMS that cannot be reached for its first ``down`` attempts."""

    def __init__(self, name: str, down: int) -> None:
        super().__init__(name)
        self.down = down

    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        if self.down:
            self.down -= 1
            raise PublishError("CMS tidak dapat dihubungi; akan dicoba lagi.", retryable=True)
        return await super().publish(article, prior)


async def owed(db) -> list[tuple[str, int]]:
    async with db.sessions() as s:
        rows = (await s.scalars(select(OutgoingMessage).where(OutgoingMessage.notice.in_([
            Notice.PUBLISH_OUTAGE, Notice.PUBLISH_DELAYED, Notice.PUBLISH_RECOVERED]))
            .order_by(OutgoingMessage.id))).all()
    return [(r.notice, r.chat_id) for r in rows]


async def test_an_outage_is_owed_once_and_its_recovery_once(db, tmp_path):
    await seed_office(db)
    async with db.sessions.begin() as s:
        admin = Person(telegram_id=ADMIN, full_name="Ani Admin", active=True, created_at=T0, grants=[])
        admin.grants.append(RoleGrant(role=Role.ADMIN, granted_at=T0))
        s.add(admin)
    pubs = Publishers(site=DownPublisher("static_site", down=3))
    clock = ManualClock(T0)
    sid, rid = await write_and_submit(db, T0)
    await decide(db, KASUBBAG, sid, rid, Action.FORWARD, T0)
    await decide(db, KEPALA, sid, rid, Action.APPROVE, T0, targets=pubs.targets)
    ob = outbox(db, pubs, clock, tmp_path)
    assert ob.outage_after == timedelta(minutes=15)

    await ob.run_due()  # the first failure: not an outage yet
    assert await owed(db) == []
    clock.advance(timedelta(minutes=15))
    await ob.run_due()  # still failing a quarter of an hour later: the admin and the writer hear it
    assert await owed(db) == [(Notice.PUBLISH_OUTAGE, ADMIN), (Notice.PUBLISH_DELAYED, WRITER)]
    async with db.sessions() as s:
        job = await s.scalar(select(PublicationJob).where(PublicationJob.target == "static_site"))
        assert job.state == "retry" and job.failing_since.astimezone(UTC) == T0
    clock.advance(timedelta(minutes=10))
    await ob.run_due()  # the outage goes on: nothing new
    assert len(await owed(db)) == 2
    clock.advance(timedelta(minutes=10))
    await ob.run_due()  # back: the admin hears it once; the archive follows
    assert await owed(db) == [(Notice.PUBLISH_OUTAGE, ADMIN), (Notice.PUBLISH_DELAYED, WRITER),
                              (Notice.PUBLISH_RECOVERED, ADMIN)]
    async with db.sessions() as s:
        jobs = (await s.scalars(select(PublicationJob).order_by(PublicationJob.stage))).all()
    assert [j.state for j in jobs] == ["published", "published"]
    assert jobs[0].failing_since is None and jobs[0].outage_told_at is None
    clock.advance(timedelta(hours=1))
    assert await ob.run_due() == 0 and len(await owed(db)) == 3


async def test_the_outage_is_told_when_it_is_due_not_at_the_backoffs_next_attempt(db, tmp_path):
    await seed_office(db)
    pubs = Publishers(site=DownPublisher("static_site", down=100))
    clock = ManualClock(T0)
    sid, rid = await write_and_submit(db, T0)
    await decide(db, KASUBBAG, sid, rid, Action.FORWARD, T0)
    await decide(db, KEPALA, sid, rid, Action.APPROVE, T0, targets=pubs.targets)
    ob = outbox(db, pubs, clock, tmp_path)
    ob.outage_after = timedelta(minutes=20)  # OUTBOX_OUTAGE_MINUTES=20: between two backoff attempts (15.5, 31.5)
    attempts = []
    while not await owed(db):
        await ob.run_due()
        attempts.append(clock.now() - T0)
        async with db.sessions() as s:
            job = await s.scalar(select(PublicationJob).where(PublicationJob.target == "static_site"))
        clock.set(job.next_attempt_at)
    assert attempts[-1] == timedelta(minutes=20)  # the writer hears at 20 minutes, not at 31.5
    assert attempts[:-1] == [timedelta(minutes=m) for m in (0, 0.5, 1.5, 3.5, 7.5, 15.5)]
    assert await owed(db) == [(Notice.PUBLISH_DELAYED, WRITER)]  # this office has no admin


class BrokenPublisher(FakePublisher):
    """A publisher with a bug: it raises something no publisher foresaw."""

    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        raise KeyError("slug")


async def test_an_unexpected_failure_is_told_in_plain_indonesian(db, tmp_path):
    """The reason people read (outage notices, /terbitan) names no Python class; the log has the traceback."""
    await seed_office(db)
    pubs = Publishers(site=BrokenPublisher("static_site"))
    clock = ManualClock(T0)
    sid, rid = await write_and_submit(db, T0)
    await decide(db, KASUBBAG, sid, rid, Action.FORWARD, T0)
    await decide(db, KEPALA, sid, rid, Action.APPROVE, T0, targets=pubs.targets)
    await outbox(db, pubs, clock, tmp_path).run_due()
    async with db.sessions() as s:
        job = await s.scalar(select(PublicationJob).where(PublicationJob.target == "static_site"))
    assert job.state == "retry" and job.last_error == UNEXPECTED_FAILURE
    assert "KeyError" not in job.last_error and "Error" not in job.last_error
