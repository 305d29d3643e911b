"""SOP step 2, conversion: the bot does it itself, so the monthly report knows how long each
file took (from the writer sending it to its renditions being recorded), against the SOP's 1 hour."""
from __future__ import annotations

from datetime import timedelta

from domain.standard_times import Step
from reports import compute, render_summary
from reports import texts as RT
from reports.period import Period
from services.sop_clock import sop_records
from tests.flow.harness import draft_to_preview
from texts.id import review as R


async def test_the_report_has_a_conversion_time_for_every_file(office):
    w, ks, kp = office.writer, office.kasubbag, office.kepala
    preview = await draft_to_preview(office, title="Kunjungan Kerja ke Desa Binaan", photos=2)
    await office.press(w, preview, "✅ Ajukan ke Kasubbag")
    await office.press(ks, ks.last_message, R.BTN_FORWARD)
    await office.press(kp, kp.last_message, R.BTN_APPROVE)
    await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
    # A second item without attachments has nothing to convert.
    await draft_to_preview(office, title="Pengumuman Jadwal Pelayanan Publik", kind="📢 Pengumuman")

    t = office.app.bot_data["terbit"]
    now = t.now()
    period = Period(now - timedelta(days=1), now + timedelta(days=1))
    async with t.sessions() as s:
        with_photos, without = await sop_records.records(s, period.start, period.end)
    converted = [sp for sp in with_photos.spans if sp.step is Step.CONVERT]
    assert len(converted) == 2 and all(sp.finished and sp.started_at <= sp.ended_at for sp in converted)
    assert not [sp for sp in without.spans if sp.step is Step.CONVERT]

    fig = compute([with_photos, without], period, t.calendar, t.standards)
    step = fig.step(Step.CONVERT)
    assert (step.count, step.standard, step.late) == (2, timedelta(hours=1), 0)
    summary = render_summary(fig)
    assert RT.SUMMARY_STEP_EMPTY.format(number=2, label=Step.CONVERT.label) not in summary
    assert f"2. {Step.CONVERT.label}: " in summary and "100%" in summary.split(f"2. {Step.CONVERT.label}: ")[1]
