"""A short Indonesian summary of the report for a chat message (plain text)."""
from __future__ import annotations

from datetime import timedelta

from domain import labels
from reports import texts
from reports.figures import ReportFigures

MAX_SECTIONS = 6


def _pct(share: float | None) -> str:
    return "—" if share is None else texts.CHART_ON_TIME.format(pct=round(share * 100))


def _items(counts: dict[str, int], limit: int = MAX_SECTIONS) -> str:
    items = list(counts.items())
    shown = [f"{k} {v}" for k, v in items[:limit]]
    rest = sum(v for _, v in items[limit:])
    if rest:
        shown.append(f"{texts.CHART_OTHERS} {rest}")
    return ", ".join(shown)


def render_summary(fig: ReportFigures) -> str:
    """Plain text; the caller escapes it for the chat's parse mode."""

    def fmt(td: timedelta | None) -> str:
        return labels.format_working(td, fig.calendar)

    lines = [texts.SUMMARY_HEADER.format(title=labels.REPORT_TITLE, period=fig.period.label)]
    if fig.empty:
        lines.append(texts.SUMMARY_EMPTY)
        return "\n".join(lines)
    lines.append(texts.SUMMARY_TOTALS.format(
        total=fig.total, published=fig.published, returned=fig.returned,
        rounds=fig.return_rounds, withdrawn=fig.withdrawn))
    if fig.comments:
        per_item = f"{fig.comments / fig.total:.1f}".replace(".", ",")
        lines.append(texts.SUMMARY_COMMENTS.format(comments=fig.comments, commented=fig.commented,
                                                   per_item=per_item, first=fmt(fig.first_comment_median)))
    lines.append(texts.SUMMARY_SECTIONS.format(items=_items(fig.per_section)))
    kinds = {labels.kind_label(k): v for k, v in fig.per_kind.items()}
    lines.append(texts.SUMMARY_KINDS.format(items=_items(kinds)))
    lines.append("")
    lines.append(texts.SUMMARY_STEPS)
    for sf in fig.steps:
        st = sf.share_status  # None exactly when no span finished; the colour follows the share on time
        if not sf.count or st is None:
            lines.append(texts.SUMMARY_STEP_EMPTY.format(number=sf.step.number, label=sf.step.label))
            continue
        lines.append(texts.SUMMARY_STEP_LINE.format(
            emoji=labels.STATUS_EMOJI[st], number=sf.step.number, label=sf.step.label,
            median=fmt(sf.median), p90=fmt(sf.p90), share=_pct(sf.share_on_time)))
    if fig.slowest:
        lines.append("")
        lines.append(texts.SUMMARY_SLOWEST)
        for item in fig.slowest:
            title = item.title if len(item.title) <= 60 else item.title[:57].rstrip() + "…"
            lines.append(texts.SUMMARY_SLOW_LINE.format(
                rank=item.rank, title=title, section=item.section, total=fmt(item.total)))
    lines.append("")
    lines.append(texts.SUMMARY_COLOUR_RULE)
    lines.append(texts.SUMMARY_FOOTER)
    return "\n".join(lines)
