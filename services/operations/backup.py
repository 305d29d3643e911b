"""Backups an office makes and restores without a developer (``terbit backup`` / ``terbit restore``).

A backup is one folder::

    manifest.json       format, Terbit version, schema revision, time, database kind,
                        and every other file with its size and SHA-256
    database.sqlite3    SQLite: a copy made by SQLite's online backup API (never a file
                        copy: the -wal file holds the newest transactions)
    database.pgdump     PostgreSQL: ``pg_dump --format=custom``
    files/              the content store and renditions (DATA_DIR/files)
    site/               the static website
    archive/            the archive
    installation-id     the id remote targets know this installation by
    env                 the settings file (.env), only when asked for

It can be taken while the bot runs.  The database is copied first, the files after it:
every file a row of the copy refers to was written before that row was committed, so it
is in the backup; files newer than the copy are harmless extras.  A backup is built in
``.<name>.partial`` and renamed when complete, so a half-made one never looks finished.

``restore`` checks every file against the manifest before it touches anything, refuses a
data folder (or database) that is not empty unless forced (and then sets the old data
aside instead of deleting it), and refuses while a bot runs on the data (the caller holds
the data folder's instance lock; on PostgreSQL the leader's advisory lock is looked for).
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from storage.db import alembic_config

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
ENV_FILE = "env"
INSTALLATION_ID = "installation-id"
#: Folders of DATA_DIR copied as they are (``files`` is the content store of services/writing/intake.py).
#: ``kantor``: every office but no. 1 (its settings file, site, archive, dictionary and places).
FOLDERS = ("files", "site", "archive", "kantor")
#: Never part of a backup: writes in flight and lock files.
SKIP_DIRS = {("files", "tmp"), ("archive", ".staging")}
SKIP_NAMES = re.compile(r"^\.terbit\.lock$|^\..*\.tmp$")
#: What stays in a data folder that counts as empty: the instance lock and the backups.
LOCK_NAME = "terbit.lock"
BACKUPS_DIR = "backups"
#: The high 32 bits of the advisory lock the active bot holds on PostgreSQL
#: (bot/instance.py PgLeadership: ``0x7E5B17 << 32 | bot id``).
PG_LEADER_CLASS = 0x7E5B17
NAME_RE = re.compile(r"^\d{8}-\d{6}(-\d+)?$")
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, in both languages."""


class BackupSettings(Protocol):
    """What backups read from the bot's settings."""

    data_dir: Path

    @property
    def db_url(self) -> str: ...

    @property
    def site_dir(self) -> Path: ...

    @property
    def archive_dir(self) -> Path: ...


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    format: int
    version: str
    schema: str | None
    created_at: str
    database: str
    files: tuple[Entry, ...]
    with_env: bool = False

    @property
    def size(self) -> int:
        return sum(e.size for e in self.files)

    def to_json(self) -> str:
        data = {"format": self.format, "app": "terbit", "version": self.version, "schema": self.schema,
                "created_at": self.created_at, "database": self.database, "with_env": self.with_env,
                "files": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in self.files]}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class Made:
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    set_aside: Path | None = None
    env_written: Path | None = None


@dataclass
class _Writer:
    """Copies files into a backup being built, hashing them on the way."""

    root: Path
    previous: dict[str, tuple[Path, Entry]] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def add_file(self, src: Path, rel: str) -> None:
        dst = self.root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        entry = self._link_unchanged(src, rel, dst) or _copy(src, dst, rel)
        if entry is not None:
            self.entries.append(entry)

    def _link_unchanged(self, src: Path, rel: str, dst: Path) -> Entry | None:
        """A file the previous backup holds unchanged is hard-linked to it: 7 backups, not 7 copies."""
        found = self.previous.get(rel)
        try:
            if found is None or src.stat().st_size != found[1].size or found[0].stat().st_size != found[1].size \
                    or sha256_of(src) != found[1].sha256:
                return None
            os.link(found[0], dst)
        except OSError:
            return None
        return found[1]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(src: Path, dst: Path, rel: str) -> Entry | None:
    """Copy one file, hashing what is written; None if it vanished meanwhile (a replaced temp file)."""
    digest, size = hashlib.sha256(), 0
    try:
        with open(src, "rb") as inp, open(dst, "wb") as out:
            while chunk := inp.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
    except FileNotFoundError:
        dst.unlink(missing_ok=True)
        return None
    shutil.copystat(src, dst, follow_symlinks=False)
    return Entry(rel, size, digest.hexdigest())


def _walk(root: Path, top: str) -> Iterator[tuple[Path, str]]:
    """Regular files under ``root`` as (path, name in the backup), in a stable order; no symlinks."""
    for current, dirs, files in os.walk(root):
        here = Path(current)
        parts = (top, *here.relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if (top, d) not in SKIP_DIRS or len(parts) > 1)
        for name in sorted(files):
            path = here / name
            if SKIP_NAMES.match(name) or path.is_symlink() or not path.is_file():
                continue
            yield path, "/".join((*parts, name))


def database_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"Basis data SQLite tanpa berkas tidak bisa dicadangkan / no database file in {url}")
    return Path(database)


def terbit_version() -> str:
    try:
        return metadata.version("terbit")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- SQLite ----------------------------------------------------------------------------------

def sqlite_snapshot(src: Path, dst: Path) -> str | None:
    """A consistent copy through the online backup API; returns its schema revision."""
    if not src.is_file():
        raise BackupError(f"Basis data tidak ditemukan / database not found: {src}")
    source = sqlite3.connect(src, timeout=30)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)  # one step: a read transaction sees one point in time, writers go on (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        check = target.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"Salinan basis data rusak / the database copy fails its integrity check: {check}")
        return _sqlite_schema(target)
    finally:
        target.close()
        source.close()


def _sqlite_schema(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


# --- PostgreSQL ------------------------------------------------------------------------------

def pg_tool(name: str) -> Path:
    """A PostgreSQL client program: TERBIT_PG_BINDIR, else the newest Debian one, else PATH."""
    override = os.environ.get("TERBIT_PG_BINDIR")
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key, reverse=True)
    candidates = [str(Path(override) / name)] if override else [*found, shutil.which(name) or ""]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return Path(c)
    raise BackupError(f"{name} tidak ada; pasang dengan / is missing; install with: apt-get install postgresql-client")


def _version_key(path: str) -> tuple[int, ...]:
    m = re.search(r"/postgresql/([\d.]+)/", path)
    return tuple(int(x) for x in m.group(1).split(".")) if m else (0,)


def pg_env(url: str) -> dict[str, str]:
    """libpq's environment for a SQLAlchemy URL (the password never appears on a command line)."""
    u = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    pairs = {"PGHOST": u.host, "PGPORT": str(u.port) if u.port else None, "PGUSER": u.username,
             "PGPASSWORD": u.password, "PGDATABASE": u.database}
    env.update({k: v for k, v in pairs.items() if v})
    # Every office's rows (migration 0014's row-level security): the tools work for the deployment.
    env["PGOPTIONS"] = "-c terbit.office=*"
    ssl = u.query.get("sslmode") or u.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = {"true": "require", "false": "disable"}.get(ssl.lower(), ssl)
    return env


def _pg_run(url: str, tool: str, *args: str, timeout: float = 3600) -> str:
    res = subprocess.run([str(pg_tool(tool)), *args], env=pg_env(url), stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=timeout, check=False)
    if res.returncode != 0:
        raise BackupError(f"{tool} gagal / failed ({res.returncode}): {res.stderr.strip() or res.stdout.strip()}")
    return res.stdout


def pg_query(url: str, sql: str) -> str:
    return _pg_run(url, "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql, timeout=60).strip()


def pg_snapshot(url: str, dst: Path) -> str | None:
    """``pg_dump`` in custom format (one consistent snapshot); returns the schema revision."""
    # --enable-row-security: an ordinary role (not a superuser) may dump tables with row-level
    # security; with terbit.office=* (pg_env) the policies show it every office's rows.
    _pg_run(url, "pg_dump", "--format=custom", "--enable-row-security", f"--file={dst}")
    try:
        return pg_query(url, "SELECT version_num FROM alembic_version") or None
    except BackupError:  # not migrated yet
        return None


def pg_in_use(url: str) -> bool:
    """Whether a Terbit process leads on this database now (its advisory lock is held)."""
    held = pg_query(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                         f"AND classid = {PG_LEADER_CLASS} AND database = "
                         "(SELECT oid FROM pg_database WHERE datname = current_database())")
    return int(held or 0) > 0


def pg_has_tables(url: str) -> bool:
    found = pg_query(url, "SELECT count(*) FROM information_schema.tables "
                          "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")
    return int(found or 0) > 0


# --- making a backup --------------------------------------------------------------------------

def backup_name(now: datetime, parent: Path) -> str:
    base = now.strftime("%Y%m%d-%H%M%S")
    name, n = base, 1
    while (parent / name).exists() or (parent / f".{name}.partial").exists():
        n += 1
        name = f"{base}-{n}"
    return name


def backups_in(parent: Path) -> list[Path]:
    """Complete backups in ``parent`` made by Terbit, oldest first."""
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.iterdir() if NAME_RE.match(p.name) and (p / MANIFEST).is_file())


def make_backup(settings: BackupSettings, *, now: datetime, parent: Path | None = None,
                env_file: Path | None = None) -> Made:
    """Back up the database and the data folder into ``parent/<timestamp>/`` (default DATA_DIR/backups)."""
    own = parent is None or parent == settings.data_dir / BACKUPS_DIR
    parent = parent or settings.data_dir / BACKUPS_DIR
    parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if own:  # DATA_DIR/backups is Terbit's own: its owner's only (a folder the admin chose is left as it is)
        os.chmod(parent, 0o700)
    name = backup_name(now, parent)
    partial = parent / f".{name}.partial"
    partial.mkdir(mode=0o700)
    try:
        manifest = _fill(partial, settings, now, env_file, _previous(parent))
        (partial / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        _owner_only(partial)
        _fsync_tree(partial)
        final = parent / name
        os.rename(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Made(final, manifest)


def _previous(parent: Path) -> dict[str, tuple[Path, Entry]]:
    """The newest complete backup's files, to hard-link the unchanged ones."""
    done = backups_in(parent)
    if not done:
        return {}
    try:
        manifest = read_manifest(done[-1])
    except BackupError:
        return {}
    return {e.path: (done[-1] / e.path, e) for e in manifest.files}


def _fill(root: Path, settings: BackupSettings, now: datetime, env_file: Path | None,
          previous: dict[str, tuple[Path, Entry]]) -> Manifest:
    kind = database_kind(settings.db_url)
    db_name = SQLITE_FILE if kind == "sqlite" else PG_FILE
    if kind == "sqlite":
        schema = sqlite_snapshot(sqlite_path(settings.db_url), root / db_name)
    else:
        schema = pg_snapshot(settings.db_url, root / db_name)
    writer = _Writer(root, previous)
    db_file = root / db_name
    writer.entries.append(Entry(db_name, db_file.stat().st_size, sha256_of(db_file)))
    sources = {"files": settings.data_dir / "files", "site": settings.site_dir, "archive": settings.archive_dir,
               "kantor": settings.data_dir / "kantor"}
    for top in FOLDERS:
        if sources[top].is_dir():
            for src, rel in _walk(sources[top], top):
                writer.add_file(src, rel)
    installation = settings.data_dir / INSTALLATION_ID
    if installation.is_file():
        writer.add_file(installation, INSTALLATION_ID)
    if env_file is not None:
        if not env_file.is_file():
            raise BackupError(f"Berkas pengaturan tidak ada / settings file not found: {env_file}")
        writer.add_file(env_file, ENV_FILE)
        os.chmod(root / ENV_FILE, 0o600)  # it holds the bot token
    return Manifest(FORMAT, terbit_version(), schema, now.isoformat(timespec="seconds"), kind,
                    tuple(writer.entries), with_env=env_file is not None)


def _owner_only(root: Path) -> None:
    """A backup holds the whole office (and with --with-env the bot token): readable by its owner only,
    folders 0700 and files 0600, whatever the originals' modes were."""
    os.chmod(root, 0o700)
    for current, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(Path(current) / name, 0o700)
        for name in files:
            os.chmod(Path(current) / name, 0o600)


def _fsync_tree(root: Path) -> None:
    for current, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(Path(current) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def prune(parent: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``parent``; returns what went."""
    done = backups_in(parent)
    gone = done[:-keep] if keep > 0 else done
    for path in gone:
        shutil.rmtree(path)
    return gone


# --- checking a backup ------------------------------------------------------------------------

def read_manifest(folder: Path) -> Manifest:
    try:
        data: Any = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = tuple(Entry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"])
        manifest = Manifest(int(data["format"]), str(data["version"]), data.get("schema"),
                            str(data["created_at"]), str(data["database"]), files, bool(data.get("with_env")))
    except FileNotFoundError:
        raise BackupError(f"Bukan cadangan Terbit (tidak ada {MANIFEST}) / not a Terbit backup: {folder}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} rusak / is damaged: {exc}") from None
    if manifest.format != FORMAT:
        raise BackupError(f"Format cadangan {manifest.format} tidak dikenal / unknown backup format")
    if manifest.database not in ("sqlite", "postgresql"):
        raise BackupError(f"Jenis basis data tidak dikenal / unknown database kind: {manifest.database}")
    return manifest


def _safe(rel: str) -> bool:
    """A manifest path that stays inside the backup and names something a backup holds."""
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("", ".", "..") for part in p.parts) or "\\" in rel:
        return False
    return (p.parts[0] in FOLDERS and len(p.parts) > 1) or rel in (SQLITE_FILE, PG_FILE, INSTALLATION_ID, ENV_FILE)


def verify(folder: Path) -> Manifest:
    """Every file the manifest lists is there with its size and SHA-256, and nothing else is."""
    manifest = read_manifest(folder)
    problems: list[str] = []
    listed = set()
    for e in manifest.files:
        listed.add(e.path)
        path = folder / e.path
        if not _safe(e.path):
            problems.append(f"{e.path}: jalur tidak sah / path not allowed")
        elif path.is_symlink() or not path.is_file():
            problems.append(f"{e.path}: hilang / missing")
        elif path.stat().st_size != e.size:
            problems.append(f"{e.path}: ukuran berbeda / size differs")
        elif sha256_of(path) != e.sha256:
            problems.append(f"{e.path}: SHA-256 berbeda / checksum differs")
    db_file = SQLITE_FILE if manifest.database == "sqlite" else PG_FILE
    if db_file not in listed:
        problems.append(f"{db_file}: tidak tercatat / not in the manifest")
    for current, _dirs, files in os.walk(folder):
        for name in files:
            rel = (Path(current) / name).relative_to(folder).as_posix()
            if rel != MANIFEST and rel not in listed:
                problems.append(f"{rel}: tidak tercatat di manifest / not in the manifest")
    if problems:
        shown = "\n  ".join(problems[:20]) + (f"\n  … (+{len(problems) - 20})" if len(problems) > 20 else "")
        raise BackupError(f"Cadangan tidak utuh, tidak dipulihkan / the backup does not verify:\n  {shown}")
    return manifest


def known_schema(revision: str | None) -> bool:
    """Whether this installation's migrations know the backup's schema (a newer one cannot be run)."""
    if revision is None:
        return True
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return any(r.revision == revision for r in scripts.walk_revisions())


# --- restoring ----------------------------------------------------------------------------------

def data_in_the_way(settings: BackupSettings) -> list[str]:
    """What already lives where a restore would write (the lock and the backups folder do not count)."""
    found = []
    if settings.data_dir.is_dir():
        found = sorted(p.name for p in settings.data_dir.iterdir() if p.name not in (LOCK_NAME, BACKUPS_DIR))
    if database_kind(settings.db_url) == "sqlite":
        db = sqlite_path(settings.db_url)
        if db.exists() and db.parent.resolve() != settings.data_dir.resolve():
            found.append(str(db))
    elif pg_has_tables(settings.db_url):
        found.append("basis data PostgreSQL / the PostgreSQL database")
    return found


def restore(folder: Path, settings: BackupSettings, *, now: datetime, force: bool = False,
            env_target: Path | None = None) -> Restored:
    """Restore a verified backup into the data folder and database of ``settings``.

    The caller holds the data folder's instance lock.  ``env_target``: write the backup's
    settings file there too.
    """
    manifest = verify(folder)
    target_kind = database_kind(settings.db_url)
    if manifest.database != target_kind:
        raise BackupError(f"Cadangan ini dari {manifest.database}, pengaturan memakai {target_kind} / "
                          f"the backup holds a {manifest.database} database, the settings use {target_kind}")
    if not known_schema(manifest.schema):
        raise BackupError(f"Cadangan dari Terbit yang lebih baru (skema {manifest.schema}); perbarui Terbit dulu / "
                          f"the backup comes from a newer Terbit ({manifest.version}); upgrade first")
    if env_target is not None and not manifest.with_env:
        raise BackupError("Cadangan ini tidak memuat .env / this backup holds no settings file")
    if target_kind == "postgresql" and pg_in_use(settings.db_url):
        raise BackupError("Terbit sedang berjalan pada basis data ini; hentikan dulu / "
                          "Terbit is running on this database; stop it first")
    in_the_way = data_in_the_way(settings)
    env_clash = env_target is not None and env_target.exists() and \
        sha256_of(env_target) != next(e.sha256 for e in manifest.files if e.path == ENV_FILE)
    if (in_the_way or env_clash) and not force:
        what = ", ".join(in_the_way + ([str(env_target)] if env_clash else []))
        raise BackupError(f"Tujuan tidak kosong ({what}); tambahkan --force untuk menimpa (data lama disimpan) / "
                          f"the target is not empty; add --force to replace it (the old data is set aside)")
    aside = _set_aside(settings, now, env_target if env_clash else None) if in_the_way or env_clash else None
    _restore_database(folder, manifest, settings)
    _restore_files(folder, manifest, settings)
    written = None
    if env_target is not None:
        _copy_checked(folder / ENV_FILE, env_target, _entry(manifest, ENV_FILE), mode=0o600)
        os.chmod(env_target, 0o600)
        written = env_target
    return Restored(manifest, aside, written)


def _entry(manifest: Manifest, rel: str) -> Entry:
    return next(e for e in manifest.files if e.path == rel)


def _set_aside(settings: BackupSettings, now: datetime, env_file: Path | None) -> Path:
    """Move what a forced restore replaces into DATA_DIR/backups/before-restore-<time>/ (nothing is deleted)."""
    aside = settings.data_dir / BACKUPS_DIR / f"before-restore-{now.strftime('%Y%m%d-%H%M%S')}"
    aside.mkdir(parents=True, exist_ok=False)
    if database_kind(settings.db_url) == "postgresql":
        if pg_has_tables(settings.db_url):
            _pg_run(settings.db_url, "pg_dump", "--format=custom", "--enable-row-security",
                    f"--file={aside / PG_FILE}")
    else:
        db = sqlite_path(settings.db_url)
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            if path.exists():
                os.replace(path, aside / path.name)
    for p in sorted(settings.data_dir.iterdir()) if settings.data_dir.is_dir() else []:
        if p.name not in (LOCK_NAME, BACKUPS_DIR):
            os.replace(p, aside / p.name)
    if env_file is not None:
        shutil.copy2(env_file, aside / ENV_FILE)
    return aside


def _copy_checked(src: Path, dst: Path, entry: Entry, mode: int = 0o644) -> None:
    """Copy one file out of the backup, checking it again on the way (it may have changed since verify).
    The backup keeps its files for its owner only; a restored file gets ``mode`` (the site and the archive
    are read by the web server, as on a fresh installation)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.restore.tmp")
    copied = _copy(src, tmp, entry.path)
    if copied is None or copied.sha256 != entry.sha256:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"{entry.path} berubah saat dipulihkan / changed while being restored")
    os.chmod(tmp, mode)
    os.replace(tmp, dst)


def _restore_database(folder: Path, manifest: Manifest, settings: BackupSettings) -> None:
    if manifest.database == "sqlite":
        db = sqlite_path(settings.db_url)
        for stale in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)
        _copy_checked(folder / SQLITE_FILE, db, _entry(manifest, SQLITE_FILE), mode=0o600)
        return
    dbname = make_url(settings.db_url).database or ""
    clean = ["--clean", "--if-exists"] if pg_has_tables(settings.db_url) else []
    _pg_run(settings.db_url, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
            "--single-transaction", *clean, f"--dbname={dbname}", str(folder / PG_FILE))


def _restore_files(folder: Path, manifest: Manifest, settings: BackupSettings) -> None:
    places = {"files": settings.data_dir / "files", "site": settings.site_dir, "archive": settings.archive_dir,
              "kantor": settings.data_dir / "kantor"}
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for e in manifest.files:
        top, _, rest = e.path.partition("/")
        if top in places and rest:
            # An office's settings file holds its secrets (a WordPress password): its owner's only.
            secret = top == "kantor" and rest.endswith("/kantor.env")
            _copy_checked(folder / e.path, places[top] / rest, e, mode=0o600 if secret else 0o644)
        elif e.path == INSTALLATION_ID:
            _copy_checked(folder / e.path, settings.data_dir / INSTALLATION_ID, e)
