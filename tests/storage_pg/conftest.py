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

from pg_test_server import INSTALL_CMD, PostgresServer, PostgresUnavailable  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = PostgresServer()
    except PostgresUnavailable as e:
        pytest.skip(f"real PostgreSQL not available: {e} "
                    f"(scripts/install-test-services.sh runs `{INSTALL_CMD}`)")
    with server:
        print(f"\n[pg_test_server] PostgreSQL {server.bindir.parent.name} on 127.0.0.1:{server.port} "
              f"up in {server.startup_seconds:.2f}s", file=sys.stderr)
        yield server


@pytest.fixture
def pg_url(pg_server):
    """A new, empty database on the private server for one test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)
