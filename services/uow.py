"""The unit of work a use case opens: one transaction per call.

The bot layer holds the session factory and passes it to use cases without
ever opening a session itself.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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
