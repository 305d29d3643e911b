"""Drafting: the writer's side of SOP steps 1-3, saved as it is typed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import checks, guide, spelling
from domain.kinds import Kind
from domain.slug import slugify
from domain.workflow import EDITABLE, Action, State
from services.errors import ServiceError
from services.staff.people import writer_sections
from services.transitions.effects import Transitioned
from services.transitions.moves import move
from services.writing import dictionary
from storage.models import Attachment, Person, Revision, Section, Submission


@dataclass
class Draft:
    """A submission with its editable revision and attachments, loaded together."""

    submission: Submission
    revision: Revision
    attachments: list[Attachment]
    #: Words of the office's sections and people's names (lower case): the spelling check knows them.
    known: frozenset[str] = field(default_factory=frozenset)

    @property
    def photo_count(self) -> int:
        return sum(1 for a in self.attachments if a.kind == "photo")

    def content(self) -> checks.Content:
        return checks.Content(self.revision.kind, self.revision.title, self.revision.body, self.photo_count,
                              tuple(dict(a.meta or {}) for a in self.attachments if a.kind == "photo"))


async def load(s: AsyncSession, submission_id: int) -> Draft:
    """The draft as its checks see it (with the office's names, which the spelling check knows)."""
    sub, rev = await _current(s, submission_id)
    return Draft(sub, rev, await attachments_of(s, rev), await office_names(s))


async def current_attachments(s: AsyncSession, submission_id: int) -> list[Attachment]:
    """The files of the current revision only (no checks are run on them)."""
    _, rev = await _current(s, submission_id)
    return await attachments_of(s, rev)


async def _current(s: AsyncSession, submission_id: int) -> tuple[Submission, Revision]:
    sub = await s.get(Submission, submission_id)
    if sub is None:
        raise ServiceError("submission_unknown", id=submission_id)
    rev = await s.get(Revision, sub.current_revision_id)
    if rev is None:
        raise ServiceError("submission_unknown", id=submission_id)
    return sub, rev


async def office_names(s: AsyncSession) -> frozenset[str]:
    """The words of every section's and person's name: names the spelling check accepts."""
    names = [*(await s.scalars(select(Section.name))).all(), *(await s.scalars(select(Person.full_name))).all()]
    return spelling.words_of(names)


async def attachments_of(s: AsyncSession, rev: Revision) -> list[Attachment]:
    ids = list(rev.attachment_ids or [])
    if not ids:
        return []
    rows = {a.id: a for a in (await s.scalars(select(Attachment).where(Attachment.id.in_(ids)))).all()}
    return [rows[i] for i in ids if i in rows]


async def start(s: AsyncSession, writer: Person, now: datetime) -> Draft:
    sections = writer_sections(writer)
    if not sections:
        raise ServiceError("not_a_writer")
    sub = Submission(
        author_id=writer.id,
        section_id=sections[0].id if len(sections) == 1 else None,
        state=State.DRAFT,
        created_at=now,
        updated_at=now,
        state_changed_at=now,
    )
    s.add(sub)
    await s.flush()
    rev = Revision(submission_id=sub.id, number=1, created_by=writer.id, created_at=now, reason="draft",
                   attachment_ids=[], guide={})
    s.add(rev)
    await s.flush()
    sub.current_revision_id = rev.id
    return Draft(sub, rev, [])


def owns(d: Draft, writer: Person) -> bool:
    """Whether the draft is this person's to write (its author, or who made its current revision)."""
    return writer.id in (d.submission.author_id, d.revision.created_by)


def may_edit(d: Draft, writer: Person) -> bool:
    """Whether this person may change the draft now (what :func:`editable` admits)."""
    return owns(d, writer) and d.submission.state in EDITABLE


async def editable(s: AsyncSession, submission_id: int, writer: Person, now: datetime) -> Draft:
    """The draft, ready for the writer to change.

    After a return, the first change opens a new revision, so the version the
    reviewers saw stays exactly as they saw it.
    """
    d = await load(s, submission_id)
    if not owns(d, writer):
        raise ServiceError("not_your_draft")
    if d.submission.state not in EDITABLE:
        raise ServiceError("not_editable", state=d.submission.state)
    if d.revision.frozen_at is not None:
        old = d.revision
        rev = Revision(
            submission_id=old.submission_id,
            number=old.number + 1,
            kind=old.kind,
            title=old.title,
            body=old.body,
            guide=dict(old.guide or {}),
            attachment_ids=list(old.attachment_ids or []),
            created_by=writer.id,
            created_at=now,
            reason="revision",
        )
        s.add(rev)
        await s.flush()
        d.submission.current_revision_id = rev.id
        d.revision = rev
    d.submission.updated_at = now
    return d


async def open_drafts(s: AsyncSession, writer: Person) -> list[Submission]:
    """Drafts this person is working on: their own, and updates of live
    articles they opened (an admin may update someone else's article)."""
    stmt = (
        select(Submission)
        .join(Revision, Revision.id == Submission.current_revision_id)
        .where(or_(Submission.author_id == writer.id, Revision.created_by == writer.id),
               Submission.state.in_([State.DRAFT, State.RETURNED]))
        .order_by(Submission.updated_at.desc())
    )
    return list((await s.scalars(stmt)).unique().all())


def set_section(d: Draft, writer: Person, section_id: int) -> None:
    if section_id not in {sec.id for sec in writer_sections(writer)}:
        raise ServiceError("section_not_yours")
    d.submission.section_id = section_id


def set_kind(d: Draft, kind: str) -> None:
    d.revision.kind = Kind(kind).value


def set_title(d: Draft, title: str) -> None:
    title = " ".join(title.split())
    if not title:
        raise ServiceError("title_empty")
    d.revision.title = title


def set_body(d: Draft, body: str) -> None:
    body = body.strip()
    if not body:
        raise ServiceError("body_empty")
    d.revision.body = body


def set_guide_answer(d: Draft, key: str, answer: str) -> None:
    if key not in guide.QUESTIONS:
        raise ServiceError("guide_unknown")
    answers = dict(d.revision.guide or {})
    answers[key] = answer.strip()
    d.revision.guide = answers  # reassign: JSON columns track assignment, not mutation


def compose_body(d: Draft) -> str:
    d.revision.body = guide.compose(d.revision.guide or {})
    return d.revision.body


def attach(d: Draft, attachment: Attachment) -> bool:
    """Add a received file; False when the same file is already attached."""
    for a in d.attachments:
        if a.sha256 == attachment.sha256:
            return False
    d.revision.attachment_ids = [*(d.revision.attachment_ids or []), attachment.id]
    d.attachments.append(attachment)
    return True


def detach(d: Draft, attachment_id: int) -> Attachment:
    for a in d.attachments:
        if a.id == attachment_id:
            d.revision.attachment_ids = [i for i in d.revision.attachment_ids if i != attachment_id]
            d.attachments.remove(a)
            return a
    raise ServiceError("attachment_unknown")


def set_caption(d: Draft, attachment_id: int, caption: str) -> Attachment:
    for a in d.attachments:
        if a.id == attachment_id:
            a.caption = " ".join(caption.split())[:1000]
            return a
    raise ServiceError("attachment_unknown")


def mask_personal_data(d: Draft) -> None:
    d.revision.title = checks.mask_personal_data(d.revision.title or "")
    d.revision.body = checks.mask_personal_data(d.revision.body or "")
    for a in d.attachments:
        if a.caption:
            a.caption = checks.mask_personal_data(a.caption)


def office_words(d: Draft, policy: checks.CheckPolicy) -> frozenset[str]:
    """What the spelling check accepts besides its dictionary: names, and the kamus kantor."""
    path = Path(policy.office_dictionary) if policy.office_dictionary else None
    return d.known | dictionary.read(path)


def spelling_finding(d: Draft, policy: checks.CheckPolicy) -> checks.Finding | None:
    """Doubtful words of the title and body, with suggestions; a warning, never blocking."""
    text = f"{d.revision.title or ''}\n{d.revision.body or ''}"
    doubtful = spelling.check(text, office_words(d, policy))
    if not doubtful:
        return None
    words = tuple((m.word, m.suggestion or "") for m in doubtful)
    fixable = sum(1 for m in doubtful if m.standard)
    return checks.Finding(checks.SPELLING, checks.Severity.WARNING,
                          {"count": len(doubtful), "fixable": fixable, "words": words})


def fix_spelling(d: Draft, policy: checks.CheckPolicy) -> int:
    """Non-standard forms in title and body replaced by their KBBI form; how many kinds of word."""
    office = office_words(d, policy)
    text = f"{d.revision.title or ''}\n{d.revision.body or ''}"
    fixable = sum(1 for m in spelling.check(text, office) if m.standard)
    if d.revision.title:
        d.revision.title = spelling.fix_standard_forms(d.revision.title, office)
    if d.revision.body:
        d.revision.body = spelling.fix_standard_forms(d.revision.body, office)
    return fixable


def findings(d: Draft, policy: checks.CheckPolicy) -> list[checks.Finding]:
    found = checks.run_checks(d.content(), policy)
    if d.submission.section_id is None:
        found.insert(0, checks.Finding("section_missing", checks.Severity.ERROR))
    spelt = spelling_finding(d, policy)
    if spelt is not None:
        found.append(spelt)
    return found


async def submit(s: AsyncSession, d: Draft, writer: Person, policy: checks.CheckPolicy,
                 now: datetime) -> Transitioned:
    """Freeze the revision for review; refused while a check marked ❌ fails, and for
    excepted information (the workflow's own rule)."""
    blocking = checks.blocking(findings(d, policy))
    if blocking:
        raise ServiceError("checks_failed", findings=blocking)
    outcome = await move(s, d.submission, Action.SUBMIT, by=writer, now=now, revision_id=d.revision.id,
                         title=d.revision.title or "")
    d.revision.frozen_at = now
    if d.submission.slug is None:
        d.submission.slug = f"{d.submission.id}-{slugify(d.revision.title or '')}"
    return outcome


async def cancel(s: AsyncSession, d: Draft, writer: Person, now: datetime) -> Transitioned:
    """Drop a draft; for an update of a live article, drop the update and keep the live version."""
    sub = d.submission
    live = sub.published_revision_id is not None
    outcome = await move(s, sub, Action.DISCARD_UPDATE if live else Action.CANCEL, by=writer, now=now,
                         revision_id=d.revision.id, title=d.revision.title or "")
    if live:
        sub.current_revision_id = sub.published_revision_id
    return outcome
