"""/laporan through the bot: figures from submissions with known times, derived
from the audit trail; the PNG and the XLSX read back; the monthly report."""
from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.workers.clock import run_now
from domain.messaging import DeliveryState, Notice
from domain.standard_times import Step
from reports import compute, month_period
from services.sop_clock import sop_records
from storage.models import OutgoingMessage
from tests.flow.harness import draft_to_preview, running, staffed_office
from tests.sop_clock.conftest import J
from texts.id import review as R


def M(m: float) -> timedelta:
    return timedelta(minutes=m)


async def at(o, clock, moment) -> None:
    clock.set(moment)


async def published(o, title: str) -> None:
    await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or "") and title in (m.text or ""), timeout=15)
    await o.tg.settle()


async def fixture_office(o, clock) -> None:
    """Two submissions with known times (Monday 2 November 2026, WIB).

    #1: drafted 08:00-09:00, Kasubbag 20 min, Kepala 45 min (late), published at once.
    #2: drafted 10:30-11:00, returned by the Kasubbag after 10 min, reworked 11:10-13:00,
        Kasubbag 10 min, Kepala 20 min.
    """
    w, ks, kp = o.writer, o.kasubbag, o.kepala
    await at(o, clock, J(2026, 11, 2, 8, 0))
    p = await draft_to_preview(o, title="Rapat Koordinasi Program Kerja 2027")
    await at(o, clock, J(2026, 11, 2, 9, 0))
    await o.press(w, p, "✅ Ajukan ke Kasubbag")
    await at(o, clock, J(2026, 11, 2, 9, 20))
    await o.press(ks, ks.last_message, R.BTN_FORWARD)
    await at(o, clock, J(2026, 11, 2, 10, 5))
    await o.press(kp, kp.last_message, R.BTN_APPROVE)
    await published(o, "Rapat Koordinasi")

    await at(o, clock, J(2026, 11, 2, 10, 30))
    p = await draft_to_preview(o, title="Pengumuman Jadwal Pelayanan Publik", kind="📢 Pengumuman")
    await at(o, clock, J(2026, 11, 2, 11, 0))
    await o.press(w, p, "✅ Ajukan ke Kasubbag")
    await at(o, clock, J(2026, 11, 2, 11, 10))
    await o.press(ks, ks.last_message, R.BTN_RETURN)
    await o.say(ks, "Sebutkan jam layanan.")
    await at(o, clock, J(2026, 11, 2, 13, 0))
    m = await o.press(w, w.last_message, R.BTN_REVISE)
    await o.press(w, m, "✅ Ajukan ke Kasubbag")
    await at(o, clock, J(2026, 11, 2, 13, 10))
    await o.press(ks, ks.last_message, R.BTN_FORWARD)
    await at(o, clock, J(2026, 11, 2, 13, 30))
    await o.press(kp, kp.last_message, R.BTN_APPROVE)
    await published(o, "Pengumuman Jadwal")


async def test_spans_and_figures_come_from_the_audit_trail(make_office):
    o, clock = make_office(J(2026, 11, 2, 7, 45), reminders_enabled=False)
    async with running(o, clock=clock):
        await staffed_office(o)
        await fixture_office(o, clock)
        t = o.app.bot_data["terbit"]
        period = month_period(2026, 11, t.calendar.tz)
        async with t.sessions() as s:
            recs = await sop_records.records(s, period.start, period.end)
        assert [r.id for r in recs] == [1, 2]
        one, two = recs
        spans = [(sp.step, t.calendar.elapsed(sp.started_at, sp.ended_at), sp.round) for sp in one.spans]
        assert spans == [(Step.COLLECT, M(60), 1), (Step.REVIEW_KASUBBAG, M(20), 1), (Step.REVIEW_KEPALA, M(45), 1),
                         (Step.PUBLISH, M(0), 1), (Step.ARCHIVE, M(0), 1)]
        assert one.published_at == J(2026, 11, 2, 10, 5) and one.rounds_returned == 0
        spans = [(sp.step, t.calendar.elapsed(sp.started_at, sp.ended_at), sp.round) for sp in two.spans]
        assert spans == [(Step.COLLECT, M(30), 1), (Step.REVIEW_KASUBBAG, M(10), 1), (Step.DRAFT, M(110), 2),
                         (Step.REVIEW_KASUBBAG, M(10), 2), (Step.REVIEW_KEPALA, M(20), 2),
                         (Step.PUBLISH, M(0), 2), (Step.ARCHIVE, M(0), 2)]
        assert two.rounds_returned == 1 and two.kind == "pengumuman" and two.section == "Humas"

        fig = compute(recs, period, t.calendar, t.standards)
        assert (fig.total, fig.published, fig.returned, fig.return_rounds, fig.withdrawn) == (2, 2, 1, 1, 0)
        ks = fig.step(Step.REVIEW_KASUBBAG)
        assert (ks.count, ks.median, ks.p90, ks.on_time, ks.late) == (3, M(10), M(18), 3, 0)
        kp = fig.step(Step.REVIEW_KEPALA)
        assert (kp.count, kp.median, kp.on_time, kp.late, kp.share_on_time) == (2, M(32.5), 1, 1, 0.5)
        assert [x.id for x in fig.slowest] == [2, 1]  # 10:30-13:30 = 180 > 08:00-10:05 = 125
        assert fig.slowest[0].total == M(180) and fig.slowest[1].total == M(125)


async def test_laporan_sends_chart_summary_and_workbook(make_office):
    o, clock = make_office(J(2026, 11, 2, 7, 45), reminders_enabled=False)
    async with running(o, clock=clock):
        await staffed_office(o)
        await fixture_office(o, clock)
        await at(o, clock, J(2026, 11, 3, 9, 0))
        w = o.writer
        m = await o.say(w, "/laporan")
        assert "hanya untuk Kasubbag, Kepala dan admin" in m.text

        ks = o.kasubbag
        await o.say(ks, "/laporan november 2026")
        await o.tg.settle(timeout=30)
        photo = next(m for m in ks.messages if m.kind == "photo")
        assert "Laporan SOP Konten — November 2026" in photo.caption
        png = next(iter(o.tg.calls_to("sendPhoto")[-1].files.values())).data
        with Image.open(io.BytesIO(png)) as im:
            assert im.format == "PNG" and im.size == (1200, 1500)
        summary = next(m for m in ks.messages if m.kind == "text" and (m.text or "").startswith("📊 Laporan SOP Konten"))
        assert "Pengajuan: 2 · terbit 2 · dikembalikan 1 (1 putaran) · ditarik 0" in summary.text
        assert "4. Pemeriksaan Kasubbag: 10 menit / 18 menit · 100% tepat" in summary.text
        assert "5. Pemeriksaan akhir Kepala: 32 menit / " in summary.text
        # The chart also comes as a file, byte for byte (a photo is recompressed by Telegram).
        chart = next(m for m in ks.messages if m.kind == "document" and m.file.file_name.endswith(".png"))
        assert chart.file.file_name == "grafik-laporan-sop-2026-11.png" and chart.file_bytes == png
        doc = ks.last_message
        assert doc.kind == "document" and doc.file.file_name == "laporan-sop-2026-11.xlsx"
        wb = load_workbook(io.BytesIO(doc.file_bytes))
        assert wb.sheetnames == ["Ringkasan", "Rincian"]
        values = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
        assert values["Jumlah pengajuan"] == 2 and values["Terbit"] == 2
        detail = list(wb["Rincian"].iter_rows(values_only=True))
        assert [r[0] for r in detail[1:]] == [1, 2]
        assert values["Sampai"].date() == date(2026, 11, 30)

        m = await o.say(ks, "/laporan 2027-01")
        assert "belum dimulai" in m.text


async def test_monthly_report_on_the_first_working_day(make_office):
    o, clock = make_office(J(2026, 11, 2, 7, 45), reminders_enabled=False)
    async with running(o, clock=clock):
        await staffed_office(o)
        await fixture_office(o, clock)
        # Nothing happened in October: no report for it on 2 November.
        await run_now(o.app)
        await o.tg.settle()
        assert not any(m.kind == "photo" for m in o.kasubbag.messages)
        # 1 December 2026 is a Tuesday: the November report comes at 07:30, once.
        clock.set(J(2026, 12, 1, 7, 29))
        await run_now(o.app)
        await o.tg.settle()
        assert not any(m.kind == "photo" for m in o.kasubbag.messages)
        clock.set(J(2026, 12, 1, 7, 30))
        await run_now(o.app)
        await o.tg.settle(timeout=30)
        await run_now(o.app)
        await o.tg.settle(timeout=30)
        for person in (o.kasubbag, o.admin):
            assert sum(1 for m in person.messages if m.kind == "photo") == 1
            docs = [m for m in person.messages if m.kind == "document"]
            # The chart as a file, the SOP workbook and, next to it, the month's Daftar Informasi
            # Publik (PerKI 1/2021).
            assert sum(1 for d in docs if d.file.file_name.endswith(".png")) == 1
            books = [d for d in docs if d.file.file_name.endswith(".xlsx")]
            assert [d.file.file_name for d in books] == ["laporan-sop-2026-11.xlsx",
                                                         "daftar-informasi-publik-2026-11.xlsx"]
            dip = list(load_workbook(io.BytesIO(books[1].file_bytes))["DIP"].iter_rows(values_only=True))
            assert [r[1].split(" — ")[0] for r in dip[3:]] == ["Rapat Koordinasi Program Kerja 2027",
                                                               "Pengumuman Jadwal Pelayanan Publik"]
            assert any("Laporan bulanan otomatis: November 2026" in (m.text or "") for m in person.messages)
        assert not any(m.kind == "photo" for m in o.kepala.messages)
        # Owed like every other message (durable, once per person), not sent on the side.
        async with o.app.bot_data["terbit"].sessions() as s:
            owed = (await s.scalars(select(OutgoingMessage).where(
                OutgoingMessage.notice == Notice.MONTHLY_REPORT))).all()
        november = [m for m in owed if m.params == {"year": 2026, "month": 11}]
        assert sorted(m.chat_id for m in november) == sorted({o.kasubbag.id, o.admin.id})
        assert all(m.state == DeliveryState.SENT for m in november)
        # October's, owed on 2 November, said nothing: nothing had happened.
        assert all(m.state == DeliveryState.OBSOLETE for m in owed if m not in november)
