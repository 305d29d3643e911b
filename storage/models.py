"""SQLAlchemy models.  Schema changes go through Alembic (storage/migrations)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from domain.kip import KipClass
from domain.messaging import DeliveryState, Notice
from domain.publication import JobState, Operation
from domain.workflow import Action, Role, State


class UTCDateTime(TypeDecorator):
    """Always timezone-aware UTC, on SQLite (which drops tzinfo) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class EnumText(TypeDecorator):
    """A StrEnum stored as its plain value (no database ENUM type: adding a
    state needs no migration); read back as the enum member."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 32) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


#: The office every row belongs to when nothing says otherwise: the one office of a deployment
#: from before offices (migration 0014 makes every existing row its own).
FIRST_OFFICE = 1

#: An execution option naming the office a statement runs for (set by storage/tenancy.py's scope on
#: every ORM statement of an office's session): a Core-style INSERT that names no office takes it.
OFFICE_OPTION = "terbit_office"


def _office_default(context: Any) -> int:
    """office_id of a row inserted without one: the statement's office, else the first office."""
    office = context.execution_options.get(OFFICE_OPTION)
    return FIRST_OFFICE if office is None else int(office)


class Office(Base):
    """A government office (kantor, OPD) served by this deployment.  Rows of the tables whose models
    are :class:`Tenant` belong to one office; people, the postbox, the inbox and the bot's own
    bookkeeping are the deployment's (storage/tenancy.py)."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short, lowercase, unique: the office's name in folders and URLs.
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Tenant:
    """A model whose rows belong to one office.  ``issubclass(model, Tenant)`` is what the office
    scope (storage/tenancy.py) and PostgreSQL's row-level security (migration 0014) go by; a new
    table is either a Tenant or listed as the deployment's in tests/storage/test_tenancy.py.

    ``office_id`` defaults to the first office in the database (rows from before offices, code
    that never names one) and, for an INSERT run by an office's session, to that office."""

    office_id: Mapped[int] = mapped_column(
        ForeignKey("offices.id"), server_default=text(str(FIRST_OFFICE)), default=_office_default)


class Person(Base):
    """A person known to the deployment: one Telegram account, whatever offices they work in
    (their roles are per office: :class:`RoleGrant`)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    #: The signature of the command menu last set for this person's chat (None: never set).
    menu: Mapped[str | None] = mapped_column(String(400))
    #: The office the person is working in now (None: not chosen; one office: that one).
    current_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleGrant.person_id",
    )


class Section(Tenant, Base):
    """A bagian of the office; every writer writes for one or more."""

    __tablename__ = "sections"
    #: Two offices may each have a "Humas".
    __table_args__ = (UniqueConstraint("office_id", "name", name="uq_sections_office_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RoleGrant(Tenant, Base):
    """A role a person holds in one office (in a section, for a writer)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("office_id", "person_id", "role", "section_id", name="uq_role_grant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(EnumText(Role, 20))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    granted_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="grants", foreign_keys=[person_id])
    section: Mapped[Section | None] = relationship(lazy="joined")


class Invitation(Tenant, Base):
    """An invitation to a role in one office; its code is unique in the deployment (redeeming it
    says which office)."""

    __tablename__ = "invitations"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[Role] = mapped_column(EnumText(Role, 20))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    used_at: Mapped[datetime | None]


class Submission(Tenant, Base):
    """One piece of content on its way through the SOP."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_office_state", "office_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    state: Mapped[State] = mapped_column(EnumText(State, 32), index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_submissions_current_revision")
    )
    #: The revision that is live on the targets (after the first publication).
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_submissions_published_revision")
    )
    slug: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    state_changed_at: Mapped[datetime]
    #: "Berlaku sampai" (a pengumuman): when it is withdrawn by itself, as expired.
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    #: Optimistic lock: two reviewers pressing at once yield exactly one decision.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: The public-information class (UU 14/2008); None: the kind's default (services/writing/kip.py).
    kip_class: Mapped[KipClass | None] = mapped_column(EnumText(KipClass, 20))
    #: Who chose the class last, and when (None: before 0010, or the kind's default).
    kip_set_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kip_set_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}

    author: Mapped[Person] = relationship(foreign_keys=[author_id], lazy="joined")
    section: Mapped[Section | None] = relationship(lazy="joined")
    current_revision: Mapped[Revision | None] = relationship(
        foreign_keys=[current_revision_id], post_update=True, lazy="joined"
    )


class Revision(Tenant, Base):
    """An immutable-once-submitted version of the content.

    The writer edits the current revision while it is a draft; submitting
    freezes it; revising after a return, or a Kepala's correction, starts a
    new one, so every version anyone ever reviewed is kept.
    """

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("submission_id", "number", name="uq_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int]
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    #: Guided 5W1H answers while the body is composed from them.
    guide: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attachment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(String(20), default="draft")  # draft|revision|correction|update
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    frozen_at: Mapped[datetime | None]


class Attachment(Tenant, Base):
    """A file received for a submission, stored content-addressed by SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: The untouched original, relative to DATA_DIR (derived from sha256, never from a name).
    path: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(60), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    telegram_file_id: Mapped[str | None] = mapped_column(String(255))
    telegram_unique_id: Mapped[str | None] = mapped_column(String(64))
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Derived files: [{"role", "path" (relative to DATA_DIR), "mime", "size", "sha256"}]
    renditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    added_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]


class AuditEvent(Tenant, Base):
    """Who did what, from which state to which, when.  Written in the same
    transaction as the state change, never afterwards."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_office_at", "office_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    role: Mapped[Role] = mapped_column(EnumText(Role, 20))
    action: Mapped[Action] = mapped_column(EnumText(Action, 20))
    from_state: Mapped[State] = mapped_column(EnumText(State, 32))
    to_state: Mapped[State] = mapped_column(EnumText(State, 32))
    note: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    at: Mapped[datetime]
    #: Set when the actor decided as Plh/Plt of this person (services/staff/acting.py).
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    actor: Mapped[Person | None] = relationship(lazy="joined", foreign_keys=[actor_id])
    acting_for: Mapped[Person | None] = relationship(lazy="joined", foreign_keys=[acting_for_id])


class ReviewMessage(Tenant, Base):
    """A message carrying review buttons, so it can be updated once decided."""

    __tablename__ = "review_messages"
    __table_args__ = (Index("ix_review_messages_open", "submission_id", "closed"),
                      Index("ix_review_messages_message", "chat_id", "message_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[State] = mapped_column(EnumText(State, 32))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    #: The HTML the message was sent with: a decision appends its outcome to it.
    text: Mapped[str | None] = mapped_column(Text)


class SaidOnce(Base):
    """A hint that must reach someone once only (key names the hint and the person)."""

    __tablename__ = "said_once"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    said_at: Mapped[datetime]


class PublicationJob(Tenant, Base):
    """The outbox: one row per (revision, target).  Durable, so a crash or an
    offline CMS neither loses nor duplicates a publication."""

    __tablename__ = "publication_jobs"
    __table_args__ = (
        UniqueConstraint("revision_id", "target", "operation", name="uq_publication_job"),
        Index("ix_publication_jobs_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    target: Mapped[str] = mapped_column(String(40))
    stage: Mapped[int] = mapped_column(Integer, default=0)
    operation: Mapped[Operation] = mapped_column(EnumText(Operation, 16), default=Operation.PUBLISH)
    state: Mapped[JobState] = mapped_column(EnumText(JobState, 16), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    remote_id: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    remote: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    #: Set once people were told of the outcome, so a restart tells them once.
    notified_at: Mapped[datetime | None]
    #: When the current run of failed attempts began; None while the target works.
    failing_since: Mapped[datetime | None]
    #: When people were told that this target keeps failing (once per outage).
    outage_told_at: Mapped[datetime | None]


class UserData(Base):
    """python-telegram-bot ``context.user_data`` (see storage/persistence.py)."""

    __tablename__ = "user_data"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConversationState(Base):
    """python-telegram-bot ConversationHandler states (see storage/persistence.py)."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[str] = mapped_column(Text)


class ReminderLog(Tenant, Base):
    """Every reminder, escalation, warning and scheduled report the SOP clock
    planned or sent: one row per (submission, round, kind, level), so a restart
    neither loses nor repeats one (services/sop_clock/reminders.py)."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("submission_id", "round", "kind", "level", name="uq_reminder_log"),
                      UniqueConstraint("office_id", "key", name="uq_reminder_log_office_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The same four values as text; also unique where submission_id is NULL (monthly report: one per
    #: office, hence unique per office).
    key: Mapped[str] = mapped_column(String(120))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer)
    #: The moment the timer counts from (entering the state, the writer's last touch).
    anchor_at: Mapped[datetime]
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ActingAssignment(Tenant, Base):
    """A Plh/Plt: ``acting_id`` holds ``role`` for ``principal_id`` from
    ``starts_at`` (local midnight of the first day) until ``ends_at`` (local
    midnight after the last day, exclusive)."""

    __tablename__ = "acting_assignments"
    __table_args__ = (Index("ix_acting_assignments_office_id", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(EnumText(Role, 20))
    principal_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    acting_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    #: When the items already waiting were re-sent to the acting official.
    resent_at: Mapped[datetime | None]

    principal: Mapped[Person] = relationship(foreign_keys=[principal_id], lazy="joined")
    acting: Mapped[Person] = relationship(foreign_keys=[acting_id], lazy="joined")


class OutgoingMessage(Base):
    """Something the bot owes a person, recorded in the same transaction as
    what caused it and delivered by the postman (bot/workers/postman.py).  ``key`` is
    the delivery key: recording the same key twice (a retried update, a
    restarted sweep) yields one message."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (Index("ix_outgoing_messages_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    notice: Mapped[Notice] = mapped_column(EnumText(Notice, 32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: What caused it, for the admin and the log ("decision #12 teruskan", "update 5531").
    cause: Mapped[str] = mapped_column(String(160))
    state: Mapped[DeliveryState] = mapped_column(EnumText(DeliveryState, 16), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    #: The Telegram message id of the (last) message sent, e.g. to close a card later.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: The office whose transition or reply owed it (its buttons and rows are that office's);
    #: None: the deployment's own, or owed before offices (office no. 1).  Not a Tenant: the
    #: postman serves every office from one queue.
    office_id: Mapped[int | None] = mapped_column(Integer)


class InboxUpdate(Base):
    """A Telegram update as received, stored before Telegram is told it
    arrived (bot/inbox.py); ``done_at`` once it was handled."""

    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_open", "done_at", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: The bot that received it (its token's number; Telegram numbers updates per bot).  0: stored
    #: before this was recorded (migration 0009), never taken for the current bot's update.
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, server_default="0")
    #: The person (or chat) whose lane it runs in: one person's updates in order.
    lane: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class KipDefault(Tenant, Base):
    """The admin's default public-information class for a kind of content, per office.

    The table's key is (office_id, kind); the mapper's identity is ``kind`` alone, so that
    ``session.get(KipDefault, kind)`` goes on working: in an office's session (storage/tenancy.py)
    ``kind`` names one row.  A deployment-wide session that loads several offices' defaults must not
    rely on the identity map (two offices' "artikel" would be one object): select columns instead."""

    __tablename__ = "kip_defaults"
    __table_args__ = (PrimaryKeyConstraint("office_id", "kind", name="pk_kip_defaults"),)

    kind: Mapped[str] = mapped_column(String(32))
    kip_class: Mapped[KipClass] = mapped_column(EnumText(KipClass, 20))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    set_at: Mapped[datetime]

    __mapper_args__ = {"primary_key": [kind]}


class KipExemption(Tenant, Base):
    """An item classed *dikecualikan*, as PerKI 1/2017 asks it recorded: the UU 14/2008 Pasal 17 ground
    (its letter), the consequence test's reason, how long (years, or until a date), who decided, when.
    Kept when another class is chosen later (``lifted_at``): the record stays, the item is no longer excepted."""

    __tablename__ = "kip_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    ground: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text)
    years: Mapped[int | None] = mapped_column(Integer)
    until: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime]
    #: Another class was chosen: by whom, when (the record is kept).
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    lifted_at: Mapped[datetime | None]

    decider: Mapped[Person] = relationship(foreign_keys=[decided_by], lazy="joined")
    lifter: Mapped[Person | None] = relationship(foreign_keys=[lifted_by], lazy="joined")


class Comment(Tenant, Base):
    """A remark on a draft, anchored to the words a person selected (domain/anchors.py), or a
    reply in its thread.  Resolved comments are kept; a deleted one keeps its row (``deleted_at``)."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("source_chat_id", "source_message_id", name="uq_comment_source"),
                      Index("ix_comments_submission", "submission_id", "thread_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    #: The revision it was made on (the item's current one then).
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    #: The first comment of its thread (None: it starts one).
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    #: domain.anchors.Part, the quoted words, paragraph (0-based) and offset, or the attachment.
    part: Mapped[str] = mapped_column(String(16))
    quote: Mapped[str | None] = mapped_column(Text)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    offset: Mapped[int | None] = mapped_column(Integer)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))
    #: The Telegram message it came as (a replayed update records nothing new; an edit finds it).
    source_chat_id: Mapped[int] = mapped_column(BigInteger)
    source_message_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    #: On the thread's first comment: when and by whom the thread was resolved.
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    author: Mapped[Person] = relationship(foreign_keys=[author_id], lazy="joined")


class CommentEvent(Tenant, Base):
    """Who did what to a comment, when (added, edited, deleted, resolved): kept for /riwayat and the archive."""

    __tablename__ = "comment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16))
    #: The text before an edit (the new one is on the comment), or the comment's text when added.
    text: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]

    actor: Mapped[Person] = relationship(foreign_keys=[actor_id], lazy="joined")


class ItemMessage(Tenant, Base):
    """A message the bot sent about an item (a card's part, a photo, a comment's notice): a reply
    to it comments on that item (and, for a comment's notice, joins its thread)."""

    __tablename__ = "item_messages"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", name="uq_item_message"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class ReviewClaim(Tenant, Base):
    """"🙋 Saya periksa": one of several holders of the role an item waits for took it on, for this
    revision at this step, until they let go (``ended='dilepas'``) or time ran out (``'habis'``).
    A decision moves the item on, and the claim with it (it applies to its state and revision only)."""

    __tablename__ = "review_claims"
    __table_args__ = (Index("ix_review_claims_open", "submission_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    state: Mapped[State] = mapped_column(EnumText(State, 32))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    claimed_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended: Mapped[str | None] = mapped_column(String(16))

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
