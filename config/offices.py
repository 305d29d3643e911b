"""An office's own settings, on top of the deployment's.

One deployment (one bot, one database, one ``.env``) serves many offices
(OPD).  Each office may set its own values in ``DATA_DIR/kantor/<slug>/kantor.env``
with the same names as ``.env``; what it does not set comes from the
deployment.  Secrets (a WordPress application password, a webhook key) stay on
the server in that file, never in chat.  Settings that belong to the
deployment (the token, the database, DATA_DIR, the deployment admins, how
updates are received) are refused there, with the reason.

Office no. 1 is the installation as it was before offices: its settings are
the deployment's ``.env`` itself, and its site and archive stay in
``DATA_DIR/site`` and ``DATA_DIR/archive``.  Every other office
keeps its site and archive in its own folder, ``DATA_DIR/kantor/<slug>/``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values
from pydantic import ValidationError

from config.settings import SettingProblem, Settings, reason_of
from domain.slug import OFFICE_SLUG
from texts.id import ops as T

FOLDER = "kantor"
SETTINGS_FILE = "kantor.env"
#: The installation as it was before offices (migration 0014 names it office 1).
FIRST_OFFICE = 1

#: What an office may set for itself: its identity and site, its publish targets and their
#: credentials, its SOP times and calendar, its content checks, its reports.
OFFICE_SETTINGS = frozenset({
    "office_name", "office_logo", "office_url",
    "site_base_url", "site_title", "site_page_size", "static_templates_dir",
    "publishers", "wordpress_url", "wordpress_user", "wordpress_app_password", "wordpress_status",
    "wordpress_create_categories", "wordpress_withdraw", "wordpress_withdraw_media",
    "webhook_url", "webhook_secret", "telegram_channel",
    "standard_collect_minutes", "standard_convert_minutes", "standard_draft_minutes",
    "standard_review_kasubbag_minutes", "standard_review_kepala_minutes", "standard_publish_minutes",
    "standard_archive_minutes", "working_days", "working_hours_start", "working_hours_end", "holidays",
    "holidays_removed", "sop_wall_clock", "reminders_enabled", "claim_timeout_minutes",
    "returned_reminder_workdays", "abandon_after_days", "abandon_warning_days", "monthly_report_enabled",
    "dip_retention", "title_min_chars", "title_max_chars", "body_min_chars", "kinds_needing_photo",
    "photo_days_apart", "photo_km_apart", "invite_ttl_hours", "outbox_outage_minutes",
})


def home(data_dir: Path, slug: str) -> Path:
    """Where an office (other than no. 1) keeps its settings, site and archive."""
    if not OFFICE_SLUG.match(slug):
        raise ValueError(f"not an office slug: {slug!r}")
    return data_dir / FOLDER / slug


def settings_file(data_dir: Path, slug: str) -> Path:
    return home(data_dir, slug) / SETTINGS_FILE


@dataclass(frozen=True)
class OfficeSettingsProblem(Exception):
    """An office's settings file the bot cannot use: which office, and every reason, in Indonesian."""

    slug: str
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)


def own_values(data_dir: Path, slug: str) -> tuple[dict[str, str], list[str]]:
    """What the office's file sets (empty values mean "as the deployment"), and a line for each
    name it may not set."""
    path = settings_file(data_dir, slug)
    if not path.exists():
        return {}, []
    found: dict[str, str] = {}
    refused: list[str] = []
    for key, value in dotenv_values(path).items():
        if value is None or not value.strip():
            continue
        name = key.strip().lower()
        if name not in OFFICE_SETTINGS:
            refused.append(T.OFFICE_SETTING_REFUSED.format(setting=key.strip().upper(), file=path))
            continue
        found[name] = value.strip()
    return found, refused


def for_office(deployment: Settings, office_id: int, slug: str) -> Settings:
    """The settings an office works with: the deployment's, with the office's own on top
    (office no. 1's are the deployment's own ``.env``).  Every problem of its file is told at once."""
    if office_id == FIRST_OFFICE:
        return deployment
    own, problems = own_values(deployment.data_dir, slug)
    try:
        merged = Settings.model_validate({**deployment.model_dump(), **own})
    except (ValidationError, SettingProblem) as exc:
        problems += _reasons(exc, settings_file(deployment.data_dir, slug))
    if problems:
        raise OfficeSettingsProblem(slug, tuple(problems))
    merged.settle_in(home(deployment.data_dir, slug))
    return merged


def _reasons(exc: ValidationError | SettingProblem, path: Path) -> list[str]:
    if isinstance(exc, SettingProblem):
        return [T.OFFICE_SETTING_BAD.format(setting=exc.setting, reason=exc.reason[0], file=path)]
    out = []
    for error in exc.errors():
        setting, (why_id, _) = reason_of(error)
        out.append(T.OFFICE_SETTING_BAD.format(setting=setting, reason=why_id, file=path))
    return out


TEMPLATE = """# Pengaturan khusus kantor «{name}» (Terbit).  Nama-nama sama dengan .env; yang kosong
# mengikuti .env instalasi.  Berkas ini berisi rahasia (sandi WordPress): jangan dibagikan.
# Periksa dengan: terbit kantor check {slug}
OFFICE_NAME={name}
OFFICE_URL=
OFFICE_LOGO=
SITE_BASE_URL=
# Target terbit kantor ini, mis. static_site,archive,wordpress
PUBLISHERS=
WORDPRESS_URL=
WORDPRESS_USER=
WORDPRESS_APP_PASSWORD=
TELEGRAM_CHANNEL=
# Standar waktu SOP (menit) dan jam kerja, bila berbeda dari .env
STANDARD_REVIEW_KASUBBAG_MINUTES=
STANDARD_REVIEW_KEPALA_MINUTES=
WORKING_DAYS=
WORKING_HOURS_START=
WORKING_HOURS_END=
"""


def write_template(data_dir: Path, slug: str, name: str) -> Path:
    """A new office's settings file, every line empty but its name (kept if it exists), readable by
    its owner only (it will hold secrets)."""
    path = settings_file(data_dir, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(TEMPLATE.format(name=name.replace("\n", " "), slug=slug), encoding="utf-8")
        path.chmod(0o600)
    return path
