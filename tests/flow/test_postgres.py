"""The bot itself on PostgreSQL (the scale-out path): the same office, the same
SOP, against the private server the suite starts."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEvent
from tests.flow.harness import Office, make_settings, running, staffed_office, submit_new
from tests.storage_pg.conftest import pg_server, pg_url  # noqa: F401  (fixtures)
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
