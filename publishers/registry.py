"""Which publishers run, chosen in settings (PUBLISHERS=static_site,archive,...)."""
from __future__ import annotations

from collections.abc import Callable

from telegram import Bot

from bot.settings import Settings
from publishers.archive import ArchivePublisher
from publishers.base import Article, Publisher
from publishers.static_site import StaticSitePublisher
from publishers.telegram_channel import TelegramChannelPublisher
from publishers.webhook import WebhookPublisher
from publishers.wordpress import WordPressPublisher


class PublisherConfigError(ValueError):
    """A target named in PUBLISHERS cannot be built from the settings."""


def _need(settings: Settings, target: str, *fields: str) -> None:
    missing = [f.upper() for f in fields if not getattr(settings, f)]
    if missing:
        raise PublisherConfigError(f"PUBLISHERS has {target}, but {', '.join(missing)} is not set")


def _secret(value) -> str:
    return value.get_secret_value() if value is not None else ""


def build_publishers(settings: Settings, bot: Bot | None = None) -> dict[str, Publisher]:
    site = StaticSitePublisher(settings.site_dir, base_url=settings.site_base_url, site_title=settings.site_title)

    def site_url(article: Article) -> str | None:
        return site.url_for(article.slug) if settings.site_base_url else None

    def wordpress() -> Publisher:
        _need(settings, "wordpress", "wordpress_url", "wordpress_user", "wordpress_app_password")
        return WordPressPublisher(
            settings.wordpress_url, settings.wordpress_user, _secret(settings.wordpress_app_password),
            status=settings.wordpress_status, create_categories=settings.wordpress_create_categories,
            withdraw_mode=settings.wordpress_withdraw,
        )

    def webhook() -> Publisher:
        _need(settings, "webhook", "webhook_url", "webhook_secret")
        return WebhookPublisher(settings.webhook_url, _secret(settings.webhook_secret))

    def channel() -> Publisher:
        _need(settings, "telegram_channel", "telegram_channel")
        if bot is None:
            raise PublisherConfigError("telegram_channel needs the bot")
        target = settings.telegram_channel
        return TelegramChannelPublisher(bot, int(target) if target.lstrip("-").isdigit() else target,
                                        site_url_for=site_url)

    factories: dict[str, Callable[[], Publisher]] = {
        "static_site": lambda: site,
        "archive": lambda: ArchivePublisher(settings.archive_dir),
        "wordpress": wordpress,
        "webhook": webhook,
        "telegram_channel": channel,
    }
    out: dict[str, Publisher] = {}
    for name in settings.publishers:
        if name not in factories:
            raise PublisherConfigError(f"PUBLISHERS: unknown target {name!r}; known: {', '.join(factories)}")
        out[name] = factories[name]()
    return out
