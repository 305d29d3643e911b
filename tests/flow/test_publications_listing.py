"""/terbitan speaks Indonesian and shows addresses a phone can open, never a path on the server."""
from __future__ import annotations

from services.website.outbox import without_paths
from tests.flow.harness import Office, make_settings, running, staffed_office
from tests.flow.test_after_publication import publish_one

ENGLISH = ("published", "queued", "running", "failed", "retry", "withdraw", "publish")


async def test_the_listing_links_the_public_site_and_keeps_the_archive_in_words(fake_telegram, tmp_path):
    settings = make_settings(fake_telegram, tmp_path / "data", site_base_url="https://kantor.go.id/berita")
    o = Office(fake_telegram, settings)
    async with running(o):
        await staffed_office(o)
        sid = await publish_one(o)
        listing = await o.say(o.admin, "/terbitan")
        assert f"#{sid}" in listing.text
        assert "https://kantor.go.id/berita/artikel/" in listing.text
        assert "tersimpan di arsip elektronik kantor" in listing.text
        for word in ("file://", str(settings.data_dir), *ENGLISH):
            assert word not in listing.text, word
        # The Kasubbag reads the same list, without the archive's folder (that is for the admins).
        theirs = await o.say(o.kasubbag, "/terbitan")
        assert "https://kantor.go.id/berita/artikel/" in theirs.text and "<code>" not in theirs.text
        assert "tersimpan di arsip elektronik kantor" in theirs.text


async def test_without_a_site_address_the_listing_says_so_in_words(office):
    sid = await publish_one(office)
    listing = await office.say(office.admin, "/terbitan")
    assert f"#{sid}" in listing.text and "alamat publik belum diatur (SITE_BASE_URL)" in listing.text
    for word in ("file://", str(office.settings.data_dir), *ENGLISH):
        assert word not in listing.text, word


def test_an_error_never_shows_a_server_path():
    assert without_paths("Situs: berkas tidak ditemukan (/var/lib/terbit/site/index.html).") == \
        "Situs: berkas tidak ditemukan (…)."
    assert without_paths("lihat file:///srv/terbit/arsip/2026") == "lihat …"
    assert without_paths("CMS menjawab 500 di https://cms.kantor.go.id/terbit/webhook") == \
        "CMS menjawab 500 di https://cms.kantor.go.id/terbit/webhook"
