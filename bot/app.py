"""Building the python-telegram-bot Application with everything wired in."""
from __future__ import annotations

import logging
import warnings

import httpx
from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

from bot.context import KEY, Terbit
from bot.i18n.id.common import BOT_COMMANDS
from bot.instance import installation_id
from bot.settings import Settings
from domain.checks import CheckPolicy
from handlers import acting as acting_cmds
from handlers import admin, drafting, errors, publishing, queues, review, start, updates
from handlers import reminders as sop_clock
from handlers import reports as report_cmds
from handlers.callbacks import CallbackCodec
from media.pipeline import MediaPolicy
from publishers.registry import build_publishers
from services import people
from services.articles import build_article
from services.clock import Clock, SystemClock
from services.intake import Intake
from services.outbox import Outbox
from storage.db import make_engine, make_sessionmaker, upgrade
from storage.persistence import SqlConversationPersistence

log = logging.getLogger(__name__)

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
    )


async def _flush_persistence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After every update: write the conversation state now, not at the next interval."""
    await context.application.update_persistence()


def build_application(settings: Settings, *, clock: Clock | None = None, rate_limit: bool = True) -> Application:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    sessions = make_sessionmaker(engine)
    clock = clock or SystemClock(settings.timezone)
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)

    async def post_init(app: Application) -> None:
        await upgrade(engine)
        async with sessions.begin() as s:
            await people.ensure_admins(s, settings.admin_ids, clock.now())
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in BOT_COMMANDS])
        # Jobs left half-done by a crash are picked up at once.
        app.job_queue.run_repeating(publishing.run_outbox, interval=settings.outbox_poll_seconds, first=0,
                                    name=publishing.JOB_NAME)
        # The SOP clock: reminders, escalation, Plh re-sends, monthly report (rebuilt from the database).
        await sop_clock.start_jobs(app)

    async def post_shutdown(app: Application) -> None:
        await http.aclose()
        for p in publishers.values():
            await p.aclose()
        await engine.dispose()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .local_mode(settings.telegram_local_mode)
        .persistence(SqlConversationPersistence(sessions, prepare=lambda: upgrade(engine)))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .concurrent_updates(False)
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()
    # The channel publisher posts as this same bot, through its rate limiter.
    publishers = build_publishers(settings, app.bot)

    installation = installation_id(settings.data_dir)

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
        outbox=Outbox(sessions, publishers, article_for, clock, settings.outbox_max_attempts),
        targets=[(name, p.stage) for name, p in publishers.items()],
        target_labels={name: p.label for name, p in publishers.items()},
    )

    start.register(app)
    admin.register(app)
    # Review conversations first: a reviewer typing a return note must not
    # have the text taken as the title of a draft they left open.
    for h in review.build():
        app.add_handler(h)
    app.add_handler(drafting.build())
    for h in queues.build() + publishing.build() + updates.build():
        app.add_handler(h)
    for h in acting_cmds.build() + report_cmds.build():  # /plh, /laporan (SOP clock)
        app.add_handler(h)
    for h in start.catch_all():
        app.add_handler(h)
    app.add_handler(TypeHandler(Update, _flush_persistence), group=100)
    app.add_error_handler(errors.on_error)
    return app
