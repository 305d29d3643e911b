"""Engine and session factory; schema is brought to head through Alembic."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

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


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # A short busy timeout: a write that cannot get the file within it fails
        # (the person is told it was not saved) instead of stalling everyone.
        engine = create_async_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

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
