""".env.example starts as shipped: copied, with only the token and one admin filled in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".env.example"
TOKEN = "123456:SHIPPED-example-token-abcdefghijklmnop"


def documented() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(encoding="utf-8"), re.M))


@pytest.fixture
def shipped(tmp_path, monkeypatch) -> Path:
    """A copy of .env.example as .env in an empty folder (the working directory), no settings in the environment."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"^TELEGRAM_BOT_TOKEN=$", f"TELEGRAM_BOT_TOKEN={TOKEN}", text, count=1, flags=re.M)
    text = re.sub(r"^ADMIN_IDS=$", "ADMIN_IDS=9001", text, count=1, flags=re.M)
    (tmp_path / ".env").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / ".env"


def test_the_example_loads_as_shipped_and_says_what_the_code_defaults_to(shipped):
    loaded = Settings()  # type: ignore[call-arg]
    assert loaded.telegram_bot_token.get_secret_value() == TOKEN
    assert loaded.admin_ids == [9001]
    # Every empty value means "not set" ...
    assert loaded.max_upload_mb is None and loaded.download_limit == 20 * 1024 * 1024
    assert loaded.database_url is None and loaded.db_url.startswith("sqlite+aiosqlite:///")
    assert loaded.site_base_url is None and loaded.holidays == []
    assert loaded.wordpress_app_password is None and loaded.webhook_secret is None
    assert loaded.telegram_webhook_url is None and loaded.mode == "polling"
    # ... and every value written there is the code's own default.
    defaults = Settings(_env_file=None, telegram_bot_token=TOKEN, admin_ids=[9001])
    differ = {name for name in Settings.model_fields if getattr(loaded, name) != getattr(defaults, name)}
    assert differ == set(), differ


def test_every_setting_is_documented_in_the_example_and_nothing_else():
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented() == set(), "settings missing from .env.example"
    assert documented() - fields == set(), ".env.example names settings the code does not have"


def test_an_empty_optional_value_in_the_environment_means_unset(shipped, monkeypatch):
    for name in ("MAX_UPLOAD_MB", "SITE_BASE_URL", "HOLIDAYS", "DATABASE_URL", "WEBHOOK_SECRET", "PUBLISHERS"):
        monkeypatch.setenv(name, "")
    loaded = Settings()  # type: ignore[call-arg]
    assert loaded.max_upload_mb is None and loaded.site_base_url is None and loaded.database_url is None
    assert loaded.publishers == ["static_site", "archive"]


def test_the_shipped_example_passes_the_command_line_settings_check(shipped, capsys):
    """Through the real entry point: `terbit migrate` with the shipped file creates the database."""
    main(["migrate"])
    assert (shipped.parent / "data" / "terbit.sqlite3").is_file()
    assert TOKEN not in capsys.readouterr().err


def test_the_example_without_a_token_names_it(tmp_path, monkeypatch, capsys):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / ".env").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["run"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN: kosong; isi dengan token dari @BotFather / empty; set it to the token from @BotFather" in err
