"""Engine and session factory; schema is brought to head through Alembic."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_SECONDS = 5.0


T = TypeVar("T")


def make_engine(url: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> AsyncEngine:
    if url.startswith("sqlite"):
        # A short busy timeout: a write that cannot get the file within it fails
        # (the person is told it was not saved) instead of stalling everyone.
        engine = create_async_engine(url, connect_args={"timeout": busy_timeout})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            # WAL: readers never block the writer; the bot and its outbox
            # worker share the file.  Foreign keys are off by default in SQLite.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    if engine.dialect.name == "sqlite":
        return SqliteSessions(engine, expire_on_commit=False)
    return async_sessionmaker(engine, expire_on_commit=False)


class SqliteSessions(async_sessionmaker[AsyncSession]):
    """SQLite has one writer at a time.  Write transactions of this process take
    turns here, in order, instead of in SQLite's busy handler, which sleeps and
    retries (up to 100 ms a try) while other lanes wait behind it.  Reads (WAL)
    never wait.  A write opened inside another write of the same task joins it."""

    def __init__(self, engine: AsyncEngine, **kw: Any) -> None:
        super().__init__(engine, **kw)
        self._writer = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:  # type: ignore[override]
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            async with super().begin() as s:
                yield s
            return
        async with self._writer:
            self._owner = task
            try:
                async with super().begin() as s:
                    yield s
            finally:
                self._owner = None


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest migration (idempotent); the revisions before and after
    (before is None for a database that had no schema yet)."""
    def _run(sync_conn):
        before = MigrationContext.configure(sync_conn).get_current_revision()
        cfg = alembic_config(str(engine.url))
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, "head")
        return before, MigrationContext.configure(sync_conn).get_current_revision()

    async with engine.begin() as conn:
        return await conn.run_sync(_run)


async def can_write(engine: AsyncEngine) -> None:
    """SQLite: take the write lock and give it back at once (raises "database is locked" while
    another process holds it).  PostgreSQL has no file lock to wait for."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        await conn.exec_driver_sql("BEGIN IMMEDIATE")
        await conn.exec_driver_sql("ROLLBACK")


def is_locked(exc: BaseException | None) -> bool:
    """SQLite's "database is locked": another process holds the file, which is not damage."""
    while exc is not None:
        if "database is locked" in str(exc) or "database table is locked" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


async def while_locked(action: Callable[[], Awaitable[T]], *, poll: float,
                       waiting: Callable[[], None], released: Callable[[], None]) -> T:
    """Run ``action``; while the database is locked by another process, try again every ``poll``
    seconds, for as long as the lock is held (``waiting`` is called once, ``released`` after)."""
    waited = False
    while True:
        try:
            result = await action()
        except Exception as exc:
            if not is_locked(exc):
                raise
            if not waited:
                waited = True
                waiting()
            await asyncio.sleep(poll)
            continue
        if waited:
            released()
        return result
