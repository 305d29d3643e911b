"""The `terbit` command: --version, settings errors, and start-up failures told in one paragraph."""
from __future__ import annotations

import asyncio
import re
import signal
import sys
from datetime import UTC, datetime, timedelta
from importlib.metadata import version

import pytest

from bot.cli import main
from config.settings import Settings
from services.operations.health import newest_backup
from tests.fakebot import FakeTelegram
from tests.ops.process import clean_env, terbit, unused_port
from texts.id import ops as T

RIGHT = "111111:RIGHT-token-abcdefghijklmnopqrstuvwxyz"
WRONG = "222222:WRONG-token-that-must-never-be-printed"


@pytest.fixture
def no_settings(tmp_path, monkeypatch):
    """An empty working directory (no .env) and no Terbit setting in the environment."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.fixture
async def tg():
    async with FakeTelegram(token=RIGHT) as fake:
        yield fake


def bot_env(tg, tmp_path, **over: str) -> dict[str, str]:
    env = {"TELEGRAM_BOT_TOKEN": tg.token, "TELEGRAM_API_URL": tg.base_url, "TELEGRAM_FILE_URL": tg.base_file_url,
           "ADMIN_IDS": "9001", "DATA_DIR": str(tmp_path / "data")}
    env.update(over)
    return env


def one_paragraph(ran, expected: str) -> None:
    """Exactly the expected paragraph on stderr: nothing else, no traceback, no secret, a failing exit."""
    assert ran.code not in (0, None), ran
    assert "Traceback" not in ran.both
    assert WRONG not in ran.both and RIGHT not in ran.both
    assert ran.out == ""
    assert ran.err.strip() == expected, ran.err
    assert "\n\n" not in ran.err.strip()


# --- in this process, through bot.cli.main --------------------------------------------------

def test_version_comes_from_the_package_metadata(no_settings, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"terbit {version('terbit')}"


@pytest.mark.parametrize(("name", "value", "line"), [
    ("ADMIN_IDS", "abc", "• ADMIN_IDS = «abc»: harus bilangan bulat / must be a whole number"),
    ("ADMIN_IDS", "9001,x2", "• ADMIN_IDS = «x2»: harus bilangan bulat / must be a whole number"),
    ("MAX_UPLOAD_MB", "dua puluh", "• MAX_UPLOAD_MB = «dua puluh»: harus angka, mis. 20 atau 2.5 / "
                                   "must be a number, e.g. 20 or 2.5"),
    ("REMINDERS_ENABLED", "ya", "• REMINDERS_ENABLED = «ya»: harus true atau false / must be true or false"),
    ("WORKING_HOURS_START", "jam 7", "• WORKING_HOURS_START = «jam 7»: harus jam JJ:MM, mis. 07:30 / "
                                     "must be a time HH:MM, e.g. 07:30"),
    ("HOLIDAYS", "17-08-2026", "• HOLIDAYS = «17-08-2026»: harus tanggal TTTT-BB-HH, mis. 2026-08-17 / "
                               "must be a date YYYY-MM-DD, e.g. 2026-08-17"),
    ("TIMEZONE", "WIB", "• TIMEZONE = «WIB»: zona waktu tidak dikenal; mis. Asia/Jakarta, Asia/Makassar, "
                        "Asia/Jayapura / unknown time zone; e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura"),
    ("WORKING_DAYS", "1,2,8", "• WORKING_DAYS = «1,2,8»: hari kerja harus 1 (Senin) sampai 7 (Minggu) / "
                              "working days must be 1 (Monday) to 7 (Sunday)"),
    ("TELEGRAM_WEBHOOK_URL", "https://bot.kantor.go.id/hook",
     "• TELEGRAM_WEBHOOK_SECRET: wajib untuk mode webhook (TELEGRAM_WEBHOOK_URL diisi): 16-256 karakter A-Z, a-z, "
     "0-9, _ atau - / required in webhook mode (TELEGRAM_WEBHOOK_URL is set): 16-256 characters A-Z, a-z, 0-9, _ or -"),
])
def test_a_refused_setting_is_named_with_its_reason_in_both_languages(no_settings, capsys, name, value, line):
    no_settings.setenv("TELEGRAM_BOT_TOKEN", RIGHT)
    no_settings.setenv(name, value)
    with pytest.raises(SystemExit) as exit_:
        main(["run"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [T.CONFIG_HEADER, line, T.CONFIG_FOOTER]


@pytest.mark.parametrize("token", ["", "   ", "123456 RIGHT token with spaces", "bukan-token"])
def test_a_missing_or_malformed_token_is_named_but_never_shown(no_settings, capsys, token):
    no_settings.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(SystemExit) as exit_:
        main(["doctor"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "• TELEGRAM_BOT_TOKEN: " in err
    assert ("kosong" in err) if not token.strip() else ("bentuknya bukan token bot" in err)
    if token.strip():
        assert token.strip() not in err


@pytest.mark.parametrize(("token", "named"), [("12:bad token", "TELEGRAM_BOT_TOKEN"),
                                              (RIGHT, "TELEGRAM_WEBHOOK_SECRET")])
def test_secrets_are_never_shown_in_settings_errors(no_settings, capsys, token, named):
    no_settings.setenv("TELEGRAM_BOT_TOKEN", token)
    no_settings.setenv("DATABASE_URL", "postgresql+asyncpg://terbit:s3cret-pw@db/terbit")
    no_settings.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.kantor.go.id/hook")
    no_settings.setenv("TELEGRAM_WEBHOOK_SECRET", "short!")
    with pytest.raises(SystemExit):
        main(["run"])
    err = capsys.readouterr().err
    assert f"• {named}: " in err
    for secret in ("bad token", RIGHT, "short!", "s3cret"):
        assert secret not in err


def test_a_data_folder_that_cannot_be_written_is_one_paragraph(no_settings, tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    no_settings.setenv("TELEGRAM_BOT_TOKEN", RIGHT)
    no_settings.setenv("DATA_DIR", str(tmp_path / "a-file" / "data"))
    with pytest.raises(SystemExit) as exit_:
        main(["run"])
    assert exit_.value.code == 4
    err = capsys.readouterr().err
    assert err.strip() == T.DATA_DIR_NOT_WRITABLE.format(path=tmp_path / "a-file" / "data", reason="Not a directory")
    assert RIGHT not in err


# --- as a process, against a fake Bot API -----------------------------------------------------

async def test_a_rejected_token_is_one_paragraph_without_the_token(tg, tmp_path):
    ran = await terbit(cwd=tmp_path, **bot_env(tg, tmp_path, TELEGRAM_BOT_TOKEN=WRONG))
    one_paragraph(ran, T.TOKEN_REJECTED)
    assert [c.method for c in tg.all_calls] == [], "the fake answers 401 before recording a call"


async def test_telegram_unreachable_at_start_is_one_paragraph(tg, tmp_path):
    port = unused_port()
    ran = await terbit(cwd=tmp_path, **bot_env(tg, tmp_path, TELEGRAM_API_URL=f"http://127.0.0.1:{port}/bot"))
    one_paragraph(ran, T.TELEGRAM_UNREACHABLE.format(host=f"127.0.0.1:{port}", why_id=T.UNREACHABLE_CONNECT[0],
                                                     why_en=T.UNREACHABLE_CONNECT[1]))


async def test_a_corrupted_database_is_one_paragraph(tg, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "terbit.sqlite3").write_bytes(b"Bukan basis data, hanya teks yang rusak. " * 200)
    ran = await terbit(cwd=tmp_path, **bot_env(tg, tmp_path))
    one_paragraph(ran, T.DATABASE_UNREADABLE.format(where=data / "terbit.sqlite3", reason="file is not a database"))


async def test_doctor_with_a_rejected_token_says_so_and_fails(tg, tmp_path):
    ran = await terbit("doctor", cwd=tmp_path, **bot_env(tg, tmp_path, TELEGRAM_BOT_TOKEN=WRONG))
    assert ran.code == 1
    assert f"❌ {T.CHECK_TOKEN}: {T.TOKEN_BAD}" in ran.out
    assert WRONG not in ran.both and "Traceback" not in ran.both


async def test_doctor_on_a_fresh_installation(tg, tmp_path):
    ran = await terbit("doctor", cwd=tmp_path, **bot_env(tg, tmp_path))
    assert ran.code == 0, ran
    lines = ran.out.strip().splitlines()
    assert lines[0] == f"Pemeriksaan Terbit {version('terbit')}"
    assert f"✅ {T.CHECK_TOKEN}: @terbit_test_bot (id 111111)" in lines
    assert any(line.startswith(f"⚠️ {T.CHECK_DATABASE}: sqlite belum dibuat") for line in lines)
    assert f"⚠️ {T.CHECK_SITE}: {T.SITE_BASE_URL_EMPTY}" in lines  # the site has no public address yet
    assert lines[-1] == "0 masalah (❌), 2 peringatan (⚠️)."
    # After a migration the database is at head: only the missing site address is left.
    assert (await terbit("migrate", cwd=tmp_path, **bot_env(tg, tmp_path))).code == 0
    ran = await terbit("doctor", cwd=tmp_path, **bot_env(tg, tmp_path))
    assert ran.code == 0 and ran.out.strip().endswith("0 masalah (❌), 1 peringatan (⚠️)."), ran.out


async def run_until_up(env: dict[str, str], cwd, *, linger: float = 0) -> tuple[int | None, str]:
    """`python -m bot` until its start line, then (``linger`` seconds later) Ctrl-C: (exit code, its log)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=str(cwd), env=clean_env(**env),
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        async with asyncio.timeout(60):
            while not any("siap:" in line for line in seen):
                seen.append((await proc.stdout.readline()).decode())
        await asyncio.sleep(linger)
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode, "".join(seen) + rest.decode()


async def test_the_log_is_in_office_time_announces_the_start_and_stays_quiet(tg, tmp_path):
    """One start line once the bot is up; no job or request chatter; never the token."""
    env = bot_env(tg, tmp_path, TIMEZONE="Asia/Jayapura", OUTBOX_POLL_SECONDS="0.2", DELIVERY_POLL_SECONDS="0.2")
    code, log = await run_until_up(env, tmp_path, linger=2)  # ten rounds of the outbox and postman jobs
    assert code == 0, log
    started = [line for line in log.splitlines() if "siap:" in line]
    assert len(started) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WIT INFO bot\.cli: " + re.escape(T.STARTED.format(
        version=version("terbit"), username="terbit_test_bot", mode="polling", database="sqlite",
        targets="static_site, archive")), started[0]), started[0]
    assert "apscheduler" not in log and "httpx" not in log and "Running job" not in log
    assert RIGHT not in log and "Traceback" not in log


def test_backup_is_a_terbit_command_and_kesehatan_reads_its_manifest(no_settings, tmp_path, capsys):
    """bot/backup.py's commands are wired in; the newest backup's time is what /kesehatan shows."""
    no_settings.setenv("TELEGRAM_BOT_TOKEN", RIGHT)
    no_settings.setenv("DATA_DIR", str(tmp_path / "data"))
    main(["migrate"])
    main(["backup"])
    made = newest_backup(tmp_path / "data")
    assert made is not None and abs(datetime.now(UTC) - made) < timedelta(minutes=1)
    assert RIGHT not in capsys.readouterr().out


def test_migrate_says_what_it_did(no_settings, tmp_path, capsys):
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config
    head = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://")).get_current_head()
    no_settings.setenv("TELEGRAM_BOT_TOKEN", RIGHT)
    no_settings.setenv("DATA_DIR", str(tmp_path / "data"))
    main(["migrate"])
    assert capsys.readouterr().out.strip() == T.MIGRATED_NEW.format(after=head)
    main(["migrate"])
    assert capsys.readouterr().out.strip() == T.MIGRATE_NOTHING.format(after=head)
    assert T.migrated("0007", "0008") == \
        "Skema basis data diperbarui dari 0007 ke 0008 / database schema upgraded from 0007 to 0008"


async def test_without_admin_ids_the_start_says_so_and_logs_the_new_schema(tg, tmp_path):
    code, log = await run_until_up(bot_env(tg, tmp_path, ADMIN_IDS=""), tmp_path)
    assert code == 0, log
    assert sum(T.NO_ADMINS_AT_START in line and "WARNING" in line for line in log.splitlines()) == 1, log
    assert "ADMIN_IDS is empty" in T.NO_ADMINS_AT_START  # both languages
    assert sum("Basis data baru dibuat dengan skema" in line for line in log.splitlines()) == 1, log
