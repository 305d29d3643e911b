"""All configuration, read from the environment and `.env` (pydantic-settings).

Every field is documented in `.env.example`; keep the two in step.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from publishers.registry import PublisherConfig
from texts.id import ops as T

TELEGRAM_DEFAULT_API = "https://api.telegram.org/bot"
TELEGRAM_DEFAULT_FILE = "https://api.telegram.org/file/bot"
#: What the public Bot API lets a bot download; a local Bot API server has no such cap.
BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024


def _csv(value):
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


class SettingProblem(ValueError):
    """A value the bot cannot work with: which setting, and why (Indonesian, English)."""

    def __init__(self, setting: str, reason: tuple[str, str]) -> None:
        super().__init__(f"{setting}: {reason[1]}")
        self.setting = setting
        self.reason = reason


class Settings(BaseSettings):
    # An empty value (``MAX_UPLOAD_MB=`` as shipped in .env.example) means "unset": the default applies.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      env_ignore_empty=True)

    telegram_bot_token: SecretStr
    _office_home: Path | None = PrivateAttr(default=None)
    telegram_api_url: str = TELEGRAM_DEFAULT_API
    telegram_file_url: str = TELEGRAM_DEFAULT_FILE
    #: Set when TELEGRAM_API_URL points at a local Bot API server (no 20 MB cap).
    telegram_local_mode: bool = False

    data_dir: Path = Path("./data")
    database_url: str | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    timezone: str = "Asia/Jakarta"

    # Content checks (SOP: "etika penulisan dan validitas data").
    title_min_chars: int = 10
    title_max_chars: int = 150
    body_min_chars: int = 150
    kinds_needing_photo: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["berita"])

    # Media intake.
    max_upload_mb: float | None = None  # defaults to the Bot API's 20 MB unless local mode
    image_max_side: int = 1600
    image_thumb_side: int = 400
    image_format: str = "JPEG"
    image_quality: int = 82
    #: Progressive JPEG renders early on a slow link; baseline encodes ~30 % faster.
    image_progressive: bool = True
    image_max_megapixels: float = 60.0

    # Onboarding.
    invite_ttl_hours: int = 72

    # Publishing targets (comma-separated): static_site and archive need no set-up.
    publishers: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["static_site", "archive"])
    site_base_url: str | None = None
    site_title: str = "Berita dan Informasi"
    outbox_poll_seconds: float = 5.0
    outbox_max_attempts: int = 8
    #: A target failing this long is an outage the admins (and the writer) are told of;
    #: empty: half the SOP's publishing standard (STANDARD_PUBLISH_MINUTES / 2, 15 minutes).
    outbox_outage_minutes: float | None = None
    #: Owed messages (replies, cards, notices) are retried this long before the admins are told.
    delivery_window_minutes: float = 360
    #: How often the postman looks for owed messages whose retry time has come.
    delivery_poll_seconds: float = 5.0
    #: Updates handled at once (each person's own updates always run one at a time, in order).
    concurrent_updates: int = 64

    # Faults (issue 18).  When an update cannot be stored (disk full, database locked,
    # PostgreSQL down), polling waits before asking again: from the first value,
    # doubling, at most the second (at most one getUpdates a second, and a person who
    # writes meanwhile is told within about ten seconds).
    storage_retry_first_seconds: float = 1.0
    storage_retry_max_seconds: float = 8.0
    #: While a fault lasts, the log gets one summary line this often (and a line when it starts and ends).
    fault_summary_seconds: float = 60.0
    #: SQLite: a write waits this long for another writer's lock before it fails.
    sqlite_busy_timeout_seconds: float = 5.0
    #: At start, a database locked by another process is tried again this often, as long as the lock is held.
    start_lock_poll_seconds: float = 2.0
    #: A file from a phone: getFile and the download are retried with backoff this long
    #: (Telegram keeps a file id downloadable for at least an hour).
    file_fetch_window_seconds: float = 600.0

    # Webhook mode (instead of long polling, the default): Telegram calls
    # TELEGRAM_WEBHOOK_URL (behind a TLS proxy such as nginx, which forwards to
    # TELEGRAM_WEBHOOK_LISTEN:TELEGRAM_WEBHOOK_PORT).  Every request must carry
    # TELEGRAM_WEBHOOK_SECRET in its X-Telegram-Bot-Api-Secret-Token header.
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8081
    telegram_webhook_secret: SecretStr | None = None
    # The review desk ("Buka meja periksa", a Telegram Mini App: issue 22), served on the webhook's
    # own listener under /meja/.  Empty: on in webhook mode with a public https TELEGRAM_WEBHOOK_URL,
    # off otherwise (the cards stay as they are).  false switches it off at once.
    miniapp_enabled: bool | None = None
    #: Telegram's signed initData is accepted this long after Telegram signed it (then exchanged once).
    miniapp_init_max_age_seconds: int = Field(default=3600, ge=30)
    #: A desk session (its token and view key) lasts this long.
    miniapp_session_minutes: int = Field(default=30, ge=1)

    # WordPress (PUBLISHERS=...,wordpress): an Application Password of an
    # Editor or Author account - never an administrator's.
    wordpress_url: str | None = None
    wordpress_user: str | None = None
    wordpress_app_password: SecretStr | None = None
    wordpress_status: str = "publish"  # publish | pending
    wordpress_create_categories: bool = False
    wordpress_withdraw: str = "draft"  # draft | trash
    # What withdrawing does to the post's photos, documents and audio: delete (the
    # files are gone, re-publishing uploads them again) | private (hidden from
    # listings, but a kept file URL still opens).
    wordpress_withdraw_media: str = "delete"

    # Custom CMS by signed webhook (PUBLISHERS=...,webhook); see publishers/WEBHOOK.md.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None

    # Public Telegram channel (PUBLISHERS=...,telegram_channel): @username or
    # numeric id; the bot must be an admin of the channel.
    telegram_channel: str | None = None

    # The SOP clock (issue #5): standard time per step in minutes (SOP defaults),
    # office hours, reminders, escalation, abandoned drafts, the monthly report.
    standard_collect_minutes: float = 180
    standard_convert_minutes: float = 60
    standard_draft_minutes: float = 60
    standard_review_kasubbag_minutes: float = 30
    standard_review_kepala_minutes: float = 30
    standard_publish_minutes: float = 30
    standard_archive_minutes: float = 30
    #: ISO weekday numbers, 1 = Monday .. 7 = Sunday.
    working_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [1, 2, 3, 4, 5])
    working_hours_start: time = time(7, 30)
    working_hours_end: time = time(16, 0)
    #: Days off besides Indonesia's public holidays and cuti bersama (those come from the
    #: `holidays` package), YYYY-MM-DD, comma-separated.
    holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)
    #: Days the package lists that this office works anyway, YYYY-MM-DD, comma-separated.
    holidays_removed: Annotated[list[date], NoDecode] = Field(default_factory=list)
    #: Count the SOP's times by the wall clock (24/7) instead of office hours.
    sop_wall_clock: bool = False
    reminders_enabled: bool = True
    #: "🙋 Saya periksa" holds this long (counted as the SOP's times are); empty: the standard
    #: time of the step the item waits at (STANDARD_REVIEW_KASUBBAG/KEPALA_MINUTES).
    claim_timeout_minutes: float | None = None
    #: How often the SOP clock looks for due reminders (a safety net; each one is also scheduled).
    reminder_poll_seconds: float = 60
    #: A returned draft untouched this many working days: the writer is reminded.
    returned_reminder_workdays: float = 1
    #: A draft untouched this many days is archived as abandoned (0: never) ...
    abandon_after_days: int = 14
    #: ... after a warning this many days before.
    abandon_warning_days: int = 3
    #: The previous month's report, on the first working day of the month, to the Kasubbag and admins.
    monthly_report_enabled: bool = True
    #: Retention period written in the Daftar Informasi Publik (PerKI 1/2021), e.g. "5 tahun".
    dip_retention: str = "5 tahun"

    # Backups (terbit backup / terbit restore; docs/service.md).
    #: A daily automatic backup at this local time (HH:MM) into DATA_DIR/backups; empty: off.
    backup_daily_at: time | None = None
    #: How many backups DATA_DIR/backups keeps (the oldest go first).
    backup_keep: int = Field(default=7, ge=1)

    # The static site's identity and look (README: "The static website").
    #: The office the site belongs to, shown in its header and footer, e.g. "Dinas Komunikasi dan Informatika".
    office_name: str = ""
    #: The office's logo: a file path (copied into the site) or an http(s) URL.
    office_logo: str | None = None
    #: The office's main website, linked from every page's header and footer.
    office_url: str | None = None
    #: A folder of templates (base.html, index.html, article.html, style.css, ...) that replace the shipped ones.
    static_templates_dir: Path | None = None
    #: Articles per page of the site's listings (home and sections).
    site_page_size: int = Field(default=20, ge=1, le=500)

    # Photo validity (issue 13): a photo sent as a file keeps its capture time and
    # position; a warning (never a block) when they disagree with the body.
    #: Days between a photo's capture date and the date the body states.
    photo_days_apart: int = Field(default=7, ge=0)
    #: Kilometres between a photo's position and the place the body names.
    photo_km_apart: float = Field(default=25.0, ge=0)

    @field_validator("backup_daily_at", "outbox_outage_minutes", "miniapp_enabled", mode="before")
    @classmethod
    def _empty_is_off(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("working_days", "holidays", "holidays_removed", mode="before")
    @classmethod
    def _split_clock_csv(cls, v):
        return _csv(v)

    @field_validator("admin_ids", "kinds_needing_photo", "publishers", mode="before")
    @classmethod
    def _split_csv(cls, v):
        return _csv(v)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, v: SecretStr) -> SecretStr:
        token = v.get_secret_value().strip()
        if not token:
            raise SettingProblem("TELEGRAM_BOT_TOKEN", T.TOKEN_EMPTY)
        if not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", token):
            raise SettingProblem("TELEGRAM_BOT_TOKEN", T.TOKEN_SHAPE)
        return SecretStr(token)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingProblem("TIMEZONE", T.TIMEZONE_UNKNOWN) from None
        return v

    @field_validator("working_days")
    @classmethod
    def _weekdays(cls, v: list[int]) -> list[int]:
        if any(not 1 <= d <= 7 for d in v):
            raise SettingProblem("WORKING_DAYS", T.WEEKDAY_RANGE)
        return v

    @model_validator(mode="after")
    def _defaults(self):
        if self.telegram_webhook_url:
            secret = self.telegram_webhook_secret.get_secret_value() if self.telegram_webhook_secret else ""
            if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
                raise SettingProblem("TELEGRAM_WEBHOOK_SECRET", T.WEBHOOK_SECRET_NEEDED)
        return self

    @property
    def outbox_outage_after(self) -> timedelta:
        """How long a target may fail before the admins hear of it (default: half the publishing standard)."""
        minutes = self.outbox_outage_minutes
        return timedelta(minutes=self.standard_publish_minutes / 2 if minutes is None else minutes)

    def publisher_config(self) -> PublisherConfig:
        """What the publishers need, and nothing else of the bot's settings."""
        def secret(value: SecretStr | None) -> str:
            return value.get_secret_value() if value is not None else ""

        return PublisherConfig(
            site_dir=self.site_dir, archive_dir=self.archive_dir, targets=tuple(self.publishers),
            site_base_url=self.site_base_url, site_title=self.site_title, timezone=self.timezone,
            office_name=self.office_name, office_logo=self.office_logo, office_url=self.office_url,
            static_templates_dir=self.static_templates_dir, site_page_size=self.site_page_size,
            wordpress_url=self.wordpress_url, wordpress_user=self.wordpress_user,
            wordpress_app_password=secret(self.wordpress_app_password), wordpress_status=self.wordpress_status,
            wordpress_create_categories=self.wordpress_create_categories, wordpress_withdraw=self.wordpress_withdraw,
            wordpress_withdraw_media=self.wordpress_withdraw_media,
            webhook_url=self.webhook_url, webhook_secret=secret(self.webhook_secret),
            telegram_channel=self.telegram_channel,
        )

    @property
    def desk_enabled(self) -> bool:
        """The review desk is served (and its button drawn): MINIAPP_ENABLED, by default on in webhook mode
        with a public https address (Telegram opens Mini Apps over https only)."""
        if self.miniapp_enabled is not None:
            return self.miniapp_enabled and self.desk_origin is not None
        return self.desk_origin is not None

    @property
    def desk_origin(self) -> str | None:
        """``https://host[:port]`` of TELEGRAM_WEBHOOK_URL: where the desk's pages are (None: no https webhook)."""
        if not self.telegram_webhook_url:
            return None
        parts = urlsplit(self.telegram_webhook_url)
        if parts.scheme != "https" or not parts.hostname:
            return None
        return f"https://{parts.netloc.rsplit('@', 1)[-1]}"

    @property
    def bot_id(self) -> int:
        """The bot's number, the token's first part (Telegram numbers updates per bot)."""
        head = self.telegram_bot_token.get_secret_value().split(":", 1)[0]
        return int(head) if head.isdigit() else 0

    @property
    def mode(self) -> str:
        """How Telegram's updates arrive: ``polling`` or ``webhook``."""
        return "webhook" if self.telegram_webhook_url else "polling"

    @property
    def database_kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "postgresql" if self.db_url.startswith("postgresql") else "sqlite"

    def secrets(self) -> list[str]:
        """Every secret value set (the token, passwords, signing keys), to keep them out of output and logs."""
        found = [v.get_secret_value() for v in (self.telegram_bot_token, self.telegram_webhook_secret,
                                                  self.wordpress_app_password, self.webhook_secret) if v is not None]
        password = re.search(r"://[^/:@]*:([^@/]+)@", self.database_url or "")
        if password:
            found.append(password.group(1))
        return [s for s in found if s]

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'terbit.sqlite3').resolve()}"

    @property
    def download_limit(self) -> int:
        if self.max_upload_mb is not None:
            return int(self.max_upload_mb * 1024 * 1024)
        return 2**40 if self.telegram_local_mode else BOT_API_DOWNLOAD_LIMIT

    @property
    def office_home(self) -> Path | None:
        """An office's own folder (config/offices.py); None: the deployment's own, DATA_DIR."""
        return self._office_home

    def settle_in(self, folder: Path) -> None:
        """These settings are an office's: its site and archive live in ``folder``."""
        self._office_home = folder

    @property
    def office_dir(self) -> Path:
        """Where this office keeps its own files: its dictionary (kamus), places (tempat), site and
        archive (DATA_DIR for office no. 1 and a deployment of one office)."""
        return self._office_home or self.data_dir

    @property
    def site_dir(self) -> Path:
        return (self._office_home or self.data_dir) / "site"

    @property
    def archive_dir(self) -> Path:
        return (self._office_home or self.data_dir) / "archive"


#: Settings whose value is never shown, not even in an error message.
SECRET_SETTINGS = frozenset({"telegram_bot_token", "telegram_webhook_secret", "wordpress_app_password",
                             "webhook_secret", "database_url"})


def reason_of(error: Any) -> tuple[str, tuple[str, str]]:
    """The setting a pydantic error is about, and why (Indonesian, English)."""
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, SettingProblem):
        return cause.setting, cause.reason
    loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
    setting = loc[0].upper() if loc else "?"
    if setting == "TELEGRAM_BOT_TOKEN" and error.get("type") == "missing":
        return setting, T.TOKEN_EMPTY
    known = T.CONFIG_REASONS.get(error.get("type", ""))
    return setting, known or (T.CONFIG_REASON_OTHER, str(error.get("msg", "invalid value")))


def describe_errors(exc: ValidationError) -> str:
    """Every refused setting, one line each, named and explained in Indonesian and English (never a secret)."""
    lines = [T.CONFIG_HEADER]
    for error in exc.errors():
        setting, (why_id, why_en) = reason_of(error)
        value = error.get("input")
        shown = (isinstance(value, str) and 0 < len(value) <= 60 and setting.lower() not in SECRET_SETTINGS
                 and error.get("type") != "missing")
        template = T.CONFIG_LINE_VALUE if shown else T.CONFIG_LINE
        line = template.format(setting=setting, value=value, reason_id=why_id, reason_en=why_en)
        if line not in lines:
            lines.append(line)
    lines.append(T.CONFIG_FOOTER)
    return "\n".join(lines)
