"""Building the python-telegram-bot Application with everything wired in."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy.exc import OperationalError
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    ContextTypes,
    TypeHandler,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.backup import schedule_daily_backup
from bot.inbox import DurableUpdateQueue, InboxBot, LaneProcessor
from bot.instance import InstanceLock, PgLeadership, installation_id
from bot.postman import Postman
from bot.ratelimit import FairRateLimiter
from config.settings import Settings
from domain.checks import CheckPolicy
from domain.messaging import Notice
from handlers import acting as acting_cmds
from handlers import (  # noqa: F401  (their drawers register)
    admin,
    clock_notices,
    comments,
    decision_notices,
    drafting,
    errors,
    health,
    menus,
    publishing,
    queues,
    review,
    review_cards,
    start,
    updates,
)
from handlers import dictionary as kamus
from handlers import kip as kip_cmds
from handlers import places as place_cmds
from handlers import reminders as sop_clock
from handlers import reports as report_cmds
from handlers.callbacks import CallbackCodec
from handlers.context import KEY, Terbit
from handlers.faults import STORAGE_WATCH, Fault, StorageWatch
from handlers.handling import Handling
from handlers.notices import deliver, draw_text
from media.pipeline import MediaPolicy
from publishers.registry import make_publishers
from services import cards, dictionary, inbox, people, places, postbox
from services.articles import build_article
from services.clock import Clock, SystemClock
from services.effects import Worker
from services.intake import Intake
from services.outbox import Outbox
from services.postbox import Owed, Parcel
from storage.db import can_write, make_engine, make_sessionmaker, upgrade, while_locked
from storage.persistence import SqlConversationPersistence
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
        office_places=places.book(settings.data_dir).all,
        office_dictionary=str(dictionary.path_in(settings.data_dir)),
    )


async def _flush_persistence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After every update: write the conversation state now, not at the next interval."""
    await context.application.update_persistence()


def publish_now(app: Application) -> None:
    """Publish now rather than at the next poll: the clerical steps take seconds."""
    if app.job_queue is not None:
        app.job_queue.run_once(publishing.run_outbox, 0, name=f"{publishing.JOB_NAME}-now")


async def _forget_old_traffic(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily: handled updates and settled messages older than a week go (the audit trail stays)."""
    t = context.bot_data[KEY]
    before = t.now() - inbox.KEEP_HANDLED
    updates = await inbox.forget_handled(t.sessions, before)
    messages = await postbox.forget_settled(t.sessions, before)
    log.info("forgot %d handled update(s) and %d settled message(s) older than a week", updates, messages)


async def _wake_postman(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The repeating safety net: deliver owed messages whose retry time came."""
    context.bot_data["postman"].kick()


def build_application(settings: Settings, *, clock: Clock | None = None, rate_limit: bool = True) -> Application:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url, busy_timeout=settings.sqlite_busy_timeout_seconds)
    sessions = make_sessionmaker(engine)
    clock = clock or SystemClock(settings.timezone)
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)

    single = InstanceLock(settings.data_dir)
    leadership = None

    async def unlocked(action: Callable[[], Awaitable[Result]]) -> Result:
        """A database locked by another process is waited for, as long as the lock is held (not damage)."""
        return await while_locked(action, poll=settings.start_lock_poll_seconds,
                           waiting=lambda: log.warning(T.DATABASE_LOCKED_WAITING),
                           released=lambda: log.warning(T.DATABASE_LOCK_RELEASED))
    async def migrate() -> None:
        """The schema to head (the persistence asks first, at initialisation); a change is logged."""
        before, after = await upgrade(engine)
        if before != after:  # a new installation, or an upgrade: the log says what was done
            log.info(T.migrated(before, after))

    async def post_init(app: Application) -> None:
        nonlocal leadership
        # One active process per bot: on SQLite a second one is refused; on
        # PostgreSQL it waits here as a standby until the active one is gone.
        if engine.dialect.name == "sqlite":
            single.acquire()
        else:
            leadership = PgLeadership(engine, app.bot.id)
            await leadership.acquire()
        async def first_writes() -> int:
            await migrate()
            await can_write(engine)  # another process's lock shows here, not halfway through
            async with sessions.begin() as s:
                await people.ensure_admins(s, settings.admin_ids, clock.now())
            # What a process that is gone left half-done is due again now, not when its lease runs out.
            await postman.start_up()
            return await app.bot_data[KEY].outbox.recover()

        recovered = await unlocked(first_writes)
        if recovered:
            log.warning("%d publication job(s) left running by a previous process are due again", recovered)
        # The bot-wide menu now; each person's menu (from their roles) in a job, only where it changed.
        await menus.start_up(app)
        replayed = await updates_in.replay(app.bot)
        if replayed:
            log.warning("%d update(s) received before a restart but not handled are handled now", replayed)
        app.job_queue.run_repeating(publishing.run_outbox, interval=settings.outbox_poll_seconds, first=0,
                                    name=publishing.JOB_NAME)
        # The safety net: owed messages whose retry time came are delivered even if nothing wakes the postman.
        app.job_queue.run_repeating(_wake_postman, interval=settings.delivery_poll_seconds, first=0, name="postman")
        # The SOP clock: reminders, escalation, Plh re-sends, monthly report (rebuilt from the database).
        await sop_clock.start_jobs(app)
        schedule_daily_backup(app)  # BACKUP_DAILY_AT=HH:MM; nothing when empty
        app.job_queue.run_repeating(_forget_old_traffic, interval=timedelta(days=1), first=timedelta(hours=1),
                                    name="forget-old-traffic")

    async def post_shutdown(app: Application) -> None:
        postman.stop()
        # Work started while the application stopped (and what it started): finished before the database closes.
        deadline = asyncio.get_running_loop().time() + LATE_WORK_SECONDS
        while late and (left := deadline - asyncio.get_running_loop().time()) > 0:
            await asyncio.wait(set(late), timeout=left)
        single.release()
        if leadership is not None:
            await leadership.release()
        await http.aclose()
        for p in publishers.values():
            await p.aclose()
        await engine.dispose()

    async def admin_chats() -> set[int]:
        """The admins to alert: the configured ones, and those the database knows when it can be read."""
        chats = set(settings.admin_ids)
        with contextlib.suppress(Exception):
            chats |= set(await asyncio.wait_for(postbox.admins_chats(sessions), 3))
        return chats

    # Updates are stored before Telegram is told they arrived; one lane per person.  A storage
    # fault is a state (handlers/faults.py): polling backs off and people are told once.
    watch = StorageWatch(Fault("storage failing: updates stay with Telegram until they can be stored",
                               first=settings.storage_retry_first_seconds,
                               cap=settings.storage_retry_max_seconds,
                               summary_every=settings.fault_summary_seconds), admin_chats)
    updates_in = DurableUpdateQueue()
    updates_in.bind(sessions, clock, bot_id=settings.bot_id, watch=watch)
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
    builder = (
        ApplicationBuilder()
        .bot(the_bot)
        .persistence(SqlConversationPersistence(sessions, prepare=lambda: unlocked(migrate)))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .update_queue(updates_in)
        .concurrent_updates(lanes)
    )
    app = builder.build()
    # The channel publisher posts as this same bot, through its rate limiter.
    publishers = make_publishers(settings.publisher_config(), app.bot)

    installation = installation_id(settings.data_dir)

    async def deliver_parcel(parcel: Parcel) -> int | None:
        return await deliver(app.bot_data[KEY], app.bot, parcel)

    async def on_unreachable(parcel: Parcel) -> None:
        # A review card nobody could receive: the writer and the admins are told instead.
        if parcel.notice == Notice.REVIEW_CARD and await cards.after_unreachable(
                sessions, key=parcel.cause, submission_id=parcel.params["submission_id"], now=clock.now()):
            postman.kick()

    postman = Postman(sessions, clock, deliver_parcel, on_unreachable,
                      window=timedelta(minutes=settings.delivery_window_minutes))
    late: set[asyncio.Task[Any]] = set()

    def create_task(coroutine: Coroutine[Any, Any, Any], *, name: str | None = None) -> asyncio.Task[Any]:
        """The application's create_task while it runs.  While it stops (updates still finishing under
        load mark themselves done, wake the postman) a task of our own, awaited by post_shutdown
        before the database closes: PTB would warn that its task is never awaited."""
        if app.running:
            return app.create_task(coroutine, name=name)
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        late.add(task)
        task.add_done_callback(late.discard)
        return task

    postman.attach(create_task)
    lanes.create_task = create_task

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

    lanes.owe_reply = owe_reply
    lanes.latest = postman.latest
    lanes.in_flight = postman.in_flight

    async def article_for(s, submission_id, revision_id):
        return await build_article(s, settings.data_dir, submission_id, revision_id, installation)

    app.bot_data[KEY] = Terbit(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        codec=CallbackCodec(settings.telegram_bot_token.get_secret_value()),
        checks=check_policy(settings),
        intake=Intake(settings.data_dir, media_policy(settings), http),
        outbox=Outbox(sessions, publishers, article_for, clock, settings.outbox_max_attempts,
                      settings.outbox_outage_after),
        targets=[(name, p.stage) for name, p in publishers.items()],
        target_labels={name: p.label for name, p in publishers.items()},
        workers={
            Worker.POSTMAN: postman.kick,
            Worker.OUTBOX: lambda: publish_now(app),
            Worker.CLOCK: lambda: sop_clock.kick(CallbackContext(app)),
        },
    )
    app.bot_data["postman"] = postman
    app.bot_data[STORAGE_WATCH] = watch

    start.register(app)
    comments.register(app)  # a reply to a message about an item is a comment (before the conversations)
    admin.register(app)
    place_cmds.register(app)  # /tempat
    kamus.register(app)
    # Review conversations first: a reviewer typing a return note must not
    # have the text taken as the title of a draft they left open.
    for h in review.build():
        app.add_handler(h)
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
    return app
