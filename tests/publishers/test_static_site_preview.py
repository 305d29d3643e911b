"""The review desk's preview (issue 22): the article page exactly as the static site publishes it —
the same templates, the office's overrides included — with its files served from elsewhere, and
nothing written."""
from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from publishers import render
from publishers.base import Asset
from publishers.static_site import StaticSitePublisher

DESK = "/meja/v/KUNCI/berkas"


def desk_url(asset: Asset, variant: str) -> str:
    return f"{DESK}/{asset.id}/{variant}"


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and mtime: what "writes nothing" compares."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def _as_on_the_desk(published: str, article) -> str:
    """The published page with every file link turned into the desk's URL for that file."""
    for asset in article.assets:
        for variant, (_src, rel) in StaticSitePublisher._media_plan(asset).items():
            published = published.replace(f'"../../{render.url_path(*rel.split("/"))}"', f'"{desk_url(asset, variant)}"')
    return published


def _office(tmp_path: Path) -> tuple[Path, Path]:
    """An office's template overrides and a logo file."""
    theme = tmp_path / "tema-pemda"
    theme.mkdir(exist_ok=True)
    (theme / "style.css").write_text("body{background:#fdf6e3}\n.pemda{border-top:4px solid #a00}\n", "utf-8")
    (theme / "article.html").write_text(
        '{% extends "base.html" %}{% block content %}<div class="pemda">{{ fragment }}</div>'
        '<p class="catatan-kantor">Diterbitkan oleh {{ site.office_name }}</p>{% endblock %}', "utf-8")
    logo = tmp_path / "logo-pemda.png"
    Image.new("RGB", (320, 80), (180, 20, 20)).save(logo)
    return theme, logo


def _publisher(tmp_path: Path, root: Path) -> StaticSitePublisher:
    theme, logo = _office(tmp_path)
    return StaticSitePublisher(root, base_url="https://kota-contoh.go.id/berita", timezone="Asia/Makassar",
                               office_name="Dinas Kominfo Kota Contoh", office_logo=str(logo), templates_dir=theme)


def _article(factory, **kw):
    photos = (factory.photo("Suasana rapat di aula", size=(1600, 1200)),
              factory.photo("Peserta mengisi daftar hadir", color=(20, 110, 60), size=(900, 1600)),
              factory.photo("", color=(40, 40, 160), size=(2400, 800)))  # one without a caption
    files = (factory.pdf("Notulen Rapat.pdf", caption="Notulen rapat koordinasi"),
             factory.audio(kind="voice", filename="rekaman.ogg"),
             factory.audio(kind="audio", filename="sambutan.ogg", with_web=True))
    return factory.article(assets=photos + files, **kw)


async def test_preview_is_the_published_page_with_its_files_at_the_desk(tmp_path, factory, parse):
    article = _article(factory, body="Rapat dibuka Sekda.\n\nPeserta dari seluruh bidang hadir.",
                       record={"revisions": []})
    article = dataclasses.replace(article, kip_class="berkala", kip_label="Berkala")
    preview = await _publisher(tmp_path, tmp_path / "pratinjau").preview(article, desk_url)
    assert not (tmp_path / "pratinjau").exists()  # nothing written, not even the folder

    result = await _publisher(tmp_path, tmp_path / "situs").publish(article, None)
    published = Path(result.remote["path"]).read_text("utf-8")
    assert "../../media/" in published
    assert preview == _as_on_the_desk(published, article)
    # Only the link-preview tags name the site's files (absolute, as the published page does).
    assert "../../media/" not in preview
    assert preview.count("media/") == preview.count("https://kota-contoh.go.id/berita/media/") == 2
    # What the reviewer checks, in the order the site shows it.
    p = parse(preview)
    assert p.find("div", **{"class": "pemda"}) and "Diterbitkan oleh Dinas Kominfo Kota Contoh" in p.text
    assert [a["src"] for a in p.find("img") if a.get("src", "").startswith(DESK)] == [
        desk_url(article.assets[0], "web"), desk_url(article.assets[1], "thumb"), desk_url(article.assets[2], "thumb")]
    assert [" ".join(c.split()) for c in p.text.split("\n") if "Suasana" in c or "daftar hadir" in c] == [
        "Suasana rapat di aula", "Peserta mengisi daftar hadir"]
    assert p.find("img", src="../../logo.png") and p.find("link", rel="stylesheet", href="../../style.css")
    assert "Kelas informasi: Berkala" in p.text and "Oleh Siti Aminah" in p.text
    assert p.find("a", href=desk_url(article.assets[3], "download"), type="application/pdf")
    assert "Notulen rapat koordinasi (PDF, 3 halaman" in " ".join(p.text.split())
    assert [s["src"] for s in p.find("source")] == [desk_url(article.assets[4], "play"),
                                                     desk_url(article.assets[5], "play")]
    # The image sizes the reader's browser reserves are the renditions' own.
    assert p.find("img", src=desk_url(article.assets[0], "web"))[0]["width"] == "800"


async def test_preview_of_an_update_keeps_the_live_slug_and_first_date(tmp_path, factory):
    root = tmp_path / "situs"
    pub = _publisher(tmp_path, root)
    first = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    live = _article(factory, approved_at=first, slug="7-rapat-koordinasi")
    await pub.publish(live, None)
    update = factory.article(title="Rapat Koordinasi (diperbarui)", approved_at=first + timedelta(days=3),
                             slug="7-judul-baru", revision_number=2, assets=live.assets[:2])
    before = _tree(root)
    preview = await pub.preview(update, desk_url)
    assert _tree(root) == before  # the live site is untouched

    result = await pub.publish(update, None)
    assert result.remote["slug"] == "7-rapat-koordinasi"
    published = Path(result.remote["path"]).read_text("utf-8")
    assert preview == _as_on_the_desk(published, update)
    assert "Diperbarui" in preview and "https://kota-contoh.go.id/berita/artikel/7-rapat-koordinasi/" in preview


async def test_preview_without_the_office_overrides_uses_the_shipped_templates(tmp_path, factory):
    article = _article(factory)
    preview = await StaticSitePublisher(tmp_path / "a").preview(article, desk_url)
    published = (await StaticSitePublisher(tmp_path / "b").publish(article, None)).remote["path"]
    assert preview == _as_on_the_desk(Path(published).read_text("utf-8"), article)
    assert 'class="pemda"' not in preview


async def test_the_desk_serves_the_sites_stylesheet_and_logo(tmp_path):
    theme, logo = _office(tmp_path)
    pub = StaticSitePublisher(tmp_path / "situs", office_logo=str(logo), templates_dir=theme)
    assert pub.stylesheet().startswith("body{background:#fdf6e3}")
    assert pub.logo() == ("logo.png", logo)
    os.chmod(logo, 0)
    try:
        if not os.access(logo, os.R_OK):  # (root reads anything)
            assert pub.logo() is None
    finally:
        os.chmod(logo, 0o644)
    assert StaticSitePublisher(tmp_path / "x", office_logo="https://kota-contoh.go.id/logo.png").logo() is None
    assert "max-width" in StaticSitePublisher(tmp_path / "y").stylesheet()
