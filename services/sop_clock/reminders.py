"""The SOP clock's reminders, escalations, abandoned drafts and monthly report.

Everything is derived from the database and "now" (the injected clock):

* :func:`plan` says which reminders the current state of the office calls
  for, and when each is due (always inside office hours);
* :func:`sync` keeps ``reminder_log`` in step with that plan: one row per
  (submission, round, kind, level), inserted once, its due time moved while
  unsent, removed while unsent once it no longer applies (the review was
  decided, the draft touched ...);
* :func:`claim_due` marks the due rows sent in one transaction (a conditional
  update), so two workers or a restart never send one twice, and records in
  that same transaction the messages they owe (services/delivery/postbox.py): the
  postman delivers them, so a crash after the claim loses nothing.

Kinds and levels:
``review_kasubbag`` / ``review_kepala``: level 1 past the standard time (remind
the reviewer), level 2 past twice the standard (remind again and tell the
admins; for the Kasubbag's step the Kepala too).  Each level is due at its own
moment, ``anchor + standard × level`` counted as the SOP calendar says (working
time by default), moved into office hours.  When a sweep finds several levels
of one review due at once (the bot was down, or office hours held both back),
only the newest is sent: the reviewer reads where the item stands now, once,
and the levels it overtook are settled without a message.  ``returned``: level 1, the
writer's returned draft untouched for a working day.  ``abandon``: level 1 the
warning, level 2 the draft is archived as "ditinggalkan".  ``monthly_report``:
the previous month's report on the first working day of a month.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messaging import Notice
from domain.sop_clock import WorkingCalendar
from domain.standard_times import StandardTimes, Step
from domain.workflow import Action, Role, State, WorkflowError
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.reviewing import claims
from services.reviewing.reviewers import reviewers_for
from services.staff import acting
from services.staff.acting import next_start
from services.staff.people import office_admins, people_with_role
from services.transitions.effects import owe_review_cards
from services.transitions.moves import move
from services.uow import Sessions
from storage.models import AuditEvent, ReminderLog, Submission

REVIEW_KINDS: dict[str, str] = {
    State.WAIT_KASUBBAG: "review_kasubbag",
    State.WAIT_KEPALA: "review_kepala",
}
KIND_STEP = {"review_kasubbag": Step.REVIEW_KASUBBAG, "review_kepala": Step.REVIEW_KEPALA}
#: A reminder goes this long after its deadline: a step that used exactly its standard is not late yet,
#: one second later it is (the reminder's clock line reads "Terlambat < 1 menit").
JUST_PAST = timedelta(seconds=1)
RETURNED = "returned"
ABANDON = "abandon"
MONTHLY = "monthly_report"
#: The end of a claim ("🙋 Saya periksa"): its round is the claim's id.
CLAIM = "claim_end"


@dataclass(frozen=True)
class Policy:
    calendar: WorkingCalendar  # how SOP time is counted
    office: WorkingCalendar  # when people may be reminded
    standards: StandardTimes
    returned_after: timedelta  # of office time
    abandon_after: timedelta | None  # wall time; None: never
    abandon_warning: timedelta
    monthly: bool = True
    #: False: no reminders, escalations or abandoned drafts (the monthly report may stay).
    reminders: bool = True

    @classmethod
    def of(cls, t: Any) -> Policy:
        """From the bot's services (handlers.context.Terbit): settings, calendars, standard times."""
        st = t.settings
        return cls(
            calendar=t.calendar,
            office=t.office_hours,
            standards=t.standards,
            returned_after=t.office_hours.workday_length * float(st.returned_reminder_workdays),
            abandon_after=timedelta(days=st.abandon_after_days) if st.abandon_after_days > 0 else None,
            abandon_warning=timedelta(days=max(0, min(st.abandon_warning_days, st.abandon_after_days))),
            monthly=st.monthly_report_enabled,
            reminders=st.reminders_enabled,
        )


@dataclass(frozen=True)
class Planned:
    submission_id: int | None
    round: int
    kind: str
    level: int
    anchor_at: datetime
    due_at: datetime

    @property
    def key(self) -> str:
        return make_key(self.submission_id, self.round, self.kind, self.level)


def make_key(submission_id: int | None, rnd: int, kind: str, level: int) -> str:
    return f"{submission_id if submission_id is not None else '-'}:{rnd}:{kind}:{level}"


@dataclass(frozen=True)
class Due:
    """A claimed reminder; what it owes people is recorded already (the monthly report excepted)."""

    id: int
    key: str
    submission_id: int | None
    round: int
    kind: str
    level: int
    anchor_at: datetime
    due_at: datetime
    #: How many people the messages it caused were owed to.
    owed: int = 0


def month_start(now: datetime, tz: tzinfo) -> datetime:
    local = now.astimezone(tz)
    return datetime.combine(local.date().replace(day=1), time(0), tzinfo=tz)


async def _entries(s: AsyncSession, sub_ids: list[int]) -> dict[tuple[int, str], int]:
    """How many times each submission entered each state (its review round)."""
    if not sub_ids:
        return {}
    rows = (await s.execute(
        select(AuditEvent.submission_id, AuditEvent.to_state, func.count())
        .where(AuditEvent.submission_id.in_(sub_ids), AuditEvent.from_state != AuditEvent.to_state)
        .group_by(AuditEvent.submission_id, AuditEvent.to_state))).all()
    return {(sid, st): n for sid, st, n in rows}


async def _returns(s: AsyncSession, sub_ids: list[int]) -> dict[int, int]:
    if not sub_ids:
        return {}
    rows = (await s.execute(
        select(AuditEvent.submission_id, func.count())
        .where(AuditEvent.submission_id.in_(sub_ids), AuditEvent.action == Action.RETURN)
        .group_by(AuditEvent.submission_id))).all()
    return dict(rows)


async def plan(s: AsyncSession, policy: Policy, now: datetime) -> list[Planned]:
    cal, office = policy.calendar, policy.office
    out: list[Planned] = [Planned(c.submission_id, c.id, CLAIM, 1, c.claimed_at, c.expires_at)
                          for c in await claims.expiring(s)]  # due when it runs out, in office hours or not

    if not policy.reminders:
        return out + _monthly(policy, now)
    waiting = list((await s.scalars(select(Submission).where(
        Submission.state.in_(list(REVIEW_KINDS))))).unique().all())
    entries = await _entries(s, [x.id for x in waiting])
    for sub in waiting:
        kind = REVIEW_KINDS[sub.state]
        std = policy.standards[KIND_STEP[kind]]
        rnd = max(1, entries.get((sub.id, sub.state), 1))
        anchor = sub.state_changed_at
        for level in (1, 2):
            # Each level at its own moment: just past standard × level.
            due = office.next_working_moment(cal.add(anchor, std * level) + JUST_PAST)
            out.append(Planned(sub.id, rnd, kind, level, anchor, due))

    drafts = list((await s.scalars(select(Submission).where(
        Submission.state.in_([State.DRAFT, State.RETURNED])))).unique().all())
    returns = await _returns(s, [x.id for x in drafts])
    for sub in drafts:
        rnd = returns.get(sub.id, 0) + 1
        anchor = max(sub.updated_at, sub.state_changed_at)
        if sub.state == State.RETURNED and policy.returned_after > timedelta(0):
            due = office.next_working_moment(office.add(anchor, policy.returned_after))
            out.append(Planned(sub.id, rnd, RETURNED, 1, anchor, due))
        # An update of a live article is never archived as abandoned: the live version stays.
        if policy.abandon_after is not None and sub.published_revision_id is None:
            warn = office.next_working_moment(anchor + policy.abandon_after - policy.abandon_warning)
            final = office.next_working_moment(anchor + policy.abandon_after)
            out.append(Planned(sub.id, rnd, ABANDON, 1, anchor, warn))
            out.append(Planned(sub.id, rnd, ABANDON, 2, anchor, max(final, warn)))

    return out + _monthly(policy, now)


def _monthly(policy: Policy, now: datetime) -> list[Planned]:
    """This month's report of the previous month, due at the start of the month's first working period."""
    if not policy.monthly:
        return []
    start = month_start(now, policy.office.tz)
    due = policy.office.next_working_moment(start)
    return [Planned(None, start.year * 100 + start.month, MONTHLY, 1, start, due)]


async def sync(s: AsyncSession, policy: Policy, now: datetime) -> list[ReminderLog]:
    """Bring ``reminder_log`` in step with :func:`plan`; returns the unsent rows, soonest first."""
    planned = {p.key: p for p in await plan(s, policy, now)}
    rows = {r.key: r for r in (await s.scalars(select(ReminderLog).where(
        (ReminderLog.sent_at.is_(None)) | (ReminderLog.key.in_(list(planned)))))).all()}
    for key, stale in list(rows.items()):
        if stale.sent_at is None and key not in planned:
            await s.delete(stale)  # no longer applies: decided, touched, withdrawn ...
            del rows[key]
    by_cycle: defaultdict[tuple[int | None, int, str], list[ReminderLog]] = defaultdict(list)
    for row in rows.values():
        by_cycle[(row.submission_id, row.round, row.kind)].append(row)
    for key, p in planned.items():
        r: ReminderLog | None = rows.get(key)
        if r is not None and r.sent_at is not None and p.kind == ABANDON and p.anchor_at > r.anchor_at:
            # The writer came back after the warning: a new cycle, warned afresh.
            for old in by_cycle[(p.submission_id, p.round, p.kind)]:
                await s.delete(old)
                rows.pop(old.key, None)
            await s.flush()
            r = None
        if r is None:
            r = ReminderLog(key=key, submission_id=p.submission_id, round=p.round, kind=p.kind, level=p.level,
                            anchor_at=p.anchor_at, due_at=p.due_at, created_at=now)
            s.add(r)
            rows[key] = r
        elif r.sent_at is None and (r.due_at != p.due_at or r.anchor_at != p.anchor_at):
            if p.kind == ABANDON and p.level == 2 and r.due_at > p.due_at and r.anchor_at == p.anchor_at:
                continue  # pushed back to give the warning its time (see claim_due)
            r.due_at, r.anchor_at = p.due_at, p.anchor_at
    await s.flush()
    return sorted((r for r in rows.values() if r.sent_at is None), key=lambda r: (r.due_at, r.id))


async def claim_due(s: AsyncSession, policy: Policy, now: datetime) -> list[Due]:
    """Sync, then mark sent every reminder due now (inside office hours), owe
    the messages each one causes, and return them (the monthly report is the
    caller's to send).

    An abandoned draft is archived here, in the same transaction as its claim.
    """
    pending = await sync(s, policy, now)
    if not policy.office.is_working(now):
        # A claim ends on time: the cards get their buttons back; nobody is reminded.
        pending = [r for r in pending if r.kind == CLAIM]
    pending = await _settle_overtaken(s, [r for r in pending if r.due_at <= now], now)
    out: list[Due] = []
    for r in pending:
        if r.kind == ABANDON and r.level == 2:
            warned = await s.scalar(select(ReminderLog.sent_at).where(
                ReminderLog.key == make_key(r.submission_id, r.round, ABANDON, 1)))
            earliest = None if warned is None else policy.office.next_working_moment(warned + policy.abandon_warning)
            if earliest is None or earliest > now:
                if earliest is not None:
                    r.due_at = earliest
                continue
            if r.submission_id is None or not await _abandon(s, r.submission_id, now):
                continue
        res = await s.execute(update(ReminderLog).where(ReminderLog.id == r.id, ReminderLog.sent_at.is_(None))
                              .values(sent_at=now).execution_options(synchronize_session=False))
        if getattr(res, "rowcount", 0) == 1:
            due = Due(r.id, r.key, r.submission_id, r.round, r.kind, r.level, r.anchor_at, r.due_at)
            out.append(replace(due, owed=await owe(s, due, policy, now)))
    return out


async def _settle_overtaken(s: AsyncSession, due: list[ReminderLog], now: datetime) -> list[ReminderLog]:
    """Of the review reminders due now, keep only the newest level of each review;
    the levels it overtook are marked settled (``sent_at``) without a message."""
    newest: dict[tuple[int | None, int, str], int] = {}
    for r in due:
        if r.kind in KIND_STEP:
            cycle = (r.submission_id, r.round, r.kind)
            newest[cycle] = max(newest.get(cycle, 0), r.level)
    keep: list[ReminderLog] = []
    for r in due:
        if r.kind in KIND_STEP and r.level < newest[(r.submission_id, r.round, r.kind)]:
            await s.execute(update(ReminderLog).where(ReminderLog.id == r.id, ReminderLog.sent_at.is_(None))
                            .values(sent_at=now).execution_options(synchronize_session=False))
        else:
            keep.append(r)
    return keep


async def _abandon(s: AsyncSession, submission_id: int, now: datetime) -> bool:
    sub = await s.get(Submission, submission_id, with_for_update={"of": Submission})
    if sub is None:
        return False
    try:
        await move(s, sub, Action.ABANDON, by=None, now=now, title=_title(sub))
    except WorkflowError:  # it moved on meanwhile
        return False
    return True


# --- what a claimed reminder owes ---------------------------------------------

async def _owe_monthly_report(s: AsyncSession, due: Due, now: datetime) -> int:
    """Last month's report, owed like every other message (in the claim's transaction) to the
    Kasubbag (or their Plh/Plt) and the office's admins (people.office_admins); the drawer renders it."""
    year, month = divmod(due.round, 100)
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    audience = await acting.route(s, Role.KASUBBAG, await people_with_role(s, Role.KASUBBAG), now)
    audience += await office_admins(s)
    chats = list(dict.fromkeys(p.telegram_id for p in audience))
    key = f"rem:{due.key}"
    await postbox.owe(s, [Owed(f"{key}:{c}", c, Notice.MONTHLY_REPORT, {"year": year, "month": month}, key)
                          for c in chats], now)
    return len(chats)


#: ``kind`` of a :attr:`Notice.DRAFT_REMINDER`.
DRAFT_RETURNED = "returned"
DRAFT_WARNING = "abandon_warning"
DRAFT_ABANDONED = "abandoned"


def _title(sub: Submission) -> str:
    return (sub.current_revision.title if sub.current_revision else None) or ""


async def owe(s: AsyncSession, due: Due, policy: Policy, now: datetime) -> int:
    """Record the messages a claimed reminder causes (in the claim's transaction); returns how many people."""
    if due.kind == MONTHLY:
        return await _owe_monthly_report(s, due, now)
    if due.submission_id is None:
        return 0
    sub = await s.get(Submission, due.submission_id)
    if sub is None:
        return 0
    key = f"rem:{due.key}"
    if due.kind == CLAIM:
        return await claims.expire(s, due.round, now)
    if due.kind in KIND_STEP:
        claimant = await claims.claimant_of(s, sub, now)  # someone is on it: they are reminded, only they
        n = await owe_review_cards(s, sub, now, key=key, reminder_level=due.level,
                                   only=None if claimant is None else [claimant])
        if due.level >= 2:  # past twice the standard: the admins know, for the Kasubbag's step the Kepala too
            n += await _owe_escalation(s, sub, key, now)
        return n
    params: dict[str, Any] = {"submission_id": sub.id, "title": _title(sub), "since": due.anchor_at.isoformat()}
    if due.kind == RETURNED:
        params["kind"] = DRAFT_RETURNED
    elif due.kind == ABANDON and due.level == 1:
        if policy.abandon_after is None:
            return 0
        params |= {"kind": DRAFT_WARNING, "until": (due.anchor_at + policy.abandon_after).isoformat()}
    elif due.kind == ABANDON:
        params["kind"] = DRAFT_ABANDONED
    else:
        return 0
    # A writer who comes back after a warning starts a new cycle under the same log key: the anchor tells them apart.
    key = f"{key}@{int(due.anchor_at.timestamp())}"
    await postbox.owe(s, Owed(f"{key}:writer", sub.author.telegram_id, Notice.DRAFT_REMINDER, params, key), now)
    return 1


async def _owe_escalation(s: AsyncSession, sub: Submission, key: str, now: datetime) -> int:
    """:attr:`Notice.ESCALATION` to the admins (and, for the Kasubbag's step, the Kepala or their Plh)."""
    if sub.state not in REVIEW_KINDS:
        return 0
    who = [p.full_name for p in await reviewers_for(s, sub, now)]
    audience = list(await people_with_role(s, Role.ADMIN))
    if sub.state == State.WAIT_KASUBBAG:
        audience += await acting.route(s, Role.KEPALA, await people_with_role(s, Role.KEPALA), now)
    chats = list(dict.fromkeys(p.telegram_id for p in audience if p.id != sub.author_id))
    params = {"submission_id": sub.id, "title": _title(sub), "state": sub.state.value,
              "since": sub.state_changed_at.isoformat(), "who": who}
    await postbox.owe(s, [Owed(f"{key}:esc:{chat}", chat, Notice.ESCALATION, params, key) for chat in chats], now)
    return len(chats)


# --- use cases ----------------------------------------------------------------

@dataclass(frozen=True)
class Swept:
    """What one sweep claimed; the messages they owe are recorded already."""

    due: tuple[Due, ...]
    #: How many people messages were owed to.
    owed: int


@dataclass(frozen=True)
class Schedule:
    """When the clock must look again: each pending reminder by key, and the next Plh start."""

    reminders: tuple[tuple[str, datetime], ...]
    next_acting_start: datetime | None


async def sweep(sessions: Sessions, policy: Policy, now: datetime) -> Swept:
    """Claim what is due now and owe its messages, in one transaction."""
    async with sessions.begin() as s:
        due = await claim_due(s, policy, now)
        return Swept(tuple(due), sum(d.owed for d in due))


async def schedule(sessions: Sessions, policy: Policy, now: datetime) -> Schedule:
    """Bring the plan in step with the database; what to schedule, and when."""
    async with sessions.begin() as s:
        rows = await sync(s, policy, now)
        return Schedule(tuple((r.key, r.due_at) for r in rows), await next_start(s, now))


async def still_waiting(sessions: Sessions, *, submission_id: int, state: State, since: datetime) -> bool:
    """Whether the item still waits in ``state`` since ``since`` (a late message about it still applies)."""
    async with sessions() as s:
        sub = await s.get(Submission, submission_id)
        return sub is not None and sub.state == state and sub.state_changed_at == since


