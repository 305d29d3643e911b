"""`terbit doctor`'s checks, each without a network: Telegram and the web are fakes."""
from __future__ import annotations

from collections import namedtuple
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from bot import doctor
from bot.doctor import BotIdentity, ChannelRights, Check, Probes, Status
from config.settings import Settings
from domain import spelling
from publishers.registry import PublisherConfig
from storage.db import make_engine, upgrade
from texts.id import ops as T

ME = BotIdentity(777, "terbit_kantor_bot")


def settings(tmp_path: Path, **over) -> Settings:
    over.setdefault("admin_ids", [9001])
    return Settings(_env_file=None, telegram_bot_token="123456:TEST", data_dir=tmp_path / "data", **over)


def config(tmp_path: Path, **over) -> PublisherConfig:
    return PublisherConfig(site_dir=tmp_path / "site", archive_dir=tmp_path / "archive", **over)


async def me() -> BotIdentity:
    return ME


def raising(exc: Exception):
    async def call(*_args):
        raise exc
    return call


def rights(value: ChannelRights):
    async def call(chat, user_id):
        assert user_id == ME.id
        return value
    return call


def wordpress(me_body: dict | None = None, status: int = 200) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/wp-json/wp/v2/users/me"
        assert request.headers["authorization"].startswith("Basic ")
        return httpx.Response(status, json=me_body if me_body is not None else {"code": "rest_not_logged_in"})
    return httpx.MockTransport(handle)


EDITOR = {"id": 3, "roles": ["editor"], "capabilities": {"publish_posts": True, "upload_files": True}}


# --- Telegram -------------------------------------------------------------------------------

async def test_the_token_names_the_bot():
    check, who = await doctor.check_token(me)
    assert check == Check(T.CHECK_TOKEN, Status.OK, "@terbit_kantor_bot (id 777)") and who == ME


@pytest.mark.parametrize(("exc", "detail"), [
    (InvalidToken("The token `123456:TEST` was rejected by the server."), T.TOKEN_BAD),
    (NetworkError("httpx.ConnectError: All connection attempts failed"),
     T.TELEGRAM_DOWN.format(why=T.UNREACHABLE_CONNECT[0])),
    (TimedOut(), T.TELEGRAM_DOWN.format(why=T.UNREACHABLE_TIMEOUT[0])),
])
async def test_a_token_telegram_rejects_or_cannot_check_is_a_problem(exc, detail):
    check, who = await doctor.check_token(raising(exc))
    assert (check.status, check.detail, who) == (Status.FAIL, detail, None)
    assert "123456:TEST" not in check.line


@pytest.mark.parametrize(("given", "status", "detail"), [
    (ChannelRights("administrator", can_post=True, can_edit=True, can_delete=True), Status.OK, T.CHANNEL_OK),
    (ChannelRights("creator", True, True, True, True), Status.OK, T.CHANNEL_OK),
    (ChannelRights("member"), Status.FAIL, T.CHANNEL_NOT_ADMIN),
    (ChannelRights("left"), Status.FAIL, T.CHANNEL_NOT_ADMIN),
    (ChannelRights("administrator", can_edit=True, can_delete=True), Status.FAIL, T.CHANNEL_NO_POST),
    (ChannelRights("administrator", can_post=True), Status.WARN, T.CHANNEL_NO_EDIT),
    (ChannelRights("administrator", True, True, True, can_promote=True), Status.WARN, T.CHANNEL_TOO_MUCH),
])
async def test_the_channel_bot_is_an_admin_with_just_the_rights_it_needs(given, status, detail):
    check = await doctor.check_channel("@kanal_kantor", ME, rights(given))
    assert (check.status, check.detail) == (status, detail.format(channel="@kanal_kantor"))


async def test_a_channel_telegram_does_not_know_or_cannot_be_checked():
    check = await doctor.check_channel("-1001234", ME, raising(BadRequest("Chat not found")))
    assert check.status is Status.FAIL and "Chat not found" in check.detail
    check = await doctor.check_channel("@kanal", ME, raising(NetworkError("down")))
    assert check.status is Status.WARN
    assert (await doctor.check_channel("@kanal", None, rights(ChannelRights("creator")))).status is Status.WARN
    assert (await doctor.check_channel(None, ME, rights(ChannelRights("creator")))).detail == \
        T.TARGET_MISSING.format(names="TELEGRAM_CHANNEL")


async def test_a_numeric_channel_id_is_asked_as_a_number():
    asked = []

    async def call(chat, user_id):
        asked.append(chat)
        return ChannelRights("creator")
    await doctor.check_channel("-1001234567890", ME, call)
    assert asked == [-1001234567890]


# --- WordPress and the webhook CMS -------------------------------------------------------------

async def test_wordpress_credentials_and_least_privilege(tmp_path):
    base = dict(targets=("wordpress",), wordpress_url="https://wp.kantor.go.id", wordpress_user="terbit",
                wordpress_app_password="abcd efgh ijkl")
    ok = await doctor.check_wordpress(config(tmp_path, **base), wordpress(EDITOR))
    assert (ok.status, ok.detail) == (Status.OK, T.WORDPRESS_OK.format(user="terbit", roles="editor"))

    admin = {"roles": ["administrator"], "capabilities": {"publish_posts": True, "upload_files": True,
                                                          "manage_options": True}}
    check = await doctor.check_wordpress(config(tmp_path, **base), wordpress(admin))
    assert (check.status, check.detail) == (Status.WARN, T.WORDPRESS_ADMIN.format(user="terbit"))

    contributor = {"roles": ["contributor"], "capabilities": {"edit_posts": True}}
    check = await doctor.check_wordpress(config(tmp_path, **base), wordpress(contributor))
    assert (check.status, check.detail) == (Status.FAIL, T.WORDPRESS_NO_PUBLISH.format(user="terbit"))
    pending = dict(base, wordpress_status="pending")
    check = await doctor.check_wordpress(config(tmp_path, **pending), wordpress(contributor))
    assert (check.status, check.detail) == (Status.FAIL, T.WORDPRESS_NO_UPLOAD.format(user="terbit"))

    refused = await doctor.check_wordpress(config(tmp_path, **base), wordpress(status=401))
    assert refused.status is Status.FAIL and "401" in refused.detail and "abcd" not in refused.line

    plain = await doctor.check_wordpress(config(tmp_path, **dict(base, wordpress_url="http://wp.kantor.go.id")),
                                         wordpress(EDITOR))
    assert plain.status is Status.WARN and "https" in plain.detail


async def test_wordpress_unreachable_or_not_set(tmp_path):
    def down(request):
        raise httpx.ConnectError("no route")
    base = dict(wordpress_url="https://wp.kantor.go.id", wordpress_user="terbit", wordpress_app_password="x")
    check = await doctor.check_wordpress(config(tmp_path, **base), httpx.MockTransport(down))
    assert check.status is Status.FAIL and "tidak dapat dihubungi" in check.detail
    check = await doctor.check_wordpress(config(tmp_path, wordpress_url="https://wp.kantor.go.id"))
    assert check.detail == T.TARGET_MISSING.format(names="WORDPRESS_USER, WORDPRESS_APP_PASSWORD")


def test_the_webhook_cms_needs_an_address_and_a_secret(tmp_path):
    assert doctor.check_webhook(config(tmp_path, webhook_url="https://cms.kantor.go.id/terbit",
                                       webhook_secret="x" * 32)).status is Status.OK
    assert doctor.check_webhook(config(tmp_path, webhook_url="https://cms.kantor.go.id/terbit")).detail == \
        T.TARGET_MISSING.format(names="WEBHOOK_SECRET")
    assert doctor.check_webhook(config(tmp_path, webhook_url="https://cms.kantor.go.id/terbit",
                                       webhook_secret="pendek")).detail == T.WEBHOOK_SECRET_SHORT
    assert doctor.check_webhook(config(tmp_path, webhook_url="http://cms.kantor.go.id/terbit",
                                       webhook_secret="x" * 32)).status is Status.WARN
    assert doctor.check_webhook(config(tmp_path, webhook_url="http://127.0.0.1:8000/terbit",
                                       webhook_secret="x" * 32)).status is Status.OK


# --- the site, the time zone, the data folder, the database -----------------------------------

async def test_the_site_address_answers():
    seen = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if request.method == "HEAD":
            return httpx.Response(405)
        return httpx.Response(200, text="<html></html>")
    check = await doctor.check_site("https://kantor.go.id/berita", httpx.MockTransport(site))
    assert check.status is Status.OK and seen == ["HEAD", "GET"]
    missing = await doctor.check_site("https://kantor.go.id/berita", httpx.MockTransport(lambda r: httpx.Response(404)))
    assert (missing.status, missing.detail) == (Status.WARN, T.SITE_STATUS.format(url="https://kantor.go.id/berita",
                                                                                    code=404))

    def slow(request):
        raise httpx.ReadTimeout("slow")
    check = await doctor.check_site("https://kantor.go.id/berita", httpx.MockTransport(slow))
    assert check.status is Status.WARN and T.UNREACHABLE_TIMEOUT[0] in check.detail


def test_the_time_zone():
    noon = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert doctor.check_timezone("Asia/Makassar", noon).detail == "Asia/Makassar (sekarang Senin, 2 Maret 2026 pukul 13.00 WITA)"
    assert doctor.check_timezone("Asia/Bandung").status is Status.FAIL


def test_the_data_folder(tmp_path, monkeypatch):
    ok = doctor.check_data_dir(tmp_path / "data")
    assert ok.status is Status.OK and (tmp_path / "data").is_dir() and list((tmp_path / "data").iterdir()) == []
    (tmp_path / "file").write_text("x")
    bad = doctor.check_data_dir(tmp_path / "file" / "data")
    assert bad.status is Status.FAIL and "Not a directory" in bad.detail
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda p: usage(10**12, 10**12, 500 * 1024**2))
    assert doctor.check_data_dir(tmp_path / "data").status is Status.WARN
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda p: usage(10**12, 10**12, 50 * 1024**2))
    low = doctor.check_data_dir(tmp_path / "data")
    assert low.status is Status.FAIL and "50 MB" in low.detail


async def test_the_database_exists_reads_and_is_migrated(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'terbit.sqlite3'}"
    check = await doctor.check_database(url)
    assert check.status is Status.WARN and not (tmp_path / "terbit.sqlite3").exists(), "the doctor creates nothing"

    engine = make_engine(url)
    await upgrade(engine)
    assert (await doctor.check_database(url)).status is Status.OK
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    behind = await doctor.check_database(url)
    assert behind.status is Status.WARN and "terbit migrate" in behind.detail
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    assert (await doctor.check_database(url)).status is Status.FAIL
    await engine.dispose()

    (tmp_path / "terbit.sqlite3").write_bytes(b"garbage, not SQLite " * 100)
    broken = await doctor.check_database(url)
    assert (broken.status, broken.detail) == (Status.FAIL, T.DATABASE_BAD.format(
        where=tmp_path / "terbit.sqlite3", reason="file is not a database"))


def test_a_postgresql_address_is_shown_without_its_password():
    assert doctor.database_where("postgresql+asyncpg://terbit:s3cret@db.kantor:5432/terbit") == \
        "PostgreSQL db.kantor/terbit"


# --- all of it --------------------------------------------------------------------------------

async def test_the_checklist_with_every_target(tmp_path):
    s = settings(tmp_path, publishers="static_site,archive,wordpress,webhook,telegram_channel",
                 wordpress_url="https://wp.kantor.go.id", wordpress_user="terbit", wordpress_app_password="pw-rahasia",
                 webhook_url="https://cms.kantor.go.id/hook", webhook_secret="w" * 40, telegram_channel="@kanal",
                 site_base_url="https://wp.kantor.go.id")

    def web(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users/me"):
            return httpx.Response(200, json=EDITOR)
        return httpx.Response(200)
    probes = Probes(me, rights(ChannelRights("administrator", True, True, True)), httpx.MockTransport(web))
    checks = await doctor.run_checks(s, probes)
    assert [c.name for c in checks] == [T.CHECK_SETTINGS, T.CHECK_TIMEZONE, T.CHECK_DATA_DIR, T.CHECK_DATABASE,
                                        T.CHECK_TOKEN, *(T.CHECK_TARGET.format(name=n) for n in s.publishers),
                                        T.CHECK_SITE, T.CHECK_SPELLING]
    warnings = 1 if spelling.dictionary_path() else 2  # the database, not created yet (and no hunspell-id)
    assert [c.status for c in checks].count(Status.WARN) == warnings
    assert not doctor.failed(checks)
    out = doctor.render(checks)
    assert out.splitlines()[-1] == T.DOCTOR_SUMMARY.format(fail=0, warn=warnings)
    assert all(line[:1] in "✅⚠❌" for line in out.splitlines()[1:-1])
    assert "pw-rahasia" not in out and "w" * 40 not in out

    broken = await doctor.run_checks(settings(tmp_path, publishers="static_site,ftp"),
                                     Probes(raising(InvalidToken("x")), rights(ChannelRights("creator"))))
    assert doctor.failed(broken)
    assert [c.status for c in broken if c.status is Status.FAIL] == [Status.FAIL, Status.FAIL]


def test_one_line_per_check_and_the_count_of_problems():
    out = doctor.render([Check("A", Status.OK, "baik"), Check("B", Status.FAIL, "rusak")])
    assert out.splitlines()[1:] == ["✅ A: baik", "❌ B: rusak", "1 masalah (❌), 0 peringatan (⚠️)."]


def test_settings_without_admin_ids_are_a_warning_not_a_pass(tmp_path):
    from bot.doctor import Status, check_settings
    from config.settings import Settings
    settings = Settings(_env_file=None, telegram_bot_token="123:abc", data_dir=tmp_path)
    check = check_settings(settings)
    assert check.status == Status.WARN and "ADMIN_IDS" in check.detail
    assert check_settings(Settings(_env_file=None, telegram_bot_token="123:abc", data_dir=tmp_path,
                                   admin_ids=[5])).status == Status.OK


def test_without_hunspell_id_the_spelling_check_is_a_warning_that_says_what_still_works(monkeypatch):
    monkeypatch.setattr(spelling, "dictionary_path", lambda: None)
    check = doctor.check_spelling()
    assert check.status is Status.WARN
    assert "apt-get install hunspell-id" in check.detail and "pasangan kata baku" in check.detail


async def test_an_empty_site_address_an_unwritable_data_folder_and_a_plain_http_webhook(tmp_path):
    """SITE_BASE_URL empty is a warning; a DATA_DIR nobody can write is ❌ for the targets in it too
    (never "✅ static_site"); an http:// TELEGRAM_WEBHOOK_URL is refused."""
    (tmp_path / "a-file").write_text("not a folder")
    s = Settings(_env_file=None, telegram_bot_token="123456:TEST", admin_ids=[9001],
                 data_dir=tmp_path / "a-file" / "data", telegram_webhook_url="http://bot.kantor.go.id/hook",
                 telegram_webhook_secret="s" * 32)
    checks = {c.name: c for c in await doctor.run_checks(s, Probes(me, rights(ChannelRights("creator"))))}
    assert checks[T.CHECK_DATA_DIR].status is Status.FAIL
    for target in ("static_site", "archive"):
        line = checks[T.CHECK_TARGET.format(name=target)]
        assert line.status is Status.FAIL and "tidak dapat ditulisi" in line.detail, line
    assert checks[T.CHECK_SITE].status is Status.WARN and checks[T.CHECK_SITE].detail == T.SITE_BASE_URL_EMPTY
    hook = checks[T.CHECK_TELEGRAM_WEBHOOK]
    assert hook.status is Status.FAIL and "https://" in hook.detail
    assert doctor.check_webhook_url("https://bot.kantor.go.id/hook").status is Status.OK
    assert doctor.check_site_address(settings(tmp_path, site_base_url="https://kantor.go.id/berita")) is None
