"""The monthly SOP report: figures, a PNG chart, an XLSX workbook and a chat summary.

Pure code (no Telegram, no SQL).  The chart needs matplotlib and the
workbook openpyxl; both are imported only when rendering.

    period = parse_period("2026-11", clock.now())
    fig = compute(records, period, calendar, standards)
    png, xlsx, text = render_chart(fig), render_xlsx(fig), render_summary(fig)
"""
from reports.chart import render_chart
from reports.figures import (
    RecordRow,
    ReportFigures,
    SlowItem,
    StepFigures,
    compute,
    median,
    percentile,
)
from reports.models import StepSpan, SubmissionRecord
from reports.period import Period, PeriodError, days_period, month_period, parse_date, parse_period
from reports.summary import render_summary
from reports.xlsx import render_xlsx

__all__ = [
    "Period", "PeriodError", "RecordRow", "ReportFigures", "SlowItem", "StepFigures", "StepSpan",
    "SubmissionRecord", "compute", "days_period", "median", "month_period", "parse_date", "parse_period",
    "percentile", "render_chart", "render_summary", "render_xlsx",
]
