"""`terbit kantor list|add|check` and `terbit doctor` with several offices (issue 20)."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot import doctor, offices_cli
from bot.cli import parser
from bot.doctor import BotIdentity, ChannelRights, Probes, Status
from config.settings import Settings
from texts.id import ops as T


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, telegram_bot_token="123456:TEST", data_dir=tmp_path / "data", admin_ids=[9001],
                    office_name="Diskominfo Kabupaten Contoh")


def _run(settings: Settings, *argv: str) -> int:
    return offices_cli.run_command(parser().parse_args(["kantor", *argv]), settings)


def test_add_list_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = _settings(tmp_path)
    assert _run(s, "add", "Dinas", "Pendidikan") == 0
    added = capsys.readouterr().out
    assert "Kantor «Dinas Pendidikan» ditambahkan (folder dinas-pendidikan)" in added
    home = s.data_dir / "kantor" / "dinas-pendidikan"
    env = home / "kantor.env"
    assert env.is_file() and stat.S_IMODE(env.stat().st_mode) == 0o600  # it will hold secrets
    assert "OFFICE_NAME=Dinas Pendidikan" in env.read_text()
    assert (home / "site" / "index.html").is_file() and (home / "archive").is_dir()  # ready before any article

    assert _run(s, "add", "Dinas Pendidikan") == 1
    assert "sudah ada" in capsys.readouterr().out

    assert _run(s, "list") == 0
    listed = capsys.readouterr().out
    assert "Kantor dalam instalasi ini: 2" in listed
    assert "dinas-pendidikan" in listed and "Dinas Pendidikan" in listed and str(home) in listed

    assert _run(s, "check") == 0
    assert "✅ Dinas Pendidikan (dinas-pendidikan)" in capsys.readouterr().out

    env.write_text(env.read_text() + "DATABASE_URL=postgresql://x\nSTANDARD_PUBLISH_MINUTES=sejam\n")
    assert _run(s, "check", "dinas-pendidikan") == 1
    out = capsys.readouterr().out
    assert "❌ Dinas Pendidikan (dinas-pendidikan):" in out
    assert "DATABASE_URL milik seluruh instalasi" in out and "STANDARD_PUBLISH_MINUTES: harus angka" in out
    assert _run(s, "check", "tidak-ada") == 1
    assert "Tidak ada kantor dengan folder «tidak-ada»" in capsys.readouterr().out


async def _me() -> BotIdentity:
    return BotIdentity(123456, "terbit_bot")


async def _rights(chat: str | int, user_id: int) -> ChannelRights:
    return ChannelRights("creator")


async def test_doctor_checks_every_office(tmp_path: Path) -> None:
    s = _settings(tmp_path)
    assert await offices_cli._run(parser().parse_args(["kantor", "add", "Dinas Kesehatan"]), s) == 0
    home = s.data_dir / "kantor" / "dinas-kesehatan"
    (home / "kantor.env").write_text("OFFICE_NAME=Dinas Kesehatan\nPUBLISHERS=static_site,archive,wordpress\n")
    checks = await doctor.run_checks(s, Probes(_me, _rights))
    office = {c.name: c for c in checks if c.name.startswith("Kantor Dinas Kesehatan")}
    name = T.CHECK_OFFICE.format(name="Dinas Kesehatan", slug="dinas-kesehatan")
    assert office[name].status is Status.OK
    wordpress = office[f"{name} · {T.CHECK_TARGET.format(name='wordpress')}"]
    assert wordpress.status is Status.FAIL  # named as a target, its address and password missing
    assert office[f"{name} · {T.CHECK_TARGET.format(name='static_site')}"].detail.endswith(
        str(home / "site"))
    (home / "kantor.env").write_text("TELEGRAM_BOT_TOKEN=9:x\n")
    checks = {c.name: c for c in await doctor.run_checks(s, Probes(_me, _rights))}
    assert checks[name].status is Status.FAIL and "milik seluruh instalasi" in checks[name].detail
