"""The SOP's standard time for every step, and which waiting state is which step.

SOP (office standard):  1 collect 3 h, 2 convert 1 h, 3 draft 1 h,
4 review by the Kasubbag 30 min, 5 review by the Kepala 30 min,
6 publish 30 min, 7 archive 30 min.  All times are *working* time
(see :mod:`domain.sop_clock`).  Keys are stored; labels are shown.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from enum import StrEnum

from domain.workflow import State


class Step(StrEnum):
    COLLECT = "collect"
    CONVERT = "convert"
    DRAFT = "draft"
    REVIEW_KASUBBAG = "review_kasubbag"
    REVIEW_KEPALA = "review_kepala"
    PUBLISH = "publish"
    ARCHIVE = "archive"

    @property
    def number(self) -> int:
        """The step's number in the SOP (1..7)."""
        return _ORDER.index(self) + 1

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def short_label(self) -> str:
        """A label short enough for a chart axis or a phone line."""
        return _SHORT[self]

    @property
    def default(self) -> timedelta:
        """The SOP's standard time for this step."""
        return SOP_DEFAULTS[self]


_ORDER: tuple[Step, ...] = tuple(Step)

_LABELS = {
    Step.COLLECT: "Pengumpulan bahan",
    Step.CONVERT: "Konversi bahan",
    Step.DRAFT: "Penyusunan draf",
    Step.REVIEW_KASUBBAG: "Pemeriksaan Kasubbag",
    Step.REVIEW_KEPALA: "Pemeriksaan akhir Kepala",
    Step.PUBLISH: "Penerbitan",
    Step.ARCHIVE: "Pengarsipan",
}

_SHORT = {
    Step.COLLECT: "Kumpul",
    Step.CONVERT: "Konversi",
    Step.DRAFT: "Draf",
    Step.REVIEW_KASUBBAG: "Kasubbag",
    Step.REVIEW_KEPALA: "Kepala",
    Step.PUBLISH: "Terbit",
    Step.ARCHIVE: "Arsip",
}

SOP_DEFAULTS: dict[Step, timedelta] = {
    Step.COLLECT: timedelta(hours=3),
    Step.CONVERT: timedelta(hours=1),
    Step.DRAFT: timedelta(hours=1),
    Step.REVIEW_KASUBBAG: timedelta(minutes=30),
    Step.REVIEW_KEPALA: timedelta(minutes=30),
    Step.PUBLISH: timedelta(minutes=30),
    Step.ARCHIVE: timedelta(minutes=30),
}

#: A workflow state in which the submission waits, and the SOP step whose
#: clock runs meanwhile.  States not listed here run no SOP clock.
WAITING_STATE_STEP: dict[str, Step] = {
    State.WAIT_KASUBBAG: Step.REVIEW_KASUBBAG,
    State.WAIT_KEPALA: Step.REVIEW_KEPALA,
    State.APPROVED: Step.PUBLISH,
}


def step_for_state(state: str) -> Step | None:
    """The step whose clock runs while a submission sits in ``state``."""
    return WAITING_STATE_STEP.get(state)


@dataclass(frozen=True)
class StandardTimes:
    """Standard time per step; every field may be overridden from settings."""

    collect: timedelta = SOP_DEFAULTS[Step.COLLECT]
    convert: timedelta = SOP_DEFAULTS[Step.CONVERT]
    draft: timedelta = SOP_DEFAULTS[Step.DRAFT]
    review_kasubbag: timedelta = SOP_DEFAULTS[Step.REVIEW_KASUBBAG]
    review_kepala: timedelta = SOP_DEFAULTS[Step.REVIEW_KEPALA]
    publish: timedelta = SOP_DEFAULTS[Step.PUBLISH]
    archive: timedelta = SOP_DEFAULTS[Step.ARCHIVE]

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, timedelta):
                raise TypeError(f"standard time for {f.name} must be a timedelta, got {value!r}")
            if value <= timedelta(0):
                raise ValueError(f"standard time for {f.name} must be positive, got {value}")

    def __getitem__(self, step: Step | str) -> timedelta:
        value: timedelta = getattr(self, Step(step).value)
        return value

    def for_step(self, step: Step | str) -> timedelta:
        return self[step]

    def items(self) -> list[tuple[Step, timedelta]]:
        """(step, standard) in SOP order."""
        return [(s, self[s]) for s in Step]

    def total(self) -> timedelta:
        return sum((self[s] for s in Step), timedelta(0))

    def with_overrides(self, overrides: Mapping[str, object] | None) -> StandardTimes:
        """A copy with some steps changed.

        Keys are step keys (``"review_kasubbag"``); values are a
        :class:`timedelta` or a number of **minutes** (int/float, or a numeric
        string as it comes from an environment variable).  Unknown keys raise
        ``ValueError`` so that a typo in the settings is noticed at start-up.
        """
        if not overrides:
            return self
        changes: dict[str, timedelta] = {}
        for key, value in overrides.items():
            try:
                step = Step(str(key).strip().lower())
            except ValueError:
                raise ValueError(f"unknown SOP step {key!r}; expected one of {[s.value for s in Step]}") from None
            changes[step.value] = _as_timedelta(value, step)
        return replace(self, **changes)

    @classmethod
    def from_settings(cls, overrides: Mapping[str, object] | None = None) -> StandardTimes:
        """The SOP defaults with ``overrides`` applied (see :meth:`with_overrides`)."""
        return cls().with_overrides(overrides)

def _as_timedelta(value: object, step: Step) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise TypeError(f"standard time for {step.value}: not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return timedelta(minutes=value)
    if isinstance(value, str):
        try:
            return timedelta(minutes=float(value.strip()))
        except ValueError:
            pass
    raise TypeError(f"standard time for {step.value}: expected minutes or timedelta, got {value!r}")
