"""`terbit backup` / `terbit restore`, and the daily automatic backup (BACKUP_DAILY_AT).

The work is in services/operations/backup.py; this is the command line and the JobQueue job.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from telegram.ext import Application

from bot.instance import AlreadyRunning, InstanceLock
from config.settings import Settings
from domain.messaging import Notice
from handlers.context import Terbit, TerbitContext, terbit
from handlers.render import fmt
from services.delivery import postbox
from services.delivery.postbox import Owed
from services.operations.backup import (
    BACKUPS_DIR,
    ENV_FILE,
    BackupError,
    Manifest,
    make_backup,
    prune,
    restore,
    verify,
)
from services.transitions.effects import Worker
from texts.id import ops as O

log = logging.getLogger(__name__)

JOB_NAME = "daily-backup"
#: Exit codes: refused or failed; no settings; a bot holds the data (as `terbit run` uses 3).
FAILED, NO_SETTINGS, RUNNING = 1, 2, 3


def add_commands(subparsers: Any) -> None:
    """Add `backup` and `restore` to terbit's sub-commands."""
    b = subparsers.add_parser(
        "backup", help="cadangkan basis data, berkas, situs, dan arsip (boleh saat bot berjalan)",
        description="Membuat <folder>/<waktu>/ dengan manifest.json (ukuran dan SHA-256 setiap berkas). "
                    "Bawaan: DATA_DIR/backups, yang menyimpan BACKUP_KEEP cadangan terbaru.")
    b.add_argument("dest", nargs="?", type=Path, help="folder tempat cadangan dibuat (bawaan: DATA_DIR/backups)")
    b.add_argument("--with-env", action="store_true",
                   help="sertakan berkas pengaturan (.env, berisi token bot: simpan cadangan di tempat aman)")
    b.add_argument("--env-file", type=Path, default=Path(".env"), help="berkas pengaturan (bawaan: .env)")
    r = subparsers.add_parser(
        "restore", help="pulihkan cadangan (hentikan bot dulu)",
        description="Memeriksa setiap berkas terhadap manifest.json sebelum menyentuh apa pun, lalu memulihkan "
                    "basis data, berkas, situs, dan arsip ke DATA_DIR dan DATABASE_URL dari pengaturan.")
    r.add_argument("source", type=Path, help="folder cadangan (berisi manifest.json)")
    r.add_argument("--force", action="store_true",
                   help="timpa data yang ada (data lama disisihkan ke DATA_DIR/backups/before-restore-…)")
    r.add_argument("--with-env", action="store_true",
                   help="pulihkan juga berkas pengaturan dari cadangan (dan pakai DATA_DIR/DATABASE_URL di dalamnya)")
    r.add_argument("--env-file", type=Path, default=Path(".env"), help="berkas pengaturan (bawaan: .env)")
    r.add_argument("--check", action="store_true", help="hanya periksa keutuhan cadangan, tanpa memulihkan")


def run_command(args: argparse.Namespace, settings: Settings | None) -> int:
    """Run `backup` or `restore`; returns the exit code.  ``settings`` may be None for a restore
    into a fresh machine whose settings come from the backup (--with-env)."""
    try:
        if args.command == "backup":
            return _backup(args, settings)
        return _restore(args, settings)
    except BackupError as exc:
        sys.stderr.write(f"{exc}\n")
        return FAILED


def _now(settings: Settings) -> datetime:
    return datetime.now(ZoneInfo(settings.timezone))


def _describe(m: Manifest) -> str:
    return (f"{len(m.files)} berkas, {m.size / 1024 / 1024:.1f} MB, basis data {m.database}, "
            f"skema {m.schema or '?'}, Terbit {m.version}, dibuat {m.created_at}")


def _backup(args: argparse.Namespace, settings: Settings | None) -> int:
    if settings is None:
        sys.stderr.write("Pengaturan belum lengkap / settings incomplete: salin .env.example ke .env.\n")
        return NO_SETTINGS
    made = make_backup(settings, now=_now(settings), parent=args.dest,
                       env_file=args.env_file if args.with_env else None)
    print(f"Cadangan dibuat / backup made: {made.path}\n  {_describe(made.manifest)}")
    if args.dest is None:
        for gone in prune(settings.data_dir / BACKUPS_DIR, settings.backup_keep):
            print(f"  cadangan lama dihapus (BACKUP_KEEP={settings.backup_keep}): {gone}")
    return 0


def _restore(args: argparse.Namespace, settings: Settings | None) -> int:
    source: Path = args.source
    if args.check:
        print(f"Cadangan utuh / the backup verifies: {source}\n  {_describe(verify(source))}")
        return 0
    target = _target_settings(args, settings)
    if target is None:
        return NO_SETTINGS
    lock = InstanceLock(target.data_dir)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        sys.stderr.write(f"{exc}\n")
        return RUNNING
    try:
        done = restore(source, target, now=_now(target), force=args.force,
                       env_target=args.env_file if args.with_env else None)
    finally:
        lock.release()
    print(f"Dipulihkan / restored: {source} -> {target.data_dir}\n  {_describe(done.manifest)}")
    if done.env_written is not None:
        print(f"  pengaturan ditulis / settings written: {done.env_written}")
    if done.set_aside is not None:
        print(f"  data lama disisihkan / the old data is kept in: {done.set_aside} (hapus bila semua baik)")
    print(f"Jalankan bot / start the bot: {start_command()}")
    return 0


def start_command(cwd: Path | None = None) -> str:
    """The command that starts the bot from where the person is: ``./scripts/run`` in the installation's
    folder, else this program's own path (``terbit`` alone is rarely on the PATH: it lives in .venv/bin)."""
    here = cwd or Path.cwd()
    if (here / "scripts" / "run").is_file() and (here / "pyproject.toml").is_file():
        return "./scripts/run"
    program = Path(sys.executable).parent / "terbit"
    return f"{program} run" if program.is_file() else f"{sys.executable} -m bot run"


def _target_settings(args: argparse.Namespace, settings: Settings | None) -> Settings | None:
    """Where to restore to: the backup's own settings with --with-env, else this machine's."""
    if args.with_env:
        env = args.source / ENV_FILE
        if not env.is_file():
            raise BackupError("Cadangan ini tidak memuat .env / this backup holds no settings file")
        try:
            return Settings(_env_file=env)  # type: ignore[call-arg]
        except ValidationError as exc:
            raise BackupError(f".env dalam cadangan tidak sah / the backup's settings are invalid: {exc}") from None
    if settings is None:
        sys.stderr.write("Pengaturan belum lengkap / settings incomplete: isi .env, atau pakai --with-env bila "
                         "cadangan memuat .env.\n")
    return settings


def schedule_daily_backup(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """BACKUP_DAILY_AT=HH:MM (local time): a backup every day, keeping BACKUP_KEEP of them."""
    settings = terbit(app).settings
    if settings.backup_daily_at is None or app.job_queue is None:
        return
    at = settings.backup_daily_at.replace(tzinfo=ZoneInfo(settings.timezone))
    app.job_queue.run_daily(daily_backup, time=at, name=JOB_NAME)


async def _tell_admins(t: Terbit, error: str) -> None:
    """A failed daily backup is the admins' to know, once a day, not only the log's."""
    now = t.now()
    day = now.astimezone(ZoneInfo(t.settings.timezone)).date().isoformat()
    text = fmt(O.BACKUP_FAILED, error=error)
    try:
        admins = await postbox.admins_chats(t.sessions)
        await postbox.owe_now(t.sessions, [Owed(f"backup-failed:{day}:{a}", a, Notice.TEXT, {"text": text},
                                                 f"daily backup {day}") for a in admins], now)
    except Exception:  # the database may be what failed; the log has it
        log.exception("could not tell the admins that the daily backup failed")
        return
    t.wake(Worker.POSTMAN)


async def daily_backup(context: TerbitContext) -> None:
    """The job: back up into DATA_DIR/backups without stopping the bot, then drop the oldest."""
    t = context.terbit
    settings = t.settings
    try:
        made = await asyncio.to_thread(make_backup, settings, now=t.now().astimezone(ZoneInfo(settings.timezone)))
        gone = await asyncio.to_thread(prune, settings.data_dir / BACKUPS_DIR, settings.backup_keep)
    except Exception as exc:
        log.exception("the daily backup failed")
        await _tell_admins(t, f"{type(exc).__name__}: {exc}"[:300])
        return
    log.info("daily backup made: %s (%d files, %.1f MB); %d old one(s) removed", made.path,
             len(made.manifest.files), made.manifest.size / 1024 / 1024, len(gone))
