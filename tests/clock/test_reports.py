"""Report figures against a fixture with KNOWN working times.

Calendar: Mon-Fri 07:30-16:00 WIB, Wednesday 11 Nov 2026 a holiday.
November 2026 starts on a Sunday (Mon 2, Fri 6, Mon 9, Tue 10, Thu 12, Mon 16).
Each span's working minutes are written next to it.
"""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.sop_clock import WorkingCalendar
from domain.standard_times import StandardTimes, Step
from reports import (
    PeriodError,
    StepSpan,
    SubmissionRecord,
    compute,
    parse_date,
    parse_period,
    percentile,
    render_chart,
    render_summary,
    render_xlsx,
)
from reports.xlsx import detail_headers

JKT = ZoneInfo("Asia/Jakarta")
S = Step


def J(*args) -> datetime:
    return datetime(*args, tzinfo=JKT)


def M(m: float) -> timedelta:
    return timedelta(minutes=m)


CAL = WorkingCalendar(holidays={date(2026, 11, 11)})
NOW = J(2026, 12, 1, 9, 0)


def sp(step, a, b, rnd=1):
    return StepSpan(step, a, b, rnd)


RECORDS = [
    SubmissionRecord(  # total creation -> publication: 08:00-14:00 = 360
        1, "Rapat koordinasi", "Humas", "berita", J(2026, 11, 2, 8, 0), "terbit", spans=[
            sp(S.COLLECT, J(2026, 11, 2, 8, 0), J(2026, 11, 2, 10, 0)),             # 120
            sp(S.CONVERT, J(2026, 11, 2, 10, 0), J(2026, 11, 2, 10, 30)),           # 30
            sp(S.DRAFT, J(2026, 11, 2, 10, 30), J(2026, 11, 2, 11, 30)),            # 60
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 2, 11, 30), J(2026, 11, 2, 11, 50)),  # 20
            sp(S.REVIEW_KEPALA, J(2026, 11, 2, 13, 0), J(2026, 11, 2, 13, 45)),     # 45 late
            sp(S.PUBLISH, J(2026, 11, 2, 13, 45), J(2026, 11, 2, 14, 0)),           # 15
            sp(S.ARCHIVE, J(2026, 11, 2, 14, 0), J(2026, 11, 2, 14, 10)),           # 10
        ]),
    SubmissionRecord(  # total: Tue 15:00-16:00 (60) + Wed 07:30-09:40 (130) = 190
        2, "Pengumuman libur", "Humas", "pengumuman", J(2026, 11, 3, 15, 0), "terbit",
        rounds_returned=1, spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 3, 15, 0), J(2026, 11, 4, 8, 0)),     # 60+30 = 90 late
            sp(S.DRAFT, J(2026, 11, 4, 8, 0), J(2026, 11, 4, 9, 0), 2),             # 60
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 4, 9, 0), J(2026, 11, 4, 9, 10), 2),  # 10
            sp(S.REVIEW_KEPALA, J(2026, 11, 4, 9, 10), J(2026, 11, 4, 9, 30), 2),   # 20
            sp(S.PUBLISH, J(2026, 11, 4, 9, 30), J(2026, 11, 4, 9, 40), 2),         # 10
        ]),
    SubmissionRecord(  # total: Fri 15:30-16:00 (30) + Mon 07:30-08:30 (60) = 90
        3, "Laporan anggaran", "Keuangan", "berita", J(2026, 11, 6, 15, 30), "terbit", spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 6, 15, 30), J(2026, 11, 9, 7, 50)),   # 30+20 = 50 late
            sp(S.REVIEW_KEPALA, J(2026, 11, 9, 7, 50), J(2026, 11, 9, 8, 15)),      # 25
            sp(S.PUBLISH, J(2026, 11, 9, 8, 15), J(2026, 11, 9, 8, 30)),            # 15
        ]),
    SubmissionRecord(  # total: Tue 14:00-16:00 (120) + holiday + Thu 07:30-08:20 (50) = 170
        4, "Artikel pajak", "Keuangan", "artikel", J(2026, 11, 10, 14, 0), "terbit",
        published_at=J(2026, 11, 12, 8, 20), spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 10, 14, 0), J(2026, 11, 10, 14, 25)),  # 25
            sp(S.REVIEW_KEPALA, J(2026, 11, 10, 14, 25), J(2026, 11, 12, 8, 0)),     # 95+30 = 125 late
            sp(S.PUBLISH, J(2026, 11, 12, 8, 0), J(2026, 11, 12, 8, 20)),            # 20
        ]),
    SubmissionRecord(  # still waiting for the Kepala
        5, "Kunjungan kerja", "Umum", "berita", J(2026, 11, 12, 9, 0), "menunggu_kepala", spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 12, 9, 0), J(2026, 11, 12, 9, 15)),   # 15
            sp(S.REVIEW_KEPALA, J(2026, 11, 12, 9, 15), None),                      # open
        ]),
    SubmissionRecord(  # published then withdrawn; total 10:00-11:00 = 60
        6, "Ralat jadwal", "Humas", "berita", J(2026, 11, 16, 10, 0), "ditarik", withdrawn=True, spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 16, 10, 0), J(2026, 11, 16, 10, 30)),  # 30 exactly: on time
            sp(S.REVIEW_KEPALA, J(2026, 11, 16, 10, 30), J(2026, 11, 16, 10, 40)),   # 10
            sp(S.PUBLISH, J(2026, 11, 16, 10, 40), J(2026, 11, 16, 11, 0)),          # 20
        ]),
    SubmissionRecord(  # returned twice, then cancelled
        9, "Draf batal", "Umum", "pengumuman", J(2026, 11, 20, 8, 0), "dibatalkan", rounds_returned=2, spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 20, 8, 0), J(2026, 11, 20, 8, 10)),   # 10
        ]),
    # outside the period: created before it / at its (exclusive) end
    SubmissionRecord(7, "Oktober", "Humas", "berita", J(2026, 10, 30, 9, 0), "terbit", spans=[
        sp(S.REVIEW_KASUBBAG, J(2026, 10, 30, 9, 0), J(2026, 11, 2, 9, 0)),
        sp(S.PUBLISH, J(2026, 11, 2, 9, 0), J(2026, 11, 2, 9, 10))]),
    SubmissionRecord(8, "Desember", "Humas", "berita", J(2026, 12, 1, 0, 0), "draf"),
]


@pytest.fixture(scope="module")
def fig():
    return compute(RECORDS, parse_period("2026-11", NOW), CAL, StandardTimes())


def test_counts(fig):
    assert fig.period.label == "November 2026"
    assert fig.total == 7
    assert fig.per_section == {"Humas": 3, "Keuangan": 2, "Umum": 2}
    assert list(fig.per_section) == ["Humas", "Keuangan", "Umum"]
    assert fig.per_section_published == {"Humas": 3, "Keuangan": 2}
    assert fig.per_kind == {"berita": 4, "pengumuman": 2, "artikel": 1}
    assert fig.published == 5
    assert (fig.returned, fig.return_rounds) == (2, 3)
    assert fig.withdrawn == 1
    assert fig.cancelled == 1
    assert fig.in_progress == 1


def test_step_figures(fig):
    # Kasubbag: 10, 10, 15, 20, 25, 30, 50, 90
    k = fig.step(S.REVIEW_KASUBBAG)
    assert k.count == 8
    assert k.median == M((20 + 25) / 2)                 # 22.5
    assert k.p90 == M(50 + 0.3 * (90 - 50))              # pos 0.9*7 = 6.3 -> 62
    assert (k.on_time, k.late, k.open) == (6, 2, 0)
    assert k.share_on_time == 0.75
    # Kepala: 10, 20, 25, 45, 125 (+1 open)
    kp = fig.step(S.REVIEW_KEPALA)
    assert kp.count == 5 and kp.open == 1
    assert kp.median == M(25)
    assert kp.p90 == M(45 + 0.6 * (125 - 45))            # pos 3.6 -> 93
    assert (kp.on_time, kp.late) == (3, 2)
    # Publish: 10, 15, 15, 20, 20
    p = fig.step(S.PUBLISH)
    assert (p.count, p.median, p.p90, p.on_time, p.late) == (5, M(15), M(20), 5, 0)
    d = fig.step(S.DRAFT)
    assert (d.count, d.median, d.p90) == (2, M(60), M(60))
    assert fig.step(S.COLLECT).median == M(120)
    assert fig.step(S.ARCHIVE).median == M(10)
    assert [sf.step for sf in fig.steps] == list(Step)


def test_slowest(fig):
    assert [(s.rank, s.id, s.total) for s in fig.slowest] == [
        (1, 1, M(360)), (2, 2, M(190)), (3, 4, M(170)), (4, 3, M(90)), (5, 6, M(60))]


def test_rows(fig):
    assert [r.record.id for r in fig.rows] == [1, 2, 3, 4, 5, 6, 9]
    r2 = fig.rows[1]
    assert r2.step_times == {S.DRAFT: M(60), S.REVIEW_KASUBBAG: M(100), S.REVIEW_KEPALA: M(20), S.PUBLISH: M(10)}
    r5 = fig.rows[4]
    assert r5.open_steps == (S.REVIEW_KEPALA,) and r5.total_to_publication is None


def test_percentile_edges():
    assert percentile([], 0.5) is None
    assert percentile([M(7)], 0.9) == M(7)
    assert percentile([M(1), M(2)], 0.9) == M(1.9)


def test_empty_report():
    fig = compute([], parse_period("2026-11", NOW), CAL)
    assert fig.empty and fig.step(S.PUBLISH).median is None
    assert "Tidak ada pengajuan" in render_summary(fig)
    assert render_chart(fig).startswith(b"\x89PNG")
    render_xlsx(fig)


def test_summary(fig):
    text = render_summary(fig)
    lines = text.splitlines()
    assert lines[0] == "📊 Laporan SOP Konten — November 2026"
    assert "Pengajuan: 7 · terbit 5 · dikembalikan 2 (3 putaran) · ditarik 1" in text
    assert "Per bagian: Humas 3, Keuangan 2, Umum 2" in text
    assert "Per jenis: Berita 4, Pengumuman 2, Artikel 1" in text
    assert "🟡 4. Pemeriksaan Kasubbag: 22 menit / 1 jam 2 menit · 75% tepat" in text
    # The Kepala's median (25 min) is within the standard, but only 60 % were on time: red, not yellow.
    assert "🔴 5. Pemeriksaan akhir Kepala: 25 menit / 1 jam 33 menit · 60% tepat" in text
    assert "🟢 ≥ 90%, 🟡 ≥ 70%, 🔴 di bawahnya" in text  # the rule is said where the colours are
    assert "1. Rapat koordinasi (Humas) — 6 jam" in text
    assert len(text) < 1500


def test_xlsx_roundtrip(fig):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(fig)))
    assert wb.sheetnames == ["Ringkasan", "Rincian"]
    ws = wb["Ringkasan"]
    labels = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert labels["Periode"] == "November 2026"
    assert labels["Jumlah pengajuan"] == 7
    assert labels["Terbit"] == 5
    assert labels["Dikembalikan (putaran)"] == 3
    assert labels["Ditarik"] == 1
    assert labels["Dari"] == datetime(2026, 11, 1)
    assert labels["Sampai"] == datetime(2026, 11, 30)  # the last day, not the next month's midnight
    assert ws.cell(row=next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Sampai"),
                   column=2).number_format == "dd-mm-yyyy"
    # the per-step table
    head_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "Tahap")
    assert [ws.cell(row=head_row, column=c).value for c in range(1, 11)] == [
        "No", "Tahap", "Standar (menit)", "Jumlah selesai", "Median (menit)", "P90 (menit)",
        "Tepat waktu", "Terlambat", "% tepat waktu", "Masih berjalan"]
    kas = [ws.cell(row=head_row + 4, column=c).value for c in range(1, 11)]
    assert kas == [4, "Pemeriksaan Kasubbag", 30, 8, 22.5, 62, 6, 2, 0.75, 0]
    kep = [ws.cell(row=head_row + 5, column=c).value for c in range(1, 11)]
    assert kep == [5, "Pemeriksaan akhir Kepala", 30, 5, 25, 93, 3, 2, 0.6, 1]

    wd = wb["Rincian"]
    heads = [c.value for c in wd[1]]
    assert heads == detail_headers()
    assert heads[:8] == ["ID", "Judul", "Bagian", "Jenis", "Dibuat", "Status akhir", "Putaran dikembalikan", "Ditarik"]
    assert "4. Pemeriksaan Kasubbag (menit)" in heads
    assert wd.max_row == 1 + 7
    rows = {r[0]: dict(zip(heads, r)) for r in wd.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 9]  # numbers, not text
    r2 = rows[2]
    assert r2["Judul"] == "Pengumuman libur"
    assert r2["Jenis"] == "Pengumuman"
    assert r2["Status akhir"] == "Terbit"
    assert r2["Putaran dikembalikan"] == 1
    assert r2["4. Pemeriksaan Kasubbag (menit)"] == 100
    assert r2["1. Pengumpulan bahan (menit)"] == "—"
    assert r2["Total sampai terbit (menit)"] == 190
    assert r2["Dibuat"] == datetime(2026, 11, 3, 15, 0)
    assert r2["Terbit pada"] == datetime(2026, 11, 4, 9, 40)
    assert rows[6]["Ditarik"] == "Ya" and rows[6]["Status akhir"] == "Ditarik"
    assert rows[5]["Tahap berjalan"] == "Pemeriksaan akhir Kepala"
    # Every step cell without a time says why, in the note column.
    for sid, row in rows.items():
        for s in Step:
            cell = row[f"{s.number}. {s.label} (menit)"]
            assert cell is not None, (sid, s)
            if cell == "—":
                assert f"{s.number}. {s.label}: " in row["Catatan"], (sid, s)
    assert rows[1]["Catatan"] is None  # every step measured
    assert "2. Konversi bahan: tidak ada berkas yang dikonversi" in r2["Catatan"]
    assert "5. Pemeriksaan akhir Kepala: sedang berjalan" in rows[5]["Catatan"]
    assert "6. Penerbitan: belum sampai tahap ini" in rows[5]["Catatan"]
    assert "3. Penyusunan draf: menyatu dengan tahap 1 (tidak dikembalikan)" in rows[3]["Catatan"]
    assert "3. Penyusunan draf: tidak tercatat terpisah" in rows[9]["Catatan"]  # returned twice: not "menyatu"
    assert "5. Pemeriksaan akhir Kepala: dibatalkan sebelum tahap ini" in rows[9]["Catatan"]


def test_xlsx_prints_landscape_one_page_wide_with_the_header_on_every_page(fig):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(fig)))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes is not None
    assert wb["Rincian"].freeze_panes == "C2"  # the header row and the number and title stay in view


def test_a_step_is_coloured_by_its_share_on_time_not_its_median():
    # Four Kasubbag reviews: three quick ones and one late one.  The median (10 min) is
    # well within the 30-minute standard, yet a quarter was late: yellow, not green.
    base = J(2026, 11, 2, 8, 0)
    recs = [SubmissionRecord(i, f"Berita {i}", "Humas", "berita", base + M(i), "terbit", spans=[
        sp(S.REVIEW_KASUBBAG, base + M(i), base + M(i + took))]) for i, took in enumerate((10, 10, 10, 90))]
    f = compute(recs, parse_period("2026-11", NOW), CAL, StandardTimes())
    kas = f.step(S.REVIEW_KASUBBAG)
    assert kas.median_status.name == "ON_TIME" and kas.share_on_time == 0.75
    assert kas.share_status.name == "DUE_SOON"
    assert "🟡 4. Pemeriksaan Kasubbag" in render_summary(f)
    all_quick = compute(recs[:3], parse_period("2026-11", NOW), CAL, StandardTimes())
    assert "🟢 4. Pemeriksaan Kasubbag" in render_summary(all_quick)


def test_chart_png(fig):
    from PIL import Image

    data = render_chart(fig)
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    assert img.size == (1200, 1500)


# ------------------------------------------------------------ periods

@pytest.mark.parametrize("text,start,end,label", [
    ("2026-11", J(2026, 11, 1), J(2026, 12, 1), "November 2026"),
    ("11/2026", J(2026, 11, 1), J(2026, 12, 1), "November 2026"),
    ("  Nov 2026 ", J(2026, 11, 1), J(2026, 12, 1), "November 2026"),
    ("desember 2025", J(2025, 12, 1), J(2026, 1, 1), "Desember 2025"),
    ("bulan ini", J(2026, 12, 1), J(2027, 1, 1), "Desember 2026"),
    ("Bulan Lalu", J(2026, 11, 1), J(2026, 12, 1), "November 2026"),
    ("2026-11-01..2026-11-15", J(2026, 11, 1), J(2026, 11, 16), "1–15 November 2026"),
    ("28/10/2026 s.d. 3/11/2026", J(2026, 10, 28), J(2026, 11, 4), "28 Oktober – 3 November 2026"),
    ("2026-11-05", J(2026, 11, 5), J(2026, 11, 6), "5 November 2026"),
])
def test_parse_period(text, start, end, label):
    p = parse_period(text, NOW)
    assert (p.start, p.end) == (start, end)
    s, e = p  # unpacks as a tuple
    assert (s, e) == (start, end)
    assert p.label == label


def test_parse_period_january_last_month():
    p = parse_period("bulan lalu", J(2027, 1, 15, 10))
    assert p.label == "Desember 2026"


@pytest.mark.parametrize("text,code", [
    ("", "empty"), ("kemarin", "unknown"), ("2026-13", "bad_month"), ("13/2026", "bad_month"),
    ("2027-01", "future"), ("2026-11-15..2026-11-01", "reversed"), ("2026-02-30..2026-03-01", "bad_date"),
    ("2024-01-01..2026-11-01", "too_long"), ("1850-01", "bad_year"),
])
def test_parse_period_errors(text, code):
    with pytest.raises(PeriodError) as exc:
        parse_period(text, NOW)
    assert exc.value.code == code
    assert str(exc.value)  # an Indonesian sentence for the chat


def test_parse_date():
    assert parse_date("2026-11-05") == parse_date("5/11/2026") == parse_date("5.11.2026") == date(2026, 11, 5)
    with pytest.raises(PeriodError) as exc:
        parse_date("31/02/2026")
    assert exc.value.code == "bad_date"


def test_comments_per_item_and_the_time_to_the_first_comment():
    """Issue 21: how many comments the drafts drew, on how many items, and how long (working time)
    from reaching the Kasubbag to the first comment."""
    base = RECORDS[0]
    records = [
        SubmissionRecord(1, base.title, base.section, base.kind, base.created_at, base.final_state, spans=base.spans,
                         comments=3, first_comment_at=J(2026, 11, 2, 11, 40)),  # 10 min after 11:30
        SubmissionRecord(2, "Kedua", "Humas", "berita", J(2026, 11, 3, 8, 0), "menunggu_kasubbag", spans=[
            sp(S.REVIEW_KASUBBAG, J(2026, 11, 3, 9, 0), None)], comments=1, first_comment_at=J(2026, 11, 3, 9, 30)),
        SubmissionRecord(3, "Ketiga", "Humas", "berita", J(2026, 11, 4, 8, 0), "draf"),
    ]
    f = compute(records, parse_period("2026-11", NOW), CAL, StandardTimes())
    assert (f.comments, f.commented, f.first_comment_median) == (4, 2, M(20))
    assert [r.to_first_comment for r in f.rows] == [M(10), M(30), None]
    assert "Komentar: 4 pada 2 pengajuan (rata-rata 1,3 per pengajuan) · median sampai komentar pertama" \
        in render_summary(f)
    assert "Komentar:" not in render_summary(compute(records[2:], parse_period("2026-11", NOW), CAL))
    # The workbook's detail sheet: each item's comments and the minutes to its first one.
    from openpyxl import load_workbook

    wd = load_workbook(io.BytesIO(render_xlsx(f)))["Rincian"]
    heads = [c.value for c in wd[1]]
    rows = {r[0]: dict(zip(heads, r)) for r in wd.iter_rows(min_row=2, values_only=True)}
    assert [(rows[i]["Komentar"], rows[i]["Sampai komentar pertama (menit)"]) for i in (1, 2, 3)] == [
        (3, 10), (1, 30), (0, None)]
