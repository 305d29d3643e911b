"""Plain input records for the monthly report (filled by the storage layer)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.standard_times import Step

#: Final states counted as "published" (a withdrawn article was published first).
PUBLISHED_STATES = frozenset({"terbit", "ditarik"})
#: "ditinggalkan": a draft archived as abandoned by the SOP clock.
CANCELLED_STATES = frozenset({"dibatalkan", "ditinggalkan"})
FINAL_STATES = frozenset({"terbit", "dibatalkan", "ditarik", "ditinggalkan"})


@dataclass(frozen=True)
class StepSpan:
    """One stretch of one SOP step; ``round`` counts from 1 and grows after each return."""

    step: Step
    started_at: datetime
    ended_at: datetime | None = None
    round: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "step", Step(self.step))

    @property
    def finished(self) -> bool:
        return self.ended_at is not None


@dataclass(frozen=True)
class SubmissionRecord:
    id: int | str
    title: str
    section: str
    kind: str
    created_at: datetime
    final_state: str
    rounds_returned: int = 0
    withdrawn: bool = False
    spans: Sequence[StepSpan] = field(default_factory=tuple)
    #: When it went live; if None, the end of the last finished publish span.
    published_at: datetime | None = None
    #: Comments on its draft (replies in threads too, deleted ones not), and when the first came.
    comments: int = 0
    first_comment_at: datetime | None = None

    @property
    def submitted_at(self) -> datetime:
        """When it first reached a reviewer (its creation, if it never did)."""
        starts = [s.started_at for s in self.spans if s.step is Step.REVIEW_KASUBBAG]
        return min(starts) if starts else self.created_at

    @property
    def publication_moment(self) -> datetime | None:
        if self.published_at is not None:
            return self.published_at
        ends = [s.ended_at for s in self.spans if s.step is Step.PUBLISH and s.ended_at is not None]
        return max(ends) if ends else None

    @property
    def is_published(self) -> bool:
        return self.publication_moment is not None or str(self.final_state) in PUBLISHED_STATES

    @property
    def is_withdrawn(self) -> bool:
        return bool(self.withdrawn) or str(self.final_state) == "ditarik"
