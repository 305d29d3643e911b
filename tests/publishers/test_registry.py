"""Building the publishers from plain configuration values."""
from __future__ import annotations

import pytest

from publishers.archive import ArchivePublisher
from publishers.registry import PublisherConfig, PublisherConfigError, make_publishers
from publishers.static_site import StaticSitePublisher


def test_default_targets(tmp_path):
    pubs = make_publishers(PublisherConfig(site_dir=tmp_path / "site", archive_dir=tmp_path / "archive"))
    assert list(pubs) == ["static_site", "archive"]
    assert isinstance(pubs["static_site"], StaticSitePublisher)
    assert isinstance(pubs["archive"], ArchivePublisher)


def test_missing_values_are_named_as_settings(tmp_path):
    config = PublisherConfig(site_dir=tmp_path, archive_dir=tmp_path, targets=("wordpress",),
                             wordpress_url="https://wp.example")
    with pytest.raises(PublisherConfigError, match="WORDPRESS_USER, WORDPRESS_APP_PASSWORD is not set"):
        make_publishers(config)
    with pytest.raises(PublisherConfigError, match="unknown target 'ftp'"):
        make_publishers(PublisherConfig(site_dir=tmp_path, archive_dir=tmp_path, targets=("ftp",)))
    with pytest.raises(PublisherConfigError, match="needs the bot"):
        make_publishers(PublisherConfig(site_dir=tmp_path, archive_dir=tmp_path, targets=("telegram_channel",),
                                        telegram_channel="@kanal"))


def test_secrets_are_not_shown(tmp_path):
    config = PublisherConfig(site_dir=tmp_path, archive_dir=tmp_path, webhook_secret="rahasia-webhook",
                             wordpress_app_password="rahasia-wp")
    assert "rahasia" not in repr(config)


def test_the_bots_settings_give_the_publishers_their_config_and_nothing_else(tmp_path):
    from config.settings import Settings
    settings = Settings(_env_file=None, telegram_bot_token="1:x", data_dir=tmp_path, publishers="static_site,webhook",
                        webhook_url="https://cms.example/hook", webhook_secret="s3")
    pubs = make_publishers(settings.publisher_config())
    assert list(pubs) == ["static_site", "webhook"]
    assert pubs["webhook"]._secret == b"s3"
