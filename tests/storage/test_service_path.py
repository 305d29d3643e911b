"""The whole service path on each backend: draft -> submit -> forward ->
approve (outbox jobs in the same transaction) -> Outbox.run_due -> terbit."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.workflow import Action, State
from services.clock import ManualClock
from storage.models import PublicationJob, Submission
from tests.storage.office import (
    KASUBBAG,
    KEPALA,
    T0,
    Publishers,
    audit_trail,
    decide,
    outbox,
    seed_office,
    write_and_submit,
)


async def test_draft_to_terbit_with_audit_in_order(db, tmp_path):
    await seed_office(db)
    pubs = Publishers()
    clock = ManualClock(T0)

    sid, rid = await write_and_submit(db, T0)
    d1 = await decide(db, KASUBBAG, sid, rid, Action.FORWARD, T0 + timedelta(minutes=10))
    assert (d1.from_state, d1.to_state) == (State.WAIT_KASUBBAG, State.WAIT_KEPALA)
    d2 = await decide(db, KEPALA, sid, rid, Action.APPROVE, T0 + timedelta(minutes=20), targets=pubs.targets)
    assert d2.to_state == State.APPROVED

    async with db.sessions() as s:
        jobs = (await s.scalars(select(PublicationJob).order_by(PublicationJob.stage))).all()
    assert [(j.target, j.stage, j.state, j.revision_id) for j in jobs] == [
        ("static_site", 0, "queued", rid), ("archive", 1, "queued", rid)]

    clock.advance(timedelta(minutes=21))
    assert await outbox(db, pubs, clock, tmp_path).run_due() == 2
    assert [c[:2] for c in pubs.site.calls] == [(sid, 1)]
    assert [c[:2] for c in pubs.archive.calls] == [(sid, 1)]
    assert pubs.site.calls[0][2] is None  # first publication: no prior record

    async with db.sessions() as s:
        sub = await s.get(Submission, sid)
        jobs = (await s.scalars(select(PublicationJob).order_by(PublicationJob.stage))).all()
    assert sub.state == State.PUBLISHED
    assert sub.published_revision_id == rid
    assert sub.slug.startswith(f"{sid}-sosialisasi")
    assert [j.state for j in jobs] == ["published", "published"]
    assert all(j.lease_until is None and j.done_at.tzinfo is not None for j in jobs)
    assert jobs[0].url == f"https://situs.test/static_site/{sub.slug}"

    assert await audit_trail(db, sid) == [
        (Action.SUBMIT, State.DRAFT, State.WAIT_KASUBBAG),
        (Action.FORWARD, State.WAIT_KASUBBAG, State.WAIT_KEPALA),
        (Action.APPROVE, State.WAIT_KEPALA, State.APPROVED),
        (Action.PUBLISHED, State.APPROVED, State.PUBLISHED),
        (Action.ARCHIVED, State.PUBLISHED, State.PUBLISHED),
    ]
    # Nothing is left to do: a second pass publishes nothing again.
    assert await outbox(db, pubs, clock, tmp_path).run_due() == 0
    assert len(pubs.site.calls) == len(pubs.archive.calls) == 1


async def test_article_carries_the_approval(db, tmp_path):
    await seed_office(db)
    pubs = Publishers()
    sid, rid = await write_and_submit(db, T0)
    await decide(db, KASUBBAG, sid, rid, Action.FORWARD, T0)
    await decide(db, KEPALA, sid, rid, Action.APPROVE, T0 + timedelta(hours=1), targets=pubs.targets)
    ob = outbox(db, pubs, ManualClock(T0 + timedelta(hours=2)), tmp_path)
    async with db.sessions() as s:
        article = await ob.build_article(s, sid, rid)
    assert article.approved_by.name == "Kartini Kepala"
    assert article.approved_at == T0 + timedelta(hours=1) and article.approved_at.tzinfo is not None
    assert [a["action"] for a in article.record["audit"]] == [Action.SUBMIT, Action.FORWARD, Action.APPROVE]
