"""What the static site's pages say: office identity, link previews, feed, sitemap, pages,
sections, times in the office's zone and attachment labels."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

from publishers import render
from publishers.archive import ArchivePublisher
from publishers.base import PriorPublication
from publishers.registry import PublisherConfig, make_publishers
from publishers.static_site import StaticSitePublisher

BASE = "https://kota-contoh.go.id/berita"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# ISO 8601 with seconds and an offset, no fraction: what a datetime attribute must hold.
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def _read(path: Path, parse):
    return parse(path.read_text("utf-8"))


def _article_links(p) -> list[str]:
    return [a["href"] for a in p.find("a") if "artikel/" in (a.get("href") or "") and "tabindex" not in a]


async def _publish_many(pub, factory, n: int, *, sections=("Sekretariat",)):
    base = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    results = []
    for i in range(1, n + 1):
        article = factory.article(i, slug=f"{i}-kabar", title=f"Kabar ke-{i}", section=sections[(i - 1) % len(sections)],
                                  approved_at=base + timedelta(days=i))
        results.append((article, await pub.publish(article, None)))
    return results


async def test_office_identity_once_with_link_to_main_site(tmp_path, factory, parse):
    logo = tmp_path / "logo-pemda.png"
    logo.write_bytes(factory.photo().thumb.read_bytes())
    root = tmp_path / "site"
    pub = StaticSitePublisher(root, site_title="Kabar Kominfo", office_name="Dinas Kominfo Kota Contoh",
                              office_logo=str(logo), office_url="https://kota-contoh.go.id")
    result = await pub.publish(factory.article(), None)

    for path, prefix in ((root / "index.html", ""), (Path(result.remote["path"]), "../../")):
        p = _read(path, parse)
        body = p.text.split("Kabar Kominfo", 1)[1]  # after <title>
        assert body.count("Kabar Kominfo") == 1, path  # the site's name once, in the header
        assert "Dinas Kominfo Kota Contoh" in p.text
        main_links = [a for a in p.find("a") if a.get("href") == "https://kota-contoh.go.id"]
        assert len(main_links) == 2  # header and footer
        assert p.find("img", src=f"{prefix}logo.png")
    assert (root / "logo.png").read_bytes() == logo.read_bytes()
    # A logo given as a URL is linked as it is.
    url_pub = StaticSitePublisher(tmp_path / "lain", office_logo="https://cdn.kota-contoh.go.id/logo.svg")
    await url_pub.publish(factory.article(), None)
    assert _read(tmp_path / "lain" / "index.html", parse).find("img", src="https://cdn.kota-contoh.go.id/logo.svg")


async def test_link_preview_tags_use_the_lead_photo(tmp_path, factory, parse):
    root = tmp_path / "site"
    lead, other = factory.photo("Kepala dinas membuka rapat"), factory.photo("Peserta", color=(0, 0, 200))
    result = await StaticSitePublisher(root, base_url=BASE).publish(factory.article(assets=(lead, other)), None)
    p = _read(Path(result.remote["path"]), parse)

    def meta(attr: str, key: str) -> str:
        return p.find("meta", **{attr: key})[0]["content"]

    image = f"{BASE}/media/{lead.sha256}.jpg"
    assert meta("property", "og:image") == image and meta("name", "twitter:image") == image
    assert (meta("property", "og:image:width"), meta("property", "og:image:height")) == ("40", "30")
    assert meta("property", "og:image:alt") == "Kepala dinas membuka rapat"
    assert meta("property", "og:url") == f"{BASE}/artikel/7-rapat-koordinasi/"
    assert meta("property", "og:type") == "article"
    assert meta("name", "twitter:card") == "summary_large_image"
    assert meta("name", "twitter:title") == "Rapat Koordinasi Pelayanan Publik"
    assert meta("name", "twitter:description") == "Paragraf pertama. Baris kedua."
    assert ISO.fullmatch(meta("property", "article:published_time"))
    assert p.find("link", rel="alternate", type="application/atom+xml")[0]["href"] == f"{BASE}/feed.xml"
    idx = _read(root / "index.html", parse)
    assert idx.find("meta", property="og:image")[0]["content"] == image
    assert idx.find("meta", property="og:url")[0]["content"] == f"{BASE}/"


async def test_feed_and_sitemap_are_xml_with_absolute_urls(tmp_path, factory):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root, base_url=BASE + "/", office_name="Dinas <Kominfo> & Statistik",
                              timezone="Asia/Makassar", page_size=2)
    await _publish_many(pub, factory, 3, sections=("Sekretariat", "Bidang Statistik"))

    feed = ET.parse(root / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}subtitle").text == "Dinas <Kominfo> & Statistik"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Kabar ke-3", "Kabar ke-2", "Kabar ke-1"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"{BASE}/artikel/3-kabar/"
    assert first.find(f"{ATOM}id").text == f"{BASE}/artikel/3-kabar/"
    assert first.find(f"{ATOM}published").text == "2026-11-04T10:00:00+08:00"
    assert ISO.fullmatch(feed.find(f"{ATOM}updated").text)
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Siti Aminah"

    sitemap = ET.parse(root / "sitemap.xml").getroot()
    locs = [u.find(f"{SITEMAP}loc").text for u in sitemap.findall(f"{SITEMAP}url")]
    assert locs[:2] == [f"{BASE}/", f"{BASE}/halaman/2/"]
    assert f"{BASE}/bagian/bidang-statistik/" in locs and f"{BASE}/bagian/sekretariat/" in locs
    assert {f"{BASE}/artikel/{i}-kabar/" for i in (1, 2, 3)} <= set(locs)
    assert all(ISO.fullmatch(u.find(f"{SITEMAP}lastmod").text)
               for u in sitemap.findall(f"{SITEMAP}url") if u.find(f"{SITEMAP}lastmod") is not None)

    # Without SITE_BASE_URL there are no absolute URLs to give: neither file exists.
    plain = StaticSitePublisher(root)
    await plain.rebuild_index()
    assert not (root / "feed.xml").exists() and not (root / "sitemap.xml").exists()


async def test_index_is_paginated_and_shrinks_after_withdrawal(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root, page_size=2)
    published = await _publish_many(pub, factory, 5)

    assert _article_links(_read(root / "index.html", parse)) == [
        "artikel/5-kabar/index.html", "artikel/4-kabar/index.html"]
    page2 = _read(root / "halaman" / "2" / "index.html", parse)
    assert _article_links(page2) == ["../../artikel/3-kabar/index.html", "../../artikel/2-kabar/index.html"]
    assert page2.find("a", rel="prev")[0]["href"] == "../../index.html"
    assert page2.find("a", rel="next")[0]["href"] == "../../halaman/3/index.html"
    assert page2.find("link", rel="stylesheet")[0]["href"] == "../../style.css"
    assert "Artikel terbaru (halaman 2)" in page2.text
    assert _article_links(_read(root / "halaman" / "3" / "index.html", parse)) == ["../../artikel/1-kabar/index.html"]

    for article, result in published[:2]:
        await pub.withdraw(article, PriorPublication(result.remote_id, result.url, result.remote))
    assert not (root / "halaman" / "3").exists()
    assert _article_links(_read(root / "halaman" / "2" / "index.html", parse)) == ["../../artikel/3-kabar/index.html"]


async def test_a_page_per_section(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root, base_url=BASE)
    published = await _publish_many(pub, factory, 3, sections=("Sekretariat", "Bidang Informasi & Komunikasi"))

    section = _read(root / "bagian" / "bidang-informasi-komunikasi" / "index.html", parse)
    assert _article_links(section) == ["../../artikel/2-kabar/"]
    assert section.find("h1") and "Bidang Informasi & Komunikasi" in section.text
    assert section.find("a", **{"aria-current": "page"})[0]["href"] == "../../bagian/bidang-informasi-komunikasi/"
    assert _article_links(_read(root / "bagian" / "sekretariat" / "index.html", parse)) == [
        "../../artikel/3-kabar/", "../../artikel/1-kabar/"]
    home = _read(root / "index.html", parse)
    assert home.find("a", href="bagian/sekretariat/")  # the section nav and each entry link the section

    page = _read(Path(published[1][1].remote["path"]), parse)
    assert page.find("a", href="../../bagian/bidang-informasi-komunikasi/")  # "Artikel lain di ..."
    assert page.find("a", href="../../")  # "« Semua artikel"

    article, result = published[1]
    await pub.withdraw(article, PriorPublication(result.remote_id, result.url, result.remote))
    assert not (root / "bagian" / "bidang-informasi-komunikasi").exists()
    assert (root / "bagian" / "sekretariat" / "index.html").exists()


async def test_sections_spelled_two_ways_share_one_page(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    await _publish_many(pub, factory, 2, sections=("Humas", "HUMAS"))
    assert [d.name for d in (root / "bagian").iterdir()] == ["humas"]
    assert len(_article_links(_read(root / "bagian" / "humas" / "index.html", parse))) == 2


async def test_datetimes_are_valid_and_in_the_office_zone(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root, timezone="Asia/Makassar")
    approved = datetime(2026, 12, 1, 1, 15, 42, 123456, tzinfo=UTC)
    result = await pub.publish(factory.article(approved_at=approved), None)
    page = _read(Path(result.remote["path"]), parse)
    stamps = [t["datetime"] for t in page.find("time")]
    assert stamps == ["2026-12-01T09:15:42+08:00"]
    assert "Selasa, 1 Desember 2026 pukul 09.15 WITA" in page.text
    assert "Diperbarui" not in page.text  # microseconds dropped from the stored time change nothing
    index = _read(root / "index.html", parse)
    assert [t["datetime"] for t in index.find("time")] == ["2026-12-01T09:15:42+08:00"]

    # An update a day later: both times, each valid, in the same zone.
    second = await pub.publish(factory.article(revision_number=2, approved_at=approved + timedelta(days=1)),
                               PriorPublication(result.remote_id, result.url, result.remote))
    page = _read(Path(second.remote["path"]), parse)
    assert [t["datetime"] for t in page.find("time")] == ["2026-12-01T09:15:42+08:00", "2026-12-02T09:15:42+08:00"]
    assert "Diperbarui 2 Desember 2026 pukul 09.15 WITA" in page.text


def test_one_date_format_for_every_zone():
    dt = datetime(2026, 12, 1, 0, 15, tzinfo=UTC)
    assert render.format_date_id(dt, time=True, weekday=True, tz="Asia/Makassar") == (
        "Selasa, 1 Desember 2026 pukul 08.15 WITA")
    assert render.format_date_id(dt, time=True, weekday=True, tz="Asia/Jayapura") == (
        "Selasa, 1 Desember 2026 pukul 09.15 WIT")
    assert render.format_date_id(dt, time=True, tz="Asia/Jakarta") == "1 Desember 2026 pukul 07.15 WIB"
    assert render.format_date_id(dt, time=True, tz="Asia/Pontianak") == "1 Desember 2026 pukul 07.15 WIB"
    # Late in the evening UTC is already the next day in Jayapura.
    assert render.format_date_id(datetime(2026, 12, 31, 16, 0, tzinfo=UTC), tz="Asia/Jayapura") == "1 Januari 2027"
    assert render.iso(datetime(2026, 12, 1, 0, 15, 1, 999999), "Asia/Jayapura") == "2026-12-01T09:15:01+09:00"


async def test_attachments_are_labelled_for_readers(tmp_path, factory, parse):
    root = tmp_path / "site"
    voice = factory.audio(filename="berkas.ogg")
    second_voice = factory.audio(kind="audio", filename="AUD-20261201-WA0003.opus")
    doc = factory.pdf(filename="scan_0001.pdf", pad_to=120 * 1024)
    named_doc = factory.pdf(filename="lampiran.pdf", caption="Surat edaran Sekda", pad_to=2048)
    result = await StaticSitePublisher(root).publish(
        factory.article(assets=(voice, second_voice, doc, named_doc)), None)
    p = _read(Path(result.remote["path"]), parse)
    text = " ".join(p.text.split())
    assert "Rekaman suara 1 (OGG, 1:23, 1 KB)" in text and "Rekaman suara 2 (OGG, 1:23, 1 KB)" in text
    assert len([a for a in p.find("a") if a.get("type") == "application/pdf"]) == 2
    assert "Dokumen 1 (PDF, 3 halaman, 120 KB)" in text
    assert "Surat edaran Sekda (PDF, 3 halaman, 2 KB)" in text
    for stored in ("berkas.ogg", "AUD-20261201", "scan_0001", "lampiran.pdf"):
        assert stored not in p.text, stored


async def test_office_templates_replace_the_shipped_ones(tmp_path, factory, parse):
    theme = tmp_path / "tema-pemda"
    theme.mkdir()
    (theme / "style.css").write_text("body{background:#fdf6e3}\n", "utf-8")
    (theme / "article.html").write_text(
        '{% extends "base.html" %}{% block content %}<div class="pemda">{{ fragment }}</div>'
        "<p>{{ page.og_title }}</p>{% endblock %}", "utf-8")
    root = tmp_path / "site"
    pub = StaticSitePublisher(root, templates_dir=theme)
    result = await pub.publish(factory.article(title='Judul <b>"tebal"</b>'), None)
    html = Path(result.remote["path"]).read_text("utf-8")
    assert (root / "style.css").read_text("utf-8") == "body{background:#fdf6e3}\n"
    assert '<div class="pemda"><article class="artikel">' in html
    assert '<p>Judul &lt;b&gt;&#34;tebal&#34;&lt;/b&gt;</p>' in html  # autoescaped in the office's template too
    assert _read(root / "index.html", parse).find("ul", **{"class": "daftar"})  # index still the shipped one


async def test_time_zone_reaches_site_and_archive_from_the_config(tmp_path, factory):
    config = PublisherConfig(site_dir=tmp_path / "site", archive_dir=tmp_path / "arsip", timezone="Asia/Jayapura",
                             office_name="Dinas Kominfo", site_page_size=7)
    pubs = make_publishers(config)
    assert pubs["static_site"].tz.key == "Asia/Jayapura" and pubs["static_site"].page_size == 7
    assert pubs["archive"].tz.key == "Asia/Jayapura"


async def test_archive_times_all_in_the_office_zone(tmp_path, factory):
    clock = datetime(2026, 12, 1, 0, 15, 30, 5, tzinfo=UTC)
    record = {"revisions": [{"number": 1, "created_at": "2026-11-30T23:00:00.123456",
                             "frozen_at": "2026-11-30T23:30:00+00:00"}],
              "audit": [{"at": "2026-12-01T00:10:00.5+00:00", "action": "approve", "note": "at 10"}]}
    pub = ArchivePublisher(tmp_path / "arsip", clock=lambda: clock, timezone="Asia/Makassar")
    result = await pub.publish(factory.article(record=record), None)
    meta = json.loads((Path(result.remote["path"]) / "metadata.json").read_text("utf-8"))
    assert meta["archived_at"] == "2026-12-01T08:15:30+08:00"
    assert meta["article"]["approved_at"] == "2026-11-24T11:05:00+08:00"
    assert meta["record"]["revisions"][0]["created_at"] == "2026-12-01T07:00:00+08:00"
    assert meta["record"]["revisions"][0]["frozen_at"] == "2026-12-01T07:30:00+08:00"
    assert meta["record"]["audit"][0] == {"at": "2026-12-01T08:10:00+08:00", "action": "approve", "note": "at 10"}
    html = (Path(result.remote["path"]) / "artikel.html").read_text("utf-8")
    assert "Selasa, 24 November 2026 pukul 11.05 WITA" in html and "WIB" not in html
