"""The pemda roll-up (``/laporan pemda``): every office of one deployment side by side, for Diskominfo.

Pure code, like the rest of :mod:`reports`: the caller gathers one :class:`OfficeLine` per office
(its month computed by :func:`reports.figures.compute` against its *own* standard times, its DIP
rows, its last publication ever) and gets back a workbook, a chart and a chat message.

    pf = pemda_figures(lines, period=period, now=clock.now(), tz=calendar.tz)
    xlsx, png, html = render_pemda_xlsx(pf), render_pemda_chart(pf), render_pemda_summary(pf)

Stale: an office is stale when it published nothing in the last ``stale_days`` calendar days
(today included, in ``tz``), i.e. when ``days_since_published >= stale_days``; an office that
never published is stale.

Order of the rows, the offices that need attention first:

1. stale offices: never published first, then the longest without a publication, then (as days
   tie) by share on time as below;
2. then the others, by share of finished steps on time, lowest first.

An office without a finished step (share ``None``) comes after those with a share: without
finished steps there is no speed to judge, and what there is to see (it published nothing
lately, or received nothing) is already said by group 1 or by its zero submissions.
Ties go by name (case-insensitive), then office id, so the order never depends on the input's.
"""
from __future__ import annotations

import html
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from domain import labels
from domain.sop_clock import ClockStatus
from domain.standard_times import Step
from reports import texts
from reports.chart import COLORS, DPI, _wrap  # _wrap: both charts shorten long names alike
from reports.figures import SHARE_GREEN, SHARE_YELLOW, ReportFigures, StepFigures
from reports.period import Period
from reports.xlsx import minutes, print_setup

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is rendered
    from openpyxl.worksheet.worksheet import Worksheet

STALE_DAYS = 30
#: Telegram's limit for one message, in UTF-16 code units (an emoji counts twice).
TELEGRAM_LIMIT = 4096
LOWEST_N = 3
#: Stale offices named in the chat at most; the workbook names them all.
MAX_STALE_NAMED = 20
SUMMARY_NAME_MAX = 60

# The monthly workbook's colours (reports/xlsx.py), so both read the same.
HEAD_FILL, GREEN_FILL, YELLOW_FILL, RED_FILL = "DDEBF7", "C6EFCE", "FFEB9C", "F8CBAD"
#: The rekap sheet: title, subtitle, colour rule, a blank row, then the header row.
HEAD_ROW = 5

#: Chart geometry, in pixels at reports.chart.DPI: the bars' block grows with the offices.
CHART_WIDTH = 1200
CHART_HEAD_PX, CHART_FOOT_PX, CHART_ROW_PX = 260, 200, 62
CHART_MIN_ROWS = 4


# ------------------------------------------------------------------ figures

@dataclass(frozen=True)
class OfficeLine:
    """One office's input, gathered by the caller."""

    office_id: int
    name: str
    figures: ReportFigures  # the office's period, against its own standard times
    dip_rows: int  # rows in its Daftar Informasi Publik for the period
    last_published_at: datetime | None  # ever, not only in the period


def share_status(share: float | None) -> ClockStatus | None:
    """A share's colour by the monthly report's thresholds (as :attr:`StepFigures.share_status`)."""
    if share is None:
        return None
    if share >= SHARE_GREEN:
        return ClockStatus.ON_TIME
    return ClockStatus.DUE_SOON if share >= SHARE_YELLOW else ClockStatus.LATE


def _share(on_time: int, finished: int) -> float | None:
    return on_time / finished if finished else None


@dataclass(frozen=True)
class PemdaRow:
    office_id: int
    name: str
    submitted: int  # figures.total
    published: int
    returned: int
    steps: tuple[StepFigures, ...]  # SOP order, all seven, against the office's own standards
    finished: int  # finished step spans, all steps together
    on_time: int
    dip_rows: int
    last_published_at: datetime | None
    days_since_published: int | None  # calendar days in the report's zone; None: never published
    stale: bool

    @property
    def share_on_time(self) -> float | None:
        """Finished steps on time over finished steps (None without any)."""
        return _share(self.on_time, self.finished)

    @property
    def share_status(self) -> ClockStatus | None:
        return share_status(self.share_on_time)

    def step(self, step: Step | str) -> StepFigures:
        return self.steps[Step(step).number - 1]


@dataclass(frozen=True)
class PemdaTotals:
    offices: int
    submitted: int
    published: int
    returned: int
    finished: int
    on_time: int
    dip_rows: int
    stale: int  # offices

    @property
    def share_on_time(self) -> float | None:
        """Over every finished step of every office (an office's weight is its number of steps)."""
        return _share(self.on_time, self.finished)

    @property
    def share_status(self) -> ClockStatus | None:
        return share_status(self.share_on_time)


@dataclass(frozen=True)
class PemdaFigures:
    period: Period
    now: datetime
    tz: tzinfo
    stale_days: int
    rows: tuple[PemdaRow, ...]  # attention first (see the module's docstring)
    totals: PemdaTotals

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def stale_rows(self) -> tuple[PemdaRow, ...]:
        return tuple(r for r in self.rows if r.stale)

    def lowest(self, n: int = LOWEST_N) -> tuple[PemdaRow, ...]:
        """The ``n`` offices with the lowest share on time (offices without finished steps left out)."""
        measured = [r for r in self.rows if r.share_on_time is not None]
        measured.sort(key=lambda r: (r.share_on_time, r.name.casefold(), r.office_id))
        return tuple(measured[:n])


def days_since(last: datetime | None, now: datetime, tz: tzinfo) -> int | None:
    """Calendar days from ``last`` to ``now`` in ``tz`` (0 the same day); None when never."""
    if last is None:
        return None
    # A publication stamped a little after "now" (clocks of two machines) is today's.
    return max(0, (now.astimezone(tz).date() - last.astimezone(tz).date()).days)


def _row(line: OfficeLine, now: datetime, tz: tzinfo, stale_days: int) -> PemdaRow:
    fig = line.figures
    days = days_since(line.last_published_at, now, tz)
    return PemdaRow(
        office_id=line.office_id,
        name=line.name,
        submitted=fig.total,
        published=fig.published,
        returned=fig.returned,
        steps=fig.steps,
        finished=sum(sf.count for sf in fig.steps),
        on_time=sum(sf.on_time for sf in fig.steps),
        dip_rows=line.dip_rows,
        last_published_at=line.last_published_at,
        days_since_published=days,
        stale=days is None or days >= stale_days,
    )


def attention_key(row: PemdaRow) -> tuple[object, ...]:
    """Sort key: the offices that need attention first (the rule is in the module's docstring)."""
    share = row.share_on_time
    days = math.inf if row.days_since_published is None else row.days_since_published
    return (
        not row.stale,
        -days if row.stale else 0,
        share is None,
        0.0 if share is None else share,
        row.name.casefold(),
        row.office_id,
    )


def _totals(rows: Sequence[PemdaRow]) -> PemdaTotals:
    return PemdaTotals(
        offices=len(rows),
        submitted=sum(r.submitted for r in rows),
        published=sum(r.published for r in rows),
        returned=sum(r.returned for r in rows),
        finished=sum(r.finished for r in rows),
        on_time=sum(r.on_time for r in rows),
        dip_rows=sum(r.dip_rows for r in rows),
        stale=sum(1 for r in rows if r.stale),
    )


def pemda_figures(
    lines: Iterable[OfficeLine],
    *,
    period: Period,
    now: datetime,
    tz: tzinfo,
    stale_days: int = STALE_DAYS,
) -> PemdaFigures:
    """Every office's row, attention first, and the pemda's totals.

    Raises ``ValueError`` for a naive ``now``, ``stale_days`` below 1, an office listed twice or an
    office's figures computed for another period: each would make the rekap quietly wrong.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if stale_days < 1:
        raise ValueError(f"stale_days must be at least 1, got {stale_days}")
    lines = list(lines)
    seen: set[int] = set()
    for line in lines:
        if line.office_id in seen:
            raise ValueError(f"office {line.office_id} is listed twice")
        seen.add(line.office_id)
        if tuple(line.figures.period) != tuple(period):
            raise ValueError(f"office {line.office_id}: figures for {line.figures.period.label}, "
                             f"not {period.label}")
    rows = sorted((_row(line, now, tz, stale_days) for line in lines), key=attention_key)
    return PemdaFigures(period=period, now=now, tz=tz, stale_days=stale_days, rows=tuple(rows),
                        totals=_totals(rows))


# ---------------------------------------------------------------- workbook

def _num(value: float) -> str:
    """``30``, ``7,5``: a number of minutes as people write it."""
    return f"{value:g}".replace(".", ",")


def step_standard_label(pf: PemdaFigures, step: Step) -> str:
    """The step's standard in minutes for a header: one number, or the range when offices differ."""
    values = sorted({minutes(r.step(step).standard) or 0.0 for r in pf.rows}) or [minutes(step.default) or 0.0]
    if len(values) == 1:
        return _num(values[0])
    return texts.PEMDA_XLSX_STANDARD_RANGE.format(low=_num(values[0]), high=_num(values[-1]))


def pemda_headers(pf: PemdaFigures) -> list[str]:
    """The rekap sheet's header row: the office's columns, then median and p90 of each step."""
    heads = list(texts.PEMDA_XLSX_HEADERS.values())
    for s in Step:
        std = step_standard_label(pf, s)
        for measure in (texts.PEMDA_XLSX_MEDIAN, texts.PEMDA_XLSX_P90):
            heads.append(texts.PEMDA_XLSX_STEP_HEADER.format(
                number=s.number, label=s.label, measure=measure, standard=std))
    return heads


def stale_flag(row: PemdaRow, stale_days: int) -> str | None:
    if not row.stale:
        return None
    if row.last_published_at is None:
        return texts.PEMDA_NEVER
    return texts.PEMDA_STALE.format(days=stale_days)


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


def pemda_values(pf: PemdaFigures, n: int, row: PemdaRow) -> list[object]:
    """One office's cells, in the order of :func:`pemda_headers` (also what the tests read back)."""
    last = row.last_published_at
    values: list[object] = [
        n, row.name, row.submitted, row.published, row.returned, row.finished,
        _rounded(row.share_on_time), row.dip_rows,
        texts.PEMDA_XLSX_NEVER if last is None else last.astimezone(pf.tz).replace(tzinfo=None),
        row.days_since_published, stale_flag(row, pf.stale_days),
    ]
    for sf in row.steps:
        values += [minutes(sf.median), minutes(sf.p90)]
    return values


def totals_values(pf: PemdaFigures) -> list[object]:
    t = pf.totals
    values: list[object] = [
        None, texts.PEMDA_XLSX_TOTAL.format(offices=t.offices), t.submitted, t.published, t.returned,
        t.finished, _rounded(t.share_on_time), t.dip_rows, None, None,
        texts.PEMDA_XLSX_TOTAL_STALE.format(stale=t.stale, days=pf.stale_days),
    ]
    # Medians do not add up: the totals row leaves the step columns empty (the help sheet says so).
    return values + [None] * (2 * len(Step))


_COLUMN_WIDTHS = (5, 34, 11, 9, 13, 10, 11, 9, 12, 11, 24)
_STEP_COLUMN_WIDTH = 13
_SHARE_COL = list(texts.PEMDA_XLSX_HEADERS).index("share") + 1
_LAST_COL = list(texts.PEMDA_XLSX_HEADERS).index("last") + 1
_DAYS_COL = list(texts.PEMDA_XLSX_HEADERS).index("days") + 1
_FLAG_COL = list(texts.PEMDA_XLSX_HEADERS).index("flag") + 1
_STEP_COL0 = len(texts.PEMDA_XLSX_HEADERS) + 1


def _fills() -> dict[ClockStatus | str, object]:
    from openpyxl.styles import PatternFill

    return {
        ClockStatus.ON_TIME: PatternFill("solid", fgColor=GREEN_FILL),
        ClockStatus.DUE_SOON: PatternFill("solid", fgColor=YELLOW_FILL),
        ClockStatus.LATE: PatternFill("solid", fgColor=RED_FILL),
        "head": PatternFill("solid", fgColor=HEAD_FILL),
    }


def _header(ws: Worksheet, row: int, values: Iterable[str]) -> None:
    from openpyxl.styles import Alignment, Font

    fill = _fills()["head"]
    for col, v in enumerate(values, start=1):
        c = ws.cell(row=row, column=col, value=v)
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(wrap_text=True, vertical="top")


def _office_row(ws: Worksheet, at: int, values: list[object], row: PemdaRow | None,
                fills: dict[ClockStatus | str, object]) -> None:
    """Write one row; colour it against ``row``'s own standards (None: the totals row)."""
    for col, v in enumerate(values, start=1):
        c = ws.cell(row=at, column=col, value=v)
        if col == _SHARE_COL:
            c.number_format = "0%"
        if col == _LAST_COL and isinstance(v, datetime):
            c.number_format = "dd-mm-yyyy"
    if row is None:
        return
    if row.share_status is not None:
        ws.cell(row=at, column=_SHARE_COL).fill = fills[row.share_status]
    if row.stale:
        for col in (_DAYS_COL, _FLAG_COL):
            ws.cell(row=at, column=col).fill = fills[ClockStatus.LATE]
    for j, sf in enumerate(row.steps):
        for k, took in enumerate((sf.median, sf.p90)):
            if took is not None and took > sf.standard:
                ws.cell(row=at, column=_STEP_COL0 + 2 * j + k).fill = fills[ClockStatus.LATE]


def _rekap_sheet(ws: Worksheet, pf: PemdaFigures) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.title = texts.PEMDA_XLSX_SHEET
    ws.cell(row=1, column=1, value=f"{texts.PEMDA_TITLE} — {pf.period.label}").font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=texts.PEMDA_XLSX_SUBTITLE.format(
        offices=pf.totals.offices, now=labels.format_date(pf.now.astimezone(pf.tz).date())))
    ws.cell(row=3, column=1, value=texts.PEMDA_XLSX_COLOUR_RULE).font = Font(italic=True)
    heads = pemda_headers(pf)
    fills = _fills()
    _header(ws, HEAD_ROW, heads)
    ws.row_dimensions[HEAD_ROW].height = 75
    at = HEAD_ROW
    for n, row in enumerate(pf.rows, start=1):
        at += 1
        _office_row(ws, at, pemda_values(pf, n, row), row, fills)
    at += 1
    _office_row(ws, at, totals_values(pf), None, fills)
    for col in range(1, len(heads) + 1):
        ws.cell(row=at, column=col).font = Font(bold=True)
    if pf.totals.share_status is not None:
        ws.cell(row=at, column=_SHARE_COL).fill = fills[pf.totals.share_status]

    widths = [*_COLUMN_WIDTHS, *([_STEP_COLUMN_WIDTH] * (2 * len(Step)))]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"C{HEAD_ROW + 1}"
    if pf.rows:  # the offices only: the totals row stays last whatever the reader sorts by
        ws.auto_filter.ref = f"A{HEAD_ROW}:{get_column_letter(len(heads))}{HEAD_ROW + len(pf.rows)}"
    print_setup(ws, f"{HEAD_ROW}:{HEAD_ROW}")


def _help_sheet(ws: Worksheet, pf: PemdaFigures) -> None:
    from openpyxl.styles import Alignment, Font

    _header(ws, 1, texts.PEMDA_XLSX_HELP_HEADERS)
    for i, (column, text) in enumerate(texts.PEMDA_XLSX_HELP, start=2):
        ws.cell(row=i, column=1, value=column).font = Font(bold=True)
        c = ws.cell(row=i, column=2, value=text.format(days=pf.stale_days))
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=i, column=1).alignment = Alignment(vertical="top")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    ws.freeze_panes = "A2"
    print_setup(ws, "1:1")


def _standards_sheet(ws: Worksheet, pf: PemdaFigures) -> None:
    from openpyxl.utils import get_column_letter

    heads = [texts.PEMDA_XLSX_HEADERS["name"],
             *(texts.PEMDA_XLSX_STANDARDS_HEADER.format(number=s.number, label=s.label) for s in Step)]
    _header(ws, 1, heads)
    for i, row in enumerate(pf.rows, start=2):
        ws.cell(row=i, column=1, value=row.name)
        for j, sf in enumerate(row.steps, start=2):
            ws.cell(row=i, column=j, value=minutes(sf.standard))
    ws.column_dimensions["A"].width = 34
    for col in range(2, len(heads) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"
    print_setup(ws, "1:1")


def render_pemda_xlsx(pf: PemdaFigures) -> bytes:
    """Sheets "Rekap Pemda" (one row per office and the totals), "Penjelasan" (each column in plain
    Indonesian) and "Standar per Kantor" (each office's standard times, since they may differ)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has its first sheet
    _rekap_sheet(ws, pf)
    _help_sheet(wb.create_sheet(texts.PEMDA_XLSX_HELP_SHEET), pf)
    _standards_sheet(wb.create_sheet(texts.PEMDA_XLSX_STANDARDS_SHEET), pf)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------- chart

def chart_height(offices: int) -> int:
    """Pixels: a fixed head and foot, and one row per office (a phone scrolls; the text stays legible)."""
    return CHART_HEAD_PX + CHART_FOOT_PX + CHART_ROW_PX * max(offices, CHART_MIN_ROWS)


def _bar_label(row: PemdaRow) -> str:
    share = row.share_on_time
    text = texts.PEMDA_CHART_NO_DATA if share is None else f"{round(share * 100)}%"
    if not row.stale:
        return text
    if row.days_since_published is None:
        return f"{text}   {texts.PEMDA_CHART_NEVER_NOTE}"
    return f"{text}   {texts.PEMDA_CHART_STALE_NOTE.format(days=row.days_since_published)}"


def render_pemda_chart(pf: PemdaFigures, *, width: int = CHART_WIDTH) -> bytes:
    """One horizontal bar per office (share of finished steps on time), attention first, as in the workbook.

    matplotlib's object API on the Agg canvas, as :mod:`reports.chart` (no pyplot, no global state).
    The head and foot keep their pixels whatever the height, so 4 offices and 40 read alike.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    height = chart_height(len(pf.rows))

    def top(px: float) -> float:  # a figure coordinate, ``px`` pixels from the top
        return 1 - px / height

    def bottom(px: float) -> float:
        return px / height

    f = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(f)
    f.suptitle(f"{texts.PEMDA_TITLE}\n{pf.period.label}", fontsize=15, fontweight="bold", y=top(16), va="top")
    f.text(0.5, top(118), texts.PEMDA_CHART_TITLE, ha="center", va="top", fontsize=12)
    f.legend(
        handles=[Patch(color=COLORS[ClockStatus.ON_TIME], label="≥ 90%"),
                 Patch(color=COLORS[ClockStatus.DUE_SOON], label="≥ 70%"),
                 Patch(color=COLORS[ClockStatus.LATE], label="< 70%"),
                 Patch(color=COLORS[None], label=texts.PEMDA_CHART_LEGEND_NONE)],
        loc="upper center", bbox_to_anchor=(0.5, top(150)), ncol=4, fontsize=9, frameon=False,
        handlelength=1.2, columnspacing=1.2,
    )
    left, right = 0.36, 0.95
    ax = f.add_axes((left, bottom(CHART_FOOT_PX), right - left, top(CHART_HEAD_PX) - bottom(CHART_FOOT_PX)))

    rows = pf.rows
    ys = list(range(len(rows)))
    shares = [0.0 if r.share_on_time is None else r.share_on_time * 100 for r in rows]
    ax.barh(ys, shares, height=0.7, color=[COLORS[r.share_status] for r in rows], zorder=2)
    for y, row, share in zip(ys, rows, shares):
        # A long bar carries its figure inside, so no text runs off the picture.
        inside = share > 55
        ax.text(share - 1 if inside else share + 1, y, _bar_label(row), va="center",
                ha="right" if inside else "left", fontsize=9, zorder=3,
                color="white" if inside else "#b00020" if row.stale else "#333333",
                fontweight="bold" if row.stale else "normal")
    names = [(f"{texts.PEMDA_CHART_STALE_MARK} " if r.stale else "") + _wrap(r.name, 30) for r in rows]
    ax.set_yticks(ys, names, fontsize=9)
    for tick, row in zip(ax.get_yticklabels(), rows):
        if row.stale:
            tick.set_color("#b00020")
    if not rows:
        ax.set_yticks([])
        ax.text(0.5, 0.5, texts.PEMDA_NO_OFFICES, ha="center", va="center", transform=ax.transAxes, fontsize=12)
    ax.set_ylim(max(len(rows), CHART_MIN_ROWS) - 0.5, -0.5)  # the first office on top; few offices stay thin
    for threshold in (SHARE_YELLOW, SHARE_GREEN):
        ax.axvline(threshold * 100, color="#777777", linestyle="--", linewidth=0.8, zorder=1)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)], fontsize=9)
    ax.tick_params(axis="x", top=True, labeltop=True)  # a tall chart: the scale above and below
    ax.set_xlabel(texts.PEMDA_CHART_AXIS, fontsize=10)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["right"]].set_visible(False)

    t = pf.totals
    f.text(0.5, bottom(100), texts.PEMDA_CHART_COLOUR_RULE, ha="center", fontsize=8, color="#555555")
    f.text(0.5, bottom(70), texts.PEMDA_CHART_STALE_RULE.format(days=pf.stale_days), ha="center", fontsize=8,
           color="#b00020")
    f.text(0.5, bottom(30), texts.PEMDA_CHART_FOOTER.format(
        offices=t.offices, submitted=t.submitted, published=t.published, returned=t.returned,
        days=pf.stale_days, stale=t.stale), ha="center", fontsize=10, color="#333333")

    buf = io.BytesIO()
    f.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


# ----------------------------------------------------------------- summary

def telegram_length(text: str) -> int:
    """A message's length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _name(name: str) -> str:
    """An office's name for the chat: shortened, then escaped (so no entity is cut in two)."""
    if len(name) > SUMMARY_NAME_MAX:
        name = name[:SUMMARY_NAME_MAX - 1].rstrip() + "…"
    return html.escape(name)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def _since(row: PemdaRow) -> str:
    if row.days_since_published is None:
        return texts.PEMDA_SUMMARY_NEVER
    return texts.PEMDA_SUMMARY_DAYS.format(days=row.days_since_published)


def _head_lines(pf: PemdaFigures) -> list[str]:
    t = pf.totals
    lines = [
        texts.PEMDA_SUMMARY_HEADER.format(title=texts.PEMDA_TITLE, period=html.escape(pf.period.label)),
        texts.PEMDA_SUMMARY_TOTALS.format(offices=t.offices, submitted=t.submitted, published=t.published,
                                          returned=t.returned),
    ]
    if t.share_status is None:
        lines.append(texts.PEMDA_SUMMARY_SHARE_NONE)
    else:
        lines.append(texts.PEMDA_SUMMARY_SHARE.format(emoji=labels.STATUS_EMOJI[t.share_status],
                                                      share=_pct(t.share_on_time)))
    return lines


def _lowest_lines(pf: PemdaFigures) -> list[str]:
    lowest = pf.lowest()
    if not lowest:
        return []
    lines = ["", texts.PEMDA_SUMMARY_LOWEST]
    for rank, row in enumerate(lowest, start=1):
        status = row.share_status
        assert status is not None  # lowest() keeps measured offices only
        lines.append(texts.PEMDA_SUMMARY_LOWEST_LINE.format(
            emoji=labels.STATUS_EMOJI[status], rank=rank, name=_name(row.name),
            share=_pct(row.share_on_time), finished=row.finished))
    return lines


def _stale_lines(pf: PemdaFigures, budget: int) -> list[str]:
    """The stale offices by name, as many as ``budget`` (UTF-16 units) and MAX_STALE_NAMED allow."""
    stale = pf.stale_rows
    if not stale:
        return ["", texts.PEMDA_SUMMARY_STALE_NONE.format(days=pf.stale_days)]
    lines = ["", texts.PEMDA_SUMMARY_STALE.format(days=pf.stale_days, count=len(stale))]
    # Room is kept for the "... and N more" line whenever one might be needed.
    more = texts.PEMDA_SUMMARY_MORE.format(count=len(stale))
    used = sum(telegram_length(line) + 1 for line in lines) + telegram_length(more) + 1
    shown = 0
    for row in stale[:MAX_STALE_NAMED]:
        line = texts.PEMDA_SUMMARY_STALE_LINE.format(name=_name(row.name), since=_since(row))
        if used + telegram_length(line) + 1 > budget:
            break
        lines.append(line)
        used += telegram_length(line) + 1
        shown += 1
    if shown < len(stale):
        lines.append(texts.PEMDA_SUMMARY_MORE.format(count=len(stale) - shown))
    return lines


def render_pemda_summary(pf: PemdaFigures) -> str:
    """Telegram HTML (names escaped here), within one message even with 40 offices of long names."""
    head = _head_lines(pf)
    if pf.empty:
        return "\n".join([*head[:1], texts.PEMDA_NO_OFFICES])
    tail = [*_lowest_lines(pf), "", texts.PEMDA_SUMMARY_FOOTER]
    fixed = telegram_length("\n".join([*head, *tail])) + 1
    stale = _stale_lines(pf, TELEGRAM_LIMIT - fixed)
    return "\n".join([*head, *stale, *tail])


