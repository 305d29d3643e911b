""""Terbit" as it reads on a phone: without a public site address nobody is shown
a file:// link or a path on the server; the notice names the article and says
where it lives in words, and each admin is told once how to set SITE_BASE_URL."""
from __future__ import annotations

from tests.flow.harness import Office, make_settings, running, staffed_office, submit_new
from texts.id import publishing as P
from texts.id import review as R


async def publish(office, title: str) -> None:
    card = await submit_new(office, title=title)
    await office.press(office.kasubbag, card, R.BTN_FORWARD)
    await office.press(office.kepala, office.kepala.last_message, R.BTN_APPROVE)
    for person in (office.writer, office.admin):
        await person.wait_for_message(lambda m: "Terbit:" in (m.text or "") and title in (m.text or ""), timeout=15)
    await office.tg.settle(timeout=15)  # the outbox and the postman may still be busy on a loaded machine


def published(person) -> list[str]:
    return [m.text for m in person.messages if "Terbit:" in (m.text or "")]


def shows_the_server(text: str, office) -> bool:
    return "file://" in text or str(office.settings.data_dir) in text or "/archive/" in text


async def test_without_a_site_address_nobody_sees_server_paths_and_admins_get_one_hint(office):
    w, admin = office.writer, office.admin
    await publish(office, "Jadwal Pelayanan Akhir Tahun 2026")
    [told] = published(w)
    assert "«Jadwal Pelayanan Akhir Tahun 2026»" in told
    assert "Situs web (statis): halamannya sudah dibuat" in told and "alamat publik" in told
    assert P.PUBLISHED_ARCHIVED in told
    assert not shows_the_server(told, office), told
    assert "SITE_BASE_URL" not in told  # the writer cannot set it: no hint for them

    [first] = published(admin)
    assert "Alamat situs publik belum diatur (SITE_BASE_URL)" in first
    assert not shows_the_server(first, office), first
    assert "arsip elektronik kantor: " in first  # the admin also reads which archive folder

    # The second article: the admin is not told again.
    await publish(office, "Pengumuman Libur Nasional Desember 2026")
    assert len(published(admin)) == 2
    assert "SITE_BASE_URL" not in published(admin)[1]
    assert sum("SITE_BASE_URL" in t for t in published(admin)) == 1


async def test_the_hint_is_remembered_across_a_restart(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        await staffed_office(o)
        await publish(o, "Jadwal Pelayanan Akhir Tahun 2026")
    async with running(o):
        await publish(o, "Pengumuman Libur Nasional Desember 2026")
        assert sum("SITE_BASE_URL" in t for t in published(o.admin)) == 1


async def test_with_a_site_address_the_notice_links_the_page(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data",
                                            site_base_url="https://kantor.go.id/berita"))
    async with running(o):
        await staffed_office(o)
        await publish(o, "Jadwal Pelayanan Akhir Tahun 2026")
        [told] = published(o.writer)
        assert "https://kantor.go.id/berita/artikel/" in told
        assert not shows_the_server(told, o)
        assert all("SITE_BASE_URL" not in t for t in published(o.admin))
