"""A short Indonesian summary of the report for a chat message (plain text)."""
from __future__ import annotations

from bot.i18n.id import clock as t
from reports.figures import ReportFigures

MAX_SECTIONS = 6


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}% tepat"


def _items(counts: dict[str, int], limit: int = MAX_SECTIONS) -> str:
    items = list(counts.items())
    shown = [f"{k} {v}" for k, v in items[:limit]]
    rest = sum(v for _, v in items[limit:])
    if rest:
        shown.append(f"{t.CHART_OTHERS} {rest}")
    return ", ".join(shown)


def render_summary(fig: ReportFigures) -> str:
    """Plain text; the caller escapes it for the chat's parse mode."""
    fmt = lambda td: t.format_working(td, fig.calendar)  # noqa: E731
    lines = [t.SUMMARY_HEADER.format(title=t.REPORT_TITLE, period=fig.period.label)]
    if fig.empty:
        lines.append(t.SUMMARY_EMPTY)
        return "\n".join(lines)
    lines.append(t.SUMMARY_TOTALS.format(
        total=fig.total, published=fig.published, returned=fig.returned,
        rounds=fig.return_rounds, withdrawn=fig.withdrawn))
    lines.append(t.SUMMARY_SECTIONS.format(items=_items(fig.per_section)))
    kinds = {t.kind_label(k): v for k, v in fig.per_kind.items()}
    lines.append(t.SUMMARY_KINDS.format(items=_items(kinds)))
    lines.append("")
    lines.append(t.SUMMARY_STEPS)
    for sf in fig.steps:
        if not sf.count:
            lines.append(t.SUMMARY_STEP_EMPTY.format(number=sf.step.number, label=sf.step.label))
            continue
        lines.append(t.SUMMARY_STEP_LINE.format(
            emoji=t.STATUS_EMOJI[sf.median_status], number=sf.step.number, label=sf.step.label,
            median=fmt(sf.median), p90=fmt(sf.p90), share=_pct(sf.share_on_time)))
    if fig.slowest:
        lines.append("")
        lines.append(t.SUMMARY_SLOWEST)
        for item in fig.slowest:
            title = item.title if len(item.title) <= 60 else item.title[:57].rstrip() + "…"
            lines.append(t.SUMMARY_SLOW_LINE.format(
                rank=item.rank, title=title, section=item.section, total=fmt(item.total)))
    lines.append("")
    lines.append(t.SUMMARY_FOOTER)
    return "\n".join(lines)
