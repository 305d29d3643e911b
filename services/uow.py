"""The unit of work a use case opens: one transaction per call.

The bot layer holds the session factory and passes it to use cases without
ever opening a session itself.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Result
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


def dialect(s: AsyncSession) -> str:
    """The database kind the session talks to (``sqlite``, ``postgresql``)."""
    return s.get_bind().dialect.name


def affected(result: Result[object]) -> int:
    """Rows an UPDATE or DELETE touched."""
    return int(getattr(result, "rowcount", 0) or 0)
