"""/kesehatan: the admins see how the running bot is doing; nobody else does."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import CommandHandler

from config.about import version
from domain.messaging import DeliveryState, Notice
from domain.workflow import Action, Role
from handlers import health as health_handlers
from handlers.health import size_text, uptime_text
from services.errors import ServiceError
from services.operations import health
from storage.models import InboxUpdate, OutgoingMessage, Person, RoleGrant
from tests.flow.harness import ADMIN_ID
from tests.storage.office import KEPALA, T0, decide, open_db, seed_office, to_kepala
from texts.id import common as C
from texts.id import ops as T

TARGETS = [("static_site", 0), ("archive", 1)]
ADMIN = ADMIN_ID


def wired(app) -> None:
    """/kesehatan in the running bot (until bot/app.py registers handlers/health.py itself)."""
    registered = any(isinstance(h, CommandHandler) and "kesehatan" in h.commands
                     for group in app.handlers.values() for h in group)
    if not registered:
        for h in reversed(health_handlers.build()):
            app.handlers[0].insert(0, h)


def backup(data_dir, name: str, created_at: str) -> None:
    folder = data_dir / "backups" / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "created_at": created_at, "files": []}))


async def test_an_admin_sees_the_vital_signs_and_others_get_the_usual_answer(office):
    wired(office.app)
    text = (await office.say(office.admin, "/kesehatan")).text
    assert text.startswith(f"🩺 Kesehatan Terbit {version()}")
    assert "Pesan masuk menunggu: 0" in text and "Penerbitan menunggu: 0\n" in text
    assert "Basis data (sqlite): " in text and "Ruang disk kosong: " in text
    assert f"Cadangan terakhir: {T.NEVER}" in text
    assert f"Pesan terakhir ditangani: {T.NEVER}" not in text, "the admin's own /start was handled"
    for who in (office.writer, office.kepala):
        assert (await office.say(who, "/kesehatan")).text == C.ADMIN_ONLY


async def test_the_newest_finished_backup_is_shown_in_office_time(office):
    wired(office.app)
    data = office.settings.data_dir
    backup(data, "20260301-023000", "2026-03-01T02:30:00+07:00")
    backup(data, "20260228-023000", "2026-02-28T02:30:00+07:00")
    backup(data, ".20260302-023000.partial", "2026-03-02T02:30:00+07:00")  # still being written
    (data / "backups" / "not-a-backup").mkdir()
    text = (await office.say(office.admin, "/kesehatan")).text
    assert "Cadangan terakhir: Minggu, 1 Maret 2026 pukul 02.30 WIB" in text


@pytest.fixture
async def db(tmp_path):
    d = await open_db(f"sqlite+aiosqlite:///{tmp_path / 'terbit.sqlite3'}")
    await seed_office(d)
    async with d.sessions.begin() as s:
        admin = Person(telegram_id=ADMIN, full_name="Ani Admin", active=True, created_at=T0, grants=[])
        admin.grants.append(RoleGrant(role=Role.ADMIN, section_id=None, granted_at=T0))
        s.add(admin)
    yield d
    await d.close()


async def test_backlogs_failures_and_the_oldest_waiting_job(db, tmp_path):
    sid, rid = await to_kepala(db)
    await decide(db, KEPALA, sid, rid, Action.APPROVE, T0 + timedelta(minutes=30), targets=TARGETS)
    now = T0 + timedelta(hours=1)
    started = T0 - timedelta(days=2, hours=3)
    # The real path owes the cards and notices of the submission and the decisions: counted first.
    before = await health.health_as(db.sessions, telegram_id=ADMIN, data_dir=tmp_path, version="9.9",
                                    started_at=started, now=now)
    async with db.sessions.begin() as s:
        s.add(InboxUpdate(update_id=1, lane=1001, payload={}, received_at=now, attempts=0, done_at=now))
        s.add(InboxUpdate(update_id=2, lane=1001, payload={}, received_at=now, attempts=0))
        for key, state, created in [("a", DeliveryState.FAILED, now - timedelta(days=1)),
                                    ("b", DeliveryState.FAILED, now - timedelta(days=30)),
                                    ("c", DeliveryState.SENT, now),
                                    ("d", DeliveryState.PENDING, now)]:
            s.add(OutgoingMessage(key=key, chat_id=1001, notice=Notice.TEXT, params={}, cause=key, state=state,
                                  attempts=1, next_attempt_at=created, created_at=created))
    h = await health.health_as(db.sessions, telegram_id=ADMIN, data_dir=tmp_path, version="9.9",
                               started_at=started, now=now)
    assert (h.version, h.uptime, h.last_update_at) == ("9.9", timedelta(days=2, hours=4), now)
    assert h.inbox_waiting == 1
    assert h.jobs_waiting == 2 and h.jobs_failed == 0
    assert h.oldest_job is not None and h.oldest_job.submission_id == sid
    assert h.oldest_job.target in ("static_site", "archive") and h.oldest_job.since == T0 + timedelta(minutes=30)
    assert h.owed_waiting == before.owed_waiting + 1
    assert h.undelivered_recently == before.undelivered_recently + 1, "only failures of the last seven days"
    assert h.database_kind == "sqlite" and h.database_size and h.database_size > 0
    assert h.last_backup_at is None and h.disk_free and h.disk_free > 0

    text = health_handlers.render(h, "Asia/Jakarta")
    assert "Berjalan sejak Sabtu, 28 Februari 2026 pukul 12.00 WIB (2 hari 4 jam)" in text
    assert f"Penerbitan menunggu: 2 (terlama: #{sid} ke {h.oldest_job.target}, sejak Senin, 2 Maret 2026 pukul 15.30 WIB)" in text
    assert "Pesan gagal terkirim (7 hari): 1" in text


async def test_only_an_admin_may_ask(db, tmp_path):
    with pytest.raises(ServiceError) as refused:
        await health.health_as(db.sessions, telegram_id=KEPALA, data_dir=tmp_path, version="1",
                               started_at=T0, now=T0)
    assert refused.value.code == "admin_only"
    with pytest.raises(ServiceError):
        await health.health_as(db.sessions, telegram_id=424242, data_dir=tmp_path, version="1",
                               started_at=T0, now=T0)


def test_a_backup_manifest_without_a_zone_counts_as_utc(tmp_path):
    backup(tmp_path, "20260301-000000", "2026-03-01T00:00:00")
    (tmp_path / "backups" / "20260302-000000").mkdir()
    (tmp_path / "backups" / "20260302-000000" / "manifest.json").write_text("{ rusak")
    assert health.newest_backup(tmp_path) == datetime(2026, 3, 1, tzinfo=UTC)
    assert health.newest_backup(tmp_path / "nowhere") is None


@pytest.mark.parametrize(("size", "shown"), [(None, T.UNKNOWN), (512, "512 B"), (2048, "2 KB"),
                                             (int(1.5 * 1024**2), "1,5 MB"), (250 * 1024**3, "250 GB")])
def test_sizes_read_the_indonesian_way(size, shown):
    assert size_text(size) == shown


def test_uptime_in_words():
    assert uptime_text(timedelta(seconds=59)) == "0 menit"
    assert uptime_text(timedelta(hours=3, minutes=5)) == "3 jam 5 menit"
    assert uptime_text(timedelta(days=12, hours=1)) == "12 hari 1 jam"
