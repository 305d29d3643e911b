"""The bot itself on PostgreSQL (the scale-out path): the same office, the same
SOP, against the private server the suite starts."""
from __future__ import annotations

import asyncio

from sqlalchemy import select

from storage.models import AuditEvent, Submission
from tests.flow.harness import Office, make_settings, running, staffed_office, submit_new
from tests.storage_pg.conftest import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.storage_pg.test_row_level_security import app_url  # noqa: F401  (fixture)
from texts.id import review as R


async def test_the_whole_sop_on_postgresql_with_a_restart(fake_telegram, tmp_path, pg_url):  # noqa: F811
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", database_url=pg_url))
    async with running(o):
        await staffed_office(o)
        card = await submit_new(o, photos=1)
        await o.press(o.kasubbag, card, R.BTN_RETURN)
        await o.say(o.kasubbag, "Tambahkan nama narasumber.")
    # Restart between the return and the revision: conversation state lives in PostgreSQL too.
    async with running(o):
        w = o.writer
        m = await o.press(w, w.last_message, R.BTN_REVISE)
        assert "Pratinjau" in m.text
        await o.press(w, m, "✅ Ajukan ke Kasubbag")
        assert "Perubahan sejak versi yang Anda periksa" in o.kasubbag.last_message.text \
            or "Diajukan ulang tanpa perubahan" in o.kasubbag.last_message.text
        await o.press(o.kasubbag, o.kasubbag.last_message, R.BTN_FORWARD)
        await o.press(o.kepala, o.kepala.last_message, R.BTN_APPROVE)
        await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=20)
        async with o.app.bot_data["terbit"].sessions() as s:
            actions = (await s.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert actions == ["ajukan", "kembalikan", "ajukan", "teruskan", "setujui", "terbitkan", "arsipkan"]


async def test_two_offices_on_postgresql_behind_row_level_security(fake_telegram, tmp_path, app_url):  # noqa: F811
    """Two offices on PostgreSQL, the bot connected as an ordinary owner role (so row-level security
    applies to it): B's item goes through B's reviewers to B's site; A's people see nothing of it."""
    from tests.flow.test_offices import _second_office, _submit_in_b

    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", database_url=app_url))
    async with running(o):
        await staffed_office(o)
        b = await _second_office(o)
        card_a = await submit_new(o, title="Rapat Koordinasi Program Kerja 2027")
        card_b = await _submit_in_b(o, b)
        assert "Penyuluhan Gizi" in card_b.text and "Rapat Koordinasi" in card_a.text
        m = await o.say(b["kasubbag"], "/antrian")
        assert "Penyuluhan Gizi" in m.text and "Rapat Koordinasi" not in m.text
        await o.press(b["kasubbag"], card_b, R.BTN_FORWARD)
        await o.press(b["kepala"], b["kepala"].last_message, R.BTN_APPROVE)
        await b["writer"].wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=20)
        home = o.settings.data_dir / "kantor" / "dinas-kesehatan"
        pages = list((home / "site" / "artikel").glob("*/index.html"))
        assert len(pages) == 1
        await o.tg.wait_until(lambda: any(home.joinpath("archive").rglob("SHA256SUMS")), timeout=20,
                              what="B's archive")
        await o.tg.settle()
        for person in (o.writer, o.kasubbag, o.kepala):
            assert not any("Penyuluhan Gizi" in (x.text or "") for x in person.messages)
        for _ in range(100):  # the archive's files are written just before its step is recorded
            async with o.app.bot_data["terbit"].sessions() as s:  # the deployment's: every office's rows
                per_office = (await s.execute(select(Submission.office_id, Submission.state)
                                              .order_by(Submission.office_id))).all()
                b_actions = (await s.scalars(select(AuditEvent.action).where(AuditEvent.office_id == 2)
                                             .order_by(AuditEvent.id))).all()
            if b_actions[-1:] == ["arsipkan"]:
                break
            await asyncio.sleep(0.1)
    assert [(office, str(state)) for office, state in per_office] == [(1, "menunggu_kasubbag"), (2, "terbit")]
    assert b_actions == ["ajukan", "teruskan", "setujui", "terbitkan", "arsipkan"]
