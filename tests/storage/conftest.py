"""Storage tests on both backends: SQLite always, the private PostgreSQL when installed.

``db_url`` is parametrised: ``sqlite`` (a file in tmp_path, so that several
connections share it as the bot and its outbox worker do) and ``postgresql``
(a fresh database on the server from tests/storage_pg/conftest.py; skipped,
with the install command, only when PostgreSQL is not installed).
"""
from __future__ import annotations

import pytest

from tests.storage.office import open_db
from tests.storage_pg.conftest import pg_server, pg_url  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'terbit.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
async def db(db_url):
    """A database migrated to head, with its engine and sessionmaker."""
    d = await open_db(db_url)
    try:
        yield d
    finally:
        await d.close()
