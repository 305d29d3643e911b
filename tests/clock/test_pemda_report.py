"""The pemda roll-up (reports/pemda.py) against offices with KNOWN working times and their own standards.

Calendar: Mon-Fri 07:30-16:00 WIB (November 2026 starts on a Sunday).  The report is made on
Tuesday 1 December 2026 09:00.  Each span's working minutes are written next to it.

    office                  standards (min)       finished  on time  share  last publication
    1 Dinas Kesehatan       SOP (Kasubbag 30)     6         5        83 %   3 Nov  (28 days)
    2 Dinas Pendidikan      Kasubbag 60           3         1        33 %   31 Oct (31 days: stale)
    3 Bappeda               Kasubbag 15, Kepala 20 3        3        100 %  6 Nov  (25 days)
    4 Satpol PP             SOP                   0         0        —      never (stale)
    5 Kecamatan Utara       SOP                   0         0        —      25 Nov (6 days)
"""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from domain.sop_clock import ClockStatus, WorkingCalendar
from domain.standard_times import StandardTimes, Step
from reports import StepSpan, SubmissionRecord, compute, parse_period
from reports.figures import StepFigures
from reports.pemda import (
    OfficeLine,
    attention_key,
    chart_height,
    pemda_figures,
    pemda_headers,
    render_pemda_chart,
    render_pemda_summary,
    render_pemda_xlsx,
    share_status,
    telegram_length,
)

JKT = ZoneInfo("Asia/Jakarta")
S = Step
CAL = WorkingCalendar()
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=JKT)
PERIOD = parse_period("2026-11", NOW)


def J(*args) -> datetime:
    return datetime(*args, tzinfo=JKT)


def M(m: float) -> timedelta:
    return timedelta(minutes=m)


def sp(step, a, b):
    return StepSpan(step, a, b)


def rec(i, created, state, spans, **kw):
    return SubmissionRecord(i, f"Berita {i}", "Humas", "berita", created, state, spans=spans, **kw)


SOP = StandardTimes()
SLOW_KASUBBAG = SOP.with_overrides({"review_kasubbag": 60})
STRICT = SOP.with_overrides({"review_kasubbag": 15, "review_kepala": 20})

KESEHATAN = [
    rec(11, J(2026, 11, 2, 8, 0), "terbit", [
        sp(S.REVIEW_KASUBBAG, J(2026, 11, 2, 8, 0), J(2026, 11, 2, 8, 20)),   # 20
        sp(S.REVIEW_KEPALA, J(2026, 11, 2, 8, 20), J(2026, 11, 2, 8, 30)),    # 10
        sp(S.PUBLISH, J(2026, 11, 2, 8, 30), J(2026, 11, 2, 8, 40)),          # 10
    ]),
    rec(12, J(2026, 11, 3, 8, 0), "terbit", [
        sp(S.REVIEW_KASUBBAG, J(2026, 11, 3, 8, 0), J(2026, 11, 3, 8, 40)),   # 40 late (30)
        sp(S.REVIEW_KEPALA, J(2026, 11, 3, 8, 40), J(2026, 11, 3, 8, 50)),    # 10
        sp(S.PUBLISH, J(2026, 11, 3, 8, 50), J(2026, 11, 3, 9, 0)),           # 10
    ]),
]
PENDIDIKAN = [
    rec(21, J(2026, 11, 4, 8, 0), "disetujui", [
        sp(S.REVIEW_KASUBBAG, J(2026, 11, 4, 8, 0), J(2026, 11, 4, 8, 40)),   # 40: on time for its 60
        sp(S.REVIEW_KEPALA, J(2026, 11, 4, 8, 40), J(2026, 11, 4, 9, 25)),    # 45 late (30)
        sp(S.PUBLISH, J(2026, 11, 4, 9, 25), None),                           # open
    ]),
    rec(22, J(2026, 11, 5, 8, 0), "draf", [
        sp(S.REVIEW_KASUBBAG, J(2026, 11, 5, 8, 0), J(2026, 11, 5, 9, 30)),   # 90 late (60)
    ], rounds_returned=1),
]
BAPPEDA = [
    rec(31, J(2026, 11, 6, 8, 0), "terbit", [
        sp(S.REVIEW_KASUBBAG, J(2026, 11, 6, 8, 0), J(2026, 11, 6, 8, 10)),   # 10 (15)
        sp(S.REVIEW_KEPALA, J(2026, 11, 6, 8, 10), J(2026, 11, 6, 8, 25)),    # 15 (20)
        sp(S.PUBLISH, J(2026, 11, 6, 8, 25), J(2026, 11, 6, 8, 35)),          # 10
    ]),
]


def office(office_id, name, records=(), standards=SOP, dip_rows=0, last=None):
    return OfficeLine(office_id=office_id, name=name, figures=compute(records, PERIOD, CAL, standards),
                      dip_rows=dip_rows, last_published_at=last)


LINES = [  # deliberately not in the report's order
    office(1, "Dinas Kesehatan", KESEHATAN, SOP, 2, J(2026, 11, 3, 9, 0)),
    office(2, "Dinas Pendidikan", PENDIDIKAN, SLOW_KASUBBAG, 0, NOW - timedelta(days=31)),
    office(3, "Bappeda", BAPPEDA, STRICT, 1, J(2026, 11, 6, 8, 35)),
    office(4, "Satpol PP"),
    office(5, "Kecamatan Utara", dip_rows=1, last=J(2026, 11, 25, 10, 0)),
]


@pytest.fixture(scope="module")
def pf():
    return pemda_figures(LINES, period=PERIOD, now=NOW, tz=JKT)


def by_id(pf):
    return {r.office_id: r for r in pf.rows}


# ------------------------------------------------------------------ figures

def test_each_office_is_measured_against_its_own_standards(pf):
    rows = by_id(pf)
    kes, pen, bap = rows[1], rows[2], rows[3]
    assert (kes.submitted, kes.published, kes.returned) == (2, 2, 0)
    assert (kes.finished, kes.on_time) == (6, 5)
    assert kes.share_on_time == pytest.approx(5 / 6) and kes.share_status is ClockStatus.DUE_SOON
    # Pendidikan's 40-minute review is on time for its 60 minutes; the 90-minute one is not.
    k = pen.step(S.REVIEW_KASUBBAG)
    assert (k.standard, k.count, k.on_time, k.late, k.median, k.p90) == (M(60), 2, 1, 1, M(65), M(85))
    assert pen.step(S.PUBLISH).open == 1
    assert (pen.submitted, pen.published, pen.returned, pen.finished, pen.on_time) == (2, 0, 1, 3, 1)
    assert pen.share_status is ClockStatus.LATE
    # Under the SOP's 30 minutes both of its reviews would have been late.
    assert compute(PENDIDIKAN, PERIOD, CAL, SOP).step(S.REVIEW_KASUBBAG).on_time == 0
    assert bap.step(S.REVIEW_KEPALA).standard == M(20) and bap.step(S.REVIEW_KEPALA).on_time == 1
    assert (bap.finished, bap.on_time, bap.share_on_time, bap.share_status) == (3, 3, 1.0, ClockStatus.ON_TIME)
    assert [sf.step for sf in kes.steps] == list(Step)  # all seven, SOP order
    assert kes.step(S.COLLECT).count == 0 and kes.step(S.COLLECT).median is None


def test_offices_without_finished_steps_have_no_share(pf):
    rows = by_id(pf)
    for oid in (4, 5):
        assert rows[oid].finished == 0
        assert rows[oid].share_on_time is None and rows[oid].share_status is None


def test_stale_and_days_since_the_last_publication(pf):
    rows = by_id(pf)
    assert [(oid, rows[oid].days_since_published, rows[oid].stale) for oid in (1, 2, 3, 4, 5)] == [
        (1, 28, False), (2, 31, True), (3, 25, False), (4, None, True), (5, 6, False)]
    assert rows[3].dip_rows == 1 and rows[3].last_published_at == J(2026, 11, 6, 8, 35)


@pytest.mark.parametrize("last,days,stale", [
    (NOW - timedelta(days=29), 29, False),
    (NOW - timedelta(days=30), 30, True),  # nothing in the last 30 days, today included
    (NOW - timedelta(days=31), 31, True),
    (None, None, True),  # never published
    (J(2026, 11, 30, 23, 59), 1, False),  # calendar days in the report's zone, not 24-hour blocks
    (datetime(2026, 11, 30, 17, 30, tzinfo=ZoneInfo("UTC")), 0, False),  # 00:30 WIB today
    (NOW + timedelta(minutes=5), 0, False),  # another machine's clock a little ahead
])
def test_stale_boundaries(last, days, stale):
    row = pemda_figures([office(9, "Kantor", last=last)], period=PERIOD, now=NOW, tz=JKT).rows[0]
    assert (row.days_since_published, row.stale) == (days, stale)


def test_stale_days_is_a_setting():
    line = office(9, "Kantor", last=NOW - timedelta(days=10))
    assert not pemda_figures([line], period=PERIOD, now=NOW, tz=JKT).rows[0].stale
    pf = pemda_figures([line], period=PERIOD, now=NOW, tz=JKT, stale_days=7)
    assert pf.rows[0].stale and pf.stale_days == 7


def test_attention_first(pf):
    # Stale first (never published, then the longest without), then by share on time, lowest first;
    # an office without finished steps after those with a share.
    assert [r.office_id for r in pf.rows] == [4, 2, 1, 3, 5]
    assert [r.office_id for r in pf.stale_rows] == [4, 2]
    assert [r.office_id for r in pf.lowest()] == [2, 1, 3]


def test_order_does_not_depend_on_the_input_and_ties_go_by_name():
    same = [office(7, "dinas Sosial", BAPPEDA, STRICT, last=NOW), office(6, "Bagian Umum", BAPPEDA, STRICT, last=NOW),
            office(8, "Dinas lingkungan", BAPPEDA, STRICT, last=NOW)]
    for lines in (same, same[::-1]):
        rows = pemda_figures(lines, period=PERIOD, now=NOW, tz=JKT).rows
        assert [r.name for r in rows] == ["Bagian Umum", "Dinas lingkungan", "dinas Sosial"]
    stale = [office(1, "B", BAPPEDA, STRICT, last=NOW - timedelta(days=40)),
             office(2, "A", last=NOW - timedelta(days=90)), office(3, "C", KESEHATAN, last=NOW - timedelta(days=40))]
    rows = pemda_figures(stale, period=PERIOD, now=NOW, tz=JKT).rows
    assert [r.name for r in rows] == ["A", "C", "B"]  # 90 days; then 40 days, 83 % before 100 %
    assert sorted(rows, key=attention_key) == list(rows)


def test_totals(pf):
    t = pf.totals
    assert (t.offices, t.submitted, t.published, t.returned) == (5, 5, 3, 1)
    assert (t.finished, t.on_time, t.dip_rows, t.stale) == (12, 9, 4, 2)
    assert t.share_on_time == 0.75 and t.share_status is ClockStatus.DUE_SOON
    empty = pemda_figures([], period=PERIOD, now=NOW, tz=JKT)
    assert empty.empty and empty.totals.share_on_time is None and empty.lowest() == ()


def test_share_colour_follows_the_monthly_reports_thresholds():
    for on_time, count in ((9, 10), (89, 100), (7, 10), (69, 100), (0, 3)):
        sf = StepFigures(S.PUBLISH, M(30), count, M(1), M(1), on_time, count - on_time, 0)
        assert share_status(on_time / count) is sf.share_status
    assert share_status(None) is None


@pytest.mark.parametrize("change,message", [
    ({"now": datetime(2026, 12, 1, 9, 0)}, "timezone-aware"),
    ({"stale_days": 0}, "stale_days"),
    ({"lines": [LINES[0], LINES[0]]}, "listed twice"),
    ({"period": parse_period("2026-10", NOW)}, "not Oktober 2026"),
])
def test_mistakes_of_the_caller_are_refused(change, message):
    kw = {"lines": LINES, "period": PERIOD, "now": NOW, "tz": JKT, **change}
    with pytest.raises(ValueError, match=message):
        pemda_figures(kw.pop("lines"), **kw)


# ---------------------------------------------------------------- workbook

def load(pf):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(render_pemda_xlsx(pf)))


def test_xlsx_headers_rows_and_totals(pf):
    wb = load(pf)
    assert wb.sheetnames == ["Rekap Pemda", "Penjelasan", "Standar per Kantor"]
    ws = wb["Rekap Pemda"]
    assert ws["A1"].value == "Rekap SOP Konten Pemda — November 2026"
    assert "5 kantor · data per 1 Desember 2026" in ws["A2"].value
    heads = [c.value for c in ws[5]]
    assert heads == pemda_headers(pf)
    assert heads[:11] == [
        "No", "Kantor (OPD)", "Pengajuan masuk", "Terbit", "Dikembalikan", "Tahap selesai",
        "% tahap tepat waktu", "Baris DIP", "Terbit terakhir", "Hari sejak terbit terakhir", "Peringatan"]
    assert len(heads) == 11 + 14
    assert heads[11] == "1. Pengumpulan bahan — median (std 180 mnt)"
    assert heads[12] == "1. Pengumpulan bahan — p90 (std 180 mnt)"
    # The offices' standards differ for the reviews: the header gives the range.
    assert heads[17] == "4. Pemeriksaan Kasubbag — median (std 15–60 mnt)"
    assert heads[19] == "5. Pemeriksaan akhir Kepala — median (std 20–30 mnt)"
    assert heads[21] == "6. Penerbitan — median (std 30 mnt)"

    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6, max_row=ws.max_row)]
    assert len(rows) == 5 + 1
    assert [r[1] for r in rows[:5]] == ["Satpol PP", "Dinas Pendidikan", "Dinas Kesehatan", "Bappeda",
                                        "Kecamatan Utara"]
    pen = rows[1]
    assert pen[:11] == [2, "Dinas Pendidikan", 2, 0, 1, 3, 0.3333, 0, datetime(2026, 10, 31, 9, 0), 31,
                        "⚠️ Tidak ada terbitan 30 hari terakhir"]
    assert pen[17:21] == [65, 85, 45, 45]  # Kasubbag median/p90, Kepala median/p90 in minutes
    assert pen[11] is None and pen[21] is None  # no finished collect, no finished publish
    assert rows[0][8:11] == ["Belum pernah", None, "⚠️ Belum pernah terbit"]
    assert rows[2][10] is None  # not stale: no warning
    assert rows[2][6] == 0.8333 and rows[3][6] == 1 and rows[4][6] is None
    assert rows[-1][:11] == [None, "Jumlah pemda (5 kantor)", 5, 3, 1, 12, 0.75, 4, None, None,
                             "2 kantor tanpa terbitan 30 hari"]
    assert rows[-1][11:] == [None] * 14  # medians are not added up
    assert ws.cell(row=ws.max_row, column=2).font.b


def test_xlsx_colours(pf):
    ws = load(pf)["Rekap Pemda"]

    def fill(row, col):
        return ws.cell(row=row, column=col).fill.fgColor.rgb[-6:]

    # rows 6.. : Satpol PP, Pendidikan, Kesehatan, Bappeda, Kecamatan Utara, totals; column 7: the share
    assert [fill(r, 7) for r in range(7, 12)] == ["F8CBAD", "FFEB9C", "C6EFCE", "000000", "FFEB9C"]
    assert ws.cell(row=7, column=7).number_format == "0%"
    assert fill(7, 11) == "F8CBAD" and fill(7, 10) == "F8CBAD"  # stale: the days and the warning
    assert fill(8, 11) == "000000"
    # Against its own 60 minutes, Pendidikan's Kasubbag median (65) is over; Bappeda's 10 is not over 15.
    assert fill(7, 18) == "F8CBAD" and fill(9, 18) == "000000"
    # Kesehatan's Kasubbag p90 (38) is over the SOP's 30, its median (30) exactly on it is not.
    assert (ws.cell(row=8, column=18).value, ws.cell(row=8, column=19).value) == (30, 38)
    assert fill(8, 18) == "000000" and fill(8, 19) == "F8CBAD"
    assert ws.cell(row=8, column=9).number_format == "dd-mm-yyyy"


def test_xlsx_prints_landscape_one_page_wide_with_the_header_row_on_every_page(pf):
    wb = load(pf)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.freeze_panes is not None
    ws = wb["Rekap Pemda"]
    assert ws.print_title_rows == "$5:$5"
    assert ws.freeze_panes == "C6"
    assert ws.auto_filter.ref == "A5:Y10"  # the offices, not the totals row


def test_xlsx_explains_every_column_and_lists_each_offices_standards(pf):
    wb = load(pf)
    wh = wb["Penjelasan"]
    assert [wh["A1"].value, wh["B1"].value] == ["Kolom", "Penjelasan"]
    explained = {r[0]: r[1] for r in wh.iter_rows(min_row=2, values_only=True)}
    heads = pemda_headers(pf)
    assert set(heads[:11]) <= set(explained)
    assert {"Median", "P90", "std", "Urutan", "Jumlah pemda"} <= set(explained)
    assert "30 hari terakhir" in explained["Peringatan"] and "{" not in "".join(explained.values())
    wsd = wb["Standar per Kantor"]
    std = {r[0]: r[1:] for r in wsd.iter_rows(min_row=2, values_only=True)}
    assert std["Dinas Pendidikan"] == (180, 60, 60, 60, 30, 30, 30)
    assert std["Bappeda"][3:5] == (15, 20)
    assert [c.value for c in wsd[1]][4] == "4. Pemeriksaan Kasubbag"


def test_xlsx_with_one_standard_and_with_no_offices():
    one = pemda_figures(LINES[:1], period=PERIOD, now=NOW, tz=JKT)
    assert pemda_headers(one)[17] == "4. Pemeriksaan Kasubbag — median (std 30 mnt)"
    wb = load(pemda_figures([], period=PERIOD, now=NOW, tz=JKT))
    rows = list(wb["Rekap Pemda"].iter_rows(min_row=6, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "Jumlah pemda (0 kantor)"


# ------------------------------------------------------------------- chart

def many_offices(n: int, name_len: int = 120):
    """``n`` offices with long names (some with HTML in them), shares from 0 to 100 %, a third stale."""
    lines = []
    for i in range(n):
        created = J(2026, 11, 2, 8, 0) + timedelta(days=i % 20)
        spans = [sp(S.REVIEW_KASUBBAG, created + M(k), created + M(k + (10 if k < i % 5 else 50)))
                 for k in range(4)]
        name = f"<b>Kantor {i:02d}</b> & Dinas Komunikasi, Informatika, Statistik dan Persandian " * 3
        last = None if i % 9 == 0 else NOW - timedelta(days=5 if i % 3 else 45)
        lines.append(office(100 + i, name[:name_len], [rec(i, created, "terbit", spans)], last=last))
    return pemda_figures(lines, period=PERIOD, now=NOW, tz=JKT)


def test_chart_png_grows_with_the_offices(pf):
    from PIL import Image

    small = Image.open(io.BytesIO(render_pemda_chart(pf)))
    assert small.format == "PNG" and small.size == (1200, chart_height(5))
    big = Image.open(io.BytesIO(render_pemda_chart(many_offices(40))))
    assert big.size == (1200, chart_height(40))
    assert big.size[1] > small.size[1] + 35 * 50  # each office keeps a legible row
    empty = Image.open(io.BytesIO(render_pemda_chart(pemda_figures([], period=PERIOD, now=NOW, tz=JKT))))
    assert empty.size == (1200, chart_height(0))


def test_chart_bars_take_the_share_colours(pf):
    """Pendidikan (33 %) red, Kesehatan (83 %) yellow, Bappeda (100 %) green: each colour's pixels
    are mostly in its bar, so the wider bar has more of them than the legend's small patches."""
    from PIL import Image

    img = Image.open(io.BytesIO(render_pemda_chart(pf))).convert("RGB")
    counts = {}
    for rgb, n in ((c, n) for n, c in img.getcolors(maxcolors=1 << 20)):
        counts[rgb] = n
    green, yellow, red = counts[(0x2E, 0x9D, 0x4F)], counts[(0xE0, 0xA8, 0x00)], counts[(0xD6, 0x45, 0x41)]
    assert green > yellow > red > 0


# ----------------------------------------------------------------- summary

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open, self.seen = [], set()

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        self.seen.add(tag)

    def handle_endtag(self, tag):
        assert self.open.pop() == tag


def tags(text):
    p = _Tags()
    p.feed(text)
    p.close()
    assert p.open == []
    return p.seen


def test_summary(pf):
    text = render_pemda_summary(pf)
    lines = text.splitlines()
    assert lines[0] == "📊 <b>Rekap SOP Konten Pemda — November 2026</b>"
    assert lines[1] == "5 kantor · pengajuan 5 · terbit 3 · dikembalikan 1"
    assert lines[2] == "🟡 Tahap tepat waktu (semua kantor): 75%"
    assert "⚠️ <b>Tanpa terbitan 30 hari terakhir (2 kantor):</b>\n• Satpol PP (belum pernah terbit)\n" \
           "• Dinas Pendidikan (31 hari)" in text
    assert "<b>Tepat waktu terendah:</b>\n🔴 1. Dinas Pendidikan — 33% (3 tahap)\n" \
           "🟡 2. Dinas Kesehatan — 83% (6 tahap)\n🟢 3. Bappeda — 100% (3 tahap)" in text
    assert "Kecamatan Utara" not in text  # not stale, no finished steps
    assert "lainnya" not in text
    assert tags(text) == {"b"}


def test_summary_when_every_office_published_lately():
    pf = pemda_figures(LINES[:1], period=PERIOD, now=NOW, tz=JKT)
    text = render_pemda_summary(pf)
    assert "✅ Semua kantor menerbitkan dalam 30 hari terakhir." in text
    assert "🟡 1. Dinas Kesehatan — 83% (6 tahap)" in text
    assert render_pemda_summary(pemda_figures([], period=PERIOD, now=NOW, tz=JKT)).splitlines()[1] == \
        "Belum ada kantor yang terdaftar."


def test_summary_fits_one_message_with_40_offices_of_long_names():
    pf = many_offices(40)
    assert len(pf.stale_rows) == 9 + 5  # every third office: 45 days, or never published (every ninth)
    text = render_pemda_summary(pf)
    assert telegram_length(text) <= 4096 and len(text) <= 4096
    assert "<b>Kantor" not in text and "&lt;b&gt;Kantor 00&lt;/b&gt; &amp; Dinas" in text
    assert tags(text) == {"b"}  # the names' markup is text, not tags
    assert text.count("\n• ") == 14 and "lainnya" not in text
    assert "(belum pernah terbit)" in text and "(45 hari)" in text
    assert text.count("Tepat waktu terendah") == 1 and text.endswith("Rincian per kantor ada di berkas Excel.")


def test_summary_names_at_most_20_stale_offices():
    lines = [office(i, f"<b>Dinas {i:02d}</b> " + "x" * 110, last=None) for i in range(40)]
    text = render_pemda_summary(pemda_figures(lines, period=PERIOD, now=NOW, tz=JKT))
    assert telegram_length(text) <= 4096
    assert text.count("\n• ") == 20 and "… dan 20 kantor lainnya" in text
    assert "Tanpa terbitan 30 hari terakhir (40 kantor)" in text
    assert tags(text) == {"b"}


def test_summary_shortens_the_stale_list_to_the_telegram_limit():
    # Names that escape to five times their length: without a limit they would not fit.
    lines = [office(i, "&" * 120, last=None) for i in range(40)]
    pf = pemda_figures(lines, period=PERIOD, now=NOW, tz=JKT)
    text = render_pemda_summary(pf)
    assert telegram_length(text) <= 4096
    named = text.count("\n• ")
    assert 0 < named < 20
    assert f"… dan {40 - named} kantor lainnya" in text


def test_the_report_date_is_local():
    # 05:00 WIB on 1 December is still 30 November in UTC; the workbook says the day people saw.
    early = J(2026, 12, 1, 5, 0).astimezone(ZoneInfo("UTC"))
    ws = load(pemda_figures(LINES, period=PERIOD, now=early, tz=JKT))["Rekap Pemda"]
    assert "data per 1 Desember 2026" in ws["A2"].value
