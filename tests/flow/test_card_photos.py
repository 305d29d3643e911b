"""Review cards send photos without uploading them again and again: a photo the
writer sent as a photo goes by Telegram's id for it; one sent as a file (with its
metadata) is uploaded once, as its metadata-free rendition, and reused after that."""
from __future__ import annotations

from tests.flow.harness import body_text, jpeg


def _photo_sends(tg, chat_id: int) -> list:
    return [c for c in tg.calls if c.method in ("sendMediaGroup", "sendPhoto") and c.ok
            and str(c.params.get("chat_id")) == str(chat_id)]


async def test_card_photos_are_uploaded_once_at_most(office):
    tg, w, ks, kp = office.tg, office.writer, office.kasubbag, office.kepala
    m = await office.say(w, "/baru")
    m = await office.press(w, m, "📝 Artikel")
    m = await office.say(w, "Peninjauan Lokasi Pembangunan Pasar 2027")
    m = await office.press(w, m, "✍️ Tulis bebas")
    await office.say(w, body_text())
    for color in ((200, 40, 40), (40, 200, 40)):
        await office.upload(w, "foto", w.send_photo(jpeg(color)))
    await office.upload(w, "foto sebagai berkas", w.send_document(jpeg((40, 40, 200), exif_gps=True), "lokasi.jpg"))
    assert "Total lampiran: 3" in w.last_message.text
    m = await office.press(w, w.last_message, "✅ Selesai, lihat pratinjau")
    await office.press(w, m, "✅ Ajukan ke Kasubbag")

    (to_kasubbag,) = _photo_sends(tg, ks.chat_id)
    assert len(to_kasubbag.files) == 1  # only the file's rendition; the two photos went by their ids
    seen_by_kasubbag = [m for m in ks.messages if m.kind == "photo"]
    assert len(seen_by_kasubbag) == 3
    await office.press(ks, ks.last_message, "✅ Teruskan ke Kepala")

    (to_kepala,) = _photo_sends(tg, kp.chat_id)
    assert to_kepala.files == {}  # the rendition went by the id its first upload got
    seen_by_kepala = [m for m in kp.messages if m.kind == "photo"]
    # The Kepala sees the very photos the Kasubbag saw.
    assert sorted(m.files[-1].file_unique_id for m in seen_by_kepala) == \
        sorted(m.files[-1].file_unique_id for m in seen_by_kasubbag)
    assert "menunggu persetujuan Kepala" in kp.last_message.text
