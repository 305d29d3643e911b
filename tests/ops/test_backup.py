"""`terbit backup` / `terbit restore`: a consistent backup while the bot runs, restored on a
new data folder, the bot started on it, everything there; tampered backups refused."""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import shutil
import sqlite3
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.backup import JOB_NAME, RUNNING, add_commands, run_command, start_command
from services.operations import backup
from storage.models import Attachment, Submission
from tests.flow.harness import Office, body_text, jpeg, make_settings, running, staffed_office, submit_new
from tests.storage_pg.conftest import pg_server, pg_url  # noqa: F401  (fixtures)
from texts.id import review as R

TITLE = "Rapat Koordinasi Program Kerja 2027"


def cli(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="terbit")
    add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def publish_one(o: Office) -> None:
    """A submission with two photos through both reviews, live on the site."""
    card = await submit_new(o, title=TITLE, photos=2)
    await o.press(o.kasubbag, card, R.BTN_FORWARD)
    await o.press(o.kepala, o.kepala.last_message, R.BTN_APPROVE)
    await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=20)


async def keep_sending_photos(o: Office, stop: asyncio.Event, sent: list[int]) -> None:
    """The writer, on a new draft, sends photo after photo until told to stop."""
    w = o.writer
    m = await o.say(w, "/baru")
    m = await o.press(w, m, "📝 Artikel")
    m = await o.say(w, "Kunjungan Kerja ke Desa Binaan")
    m = await o.press(w, m, "✍️ Tulis bebas")
    await o.say(w, body_text())
    while not stop.is_set():
        await w.send_photo(jpeg((len(sent) * 37 % 255, 120, 60), size=(800, 600)))
        await o.tg.settle()
        sent.append(1)


async def backup_while_writing(o: Office) -> backup.Made:
    stop, sent = asyncio.Event(), []
    writer = asyncio.create_task(keep_sending_photos(o, stop, sent))
    try:
        while len(sent) < 2:
            await asyncio.sleep(0.05)
        t = o.app.bot_data["terbit"]
        made = await asyncio.to_thread(backup.make_backup, o.settings, now=t.now())
        before = len(sent)
        while len(sent) < before + 2:  # and the bot goes on while and after
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await writer
    return made


async def check_everything_is_there(o: Office, manifest: backup.Manifest) -> None:
    data = o.settings.data_dir
    for e in manifest.files:
        top, _, rest = e.path.partition("/")
        place = {"files": data / "files", "site": o.settings.site_dir, "archive": o.settings.archive_dir}.get(top)
        if place is not None:
            assert sha256(place / rest) == e.sha256, e.path
    async with running(o):
        async with o.app.bot_data["terbit"].sessions() as s:
            sub = await s.get(Submission, 1)
            atts = (await s.scalars(select(Attachment).order_by(Attachment.id))).all()
        assert sub.state == "terbit"
        assert len([a for a in atts if a.submission_id == 1]) == 2
        # Every attachment the restored database knows is on disk, bytes intact (the writer's
        # draft too, whatever photos of it made it into the snapshot).
        for a in atts:
            assert sha256(data / a.path) == a.sha256, a.path
            for r in a.renditions or []:
                assert (data / r["path"]).is_file(), r
        pages = list((o.settings.site_dir / "artikel").glob("*/index.html"))
        assert len(pages) == 1 and TITLE in pages[0].read_text()
        assert TITLE in (o.settings.site_dir / "index.html").read_text()
        # The bot works on the restored data: the writer's /status lists the article.
        reply = await o.say(o.writer, "/status")
        assert TITLE in reply.text or "#1" in reply.text


async def test_backup_while_the_bot_writes_restores_everything_on_a_new_data_dir(fake_telegram, tmp_path, capsys):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        await staffed_office(o)
        await publish_one(o)
        made = await backup_while_writing(o)
        # The backup is complete and verifies even though the bot went on writing.
        assert backup.verify(made.path) == made.manifest
        names = {e.path for e in made.manifest.files}
        assert {"database.sqlite3", "installation-id", "site/index.html"} <= names
        assert any(n.startswith("files/objects/") for n in names) and any(n.startswith("archive/") for n in names)
        assert not any(n.startswith("files/tmp/") for n in names)
        # Readable by its owner only: the folders 0700, every file 0600 (the originals were not).
        assert (o.settings.site_dir / "index.html").stat().st_mode & 0o077
        for path in [made.path.parent, made.path, *made.path.rglob("*")]:
            assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
        # A bot holds the data folder: restoring over it is refused, nothing touched.
        assert run_command(cli("restore", str(made.path), "--force"), o.settings) == RUNNING
    manifest = json.loads((made.path / "manifest.json").read_text())
    assert manifest["database"] == "sqlite" and manifest["schema"] and manifest["version"]
    copy = sqlite3.connect(made.path / "database.sqlite3")
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    in_backup = copy.execute("SELECT count(*) FROM attachments").fetchone()[0]
    copy.close()
    live = sqlite3.connect(o.settings.data_dir / "terbit.sqlite3")
    # Taken mid-stream: the writer's photos came before and after the snapshot.
    assert 2 < in_backup < live.execute("SELECT count(*) FROM attachments").fetchone()[0]
    live.close()

    # A fresh install elsewhere: restore, start the bot on it.
    new = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "new-data"), people=o.people)
    capsys.readouterr()
    assert run_command(cli("restore", str(made.path)), new.settings) == 0
    # It ends with the command that starts the bot from here (not a bare "terbit run" that is not on the PATH).
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"Jalankan bot / start the bot: {start_command()}" and last != "Jalankan bot / start the bot: terbit run"
    assert (new.settings.data_dir / "installation-id").read_text() == \
        (o.settings.data_dir / "installation-id").read_text()
    # Restored, the site is readable by the web server again; the database stays its owner's.
    assert (new.settings.site_dir / "index.html").stat().st_mode & 0o777 == 0o644
    assert (new.settings.data_dir / "terbit.sqlite3").stat().st_mode & 0o777 == 0o600
    await check_everything_is_there(new, made.manifest)
    # Restoring again over what is now there needs --force, and keeps the old data aside.
    assert run_command(cli("restore", str(made.path)), new.settings) == 1
    assert run_command(cli("restore", str(made.path), "--force"), new.settings) == 0
    aside = list((new.settings.data_dir / "backups").glob("before-restore-*"))
    assert len(aside) == 1 and (aside[0] / "terbit.sqlite3").is_file()


async def test_daily_backup_job_keeps_backup_keep_copies(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", backup_daily_at=time(2, 30),
                                            backup_keep=2))
    async with running(o):
        await staffed_office(o)
        (job,) = o.app.job_queue.get_jobs_by_name(JOB_NAME)  # scheduled at start-up (bot/app.py)
        assert job.next_t.astimezone(ZoneInfo("Asia/Jakarta")).time() == time(2, 30)
        for _ in range(3):
            await job.run(o.app)
    kept = backup.backups_in(o.settings.data_dir / "backups")
    assert len(kept) == 2
    for path in kept:
        backup.verify(path)
    # Unchanged files are hard links to the previous backup's: seven backups, not seven copies.
    first, second = kept
    assert (first / "installation-id").stat().st_ino == (second / "installation-id").stat().st_ino


async def test_tampered_backup_is_refused_before_anything_is_touched(fake_telegram, tmp_path, capsys):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        await staffed_office(o)
        await submit_new(o, photos=1)
    assert run_command(cli("backup", str(tmp_path / "usb")), o.settings) == 0
    (made,) = backup.backups_in(tmp_path / "usb")
    target = make_settings(fake_telegram, tmp_path / "fresh")

    def refused(folder: Path, why: str) -> None:
        assert run_command(cli("restore", str(folder)), target) == 1
        assert why in capsys.readouterr().err
        assert not target.data_dir.exists() or [p.name for p in target.data_dir.iterdir()] == ["terbit.lock"]
        assert run_command(cli("restore", "--check", str(folder)), target) == 1

    assert run_command(cli("restore", "--check", str(made)), target) == 0

    photo = next(p for p in (made / "files" / "objects").rglob("*") if p.is_file())
    good = photo.read_bytes()
    photo.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # one bit flipped, same size
    refused(made, "checksum differs")
    photo.write_bytes(good)

    (made / "files" / "extra.html").write_text("<p>disisipkan</p>")
    refused(made, "not in the manifest")
    (made / "files" / "extra.html").unlink()

    (made / "installation-id").unlink()
    refused(made, "missing")
    shutil.copy(o.settings.data_dir / "installation-id", made / "installation-id")

    manifest = json.loads((made / "manifest.json").read_text())
    manifest["files"].append({"path": "../../etc/cron.d/x", "size": 0, "sha256": hashlib.sha256().hexdigest()})
    (made / "manifest.json").write_text(json.dumps(manifest))
    refused(made, "path not allowed")


def _need_pg_dump() -> None:
    try:
        backup.pg_tool("pg_dump")
        backup.pg_tool("pg_restore")
    except backup.BackupError as exc:
        pytest.skip(f"pg_dump/pg_restore not installed: {exc}")


async def test_postgresql_round_trip(fake_telegram, tmp_path, pg_server, pg_url):  # noqa: F811
    _need_pg_dump()
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", database_url=pg_url))
    async with running(o):
        await staffed_office(o)
        await publish_one(o)
        assert run_command(cli("backup"), o.settings) == 0
        (made,) = backup.backups_in(o.settings.data_dir / "backups")
        assert {"database.pgdump", "site/index.html"} <= {e.path for e in backup.verify(made).files}
        # The bot leads on this database: a restore into it is refused.
        busy = make_settings(fake_telegram, tmp_path / "other", database_url=pg_url)
        assert run_command(cli("restore", str(made), "--force"), busy) == 1
    url2 = pg_server.create_database()
    try:
        new = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "new-data", database_url=url2),
                     people=o.people)
        assert run_command(cli("restore", str(made)), new.settings) == 0
        await check_everything_is_there(new, backup.verify(made))
        # The restored database is not empty any more: again only with --force.
        assert run_command(cli("restore", str(made)), new.settings) == 1
    finally:
        pg_server.drop_database(url2)


async def test_a_failed_daily_backup_is_told_to_the_admins_once_a_day(fake_telegram, tmp_path, monkeypatch):
    import bot.backup as glue

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(glue, "make_backup", disk_full)
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data", backup_daily_at=time(2, 30)))
    async with running(o):
        await staffed_office(o)
        (job,) = o.app.job_queue.get_jobs_by_name(JOB_NAME)
        seen = len(o.admin.messages)
        for _ in range(2):
            await job.run(o.app)
            await o.tg.settle()
        told = [m.text for m in o.admin.messages[seen:] if "Cadangan harian Terbit gagal" in (m.text or "")]
        assert len(told) == 1 and "No space left on device" in told[0]


def test_the_start_command_is_the_one_that_works_from_here(tmp_path):
    import sys
    install = tmp_path / "terbit"
    (install / "scripts").mkdir(parents=True)
    (install / "scripts" / "run").write_text("#!/bin/sh\n")
    (install / "pyproject.toml").write_text("")
    assert start_command(install) == "./scripts/run"
    elsewhere = start_command(tmp_path)  # anywhere else: this program's own path
    assert elsewhere in (f"{Path(sys.executable).parent / 'terbit'} run", f"{sys.executable} -m bot run")
    assert elsewhere.startswith("/")
