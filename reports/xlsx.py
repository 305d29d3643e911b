"""The report as an XLSX workbook (openpyxl): sheets "Ringkasan" and "Rincian".

Times are working minutes (rounded to 0.1); datetimes are local to the
calendar's zone and written without zone (Excel has none).
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from domain import labels
from domain.sop_clock import ClockStatus
from domain.standard_times import Step
from reports import texts
from reports.figures import RecordRow, ReportFigures
from reports.models import CANCELLED_STATES

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is rendered
    from openpyxl.worksheet.worksheet import Worksheet


def minutes(td: timedelta | None) -> float | None:
    return None if td is None else round(td.total_seconds() / 60, 1)


def numeric_id(value: int | str) -> int | str:
    """A submission's number as a number (so Excel sorts and sums it), else as it is."""
    return int(value) if str(value).isdigit() else value


def step_note(rr: RecordRow, step: Step, archived: bool = True) -> str | None:
    """Why a submission has no time for ``step`` (None when it has one)."""
    if step in rr.step_times:
        return None
    if step in rr.open_steps:
        return texts.WHY_RUNNING
    if step is Step.CONVERT:
        return texts.WHY_NO_CONVERSION
    if step is Step.DRAFT and rr.record.rounds_returned == 0:
        # The first round's drafting is part of the same conversation as collecting the material.
        return texts.WHY_WITH_COLLECT
    reached = any(s.number > step.number for s in [*rr.step_times, *rr.open_steps])
    if reached:  # a later step has a time: this one was passed without a record of its own
        return texts.WHY_NOT_RECORDED
    if step is Step.ARCHIVE and rr.published_at is not None and not archived:
        return texts.WHY_NO_ARCHIVE
    if str(rr.record.final_state) in CANCELLED_STATES:
        return texts.WHY_CANCELLED
    if rr.record.rounds_returned and str(rr.record.final_state) in ("dikembalikan", "draf"):
        return texts.WHY_RETURNED
    return texts.WHY_NOT_YET


def print_setup(ws: Worksheet, title_rows: str | None) -> None:
    """Landscape, one page wide (as many pages tall as needed), the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


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

    def day(dt: datetime) -> date:
        return dt.astimezone(tz).date()

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
        (L["from"], day(fig.period.start)),
        # The period ends at the next midnight (exclusive): people read its last day.
        (L["until"], day(fig.period.end - timedelta(microseconds=1))),
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
        if isinstance(value, date):
            c.number_format = "dd-mm-yyyy"
        row += 1

    row += 1
    ws.cell(row=row, column=1, value=texts.XLSX_STEP_TITLE).font = title_font
    row += 1
    ws.cell(row=row, column=1, value=texts.XLSX_COLOUR_RULE).font = Font(italic=True)
    row += 1
    header(ws, row, texts.XLSX_STEP_HEADERS)
    on_time_fills = {ClockStatus.ON_TIME: PatternFill("solid", fgColor="C6EFCE"),
                     ClockStatus.DUE_SOON: PatternFill("solid", fgColor="FFEB9C"), ClockStatus.LATE: late_fill}
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
                if sf.share_status is not None:  # the step's colour, by the share on time
                    c.fill = on_time_fills[sf.share_status]
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
        values = [item.rank, numeric_id(item.id), item.title, item.section, minutes(item.total),
                  labels.format_working(item.total, fig.calendar), local(item.published_at)]
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=col, value=v)
            if isinstance(v, datetime):
                c.number_format = "yyyy-mm-dd hh:mm"

    for letter, width in zip("ABCDEFGHIJ", (28, 30, 16, 14, 14, 14, 18, 11, 13, 13), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    print_setup(ws, "1:1")

    # ------------------------------------------------------------ Rincian
    wd = wb.create_sheet(texts.XLSX_DETAIL_SHEET)
    heads = detail_headers()
    header(wd, 1, heads)
    step_col0 = len(texts.XLSX_DETAIL_HEADERS_HEAD) + 1
    archived = any(Step.ARCHIVE in rr.step_times or Step.ARCHIVE in rr.open_steps for rr in fig.rows)
    for i, rr in enumerate(fig.rows, start=2):
        r = rr.record
        notes = {s: step_note(rr, s, archived) for s in Step}
        values = [
            numeric_id(r.id), r.title, r.section, labels.kind_label(r.kind), local(r.created_at),
            labels.state_label(r.final_state), r.rounds_returned, texts.YES if r.is_withdrawn else texts.NO,
            *(texts.NO_TIME if s not in rr.step_times else minutes(rr.step_times[s]) for s in Step),
            minutes(rr.total_to_publication), local(rr.published_at),
            ", ".join(s.label for s in rr.open_steps) or None,
            r.comments, minutes(rr.to_first_comment) if rr.to_first_comment is not None else None,
            "; ".join(texts.NOTE_LINE.format(number=s.number, label=s.label, why=why)
                      for s, why in notes.items() if why) or None,
        ]
        for col, v in enumerate(values, start=1):
            c = wd.cell(row=i, column=col, value=v)
            if isinstance(v, datetime):
                c.number_format = "yyyy-mm-dd hh:mm"
            if v == texts.NO_TIME:
                c.alignment = Alignment(horizontal="center")
        wd.cell(row=i, column=len(values)).alignment = Alignment(wrap_text=True, vertical="top")
        for j, s in enumerate(Step):
            took = rr.step_times.get(s)
            if took is not None and took > fig.standards[s]:
                wd.cell(row=i, column=step_col0 + j).fill = late_fill
    wd.freeze_panes = "C2"
    widths = [8, 40, 18, 16, 17, 18, 12, 9] + [12] * len(Step) + [14, 17, 24, 10, 14, 48]
    for col, width in enumerate(widths, start=1):
        wd.column_dimensions[get_column_letter(col)].width = width
    wd.row_dimensions[1].height = 45
    print_setup(wd, "1:1")
    if fig.rows:
        wd.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{len(fig.rows) + 1}"

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
