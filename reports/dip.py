"""The Daftar Informasi Publik (PerKI 1/2021) as an XLSX workbook.

Pure code: rows come from services/writing/kip.py; openpyxl is imported only when rendering."""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Protocol

from domain import labels
from domain.kip import KipClass
from texts.id import kip as K


class DipRow(Protocol):
    """What a row needs (services.writing.kip.DipEntry has it)."""

    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def approved_by(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def published_at(self) -> datetime: ...
    @property
    def formats(self) -> tuple[str, ...]: ...
    @property
    def kip_class(self) -> str: ...
    @property
    def withdrawn(self) -> bool: ...


def dip_values(rows: Sequence[DipRow], *, tz: tzinfo, place: str, retention: str) -> list[list[object]]:
    """The table's rows as plain values (also what the tests read back)."""
    out: list[list[object]] = []
    for n, r in enumerate(rows, start=1):
        created = r.created_at.astimezone(tz)
        when = labels.format_date(created.date())
        summary = r.title if not r.summary else f"{r.title} — {r.summary}"
        out.append([
            n,
            summary,
            r.section,
            r.approved_by,
            K.XLSX_WHEN_WHERE.format(when=when, where=place) if place else when,
            K.XLSX_FORMATS.format(formats=", ".join(r.formats)),
            retention,
            KipClass(r.kip_class).label,
            r.kind,
            r.published_at.astimezone(tz).replace(tzinfo=None),
            K.XLSX_WITHDRAWN if r.withdrawn else K.XLSX_LIVE,
        ])
    return out


class ExemptionRow(Protocol):
    """The exemption's record (PerKI 1/2017) a DIK row shows: ground, reason, period."""

    @property
    def ground(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def years(self) -> int | None: ...
    @property
    def until(self) -> date | None: ...


class DikRow(Protocol):
    """What an excepted item's row needs (services.writing.kip.DikEntry has it): never its content."""

    @property
    def submission_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def classed_by(self) -> str: ...
    @property
    def classed_at(self) -> datetime | None: ...
    @property
    def exemption(self) -> ExemptionRow | None: ...


def _record(x: ExemptionRow | None) -> list[object]:
    if x is None:
        return [K.DIK_NO_RECORD] * 3
    return [K.ground_label(x.ground), x.reason, K.period_label(x.years, x.until)]


def dik_values(rows: Sequence[DikRow], *, tz: tzinfo) -> list[list[object]]:
    """The excepted items' rows as plain values: number, kind, section, who classed it, when, and the
    exemption's record next to it (ground, reason, period)."""
    return [[n, r.submission_id, r.kind, r.section or K.DIK_UNKNOWN, r.classed_by or K.DIK_UNKNOWN,
             r.classed_at.astimezone(tz).replace(tzinfo=None) if r.classed_at is not None else K.DIK_UNKNOWN,
             *_record(r.exemption)]
            for n, r in enumerate(rows, start=1)]


def render_dip(rows: Sequence[DipRow], *, period_label: str, tz: tzinfo, place: str, retention: str,
               excepted: Sequence[DikRow] = ()) -> bytes:
    """The workbook: a title, the period, the header row and one row per published item; a second
    sheet lists the excepted items without their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = K.XLSX_SHEET
    ws.append([K.XLSX_TITLE])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([K.XLSX_PERIOD.format(period=period_label)])
    ws.append(list(K.XLSX_HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="DDDDDD")
    for values in dip_values(rows, tz=tz, place=place, retention=retention):
        ws.append(values)
        if values[-1] == K.XLSX_WITHDRAWN:  # withdrawn items stay listed, shaded
            for cell in ws[ws.max_row]:
                cell.fill = grey
        ws.cell(ws.max_row, 10).number_format = "yyyy-mm-dd hh:mm"
    widths = (5, 60, 25, 30, 30, 25, 16, 14, 18, 17, 12)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + i)].width = w
    ws.freeze_panes = "A4"

    dik = wb.create_sheet(K.DIK_SHEET)
    dik.append([K.DIK_TITLE])
    dik["A1"].font = Font(bold=True, size=14)
    dik.append([K.XLSX_PERIOD.format(period=period_label)])
    dik.append([K.DIK_NOTE])
    dik.append(list(K.DIK_HEADERS))
    for cell in dik[4]:
        cell.font = Font(bold=True)
    for values in dik_values(excepted, tz=tz):
        dik.append(values)
        dik.cell(dik.max_row, 6).number_format = "yyyy-mm-dd hh:mm"
    for i, w in enumerate((5, 16, 18, 25, 30, 20, 40, 60, 22), start=1):
        dik.column_dimensions[chr(64 + i)].width = w
    dik.freeze_panes = "A5"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
