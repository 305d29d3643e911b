"""The `terbit` command (same as `python -m bot`).

* `terbit run` (or no command): start the bot (long polling, or a webhook when
  TELEGRAM_WEBHOOK_URL is set).
* `terbit migrate`: bring the database schema up to date, then exit.
* `terbit doctor`: check settings, token, database, data folder and targets (bot/doctor.py).
* `terbit backup` / `terbit restore` (bot/backup.py).
* `terbit kantor list|add|check`: the deployment's offices (bot/offices_cli.py).
* `terbit --version`.

A start-up failure the office can fix (settings, token, Telegram unreachable, database
unreadable, data folder not writable) is told in one paragraph, Indonesian then English,
without a traceback and without any secret; the exit code is non-zero
(2: settings, 3: already running, 4: any other known start-up failure).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sqlite3
import sys
from collections.abc import Iterator
from typing import NoReturn
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot import backup, doctor, offices_cli
from bot.instance import AlreadyRunning
from bot.logging_setup import configure, redact
from config.about import version
from config.settings import Settings, describe_errors
from handlers.context import TerbitContext
from publishers.registry import PublisherConfigError
from storage.db import is_locked, make_engine, upgrade
from texts.id import ops as T

log = logging.getLogger(__name__)

EXIT_CONFIG, EXIT_RUNNING, EXIT_START = 2, 3, 4
ALLOWED_UPDATES = ["message", "callback_query"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="terbit", description="Terbit: SOP konten website lewat Telegram")
    p.add_argument("--version", action="version", version=f"terbit {version()}")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="jalankan bot (long polling, atau webhook bila TELEGRAM_WEBHOOK_URL diisi)")
    sub.add_parser("migrate", help="perbarui skema basis data lalu keluar")
    sub.add_parser("doctor", help="periksa pengaturan, token, basis data, folder data dan target, lalu keluar")
    backup.add_commands(sub)
    offices_cli.add_commands(sub)
    return p


def load_settings() -> Settings:
    """The settings, or (exit 2) every refused setting named with its reason."""
    try:
        # The token comes from the environment or .env, which mypy cannot see.
        return Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        sys.stderr.write(describe_errors(exc) + "\n")
        raise SystemExit(EXIT_CONFIG) from None


def restore(args: argparse.Namespace) -> int:
    """`terbit restore`: with --with-env the settings come from the backup, so none need to be here yet."""
    try:
        settings: Settings | None = Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        if not args.with_env:
            sys.stderr.write(describe_errors(exc) + "\n")
            return EXIT_CONFIG
        settings = None
    if settings is not None:
        configure(settings.timezone, settings.secrets())
    return backup.run_command(args, settings)


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    command = args.command or "run"
    if command == "restore":
        exit_with(restore(args))
        return
    settings = load_settings()
    configure(settings.timezone, settings.secrets())
    if command == "doctor":
        exit_with(doctor.main(settings))
        return
    if command == "kantor":
        with reported(settings):
            exit_with(offices_cli.run_command(args, settings))
        return
    with reported(settings):
        if command == "backup":
            exit_with(backup.run_command(args, settings))
        elif command == "migrate":
            migrate(settings)
        else:
            run(settings)


def exit_with(code: int) -> None:
    """A sub-command's exit code: 0 returns, anything else ends the process with it."""
    if code:
        raise SystemExit(code)


def fail(settings: Settings, text: str, code: int = EXIT_START) -> NoReturn:
    sys.stderr.write(redact(text, settings.secrets()) + "\n")
    raise SystemExit(code)


@contextlib.contextmanager
def reported(settings: Settings) -> Iterator[None]:
    """Known start-up failures as one paragraph each (Indonesian, then English) and a non-zero exit."""
    problem = doctor.writable_problem(settings.data_dir)
    if problem is not None:
        fail(settings, T.DATA_DIR_NOT_WRITABLE.format(path=settings.data_dir, reason=problem))
    try:
        yield
    except AlreadyRunning as exc:
        fail(settings, str(exc), EXIT_RUNNING)
    except InvalidToken:
        fail(settings, T.TOKEN_REJECTED)
    except TelegramError as exc:
        why = doctor.telegram_unreachable(exc)
        if why is None:
            raise
        host = urlsplit(settings.telegram_api_url).netloc or settings.telegram_api_url
        fail(settings, T.TELEGRAM_UNREACHABLE.format(host=host, why_id=why[0], why_en=why[1]))
    except (SQLAlchemyError, sqlite3.Error) as exc:
        if is_locked(exc):  # another process holds the file: not damage, and no restore advice
            fail(settings, T.DATABASE_LOCKED.format(where=doctor.database_where(settings.db_url),
                                                    reason=doctor.database_reason(exc)))
        fail(settings, T.DATABASE_UNREADABLE.format(where=doctor.database_where(settings.db_url),
                                                     reason=doctor.database_reason(exc)))
    except PublisherConfigError as exc:
        line = T.CONFIG_LINE.format(setting="PUBLISHERS", reason_id=T.TARGETS_INCOMPLETE, reason_en=exc)
        fail(settings, "\n".join([T.CONFIG_HEADER, line, T.CONFIG_FOOTER]), EXIT_CONFIG)


def migrate(settings: Settings) -> None:
    """`terbit migrate`: the schema to the newest migration; says from which revision to which."""
    async def _migrate() -> tuple[str | None, str | None]:
        engine = make_engine(settings.db_url)
        try:
            return await upgrade(engine)
        finally:
            await engine.dispose()

    print(T.migrated(*asyncio.run(_migrate())))


def warn_without_admins(settings: Settings) -> None:
    """ADMIN_IDS empty: the bot would start and nobody could ever be invited; said at once."""
    if not settings.admin_ids:
        log.warning(T.NO_ADMINS_AT_START)


def run(settings: Settings) -> None:
    """`terbit run`: the bot, until it is stopped (Ctrl-C, SIGTERM)."""
    # Imported here, not above: it loads every handler, which --version and doctor do not need.
    from bot.app import build_application

    warn_without_admins(settings)
    app = build_application(settings)
    announce_when_up(app, settings)
    if settings.telegram_webhook_url:
        # Telegram calls us; the update is stored before the 200 goes back (bot/inbox.py), and a
        # request without the secret gets 403.  The same listener serves the review desk (bot/web.py).
        from bot import web

        web.serve(app, settings, ALLOWED_UPDATES)
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)


def announce_when_up(app: Application, settings: Settings) -> None:
    """Log one start line (bot, mode, database, targets) once the bot is up and receiving."""
    inner = app.post_init

    async def announce(context: TerbitContext) -> None:
        log.info(T.STARTED.format(version=version(), username=context.bot.username, mode=settings.mode,
                                  database=settings.database_kind, targets=", ".join(settings.publishers)))

    async def post_init(application: Application) -> None:
        if inner is not None:
            await inner(application)
        # The job queue starts with the application, after polling (or the webhook) is up.
        if application.job_queue is not None:
            application.job_queue.run_once(announce, 0, name="terbit-started")

    app.post_init = post_init


if __name__ == "__main__":
    main()
