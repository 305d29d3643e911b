"""Plain, frozen copies of stored rows: what a read model hands to the adapters.

A live ORM row outlives its session in a handler, lazily loads (or fails to)
when touched, and can be changed by mistake; a record is read once, inside the
use case's unit of work, and cannot.  Every column of the row is a field
(``tests/domain/test_rooms.py`` checks that none is forgotten).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.kip import KipClass
from domain.workflow import State
from storage.models import Attachment, Person, Revision, Section, Submission


@dataclass(frozen=True)
class PersonRecord:
    id: int
    telegram_id: int
    full_name: str
    username: str | None
    active: bool
    created_at: datetime
    menu: str | None
    current_office_id: int | None

    @classmethod
    def of(cls, p: Person) -> PersonRecord:
        return cls(p.id, p.telegram_id, p.full_name, p.username, p.active, p.created_at, p.menu,
                   p.current_office_id)


@dataclass(frozen=True)
class SectionRecord:
    id: int
    name: str
    active: bool
    office_id: int

    @classmethod
    def of(cls, s: Section) -> SectionRecord:
        return cls(s.id, s.name, s.active, s.office_id)


@dataclass(frozen=True)
class SubmissionRecord:
    id: int
    author_id: int
    section_id: int | None
    state: State
    current_revision_id: int | None
    published_revision_id: int | None
    slug: str | None
    created_at: datetime
    updated_at: datetime
    state_changed_at: datetime
    expires_at: datetime | None
    version: int
    kip_class: KipClass | None
    kip_set_by: int | None
    kip_set_at: datetime | None
    office_id: int
    author: PersonRecord
    section: SectionRecord | None

    @classmethod
    def of(cls, s: Submission) -> SubmissionRecord:
        return cls(s.id, s.author_id, s.section_id, s.state, s.current_revision_id, s.published_revision_id,
                   s.slug, s.created_at, s.updated_at, s.state_changed_at, s.expires_at, s.version, s.kip_class,
                   s.kip_set_by, s.kip_set_at, s.office_id, PersonRecord.of(s.author),
                   SectionRecord.of(s.section) if s.section is not None else None)


@dataclass(frozen=True)
class RevisionRecord:
    id: int
    submission_id: int
    number: int
    kind: str | None
    title: str | None
    body: str | None
    guide: dict[str, Any]
    attachment_ids: list[Any]
    reason: str
    created_by: int
    created_at: datetime
    frozen_at: datetime | None
    office_id: int

    @classmethod
    def of(cls, r: Revision) -> RevisionRecord:
        return cls(r.id, r.submission_id, r.number, r.kind, r.title, r.body, dict(r.guide or {}),
                   list(r.attachment_ids or []), r.reason, r.created_by, r.created_at, r.frozen_at, r.office_id)


@dataclass(frozen=True)
class AttachmentRecord:
    id: int
    submission_id: int
    kind: str
    sha256: str
    path: str
    mime: str
    label: str
    size: int
    original_name: str
    caption: str
    telegram_file_id: str | None
    telegram_unique_id: str | None
    media_group_id: str | None
    meta: dict[str, Any]
    renditions: list[Any]
    added_by: int
    created_at: datetime
    office_id: int

    @classmethod
    def of(cls, a: Attachment) -> AttachmentRecord:
        return cls(a.id, a.submission_id, a.kind, a.sha256, a.path, a.mime, a.label, a.size, a.original_name,
                   a.caption, a.telegram_file_id, a.telegram_unique_id, a.media_group_id, dict(a.meta or {}),
                   list(a.renditions or []), a.added_by, a.created_at, a.office_id)


def attachment_records(rows: Any) -> tuple[AttachmentRecord, ...]:
    return tuple(AttachmentRecord.of(a) for a in rows)


#: Each record and the row it copies (for the completeness test).
RECORDS: dict[type, type] = {
    PersonRecord: Person, SectionRecord: Section, SubmissionRecord: Submission, RevisionRecord: Revision,
    AttachmentRecord: Attachment,
}
