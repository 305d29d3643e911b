"""Which publishers run, chosen in settings (PUBLISHERS=static_site,archive,...)."""
from __future__ import annotations

from bot.settings import Settings
from publishers.archive import ArchivePublisher
from publishers.base import Publisher
from publishers.static_site import StaticSitePublisher


class UnknownPublisher(ValueError):
    pass


def build_publishers(settings: Settings) -> dict[str, Publisher]:
    factories = {
        "static_site": lambda: StaticSitePublisher(settings.site_dir, base_url=settings.site_base_url,
                                                   site_title=settings.site_title),
        "archive": lambda: ArchivePublisher(settings.archive_dir),
    }
    out: dict[str, Publisher] = {}
    for name in settings.publishers:
        if name not in factories:
            raise UnknownPublisher(f"PUBLISHERS: unknown target {name!r}; known: {', '.join(factories)}")
        out[name] = factories[name]()
    return out
