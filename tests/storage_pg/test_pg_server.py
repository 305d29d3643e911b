"""The private PostgreSQL itself, and what only a real server has."""
from __future__ import annotations

import asyncio
import os
import socket
import time
from datetime import UTC

import pytest

# The PostgreSQL driver is the `postgres` extra: without it these tests skip, saying so.
asyncpg = pytest.importorskip("asyncpg", reason="needs the postgres extra: pip install -e '.[postgres]'")
from pg_test_server import INSTALL_CMD, PostgresServer, PostgresUnavailable, find_bindir
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.models import Submission
from tests.storage.office import T0, WRITER, open_db, person, seed_office


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def test_server_is_private_and_fast(pg_server, pg_url):
    assert pg_server.port != 5432
    assert pg_server.startup_seconds < 30, pg_server.startup_seconds
    conn = await asyncpg.connect(_dsn(pg_url))
    try:
        assert await conn.fetchval("SHOW listen_addresses") == "127.0.0.1"
        assert await conn.fetchval("SHOW fsync") == "off"
        assert await conn.fetchval("SHOW data_directory") == str(pg_server.datadir)
        assert await conn.fetchval("SHOW unix_socket_directories") == str(pg_server.socket_dir)
        assert await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0
    finally:
        await conn.close()
    pid = int((pg_server.datadir / "postmaster.pid").read_text().split()[0])
    assert os.stat(f"/proc/{pid}").st_uid != 0  # never as root


def test_each_test_gets_its_own_database(pg_server, pg_url):
    other = pg_server.create_database()
    try:
        assert other != pg_url and other.rsplit("/", 1)[0] == pg_url.rsplit("/", 1)[0]
    finally:
        pg_server.drop_database(other)


def test_a_server_cleans_up_after_itself(pg_server):
    server = PostgresServer()
    with server as url:
        assert url.startswith("postgresql+asyncpg://") and f":{server.port}/" in url
        where, port = server.dir, server.port
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    assert not where.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()


def test_missing_binaries_name_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("TERBIT_PG_BINDIR", str(tmp_path))
    with pytest.raises(PostgresUnavailable, match=INSTALL_CMD):
        find_bindir()


async def test_two_engines_really_run_at_once(pg_url):
    """The races in tests/storage are truly concurrent here: two backends, overlapping."""
    a, b = await open_db(pg_url), await open_db(pg_url)
    try:
        async def sleepy(d):
            async with d.engine.connect() as c:
                return (await c.execute(text("SELECT pg_backend_pid(), pg_sleep(0.5)"))).scalar()

        t0 = time.monotonic()
        pids = await asyncio.gather(sleepy(a), sleepy(b))
        assert time.monotonic() - t0 < 0.9  # one after the other would take >= 1.0 s
        assert pids[0] != pids[1]
    finally:
        await a.close()
        await b.close()


async def test_the_submission_revision_cycle_is_enforced(pg_url):
    """On SQLite these two FKs exist only in the models; here the server checks them."""
    d = await open_db(pg_url)
    try:
        await seed_office(d)
        with pytest.raises(IntegrityError, match="fk_submissions_current_revision"):
            async with d.sessions.begin() as s:
                w = await person(s, WRITER)
                s.add(Submission(author_id=w.id, state="draf", current_revision_id=999_999, created_at=T0,
                                 updated_at=T0, state_changed_at=T0))
        async with d.engine.connect() as c:
            tz = (await c.execute(text("SHOW timezone"))).scalar()
            col = (await c.execute(text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'submissions' AND column_name = 'created_at'"))).scalar()
        assert tz == "UTC" and col == "timestamp with time zone"
        assert T0.tzinfo is UTC
    finally:
        await d.close()
