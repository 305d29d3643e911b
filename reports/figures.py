"""The report's numbers, computed once and shared by the chart, XLSX and summary.

Selection rule: a submission belongs to the period when it was **created**
inside ``[period.start, period.end)``; all its step spans are then measured,
even those ending after the period.  Step figures use *finished* spans only
(one observation per span, so a second review round after a return counts
as another review); spans still open are counted in ``open``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from domain.sop_clock import ClockStatus, WorkingCalendar, status
from domain.standard_times import StandardTimes, Step
from reports.models import CANCELLED_STATES, FINAL_STATES, SubmissionRecord
from reports.period import Period

ZERO = timedelta(0)
#: A step's colour follows the share of its spans finished on time, not the median
#: (a median on time hides a quarter that was late): 🟢 at least 90 % on time,
#: 🟡 at least 70 %, 🔴 below that.
SHARE_GREEN, SHARE_YELLOW = 0.9, 0.7
_US = timedelta(microseconds=1)
SLOWEST_N = 5


def percentile(values: Iterable[timedelta], q: float | Fraction) -> timedelta | None:
    """Linear-interpolation percentile (numpy's default, Excel's PERCENTILE.INC), exact to the microsecond.

    ``q`` in [0, 1]; ``percentile(xs, 0.5)`` is the usual median.
    """
    xs = sorted(values)
    if not xs:
        return None
    q = Fraction(q).limit_denominator(10_000) if isinstance(q, float) else Fraction(q)
    if not 0 <= q <= 1:
        raise ValueError("q must be within [0, 1]")
    pos = q * (len(xs) - 1)
    lo = pos.numerator // pos.denominator
    frac = pos - lo
    if frac == 0:
        return xs[lo]
    gap_us = (xs[lo + 1] - xs[lo]) // _US
    return xs[lo] + timedelta(microseconds=round(gap_us * frac))


def median(values: Iterable[timedelta]) -> timedelta | None:
    return percentile(values, Fraction(1, 2))


@dataclass(frozen=True)
class StepFigures:
    step: Step
    standard: timedelta
    count: int  # finished spans
    median: timedelta | None
    p90: timedelta | None
    on_time: int  # finished within the standard (status not "terlambat")
    late: int
    open: int  # spans not finished

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.count if self.count else None

    @property
    def share_status(self) -> ClockStatus | None:
        """The step's colour: by the share on time (SHARE_GREEN, SHARE_YELLOW); None without data."""
        share = self.share_on_time
        if share is None:
            return None
        if share >= SHARE_GREEN:
            return ClockStatus.ON_TIME
        return ClockStatus.DUE_SOON if share >= SHARE_YELLOW else ClockStatus.LATE

    @property
    def median_status(self) -> ClockStatus | None:
        return None if self.median is None else status(self.median, self.standard)


@dataclass(frozen=True)
class RecordRow:
    """One submission with its working time per step (all rounds summed)."""

    record: SubmissionRecord
    step_times: dict[Step, timedelta]  # finished spans only; steps without spans absent
    open_steps: tuple[Step, ...]
    published_at: datetime | None
    total_to_publication: timedelta | None
    #: From reaching a reviewer to the first comment on it (working time); None without comments.
    to_first_comment: timedelta | None = None


@dataclass(frozen=True)
class SlowItem:
    rank: int
    id: int | str
    title: str
    section: str
    total: timedelta
    published_at: datetime


@dataclass(frozen=True)
class ReportFigures:
    period: Period
    standards: StandardTimes
    total: int
    per_section: dict[str, int]  # most first
    per_section_published: dict[str, int]
    per_kind: dict[str, int]  # most first
    published: int
    returned: int  # submissions returned at least once
    return_rounds: int  # all returns together
    withdrawn: int
    cancelled: int
    in_progress: int  # not yet in a final state
    steps: tuple[StepFigures, ...]  # SOP order, all seven
    slowest: tuple[SlowItem, ...]
    rows: tuple[RecordRow, ...]  # by creation time
    calendar: WorkingCalendar
    #: Comments on the drafts (issue 21): how many, on how many items, the median time to the first.
    comments: int = 0
    commented: int = 0
    first_comment_median: timedelta | None = None

    def step(self, step: Step | str) -> StepFigures:
        return self.steps[Step(step).number - 1]

    @property
    def empty(self) -> bool:
        return self.total == 0


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]).lower())))


def compute(
    records: Iterable[SubmissionRecord],
    period: Period | tuple[datetime, datetime],
    calendar: WorkingCalendar,
    standards: StandardTimes | None = None,
) -> ReportFigures:
    period = Period(*period)
    standards = standards or StandardTimes()
    chosen = sorted(
        (r for r in records if period.start <= r.created_at < period.end),
        key=lambda r: (r.created_at, str(r.id)),
    )

    sections: Counter[str] = Counter()
    sections_pub: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    durations: dict[Step, list[timedelta]] = {s: [] for s in Step}
    open_count: Counter[Step] = Counter()
    rows: list[RecordRow] = []
    slow: list[tuple[timedelta, SubmissionRecord, datetime]] = []
    published = returned = rounds = withdrawn = cancelled = in_progress = 0
    to_first: list[timedelta] = []

    for r in chosen:
        section = r.section or "-"
        sections[section] += 1
        kinds[str(r.kind) or "-"] += 1
        if r.is_published:
            published += 1
            sections_pub[section] += 1
        if r.rounds_returned > 0:
            returned += 1
            rounds += r.rounds_returned
        if r.is_withdrawn:
            withdrawn += 1
        if str(r.final_state) in CANCELLED_STATES:
            cancelled += 1
        if str(r.final_state) not in FINAL_STATES:
            in_progress += 1

        per_step: dict[Step, timedelta] = {}
        open_steps: list[Step] = []
        for span in r.spans:
            if span.ended_at is None:
                open_count[span.step] += 1
                if span.step not in open_steps:
                    open_steps.append(span.step)
                continue
            took = calendar.elapsed(span.started_at, span.ended_at)
            durations[span.step].append(took)
            per_step[span.step] = per_step.get(span.step, ZERO) + took

        pub_at = r.publication_moment
        total: timedelta | None = None
        if pub_at is not None:
            total = calendar.elapsed(r.created_at, pub_at)
            slow.append((total, r, pub_at))
        first: timedelta | None = None
        if r.first_comment_at is not None:
            first = calendar.elapsed(min(r.submitted_at, r.first_comment_at), r.first_comment_at)
            to_first.append(first)
        rows.append(RecordRow(
            record=r,
            step_times={s: per_step[s] for s in Step if s in per_step},
            open_steps=tuple(open_steps),
            published_at=pub_at,
            total_to_publication=total,
            to_first_comment=first,
        ))

    steps = []
    for s in Step:
        xs = durations[s]
        std = standards[s]
        late = sum(1 for x in xs if status(x, std) is ClockStatus.LATE)
        steps.append(StepFigures(
            step=s, standard=std, count=len(xs),
            median=median(xs), p90=percentile(xs, Fraction(9, 10)),
            on_time=len(xs) - late, late=late, open=open_count[s],
        ))

    slow.sort(key=lambda x: (-x[0], x[1].created_at, str(x[1].id)))
    slowest = tuple(
        SlowItem(rank=i, id=r.id, title=r.title, section=r.section, total=total, published_at=pub_at)
        for i, (total, r, pub_at) in enumerate(slow[:SLOWEST_N], start=1)
    )

    return ReportFigures(
        period=period,
        standards=standards,
        total=len(chosen),
        per_section=_ranked(sections),
        per_section_published=dict(sections_pub),
        per_kind=_ranked(kinds),
        published=published,
        returned=returned,
        return_rounds=rounds,
        withdrawn=withdrawn,
        cancelled=cancelled,
        in_progress=in_progress,
        steps=tuple(steps),
        slowest=slowest,
        rows=tuple(rows),
        calendar=calendar,
        comments=sum(r.comments for r in chosen),
        commented=sum(1 for r in chosen if r.comments),
        first_comment_median=median(to_first),
    )
