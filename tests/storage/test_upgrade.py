"""Safe upgrades: a database created by the FIRST release reaches today's schema and works.

The first release's 0001 keyed publication_jobs on (revision_id, target); 0001 was edited
afterwards, so such a database refused the Kepala's confirmation of /tarik with
"UNIQUE constraint failed: publication_jobs.revision_id, publication_jobs.target".
Migration 0004 repairs it.  The old schema comes from tests/storage/fixtures (no git at
run time); the data is put in with that schema's own tables, then the bot's upgrade runs.
"""
from __future__ import annotations

from datetime import timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, inspect, select, text

from domain.publication import JobState, Operation
from domain.workflow import Role, State
from services.clock import ManualClock
from services.website import updates
from storage.db import alembic_config, make_engine, make_sessionmaker, upgrade
from storage.models import Base, PublicationJob, Submission, Tenant
from storage.tenancy import for_office
from tests.storage.fixtures import first_release_0001
from tests.storage.office import KASUBBAG, KEPALA, T0, WRITER, Db, Publishers, outbox

ADMIN = 9001
#: On SQLite the submissions <-> revisions cycle exists only in the models (see test_migrations).
SQLITE_CYCLE_FKS = {"fk_submissions_current_revision", "fk_submissions_published_revision"}


def _head() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _create_first_release(sync_conn, url: str) -> None:
    """The first release's `terbit run` on an empty database: its 0001, stamped."""
    ctx = MigrationContext.configure(sync_conn, opts={"render_as_batch": sync_conn.dialect.name == "sqlite"})
    with Operations.context(ctx):
        first_release_0001.upgrade()
    cfg = alembic_config(url)
    cfg.attributes["connection"] = sync_conn
    command.stamp(cfg, "0001")


def _put_a_published_article(sync_conn) -> None:
    """What the first release left after one article went live: people, the submission, its publish jobs."""
    md = MetaData()
    md.reflect(sync_conn)
    t = md.tables
    at = T0
    sync_conn.execute(t["sections"].insert(), [{"id": 1, "name": "Humas", "active": True}])
    people = [(1, WRITER, "Wulan Penulis", Role.WRITER, 1), (2, KASUBBAG, "Kasim Kasubbag", Role.KASUBBAG, None),
              (3, KEPALA, "Kartini Kepala", Role.KEPALA, None), (4, ADMIN, "Ani Admin", Role.ADMIN, None)]
    sync_conn.execute(t["people"].insert(), [
        {"id": pid, "telegram_id": tid, "full_name": name, "username": None, "active": True, "created_at": at}
        for pid, tid, name, _, _ in people])
    sync_conn.execute(t["role_grants"].insert(), [
        {"id": pid, "person_id": pid, "role": role.value, "section_id": section, "granted_by": None,
         "granted_at": at} for pid, _, _, role, section in people])
    sync_conn.execute(t["submissions"].insert(), [{
        "id": 1, "author_id": 1, "section_id": 1, "state": State.PUBLISHED.value, "current_revision_id": None,
        "published_revision_id": None, "slug": "sosialisasi-keterbukaan-informasi", "created_at": at,
        "updated_at": at + timedelta(hours=2), "state_changed_at": at + timedelta(hours=2), "version": 6}])
    sync_conn.execute(t["revisions"].insert(), [{
        "id": 1, "submission_id": 1, "number": 1, "kind": "artikel", "title": "Sosialisasi keterbukaan informasi",
        "body": "Kegiatan sosialisasi keterbukaan informasi publik diikuti oleh seluruh pegawai. " * 3,
        "guide": {}, "attachment_ids": [], "reason": "new", "created_by": 1, "created_at": at,
        "frozen_at": at + timedelta(minutes=10)}])
    sync_conn.execute(t["submissions"].update().values(current_revision_id=1, published_revision_id=1))
    trail = [("penulis", "ajukan", "draf", "menunggu_kasubbag", 1), ("kasubbag", "teruskan", "menunggu_kasubbag",
             "menunggu_kepala", 2), ("kepala", "setujui", "menunggu_kepala", "disetujui", 3),
             ("sistem", "terbitkan", "disetujui", "terbit", None), ("sistem", "arsipkan", "terbit", "terbit", None)]
    sync_conn.execute(t["audit_events"].insert(), [
        {"submission_id": 1, "actor_id": actor, "role": role, "action": action, "from_state": a, "to_state": b,
         "note": None, "revision_id": 1, "at": at + timedelta(minutes=10 * i)}
        for i, (role, action, a, b, actor) in enumerate(trail)])
    sync_conn.execute(t["publication_jobs"].insert(), [{
        "submission_id": 1, "revision_id": 1, "target": target, "stage": stage,
        "operation": Operation.PUBLISH.value, "state": JobState.PUBLISHED.value, "attempts": 1,
        "next_attempt_at": at, "lease_until": None, "last_error": None, "remote_id": f"{target}-1",
        "url": f"https://situs.test/{target}/1", "remote": {}, "created_at": at, "updated_at": at,
        "done_at": at + timedelta(minutes=40), "notified_at": at + timedelta(minutes=41)}
        for target, stage in (("static_site", 0), ("archive", 1))])


def _publication_job_keys(sync_conn) -> dict:
    return {uc["name"]: tuple(uc["column_names"]) for uc in inspect(sync_conn).get_unique_constraints(
        "publication_jobs")}


def _schema_diffs(sync_conn) -> list:
    ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True, "compare_server_default": False})
    return compare_metadata(ctx, Base.metadata)


async def test_first_release_database_upgrades_and_withdraws(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_create_first_release, db_url)
            await conn.run_sync(_put_a_published_article)
        async with engine.connect() as conn:
            assert (await conn.run_sync(_publication_job_keys))["uq_publication_job"] == ("revision_id", "target")

        await upgrade(engine)  # what `terbit run` of today does on start
        await upgrade(engine)  # and again on the next start: 0004 is a no-op now

        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == _head()
            keys = await conn.run_sync(_publication_job_keys)
            diffs = await conn.run_sync(_schema_diffs)
        assert keys == {"uq_publication_job": ("revision_id", "target", "operation")}
        async with engine.connect() as conn:
            offices = (await conn.execute(text("SELECT id, slug, name FROM offices"))).all()
            in_offices = await conn.run_sync(tenant_offices)
        assert [tuple(o) for o in offices] == [(1, "kantor", "Kantor")]  # 0014: the one office so far
        assert set(in_offices.values()) == {(1,)} and {"submissions", "revisions", "audit_events", "publication_jobs",
                                                       "role_grants", "sections"} <= set(in_offices)
        expected = SQLITE_CYCLE_FKS if engine.dialect.name == "sqlite" else set()
        assert {d[1].name for d in diffs if d[0] == "add_fk"} == expected and all(d[0] == "add_fk" for d in diffs), \
            diffs

        # The old data came through the table copy, and the withdrawal flow works on it.
        db = Db(db_url, engine, make_sessionmaker(engine))
        pubs = Publishers()
        now = T0 + timedelta(days=3)
        await updates.request_withdrawal_as(db.sessions, telegram_id=ADMIN, submission_id=1,
                                            reason="Data narasumber keliru.", now=now)
        await updates.decide_withdrawal_as(db.sessions, telegram_id=KEPALA, submission_id=1, confirm=True,
                                           targets=pubs.targets, now=now + timedelta(minutes=5))
        await outbox(db, pubs, ManualClock(now + timedelta(minutes=6)), tmp_path).run_due()
        async with for_office(db.sessions, 1)() as s:  # all of it office 1's, the new rows too
            sub = await s.get(Submission, 1)
            jobs = (await s.scalars(select(PublicationJob).order_by(PublicationJob.id))).all()
        assert sub.state is State.WITHDRAWN
        assert [(j.target, j.operation, j.state) for j in jobs] == [
            ("static_site", Operation.PUBLISH, JobState.PUBLISHED), ("archive", Operation.PUBLISH, JobState.PUBLISHED),
            ("static_site", Operation.WITHDRAW, JobState.PUBLISHED), ("archive", Operation.WITHDRAW, JobState.PUBLISHED)]
        assert {j.remote_id for j in jobs[:2]} == {"static_site-1", "archive-1"}
    finally:
        await engine.dispose()


async def test_today_database_is_left_alone_by_0004(db_url):
    """A database created by today's 0001 already has the right key: 0004 changes nothing."""
    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_publication_job_keys) == {
                "uq_publication_job": ("revision_id", "target", "operation")}
    finally:
        await engine.dispose()


def _upgrade_to(sync_conn, url: str, revision: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["connection"] = sync_conn
    command.upgrade(cfg, revision)


async def test_an_inbox_keyed_by_update_id_alone_is_brought_over_to_bot_and_update_id(db_url):
    """0009: updates stored before it keep their rows (bot 0, "not recorded"); a new bot's update with
    the same number is stored and answered, not taken for handled; an unhandled old one is still due."""
    from services.delivery import inbox
    from services.delivery.inbox import Key, Received

    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade_to, db_url, "0008")
            await conn.execute(text(
                "INSERT INTO inbox_updates (update_id, lane, payload, received_at, attempts, done_at) VALUES "
                "(500, 1001, '{\"update_id\": 500}', :at, 1, :at), (501, 1001, '{\"update_id\": 501}', :at, 0, NULL)"),
                {"at": T0})
        await upgrade(engine)
        await upgrade(engine)  # a no-op the second time
        async with engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT bot_id, update_id, done_at IS NOT NULL FROM inbox_updates ORDER BY update_id"))).all()
            pk = await conn.run_sync(lambda c: inspect(c).get_pk_constraint("inbox_updates")["constrained_columns"])
            diffs = await conn.run_sync(_schema_diffs)
        assert [tuple(r) for r in rows] == [(0, 500, True), (0, 501, False)]
        assert sorted(pk) == ["bot_id", "update_id"]
        assert all(d[0] == "add_fk" for d in diffs), diffs

        sessions = make_sessionmaker(engine)
        bot = 123456
        handled = await inbox.store(sessions, [Received(Key(bot, 500), 1001, {"update_id": 500}),
                                               Received(Key(bot, 501), 1001, {"update_id": 501})],
                                    T0 + timedelta(minutes=1))
        assert handled == set()  # the new bot's 500 is new, whatever bot 0's 500 was
        assert [r.key for r in await inbox.unfinished(sessions)] == [Key(0, 501), Key(bot, 500), Key(bot, 501)]
        await inbox.done_many(sessions, [(Key(bot, 500), None), (Key(0, 501), None)], T0)
        assert [r.key for r in await inbox.unfinished(sessions)] == [Key(bot, 501)]
    finally:
        await engine.dispose()


def _waiting_for_the_kasubbag(sync_conn, url: str, revision: str) -> None:
    """A database of ``revision`` whose one item (the published article's data) waits for the Kasubbag."""
    _upgrade_to(sync_conn, url, revision)
    _put_a_published_article(sync_conn)
    sync_conn.execute(text("UPDATE submissions SET state = 'menunggu_kasubbag'"))
async def _waiting_for_kasubbag(engine, db_url: str, revision: str) -> None:
    """A database of ``revision`` whose one item waits for the Kasubbag, with the Kasubbag's open card."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_to, db_url, revision)
        await conn.run_sync(_put_a_published_article)
        await conn.execute(text("UPDATE submissions SET state = 'menunggu_kasubbag'"))
        await conn.execute(text(
            "INSERT INTO review_messages (submission_id, revision_id, person_id, chat_id, message_id, state, "
            "closed, created_at) VALUES (1, 1, 2, :chat, 77, 'menunggu_kasubbag', false, :at)"),
            {"chat": KASUBBAG, "at": T0})


async def test_a_database_of_0010_gains_comments_and_its_items_take_them(db_url):
    """0011: an item waiting for the Kasubbag in a database of 0010 keeps everything; a reply to its
    card becomes a comment anchored to the quoted words and owes the writer a notice; a second start
    changes nothing."""
    from services.reviewing import comments
    from services.reviewing.comments import RepliedTo, Said
    from storage.models import Comment, OutgoingMessage

    engine = make_engine(db_url)
    try:
        await _waiting_for_kasubbag(engine, db_url, "0010")
        await upgrade(engine)
        await upgrade(engine)
        async with engine.connect() as conn:
            assert all(d[0] == "add_fk" for d in await conn.run_sync(_schema_diffs))
        sessions = make_sessionmaker(engine)
        shown = "Sosialisasi keterbukaan informasi\n\n" + "Kegiatan sosialisasi keterbukaan informasi publik"
        done = await comments.comment_as(
            sessions, telegram_id=KASUBBAG, replied_to=RepliedTo(KASUBBAG, 77, shown),
            said=Said(KASUBBAG, 5, "Sebutkan tanggalnya.", "seluruh pegawai", None), now=T0 + timedelta(days=1))
        assert done is not None and done.told == ("Wulan Penulis",)
        async with sessions() as s:
            c = await s.scalar(select(Comment))
            owed = (await s.scalars(select(OutgoingMessage))).all()
        assert (c.part, c.paragraph, c.quote) == ("isi", 0, "seluruh pegawai")
        assert [(m.chat_id, m.notice) for m in owed] == [(WRITER, "comment")]
    finally:
        await engine.dispose()


async def test_a_database_of_0011_gains_exemption_records(db_url):
    """0012: an item of a database of 0011 keeps everything and takes an exemption's record (PerKI 1/2017)
    once classed dikecualikan; a second start changes nothing; the head is 0012's or later."""
    from datetime import date

    from domain.kip import ExemptPeriod, KipClass
    from services.writing import kip

    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_waiting_for_the_kasubbag, db_url, "0011")
            assert "kip_exemptions" not in await conn.run_sync(lambda c: inspect(c).get_table_names())
        await upgrade(engine)
        await upgrade(engine)
        async with engine.connect() as conn:
            assert all(d[0] == "add_fk" for d in await conn.run_sync(_schema_diffs))
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == _head()
        sessions = make_sessionmaker(engine)
        now = T0 + timedelta(days=1)
        await kip.set_class(sessions, telegram_id=KASUBBAG, submission_id=1, kip_class=KipClass.DIKECUALIKAN, now=now)
        x = await kip.record_exemption(sessions, telegram_id=KASUBBAG, submission_id=1, ground="h",
                                       reason="Data pribadi", period=ExemptPeriod(until=date(2030, 12, 31)), now=now)
        assert (x.ground, x.until, x.decided_by) == ("h", date(2030, 12, 31), "Kasim Kasubbag")
        assert [e.reason for e in await kip.exemptions_of(sessions, 1)] == ["Data pribadi"]
    finally:
        await engine.dispose()


async def test_a_database_of_0011_gains_claims_and_a_second_kasubbag_claims_its_item(db_url):
    """0013 (written after 0011; the lead joins it to the chain): an item waiting for two Kasubbag in
    a database of 0011 keeps everything; one of them claims it, the other's open card is owed a
    redraw, and the other's decision is refused naming the claimant; a second start changes nothing."""
    from domain.sop_clock import WorkingCalendar
    from domain.standard_times import StandardTimes
    from domain.workflow import Action
    from services.errors import ServiceError
    from services.reviewing import claims, review
    from services.reviewing.claims import ClaimPolicy
    from storage.models import OutgoingMessage, ReviewClaim

    second = 2002
    engine = make_engine(db_url)
    try:
        await _waiting_for_kasubbag(engine, db_url, "0011")
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO people (id, telegram_id, full_name, active, created_at) "
                "VALUES (5, :tid, 'Kiki Kasubbag', true, :at)"), {"tid": second, "at": T0})
            await conn.execute(text(
                "INSERT INTO role_grants (id, person_id, role, granted_at) VALUES (5, 5, 'kasubbag', :at)"),
                {"at": T0})
        await upgrade(engine)
        await upgrade(engine)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == _head()
            assert all(d[0] == "add_fk" for d in await conn.run_sync(_schema_diffs))
        sessions = make_sessionmaker(engine)
        now = T0 + timedelta(days=1)
        policy = ClaimPolicy(WorkingCalendar(wall_clock=True), StandardTimes())
        done = await claims.claim_as(sessions, telegram_id=second, submission_id=1, revision_id=1, policy=policy,
                                     now=now)
        assert (done.claimant, done.until, done.cards) == ("Kiki Kasubbag", now + timedelta(minutes=30), 1)
        try:
            await review.decide_as(sessions, telegram_id=KASUBBAG, submission_id=1, revision_id=1,
                                   action=Action.FORWARD, note=None, now=now, targets=[])
        except ServiceError as exc:
            assert (exc.code, exc.params["name"]) == ("review_claimed", "Kiki Kasubbag")
        else:
            raise AssertionError("a decision under someone else's claim went through")
        async with sessions() as s:
            assert (await s.scalar(select(ReviewClaim))).person_id == 5
            owed = (await s.scalars(select(OutgoingMessage))).all()
        assert [(m.chat_id, m.notice) for m in owed] == [(KASUBBAG, "card_claim")]
    finally:
        await engine.dispose()


# ---- 0014: offices ------------------------------------------------------------------------------

#: Every tenant table (the models' Tenant tables; tests/storage/test_tenancy.py checks 0014 walls the same).
TENANT_TABLES = sorted(m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Tenant))


def tenant_rows(sync_conn) -> dict[str, int]:
    """How many rows each tenant table has."""
    return {t: sync_conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TENANT_TABLES}


def tenant_offices(sync_conn) -> dict[str, tuple[int, ...]]:
    """The offices the rows of each non-empty tenant table belong to."""
    out = {}
    for t in TENANT_TABLES:
        offices = tuple(sync_conn.execute(text(f"SELECT DISTINCT office_id FROM {t} ORDER BY 1")).scalars())
        if offices:
            out[t] = offices
    return out


def _fill_every_tenant_table(sync_conn) -> None:
    """On top of the item waiting for the Kasubbag (and his card): a row in every other tenant table."""
    md = MetaData()
    md.reflect(sync_conn)
    t = md.tables
    at = T0 + timedelta(hours=1)
    sync_conn.execute(t["invitations"].insert(), [{
        "code": "undangan-1", "role": Role.WRITER.value, "section_id": 1, "created_by": 4, "created_at": at,
        "expires_at": at + timedelta(days=7), "used_by": None, "used_at": None}])
    sync_conn.execute(t["attachments"].insert(), [{
        "id": 1, "submission_id": 1, "kind": "photo", "sha256": "ab" * 32, "path": "media/ab/abab.jpg",
        "mime": "image/jpeg", "label": "", "size": 1234, "original_name": "foto.jpg", "caption": "",
        "meta": {}, "renditions": [], "added_by": 1, "created_at": at}])
    sync_conn.execute(t["comments"].insert(), [{
        "id": 1, "submission_id": 1, "revision_id": 1, "thread_id": None, "author_id": 2, "text": "Sebutkan tanggalnya.",
        "part": "isi", "quote": "seluruh pegawai", "paragraph": 0, "offset": 10, "attachment_id": 1,
        "source_chat_id": KASUBBAG, "source_message_id": 5, "created_at": at}])
    sync_conn.execute(t["comment_events"].insert(), [{
        "comment_id": 1, "submission_id": 1, "actor_id": 2, "kind": "added", "text": "Sebutkan tanggalnya.", "at": at}])
    sync_conn.execute(t["item_messages"].insert(), [{
        "chat_id": KASUBBAG, "message_id": 78, "submission_id": 1, "comment_id": 1, "attachment_id": None,
        "created_at": at}])
    sync_conn.execute(t["review_claims"].insert(), [{
        "submission_id": 1, "revision_id": 1, "state": "menunggu_kasubbag", "person_id": 2, "claimed_at": at,
        "expires_at": at + timedelta(minutes=30), "ended_at": at + timedelta(minutes=30), "ended": "habis"}])
    sync_conn.execute(t["kip_defaults"].insert(), [{
        "kind": "artikel", "kip_class": "setiap_saat", "set_by": 4, "set_at": at}])
    sync_conn.execute(t["kip_exemptions"].insert(), [{
        "submission_id": 1, "revision_id": 1, "ground": "h", "reason": "Data pribadi", "years": 2, "until": None,
        "decided_by": 2, "decided_at": at, "lifted_by": 2, "lifted_at": at + timedelta(minutes=1)}])
    sync_conn.execute(t["reminder_log"].insert(), [
        {"key": "1:1:review:1", "submission_id": 1, "round": 1, "kind": "review", "level": 1, "anchor_at": at,
         "due_at": at + timedelta(hours=4), "sent_at": None, "created_at": at},
        {"key": "None:202602:monthly_report:1", "submission_id": None, "round": 202602, "kind": "monthly_report",
         "level": 1, "anchor_at": at, "due_at": at, "sent_at": at, "created_at": at}])
    sync_conn.execute(t["acting_assignments"].insert(), [{
        "role": Role.KEPALA.value, "principal_id": 3, "acting_id": 2, "starts_at": at - timedelta(days=1),
        "ends_at": at - timedelta(hours=1), "created_by": 4, "created_at": at - timedelta(days=2),
        "cancelled_at": None, "resent_at": None}])


async def a_database_of_0013_with_everything(engine, db_url: str) -> None:
    """A database of 0013 with a row in every tenant table (the item waits for the Kasubbag)."""
    await _waiting_for_kasubbag(engine, db_url, "0013")
    async with engine.begin() as conn:
        await conn.run_sync(_fill_every_tenant_table)


async def test_a_database_of_0013_becomes_the_first_offices_intact_and_works(db_url):
    """0014: every row of every tenant table is kept (SQLite copies the tables: with foreign keys on,
    that would cascade-delete the rows referring to them), and is office 1's; the app's queries, in
    office 1's sessions, work on it; a second office sees none of it; a second start changes nothing."""
    from domain.kinds import Kind
    from domain.kip import KipClass
    from domain.workflow import Action
    from services.reviewing import review
    from services.writing import kip
    from storage.models import KipDefault, Office, ReminderLog, Section

    engine = make_engine(db_url)
    try:
        await a_database_of_0013_with_everything(engine, db_url)
        async with engine.connect() as conn:
            before = await conn.run_sync(tenant_rows)
        assert all(before.values()), before  # every tenant table has a row
        assert (await upgrade(engine)) == ("0013", _head())
        assert (await upgrade(engine)) == (_head(), _head())
        async with engine.connect() as conn:
            assert await conn.run_sync(tenant_rows) == before
            assert set((await conn.run_sync(tenant_offices)).values()) == {(1,)}
            assert all(d[0] == "add_fk" for d in await conn.run_sync(_schema_diffs))
            if engine.dialect.name == "sqlite":
                assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1  # on again
                assert (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all() == []

        sessions = make_sessionmaker(engine)
        office1 = for_office(sessions, 1)
        now = T0 + timedelta(days=1)
        defaults = dict(await kip.set_default(office1, telegram_id=ADMIN, kind=Kind.ARTIKEL,
                                              kip_class=KipClass.BERKALA, now=now))
        assert defaults[Kind.ARTIKEL] is KipClass.BERKALA
        await review.decide_as(office1, telegram_id=KASUBBAG, submission_id=1, revision_id=1, action=Action.FORWARD,
                               note=None, now=now, targets=[])
        async with office1() as s:
            assert (await s.get(Submission, 1)).state is State.WAIT_KEPALA
            assert (await s.get(KipDefault, "artikel")).kip_class is KipClass.BERKALA
        async with sessions.begin() as s:
            s.add(Office(slug="dinas-b", name="Dinas B", created_at=now, active=True))
        async with for_office(sessions, 2).begin() as s:
            assert await s.get(Submission, 1) is None
            assert (await s.scalars(select(Section))).all() == []
            # what was unique in the deployment is unique per office now
            s.add(Section(id=2, name="Humas", active=True))  # (the fixture's ids were given, not drawn)
            s.add(KipDefault(kind="artikel", kip_class=KipClass.DIKECUALIKAN, set_at=now))
            s.add(ReminderLog(key="None:202602:monthly_report:1", submission_id=None, round=202602,
                              kind="monthly_report", level=1, anchor_at=now, due_at=now, created_at=now))
        async with engine.connect() as conn:
            assert await conn.run_sync(tenant_offices) == {
                **{t: (1,) for t in TENANT_TABLES}, "sections": (1, 2), "kip_defaults": (1, 2), "reminder_log": (1, 2)}
    finally:
        await engine.dispose()


async def test_0014_refuses_to_copy_tables_while_sqlite_would_cascade(tmp_path):
    """Inside a transaction that has written, SQLite's foreign keys cannot be turned off: 0014 refuses
    before changing anything, instead of copying tables whose drop would delete rows."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'terbit.db'}"
    engine = make_engine(url)
    try:
        await a_database_of_0013_with_everything(engine, url)
        async with engine.connect() as conn:
            before = await conn.run_sync(tenant_rows)
        async with engine.connect() as conn:
            await conn.execute(text("UPDATE submissions SET slug = slug"))  # SQLite's transaction is open now
            try:
                await conn.run_sync(_upgrade_to, url, "0014")
            except RuntimeError as exc:
                assert "foreign keys" in str(exc)
            else:
                raise AssertionError("0014 ran with foreign keys on")
            await conn.rollback()
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == "0013"
            assert await conn.run_sync(tenant_rows) == before
    finally:
        await engine.dispose()


async def test_0014_is_undone_with_one_office_and_refused_with_two(db_url):
    from storage.db import downgrade

    engine = make_engine(db_url)
    try:
        await a_database_of_0013_with_everything(engine, db_url)
        async with engine.connect() as conn:
            before = await conn.run_sync(tenant_rows)
        await upgrade(engine)
        await downgrade(engine, "0013")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == "0013"
            assert await conn.run_sync(tenant_rows) == before
            assert "offices" not in await conn.run_sync(lambda c: inspect(c).get_table_names())
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(text("SELECT set_config('terbit.office', '*', true)") if engine.dialect.name
                               == "postgresql" else text("SELECT 1"))
            await conn.execute(text("INSERT INTO offices (slug, name, created_at, active) "
                                    "VALUES ('dinas-b', 'Dinas B', :at, true)"), {"at": T0})
        try:
            await downgrade(engine, "0013")
        except RuntimeError as exc:
            assert "second office" in str(exc)
        else:
            raise AssertionError("0014 was undone with two offices")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == _head()
    finally:
        await engine.dispose()
