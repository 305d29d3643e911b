"""The effects table: what each transition causes, recorded in the same
transaction as the transition (on SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.checks import CheckPolicy
from domain.messaging import DeliveryState, Notice
from domain.workflow import TRANSITIONS, Action, Role, State
from services.delivery.postbox import Owed, owe
from services.reviewing import review
from services.reviewing.reviewers import remember_message
from services.transitions.effects import EFFECTS, Effect, Worker, kinds_of
from services.writing import drafting, drafts
from storage.models import OutgoingMessage, Person, PublicationJob, RoleGrant, Submission
from tests.storage.office import KASUBBAG, KASUBBAG2, KEPALA, KEPALA2, T0, WRITER, Db, person, seed_office

TARGETS = [("static_site", 0), ("archive", 1)]


def test_every_transition_of_the_workflow_has_its_line_in_the_effects_table():
    assert {(action, rule.to) for (_, action), rule in TRANSITIONS.items()} == set(EFFECTS)
    # What moves an item to a reviewer sends that reviewer a card; what leaves a review closes the cards.
    for action, to in EFFECTS:
        kinds = kinds_of(action, to)
        if to in (State.WAIT_KASUBBAG, State.WAIT_KEPALA):
            assert Effect.SEND_CARDS in kinds, action
        if action in (Action.FORWARD, Action.RETURN, Action.APPROVE, Action.CORRECT):
            assert Effect.CLOSE_CARDS in kinds and Effect.TELL_WRITER in kinds, action
    assert Effect.PUBLISH in kinds_of(Action.APPROVE, State.APPROVED)
    assert Effect.PUBLISH in kinds_of(Action.WITHDRAW, State.WITHDRAWN)
    assert Effect.PUBLISH in kinds_of(Action.EXPIRE, State.WITHDRAWN)


async def owed(db: Db) -> list[OutgoingMessage]:
    async with db.sessions() as s:
        return list((await s.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id))).all())


async def draft(db: Db) -> int:
    async with db.sessions.begin() as s:
        d = await drafts.start(s, await person(s, WRITER), T0)
        drafts.set_kind(d, "artikel")
        drafts.set_title(d, "Sosialisasi keterbukaan informasi")
        drafts.set_body(d, "Kegiatan sosialisasi diikuti seluruh pegawai dan warga di aula kantor. " * 4)
        return d.submission.id


async def test_submit_owes_a_card_to_each_kasubbag_and_wakes_the_postman_and_the_clock(db):
    await seed_office(db)
    sid = await draft(db)
    out = await drafting.submit_draft(db.sessions, telegram_id=WRITER, submission_id=sid, policy=CheckPolicy(),
                                      now=T0)
    assert out.to_state == State.WAIT_KASUBBAG and out.reached[Effect.SEND_CARDS] == 2
    assert out.wake == {Worker.POSTMAN, Worker.CLOCK}
    rows = await owed(db)
    assert sorted((r.chat_id, r.notice) for r in rows) == [(KASUBBAG, Notice.REVIEW_CARD),
                                                          (KASUBBAG2, Notice.REVIEW_CARD)]
    assert all(r.state == DeliveryState.PENDING and r.params["revision_id"] == out.revision_id for r in rows)


async def test_forward_closes_the_open_cards_tells_the_writer_and_sends_the_kepalas_their_cards(db):
    await seed_office(db)
    sid = await draft(db)
    sub = await drafting.submit_draft(db.sessions, telegram_id=WRITER, submission_id=sid, policy=CheckPolicy(),
                                      now=T0)
    async with db.sessions.begin() as s:  # the two Kasubbags' cards were delivered
        s_sub = await s.get(Submission, sid)
        for i, tid in enumerate((KASUBBAG, KASUBBAG2)):
            await remember_message(s, s_sub, await person(s, tid), tid, 100 + i, T0)
    before = len(await owed(db))
    out = await review.decide_as(db.sessions, telegram_id=KASUBBAG, submission_id=sid, revision_id=sub.revision_id,
                                 action=Action.FORWARD, note=None, now=T0 + timedelta(minutes=5), targets=TARGETS)
    new = (await owed(db))[before:]
    got = sorted((r.chat_id, r.notice) for r in new)
    assert got == sorted([(KASUBBAG, Notice.CARD_OUTCOME), (KASUBBAG2, Notice.CARD_OUTCOME),
                          (WRITER, Notice.DECISION), (KEPALA, Notice.REVIEW_CARD), (KEPALA2, Notice.REVIEW_CARD)])
    outcome = next(r for r in new if r.chat_id == KASUBBAG2)
    assert outcome.params["message_id"] == 101 and outcome.params["name"] == "Kasim Kasubbag"
    assert out.reached == {Effect.CLOSE_CARDS: 2, Effect.TELL_WRITER: 1, Effect.SEND_CARDS: 2}


async def test_a_return_tells_the_writer_with_the_note_and_owes_no_cards(db):
    await seed_office(db)
    sid = await draft(db)
    sub = await drafting.submit_draft(db.sessions, telegram_id=WRITER, submission_id=sid, policy=CheckPolicy(),
                                      now=T0)
    before = len(await owed(db))
    out = await review.decide_as(db.sessions, telegram_id=KASUBBAG, submission_id=sid, revision_id=sub.revision_id,
                                 action=Action.RETURN, note="Nomor HP jangan diterbitkan.", now=T0, targets=TARGETS)
    new = (await owed(db))[before:]
    assert [(r.chat_id, r.notice, r.params["note"]) for r in new] == [
        (WRITER, Notice.DECISION, "Nomor HP jangan diterbitkan.")]
    assert out.to_state == State.RETURNED and Worker.OUTBOX not in out.wake


async def test_approval_queues_every_target_and_wakes_the_outbox_in_the_same_transaction(db):
    await seed_office(db)
    sid = await draft(db)
    sub = await drafting.submit_draft(db.sessions, telegram_id=WRITER, submission_id=sid, policy=CheckPolicy(),
                                      now=T0)
    await review.decide_as(db.sessions, telegram_id=KASUBBAG, submission_id=sid, revision_id=sub.revision_id,
                           action=Action.FORWARD, note=None, now=T0, targets=TARGETS)
    out = await review.decide_as(db.sessions, telegram_id=KEPALA, submission_id=sid, revision_id=sub.revision_id,
                                 action=Action.APPROVE, note=None, now=T0, targets=TARGETS)
    assert Worker.OUTBOX in out.wake
    async with db.sessions() as s:
        jobs = (await s.scalars(select(PublicationJob.target).where(PublicationJob.submission_id == sid))).all()
    assert sorted(jobs) == ["archive", "static_site"]
    assert (await owed(db))[-1].notice == Notice.DECISION and (await owed(db))[-1].params["action"] == "setujui"


async def test_nobody_in_the_role_is_told_to_the_writer_and_the_admins_instead_of_silence(db):
    await seed_office(db)
    async with db.sessions.begin() as s:  # nobody holds the Kasubbag role any more
        for tid in (KASUBBAG, KASUBBAG2):
            p = await person(s, tid)
            p.active = False
        admin = Person(telegram_id=9001, full_name="Ani Admin", active=True, created_at=T0, grants=[])
        admin.grants.append(RoleGrant(role=Role.ADMIN, granted_at=T0))
        s.add(admin)
    sid = await draft(db)
    out = await drafting.submit_draft(db.sessions, telegram_id=WRITER, submission_id=sid, policy=CheckPolicy(),
                                      now=T0)
    assert out.reached[Effect.SEND_CARDS] == 0
    rows = await owed(db)
    assert sorted((r.chat_id, r.notice, r.params["to"]) for r in rows) == [
        (WRITER, Notice.NO_REVIEWER, "writer"), (9001, Notice.NO_REVIEWER, "admin")]


async def test_owing_the_same_delivery_key_twice_records_one_message(db):
    await seed_office(db)
    async with db.sessions.begin() as s:
        await owe(s, [Owed("u5:1", WRITER, Notice.TEXT, {"text": "a"}), Owed("u5:1", WRITER, Notice.TEXT,
                                                                                {"text": "a"})], T0)
    async with db.sessions.begin() as s:
        await owe(s, Owed("u5:1", WRITER, Notice.TEXT, {"text": "changed"}), T0)
    rows = await owed(db)
    assert [(r.key, r.params["text"]) for r in rows] == [("u5:1", "a")]


async def test_a_card_decided_before_it_was_recorded_is_closed_with_its_outcome(db):
    """A reviewer pressed within milliseconds of receiving the card: the decision could
    not close it, so recording it owes its outcome instead of leaving live buttons."""
    from services.reviewing.cards import remember_card
    await seed_office(db)
    sid = await draft(db)
    sub = await drafting.submit_draft(db.sessions, telegram_id=WRITER, submission_id=sid, policy=CheckPolicy(),
                                      now=T0)
    await review.decide_as(db.sessions, telegram_id=KASUBBAG, submission_id=sid, revision_id=sub.revision_id,
                           action=Action.FORWARD, note=None, now=T0, targets=TARGETS)
    async with db.sessions() as s:
        kasim = await person(s, KASUBBAG2)
    before = len(await owed(db))
    still_open = await remember_card(db.sessions, submission_id=sid, revision_id=sub.revision_id,
                                     state=State.WAIT_KASUBBAG, person_id=kasim.id, chat_id=KASUBBAG2, message_id=77,
                                     now=T0)
    assert still_open is False
    (late,) = (await owed(db))[before:]
    assert (late.chat_id, late.notice, late.params["action"], late.params["message_id"], late.params["name"]) == (
        KASUBBAG2, Notice.CARD_OUTCOME, "teruskan", 77, "Kasim Kasubbag")


async def test_handled_updates_and_settled_messages_are_forgotten_after_a_week_and_nothing_else(db):
    from datetime import timedelta

    from services.delivery import inbox, postbox
    from services.delivery.inbox import KEEP_HANDLED, Key, Received
    await seed_office(db)
    old, new = T0, T0 + KEEP_HANDLED + timedelta(days=1)
    await inbox.store(db.sessions, [Received(Key(7, 1), WRITER, {"update_id": 1}),
                                    Received(Key(7, 2), WRITER, {"update_id": 2})], old)
    await inbox.done(db.sessions, Key(7, 1), old)  # 2 was never handled: it stays, however old
    async with db.sessions.begin() as s:
        await owe(s, [Owed("sent", WRITER, Notice.TEXT, {"text": "a"}), Owed("waiting", WRITER, Notice.TEXT,
                                                                                {"text": "b"})], old)
    parcels = await postbox.claim(db.sessions, old, WRITER)
    sent = next(p for p in parcels if p.key == "sent")
    await postbox.record_outcome(db.sessions, sent.id, DeliveryState.SENT, old, telegram_message_id=5)
    await postbox.record_outcome(db.sessions, next(p.id for p in parcels if p.key == "waiting"),
                                 DeliveryState.PENDING, old, retry_at=new)
    cutoff = new - KEEP_HANDLED
    assert await inbox.forget_handled(db.sessions, cutoff) == 1
    assert await postbox.forget_settled(db.sessions, cutoff) == 1
    assert [r.update_id for r in await inbox.unfinished(db.sessions)] == [2]
    assert [r.key for r in await owed(db)] == ["waiting"]
