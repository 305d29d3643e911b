"""`terbit run` (same as `python -m bot`): start the bot with long polling."""
from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError


def _settings():
    from bot.settings import Settings

    try:
        return Settings()
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
    sub.add_parser("run", help="jalankan bot (long polling)")
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

    app = build_application(settings)
    app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
