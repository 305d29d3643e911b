"""The whole SOP, lived by four people on their phones."""
from __future__ import annotations

import hashlib
import json

from tests.flow.harness import body_text, jpeg, ogg_opus, tiny_pdf


async def test_happy_path_album_pdf_voice_to_published_and_archived(office):
    tg, w, ks, kp = office.tg, office.writer, office.kasubbag, office.kepala
    m = await office.say(w, "/baru")
    assert "Konten apa" in m.text
    m = await office.press(w, m, "📰 Berita")
    assert "judul" in m.text
    m = await office.say(w, "Sosialisasi Keterbukaan Informasi Publik 2026")
    m = await office.press(w, m, "✍️ Tulis bebas")
    m = await office.say(w, body_text())
    assert "bahan pendukung" in m.text
    await w.send_album([jpeg((255, 0, 0)), jpeg((0, 255, 0)), jpeg((0, 0, 255))], caption="Suasana acara")
    ack = await w.wait_for_message(lambda x: "Album diterima" in (x.text or ""), timeout=10)
    assert "3 berkas" in ack.text
    pdf = tiny_pdf(3)
    await w.send_document(pdf, "Notulen rapat.pdf")
    await tg.settle()
    assert "Total lampiran: 4" in w.last_message.text
    await w.send_voice(ogg_opus(), duration=1)
    await tg.settle()
    assert "Total lampiran: 5" in w.last_message.text
    m = await office.press(w, w.last_message, "✅ Selesai, lihat pratinjau")
    assert "Pratinjau" in m.text and "Sosialisasi Keterbukaan" in m.text
    assert "❌" not in m.text
    m = await office.press(w, m, "✅ Ajukan ke Kasubbag")
    assert "terkirim ke Kasubbag" in w.messages[-1].text

    card = ks.last_message
    assert "menunggu pemeriksaan Kasubbag" in card.text
    photos = [x for x in ks.messages if x.kind == "photo"]
    assert len(photos) == 3
    await office.press(ks, card, "✅ Teruskan ke Kepala")
    decided = ks.tg.message(ks.chat_id, card.message_id)
    assert decided.buttons == [] and decided.text.endswith("✅ Diteruskan ke Kepala oleh Kasim Kasubbag")

    card = kp.last_message
    assert "menunggu persetujuan Kepala" in card.text
    await office.press(kp, card, "✅ Setujui & Terbitkan")
    published = await w.wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)
    assert "Arsip" in published.text or "Diarsipkan" in published.text

    site = office.settings.site_dir
    pages = list((site / "artikel").glob("*/index.html"))
    assert len(pages) == 1
    html = pages[0].read_text()
    assert "Sosialisasi Keterbukaan Informasi Publik 2026" in html
    index = (site / "index.html").read_text()
    assert "Sosialisasi Keterbukaan" in index

    archive = office.settings.archive_dir
    sums = list(archive.rglob("SHA256SUMS"))
    assert len(sums) == 1
    folder = sums[0].parent
    for line in sums[0].read_text().splitlines():
        digest, rel = line.split("  ", 1)
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
    meta = json.loads((folder / "metadata.json").read_text())
    actions = [e["action"] for e in meta["record"]["audit"]]
    assert actions == ["ajukan", "teruskan", "setujui", "terbitkan"]
    assert meta["article"]["title"] == "Sosialisasi Keterbukaan Informasi Publik 2026"
    assert meta["article"]["body"] == body_text()
    originals = sorted((folder / "lampiran" / "asli").iterdir())
    assert len(originals) == 5
    assert any(p.read_bytes() == pdf for p in originals)
    # The page shows the approved revision: its title and every paragraph.
    for para in body_text().split("\n\n"):
        assert para in html
    assert (await office.say(w, "/status")).text.count("Terbit") >= 1
