"""Comments on the draft: a reply to a card, a preview, a correction view or a comment's notice.

:func:`comment_as` records the comment on the item's current revision, anchored to the quoted
words (domain/anchors.py), with its audit event and what it owes people, in one transaction:
the writer, the thread's participants, anyone @mentioned and the people the item now waits for
hear it, never its author.  A comment is changed only by its author, within
:data:`EDIT_WINDOW` (:func:`edit_as`, :func:`delete_as`); a thread is resolved, never deleted
(:func:`resolve_as`).  Each use case owns its transaction and returns a small frozen outcome.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.anchors import Anchor, Part, follow, locate
from domain.messaging import Notice
from domain.workflow import Role, State
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.reviewing.reviewers import reviewers_for
from services.staff import acting
from services.staff.people import by_telegram_id
from services.transitions.effects import Worker
from services.uow import Sessions, insert_for
from storage.models import (
    AuditEvent,
    Comment,
    CommentEvent,
    ItemMessage,
    Person,
    ReviewMessage,
    Revision,
    Submission,
)

#: How long the author may still edit or delete a comment.
EDIT_WINDOW = timedelta(minutes=5)
#: Roles whose holders comment on any item (the writer comments on their own).
REVIEWING = frozenset({Role.KASUBBAG, Role.KEPALA})
#: States in which an item takes no more comments.
CLOSED = frozenset({State.CANCELLED, State.ABANDONED, State.WITHDRAWN})
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,32})")


class Kind:
    """What a comment event records."""

    ADDED = "ditambahkan"
    EDITED = "diubah"
    DELETED = "dihapus"
    RESOLVED = "diselesaikan"


@dataclass(frozen=True)
class RepliedTo:
    """The bot's message a person replied to, as the handler read it."""

    chat_id: int
    message_id: int
    #: Its text (or caption), as the person saw it: the quote's position counts in it.
    shown: str
    #: The item its verified buttons name, when it has any (a preview, a correction view).
    submission_id: int | None = None


@dataclass(frozen=True)
class Said:
    """The reply itself."""

    chat_id: int
    message_id: int
    text: str
    quote: str | None = None
    #: Where the quote starts in the replied message, in UTF-16 code units.
    position: int | None = None


@dataclass(frozen=True)
class Commented:
    comment_id: int
    submission_id: int
    #: The thread it joined (None: it starts one).
    thread_id: int | None
    anchor: Anchor
    #: The people told, by name.
    told: tuple[str, ...]
    #: False when the same message was recorded before (a replayed update).
    new: bool
    wake: frozenset[Worker] = frozenset({Worker.POSTMAN})


async def _item_of(s: AsyncSession, to: RepliedTo) -> tuple[int, int | None, int | None] | None:
    """(submission, comment whose thread it joins, attachment) the replied message is about."""
    known = await s.scalar(select(ItemMessage).where(ItemMessage.chat_id == to.chat_id,
                                                     ItemMessage.message_id == to.message_id))
    if known is not None:
        return known.submission_id, known.comment_id, known.attachment_id
    card = await s.scalar(select(ReviewMessage.submission_id).where(
        ReviewMessage.chat_id == to.chat_id, ReviewMessage.message_id == to.message_id).limit(1))
    if card is not None:
        return card, None, None
    return (to.submission_id, None, None) if to.submission_id is not None else None


async def may_comment(s: AsyncSession, person: Person, sub: Submission, now: datetime) -> bool:
    """The item's writer, and whoever holds a reviewing role (a Plh/Plt too)."""
    if person.id == sub.author_id:
        return True
    actor, _ = await acting.actor_at(s, person, now)
    return bool(actor.roles & REVIEWING)


async def comment_as(sessions: Sessions, *, telegram_id: int, replied_to: RepliedTo, said: Said,
                     now: datetime) -> Commented | None:
    """A reply to a message about an item, recorded as a comment; None when the replied message
    is about no item (the reply is something else).  ServiceError: ``comment_forbidden``,
    ``comment_closed``, ``comment_empty``."""
    async with sessions.begin() as s:
        item = await _item_of(s, replied_to)
        if item is None:
            return None
        sid, joined, attachment_id = item
        sub = await s.get(Submission, sid)
        person = await by_telegram_id(s, telegram_id)
        if sub is None:
            return None
        if person is None or not await may_comment(s, person, sub, now):
            raise ServiceError("comment_forbidden", id=sid)
        known = await s.scalar(select(Comment).where(Comment.source_chat_id == said.chat_id,
                                                     Comment.source_message_id == said.message_id))
        if known is not None:  # a replayed update: recorded and owed already
            return Commented(known.id, sid, known.thread_id, _anchor(known), (), new=False)
        if sub.state in CLOSED or sub.current_revision_id is None:
            raise ServiceError("comment_closed", id=sid)
        text = said.text.strip()
        if not text:
            raise ServiceError("comment_empty", id=sid)
        thread = await s.get(Comment, joined) if joined is not None else None
        thread_id = (thread.thread_id or thread.id) if thread is not None else None
        rev = await s.get(Revision, sub.current_revision_id)
        if thread_id is not None:
            anchor = Anchor(Part.WHOLE)  # a reply in a thread: the thread's first comment holds the anchor
        elif attachment_id is not None:
            anchor = Anchor(Part.ATTACHMENT, attachment_id=attachment_id)
        else:
            anchor = locate(replied_to.shown, said.quote, said.position, title=(rev.title if rev else "") or "",
                            body=(rev.body if rev else "") or "")
        c = Comment(submission_id=sid, revision_id=sub.current_revision_id, thread_id=thread_id,
                    author_id=person.id, text=text, part=anchor.part.value, quote=anchor.quote,
                    paragraph=anchor.paragraph, offset=anchor.offset, attachment_id=anchor.attachment_id,
                    source_chat_id=said.chat_id, source_message_id=said.message_id, created_at=now)
        s.add(c)
        await s.flush()
        s.add(CommentEvent(comment_id=c.id, submission_id=sid, actor_id=person.id, kind=Kind.ADDED, text=text,
                           at=now))
        if thread is not None and (thread.thread_id or thread.id) == thread_id:
            root = thread if thread.thread_id is None else await s.get(Comment, thread_id)
            if root is not None and root.resolved_at is not None:  # a new word reopens a resolved thread
                root.resolved_at, root.resolved_by = None, None
        told = await _concerned(s, sub, person, thread_id, text, now)
        await postbox.owe(s, [Owed(f"cm{c.id}:to:{p.id}", p.telegram_id, Notice.COMMENT,
                                   {"comment_id": c.id, "person_id": p.id}, f"comment {c.id} #{sid}")
                              for p in told], now)
        return Commented(c.id, sid, thread_id, anchor, tuple(p.full_name for p in told), new=True)


def _anchor(c: Comment) -> Anchor:
    return Anchor(Part(c.part), c.quote, c.paragraph, c.offset, c.attachment_id)


async def _concerned(s: AsyncSession, sub: Submission, author: Person, thread_id: int | None, text: str,
                     now: datetime) -> list[Person]:
    """Who hears a new comment: the writer, the thread's participants, the people @mentioned and
    the people the item now waits for, each once; never the comment's author."""
    people: list[Person] = [sub.author]
    if thread_id is not None:
        people += (await s.scalars(select(Person).join(Comment, Comment.author_id == Person.id).where(
            (Comment.id == thread_id) | (Comment.thread_id == thread_id), Comment.deleted_at.is_(None))
            .order_by(Comment.id))).unique().all()
    names = {m.lower() for m in _MENTION.findall(text)}
    if names:
        people += (await s.scalars(select(Person).where(func.lower(Person.username).in_(names),
                                                        Person.active))).unique().all()
    people += await reviewers_for(s, sub, now)
    seen: dict[int, Person] = {}
    for p in people:
        if p.id != author.id and p.active:
            seen.setdefault(p.id, p)
    return list(seen.values())


@dataclass(frozen=True)
class CommentView:
    """One comment as a notice or a list shows it, detached from the database."""

    id: int
    submission_id: int
    title: str
    author: str
    at: datetime
    text: str
    anchor: Anchor
    thread_id: int | None
    #: A reply's thread: its first comment's quoted words.
    thread_quote: str | None
    resolved: bool
    deleted: bool
    #: The words are no longer in the item's current revision.
    outdated: bool


async def view(sessions: Sessions, comment_id: int) -> CommentView | None:
    async with sessions() as s:
        c = await s.get(Comment, comment_id)
        return None if c is None else await _view(s, c)


async def _view(s: AsyncSession, c: Comment, root: Comment | None = None) -> CommentView:
    sub = await s.get(Submission, c.submission_id)
    rev = sub.current_revision if sub is not None else None
    if c.thread_id is not None and root is None:
        root = await s.get(Comment, c.thread_id)
    anchor = _anchor(c)
    outdated = (c.thread_id is None and rev is not None and rev.id != c.revision_id
                and follow(anchor, title=rev.title or "", body=rev.body or "") is None)
    first = root or c
    return CommentView(c.id, c.submission_id, (rev.title if rev else "") or "", c.author.full_name, c.created_at,
                       c.text, anchor, c.thread_id, root.quote if root is not None else None,
                       first.resolved_at is not None, c.deleted_at is not None, outdated)


async def remember_message(sessions: Sessions, *, chat_id: int, message_id: int, submission_id: int, now: datetime,
                           comment_id: int | None = None, attachment_id: int | None = None) -> None:
    """A message the bot sent about an item: a reply to it comments on the item (a comment's notice:
    joins its thread)."""
    await remember_messages(sessions, [(chat_id, message_id, attachment_id)], submission_id=submission_id,
                            now=now, comment_id=comment_id)


async def remember_messages(sessions: Sessions, messages: Sequence[tuple[int, int, int | None]], *,
                            submission_id: int, now: datetime, comment_id: int | None = None) -> None:
    """Several (chat, message, attachment) about one item (a card's parts and photos)."""
    if not messages:
        return
    async with sessions.begin() as s:
        await s.execute(insert_for(s)(ItemMessage).values([
            {"chat_id": chat, "message_id": mid, "submission_id": submission_id, "comment_id": comment_id,
             "attachment_id": att, "created_at": now} for chat, mid, att in messages])
            .on_conflict_do_nothing(index_elements=["chat_id", "message_id"]))


@dataclass(frozen=True)
class Changed:
    """A comment edited, deleted or resolved."""

    comment_id: int
    submission_id: int
    kind: str
    wake: frozenset[Worker] = frozenset()


async def _own_recent(s: AsyncSession, c: Comment | None, telegram_id: int, now: datetime) -> Person:
    person = await by_telegram_id(s, telegram_id)
    if c is None or c.deleted_at is not None:
        raise ServiceError("comment_gone")
    if person is None or person.id != c.author_id:
        raise ServiceError("comment_not_yours")
    if now - c.created_at > EDIT_WINDOW:
        raise ServiceError("comment_too_late", minutes=int(EDIT_WINDOW.total_seconds() // 60))
    return person


async def may_change(sessions: Sessions, *, telegram_id: int, comment_id: int, now: datetime) -> int:
    """The item of a comment its author may still change (ServiceError otherwise)."""
    async with sessions() as s:
        c = await s.get(Comment, comment_id)
        await _own_recent(s, c, telegram_id, now)
        assert c is not None
        return c.submission_id


async def edit_as(sessions: Sessions, *, telegram_id: int, comment_id: int, text: str, now: datetime) -> Changed:
    """The author rewrites a comment (within :data:`EDIT_WINDOW`; the old text is kept in its
    event).  Notices not yet delivered show the new text."""
    async with sessions.begin() as s:
        c = await s.get(Comment, comment_id)
        person = await _own_recent(s, c, telegram_id, now)
        assert c is not None
        new = text.strip()
        if not new:
            raise ServiceError("comment_empty", id=c.submission_id)
        if new != c.text:
            s.add(CommentEvent(comment_id=c.id, submission_id=c.submission_id, actor_id=person.id,
                               kind=Kind.EDITED, text=c.text, at=now))
            c.text, c.edited_at = new, now
        return Changed(c.id, c.submission_id, Kind.EDITED)


async def delete_as(sessions: Sessions, *, telegram_id: int, comment_id: int, now: datetime) -> Changed:
    """The author takes a comment back (within :data:`EDIT_WINDOW`): kept, marked deleted; its
    notices not yet delivered are not sent."""
    async with sessions.begin() as s:
        c = await s.get(Comment, comment_id)
        person = await _own_recent(s, c, telegram_id, now)
        assert c is not None
        c.deleted_at = now
        s.add(CommentEvent(comment_id=c.id, submission_id=c.submission_id, actor_id=person.id, kind=Kind.DELETED,
                           text=c.text, at=now))
        await postbox.supersede_prefix(s, f"cm{c.id}:")
        return Changed(c.id, c.submission_id, Kind.DELETED)


async def _thread(s: AsyncSession, comment_id: int, telegram_id: int, now: datetime, *,
                  author_too: bool) -> tuple[Comment, Person]:
    """The thread's first comment (not deleted) and the presser, who may comment on its item (or,
    ``author_too``, wrote the thread)."""
    c = await s.get(Comment, comment_id)
    if c is not None and c.thread_id is not None:
        c = await s.get(Comment, c.thread_id)
    if c is None or c.deleted_at is not None:
        raise ServiceError("comment_gone")
    person = await by_telegram_id(s, telegram_id)
    sub = await s.get(Submission, c.submission_id)
    if person is None or sub is None or not ((author_too and person.id == c.author_id)
                                             or await may_comment(s, person, sub, now)):
        raise ServiceError("comment_forbidden", id=c.submission_id)
    return c, person


async def resolve_as(sessions: Sessions, *, telegram_id: int, comment_id: int, now: datetime) -> Changed:
    """A thread is done with: resolved (kept).  By the item's writer, the thread's author or a reviewer."""
    async with sessions.begin() as s:
        c, person = await _thread(s, comment_id, telegram_id, now, author_too=True)
        if c.resolved_at is None:
            c.resolved_at, c.resolved_by = now, person.id
            s.add(CommentEvent(comment_id=c.id, submission_id=c.submission_id, actor_id=person.id,
                               kind=Kind.RESOLVED, at=now))
        return Changed(c.id, c.submission_id, Kind.RESOLVED)


async def show_as(sessions: Sessions, *, telegram_id: int, comment_id: int, now: datetime) -> Changed:
    """A thread shown again to someone who may comment on its item (the writer's preview lists the
    open ones): owed as a comment's notice, so a reply to it joins the thread."""
    async with sessions.begin() as s:
        c, person = await _thread(s, comment_id, telegram_id, now, author_too=False)
        key = f"cm{c.id}:show:{person.id}:{int(now.timestamp() * 1_000_000)}"
        await postbox.owe(s, [Owed(key, person.telegram_id, Notice.COMMENT, {"comment_id": c.id,
                                                                             "person_id": person.id}, key)], now)
        return Changed(c.id, c.submission_id, "ditampilkan", frozenset({Worker.POSTMAN}))


async def open_threads(s: AsyncSession, submission_id: int) -> list[CommentView]:
    """The item's threads not resolved (nor deleted), oldest first, as they stand on its current revision."""
    roots = (await s.scalars(select(Comment).where(
        Comment.submission_id == submission_id, Comment.thread_id.is_(None), Comment.resolved_at.is_(None),
        Comment.deleted_at.is_(None)).order_by(Comment.id))).unique().all()
    return [await _view(s, c) for c in roots]


async def settled_since_last_review(s: AsyncSession, sub: Submission) -> list[CommentView]:
    """The threads the reviewers at this level saw open last round that the round since settled:
    resolved (✅ Selesai) since, or whose quoted words the change replaced.  [] on the first round."""
    last = await s.scalar(select(AuditEvent.at).where(
        AuditEvent.submission_id == sub.id, AuditEvent.from_state == sub.state, AuditEvent.to_state != sub.state)
        .order_by(AuditEvent.id.desc()).limit(1))
    if last is None:
        return []
    roots = (await s.scalars(select(Comment).where(
        Comment.submission_id == sub.id, Comment.thread_id.is_(None), Comment.deleted_at.is_(None),
        Comment.created_at <= last).order_by(Comment.id))).unique().all()
    out = []
    for c in roots:
        seen = await _view(s, c)
        if (c.resolved_at is not None and c.resolved_at > last) or (c.resolved_at is None and seen.outdated):
            out.append(seen)
    return out


async def open_count(sessions: Sessions, submission_id: int) -> int:
    async with sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Comment).where(
            Comment.submission_id == submission_id, Comment.thread_id.is_(None), Comment.resolved_at.is_(None),
            Comment.deleted_at.is_(None))) or 0)


async def open_list(sessions: Sessions, submission_id: int) -> list[CommentView]:
    async with sessions() as s:
        return await open_threads(s, submission_id)


@dataclass(frozen=True)
class Trail:
    """A comment event for /riwayat and the archive's record."""

    at: datetime
    kind: str
    actor: str
    comment_id: int
    text: str | None
    quote: str | None
    part: str
    paragraph: int | None
    thread_id: int | None


async def trail(s: AsyncSession, submission_id: int) -> list[Trail]:
    """Every comment event of the item, in order."""
    rows = (await s.execute(select(CommentEvent, Comment).join(Comment, Comment.id == CommentEvent.comment_id)
                            .where(CommentEvent.submission_id == submission_id)
                            .order_by(CommentEvent.at, CommentEvent.id))).unique().all()
    return [Trail(e.at, e.kind, e.actor.full_name, c.id, e.text if e.kind != Kind.EDITED else c.text, c.quote,
                  c.part, None if c.paragraph is None else c.paragraph + 1, c.thread_id) for e, c in rows]


async def trail_of(sessions: Sessions, submission_id: int) -> list[Trail]:
    async with sessions() as s:
        return await trail(s, submission_id)


def record_of(entries: Sequence[Trail]) -> list[dict[str, object]]:
    """The comments' trail as the archive's metadata.json keeps it (never the public page)."""
    return [{"at": e.at.isoformat(), "event": e.kind, "actor": e.actor, "comment": e.comment_id,
             "thread": e.thread_id, "about": e.part, "paragraph": e.paragraph, "quote": e.quote, "text": e.text}
            for e in entries]
