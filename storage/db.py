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
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.tenancy import EVERYWHERE, TerbitSession

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
    """The deployment's session factory: its sessions see every office (storage/tenancy.py scopes
    it to one with ``for_office``)."""
    if engine.dialect.name == "sqlite":
        return SqliteSessions(engine, expire_on_commit=False, sync_session_class=TerbitSession)
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=TerbitSession)


class WriterTurns:
    """SQLite has one writer at a time.  Write transactions of this process take
    turns here, in order, instead of in SQLite's busy handler, which sleeps and
    retries (up to 100 ms a try) while other lanes wait behind it.  A write opened
    inside another write of the same task joins it (takes no second turn)."""

    def __init__(self) -> None:
        self._writer = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @contextlib.asynccontextmanager
    async def take(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            yield
            return
        async with self._writer:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


class SqliteSessions(async_sessionmaker[AsyncSession]):
    """The deployment's factory on SQLite: write transactions (``begin()``) take :class:`WriterTurns`;
    reads (WAL) never wait.  Every office's factory (storage.tenancy.for_office) takes the same turns:
    one writer per database file, whatever the office."""

    def __init__(self, engine: AsyncEngine, **kw: Any) -> None:
        super().__init__(engine, **kw)
        self.turns = WriterTurns()

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:  # type: ignore[override]
        async with self.turns.take(), super().begin() as s:
            yield s


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

    return await _migrating(engine, _run)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to ``revision`` ("base": nothing), as :func:`upgrade` runs migrations."""
    def _run(sync_conn):
        cfg = alembic_config(str(engine.url))
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, revision)

    await _migrating(engine, _run)


async def _migrating(engine: AsyncEngine, run: Callable[[Any], T]) -> T:
    """Run migrations in one transaction, as they need the database to be.

    PostgreSQL: the tenant tables' row-level security (0014) lets the transaction see every
    office's rows (``terbit.office`` = ``*``), as the table owner is subject to it.

    SQLite: foreign keys are off while migrations run, as SQLite's own procedure for schema
    changes says (https://sqlite.org/lang_altertable.html, "other kinds of table schema changes"):
    batch mode copies a table and drops the old one, and with foreign keys on, dropping a table
    deletes its rows first, which would cascade to (delete!) the rows that refer to them.  The
    pragma works only outside a transaction, so it is set before and reset after; before the
    commit, ``PRAGMA foreign_key_check`` must find nothing broken."""
    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as conn:
        if sqlite:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
        try:
            async with conn.begin():
                if engine.dialect.name == "postgresql":
                    await conn.execute(text("SELECT set_config('terbit.office', :v, true)"), {"v": EVERYWHERE})
                result = await conn.run_sync(run)
                if sqlite:
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"the migration left rows whose references are broken: {broken[:10]}")
            return result
        finally:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()


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
