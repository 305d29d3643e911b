"""An office's own settings file: on top of the deployment's, refused names and values said in Indonesian."""
from __future__ import annotations

from pathlib import Path

import pytest

from config import offices
from config.settings import Settings
from domain.slug import OFFICE_SLUG, office_slug


def _deployment(tmp_path: Path) -> Settings:
    return Settings(telegram_bot_token="1:x", data_dir=tmp_path, office_name="Diskominfo",
                    standard_publish_minutes=30, publishers=["static_site", "archive"])


def _write(tmp_path: Path, slug: str, text: str) -> None:
    folder = offices.home(tmp_path, slug)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / offices.SETTINGS_FILE).write_text(text)


def test_an_office_sets_its_own_and_inherits_the_rest(tmp_path: Path) -> None:
    base = _deployment(tmp_path)
    _write(tmp_path, "dinkes", "OFFICE_NAME=Dinas Kesehatan\nSTANDARD_PUBLISH_MINUTES=45\nSITE_BASE_URL=\n"
                               "WORKING_DAYS=1,2,3,4,5,6\n")
    own = offices.for_office(base, 2, "dinkes")
    assert own.office_name == "Dinas Kesehatan"
    assert own.standard_publish_minutes == 45
    assert own.working_days == [1, 2, 3, 4, 5, 6]
    assert own.site_base_url is None  # empty: as the deployment
    assert own.standard_review_kepala_minutes == base.standard_review_kepala_minutes
    assert own.site_dir == tmp_path / "kantor" / "dinkes" / "site"
    assert own.archive_dir == tmp_path / "kantor" / "dinkes" / "archive"
    assert own.publisher_config().site_dir == own.site_dir
    # The deployment's own settings are untouched.
    assert base.office_name == "Diskominfo" and base.site_dir == tmp_path / "site"


def test_the_first_office_is_the_installation_as_it_was(tmp_path: Path) -> None:
    base = _deployment(tmp_path)
    assert offices.for_office(base, 1, "kantor") is base  # the deployment's .env, its folders
    assert base.site_dir == tmp_path / "site" and base.archive_dir == tmp_path / "archive"
    assert base.office_dir == tmp_path


def test_deployment_settings_are_refused_in_an_office_file(tmp_path: Path) -> None:
    _write(tmp_path, "dinkes", "DATABASE_URL=postgresql://x\nTELEGRAM_BOT_TOKEN=2:y\nOFFICE_NAME=Dinkes\n")
    with pytest.raises(offices.OfficeSettingsProblem) as caught:
        offices.for_office(_deployment(tmp_path), 2, "dinkes")
    text = str(caught.value)
    assert "DATABASE_URL milik seluruh instalasi" in text and "TELEGRAM_BOT_TOKEN milik seluruh instalasi" in text
    assert "2:y" not in text and "postgresql://x" not in text  # never a value


def test_bad_values_are_named_in_indonesian(tmp_path: Path) -> None:
    _write(tmp_path, "dinkes", "STANDARD_PUBLISH_MINUTES=setengah jam\nWORKING_DAYS=9\n")
    with pytest.raises(offices.OfficeSettingsProblem) as caught:
        offices.for_office(_deployment(tmp_path), 2, "dinkes")
    lines = caught.value.lines
    assert any(line.startswith("STANDARD_PUBLISH_MINUTES: harus angka") for line in lines)
    assert any(line.startswith("WORKING_DAYS: hari kerja harus") for line in lines)


def test_every_office_setting_is_a_setting() -> None:
    assert set(Settings.model_fields) >= offices.OFFICE_SETTINGS
    assert not {"telegram_bot_token", "database_url", "data_dir", "admin_ids"} & offices.OFFICE_SETTINGS


@pytest.mark.parametrize(("name", "slug"), [
    ("Dinas Pendidikan", "dinas-pendidikan"), ("  BAPPEDA ", "bappeda"), ("Dinas P&K (2026)", "dinas-p-k-2026"),
    ("???", "kantor"), ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas-pemberdayaan-perempuan-dan"),
])
def test_slugs(name: str, slug: str) -> None:
    assert office_slug(name) == slug
    assert OFFICE_SLUG.match(slug)
