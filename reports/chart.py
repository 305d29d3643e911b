"""The report as one PNG for a phone: time per step vs. the standard, and submissions per section.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global
state), so it may run in a worker thread.  Returns PNG bytes, 1200x1500 by default.
"""
from __future__ import annotations

import io
from datetime import timedelta

from domain import labels
from domain.sop_clock import ClockStatus
from reports import texts
from reports.figures import ReportFigures

WIDTH, HEIGHT, DPI = 1200, 1500, 150
MAX_SECTIONS = 10

COLORS = {
    ClockStatus.ON_TIME: "#2e9d4f",
    ClockStatus.DUE_SOON: "#e0a800",
    ClockStatus.LATE: "#d64541",
    None: "#9e9e9e",
}
P90_COLOR = "#b8c4d6"
TOTAL_COLOR = "#b8c4d6"
PUBLISHED_COLOR = "#2f6db5"


def _unit(fig: ReportFigures) -> tuple[float, str]:
    """Divisor (seconds) and axis label: minutes unless the longest bar needs hours."""
    longest = max(
        [sf.standard for sf in fig.steps] + [sf.p90 for sf in fig.steps if sf.p90 is not None],
        default=timedelta(0),
    )
    if longest > timedelta(hours=2):
        return 3600.0, texts.CHART_UNIT_HOURS
    return 60.0, texts.CHART_UNIT_MINUTES


def _wrap(name: str, width: int = 18, lines: int = 2) -> str:
    """A section name on at most two short lines, for the y axis."""
    import textwrap

    parts = textwrap.wrap(name, width) or [name]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(p if len(p) <= width else p[: width - 1] + "…" for p in parts)


def render_chart(fig: ReportFigures, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    f = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(f)
    f.suptitle(f"{labels.REPORT_TITLE}\n{fig.period.label}", fontsize=15, fontweight="bold", y=0.985)
    gs = f.add_gridspec(2, 1, height_ratios=[3, 2], hspace=0.32,
                        left=0.25, right=0.95, top=0.89, bottom=0.1)

    # ---------------------------------------------------------- per step
    ax = f.add_subplot(gs[0])
    ax.set_title(texts.CHART_STEP_TITLE, fontsize=12, loc="left")
    div, unit = _unit(fig)
    steps = list(fig.steps)
    step_names = [f"{sf.step.number}. {sf.step.short_label}" for sf in steps]
    ys = list(range(len(steps)))
    h = 0.36
    med = [(sf.median.total_seconds() / div) if sf.median is not None else 0 for sf in steps]
    p90 = [(sf.p90.total_seconds() / div) if sf.p90 is not None else 0 for sf in steps]
    std = [sf.standard.total_seconds() / div for sf in steps]
    ax.barh([y - h / 2 for y in ys], med, height=h,
            color=[COLORS[sf.share_status] for sf in steps], zorder=2)
    ax.barh([y + h / 2 for y in ys], p90, height=h, color=P90_COLOR, zorder=2)
    ax.scatter(std, ys, marker="|", s=900, linewidths=2.5, color="black", zorder=3)
    ax.set_yticks(ys, step_names, fontsize=11)
    ax.invert_yaxis()
    ax.set_xlabel(unit, fontsize=10)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    xmax = max(med + p90 + std + [1])
    ax.set_xlim(0, xmax * 1.28)
    for y, sf in zip(ys, steps, strict=True):
        text = (texts.CHART_ON_TIME.format(pct=round(sf.share_on_time * 100))
                if sf.share_on_time is not None else texts.CHART_NO_DATA)
        ax.text(xmax * 1.27, y, text, va="center", ha="right", fontsize=9, color="#333333")
    ax.legend(
        handles=[Patch(color=COLORS[ClockStatus.ON_TIME], label=texts.CHART_MEDIAN),
                 Patch(color=P90_COLOR, label=texts.CHART_P90),
                 Line2D([], [], color="black", marker="|", linestyle="None",
                        markersize=14, markeredgewidth=2.5, label=texts.CHART_STANDARD)],
        loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=9, frameon=False,
        handlelength=1.2, columnspacing=1.0, borderaxespad=0.2,
    )

    # -------------------------------------------------------- per section
    ax2 = f.add_subplot(gs[1])
    ax2.set_title(texts.CHART_SECTION_TITLE, fontsize=12, loc="left")
    items = list(fig.per_section.items())
    if len(items) > MAX_SECTIONS:
        head, tail = items[:MAX_SECTIONS - 1], items[MAX_SECTIONS - 1:]
        pub_rest = sum(fig.per_section_published.get(k, 0) for k, _ in tail)
        items = [*head, (texts.CHART_OTHERS, sum(v for _, v in tail))]
        published = [fig.per_section_published.get(k, 0) for k, _ in head] + [pub_rest]
    else:
        published = [fig.per_section_published.get(k, 0) for k, _ in items]
    if items:
        ys2 = list(range(len(items)))
        totals = [v for _, v in items]
        ax2.barh(ys2, totals, height=0.7, color=TOTAL_COLOR, label=texts.CHART_TOTAL, zorder=2)
        ax2.barh(ys2, published, height=0.4, color=PUBLISHED_COLOR, label=texts.CHART_PUBLISHED, zorder=3)
        names = [_wrap(k) for k, _ in items]
        ax2.set_yticks(ys2, names, fontsize=9 if len(items) > 6 else 10)
        ax2.invert_yaxis()
        for y, total in zip(ys2, totals, strict=True):
            ax2.text(total, y, f" {total}", va="center", fontsize=9)
        ax2.set_xlim(0, max(totals) * 1.15 + 0.5)
        locator = ax2.xaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(integer=True)
        ax2.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=9, frameon=False,
                   handlelength=1.2, borderaxespad=0.2)
    else:
        ax2.set_yticks([])
        ax2.text(0.5, 0.5, texts.CHART_NO_DATA, ha="center", va="center", transform=ax2.transAxes, fontsize=12)
    ax2.grid(axis="x", alpha=0.3, zorder=0)
    ax2.spines[["top", "right"]].set_visible(False)

    f.text(0.5, 0.05, texts.CHART_COLOUR_RULE, ha="center", fontsize=8, color="#555555")
    f.text(0.5, 0.02, texts.CHART_FOOTER.format(total=fig.total, published=fig.published,
                                            returned=fig.returned, withdrawn=fig.withdrawn),
           ha="center", fontsize=10, color="#333333")

    buf = io.BytesIO()
    f.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
