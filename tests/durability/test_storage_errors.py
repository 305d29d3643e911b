"""Never tell a person something was saved when it was not."""
from __future__ import annotations

import errno

from bot.i18n.id import common as C
from media.store import ContentStore
from tests.flow.harness import Office, body_text, jpeg, make_settings, running, staffed_office


async def test_a_full_disk_is_told_as_not_saved_and_the_admins_hear_it_once(fake_telegram, tmp_path, monkeypatch):
    office = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(office):
        await staffed_office(office)
        w, admin = office.writer, office.admin
        m = await office.say(w, "/baru")
        m = await office.press(w, m, "📝 Artikel")
        m = await office.say(w, "Rapat Koordinasi Program Kerja 2027")
        m = await office.press(w, m, "✍️ Tulis bebas")
        await office.say(w, body_text())

        async def disk_full(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(ContentStore, "ingest_stream", disk_full)
        monkeypatch.setattr(ContentStore, "ingest_file", disk_full)
        seen_w, seen_a = len(w.messages), len(admin.messages)
        for i in range(2):
            await w.send_photo(jpeg((10 * i, 20, 30)))
            await office.tg.settle()
        told = [m.text for m in w.messages[seen_w:]]
        assert len(told) == 2 and all("belum tersimpan" in t for t in told), told
        assert not any("tetap tersimpan. Silakan coba lagi" in t and "belum" not in t for t in told)
        alerts = [m.text for m in admin.messages[seen_a:] if "Penyimpanan Terbit bermasalah" in (m.text or "")]
        assert len(alerts) == 1, alerts
        assert "No space left" in alerts[0]

        # Space is back: the same photo sent again is stored, and the count is true.
        monkeypatch.undo()
        await w.send_photo(jpeg((1, 2, 3)))
        await office.tg.settle()
        assert "Total lampiran: 1" in w.last_message.text
        assert C.NOT_SAVED not in w.last_message.text
