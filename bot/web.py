"""Webhook mode's own server: Telegram's updates and the review desk (issue 22) on one listener.

python-telegram-bot's ``Application.run_webhook`` builds a tornado application that serves
Telegram's path only.  The desk must be served by the same process on the same host and port
(behind the same nginx: docs/service.md), so this module does what python-telegram-bot documents
for a custom webhook server (its ``examples/customwebhookbot``): our own tornado application, whose
Telegram handler puts each update into ``application.update_queue``, and the Application started
and stopped around it the way ``run_webhook`` does:

    initialize → post_init → listen → setWebhook (secret_token, allowed_updates) → start
    … until SIGINT/SIGTERM/SIGABRT …
    stop listening → stop → post_stop → shutdown → post_shutdown

The update queue is the durable one (bot/inbox.py): ``put`` stores the update before it returns
and raises when it cannot be stored, so Telegram gets its 200 only for a stored update and an
error otherwise (it then sends it again).  A request without the right secret gets 403.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import platform
import re
import signal
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application, ExtBot

from config.settings import Settings
from handlers.context import KEY
from handlers.desk.routes import Desk, routes
from handlers.desk.sessions import DeskSessions

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramHook(tornado.web.RequestHandler):
    """Telegram's POSTs: an update, stored (the durable queue's ``put``) before the 200."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, telegram_app: Application, secret: str | None) -> None:
        self.application_ = telegram_app
        self.secret = secret

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", 'application/json; charset="utf-8"')

    async def post(self) -> None:
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(403)
        if self.secret is not None:
            given = self.request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self.secret.encode("utf-8")):
                raise tornado.web.HTTPError(403, reason="wrong or missing secret token")
        try:
            data = json.loads(self.request.body.decode("utf-8"))
            update = Update.de_json(data, self.application_.bot)
        except Exception as exc:
            log.error("a webhook request that is not an update was refused: %s", exc)
            raise tornado.web.HTTPError(400, reason="not an update") from exc
        if update is None:
            return
        bot = self.application_.bot
        if isinstance(bot, ExtBot):
            bot.insert_callback_data(update)
        try:
            await self.application_.update_queue.put(update)
        except Exception as exc:
            # Not stored (handlers/faults.py told people and the log): Telegram keeps it and sends it again.
            log.debug("update %s not stored: %s", update.update_id, exc)
            raise tornado.web.HTTPError(500, reason="not stored") from None

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Refusals are answered, and said by whoever refused: no traceback in the log for each."""
        log.debug("webhook request refused: %s", value)


def webhook_path(url: str) -> str:
    """The path part of the public webhook URL, which the local server listens on."""
    return urlsplit(url).path.lstrip("/")


def desk(application: Application, settings: Settings) -> Desk:
    """The review desk (its sessions in this process's memory: handlers/desk/sessions.py)."""
    def now() -> datetime:
        found: datetime = application.bot_data[KEY].now()
        return found

    return Desk(application, DeskSessions(timedelta(minutes=settings.miniapp_session_minutes), now),
                bot_token=settings.telegram_bot_token.get_secret_value(),
                init_max_age=timedelta(seconds=settings.miniapp_init_max_age_seconds),
                enabled=settings.desk_enabled)


def serve(application: Application, settings: Settings, allowed_updates: list[str]) -> None:
    """`terbit run` in webhook mode: Telegram's path and the review desk (or its off switch) on one listener."""
    web = web_application(application, settings, routes(desk(application, settings)))
    run_webhook(application, settings, web, allowed_updates)


def web_application(application: Application, settings: Settings,
                    extra: Sequence[tornado.web.Rule | tuple[Any, ...]] = ()) -> tornado.web.Application:
    """Telegram's path, then the other routes (the desk's), on one tornado application."""
    secret = settings.telegram_webhook_secret
    path = webhook_path(settings.telegram_webhook_url or "")
    rules: list[Any] = [(rf"/{re.escape(path)}/?", TelegramHook,
                         {"telegram_app": application,
                          "secret": secret.get_secret_value() if secret is not None else None})]
    rules += list(extra)
    return tornado.web.Application(rules)


def run_webhook(application: Application, settings: Settings, web: tornado.web.Application,
                allowed_updates: list[str]) -> None:
    """Run the bot on its webhook until a stop signal, as ``Application.run_webhook`` would."""
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)

    def stop() -> None:
        raise SystemExit

    if platform.system() != "Windows":
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGABRT):
            loop.add_signal_handler(sig, stop)
    server: tornado.httpserver.HTTPServer | None = None
    secret = settings.telegram_webhook_secret

    async def listen() -> tornado.httpserver.HTTPServer:
        found = tornado.httpserver.HTTPServer(web, xheaders=True)
        found.listen(settings.telegram_webhook_port, address=settings.telegram_webhook_listen)
        return found

    try:
        loop.run_until_complete(application.initialize())
        if application.post_init:
            loop.run_until_complete(application.post_init(application))
        server = loop.run_until_complete(listen())
        loop.run_until_complete(application.bot.set_webhook(
            url=settings.telegram_webhook_url or "", allowed_updates=allowed_updates, max_connections=40,
            secret_token=secret.get_secret_value() if secret is not None else None))
        loop.run_until_complete(application.start())
        loop.run_forever()
    except (KeyboardInterrupt, SystemExit):
        log.debug("stop signal: shutting down")
    finally:
        try:
            if server is not None:
                server.stop()
                with contextlib.suppress(Exception):
                    loop.run_until_complete(asyncio.wait_for(server.close_all_connections(), 5))
            if application.running:
                loop.run_until_complete(application.stop())
                if application.post_stop:
                    loop.run_until_complete(application.post_stop(application))
            loop.run_until_complete(application.shutdown())
            if application.post_shutdown:
                loop.run_until_complete(application.post_shutdown(application))
        finally:
            loop.close()
