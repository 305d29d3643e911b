"""A private, throw-away PostgreSQL for the tests.

    with PostgresServer() as url:      # postgresql+asyncpg://terbit@127.0.0.1:PORT/terbit_test
        ...

It uses the Debian server binaries (``/usr/lib/postgresql/<version>/bin``;
``apt-get install postgresql``, which scripts/install-test-services.sh runs),
never a PostgreSQL that may already run on the machine: ``initdb`` into a new
temporary directory, a free port on 127.0.0.1 only, the unix socket inside
that directory, fsync off.  Leaving the ``with`` block stops the server and
deletes the directory.

PostgreSQL refuses to run as root, so as root the binaries run as the
``postgres`` system user (or ``nobody`` when there is none), and the temporary
directory is handed to that user.

Run it by hand to get a server for a while::

    python scripts/pg_test_server.py          # prints the URL; Ctrl-C stops it
"""
from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL_CMD = "apt-get install postgresql"
SUPERUSER = "terbit"
DEFAULT_DB = "terbit_test"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def _version_key(path: str) -> tuple:
    m = re.search(r"/postgresql/([\d.]+)/", path)
    return tuple(int(x) for x in m.group(1).split(".")) if m else (0,)


def find_bindir() -> Path:
    """The newest Debian PostgreSQL bin directory with initdb and pg_ctl.

    ``TERBIT_PG_BINDIR`` overrides the search (any layout, not only Debian's).
    """
    override = os.environ.get("TERBIT_PG_BINDIR")
    candidates = [override] if override else sorted(
        (str(Path(p).parent) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=_version_key, reverse=True)
    for d in candidates:
        if d and all(os.access(Path(d) / b, os.X_OK) for b in ("initdb", "pg_ctl", "postgres", "psql")):
            return Path(d)
    raise PostgresUnavailable(
        f"no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; "
        f"install with: {INSTALL_CMD}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable("running as root and there is neither a 'postgres' nor a 'nobody' user")


class PostgresServer:
    """Context manager: a new cluster on a free 127.0.0.1 port; yields an asyncpg URL."""

    def __init__(self, *, base_dir: str | os.PathLike | None = None, database: str = DEFAULT_DB,
                 start_timeout: float = 60.0) -> None:
        self.bindir = find_bindir()
        self.database = database
        self.start_timeout = start_timeout
        self._base_dir = base_dir
        self.dir: Path | None = None
        self.port: int | None = None
        self.user = _run_as()
        #: Seconds from initdb to "accepting connections" + database created.
        self.startup_seconds: float | None = None
        self._db_counter = 0

    # ---- paths and commands ---------------------------------------------
    @property
    def datadir(self) -> Path:
        return self.dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.dir / "sock"

    @property
    def logfile(self) -> Path:
        return self.dir / "server.log"

    def url(self, database: str | None = None) -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database or self.database}"

    def _cmd(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        kw = {}
        env = {"PATH": f"{self.bindir}:/usr/bin:/bin", "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}
        if self.user is not None:
            # subprocess drops to the user itself (setgid/setgroups/setuid), no runuser needed.
            kw = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
            env["HOME"] = str(self.dir)
        res = subprocess.run([str(self.bindir / args[0]), *args[1:]], cwd=self.dir, env=env,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, **kw)
        if check and res.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}\n{self._log_tail()}")
        return res

    def _log_tail(self) -> str:
        try:
            return "server log:\n" + "\n".join(self.logfile.read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return ""

    def psql(self, sql: str, database: str = "postgres") -> str:
        res = self._cmd("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                        "-p", str(self.port), "-U", SUPERUSER, "-d", database, "-c", sql)
        return res.stdout.strip()

    # ---- life cycle ----------------------------------------------------
    def start(self) -> str:
        t0 = time.monotonic()
        # A short path of our own: the socket path must stay under ~107 bytes,
        # and the server user must be able to reach it (pytest's tmp dirs are 0700 root).
        self.dir = Path(tempfile.mkdtemp(prefix="terbit-pg-", dir=self._base_dir))
        self.socket_dir.mkdir()
        if self.user is not None:
            for p in (self.dir, self.socket_dir):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
        self._cmd("initdb", "-D", str(self.datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        opts = " ".join([
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.socket_dir}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=50", "-c shared_buffers=32MB", "-c timezone=UTC",
            "-c log_min_messages=warning",
        ])
        last = ""
        for _ in range(5):  # the free port may be taken between the probe and the bind
            self.port = free_port()
            res = self._cmd("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-w",
                            "-t", str(int(self.start_timeout)), "-o", f"-p {self.port} {opts}", "start",
                            check=False, timeout=self.start_timeout + 10)
            if res.returncode == 0:
                break
            last = f"{res.stdout}\n{res.stderr}\n{self._log_tail()}"
            if "already in use" not in last and "could not bind" not in last:
                break
        else:
            res = None
        if res is None or res.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start:\n{last}")
        self.psql(f'CREATE DATABASE "{self.database}"')
        self.startup_seconds = time.monotonic() - t0
        return self.url()

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database on this server; returns its asyncpg URL."""
        self._db_counter += 1
        name = f"{prefix}_{os.getpid()}_{self._db_counter}"
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url_or_name: str) -> None:
        name = url_or_name.rsplit("/", 1)[-1]
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.dir is None:
            return
        try:
            if (self.datadir / "postmaster.pid").exists():
                res = self._cmd("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "-t", "30", "stop",
                                check=False, timeout=40)
                if res.returncode != 0:
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.datadir / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 9)  # our own postmaster, by its pid
        except (OSError, ValueError, IndexError):
            pass

    def __enter__(self) -> str:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    server = PostgresServer()
    with server as url:
        print(f"PostgreSQL {server.bindir.parent.name} up in {server.startup_seconds:.2f}s", flush=True)
        print(f"DATABASE_URL={url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
