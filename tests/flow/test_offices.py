"""One deployment, two offices (issue 20): each its own people, items, cards, site and notices.

Office A is the installation as it was (office no. 1, staffed by the fixture: Ani is a deployment
admin from ADMIN_IDS).  Ani adds office B, "Dinas Kesehatan", whose own admin joins by the link
and staffs it.  Then everyone tries every door into the other office and finds nothing.
"""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.flow.harness import body_text, submit_new, with_button

B_NAME = "Dinas Kesehatan"


def _code(text: str) -> str:
    m = re.search(r"start=([A-Za-z0-9_-]+)", text)
    assert m, text
    return m.group(1)


async def _join(office, user, code: str) -> None:
    seen = len(user.messages)
    await office.say(user, f"/start {code}")
    await office.tg.wait_until(lambda: any("Anda terdaftar sebagai" in (m.text or "") for m in user.messages[seen:]),
                               timeout=15, what="the welcome")


async def _second_office(office):
    """Ani adds office B; its admin Budi joins and staffs it with a writer, a Kasubbag and a Kepala."""
    tg = office.tg
    created = await office.say(office.admin, f"/kantor tambah {B_NAME}")
    assert f"Kantor <b>{B_NAME}</b> ditambahkan" in created.text or f"Kantor {B_NAME} ditambahkan" in created.text
    b = {"admin": tg.user(601, "Budi Admin", "budi"), "writer": tg.user(602, "Bayu Penulis", "bayu"),
         "kasubbag": tg.user(603, "Bima Kasubbag", "bima"), "kepala": tg.user(604, "Bunga Kepala", "bunga")}
    await _join(office, b["admin"], _code(created.text))
    await office.say(b["admin"], "/bagian tambah Humas")  # A has a "Humas" too: each office its own
    for role, who, section in (("penulis", "writer", " Humas"), ("kasubbag", "kasubbag", ""),
                               ("kepala", "kepala", "")):
        link = await office.say(b["admin"], f"/undang {role}{section}")
        await _join(office, b[who], _code(link.text))
    return b


async def _submit_in_b(office, b, title="Penyuluhan Gizi Balita di Puskesmas Kota"):
    w = b["writer"]
    m = await office.say(w, "/baru")
    m = await office.press(w, with_button(w, "📝 Artikel"), "📝 Artikel")
    m = await office.say(w, title)
    m = await office.press(w, m, "✍️ Tulis bebas")
    await office.say(w, body_text())
    m = await office.press(w, w.last_message, "✅ Selesai, lihat pratinjau")
    await office.press(w, m, "✅ Ajukan ke Kasubbag")
    return b["kasubbag"].last_message


async def test_two_offices_live_apart(office):
    tg = office.tg
    b = await _second_office(office)

    # Each office's writer files an item; each card reaches that office's Kasubbag only.
    card_a = await submit_new(office, title="Rapat Koordinasi Program Kerja 2027")
    card_b = await _submit_in_b(office, b)
    assert "Rapat Koordinasi" in card_a.text and "menunggu pemeriksaan Kasubbag" in card_a.text
    assert "Penyuluhan Gizi" in card_b.text
    # With several offices, a card says whose item it is.
    assert card_b.text.startswith(f"🏛 {B_NAME}\n") and card_a.text.startswith("🏛 Kantor\n")
    assert card_b.text.count("🏛") == 1
    assert not any("Penyuluhan Gizi" in (m.text or "") for m in office.kasubbag.messages)
    assert not any("Rapat Koordinasi" in (m.text or "") for m in b["kasubbag"].messages)
    sid_a = int(re.search(r"#(\d+)", card_a.text).group(1))
    sid_b = int(re.search(r"#(\d+)", card_b.text).group(1))
    assert sid_a != sid_b

    # B's writer cannot read A's item, nor A's writer B's.
    m = await office.say(b["writer"], f"/riwayat {sid_a}")
    assert "Rapat Koordinasi" not in m.text and "tidak ditemukan" in m.text
    m = await office.say(office.writer, f"/riwayat {sid_b}")
    assert "Penyuluhan Gizi" not in m.text and "tidak ditemukan" in m.text
    for who, command in ((b["writer"], f"/perbarui {sid_a}"), (b["writer"], f"/tarik {sid_a} salah kantor"),
                         (b["admin"], f"/tarik {sid_a} bukan kantor kami")):
        m = await office.say(who, command)
        assert m.text == f"Pengajuan #{sid_a} tidak ditemukan.", command

    # Queues show one's own office only.
    m = await office.say(b["kasubbag"], "/antrian")
    assert "Penyuluhan Gizi" in m.text and "Rapat Koordinasi" not in m.text
    assert m.text.startswith(f"🏛 {B_NAME}\n")  # several offices: the queue says whose
    m = await office.say(office.kasubbag, "/antrian")
    assert "Rapat Koordinasi" in m.text and "Penyuluhan Gizi" not in m.text

    # B's Kasubbag pressing A's card's button (forged onto B's own card): refused, nothing moves.
    forward_a = next(data for row in card_a.buttons for text, data in row if text == "✅ Teruskan ke Kepala")
    await b["kasubbag"].press_raw(card_b, forward_a)
    await tg.settle()
    assert not any("Rapat Koordinasi" in (m.text or "") for m in office.kepala.messages)
    assert not any("Rapat Koordinasi" in (m.text or "") for m in b["kepala"].messages)
    m = await office.say(office.writer, f"/riwayat {sid_a}")
    assert "Diteruskan" not in m.text

    # B's item goes all the way through B's reviewers, to B's own site; A's site has nothing of it.
    await office.press(b["kasubbag"], card_b, "✅ Teruskan ke Kepala")
    await office.press(b["kepala"], b["kepala"].last_message, "✅ Setujui & Terbitkan")
    published = await b["writer"].wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)
    assert "Penyuluhan Gizi" in published.text and published.text.startswith(f"🏛 {B_NAME}\n")
    b_site = office.settings.data_dir / "kantor" / "dinas-kesehatan" / "site"
    pages = list((b_site / "artikel").glob("*/index.html"))
    assert len(pages) == 1 and "Penyuluhan Gizi" in pages[0].read_text()
    assert not list((office.settings.site_dir / "artikel").glob("*/index.html"))
    assert list((office.settings.data_dir / "kantor" / "dinas-kesehatan" / "archive").rglob("SHA256SUMS"))
    # B's own admin is told; the deployment's admin reads B in the roll-up, not item by item.
    await b["admin"].wait_for_message(lambda x: "Terbit:" in (x.text or "") and "Penyuluhan Gizi" in x.text,
                                      timeout=15)
    await tg.settle()
    assert not any("Terbit:" in (m.text or "") and "Penyuluhan Gizi" in m.text for m in office.admin.messages)
    # A's people heard nothing of B's publication; A's item still waits where it was.
    for person in (office.writer, office.kasubbag, office.kepala):
        assert not any("Penyuluhan Gizi" in (m.text or "") for m in person.messages)
    m = await office.say(office.writer, f"/riwayat {sid_a}")
    assert "Rapat Koordinasi" in m.text

    # Each office's Daftar Informasi Publik lists its own publications only.
    await office.say(b["kasubbag"], "/dip")
    await tg.settle(timeout=15)
    doc = b["kasubbag"].last_message
    assert doc.kind == "document"
    titles = [r[1] for r in list(load_workbook(io.BytesIO(doc.file_bytes))["DIP"].iter_rows(values_only=True))[3:]]
    assert len(titles) == 1 and titles[0].startswith("Penyuluhan Gizi")
    await office.say(office.kasubbag, "/dip")
    await tg.settle(timeout=15)
    assert load_workbook(io.BytesIO(office.kasubbag.last_message.file_bytes))["DIP"].max_row == 3  # none in A

    # Each office's SOP report holds its own items only.
    for reviewer, own, other in ((office.kasubbag, "Rapat Koordinasi", "Penyuluhan Gizi"),
                                 (b["kasubbag"], "Penyuluhan Gizi", "Rapat Koordinasi")):
        await office.say(reviewer, "/laporan")
        await tg.wait_until(lambda r=reviewer: r.last_message.kind == "document"
                            and r.last_message.file.file_name.startswith("laporan"), timeout=30, what="the report")
        book = load_workbook(io.BytesIO(reviewer.last_message.file_bytes))
        cells = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
        assert own in cells and other not in cells

    # The pemda roll-up: one row per office, for the deployment's admins only.
    m = await office.say(b["admin"], "/laporan pemda")
    assert "hanya untuk admin pemda" in m.text
    await office.say(office.admin, "/laporan pemda")
    await tg.wait_until(lambda: office.admin.last_message.kind == "document", timeout=30, what="the roll-up")
    doc = office.admin.last_message
    assert doc.file.file_name.startswith("rekap-pemda-")
    rows = list(load_workbook(io.BytesIO(doc.file_bytes))["Rekap Pemda"].iter_rows(values_only=True))
    offices = {r[1]: r for r in rows if r and r[1] in ("Kantor", B_NAME)}
    assert set(offices) == {"Kantor", B_NAME}
    assert offices[B_NAME][2:4] == (1, 1) and offices["Kantor"][2:4] == (1, 0)  # submitted, published
    summary = next(x for x in reversed(office.admin.messages) if x.kind == "text")
    assert "Kantor" in summary.text


async def test_an_office_admin_manages_only_their_office(office):
    tg = office.tg
    b = await _second_office(office)
    # An admin of office A only (not a deployment admin).
    adi = tg.user(701, "Adi Admin A", "adi")
    link = await office.say(office.admin, "/undang admin")
    await _join(office, adi, _code(link.text))

    m = await office.say(adi, "/kantor")
    assert "Dinas Kesehatan" not in m.text and not m.buttons  # one office: nothing to switch to
    m = await office.say(adi, "/kantor tambah Dinas Pendidikan")
    assert "hanya untuk admin pemda" in m.text
    m = await office.say(adi, "/pengguna")
    assert "Wulan Penulis" in m.text and "Bayu Penulis" not in m.text and "Budi Admin" not in m.text
    m = await office.say(b["admin"], "/pengguna")
    assert "Bayu Penulis" in m.text and "Wulan Penulis" not in m.text
    # A's admin's invitation brings people into A, never into B.
    link = await office.say(adi, "/undang penulis Humas")
    newcomer = tg.user(702, "Nina Penulis", "nina")
    await _join(office, newcomer, _code(link.text))
    m = await office.say(adi, "/pengguna")
    assert "Nina Penulis" in m.text
    m = await office.say(b["admin"], "/pengguna")
    assert "Nina Penulis" not in m.text
    # A forged "switch to B" button: refused.
    switch_b = office.app.bot_data["terbit"].codec.encode(_op("OFFICE_SWITCH"), 2)
    await adi.press_raw(m if m.chat_id == adi.id else adi.last_message, switch_b)
    await tg.settle()
    assert any("tidak memegang peran di kantor itu" in (a.get("text") or "") for a in adi.callback_answers)
    m = await office.say(adi, "/pengguna")
    assert "Wulan Penulis" in m.text


async def test_a_deployment_admin_switches_between_offices(office):
    b = await _second_office(office)
    await _submit_in_b(office, b)
    ani = office.admin
    m = await office.say(ani, "/kantor")
    assert "Kantor Anda" in m.text and B_NAME in m.text
    m = await office.press(ani, m, f"🏛 {B_NAME}")
    assert f"Sekarang Anda bekerja di <b>{B_NAME}</b>" in m.text or f"bekerja di {B_NAME}" in m.text
    m = await office.say(ani, "/pengguna")
    assert "Bayu Penulis" in m.text and "Wulan Penulis" not in m.text
    m = await office.say(ani, "/kantor")
    m = await office.press(ani, m, m.buttons[0][0][0])  # back to office A
    m = await office.say(ani, "/pengguna")
    assert "Wulan Penulis" in m.text and "Bayu Penulis" not in m.text


def _op(name: str):
    from handlers.ops import Op
    return Op[name]
