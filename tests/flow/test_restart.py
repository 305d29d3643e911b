"""A restart loses nothing: not a half-written draft, not a half-done publication."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.website.outbox import Outbox
from storage.models import PublicationJob, Submission
from tests.flow.harness import Office, body_text, jpeg, make_settings, running, staffed_office
from texts.id import drafting as D
from texts.id import review as R


class ShiftedClock:
    """Real time plus an offset the test moves (to let a crashed worker's lease expire)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def test_restart_in_the_middle_of_a_draft(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        await staffed_office(o)
        w = o.writer
        m = await o.say(w, "/baru")
        m = await o.press(w, m, "📰 Berita")
        assert "judul" in m.text
    # The bot restarts while the writer is typing the title.
    async with running(o):
        m = await o.say(w, "Penyaluran Bantuan Sosial Tahap Dua")
        assert m.text == D.ASK_BODY_MODE  # the title was taken as the title, and the next step follows
        m = await o.press(w, m, "✍️ Tulis bebas")
        await w.send_photo(jpeg())
        await o.tg.settle()
    async with running(o):
        # After another restart, a body typed now still lands in the same draft.
        m = await o.say(w, body_text())
        m = await o.say(w, "/draf")
        assert "Penyaluran Bantuan Sosial" in m.buttons[0][0][0]
        async with o.app.bot_data["terbit"].sessions() as s:
            subs = (await s.scalars(select(Submission))).unique().all()
        assert len(subs) == 1
        m = await o.press(w, m, m.buttons[0][0][0])
        preview = w.last_message
        assert "Penyaluran Bantuan Sosial Tahap Dua" in preview.text and "1 foto" in preview.text
        assert "❌" not in preview.text


async def test_restart_in_the_middle_of_publishing_publishes_exactly_once(fake_telegram, tmp_path, monkeypatch):
    clock = ShiftedClock()
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    real_settle = Outbox._settle
    crashed = []

    async def crash_once(self, job_id, result, error, office=None):
        if not crashed:  # the page is written, the process dies before recording it
            crashed.append(job_id)
            raise RuntimeError("simulated crash between remote write and local record")
        return await real_settle(self, job_id, result, error, office)

    monkeypatch.setattr(Outbox, "_settle", crash_once)
    async with running(o, clock=clock):
        await staffed_office(o)
        w, ks, kp = o.writer, o.kasubbag, o.kepala
        m = await o.say(w, "/baru")
        m = await o.press(w, m, "📝 Artikel")
        m = await o.say(w, "Inovasi Layanan Publik Berbasis Digital")
        m = await o.press(w, m, "✍️ Tulis bebas")
        m = await o.say(w, body_text())
        m = await o.press(w, m, D.MEDIA_DONE)
        await o.press(w, m, D.BTN_SUBMIT)
        await o.press(ks, ks.last_message, R.BTN_FORWARD)
        await o.press(kp, kp.last_message, R.BTN_APPROVE)
        await o.tg.wait_until(lambda: crashed, what="the first publication attempt")
        await o.tg.settle()
        async with o.app.bot_data["terbit"].sessions() as s:
            job = await s.get(PublicationJob, crashed[0])
            assert job.state == "running"  # left behind by the "crash"
    pages = list((o.settings.site_dir / "artikel").glob("*/index.html"))
    assert len(pages) == 1  # the remote write did happen before the crash
    # After the restart, once the dead worker's lease has run out, the job is taken again.
    clock.offset = timedelta(minutes=10)
    async with running(o, clock=clock):
        await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
        async with o.app.bot_data["terbit"].sessions() as s:
            jobs = (await s.scalars(select(PublicationJob))).all()
            sub = (await s.scalars(select(Submission))).unique().one()
        assert {j.target: j.state for j in jobs} == {"static_site": "published", "archive": "published"}
        assert sub.state == "terbit"
    assert len(list((o.settings.site_dir / "artikel").glob("*/index.html"))) == 1
    index = (o.settings.site_dir / "index.html").read_text()
    assert index.count("Inovasi Layanan Publik Berbasis Digital") == 1
    assert len(list(o.settings.archive_dir.rglob("SHA256SUMS"))) == 1
