"""`terbit run` (same as `python -m bot`): start the bot (long polling, or a webhook when
TELEGRAM_WEBHOOK_URL is set); `terbit migrate`."""
from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError


def _settings():
    from bot.settings import Settings

    try:
        # The token comes from the environment or .env, which mypy cannot see.
        return Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        missing = [".".join(map(str, e["loc"])).upper() for e in exc.errors()]
        sys.stderr.write(
            "Konfigurasi belum lengkap / configuration incomplete: "
            + ", ".join(missing)
            + "\nSalin .env.example menjadi .env lalu isi TELEGRAM_BOT_TOKEN (dari @BotFather).\n"
        )
        raise SystemExit(2) from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="terbit", description="Terbit: SOP konten website lewat Telegram")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="jalankan bot (long polling, atau webhook bila TELEGRAM_WEBHOOK_URL diisi)")
    sub.add_parser("migrate", help="perbarui skema basis data lalu keluar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and those URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = _settings()
    if args.command == "migrate":
        import asyncio

        from storage.db import make_engine, upgrade

        async def _migrate():
            engine = make_engine(settings.db_url)
            await upgrade(engine)
            await engine.dispose()

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(_migrate())
        return
    from bot.app import build_application
    from bot.instance import AlreadyRunning

    app = build_application(settings)
    try:
        if settings.telegram_webhook_url:
            # Telegram calls us; the update is stored before the 200 goes back
            # (bot/inbox.py), and a request without the secret gets 403.
            app.run_webhook(
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
                url_path=webhook_path(settings.telegram_webhook_url),
                webhook_url=settings.telegram_webhook_url,
                secret_token=settings.telegram_webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except AlreadyRunning as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(3) from None


ALLOWED_UPDATES = ["message", "callback_query"]


def webhook_path(url: str) -> str:
    """The path part of the public webhook URL, which the local server listens on."""
    from urllib.parse import urlsplit

    return urlsplit(url).path.lstrip("/")


if __name__ == "__main__":
    main()
