"""The unit of work a use case opens: one transaction per call.

The bot layer holds the session factory and passes it to use cases without
ever opening a session itself.
"""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

Sessions = async_sessionmaker[AsyncSession]
