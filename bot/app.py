"""Building the python-telegram-bot Application with everything wired in."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    TypeHandler,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.backup import schedule_daily_backup
from bot.inbox import DurableUpdateQueue, InboxBot, LaneProcessor
from bot.instance import InstanceLock, PgLeadership, installation_id
from bot.ratelimit import FairRateLimiter
from bot.workers import Workers
from bot.workers.outbox import OutboxWorker
from bot.workers.postman import Postman
from config import offices as office_settings
from config.offices import FIRST_OFFICE
from config.settings import Settings
from domain.checks import CheckPolicy
from domain.messaging import Notice
from handlers import acting as acting_cmds
from handlers import (
    admin,
    comments,
    drafting,
    errors,
    health,
    menus,
    publishing,
    queues,
    review,
    start,
    updates,
)
from handlers import dictionary as kamus
from handlers import kip as kip_cmds
from handlers import offices as office_cmds
from handlers import places as place_cmds
from handlers import reports as report_cmds
from handlers.callbacks import CallbackCodec
from handlers.context import CONTEXT_TYPES, KEY, Terbit, TerbitContext
from handlers.drawers import deliver
from handlers.faults import STORAGE_WATCH, Fault, StorageWatch
from handlers.handling import Handling
from handlers.notices import draw_text
from media.pipeline import MediaPolicy
from publishers.base import Article, Publisher
from publishers.registry import make_publishers
from services.clock import Clock, SystemClock
from services.delivery import inbox, postbox
from services.delivery.postbox import Owed, Parcel
from services.reviewing import cards
from services.staff import offices
from services.staff.offices import OfficeView
from services.website.articles import build_article
from services.website.outbox import Outbox
from services.writing import dictionary, places
from services.writing.intake import Intake
from storage.db import can_write, make_engine, make_sessionmaker, upgrade, while_locked
from storage.persistence import SqlConversationPersistence
from storage.tenancy import for_office
from texts.id import ops as T

log = logging.getLogger(__name__)
Result = TypeVar("Result")
#: At shutdown, how long work started while the application stopped may still take.
LATE_WORK_SECONDS = 10

# Our conversations are per user on purpose: a writer answers the bot's latest
# question whichever message's button they pressed, and every button carries
# the submission id it acts on.  PTB warns about that combination.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)


def media_policy(settings: Settings) -> MediaPolicy:
    return MediaPolicy(
        max_bytes=settings.download_limit,
        max_pixels=int(settings.image_max_megapixels * 1_000_000),
        web_max_side=settings.image_max_side,
        thumb_side=settings.image_thumb_side,
        image_format=settings.image_format.upper(),
        quality=settings.image_quality,
        progressive_jpeg=settings.image_progressive,
    )


def check_policy(settings: Settings) -> CheckPolicy:
    return CheckPolicy(
        title_min=settings.title_min_chars,
        title_max=settings.title_max_chars,
        body_min=settings.body_min_chars,
        kinds_needing_photo=frozenset(settings.kinds_needing_photo),
        photo_days_apart=settings.photo_days_apart,
        photo_km_apart=settings.photo_km_apart,
        office_tz=settings.timezone,
        office_places=places.book(settings.office_dir).all,
        office_dictionary=str(dictionary.path_in(settings.office_dir)),
    )


async def _flush_persistence(update: Update, context: TerbitContext) -> None:
    """After every update: write the conversation state now, not at the next interval."""
    await context.application.update_persistence()


async def _forget_old_traffic(context: TerbitContext) -> None:
    """Daily: handled updates and settled messages older than a week go (the audit trail stays)."""
    t = context.bot_data[KEY]
    before = t.now() - inbox.KEEP_HANDLED
    updates = await inbox.forget_handled(t.sessions, before)
    messages = await postbox.forget_settled(t.sessions, before)
    log.info("forgot %d handled update(s) and %d settled message(s) older than a week", updates, messages)


@dataclass
class Storage:
    """The database, and how the start-up waits for a lock another process holds."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    async def unlocked(self, action: Callable[[], Awaitable[Result]]) -> Result:
        """A database locked by another process is waited for, as long as the lock is held (not damage)."""
        return await while_locked(action, poll=self.settings.start_lock_poll_seconds,
                                  waiting=lambda: log.warning(T.DATABASE_LOCKED_WAITING),
                                  released=lambda: log.warning(T.DATABASE_LOCK_RELEASED))

    async def migrate(self) -> None:
        """The schema to head (the persistence asks first, at initialisation); a change is logged."""
        before, after = await upgrade(self.engine)
        if before != after:  # a new installation, or an upgrade: the log says what was done
            log.info(T.migrated(before, after))


def open_storage(settings: Settings) -> Storage:
    """Step 1: the database (the schema is brought up to date at initialisation)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url, busy_timeout=settings.sqlite_busy_timeout_seconds)
    return Storage(settings, engine, make_sessionmaker(engine))


@dataclass
class DurableIO:
    """Updates stored before they are acknowledged, one lane per person, storage faults as a state."""

    watch: StorageWatch
    updates_in: DurableUpdateQueue
    lanes: LaneProcessor
    bot: InboxBot


def durable_io(settings: Settings, store: Storage, clock: Clock, *, rate_limit: bool) -> DurableIO:
    """Step 2: the inbox, the lanes and the bot whose getUpdates stores each batch before returning it."""

    async def admin_chats() -> set[int]:
        """The admins to alert: the configured ones, and those the database knows when it can be read."""
        chats = set(settings.admin_ids)
        with contextlib.suppress(Exception):
            chats |= set(await asyncio.wait_for(postbox.admins_chats(store.sessions), 3))
        return chats

    # A storage fault is a state (handlers/faults.py): polling backs off and people are told once.
    watch = StorageWatch(Fault("storage failing: updates stay with Telegram until they can be stored",
                               first=settings.storage_retry_first_seconds,
                               cap=settings.storage_retry_max_seconds,
                               summary_every=settings.fault_summary_seconds), admin_chats)
    updates_in = DurableUpdateQueue()
    updates_in.bind(store.sessions, clock, bot_id=settings.bot_id, watch=watch)
    lanes = LaneProcessor(updates_in, limit=settings.concurrent_updates)
    # The bot is built here rather than by the builder only to store each
    # getUpdates batch in one transaction (InboxBot); the rest is the builder's defaults.
    the_bot = InboxBot(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_url,
        base_file_url=settings.telegram_file_url,
        local_mode=settings.telegram_local_mode,
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(),
        # python-telegram-bot's AIORateLimiter (about 30 chat-bound calls a second, 429s
        # retried), the busiest chat admitted first.
        rate_limiter=FairRateLimiter(max_retries=3) if rate_limit else None,
        inbox=updates_in,
    )
    watch.bot = the_bot
    return DurableIO(watch, updates_in, lanes, the_bot)


class Lifecycle:
    """What happens at start-up (after the Application initialised) and at shutdown."""

    def __init__(self, settings: Settings, store: Storage, clock: Clock, io: DurableIO) -> None:
        self.settings, self.store, self.clock, self.io = settings, store, clock, io
        self.single = InstanceLock(settings.data_dir)
        self.leadership: PgLeadership | None = None
        #: Set by the later steps.
        self.workers: Workers | None = None
        self.closing: list[Callable[[], Awaitable[None]]] = []
        #: Work started while the application stopped; awaited before the database closes.
        self.late: set[asyncio.Task[Any]] = set()

    def create_task(self, app: Application) -> Callable[..., asyncio.Task[Any]]:
        """The application's create_task while it runs.  While it stops (updates still finishing under
        load mark themselves done, wake the postman) a task of our own, awaited by post_shutdown
        before the database closes: PTB would warn that its task is never awaited."""
        def create(coroutine: Coroutine[Any, Any, Any], *, name: str | None = None) -> asyncio.Task[Any]:
            if app.running:
                return app.create_task(coroutine, name=name)
            task = asyncio.get_running_loop().create_task(coroutine, name=name)
            self.late.add(task)
            task.add_done_callback(self.late.discard)
            return task
        return create

    async def post_init(self, app: Application) -> None:
        store, workers = self.store, self.workers
        assert workers is not None, "the workers are wired before the application runs"
        # One active process per bot: on SQLite a second one is refused; on
        # PostgreSQL it waits here as a standby until the active one is gone.
        if store.engine.dialect.name == "sqlite":
            self.single.acquire()
        else:
            self.leadership = PgLeadership(store.engine, app.bot.id)
            await self.leadership.acquire()

        async def first_writes() -> int:
            await store.migrate()
            await can_write(store.engine)  # another process's lock shows here, not halfway through
            t: Terbit = app.bot_data[KEY]
            await offices.rename_first(store.sessions, self.settings.office_name)
            t.know_offices(await offices.all_offices(store.sessions))
            # The deployment's admins (ADMIN_IDS) are admins of every office.
            await offices.ensure_every_office_admins(store.sessions, self.settings.admin_ids, self.clock.now())
            # What a process that is gone left half-done is due again now, not when its lease runs out.
            await workers.postman.start_up()
            recovered: int = await app.bot_data[KEY].outbox.recover()
            return recovered

        recovered = await store.unlocked(first_writes)
        if recovered:
            log.warning("%d publication job(s) left running by a previous process are due again", recovered)
        # The bot-wide menu now; each person's menu (from their roles) in a job, only where it changed.
        await menus.start_up(app)
        replayed = await self.io.updates_in.replay(app.bot)
        if replayed:
            log.warning("%d update(s) received before a restart but not handled are handled now", replayed)
        # The outbox, the postman's safety net, the SOP clock (rebuilt from the database).
        await workers.start()
        schedule_daily_backup(app)  # BACKUP_DAILY_AT=HH:MM; nothing when empty
        app.job_queue.run_repeating(_forget_old_traffic, interval=timedelta(days=1), first=timedelta(hours=1),
                                    name="forget-old-traffic")

    async def post_shutdown(self, app: Application) -> None:
        if self.workers is not None:
            self.workers.stop()
        # Work started while the application stopped (and what it started): finished before the database closes.
        deadline = asyncio.get_running_loop().time() + LATE_WORK_SECONDS
        while self.late and (left := deadline - asyncio.get_running_loop().time()) > 0:
            await asyncio.wait(set(self.late), timeout=left)
        self.single.release()
        if self.leadership is not None:
            await self.leadership.release()
        for close in self.closing:
            await close()
        await self.store.engine.dispose()


def application(store: Storage, io: DurableIO, life: Lifecycle) -> Application:
    """Step 3: python-telegram-bot's Application around the durable I/O, with its lifecycle."""
    return (
        ApplicationBuilder()
        .bot(io.bot)
        .context_types(CONTEXT_TYPES)
        .persistence(SqlConversationPersistence(store.sessions, prepare=lambda: store.unlocked(store.migrate)))
        .post_init(life.post_init)
        .post_shutdown(life.post_shutdown)
        .update_queue(io.updates_in)
        .concurrent_updates(io.lanes)
        .build()
    )


def workers(app: Application, settings: Settings, store: Storage, clock: Clock, io: DurableIO,
            life: Lifecycle) -> Workers:
    """Step 4: the postman (and the replies it sends at once), the outbox worker, the SOP clock."""
    sessions = store.sessions

    async def deliver_parcel(parcel: Parcel) -> int | None:
        return await deliver(app.bot_data[KEY], app.bot, parcel)

    async def on_unreachable(parcel: Parcel) -> None:
        # A review card nobody could receive: the writer and the admins are told instead.
        # In the card's office: its writer and its admins are told.
        if parcel.notice == Notice.REVIEW_CARD and await cards.after_unreachable(
                for_office(sessions, parcel.office_id or FIRST_OFFICE), key=parcel.cause,
                submission_id=parcel.params["submission_id"], now=clock.now()):
            postman.kick()

    postman = Postman(sessions, clock, deliver_parcel, on_unreachable,
                      window=timedelta(minutes=settings.delivery_window_minutes))
    create_task = life.create_task(app)
    postman.attach(create_task)
    io.lanes.create_task = create_task

    async def owe_reply(handling: Handling, chat_id: int, params: dict[str, Any]) -> None:
        owed = Owed(handling.next_reply_key(), chat_id, Notice.TEXT, params, f"update {handling.update_id}")
        try:
            parcel = await postbox.owe_claimed(sessions, owed, clock.now())
        except (OperationalError, OSError):
            # The database cannot record it: say it straight away rather than not at all.
            log.exception("reply to %s could not be recorded; sent directly", chat_id)
            await draw_text(app.bot_data[KEY], app.bot, chat_id, params)
            return
        if parcel is None:  # handled before (a replayed update): whatever is still owed goes out
            await postman.flush_chat(chat_id, first=handling.reply_prefix)
        else:
            postman.send_soon(parcel)

    io.lanes.owe_reply = owe_reply
    io.lanes.latest = postman.latest
    io.lanes.in_flight = postman.in_flight
    found = Workers(app, postman, OutboxWorker(app, settings.outbox_poll_seconds), settings.delivery_poll_seconds)
    life.workers = found
    app.bot_data["postman"] = postman
    return found


def target_names(publishers: dict[str, Publisher]) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """``Terbit.targets`` and ``target_labels`` of these publishers, in order."""
    return [(name, p.stage) for name, p in publishers.items()], {name: p.label for name, p in publishers.items()}


def handlers_context(app: Application, settings: Settings, store: Storage, clock: Clock, io: DurableIO,
                     life: Lifecycle, running: Workers) -> Terbit:
    """Step 5: what the handlers are given (handlers.context.Terbit): use cases' storage, the
    publishers, the intake of files, the outbox, and how to wake each worker; and how each
    office's own are made from them (its settings, scoped storage, buttons and publishers)."""
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)
    life.closing.append(http.aclose)
    installation = installation_id(settings.data_dir)
    office_publishers: dict[int, dict[str, Publisher]] = {}

    def publishers_for(office_id: int, own: Settings) -> dict[str, Publisher]:
        """An office's own targets (its site folder, its WordPress, its channel), made once."""
        found = office_publishers.get(office_id)
        if found is None:
            # The channel publisher posts as this same bot, through its rate limiter.
            found = office_publishers[office_id] = make_publishers(own.publisher_config(), app.bot)
            life.closing.extend(p.aclose for p in found.values())
        return found

    def publishers_of(office_id: int) -> dict[str, Publisher]:
        """The outbox's view: an office's targets (its services are built, with them, on first use)."""
        if office_id not in office_publishers:
            app.bot_data[KEY].for_office(office_id)
        return office_publishers[office_id]

    async def article_for(s: AsyncSession, submission_id: int, revision_id: int) -> Article:
        return await build_article(s, settings.data_dir, submission_id, revision_id, installation)

    # Office no. 1 is the installation as it was before offices: the deployment's settings, its targets.
    publishers = publishers_for(FIRST_OFFICE, settings)
    targets, labels = target_names(publishers)
    codec = CallbackCodec(settings.telegram_bot_token.get_secret_value())

    def make_office(house: Terbit, office: OfficeView) -> Terbit:
        own = office_settings.for_office(settings, office.id, office.slug)  # no. 1's: the deployment's
        targets, labels = target_names(publishers_for(office.id, own))
        return replace(
            house, settings=own, sessions=for_office(store.sessions, office.id), codec=codec.for_office(office.id),
            checks=check_policy(own), outbox=house.outbox.in_office(office.id), targets=targets, target_labels=labels,
            office=office, house=house, make_office=None, offices={}, _bound={}, current={},
        )

    t = Terbit(
        settings=settings,
        engine=store.engine,
        sessions=store.sessions,
        clock=clock,
        codec=codec,
        checks=check_policy(settings),
        intake=Intake(settings.data_dir, media_policy(settings), http),
        outbox=Outbox(store.sessions, publishers, article_for, clock, settings.outbox_max_attempts,
                      settings.outbox_outage_after, office_publishers=publishers_of),
        targets=targets,
        target_labels=labels,
        workers=running.wakers(),
        make_office=make_office,
    )
    app.bot_data[KEY] = t
    app.bot_data[STORAGE_WATCH] = io.watch
    return t


def register_handlers(app: Application) -> None:
    """Step 6: the commands, buttons and conversations, in the order they must be tried."""
    start.register(app)
    office_cmds.register(app)  # which office each update is for (first of all), /kantor
    comments.register(app)  # a reply to a message about an item is a comment (before the conversations)
    admin.register(app)
    place_cmds.register(app)  # /tempat
    kamus.register(app)
    # Review conversations first: a reviewer typing a return note must not
    # have the text taken as the title of a draft they left open.
    for h in review.build():
        app.add_handler(h)
    app.add_handler(kip_cmds.exemption_conversation())  # an exemption's typed reason, before the drafts take text
    app.add_handler(drafting.build())
    for h in queues.build() + publishing.build() + updates.build():
        app.add_handler(h)
    for h in acting_cmds.build() + report_cmds.build() + health.build():  # /plh, /laporan (SOP clock)
        app.add_handler(h)
    for h in kip_cmds.build():  # /kip, /dip and the class buttons (UU 14/2008)
        app.add_handler(h)
    for h in start.catch_all():
        app.add_handler(h)
    app.add_handler(TypeHandler(Update, _flush_persistence), group=100)
    app.add_error_handler(errors.on_error)


def build_application(settings: Settings, *, clock: Clock | None = None, rate_limit: bool = True) -> Application:
    """The Application with everything wired in, step by step."""
    clock = clock or SystemClock(settings.timezone)
    store = open_storage(settings)
    io = durable_io(settings, store, clock, rate_limit=rate_limit)
    life = Lifecycle(settings, store, clock, io)
    app = application(store, io, life)
    running = workers(app, settings, store, clock, io, life)
    handlers_context(app, settings, store, clock, io, life, running)
    register_handlers(app)
    return app
