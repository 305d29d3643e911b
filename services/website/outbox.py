"""The publication outbox: SOP steps 6 (publish) and 7 (archive), durable.

Approval writes one job per target in the same transaction as the state
change.  A worker (run from the JobQueue) claims due jobs with a lease, calls
the publisher, and records the outcome.  A crash leaves the job ``running``
with a lease that expires; the job is claimed again and the publisher, given
its prior record, updates instead of duplicating.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.kip import KipClass
from domain.messaging import Notice
from domain.publication import JobState, Operation
from domain.workflow import Action, Role, State
from publishers.base import Article, PriorPublication, Publisher, PublishError, PublishResult
from services.clock import Clock
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.errors import ServiceError
from services.staff.people import by_telegram_id, people_with_role, roles_of
from services.transitions.moves import move
from services.uow import affected, must_get
from storage.models import PublicationJob, Revision, Submission
from storage.tenancy import for_office, narrow, office_of, scoped_to

log = logging.getLogger(__name__)

QUEUED, RUNNING, RETRY, PUBLISHED, FAILED = (JobState.QUEUED, JobState.RUNNING, JobState.RETRY, JobState.PUBLISHED,
                                             JobState.FAILED)
LEASE = timedelta(minutes=5)


#: A local address or an absolute path on the server: never shown to people.
_SERVER_PATH = re.compile(r"file://\S*|(?<![\w:/.])/(?:[^\s/()]+/)+[^\s/()]*")


def without_paths(text: str | None) -> str | None:
    """An error message with every server path and file:// address replaced by "…"."""
    return _SERVER_PATH.sub("…", text) if text else None


def backoff(attempts: int) -> timedelta:
    wait: timedelta = timedelta(seconds=30) * (2 ** max(attempts - 1, 0))
    return min(wait, timedelta(hours=1))


def refuse_unpublishable(article: Article) -> None:
    """Defence in depth behind the workflow's own rule: excepted information (UU 14/2008
    Pasal 17), or an article whose class cannot be read, never reaches a target."""
    try:
        publishable = KipClass(article.kip_class).publishable
    except ValueError:
        publishable = False
    if not publishable:
        raise PublishError(EXCEPTED_REFUSED, retryable=False)


#: Why a job failed on something no publisher foresaw (a bug, a crash in a library).
UNEXPECTED_FAILURE = "Kesalahan tak terduga di server; rinciannya ada di log server. Akan dicoba lagi otomatis."

#: Why an excepted article's publication job failed (the admins read it on their notice).
EXCEPTED_REFUSED = ("Tidak diterbitkan: kelas informasi dikecualikan (UU 14/2008 Pasal 17) atau tidak diketahui. "
                    "Periksa kelasnya; informasi yang dikecualikan tidak boleh terbit.")


def _outage_key(job: PublicationJob) -> str:
    """One outage of one job: its notices' delivery keys start with this."""
    since = int(job.failing_since.timestamp()) if job.failing_since else 0
    return f"outage:{job.id}:{since}"


ArticleBuilder = Callable[[AsyncSession, int, int], Awaitable[Article]]


@dataclass
class Outbox:
    sessions: async_sessionmaker[AsyncSession]
    publishers: dict[str, Publisher]
    build_article: ArticleBuilder
    clock: Clock
    max_attempts: int = 8
    #: A target failing this long is an outage people are told of (OUTBOX_OUTAGE_MINUTES).
    outage_after: timedelta = timedelta(minutes=15)
    #: Each office's publishers (its own site, WordPress, channel); None: ``publishers`` for every office.
    office_publishers: Callable[[int], Mapping[str, Publisher]] | None = None

    def in_office(self, office_id: int) -> Outbox:
        """The outbox as one office's use cases see it (its jobs only)."""
        return replace(self, sessions=for_office(self.sessions, office_id))

    async def article(self, submission_id: int, revision_id: int) -> Article:
        """The article as publishing would build it now (the review desk's preview: handlers/desk)."""
        async with self.sessions() as s:
            return await self.build_article(s, submission_id, revision_id)

    def publishers_of(self) -> Mapping[str, Publisher]:
        """This office's publishers (the outbox of an office: :meth:`in_office`)."""
        office = scoped_to(self.sessions)
        return self.publishers if office is None else self._publishers(office)

    async def prepare(self) -> None:
        """A new office's targets made ready (its static site's home page, its archive folder)."""
        for publisher in self.publishers_of().values():
            await publisher.prepare()

    def _publishers(self, office_id: int) -> Mapping[str, Publisher]:
        return self.publishers if self.office_publishers is None else self.office_publishers(office_id)

    @staticmethod
    def _due(now: datetime) -> ColumnElement[bool]:
        return or_(
            PublicationJob.state.in_([QUEUED, RETRY]) & (PublicationJob.next_attempt_at <= now),
            (PublicationJob.state == RUNNING) & (PublicationJob.lease_until < now),
        )

    async def _claim(self) -> list[int]:
        now = self.clock.now()
        # Most polls find nothing: look first without taking a write transaction.
        async with self.sessions() as s:
            if await s.scalar(select(PublicationJob.id).where(self._due(now)).limit(1)) is None:
                return []
        async with self.sessions.begin() as s:
            due = (await s.scalars(
                select(PublicationJob).where(self._due(now)).order_by(PublicationJob.stage, PublicationJob.id)
            )).all()
            claimed = []
            for job in due:
                if job.stage > 0 and not await self._earlier_stages_done(s, job):
                    continue
                # Conditional update: with several workers, exactly one wins.
                res = await s.execute(
                    update(PublicationJob)
                    .where(PublicationJob.id == job.id, PublicationJob.state == job.state,
                           PublicationJob.updated_at == job.updated_at)
                    .values(state=RUNNING, lease_until=now + LEASE, attempts=job.attempts + 1, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                if affected(res) == 1:
                    claimed.append(job.id)
            return claimed

    @staticmethod
    async def _earlier_stages_done(s: AsyncSession, job: PublicationJob) -> bool:
        """The archive (SOP step 7) keeps what was published, so it waits until
        every earlier target has succeeded; a failed one is the admin's to retry."""
        pending = await s.scalar(
            select(PublicationJob.id).where(
                PublicationJob.revision_id == job.revision_id,
                PublicationJob.operation == job.operation,
                PublicationJob.stage < job.stage,
                PublicationJob.state != PUBLISHED,
            ).limit(1)
        )
        return pending is None

    async def _prior(self, s: AsyncSession, job: PublicationJob) -> PriorPublication | None:
        """What the target recorded before: this job's own result from an earlier
        attempt, else the last publication of the same article on that target."""
        if job.operation == Operation.PUBLISH and (job.remote_id or job.remote):
            return PriorPublication(job.remote_id, job.url, dict(job.remote or {}))
        last = await s.scalar(
            select(PublicationJob).where(
                PublicationJob.submission_id == job.submission_id,
                PublicationJob.target == job.target,
                PublicationJob.operation == Operation.PUBLISH,
                PublicationJob.state == PUBLISHED,
                PublicationJob.id != job.id,
            ).order_by(PublicationJob.id.desc()).limit(1)
        )
        if last is None:
            return PriorPublication(remote=dict(job.remote or {})) if job.operation == Operation.WITHDRAW else None
        remote = dict(last.remote or {})
        if job.operation == Operation.WITHDRAW:  # the reason and who confirmed, for the archive's marker
            remote |= dict(job.remote or {})
        return PriorPublication(last.remote_id, last.url, remote)

    async def run_due(self, settled: Callable[[], Awaitable[object]] | None = None) -> int:
        """Process every job that is due now; returns how many were attempted.  ``settled`` is
        awaited after each job: what it settled is told at once, not after the whole backlog."""
        done = 0
        while True:
            ids = await self._claim()
            if not ids:
                return done
            for job_id in ids:
                await self._run_one(job_id)
                done += 1
                if settled is not None:
                    await settled()

    async def _run_one(self, job_id: int) -> None:
        result, error, office = None, None, None
        try:
            # Read everything first and close the session: a slow CMS must not
            # hold a database transaction open.
            async with self.sessions() as s:
                job = await must_get(s, PublicationJob, job_id)
                target, operation, office = job.target, job.operation, job.office_id
                prior = await self._prior(s, job)
                article = await self.build_article(s, job.submission_id, job.revision_id)
            publisher = self._publishers(office).get(target)
            if publisher is None:
                raise PublishError(f"Target '{target}' tidak dikonfigurasi lagi.", retryable=False)
            if operation == Operation.WITHDRAW:
                await publisher.withdraw(article, prior or PriorPublication())
            else:
                refuse_unpublishable(article)
                result = await publisher.publish(article, prior)
        except PublishError as exc:
            error = exc
        except Exception:  # a bug or an unexpected failure: keep the job, retry later
            log.exception("publishing job %s failed", job_id)
            # People read this reason (outage notices, /terbitan): plain Indonesian, no class name;
            # the traceback is in the log above for whoever maintains the server.
            error = PublishError(UNEXPECTED_FAILURE, retryable=True)
        await self._settle(job_id, result, error, office)

    async def _settle(self, job_id: int, result: PublishResult | None, error: PublishError | None,
                      office: int | None) -> None:
        now = self.clock.now()
        async with self.sessions.begin() as s:
            if office is not None and office_of(s) is None:
                # In the job's office: what it causes (the move, its notices, the admins told of
                # an outage) is that office's and reaches that office's people only.
                await narrow(s, office)
            job = await must_get(s, PublicationJob, job_id)
            job.updated_at = now
            job.lease_until = None
            if error is None:
                job.state, job.done_at, job.last_error = PUBLISHED, now, None
                if result is not None:
                    job.url, job.remote_id, job.remote = result.url, result.remote_id, dict(result.remote)
                await self._recovered(s, job, now)
                await self._advance_submission(s, job, now)
                return
            if job.failing_since is None:
                job.failing_since = now
            if error.retryable and job.attempts < self.max_attempts:
                job.state, job.last_error = RETRY, error.message
                job.next_attempt_at = self._next_attempt(job, now)
            else:
                job.state, job.last_error, job.done_at = FAILED, error.message, now
            await self._failing(s, job, now)

    def _next_attempt(self, job: PublicationJob, now: datetime) -> datetime:
        """The backoff's next attempt, but no later than the moment the failure becomes an
        outage, so the admins hear of it on time rather than at the attempt after."""
        due = now + backoff(job.attempts)
        if job.outage_told_at is None and job.failing_since is not None:
            alert_at = job.failing_since + self.outage_after
            if now < alert_at < due:
                return alert_at
        return due

    async def _failing(self, s: AsyncSession, job: PublicationJob, now: datetime) -> None:
        """A failed attempt: once the target has failed for ``outage_after`` (or for
        good), owe the outage notices in this same transaction, once per outage."""
        if job.outage_told_at is not None or job.failing_since is None:
            return
        if job.state != FAILED and now - job.failing_since < self.outage_after:
            return
        job.outage_told_at = now
        sub = await s.get(Submission, job.submission_id)
        rev = await s.get(Revision, job.revision_id)
        if sub is None or rev is None:
            return
        params = {"submission_id": sub.id, "title": rev.title or "", "target": job.target, "job_id": job.id,
                  "error": without_paths(job.last_error) or "-", "since": job.failing_since.isoformat(),
                  "operation": job.operation.value}
        outage = _outage_key(job)
        owed: list[Owed] = []
        if job.state != FAILED:  # failed for good, the admins get PUBLISH_FAILED (with its button) instead
            owed += [Owed(f"{outage}:admins:{p.telegram_id}", p.telegram_id, Notice.PUBLISH_OUTAGE, params, outage)
                     for p in await people_with_role(s, Role.ADMIN)]
        if job.operation == Operation.PUBLISH:  # the writer hears once per version, whichever target it is
            writer = sub.author.telegram_id
            owed.append(Owed(f"delayed:rev{job.revision_id}:writer:{writer}", writer, Notice.PUBLISH_DELAYED,
                             params, outage))
        await postbox.owe(s, owed, now)

    @staticmethod
    async def _recovered(s: AsyncSession, job: PublicationJob, now: datetime) -> None:
        """The target works again: the admins who were told of the outage hear it ended."""
        if job.outage_told_at is not None:
            outage = _outage_key(job)
            rev = await s.get(Revision, job.revision_id)
            params = {"submission_id": job.submission_id, "title": (rev.title if rev else "") or "",
                      "target": job.target, "job_id": job.id, "operation": job.operation.value,
                      "since": job.failing_since.isoformat() if job.failing_since else None}
            await postbox.owe(s, [Owed(f"{outage}:recovered:{p.telegram_id}", p.telegram_id,
                                       Notice.PUBLISH_RECOVERED, params, outage)
                                  for p in await people_with_role(s, Role.ADMIN)], now)
        job.failing_since = job.outage_told_at = None

    @staticmethod
    async def _advance_submission(s: AsyncSession, job: PublicationJob, now: datetime) -> None:
        """APPROVED -> PUBLISHED once every stage-0 target is live; ARCHIVED after stage 1."""
        if job.operation != Operation.PUBLISH:
            return
        # Lock the submission before looking at the siblings: two workers
        # settling the last two stage-0 jobs at once would otherwise each see
        # the other's job still running (READ COMMITTED), and neither would
        # advance it.  The second waits here for the first to commit.
        sub = await s.get(Submission, job.submission_id, with_for_update={"of": Submission})
        if sub is None:
            return
        siblings = (await s.scalars(
            select(PublicationJob).where(PublicationJob.revision_id == job.revision_id,
                                         PublicationJob.operation == Operation.PUBLISH)
        )).all()
        rev = await s.get(Revision, job.revision_id)
        title = (rev.title if rev else "") or ""
        if job.stage == 0 and sub.state == State.APPROVED and all(
            j.state == PUBLISHED for j in siblings if j.stage == 0
        ):
            await move(s, sub, Action.PUBLISHED, by=None, now=now, revision_id=job.revision_id, title=title)
            sub.published_revision_id = job.revision_id
        elif job.stage > 0 and sub.state == State.PUBLISHED:
            await move(s, sub, Action.ARCHIVED, by=None, now=now, revision_id=job.revision_id, title=title)

    async def retry(self, job_id: int) -> PublicationJob | None:
        """The admin's "Coba lagi": a failed job becomes due now."""
        now = self.clock.now()
        async with self.sessions.begin() as s:
            job = await s.get(PublicationJob, job_id)
            if job is None or job.state not in (FAILED, RETRY):
                return None
            job.state, job.next_attempt_at, job.updated_at, job.notified_at = QUEUED, now, now, None
            job.attempts = 0
            return job

    async def retry_by(self, telegram_id: int, job_id: int) -> bool:
        """The admin's "Coba lagi" as a use case: True if the job is due again."""
        async with self.sessions() as s:
            person = await by_telegram_id(s, telegram_id)
            if person is None or Role.ADMIN not in roles_of(person):
                raise ServiceError("admin_only")
        return await self.retry(job_id) is not None

    async def recover(self) -> int:
        """At start-up, after this process holds the instance lock: jobs left
        ``running`` by a process that is gone are due again now, not when their
        lease runs out.  Their publishers update what they had done."""
        now = self.clock.now()
        async with self.sessions.begin() as s:
            res = await s.execute(update(PublicationJob).where(PublicationJob.state == RUNNING)
                                  .values(state=RETRY, next_attempt_at=now, lease_until=None, updated_at=now)
                                  .execution_options(synchronize_session=False))
            return affected(res)

