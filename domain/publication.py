"""The publication outbox's vocabulary: what a job does and where it stands."""
from __future__ import annotations

from enum import StrEnum


class Operation(StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRY = "retry"
    PUBLISHED = "published"
    FAILED = "failed"


#: A job in one of these states is settled: people may be told how it went.
TERMINAL = frozenset({JobState.PUBLISHED, JobState.FAILED})
