"""The report as an XLSX workbook (openpyxl): sheets "Ringkasan" and "Rincian".

Times are working minutes (rounded to 0.1); datetimes are local to the
calendar's zone and written without zone (Excel has none).
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain import labels
from domain.standard_times import Step
from reports import texts
from reports.figures import ReportFigures

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is rendered
    from openpyxl.worksheet.worksheet import Worksheet


def minutes(td: timedelta | None) -> float | None:
    return None if td is None else round(td.total_seconds() / 60, 1)


def detail_headers() -> list[str]:
    return [
        *texts.XLSX_DETAIL_HEADERS_HEAD,
        *(texts.XLSX_DETAIL_STEP_HEADER.format(number=s.number, label=s.label) for s in Step),
        *texts.XLSX_DETAIL_HEADERS_TAIL,
    ]


def render_xlsx(fig: ReportFigures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    tz = fig.calendar.tz
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    late_fill = PatternFill("solid", fgColor="F8CBAD")

    def local(dt: datetime | None) -> datetime | None:
        return None if dt is None else dt.astimezone(tz).replace(tzinfo=None)

    def header(ws: Worksheet, row: int, values: Iterable[str]) -> None:
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=col, value=v)
            c.font = bold
            c.fill = head_fill
            c.alignment = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()

    # ---------------------------------------------------------- Ringkasan
    ws = wb.active
    ws.title = texts.XLSX_SUMMARY_SHEET
    ws.cell(row=1, column=1, value=f"{labels.REPORT_TITLE} — {fig.period.label}").font = title_font
    L = texts.XLSX_SUMMARY_ROWS
    totals = [
        (L["period"], fig.period.label),
        (L["from"], local(fig.period.start)),
        (L["until"], local(fig.period.end)),
        (L["total"], fig.total),
        (L["published"], fig.published),
        (L["returned"], fig.returned),
        (L["return_rounds"], fig.return_rounds),
        (L["withdrawn"], fig.withdrawn),
        (L["cancelled"], fig.cancelled),
        (L["in_progress"], fig.in_progress),
    ]
    row = 3
    for label, value in totals:
        ws.cell(row=row, column=1, value=label).font = bold
        c = ws.cell(row=row, column=2, value=value)
        if isinstance(value, datetime):
            c.number_format = "yyyy-mm-dd hh:mm"
        row += 1

    row += 1
    ws.cell(row=row, column=1, value=texts.XLSX_STEP_TITLE).font = title_font
    row += 1
    header(ws, row, texts.XLSX_STEP_HEADERS)
    for sf in fig.steps:
        row += 1
        share = sf.share_on_time
        values = [sf.step.number, sf.step.label, minutes(sf.standard), sf.count,
                  minutes(sf.median), minutes(sf.p90), sf.on_time, sf.late,
                  None if share is None else round(share, 4), sf.open]
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=col, value=v)
            if col == 9:
                c.number_format = "0%"
        if sf.median is not None and sf.median > sf.standard:
            ws.cell(row=row, column=5).fill = late_fill
        if sf.p90 is not None and sf.p90 > sf.standard:
            ws.cell(row=row, column=6).fill = late_fill

    row += 2
    ws.cell(row=row, column=1, value=texts.XLSX_SECTION_TITLE).font = title_font
    row += 1
    header(ws, row, texts.XLSX_SECTION_HEADERS)
    for section, n in fig.per_section.items():
        row += 1
        ws.cell(row=row, column=1, value=section)
        ws.cell(row=row, column=2, value=n)
        ws.cell(row=row, column=3, value=fig.per_section_published.get(section, 0))

    row += 2
    ws.cell(row=row, column=1, value=texts.XLSX_KIND_TITLE).font = title_font
    row += 1
    header(ws, row, texts.XLSX_KIND_HEADERS)
    for kind, n in fig.per_kind.items():
        row += 1
        ws.cell(row=row, column=1, value=labels.kind_label(kind))
        ws.cell(row=row, column=2, value=n)

    row += 2
    ws.cell(row=row, column=1, value=texts.XLSX_SLOW_TITLE).font = title_font
    row += 1
    header(ws, row, texts.XLSX_SLOW_HEADERS)
    for item in fig.slowest:
        row += 1
        values = [item.rank, str(item.id), item.title, item.section, minutes(item.total),
                  labels.format_working(item.total, fig.calendar), local(item.published_at)]
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=col, value=v)
            if isinstance(v, datetime):
                c.number_format = "yyyy-mm-dd hh:mm"

    for letter, width in zip("ABCDEFGHIJ", (28, 30, 16, 14, 14, 14, 18, 11, 13, 13), strict=True):
        ws.column_dimensions[letter].width = width

    # ------------------------------------------------------------ Rincian
    wd = wb.create_sheet(texts.XLSX_DETAIL_SHEET)
    heads = detail_headers()
    header(wd, 1, heads)
    step_col0 = len(texts.XLSX_DETAIL_HEADERS_HEAD) + 1
    for i, rr in enumerate(fig.rows, start=2):
        r = rr.record
        values = [
            str(r.id), r.title, r.section, labels.kind_label(r.kind), local(r.created_at),
            labels.state_label(r.final_state), r.rounds_returned, texts.YES if r.is_withdrawn else texts.NO,
            *(minutes(rr.step_times.get(s)) for s in Step),
            minutes(rr.total_to_publication), local(rr.published_at),
            ", ".join(s.label for s in rr.open_steps) or None,
        ]
        for col, v in enumerate(values, start=1):
            c = wd.cell(row=i, column=col, value=v)
            if isinstance(v, datetime):
                c.number_format = "yyyy-mm-dd hh:mm"
        for j, s in enumerate(Step):
            took = rr.step_times.get(s)
            if took is not None and took > fig.standards[s]:
                wd.cell(row=i, column=step_col0 + j).fill = late_fill
    wd.freeze_panes = "C2"
    widths = [10, 40, 18, 16, 17, 18, 12, 9] + [14] * len(Step) + [16, 17, 24]
    for col, width in enumerate(widths, start=1):
        wd.column_dimensions[get_column_letter(col)].width = width
    wd.row_dimensions[1].height = 45
    if fig.rows:
        wd.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{len(fig.rows) + 1}"

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
