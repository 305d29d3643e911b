"""`terbit doctor`: is this installation ready to run?  A short checklist in Indonesian.

Each check is a small function returning a :class:`Check` (✅ ok, ⚠️ warning, ❌ problem).
Everything that reaches the outside world comes in through :class:`Probes` (Telegram's
getMe and getChatMember, an httpx transport for WordPress and SITE_BASE_URL), so tests run
every check without a network.  Nothing here changes the installation, except creating
DATA_DIR (as the bot itself would) to see that it can be written.
"""
from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.logging_setup import redact
from config import offices as office_settings
from config.about import version
from config.settings import Settings
from domain import spelling
from domain.labels import human_size
from publishers.base import PublishError
from publishers.registry import PublisherConfig
from publishers.render import format_date_id
from publishers.wordpress import WordPressPublisher
from services.staff import offices
from services.staff.offices import OfficeView
from storage.db import alembic_config, is_locked, make_engine, make_sessionmaker
from texts.id import ops as T

#: Below this much free space in DATA_DIR the doctor warns; below FULL it is a problem.
LOW_SPACE = 1024**3
FULL_SPACE = 100 * 1024**2
TIMEOUT = 5.0


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    name: str
    status: Status
    detail: str

    @property
    def line(self) -> str:
        return T.DOCTOR_LINE.format(mark=T.MARKS[self.status.value], name=self.name, detail=self.detail)


@dataclass(frozen=True)
class BotIdentity:
    id: int
    username: str


@dataclass(frozen=True)
class ChannelRights:
    """What the bot may do in the channel (getChatMember of the bot itself)."""

    status: str  # creator | administrator | member | restricted | left | kicked
    can_post: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_promote: bool = False


@dataclass(frozen=True)
class Probes:
    """How the checks reach Telegram and the web; tests give fakes."""

    get_me: Callable[[], Awaitable[BotIdentity]]
    channel_rights: Callable[[str | int, int], Awaitable[ChannelRights]]
    transport: httpx.AsyncBaseTransport | None = None
    timeout: float = TIMEOUT


# --- how a failure is described (also used by bot/cli.py at start-up) ----------------------

def telegram_unreachable(exc: BaseException) -> tuple[str, str] | None:
    """(Indonesian, English) words for "Telegram could not be reached", or None for other errors."""
    if isinstance(exc, TimedOut):
        return T.UNREACHABLE_TIMEOUT
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return T.UNREACHABLE_CONNECT
    return None


def database_where(url: str) -> str:
    """The database as a person knows it: the SQLite file, or PostgreSQL host/name (never the password)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return str(u.database)
    return f"PostgreSQL {u.host or 'localhost'}/{u.database or ''}"


def database_reason(exc: BaseException) -> str:
    """The database's own words for what went wrong (``file is not a database``), first line only."""
    cause: object = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(cause).strip().splitlines()
    return (text[0] if text else type(cause).__name__)[:200]


def writable_problem(data_dir: Path) -> str | None:
    """Why DATA_DIR cannot be written (created if missing, as the bot would), or None."""
    probe = data_dir / f".terbit-doctor-{os.getpid()}"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


# --- the checks ---------------------------------------------------------------------------

def check_settings(settings: Settings) -> Check:
    """The settings loaded (the command line stops earlier when they do not); without
    ADMIN_IDS nobody could invite anyone."""
    if not settings.admin_ids:
        return Check(T.CHECK_SETTINGS, Status.WARN, T.NO_ADMINS)
    return Check(T.CHECK_SETTINGS, Status.OK, T.SETTINGS_OK.format(
        mode=settings.mode, database=settings.database_kind, targets=", ".join(settings.publishers)))


def check_timezone(name: str, now: datetime | None = None) -> Check:
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return Check(T.CHECK_TIMEZONE, Status.FAIL, T.TIMEZONE_BAD.format(name=name))
    local = (now or datetime.now(zone)).astimezone(zone)
    now_text = format_date_id(local, time=True, weekday=True, tz=zone)  # as people read times everywhere
    return Check(T.CHECK_TIMEZONE, Status.OK, T.TIMEZONE_OK.format(name=name, now=now_text))


def check_data_dir(data_dir: Path) -> Check:
    path = str(data_dir)
    problem = writable_problem(data_dir)
    if problem is not None:
        return Check(T.CHECK_DATA_DIR, Status.FAIL, T.DATA_DIR_BAD.format(path=path, reason=problem))
    free = shutil.disk_usage(data_dir).free
    if free < FULL_SPACE:
        return Check(T.CHECK_DATA_DIR, Status.FAIL, T.DATA_DIR_FULL.format(path=path, free=human_size(free)))
    if free < LOW_SPACE:
        return Check(T.CHECK_DATA_DIR, Status.WARN, T.DATA_DIR_LOW.format(path=path, free=human_size(free)))
    return Check(T.CHECK_DATA_DIR, Status.OK, T.DATA_DIR_OK.format(path=path, free=human_size(free)))


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


async def check_database(url: str) -> Check:
    """Reachable, readable, and migrated to the newest schema this version knows."""
    u = make_url(url)
    kind = u.get_backend_name()
    if kind == "sqlite" and u.database and not Path(u.database).exists():
        return Check(T.CHECK_DATABASE, Status.WARN, T.DATABASE_NOT_CREATED.format(kind=kind))
    script = ScriptDirectory.from_config(alembic_config(url))
    head = script.get_current_head()
    engine = make_engine(url, busy_timeout=1.0)
    try:
        async with asyncio.timeout(3 * TIMEOUT), engine.connect() as conn:
            current = await conn.run_sync(_current_revision)
            if kind == "sqlite":  # can it be written now?  (taken and given back at once: nothing changes)
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
                await conn.exec_driver_sql("ROLLBACK")
    except Exception as exc:  # whatever the driver raises (or a server that never answers), in its words
        if is_locked(exc):  # another process holds it: not damage
            return Check(T.CHECK_DATABASE, Status.WARN,
                         T.DATABASE_LOCKED_NOW.format(where=database_where(url), reason=database_reason(exc)))
        return Check(T.CHECK_DATABASE, Status.FAIL,
                     T.DATABASE_BAD.format(where=database_where(url), reason=database_reason(exc)))
    finally:
        await engine.dispose()
    if current is None:
        return Check(T.CHECK_DATABASE, Status.WARN, T.DATABASE_NOT_CREATED.format(kind=kind))
    if current == head:
        return Check(T.CHECK_DATABASE, Status.OK, T.DATABASE_OK.format(kind=kind, revision=current))
    known = {rev.revision for rev in script.walk_revisions()}
    if current in known:
        return Check(T.CHECK_DATABASE, Status.WARN, T.DATABASE_BEHIND.format(current=current, head=head))
    return Check(T.CHECK_DATABASE, Status.FAIL, T.DATABASE_AHEAD.format(current=current, head=head))


async def check_token(get_me: Callable[[], Awaitable[BotIdentity]]) -> tuple[Check, BotIdentity | None]:
    """getMe: Telegram knows the token, and which bot it is."""
    try:
        me = await get_me()
    except InvalidToken:
        return Check(T.CHECK_TOKEN, Status.FAIL, T.TOKEN_BAD), None
    except TelegramError as exc:
        why = telegram_unreachable(exc)
        if why is not None:
            return Check(T.CHECK_TOKEN, Status.FAIL, T.TELEGRAM_DOWN.format(why=why[0])), None
        return Check(T.CHECK_TOKEN, Status.FAIL, T.TELEGRAM_ERROR.format(error=exc.message)), None
    return Check(T.CHECK_TOKEN, Status.OK, T.TOKEN_OK.format(username=me.username, id=me.id)), me


def _plain_http(url: str) -> bool:
    """An http:// address that is not this machine (secrets would cross the network unencrypted)."""
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1")


async def check_site(url: str, transport: httpx.AsyncBaseTransport | None = None,
                     timeout: float = TIMEOUT) -> Check:
    """SITE_BASE_URL answers (HEAD, or GET where HEAD is not allowed)."""
    try:
        async with httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=True) as client:
            resp = await client.head(url)
            if resp.status_code in (405, 501):
                resp = await client.get(url)
    except httpx.TimeoutException:
        return Check(T.CHECK_SITE, Status.WARN, T.SITE_DOWN.format(url=url, why=T.UNREACHABLE_TIMEOUT[0]))
    except httpx.HTTPError as exc:
        return Check(T.CHECK_SITE, Status.WARN, T.SITE_DOWN.format(url=url, why=type(exc).__name__))
    if resp.status_code >= 400:
        return Check(T.CHECK_SITE, Status.WARN, T.SITE_STATUS.format(url=url, code=resp.status_code))
    return Check(T.CHECK_SITE, Status.OK, T.SITE_OK.format(url=url, code=resp.status_code))


def _target(name: str) -> str:
    return T.CHECK_TARGET.format(name=name)


def _missing(config: PublisherConfig, *fields: str) -> list[str]:
    return [f.upper() for f in fields if not getattr(config, f)]


async def check_wordpress(config: PublisherConfig, transport: httpx.AsyncBaseTransport | None = None,
                          timeout: float = TIMEOUT) -> Check:
    """The account logs in (users/me), may publish and upload, and is not an administrator."""
    name = _target("wordpress")
    missing = _missing(config, "wordpress_url", "wordpress_user", "wordpress_app_password")
    if missing:
        return Check(name, Status.FAIL, T.TARGET_MISSING.format(names=", ".join(missing)))
    url, user = str(config.wordpress_url), str(config.wordpress_user)
    try:
        wp = WordPressPublisher(url, user, config.wordpress_app_password,
                                status=config.wordpress_status,  # type: ignore[arg-type]
                                transport=transport, timeout=timeout)
    except ValueError as exc:
        return Check(name, Status.FAIL, str(exc))
    try:
        me = await wp._me()
    except PublishError as exc:
        return Check(name, Status.FAIL, exc.message)
    finally:
        await wp.aclose()
    roles = [str(r) for r in me.get("roles") or []]
    caps = me.get("capabilities") or {}
    if config.wordpress_status in ("publish", "private") and caps and not caps.get("publish_posts"):
        return Check(name, Status.FAIL, T.WORDPRESS_NO_PUBLISH.format(user=user))
    if caps and not caps.get("upload_files"):
        return Check(name, Status.FAIL, T.WORDPRESS_NO_UPLOAD.format(user=user))
    if "administrator" in roles or caps.get("manage_options"):
        return Check(name, Status.WARN, T.WORDPRESS_ADMIN.format(user=user))
    if _plain_http(url):
        return Check(name, Status.WARN, T.TARGET_NOT_HTTPS.format(url=url))
    return Check(name, Status.OK, T.WORDPRESS_OK.format(user=user, roles=", ".join(roles) or "?"))


def check_webhook(config: PublisherConfig) -> Check:
    """The custom CMS: an address and a signing secret."""
    name = _target("webhook")
    missing = _missing(config, "webhook_url", "webhook_secret")
    if missing:
        return Check(name, Status.FAIL, T.TARGET_MISSING.format(names=", ".join(missing)))
    url = str(config.webhook_url)
    if _plain_http(url):
        return Check(name, Status.WARN, T.TARGET_NOT_HTTPS.format(url=url))
    if len(config.webhook_secret) < 16:
        return Check(name, Status.WARN, T.WEBHOOK_SECRET_SHORT)
    return Check(name, Status.OK, T.WEBHOOK_OK.format(url=url))


async def check_channel(channel: str | None, bot: BotIdentity | None,
                        channel_rights: Callable[[str | int, int], Awaitable[ChannelRights]]) -> Check:
    """The bot is an admin of the channel that may post, edit and delete, and no more than that."""
    name = _target("telegram_channel")
    if not channel:
        return Check(name, Status.FAIL, T.TARGET_MISSING.format(names="TELEGRAM_CHANNEL"))
    if bot is None:
        return Check(name, Status.WARN, T.CHANNEL_NO_TOKEN)
    chat: str | int = int(channel) if channel.lstrip("-").isdigit() else channel
    try:
        rights = await channel_rights(chat, bot.id)
    except (BadRequest, Forbidden) as exc:
        return Check(name, Status.FAIL, T.CHANNEL_UNKNOWN.format(channel=channel, error=exc.message))
    except TelegramError as exc:
        return Check(name, Status.WARN, T.CHANNEL_UNCHECKED.format(error=exc.message))
    if rights.status == "creator":
        return Check(name, Status.OK, T.CHANNEL_OK.format(channel=channel))
    if rights.status != "administrator":
        return Check(name, Status.FAIL, T.CHANNEL_NOT_ADMIN.format(channel=channel))
    if not rights.can_post:
        return Check(name, Status.FAIL, T.CHANNEL_NO_POST.format(channel=channel))
    if not (rights.can_edit and rights.can_delete):
        return Check(name, Status.WARN, T.CHANNEL_NO_EDIT.format(channel=channel))
    if rights.can_promote:
        return Check(name, Status.WARN, T.CHANNEL_TOO_MUCH.format(channel=channel))
    return Check(name, Status.OK, T.CHANNEL_OK.format(channel=channel))


async def check_targets(settings: Settings, bot: BotIdentity | None, probes: Probes) -> list[Check]:
    """One line per target in PUBLISHERS."""
    config = settings.publisher_config()
    local = {"static_site": settings.site_dir, "archive": settings.archive_dir}
    known = [*local, "wordpress", "webhook", "telegram_channel"]
    checks = []
    for target in settings.publishers:
        if target in local:
            checks.append(check_local_target(target, local[target]))
        elif target == "wordpress":
            checks.append(await check_wordpress(config, probes.transport, probes.timeout))
        elif target == "webhook":
            checks.append(check_webhook(config))
        elif target == "telegram_channel":
            checks.append(await check_channel(config.telegram_channel, bot, probes.channel_rights))
        else:
            checks.append(Check(_target(target), Status.FAIL, T.TARGET_UNKNOWN.format(known=", ".join(known))))
    return checks


def check_local_target(target: str, path: Path) -> Check:
    """A target that writes into DATA_DIR (the static site, the archive): ❌ when its folder cannot be written."""
    problem = writable_problem(path)
    if problem is not None:
        return Check(_target(target), Status.FAIL, T.DATA_DIR_BAD.format(path=path, reason=problem))
    return Check(_target(target), Status.OK, T.TARGET_LOCAL.format(path=path))


def check_site_address(settings: Settings) -> Check | None:
    """The static site without SITE_BASE_URL: pages are made, but nobody gets a link to them."""
    if settings.site_base_url or "static_site" not in settings.publishers:
        return None
    return Check(T.CHECK_SITE, Status.WARN, T.SITE_BASE_URL_EMPTY)


def check_webhook_url(url: str | None) -> Check | None:
    """TELEGRAM_WEBHOOK_URL: Telegram delivers updates only to an https:// address."""
    if not url:
        return None
    if urlsplit(url).scheme != "https":
        return Check(T.CHECK_TELEGRAM_WEBHOOK, Status.FAIL, T.TELEGRAM_WEBHOOK_NOT_HTTPS.format(url=url))
    return Check(T.CHECK_TELEGRAM_WEBHOOK, Status.OK, url)


def check_spelling() -> Check:
    """The Indonesian dictionary for the spelling check: without it only standard forms are checked."""
    where = spelling.dictionary_path()
    if where is None:
        return Check(T.CHECK_SPELLING, Status.WARN, T.SPELLING_MISSING.format(n=len(spelling.standard_forms())))
    return Check(T.CHECK_SPELLING, Status.OK, T.SPELLING_OK.format(path=where, n=len(spelling.standard_forms())))


async def _offices(url: str) -> tuple[OfficeView, ...]:
    """The deployment's offices, as the database lists them (none when it cannot be read: the
    database's own line says why)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and not Path(u.database).exists():
        return ()  # not created yet: connecting would create it
    engine = make_engine(url, busy_timeout=1.0)
    try:
        async with asyncio.timeout(3 * TIMEOUT):
            return await offices.all_offices(make_sessionmaker(engine))
    except Exception:
        return ()
    finally:
        await engine.dispose()


async def check_offices(settings: Settings, bot: BotIdentity | None, probes: Probes,
                        found: tuple[OfficeView, ...]) -> list[Check]:
    """Every office but no. 1 (whose settings are .env's, checked above): its own settings file, its
    targets and its site's address, each line naming the office."""
    checks: list[Check] = []
    for office in found:
        if office.id == office_settings.FIRST_OFFICE:
            continue
        name = T.CHECK_OFFICE.format(name=office.name, slug=office.slug)
        try:
            own = office_settings.for_office(settings, office.id, office.slug)
        except office_settings.OfficeSettingsProblem as exc:
            checks.append(Check(name, Status.FAIL, "; ".join(exc.lines)))
            continue
        checks.append(Check(name, Status.OK, T.OFFICE_SETTINGS_OK.format(
            file=office_settings.settings_file(settings.data_dir, office.slug))))
        found_checks = await check_targets(own, bot, probes)
        found_checks += [c for c in (check_site_address(own),) if c is not None]
        checks += [replace(c, name=f"{name} · {c.name}") for c in found_checks]
    return checks


async def run_checks(settings: Settings, probes: Probes) -> list[Check]:
    """Every check, in the order the checklist shows them."""
    checks = [check_settings(settings), check_timezone(settings.timezone),
              await asyncio.to_thread(check_data_dir, settings.data_dir),
              await check_database(settings.db_url)]
    token, me = await check_token(probes.get_me)
    checks.append(token)
    checks += [c for c in (check_webhook_url(settings.telegram_webhook_url),) if c is not None]
    checks += await check_targets(settings, me, probes)
    if settings.site_base_url:
        checks.append(await check_site(settings.site_base_url, probes.transport, probes.timeout))
    checks += [c for c in (check_site_address(settings),) if c is not None]
    checks += await check_offices(settings, me, probes, await _offices(settings.db_url))
    checks.append(check_spelling())
    return checks


def render(checks: list[Check]) -> str:
    """The checklist as printed: a header, one line per check, and the count of problems."""
    fail = sum(c.status is Status.FAIL for c in checks)
    warn = sum(c.status is Status.WARN for c in checks)
    summary = T.DOCTOR_SUMMARY.format(fail=fail, warn=warn) if fail or warn else T.DOCTOR_ALL_GOOD
    return "\n".join([T.DOCTOR_HEADER.format(version=version()), *(c.line for c in checks), summary])


def failed(checks: list[Check]) -> bool:
    return any(c.status is Status.FAIL for c in checks)


# --- the real probes ----------------------------------------------------------------------

def telegram_probes(bot: Bot) -> Probes:
    """Probes that ask Telegram through ``bot``."""
    async def get_me() -> BotIdentity:
        me = await bot.get_me()
        return BotIdentity(me.id, me.username or "")

    async def channel_rights(chat: str | int, user_id: int) -> ChannelRights:
        member = await bot.get_chat_member(chat, user_id)
        if isinstance(member, ChatMemberOwner):
            return ChannelRights(member.status, True, True, True, True)
        if isinstance(member, ChatMemberAdministrator):
            return ChannelRights(member.status, bool(member.can_post_messages), bool(member.can_edit_messages),
                                 bool(member.can_delete_messages), bool(member.can_promote_members))
        return ChannelRights(member.status)

    return Probes(get_me, channel_rights)


async def _diagnose(settings: Settings) -> list[Check]:
    request = HTTPXRequest(connect_timeout=TIMEOUT, read_timeout=2 * TIMEOUT, write_timeout=TIMEOUT,
                           pool_timeout=TIMEOUT)
    bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_url,
              base_file_url=settings.telegram_file_url, request=request)
    try:
        return await run_checks(settings, telegram_probes(bot))
    finally:
        await request.shutdown()


def main(settings: Settings) -> int:
    """`terbit doctor`: print the checklist; 1 when anything is ❌."""
    checks = asyncio.run(_diagnose(settings))
    print(redact(render(checks), settings.secrets()))
    return 1 if failed(checks) else 0
