"""Which publishers run, and how each is built (PUBLISHERS=static_site,archive,...).

The bot turns its settings into a :class:`PublisherConfig`; this module
knows nothing of where the values come from.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from telegram import Bot

from publishers.archive import ArchivePublisher
from publishers.base import Article, Publisher
from publishers.static_site import StaticSitePublisher
from publishers.telegram_channel import TelegramChannelPublisher
from publishers.webhook import WebhookPublisher
from publishers.wordpress import Status, WithdrawMedia, WordPressPublisher


class PublisherConfigError(ValueError):
    """A target named in PUBLISHERS cannot be built from the settings."""


@dataclass(frozen=True)
class PublisherConfig:
    """Everything the publishers need, as plain values.

    Field names are the settings' names (an error names the missing one as
    its environment variable, ``WORDPRESS_URL``).  Secrets are plain strings,
    ``""`` when unset, and never shown by ``repr``.
    """

    site_dir: Path
    archive_dir: Path
    #: The targets to run, in order (``PUBLISHERS``).
    targets: tuple[str, ...] = ("static_site", "archive")
    site_base_url: str | None = None
    site_title: str = "Berita dan Informasi"
    #: The office's IANA zone (TIMEZONE): every time the publishers show or record is in it.
    timezone: str = "Asia/Jakarta"
    #: Who the static site belongs to: name, logo (file path or URL), main website.
    office_name: str = ""
    office_logo: str | None = None
    office_url: str | None = None
    #: A folder whose templates override the static site's shipped ones.
    static_templates_dir: Path | None = None
    site_page_size: int = 20
    wordpress_url: str | None = None
    wordpress_user: str | None = None
    wordpress_app_password: str = field(default="", repr=False)
    wordpress_status: str = "publish"  # publish | pending | draft | private
    wordpress_create_categories: bool = False
    wordpress_withdraw: str = "draft"  # draft | trash
    wordpress_withdraw_media: str = "delete"  # delete | private
    webhook_url: str | None = None
    webhook_secret: str = field(default="", repr=False)
    #: ``@username`` or a numeric chat id.
    telegram_channel: str | None = None


def _required(config: PublisherConfig, target: str, *fields: str) -> list[str]:
    """The values of ``fields``, all set, or the error that names the unset ones."""
    values = [getattr(config, f) for f in fields]
    missing = [f.upper() for f, v in zip(fields, values, strict=True) if not v]
    if missing:
        raise PublisherConfigError(f"PUBLISHERS has {target}, but {', '.join(missing)} is not set")
    return [str(v) for v in values]


def make_publishers(config: PublisherConfig, bot: Bot | None = None) -> dict[str, Publisher]:
    """The publishers named in ``config.targets``, by name.

    ``bot`` is needed only for ``telegram_channel`` (it posts as the bot).
    Raises :class:`PublisherConfigError` for an unknown target or a missing value.
    """
    site = StaticSitePublisher(
        config.site_dir, base_url=config.site_base_url, site_title=config.site_title,
        timezone=config.timezone, office_name=config.office_name, office_logo=config.office_logo,
        office_url=config.office_url, templates_dir=config.static_templates_dir,
        page_size=config.site_page_size,
    )

    def site_url(article: Article) -> str | None:
        return site.url_for(article.slug) if config.site_base_url else None

    def wordpress() -> Publisher:
        url, user, password = _required(config, "wordpress", "wordpress_url", "wordpress_user",
                                        "wordpress_app_password")
        # WordPressPublisher rejects any other value with a ValueError.
        return WordPressPublisher(
            url, user, password,
            status=cast(Status, config.wordpress_status),
            create_categories=config.wordpress_create_categories,
            withdraw_mode=cast(Literal["draft", "trash"], config.wordpress_withdraw),
            withdraw_media=cast(WithdrawMedia, config.wordpress_withdraw_media),
        )

    def webhook() -> Publisher:
        url, secret = _required(config, "webhook", "webhook_url", "webhook_secret")
        return WebhookPublisher(url, secret)

    def channel() -> Publisher:
        (target,) = _required(config, "telegram_channel", "telegram_channel")
        if bot is None:
            raise PublisherConfigError("telegram_channel needs the bot")
        return TelegramChannelPublisher(bot, int(target) if target.lstrip("-").isdigit() else target,
                                        site_url_for=site_url)

    factories: dict[str, Callable[[], Publisher]] = {
        "static_site": lambda: site,
        "archive": lambda: ArchivePublisher(config.archive_dir, timezone=config.timezone),
        "wordpress": wordpress,
        "webhook": webhook,
        "telegram_channel": channel,
    }
    out: dict[str, Publisher] = {}
    for name in config.targets:
        if name not in factories:
            raise PublisherConfigError(f"PUBLISHERS: unknown target {name!r}; known: {', '.join(factories)}")
        out[name] = factories[name]()
    return out
