"""A random id for this installation, kept beside its data.

Remote targets find an article by "terbit-<installation>-<submission id>"; the
installation part keeps a reinstalled bot (ids starting at 1 again) from
updating another installation's posts on the same CMS.
"""
from __future__ import annotations

import asyncio
import logging
import os
import secrets
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)


def installation_id(data_dir: Path) -> str:
    path = data_dir / "installation-id"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_hex(4)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(value + "\n")
    try:
        os.link(tmp, path)  # atomic and never overwrites: a concurrent first start keeps one id
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


class AlreadyRunning(RuntimeError):
    """Another Terbit process serves this bot and this data."""


class InstanceLock:
    """One active process per bot and data folder (an exclusive lock file).

    Two processes on one token would fight over getUpdates and both write the
    same SQLite file; the second one is refused with a clear message instead.
    The lock is released by the kernel when the process dies, even by SIGKILL.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "terbit.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise AlreadyRunning(
                f"Terbit sudah berjalan untuk data ini (proses {holder}); hentikan dulu proses itu.\n"
                f"Terbit is already running for this data folder (process {holder}, lock {self.path}); "
                "stop it first.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class PgLeadership:
    """On PostgreSQL, one active process per bot; others wait as standbys.

    The active process holds a session-level advisory lock on a connection of
    its own.  When it dies, PostgreSQL drops the connection and the lock, and a
    standby polling every ``poll`` seconds takes over: it handles what the
    inbox and the outbox hold, so nothing is lost and nothing done twice.
    """

    def __init__(self, engine: AsyncEngine, bot_id: int, poll: float = 2.0) -> None:
        self.engine, self.key, self.poll = engine, 0x7E5B17 << 32 | (bot_id & 0xFFFFFFFF), poll
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> None:
        conn = await self.engine.connect()
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        waited = False
        while not (await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})).scalar():
            if not waited:
                log.warning("another Terbit process is active for this bot; standing by to take over")
                waited = True
            await asyncio.sleep(self.poll)
        if waited:
            log.warning("the active process is gone: this one takes over")
        self._conn = conn

    async def release(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
