"""A private PostgreSQL for the whole test session (scripts/pg_test_server.py).

Started by the suite itself on a free 127.0.0.1 port, never the machine's own
server.  Skipped only when the PostgreSQL binaries are not installed; the
reason names the command that installs them.  Any other failure to start is
an error, not a skip.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

_SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(_SCRIPTS) not in sys.path:
    sys.path.insert(0, str(_SCRIPTS))

from pg_test_server import PostgresServer, PostgresUnavailable

#: One server per test session, shared by every conftest that imports the
#: fixture (tests/storage does): pytest would otherwise start one per conftest.
_shared: dict = {"server": None, "users": 0}


@pytest.fixture(scope="session")
def pg_server():
    if _shared["server"] is None:
        try:
            server = PostgresServer()
        except PostgresUnavailable as e:
            pytest.skip(f"real PostgreSQL not available: {e} (scripts/install-test-services.sh does that)")
        server.__enter__()
        _shared["server"] = server
        print(f"\n[pg_test_server] PostgreSQL {server.bindir.parent.name} on 127.0.0.1:{server.port} "
              f"up in {server.startup_seconds:.2f}s", file=sys.stderr)
    _shared["users"] += 1
    try:
        yield _shared["server"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            server, _shared["server"] = _shared["server"], None
            server.__exit__(None, None, None)


@pytest.fixture
def pg_url(pg_server):
    """A new, empty database on the private server for one test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)
