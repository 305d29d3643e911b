"""Onboarding without typing ids, and the admin's control over roles."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import Invitation, Person
from texts.id import admin as A
from texts.id import common as C


async def test_an_invitation_works_once(office):
    code = await office.invite("kasubbag")
    first = office.tg.user(2101, "Budi")
    second = office.tg.user(2102, "Citra")
    assert "Peran Anda: Kasubbag" in (await office.say(first, f"/start {code}")).text
    again = await office.say(second, f"/start {code}")
    assert C.INVITE_ERRORS["invite_used"] in again.text and "belum terdaftar" in again.text
    assert (await office.say(second, "/baru")).html == C.NOT_REGISTERED


async def test_an_expired_or_unknown_invitation_is_refused(office):
    code = await office.invite("penulis", "Humas")
    async with office.app.bot_data["terbit"].sessions.begin() as s:
        inv = await s.get(Invitation, code)
        inv.expires_at = inv.created_at - timedelta(seconds=1)
    late = office.tg.user(2201, "Dedi")
    assert C.INVITE_ERRORS["invite_expired"] in (await office.say(late, f"/start {code}")).text
    assert C.INVITE_ERRORS["invite_unknown"] in (await office.say(late, "/start bukan-kode")).text


async def test_invitation_by_buttons_and_usage_errors(office):
    m = await office.say(office.admin, "/undang")
    assert m.text == A.INVITE_PICK_ROLE
    m = await office.press(office.admin, m, "Penulis")
    assert m.text == A.INVITE_PICK_SECTION
    m = await office.press(office.admin, m, "Humas")
    assert "start=" in m.text and "bagian Humas" in m.text
    assert "tidak dikenal" in (await office.say(office.admin, "/undang raja")).text
    assert "belum ada" in (await office.say(office.admin, "/undang penulis Keuangan")).text
    assert (await office.say(office.writer, "/undang kepala")).text == C.ADMIN_ONLY


async def test_admin_grants_and_revokes_roles(office):
    m = await office.say(office.admin, "/pengguna")
    assert "Wulan Penulis" in m.text and "Penulis (Humas)" in m.text
    m = await office.press(office.admin, m, "⚙️ Wulan Penulis")
    assert "Wulan Penulis" in m.text
    await office.press(office.admin, m, "➕ Kepala")
    async with office.app.bot_data["terbit"].sessions() as s:
        wulan = await s.scalar(select(Person).where(Person.telegram_id == office.writer.id))
        assert {g.role for g in wulan.grants} == {"penulis", "kepala"}
    m = office.tg.message(office.admin.chat_id, m.message_id)
    await office.press(office.admin, m, "❌ Cabut Penulis (Humas)")
    async with office.app.bot_data["terbit"].sessions() as s:
        wulan = await s.scalar(select(Person).where(Person.telegram_id == office.writer.id))
        assert {g.role for g in wulan.grants} == {"kepala"}
    assert "belum terdaftar sebagai penulis" in (await office.say(office.writer, "/baru")).text


async def test_sections(office):
    assert "ditambahkan" in (await office.say(office.admin, "/bagian tambah Keuangan")).text
    assert "sudah ada" in (await office.say(office.admin, "/bagian tambah keuangan")).text
    m = await office.say(office.admin, "/bagian")
    assert "Humas" in m.text and "Keuangan" in m.text
    await office.press(office.admin, m, "🗑 Keuangan")
    assert "Keuangan" not in (await office.say(office.admin, "/bagian")).text
