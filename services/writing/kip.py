"""Public-information classes (UU 14/2008) of submissions, the admin's
per-kind defaults, and the Daftar Informasi Publik (PerKI 1/2021)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.kinds import Kind
from domain.kip import GROUNDS, ExemptionError, ExemptPeriod, KipClass, clean_reason, default_for
from domain.workflow import Action, Role, State
from services.errors import ServiceError
from services.staff import acting
from services.staff.people import by_telegram_id, roles_of
from services.uow import Sessions, must_get
from storage.models import Attachment, AuditEvent, KipDefault, KipExemption, Person, Revision, Submission

#: Who may read the Daftar Informasi Publik (a Plh/Plt of these roles too).
DIP_ROLES = frozenset({Role.KASUBBAG, Role.KEPALA, Role.ADMIN})
#: Who may set a submission's class in each state: the writer while drafting, each reviewer at their step.
_SETTERS = {
    State.DRAFT: Role.WRITER,
    State.RETURNED: Role.WRITER,
    State.WAIT_KASUBBAG: Role.KASUBBAG,
    State.WAIT_KEPALA: Role.KEPALA,
}


@dataclass(frozen=True)
class ClassSet:
    submission_id: int
    kip_class: KipClass
    state: State


@dataclass(frozen=True)
class DipEntry:
    """One row of the Daftar Informasi Publik, detached from the database."""

    submission_id: int
    title: str
    summary: str
    kind: str
    section: str
    approved_by: str
    created_at: datetime
    published_at: datetime
    formats: tuple[str, ...]
    kip_class: KipClass
    withdrawn: bool


@dataclass(frozen=True)
class Exemption:
    """An exemption record (PerKI 1/2017), detached: the Pasal 17 ground's letter, the reason, how long,
    who decided it when, and (once another class was chosen) who lifted it when."""

    submission_id: int
    ground: str
    reason: str
    years: int | None
    until: date | None
    decided_by: str
    decided_at: datetime
    lifted_by: str | None = None
    lifted_at: datetime | None = None


@dataclass(frozen=True)
class DikEntry:
    """One row of the Daftar Informasi yang Dikecualikan: never the content, only who classed what, when,
    and the exemption's record (ground, reason, period) when it was given."""

    submission_id: int
    kind: str
    section: str
    classed_by: str
    classed_at: datetime | None
    exemption: Exemption | None = None


async def _defaults(s: AsyncSession) -> dict[str, KipClass]:
    return {d.kind: d.kip_class for d in (await s.scalars(select(KipDefault))).all()}


async def _kind_of(s: AsyncSession, sub: Submission) -> str | None:
    rev = await s.get(Revision, sub.current_revision_id) if sub.current_revision_id else None
    return rev.kind if rev else None


async def effective(s: AsyncSession, sub: Submission) -> KipClass:
    """The class chosen for the submission, else its kind's default."""
    if sub.kip_class is not None:
        return sub.kip_class
    return default_for(await _kind_of(s, sub), await _defaults(s))


async def class_of(sessions: Sessions, submission_id: int) -> KipClass:
    """The submission's class as the preview and the card show it."""
    async with sessions() as s:
        return await effective(s, await must_get(s, Submission, submission_id))


async def _roles(s: AsyncSession, person: Person, now: datetime) -> frozenset[Role]:
    return roles_of(person) | frozenset(await acting.acting_roles(s, person, now))


async def set_class(sessions: Sessions, *, telegram_id: int, submission_id: int, kip_class: KipClass,
                    now: datetime) -> ClassSet:
    """The writer (while drafting) or the reviewer it waits for sets the class; nothing is decided.

    Raises ``kip_forbidden``."""
    async with sessions.begin() as s:
        sub = await must_get(s, Submission, submission_id)
        me = await _classer(s, telegram_id, sub, now)
        if kip_class.publishable:  # no longer excepted: its records stay, lifted
            for x in await _open_exemptions(s, sub.id):
                x.lifted_by, x.lifted_at = me.id, now
        sub.kip_class, sub.kip_set_by, sub.kip_set_at = kip_class, me.id, now
        return ClassSet(sub.id, kip_class, sub.state)


async def _classer(s: AsyncSession, telegram_id: int, sub: Submission, now: datetime) -> Person:
    """The person who may class ``sub`` now (the writer while drafting, the reviewer it waits for)."""
    me = await by_telegram_id(s, telegram_id)
    role = _SETTERS.get(sub.state)
    if me is None or role is None:
        raise ServiceError("kip_forbidden")
    allowed = sub.author_id == me.id if role is Role.WRITER else role in await _roles(s, me, now)
    if not allowed:
        raise ServiceError("kip_forbidden")
    return me


async def _open_exemptions(s: AsyncSession, submission_id: int) -> list[KipExemption]:
    return list((await s.scalars(select(KipExemption).where(
        KipExemption.submission_id == submission_id, KipExemption.lifted_at.is_(None))
        .order_by(KipExemption.id))).unique().all())


def _exemption(x: KipExemption) -> Exemption:
    return Exemption(x.submission_id, x.ground, x.reason, x.years, x.until, x.decider.full_name, x.decided_at,
                     x.lifter.full_name if x.lifter else None, x.lifted_at)


async def record_exemption(sessions: Sessions, *, telegram_id: int, submission_id: int, ground: str, reason: str,
                           period: ExemptPeriod, now: datetime) -> Exemption:
    """The exemption's record (PerKI 1/2017) of an item classed dikecualikan, by whoever may class it now.

    Raises ``kip_forbidden``, ``kip_not_excepted`` (another class was chosen meanwhile),
    ``kip_ground_unknown`` and ``kip_reason_empty``."""
    if ground not in GROUNDS:
        raise ServiceError("kip_ground_unknown")
    try:
        reason = clean_reason(reason)
    except ExemptionError as exc:
        raise ServiceError("kip_reason_empty") from exc
    if (period.years is None) == (period.until is None):
        raise ServiceError("kip_period_unknown")
    async with sessions.begin() as s:
        sub = await must_get(s, Submission, submission_id)
        me = await _classer(s, telegram_id, sub, now)
        if sub.kip_class is not KipClass.DIKECUALIKAN:
            raise ServiceError("kip_not_excepted")
        row = KipExemption(submission_id=sub.id, revision_id=sub.current_revision_id, ground=ground, reason=reason,
                           years=period.years, until=period.until, decided_by=me.id, decided_at=now)
        s.add(row)
        await s.flush()
        return Exemption(sub.id, ground, reason, period.years, period.until, me.full_name, now)


async def exemptions(s: AsyncSession, submission_id: int) -> list[Exemption]:
    """Every exemption record of the item, oldest first (lifted ones too: the history keeps them)."""
    return [_exemption(x) for x in (await s.scalars(select(KipExemption).where(
        KipExemption.submission_id == submission_id).order_by(KipExemption.id))).unique().all()]


async def exemptions_of(sessions: Sessions, submission_id: int) -> list[Exemption]:
    async with sessions() as s:
        return await exemptions(s, submission_id)


def record_of(entries: Sequence[Exemption]) -> list[dict[str, object]]:
    """The exemption records as the archive's metadata.json keeps them (never the public page)."""
    return [{"ground": f"UU 14/2008 Pasal 17 huruf {e.ground}", "reason": e.reason, "years": e.years,
             "until": e.until.isoformat() if e.until else None, "decided_by": e.decided_by,
             "decided_at": e.decided_at.isoformat(), "lifted_by": e.lifted_by,
             "lifted_at": e.lifted_at.isoformat() if e.lifted_at else None} for e in entries]


async def _admin(s: AsyncSession, telegram_id: int) -> Person:
    me = await by_telegram_id(s, telegram_id)
    if me is None or Role.ADMIN not in roles_of(me):
        raise ServiceError("kip_admin_only")
    return me


async def defaults(sessions: Sessions, *, telegram_id: int) -> tuple[tuple[Kind, KipClass], ...]:
    """/kip: every kind with its default class.  Raises ``kip_admin_only``."""
    async with sessions() as s:
        await _admin(s, telegram_id)
        overrides = await _defaults(s)
        return tuple((k, default_for(k.value, overrides)) for k in Kind)


async def set_default(sessions: Sessions, *, telegram_id: int, kind: Kind, kip_class: KipClass,
                      now: datetime) -> tuple[tuple[Kind, KipClass], ...]:
    """The admin sets a kind's default class; returns every default as it now stands."""
    async with sessions.begin() as s:
        me = await _admin(s, telegram_id)
        row = await s.get(KipDefault, kind.value)
        if row is None:
            s.add(KipDefault(kind=kind.value, kip_class=kip_class, set_by=me.id, set_at=now))
        else:
            row.kip_class, row.set_by, row.set_at = kip_class, me.id, now
        await s.flush()
        overrides = await _defaults(s)
        return tuple((k, default_for(k.value, overrides)) for k in Kind)


async def may_read_dip(s: AsyncSession, telegram_id: int, now: datetime) -> bool:
    me = await by_telegram_id(s, telegram_id)
    return me is not None and bool(await _roles(s, me, now) & DIP_ROLES)


def _format_of(mime: str) -> str:
    """An attachment's electronic format as a reader names it (PDF, JPEG, MP4...)."""
    sub = mime.split("/")[-1].split(";")[0].upper()
    return {"JPEG": "JPG", "VND.OPENXMLFORMATS-OFFICEDOCUMENT.WORDPROCESSINGML.DOCUMENT": "DOCX",
            "VND.OPENXMLFORMATS-OFFICEDOCUMENT.SPREADSHEETML.SHEET": "XLSX", "MPEG": "MP3",
            "MSWORD": "DOC", "OGG": "OGG"}.get(sub, sub)[:12]


async def _entries(s: AsyncSession, start: datetime, end: datetime) -> list[DipEntry]:
    firsts = (await s.execute(
        select(AuditEvent.submission_id, AuditEvent.at).where(AuditEvent.action == Action.PUBLISHED)
        .order_by(AuditEvent.at, AuditEvent.id))).all()
    published: dict[int, datetime] = {}
    for sid, at in firsts:
        published.setdefault(sid, at)
    chosen = {sid: at for sid, at in published.items() if start <= at < end}
    overrides = await _defaults(s)
    out: list[DipEntry] = []
    for sid in sorted(chosen, key=lambda i: (chosen[i], i)):
        sub = await must_get(s, Submission, sid)
        rev = await s.get(Revision, sub.published_revision_id or sub.current_revision_id)
        if rev is None:
            continue
        approval = (await s.scalars(select(AuditEvent).where(
            AuditEvent.submission_id == sid, AuditEvent.action == Action.APPROVE)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1))).first()
        atts = (await s.scalars(select(Attachment).where(
            Attachment.id.in_([int(i) for i in rev.attachment_ids or []])))).all()
        formats = ("HTML", *sorted({_format_of(a.mime) for a in atts}))
        body = " ".join((rev.body or "").split())
        out.append(DipEntry(
            submission_id=sid, title=rev.title or "", summary=body[:300] + ("…" if len(body) > 300 else ""),
            kind=Kind(rev.kind).label if rev.kind in set(Kind) else (rev.kind or ""),
            section=sub.section.name if sub.section else "",
            approved_by=approval.actor.full_name if approval and approval.actor else "",
            created_at=sub.created_at, published_at=chosen[sid], formats=formats,
            kip_class=sub.kip_class or default_for(rev.kind, overrides),
            withdrawn=sub.state in (State.WITHDRAWN,),
        ))
    return out


async def _excepted(s: AsyncSession, start: datetime, end: datetime) -> list[DikEntry]:
    """Items classed dikecualikan in ``[start, end)`` (by when they were classed, else when created)."""
    subs = (await s.scalars(select(Submission).where(Submission.kip_class == KipClass.DIKECUALIKAN))).unique().all()
    setters = {p.id: p.full_name for p in (await s.scalars(select(Person).where(
        Person.id.in_({sub.kip_set_by for sub in subs if sub.kip_set_by is not None})))).unique().all()}
    out = []
    for sub in subs:
        when = sub.kip_set_at or sub.created_at
        if not start <= when < end:
            continue
        kind = await _kind_of(s, sub)
        records = await _open_exemptions(s, sub.id)
        out.append(DikEntry(
            submission_id=sub.id, kind=Kind(kind).label if kind in set(Kind) else (kind or ""),
            section=sub.section.name if sub.section else "",
            classed_by=setters.get(sub.kip_set_by or 0, ""), classed_at=sub.kip_set_at,
            exemption=_exemption(records[-1]) if records else None))
    return sorted(out, key=lambda e: (e.classed_at or start, e.submission_id))


@dataclass(frozen=True)
class Dip:
    """The Daftar Informasi Publik of a period, and the items excepted in it (its second sheet)."""

    published: list[DipEntry]
    excepted: list[DikEntry]


async def dip_entries(sessions: Sessions, *, telegram_id: int, start: datetime, end: datetime,
                      now: datetime) -> Dip:
    """/dip: what was first published in ``[start, end)``, and what was excepted.  Raises ``kip_dip_forbidden``."""
    async with sessions() as s:
        if not await may_read_dip(s, telegram_id, now):
            raise ServiceError("kip_dip_forbidden")
        return Dip(await _entries(s, start, end), await _excepted(s, start, end))


async def dip_between(sessions: Sessions, start: datetime, end: datetime) -> Dip:
    """The Daftar Informasi Publik of ``[start, end)`` (the monthly report)."""
    async with sessions() as s:
        return Dip(await _entries(s, start, end), await _excepted(s, start, end))
