"""The unit of work a use case opens: one transaction per call.

The bot layer holds the session factory and passes it to use cases without
ever opening a session itself.
"""
from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import Result
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.errors import ServiceError

Sessions = async_sessionmaker[AsyncSession]
T = TypeVar("T")


async def must_get(s: AsyncSession, model: type[T], ident: object) -> T:
    """The row, or a :class:`ServiceError` naming what is missing (it was deleted meanwhile)."""
    row = await s.get(model, ident)
    if row is None:
        raise ServiceError("not_found", model=model.__name__, id=ident)
    return row


def insert_for(s: AsyncSession) -> Callable[[Any], PgInsert | SqliteInsert]:
    """The INSERT with ON CONFLICT of the session's database (PostgreSQL or SQLite)."""
    return pg_insert if dialect(s) == "postgresql" else sqlite_insert


def dialect(s: AsyncSession) -> str:
    """The database kind the session talks to (``sqlite``, ``postgresql``)."""
    return s.get_bind().dialect.name


def affected(result: Result[object]) -> int:
    """Rows an UPDATE or DELETE touched."""
    return int(getattr(result, "rowcount", 0) or 0)


R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Writes of one kind share transactions: the ones that arrive while a
    transaction of this kind waits for the database or commits go together in
    the next one.  Each caller still waits until its own write is committed,
    so nothing is reported done before it is; with one caller at a time it is
    exactly one transaction per write.  (SQLite has one writer: under load,
    the number of transactions, not their size, is what people wait for.)"""

    def __init__(self, sessions: Sessions, write: Callable[[AsyncSession, list[T]], Awaitable[list[R]]]) -> None:
        self._sessions = sessions
        self._write = write
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._draining = False

    async def __call__(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    async with self._sessions.begin() as s:
                        results = await self._write(s, [item for item, _ in batch])
                except BaseException as exc:  # every writer of this batch hears it
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                else:
                    for (_, future), result in zip(batch, results, strict=True):
                        if not future.done():
                            future.set_result(result)
        finally:
            self._draining = False


def group_commit(sessions: Sessions, write: Callable[[AsyncSession, list[T]], Awaitable[list[R]]],
                 ) -> GroupCommit[T, R]:
    """The :class:`GroupCommit` of this kind of write on this database (one per session factory)."""
    per_db = _GROUPS.setdefault(write, weakref.WeakKeyDictionary())
    group = per_db.get(sessions)
    if group is None:
        group = per_db[sessions] = GroupCommit(sessions, write)
    return group


_GROUPS: dict[Callable[..., Any], weakref.WeakKeyDictionary[Sessions, Any]] = {}
