"""Never tell a person something was saved when it was not."""
from __future__ import annotations

import errno

from media.store import ContentStore
from tests.flow.harness import Office, body_text, jpeg, make_settings, running, staffed_office
from texts.id import common as C


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


async def test_the_same_stored_update_handled_twice_changes_nothing_twice(fake_telegram, tmp_path):
    """A crash after the work but before "done": the update is handled again at start."""
    import sqlite3

    from tests.flow.harness import submit_new

    office = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    db = tmp_path / "data" / "terbit.sqlite3"
    async with running(office):
        await staffed_office(office)
        card = await submit_new(office)
        await office.press(office.kasubbag, card, "✅ Teruskan ke Kepala")
        w = office.writer
        await office.say(w, "/baru")  # a new draft, at its first question
        m = await office.press(w, w.last_message, "📝 Artikel")
        await office.say(w, "Rapat Koordinasi Program Kerja 2027")
        await office.press(w, w.last_message, "✍️ Tulis bebas")
        await office.say(w, body_text())
        await w.send_photo(jpeg((9, 9, 9)))
        await office.tg.settle()
        assert m is not None
    with sqlite3.connect(db) as c:
        # Pretend the last update of each kind was never marked done: the photo, and the forward.
        photo = c.execute("SELECT update_id FROM inbox_updates WHERE payload LIKE '%\"photo\"%' "
                          "ORDER BY update_id DESC LIMIT 1").fetchone()[0]
        forward = c.execute("SELECT update_id FROM inbox_updates WHERE payload LIKE '%callback_query%' "
                            "AND lane = 2001 ORDER BY update_id DESC LIMIT 1").fetchone()[0]
        c.execute("UPDATE inbox_updates SET done_at = NULL WHERE update_id IN (?, ?)", (photo, forward))
        before = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("attachments", "audit_events", "outgoing_messages", "publication_jobs")}
    messages = {u.first_name: len(u.messages) for u in office.people.values()}
    async with running(office):  # the restart handles both again
        await office.tg.settle()
    with sqlite3.connect(db) as c:
        after = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
        assert c.execute("SELECT count(*) FROM inbox_updates WHERE done_at IS NULL").fetchone()[0] == 0
    assert after == before
    assert {u.first_name: len(u.messages) for u in office.people.values()} == messages
