"""What several bot processes on one database must survive.

Every race runs on two engines (two pools, two connections), like two bot
processes.  On PostgreSQL the two sides are truly concurrent (asyncpg, one
event loop, asyncio.gather); on SQLite they are serialised by the file's
write lock, which is the point of running the same assertions there.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from domain.workflow import Action, State, WorkflowError
from services.clock import ManualClock
from services.errors import ServiceError
from services.reviewing import review
from services.transitions.effects import Transitioned
from services.website.outbox import LEASE
from storage.models import AuditEvent, PublicationJob, Submission
from tests.storage.office import (
    KASUBBAG,
    KASUBBAG2,
    KEPALA,
    KEPALA2,
    T0,
    FakePublisher,
    Publishers,
    audit_trail,
    count,
    decide,
    outbox,
    person,
    seed_office,
    to_kepala,
    write_and_submit,
)

HANDLED = (WorkflowError, ServiceError)  # what handlers/review.on_decision turns into a popup


@pytest.fixture
async def db2(db):
    """A second 'process' on the same database."""
    other = await db.second()
    yield other
    await other.close()


async def _press_together(db, db2, sid, rid, who, action, targets=()):
    """Two reviewers inside their own transactions press at the same instant."""
    ready = asyncio.Barrier(2)

    async def press(d, tid):
        async with d.sessions.begin() as s:
            p = await person(s, tid)
            await ready.wait()
            return await review.decision(s, person=p, submission_id=sid, revision_id=rid, action=action,
                                         note=None, now=T0 + timedelta(hours=1), targets=list(targets))

    return await asyncio.gather(press(db, who[0]), press(db2, who[1]), return_exceptions=True)


def _split(results):
    wins = [r for r in results if isinstance(r, Transitioned)]
    losses = [r for r in results if isinstance(r, BaseException)]
    return wins, losses


@pytest.mark.parametrize("round_", range(3))
async def test_simultaneous_approvals_record_exactly_one_decision(db, db2, round_):
    await seed_office(db)
    pubs = Publishers()
    sid, rid = await to_kepala(db)
    results = await _press_together(db, db2, sid, rid, (KEPALA, KEPALA2), Action.APPROVE, pubs.targets)
    wins, losses = _split(results)
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], (*HANDLED, StaleDataError)), repr(losses[0])
    assert await count(db, AuditEvent, AuditEvent.submission_id == sid, AuditEvent.action == Action.APPROVE) == 1
    assert await count(db, PublicationJob, PublicationJob.submission_id == sid) == 2
    async with db.sessions() as s:
        sub = await s.get(Submission, sid)
    assert sub.state == State.APPROVED


async def test_simultaneous_forwards_record_exactly_one_decision(db, db2):
    await seed_office(db)
    sid, rid = await write_and_submit(db)
    results = await _press_together(db, db2, sid, rid, (KASUBBAG, KASUBBAG2), Action.FORWARD)
    wins, losses = _split(results)
    assert len(wins) == 1 and len(losses) == 1, results
    assert [a for a, *_ in await audit_trail(db, sid)] == [Action.SUBMIT, Action.FORWARD]


async def test_losing_reviewer_gets_a_refusal_the_handler_understands(db, db2, request):
    """handlers/review.on_decision catches WorkflowError and ServiceError only."""
    await seed_office(db)
    sid, rid = await to_kepala(db)
    results = await _press_together(db, db2, sid, rid, (KEPALA, KEPALA2), Action.APPROVE, Publishers().targets)
    _, losses = _split(results)
    assert len(losses) == 1 and isinstance(losses[0], WorkflowError) and losses[0].code == "not_allowed", \
        repr(losses)


async def test_second_reviewer_waits_for_the_first_and_sees_its_decision(db, db2):
    """A holds its transaction open after deciding; B, pressing meanwhile,
    must not decide on the state A is replacing."""
    await seed_office(db)
    sid, rid = await to_kepala(db)
    first_decided = asyncio.Event()
    hold = 0.5

    async def first():
        async with db.sessions.begin() as s:
            p = await person(s, KEPALA)
            await review.decision(s, person=p, submission_id=sid, revision_id=rid, action=Action.APPROVE,
                                  note=None, now=T0, targets=Publishers().targets)
            first_decided.set()
            await asyncio.sleep(hold)

    async def second():
        await first_decided.wait()
        t0 = time.monotonic()
        try:
            await decide(db2, KEPALA2, sid, rid, Action.APPROVE, T0, targets=Publishers().targets)
        except (*HANDLED, StaleDataError) as exc:
            return exc, time.monotonic() - t0
        return None, time.monotonic() - t0

    _, (exc, waited) = await asyncio.gather(first(), second())
    assert exc is not None, "the second approval went through"
    if db.dialect == "postgresql":
        # SELECT ... FOR UPDATE: B blocked on A's row lock, then read A's state.
        assert waited >= hold / 2, waited
        assert isinstance(exc, WorkflowError) and exc.code == "not_allowed"
    assert await count(db, AuditEvent, AuditEvent.action == Action.APPROVE) == 1


# ---- the outbox ---------------------------------------------------------

async def _approved(db, n: int, targets) -> list[int]:
    sids = []
    for i in range(n):
        sid, rid = await to_kepala(db, title=f"Sosialisasi keterbukaan informasi nomor {i}")
        await decide(db, KEPALA, sid, rid, Action.APPROVE, T0, targets=targets)
        sids.append(sid)
    return sids


async def test_two_workers_publish_each_job_exactly_once(db, db2, tmp_path):
    await seed_office(db)
    site = FakePublisher("static_site", delay=0.01)
    pubs = Publishers(site=site, archive=FakePublisher("archive", stage=1, delay=0.01))
    sids = await _approved(db, 5, pubs.targets)
    clock = ManualClock(T0 + timedelta(minutes=1))
    a, b = outbox(db, pubs, clock, tmp_path), outbox(db2, pubs, clock, tmp_path)

    done = await asyncio.gather(a.run_due(), b.run_due(), a.run_due())
    assert sum(done) == 10, done
    assert sorted(c[0] for c in pubs.site.calls) == sids
    assert sorted(c[0] for c in pubs.archive.calls) == sids
    async with db.sessions() as s:
        jobs = (await s.scalars(select(PublicationJob))).all()
        states = {sub.id: sub.state for sub in (await s.scalars(select(Submission))).unique().all()}
    assert {(j.state, j.attempts) for j in jobs} == {("published", 1)}
    assert set(states.values()) == {State.PUBLISHED}
    for sid in sids:
        actions = [a for a, *_ in await audit_trail(db, sid)]
        assert actions.count(Action.PUBLISHED) == 1 and actions.count(Action.ARCHIVED) == 1, actions


async def test_an_expired_lease_is_reclaimed_and_completed_once(db, db2, tmp_path):
    await seed_office(db)
    pubs = Publishers()
    (sid,) = await _approved(db, 1, pubs.targets)
    clock = ManualClock(T0 + timedelta(minutes=1))
    crashed = outbox(db, pubs, clock, tmp_path)
    claimed = await crashed._claim()  # the worker claims ... and dies before publishing
    assert len(claimed) == 1
    async with db.sessions() as s:
        job = await s.get(PublicationJob, claimed[0])
    assert job.state == "running" and job.lease_until == clock.now() + LEASE

    # While the lease runs, nobody else touches the job.
    clock.advance(LEASE - timedelta(seconds=1))
    assert await outbox(db2, pubs, clock, tmp_path).run_due() == 0
    assert pubs.site.calls == []

    # After it, two survivors race for it: one publishes, once.
    clock.advance(timedelta(seconds=2))
    a, b = outbox(db, pubs, clock, tmp_path), outbox(db2, pubs, clock, tmp_path)
    await asyncio.gather(a.run_due(), b.run_due())
    assert [c[0] for c in pubs.site.calls] == [sid]
    assert [c[0] for c in pubs.archive.calls] == [sid]
    async with db.sessions() as s:
        job = await s.get(PublicationJob, claimed[0])
        sub = await s.get(Submission, sid)
    assert (job.state, job.attempts, job.lease_until) == ("published", 2, None)
    assert sub.state == State.PUBLISHED


class _Gate:
    """Lets up to ``n`` transactions wait for each other (at most ``timeout``) before committing."""

    def __init__(self, n: int = 2, timeout: float = 0.5) -> None:
        self.n, self.timeout, self.arrived, self.all_here = n, timeout, 0, asyncio.Event()

    async def wait(self) -> None:
        self.arrived += 1
        if self.arrived >= self.n:
            self.all_here.set()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.all_here.wait(), self.timeout)


class _GatedSessions:
    """The outbox's sessionmaker, holding every 'job published' commit at a gate."""

    def __init__(self, inner, gate: _Gate) -> None:
        self.inner, self.gate = inner, gate

    def __call__(self, **kw):
        return self.inner(**kw)

    @contextlib.asynccontextmanager
    async def begin(self):
        async with self.inner.begin() as s:
            yield s
            if any(isinstance(o, PublicationJob) and o.state == "published" for o in list(s.identity_map.values())):
                await s.flush()
                await self.gate.wait()


async def test_last_stage0_target_settled_concurrently_still_publishes(db, db2, tmp_path, request):
    """Two stage-0 targets finish on two workers at the same moment: the
    submission must still move to 'terbit' (no write skew on 'all siblings done')."""
    await seed_office(db)
    site, wp = FakePublisher("static_site"), FakePublisher("wordpress")
    targets = [("static_site", 0), ("wordpress", 0)]
    (sid,) = await _approved(db, 1, targets)
    # The WordPress job is due a little later (say, it was retried): the two
    # workers below therefore claim one job each.
    async with db.sessions.begin() as s:
        await s.execute(update(PublicationJob).where(PublicationJob.target == "wordpress")
                        .values(next_attempt_at=T0 + timedelta(minutes=2)))
    gate = _Gate()
    pubs = {"static_site": site, "wordpress": wp}

    def worker(d, at):
        ob = outbox(d, Publishers(), ManualClock(at), tmp_path)
        ob.publishers = pubs
        ob.sessions = _GatedSessions(d.sessions, gate)
        return ob

    a = worker(db, T0 + timedelta(minutes=1))
    b = worker(db2, T0 + timedelta(minutes=3))
    ids_a = await a._claim()
    ids_b = await b._claim()
    assert len(ids_a) == len(ids_b) == 1
    await asyncio.gather(a._run_one(ids_a[0]), b._run_one(ids_b[0]))
    assert len(site.calls) == len(wp.calls) == 1
    async with db.sessions() as s:
        sub = await s.get(Submission, sid)
    assert sub.state == State.PUBLISHED, "both stage-0 targets are live but the submission is stuck"


async def test_simultaneous_corrections_keep_one(db, db2, request):
    """Two Kepalas correct the same revision at once: one new revision, one refusal."""
    await seed_office(db)
    sid, rid = await to_kepala(db)
    ready = asyncio.Barrier(2)

    async def correct(d, tid, title):
        async with d.sessions.begin() as s:
            p = await person(s, tid)
            await ready.wait()
            return await review.correction(s, person=p, submission_id=sid, revision_id=rid, field="title",
                                           text=title, now=T0 + timedelta(hours=1))

    results = await asyncio.gather(correct(db, KEPALA, "Judul koreksi pertama sekali"),
                                   correct(db2, KEPALA2, "Judul koreksi kedua sekali"), return_exceptions=True)
    losses = [r for r in results if isinstance(r, BaseException)]
    assert len(losses) == 1 and isinstance(losses[0], HANDLED), repr(results)
    assert [a for a, *_ in await audit_trail(db, sid)].count(Action.CORRECT) == 1
