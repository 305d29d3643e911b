"""The writer's use cases (SOP steps 1-3): one call, one transaction, one outcome.

Each step of the drafting conversation changes the writer's draft and says
which question comes next; the bot layer only draws the question.  A step
names its draft by id (every button carries one) or, for typed answers, takes
the writer's most recently touched open draft.  The building blocks that run
inside a transaction are in :mod:`services.writing.drafts`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain import checks, paragraphs, places
from domain.guide import QUESTIONS, compose
from domain.messaging import Notice
from domain.workflow import State
from media.pipeline import Processed
from services import lexicons
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.lexicons import needs_lexicons
from services.records import AttachmentRecord, RevisionRecord, SubmissionRecord, attachment_records
from services.staff.people import by_telegram_id, writer_sections
from services.transitions.effects import Transitioned
from services.uow import Sessions
from services.website import expiry
from services.writing import drafts
from services.writing.intake import Incoming, Intake
from storage.models import Attachment, Person, Revision, Section


class Step(StrEnum):
    """Where the drafting conversation stands (its persisted state names)."""

    SECTION = "section"
    KIND = "kind"
    TITLE = "title"
    BODY_MODE = "body_mode"
    BODY = "body"
    #: A body text was just received: a text now is its next part (a phone splits
    #: texts over 4,096 characters into several messages).  Asks nothing itself.
    BODY_MORE = "body_more"
    GUIDE = "guide"
    #: "Ubah → Isi": the body as numbered paragraphs, one to pick.
    PARAGRAPHS = "paragraphs"
    #: The new text of the paragraph picked (or of a new one).
    PARAGRAPH = "paragraph"
    MEDIA = "media"
    CAPTION = "caption"
    PREVIEW = "preview"
    EDIT = "edit"
    CONFIRM_CANCEL = "confirm_cancel"
    #: "Berlaku sampai": the end date of a pengumuman, typed.
    EXPIRY = "expiry"


#: The part of a draft the edit menu's buttons open, by the button's argument.
EDIT_PARTS: dict[str, Step] = {
    "title": Step.TITLE, "body": Step.PARAGRAPHS, "rewrite": Step.BODY_MODE, "kind": Step.KIND, "media": Step.MEDIA,
    "section": Step.SECTION,
}
EDIT_MENU = "menu"


@dataclass(frozen=True)
class SectionChoice:
    id: int
    name: str


@dataclass(frozen=True)
class DraftView:
    """A draft as its writer sees it, detached from the database (a read model)."""

    submission: SubmissionRecord
    revision: RevisionRecord
    attachments: tuple[AttachmentRecord, ...]
    #: The sections the writer may file it under.
    sections: tuple[SectionChoice, ...]
    findings: tuple[checks.Finding, ...]

    @property
    def id(self) -> int:
        return self.submission.id

    @property
    def next_question(self) -> str | None:
        """The first 5W1H question not answered yet."""
        answered = self.revision.guide or {}
        return next((q for q in QUESTIONS if q not in answered), None)

    def position(self, attachment_id: int) -> int:
        """1-based place of an attachment in the list; 0 when it is not there."""
        return _position(self.attachments, attachment_id)


@dataclass(frozen=True)
class Drafted:
    """A draft after one step, and the step to ask next."""

    draft: DraftView
    step: Step
    #: The body was just composed from the 5W1H answers.
    composed: bool = False


@dataclass(frozen=True)
class Removed:
    draft: DraftView
    #: Where the removed attachment was (1-based; 0 if it was already gone).
    position: int


@dataclass(frozen=True)
class Picked:
    """An attachment the writer is about to caption."""

    draft: DraftView
    attachment: AttachmentRecord
    position: int


@dataclass(frozen=True)
class BodyParts:
    """A body after one more of its parts was joined to it."""

    draft: DraftView
    #: How many messages the body arrived in, and its length now.
    parts: int
    chars: int
    #: The paragraph the next part continues (0: the body's end).
    paragraph: int = 0


@dataclass(frozen=True)
class Paragraph:
    """A paragraph the writer is about to change (``number`` 0: a new one)."""

    draft: DraftView
    number: int
    #: Its text now; None when the draft has no such paragraph (a button from an older list).
    text: str | None
    #: The body it was picked from (see :func:`body_digest`).
    was: str


@dataclass(frozen=True)
class ParagraphSet:
    """A draft after a paragraph was changed, added or deleted."""

    draft: DraftView
    #: The paragraph changed or deleted (0: one was added).
    number: int
    #: The last paragraph written (1-based; 0 after a deletion, or when nothing was changed).
    last: int
    #: False when the body was no longer the one the paragraph was picked from.
    changed: bool = True


@dataclass(frozen=True)
class DraftItem:
    id: int
    title: str | None
    state: State


@dataclass(frozen=True)
class UploadTarget:
    """The draft a file sent now is attached to."""

    submission_id: int


@dataclass(frozen=True)
class Received:
    """A file recorded for a draft; ``added`` is False for one already attached."""

    added: bool
    kind: str
    count: int


# --- building blocks (inside the caller's transaction) -------------------------------

def next_step(d: drafts.Draft, writer: Person) -> Step:
    """The first thing still missing; the preview once everything is there."""
    if d.submission.section_id is None and len(writer_sections(writer)) > 1:
        return Step.SECTION
    rev = d.revision
    if not rev.kind:
        return Step.KIND
    if not rev.title:
        return Step.TITLE
    if not rev.body:
        guide = rev.guide or {}
        if guide and any(q not in guide for q in QUESTIONS):
            return Step.GUIDE
        return Step.BODY_MODE
    return Step.PREVIEW


def view_of(d: drafts.Draft, writer: Person, policy: checks.CheckPolicy) -> DraftView:
    sections = tuple(SectionChoice(sec.id, sec.name) for sec in writer_sections(writer))
    return DraftView(SubmissionRecord.of(d.submission), RevisionRecord.of(d.revision),
                     attachment_records(d.attachments), sections, tuple(drafts.findings(d, policy)))


async def _writer(s: AsyncSession, telegram_id: int) -> Person:
    person = await by_telegram_id(s, telegram_id)
    if person is None:
        raise ServiceError("not_a_writer")
    return person


async def _editable(s: AsyncSession, telegram_id: int, submission_id: int,
                    now: datetime) -> tuple[Person, drafts.Draft]:
    """The writer and this draft of theirs, ready to change."""
    person = await _writer(s, telegram_id)
    return person, await drafts.editable(s, submission_id, person, now)


async def _latest(s: AsyncSession, writer: Person, now: datetime) -> drafts.Draft | None:
    """The writer's most recently touched open draft, ready to change (None when there is none)."""
    open_ = await drafts.open_drafts(s, writer)
    return await drafts.editable(s, open_[0].id, writer, now) if open_ else None


def _position(atts: Sequence[Attachment | AttachmentRecord], attachment_id: int) -> int:
    """1-based place of an attachment in the list; 0 when it is not there."""
    ids = [a.id for a in atts]
    return ids.index(attachment_id) + 1 if attachment_id in ids else 0


# --- starting and finding drafts --------------------------------------------------------

async def start_draft(sessions: Sessions, *, telegram_id: int, policy: checks.CheckPolicy,
                      now: datetime) -> Drafted:
    """/baru: a new draft, and its first question.  An empty draft needs no word list: they start
    loading now, in a thread, so they are there when the title comes."""
    lexicons.warm()
    async with sessions.begin() as s:
        person = await _writer(s, telegram_id)
        d = await drafts.start(s, person, now)
        return Drafted(view_of(d, person, policy), next_step(d, person))


async def list_drafts(sessions: Sessions, *, telegram_id: int, limit: int = 20) -> tuple[DraftItem, ...]:
    """/draf: the writer's open drafts, most recently touched first."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            return ()
        items = []
        for sub in (await drafts.open_drafts(s, person))[:limit]:
            rev = await s.get(Revision, sub.current_revision_id)
            items.append(DraftItem(sub.id, rev.title if rev else None, sub.state))
        return tuple(items)


@needs_lexicons
async def open_draft(sessions: Sessions, *, telegram_id: int, submission_id: int, policy: checks.CheckPolicy,
                     now: datetime) -> Drafted:
    """This draft (picked, resumed, or pressed on), and what it still needs."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        return Drafted(view_of(d, person, policy), next_step(d, person))


@needs_lexicons
async def own_preview(sessions: Sessions, *, telegram_id: int, submission_id: int, revision_id: int,
                      policy: checks.CheckPolicy) -> DraftView | None:
    """The writer's own draft at this revision, read only (the review desk's preview, issue 22):
    None unless it is theirs to edit now (what :func:`open_draft` admits: ``drafts.may_edit``) and
    the revision is still its current one.  Nothing is changed (no new revision after a return)."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            return None
        try:
            d = await drafts.load(s, submission_id)
        except ServiceError:
            return None
        if not drafts.may_edit(d, person) or d.submission.current_revision_id != revision_id:
            return None
        return view_of(d, person, policy)


@needs_lexicons
async def latest_draft(sessions: Sessions, *, telegram_id: int, policy: checks.CheckPolicy,
                       now: datetime) -> Drafted | None:
    """The writer's most recently touched open draft and what it still needs;
    None for someone with no open draft (or not registered)."""
    async with sessions.begin() as s:
        person = await by_telegram_id(s, telegram_id)
        if person is None:
            return None
        d = await _latest(s, person, now)
        if d is None:
            return None
        return Drafted(view_of(d, person, policy), next_step(d, person))


# --- button steps ----------------------------------------------------------------------

@needs_lexicons
async def choose_section(sessions: Sessions, *, telegram_id: int, submission_id: int, section_id: int,
                         policy: checks.CheckPolicy, now: datetime) -> Drafted:
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        drafts.set_section(d, person, section_id)
        d.submission.section = await s.get(Section, section_id)  # the preview names it
        return Drafted(view_of(d, person, policy), next_step(d, person))


@needs_lexicons
async def choose_kind(sessions: Sessions, *, telegram_id: int, submission_id: int, kind: str,
                      policy: checks.CheckPolicy, now: datetime) -> Drafted:
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        try:
            drafts.set_kind(d, kind)
        except ValueError:
            raise ServiceError("submission_unknown") from None
        return Drafted(view_of(d, person, policy), next_step(d, person))


@needs_lexicons
async def choose_body_mode(sessions: Sessions, *, telegram_id: int, submission_id: int, guided: bool,
                           policy: checks.CheckPolicy, now: datetime) -> Drafted:
    """Free writing asks for the body; the guide starts over at its first question."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        if guided:
            d.revision.guide = {}
        return Drafted(view_of(d, person, policy), Step.GUIDE if guided else Step.BODY)


@needs_lexicons
async def edit_part(sessions: Sessions, *, telegram_id: int, submission_id: int, part: str,
                    policy: checks.CheckPolicy, now: datetime) -> Drafted:
    """"Ubah": the menu (step EDIT), or the question that changes the chosen part."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        step = Step.EDIT if part == EDIT_MENU else EDIT_PARTS.get(part, Step.PREVIEW)
        if step == Step.PARAGRAPHS and not paragraphs.paragraphs(d.revision.body or ""):
            step = Step.BODY_MODE  # nothing to pick from: write it
        return Drafted(view_of(d, person, policy), step)


@needs_lexicons
async def remove_attachment(sessions: Sessions, *, telegram_id: int, submission_id: int, attachment_id: int,
                            policy: checks.CheckPolicy, now: datetime) -> Removed:
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        position = _position(d.attachments, attachment_id)
        drafts.detach(d, attachment_id)
        return Removed(view_of(d, person, policy), position)


@needs_lexicons
async def pick_attachment(sessions: Sessions, *, telegram_id: int, submission_id: int, attachment_id: int,
                          policy: checks.CheckPolicy, now: datetime) -> Picked:
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        view = view_of(d, person, policy)
        position = view.position(attachment_id)
        if not position:
            raise ServiceError("attachment_unknown")
        return Picked(view, view.attachments[position - 1], position)


@needs_lexicons
async def mask_draft(sessions: Sessions, *, telegram_id: int, submission_id: int, policy: checks.CheckPolicy,
                     now: datetime) -> Drafted:
    """Personal data in title, body and captions masked in one go; the preview again."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        drafts.mask_personal_data(d)
        return Drafted(view_of(d, person, policy), Step.PREVIEW)


@needs_lexicons
async def fix_spelling_draft(sessions: Sessions, *, telegram_id: int, submission_id: int,
                             policy: checks.CheckPolicy, now: datetime) -> Drafted:
    """"Perbaiki ejaan": non-standard forms replaced by their KBBI form in one go; the preview again."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        drafts.fix_spelling(d, policy)
        return Drafted(view_of(d, person, policy), Step.PREVIEW)


@needs_lexicons
async def submit_draft(sessions: Sessions, *, telegram_id: int, submission_id: int, policy: checks.CheckPolicy,
                       now: datetime) -> Transitioned:
    """"Ajukan": the revision is frozen and waits for the Kasubbag (whose cards are owed)."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        return await drafts.submit(s, d, person, policy, now)


async def cancel_draft(sessions: Sessions, *, telegram_id: int, submission_id: int, now: datetime) -> Transitioned:
    """A draft dropped (kept, never processed); an update of a live article is discarded."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        return await drafts.cancel(s, d, person, now)


# --- typed answers (to the latest open draft; None when there is none) -------------------

@needs_lexicons
async def set_title(sessions: Sessions, *, telegram_id: int, text: str, policy: checks.CheckPolicy,
                    now: datetime) -> Drafted | None:
    """A changed title of a finished draft goes back to the preview."""
    async with sessions.begin() as s:
        person = await _writer(s, telegram_id)
        d = await _latest(s, person, now)
        if d is None:
            return None
        had_body = bool(d.revision.body)
        drafts.set_title(d, text)
        return Drafted(view_of(d, person, policy), Step.PREVIEW if had_body else next_step(d, person))


@needs_lexicons
async def set_expiry(sessions: Sessions, *, telegram_id: int, text: str, tz: str, policy: checks.CheckPolicy,
                     now: datetime) -> Drafted | None:
    """"Berlaku sampai" of a pengumuman (``-`` clears it); the preview again.
    Raises ``expiry_unreadable``, ``expiry_past``, ``expiry_kind``."""
    async with sessions.begin() as s:
        person = await _writer(s, telegram_id)
        d = await _latest(s, person, now)
        if d is None:
            return None
        expiry.set_on(d.submission, d.revision.kind, expiry.parse_expiry(text, now, tz))
        return Drafted(view_of(d, person, policy), Step.PREVIEW)


@needs_lexicons
async def set_body(sessions: Sessions, *, telegram_id: int, text: str, policy: checks.CheckPolicy,
                   now: datetime) -> Drafted | None:
    """A first body asks for media (unless some came already); a changed one shows the preview."""
    async with sessions.begin() as s:
        person = await _writer(s, telegram_id)
        d = await _latest(s, person, now)
        if d is None:
            return None
        first_time = not d.revision.body
        drafts.set_body(d, text)
        step = Step.MEDIA if first_time and not d.attachments else Step.PREVIEW
        return Drafted(view_of(d, person, policy), step)


def body_part_key(submission_id: int, first_message_id: int, message_id: int) -> str:
    """The delivery key of a body part's acknowledgement; it also marks the part as joined."""
    return f"body:{submission_id}:{first_message_id}:{message_id}"


def _continued(body: str, text: str, paragraph: int) -> tuple[str, int]:
    """The body with ``text`` joined to its end, or to paragraph ``paragraph``; and the
    paragraph a further part would continue (0: the end)."""
    paras = paragraphs.paragraphs(body)
    if not 1 <= paragraph <= len(paras):
        return paragraphs.join_part(body, text), 0
    grown = paragraphs.paragraphs(paragraphs.join_part(paras[paragraph - 1], text))
    body = paragraphs.join_paragraphs([*paras[:paragraph - 1], *grown, *paras[paragraph:]])
    return body, paragraph + len(grown) - 1


@needs_lexicons
async def continue_body(sessions: Sessions, *, telegram_id: int, submission_id: int, chat_id: int,
                        first_message_id: int, message_id: int, text: str, policy: checks.CheckPolicy,
                        now: datetime, paragraph: int = 0) -> BodyParts:
    """The next part of a text that a phone split (``first_message_id``: its first
    part): joined to the body's end (or to paragraph ``paragraph``, after a
    paragraph was changed), and its running acknowledgement owed, in one
    transaction.  The acknowledgement's key names the part, so an update
    handled again after a crash finds it and joins nothing twice."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        prefix = body_part_key(submission_id, first_message_id, 0)[:-1]
        joined = await postbox.by_key_prefix(s, prefix)
        key = body_part_key(submission_id, first_message_id, message_id)
        seen = next((m for m in joined if m.key == key), None)
        if seen is not None:  # handled before: the body has it already
            return BodyParts(view_of(d, person, policy), int(seen.params["parts"]), int(seen.params["chars"]),
                             int(seen.params.get("paragraph") or 0))
        body, after = _continued(d.revision.body or "", text, paragraph)
        drafts.set_body(d, body)
        body = d.revision.body or ""
        parts = len(joined) + 2  # the first part, those joined before, this one
        await postbox.owe(s, Owed(key, chat_id, Notice.BODY_PARTS, {
            "submission_id": submission_id, "parts": parts, "chars": len(body), "paragraph": after,
        }, f"body part {message_id}"), now)
        return BodyParts(view_of(d, person, policy), parts, len(body), after)


def body_digest(body: str) -> str:
    """A short fingerprint of a body: a paragraph change applies only to the body it was picked from."""
    return hashlib.sha256(body.encode()).hexdigest()[:16]


@needs_lexicons
async def paragraph_of(sessions: Sessions, *, telegram_id: int, submission_id: int, number: int,
                       policy: checks.CheckPolicy, now: datetime) -> Paragraph:
    """"Ubah → Isi → ¶n": the paragraph and the body it is picked from."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        body = d.revision.body or ""
        paras = paragraphs.paragraphs(body)
        text = paras[number - 1] if 1 <= number <= len(paras) else ("" if number == 0 else None)
        return Paragraph(view_of(d, person, policy), number, text, body_digest(body))


@needs_lexicons
async def set_paragraph(sessions: Sessions, *, telegram_id: int, submission_id: int, number: int,
                        text: str | None, was: str, policy: checks.CheckPolicy, now: datetime) -> ParagraphSet:
    """Paragraph ``number`` replaced by ``text`` (deleted when None; ``number`` 0: added
    at the end).  Applied only to the body it was picked from (``was``): an
    update handled again after a crash finds the body changed and changes nothing."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        body = d.revision.body or ""
        if body_digest(body) != was:
            return ParagraphSet(view_of(d, person, policy), number, 0, changed=False)
        if text is not None and not text.strip():
            raise ServiceError("body_empty")
        if number == 0:
            new = paragraphs.add_paragraph(body, text or "")
            last = len(paragraphs.paragraphs(new))
        else:
            try:
                new = paragraphs.replace_paragraph(body, number, text)
            except IndexError:
                raise ServiceError("paragraph_unknown") from None
            last = 0 if text is None else number - 1 + len(paragraphs.paragraphs(text))
        drafts.set_body(d, new)
        return ParagraphSet(view_of(d, person, policy), number, last)


@needs_lexicons
async def answer_guide(sessions: Sessions, *, telegram_id: int, text: str, policy: checks.CheckPolicy,
                       now: datetime) -> Drafted | None:
    """One 5W1H answer; after the last one the body is composed from them all."""
    async with sessions.begin() as s:
        person = await _writer(s, telegram_id)
        d = await _latest(s, person, now)
        if d is None:
            return None
        key = view_of(d, person, policy).next_question
        if key is None:
            return Drafted(view_of(d, person, policy), Step.PREVIEW)
        if not text.strip():
            raise ServiceError("body_empty")
        drafts.set_guide_answer(d, key, text)
        if any(q not in d.revision.guide for q in QUESTIONS):
            return Drafted(view_of(d, person, policy), Step.GUIDE)
        drafts.compose_body(d)
        step = Step.PREVIEW if d.attachments else Step.MEDIA
        return Drafted(view_of(d, person, policy), step, composed=True)


@needs_lexicons
async def set_caption(sessions: Sessions, *, telegram_id: int, attachment_id: int, text: str,
                      policy: checks.CheckPolicy, now: datetime) -> Drafted | None:
    async with sessions.begin() as s:
        person = await _writer(s, telegram_id)
        d = await _latest(s, person, now)
        if d is None:
            return None
        drafts.set_caption(d, attachment_id, text)
        return Drafted(view_of(d, person, policy), Step.MEDIA)


# --- files ------------------------------------------------------------------------------

async def upload_target(sessions: Sessions, *, telegram_id: int) -> UploadTarget | None:
    """The draft a file sent now goes to: the writer's most recently touched open one."""
    async with sessions() as s:
        person = await by_telegram_id(s, telegram_id)
        open_ = await drafts.open_drafts(s, person) if person else []
        return UploadTarget(open_[0].id) if open_ else None


async def record_upload(sessions: Sessions, intake: Intake, *, telegram_id: int, submission_id: int,
                        incoming: Incoming, processed: Processed, now: datetime) -> Received:
    """A downloaded and converted file, recorded and attached to the draft
    (raises :class:`ServiceError` when the draft can no longer take it)."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        att = await intake.record(s, submission_id=submission_id, person_id=person.id, incoming=incoming,
                                  processed=processed, now=now)
        added = drafts.attach(d, att)
        return Received(added, att.kind, len(d.attachments))


async def expect_album(sessions: Sessions, *, submission_id: int, group: str, chat_id: int, buttons: bool,
                       now: datetime, delay: timedelta) -> None:
    """Owe the album's one acknowledgement, ``delay`` after its latest item."""
    owed = Owed(f"album:{submission_id}:{group}", chat_id, Notice.ALBUM_ACK,
                {"submission_id": submission_id, "group": group, "buttons": buttons}, f"album {group}")
    async with sessions.begin() as s:
        await postbox.owe_at(s, owed, now + delay, now)


@dataclass(frozen=True)
class AlbumCount:
    """How many files of one album the draft holds, and how many in all."""

    in_album: int
    total: int


async def album_count(sessions: Sessions, *, submission_id: int, group: str) -> AlbumCount:
    async with sessions() as s:
        atts = await drafts.current_attachments(s, submission_id)
        return AlbumCount(sum(1 for a in atts if a.media_group_id == group), len(atts))


async def attachment_count(sessions: Sessions, *, submission_id: int) -> int:
    async with sessions() as s:
        return len(await drafts.current_attachments(s, submission_id))


# --- when and where the photos were taken (issue 13) -----------------------------------

#: The 5W1H answers the photos can give.
PHOTO_PARTS = ("kapan", "di_mana")


@dataclass(frozen=True)
class PhotoFacts:
    """What the draft's photos say of when and where they were taken, in words
    (the position itself is never shown)."""

    when: str | None
    where: str | None

    def answer(self, part: str) -> str | None:
        return self.when if part == "kapan" else self.where if part == "di_mana" else None


def photo_facts(d: DraftView, policy: checks.CheckPolicy) -> PhotoFacts:
    """The earliest capture time and the first position's place name among the draft's photos."""
    metas = [a.meta or {} for a in d.attachments if a.kind == "photo"]
    times = sorted(t for t in (places.taken_at(m, policy.office_tz) for m in metas) if t is not None)
    where = next((places.nearest_place(p, policy.office_places())
                  for p in (places.position(m) for m in metas) if p is not None), None)
    return PhotoFacts(places.format_taken(times[0]) if times else None, where)


def photo_parts_usable(d: DraftView, policy: checks.CheckPolicy) -> tuple[str, ...]:
    """The 5W1H answers a one-tap photo fact can fill now: the question being asked
    in the guide, or, for a body composed from the guide and not edited since, an
    answer that differs (the body is composed again).  A body written freely is
    left alone: the writer types the fact in where it belongs."""
    facts = photo_facts(d, policy)
    guide = d.revision.guide or {}
    if guide_open(d):  # (an old body may still be there: "Ubah → Tulis ulang")
        return (d.next_question,) if d.next_question in PHOTO_PARTS and facts.answer(d.next_question) else ()
    if not guide or d.revision.body != compose(guide):
        return ()
    return tuple(p for p in PHOTO_PARTS if facts.answer(p) and guide.get(p) != facts.answer(p))


def guide_open(d: DraftView) -> bool:
    """The 5W1H guide is under way (started, not all answered)."""
    return d.revision.guide is not None and d.next_question is not None and (
        bool(d.revision.guide) or not d.revision.body)


@needs_lexicons
async def use_photo_fact(sessions: Sessions, *, telegram_id: int, submission_id: int, part: str,
                         policy: checks.CheckPolicy, now: datetime) -> Drafted:
    """A photo's time or place taken as the 5W1H answer (guide goes on, or the body is composed again)."""
    async with sessions.begin() as s:
        person, d = await _editable(s, telegram_id, submission_id, now)
        view = view_of(d, person, policy)
        if part not in photo_parts_usable(view, policy):
            raise ServiceError("photo_fact_gone")
        text = photo_facts(view, policy).answer(part) or ""
        was_complete = not guide_open(view)
        drafts.set_guide_answer(d, part, text)
        if any(q not in d.revision.guide for q in QUESTIONS):
            return Drafted(view_of(d, person, policy), Step.GUIDE)
        drafts.compose_body(d)
        return Drafted(view_of(d, person, policy), Step.PREVIEW, composed=not was_complete)
