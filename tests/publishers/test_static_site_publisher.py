from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from publishers import static_site
from publishers.base import PriorPublication, PublishError
from publishers.static_site import StaticSitePublisher


def _index_links(parse, root: Path) -> list[str]:
    p = parse((root / "index.html").read_text("utf-8"))
    return [a["href"] for a in p.find("a") if a.get("href", "").startswith("artikel/") and "tabindex" not in a]


def _manifest(root: Path) -> dict:
    return json.loads((root / "_manifest.json").read_text("utf-8"))


def _tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


async def test_publish_writes_page_index_and_media(tmp_path, factory, parse):
    root = tmp_path / "site"
    photo1, photo2 = factory.photo("Suasana rapat"), factory.photo("Peserta", color=(0, 90, 200))
    doc, voice = factory.pdf(), factory.audio()
    article = factory.article(assets=(photo1, photo2, doc, voice))
    pub = StaticSitePublisher(root)
    assert (pub.name, pub.label, pub.stage) == ("static_site", "Situs web (statis)", 0)

    result = await pub.publish(article, None)

    page = root / "artikel" / "7-rapat-koordinasi" / "index.html"
    assert result.remote_id == "7-rapat-koordinasi"
    assert result.url == page.resolve().as_uri()
    assert result.remote["path"] == str(page)
    assert (root / "index.html").is_file() and (root / "style.css").is_file()

    html = page.read_text("utf-8")
    p = parse(html)
    assert '<html lang="id">' in html and '<meta charset="utf-8">' in html
    assert p.find("meta", name="viewport")
    assert p.find("title")
    assert "Rapat Koordinasi Pelayanan Publik — Berita dan Informasi" in html
    assert p.find("meta", property="og:title")[0]["content"] == "Rapat Koordinasi Pelayanan Publik"
    assert p.find("meta", property="og:description")[0]["content"] == "Paragraf pertama. Baris kedua."
    for text in ("Rapat Koordinasi Pelayanan Publik", "Berita", "Sekretariat",
                 "Selasa, 24 November 2026 pukul 10.05 WIB", "Oleh Siti Aminah", "Paragraf kedua.",
                 "Galeri foto", "Dokumen", "PDF, 3 halaman, 1,2 MB"):
        assert text in p.text, text
    assert "<p>Paragraf pertama.<br>\nBaris kedua.</p>" in html

    # Photos: web rendition inline with size and alt, thumbnail in the gallery.
    imgs = p.find("img")
    assert imgs[0]["src"] == f"../../media/{photo1.sha256}.jpg"
    assert (imgs[0]["width"], imgs[0]["height"], imgs[0]["alt"], imgs[0]["loading"]) == ("40", "30", "Suasana rapat", "lazy")
    assert imgs[1]["src"] == f"../../media/{photo2.sha256}.thumb.png"
    assert (imgs[1]["width"], imgs[1]["height"]) == ("20", "15")
    assert (root / "media" / f"{photo1.sha256}.jpg").read_bytes() == photo1.web.read_bytes()
    # Documents and audio: originals under media/<sha>/<safe name>.
    doc_link = p.find("a", type="application/pdf")[0]["href"]
    assert doc_link == f"../../media/{doc.sha256}/Laporan_Kegiatan.pdf"
    assert (root / "media" / doc.sha256 / "Laporan_Kegiatan.pdf").read_bytes() == doc.original.read_bytes()
    assert p.find("audio")
    src = p.find("source")[0]["src"]
    assert src == f"../../media/{voice.sha256}/pesan_suara.ogg"
    assert (page.parent / src).resolve().read_bytes() == voice.original.read_bytes()

    # Photo originals (EXIF, GPS) never reach the site.
    published = {hashlib.sha256(f.read_bytes()).hexdigest() for f in root.rglob("*") if f.is_file()}
    assert photo1.sha256 not in published and photo2.sha256 not in published

    # Index lists it with a thumbnail and excerpt.
    assert _index_links(parse, root) == ["artikel/7-rapat-koordinasi/index.html"]
    idx = parse((root / "index.html").read_text("utf-8"))
    assert "24 November 2026" in idx.text and "Paragraf pertama. Baris kedua." in idx.text
    assert idx.find("img")[0]["src"] == f"media/{photo1.sha256}.thumb.png"
    assert not _tmp_files(root)


async def test_base_url_gives_http_url_and_og_image(tmp_path, factory, parse):
    root = tmp_path / "site"
    photo = factory.photo()
    pub = StaticSitePublisher(root, base_url="https://diskominfo.example.go.id/berita/")
    result = await pub.publish(factory.article(assets=(photo,)), None)
    assert result.url == "https://diskominfo.example.go.id/berita/artikel/7-rapat-koordinasi/"
    p = parse(Path(result.remote["path"]).read_text("utf-8"))
    assert p.find("meta", property="og:image")[0]["content"] == (
        f"https://diskominfo.example.go.id/berita/media/{photo.sha256}.jpg")
    assert p.find("link", rel="canonical")[0]["href"] == result.url
    assert _index_links(parse, root) == ["artikel/7-rapat-koordinasi/"]


async def test_hostile_text_is_escaped(tmp_path, factory, parse, hostile):
    root = tmp_path / "site"
    photo = factory.photo(caption=hostile)
    doc = factory.pdf(filename='<img src=x onerror=alert(1)>"&.pdf', caption=hostile)
    body = f"{hostile}\n<iframe src=//evil>\n\nTautan: https://a.id/?q=\"><script>x</script> javascript:alert(1)"
    article = factory.article(title=hostile, body=body, section=hostile, kind_label=hostile,
                              author=hostile, assets=(photo, doc))
    result = await StaticSitePublisher(root).publish(article, None)
    for path in (Path(result.remote["path"]), root / "index.html"):
        html = path.read_text("utf-8")
        p = parse(html)
        tags = {t for t, _ in p.tags}
        assert "script" not in tags and "iframe" not in tags
        for _tag, attrs in p.tags:
            assert not any(k.startswith("on") for k in attrs), attrs
            for k in ("href", "src"):
                assert not (attrs.get(k) or "").lower().startswith("javascript"), attrs
        assert " ".join(hostile.split()) in p.text
        assert p.find("title")
    page = parse(Path(result.remote["path"]).read_text("utf-8"))
    assert "<iframe src=//evil>" in page.text
    # The document is shown by its caption, never by its (hostile) file name.
    assert '<img src=x onerror=alert(1)>"&.pdf' not in page.text
    assert page.find("a", type="application/pdf")
    assert page.find("img")[0]["alt"] == " ".join(hostile.split())
    assert page.find("meta", property="og:title")[0]["content"] == " ".join(hostile.split())
    links = [a["href"] for a in page.find("a") if (a.get("href") or "").startswith("https://a.id")]
    assert links == ["https://a.id/?q="]
    # The unsafe filename never became a path component.
    assert sorted(p.name for p in (root / "media" / doc.sha256).iterdir()) == ["img_src_x_onerror_alert(1).pdf"]


async def test_index_newest_first(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    base = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    # Published out of order on purpose.
    for sid, days in ((11, 2), (12, 9), (13, 5)):
        await pub.publish(factory.article(sid, slug=f"{sid}-judul", title=f"Artikel {sid}",
                                          approved_at=base + timedelta(days=days)), None)
    assert _index_links(parse, root) == [
        "artikel/12-judul/index.html", "artikel/13-judul/index.html", "artikel/11-judul/index.html"]


async def test_update_in_place(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    old_photo, kept_doc = factory.photo("lama"), factory.pdf()
    v1 = factory.article(title="Judul lama", body="Isi lama.", assets=(old_photo, kept_doc))
    first = await pub.publish(v1, None)
    await pub.publish(factory.article(99, slug="99-lain", title="Lain"), None)

    v2 = factory.article(revision_number=2, title="Judul baru", body="Isi baru.",
                         slug="7-judul-baru", assets=(kept_doc,),
                         approved_at=v1.approved_at + timedelta(days=1))
    second = await pub.publish(v2, PriorPublication(first.remote_id, first.url, first.remote))
    assert second.url == first.url and second.remote_id == first.remote_id
    assert not (root / "artikel" / "7-judul-baru").exists()

    page = parse(Path(second.remote["path"]).read_text("utf-8"))
    assert "Judul baru" in page.text and "Isi baru." in page.text and "Isi lama." not in page.text
    assert "Diperbarui 25 November 2026" in page.text  # first date kept, update shown
    assert "24 November 2026 pukul 10.05 WIB" in page.text
    idx = parse((root / "index.html").read_text("utf-8"))
    assert "Judul baru" in idx.text and "Judul lama" not in idx.text
    assert _index_links(parse, root).count("artikel/7-rapat-koordinasi/index.html") == 1
    assert len(_manifest(root)["articles"]) == 2
    # The dropped photo's files are gone; the kept document stays.
    assert not list((root / "media").glob(f"{old_photo.sha256}*"))
    assert (root / "media" / kept_doc.sha256 / "Laporan_Kegiatan.pdf").exists()

    # Same again with the prior record lost: still the same page, no duplicate.
    third = await pub.publish(v2, None)
    assert third.url == first.url
    assert len(_manifest(root)["articles"]) == 2
    assert len(list((root / "artikel").iterdir())) == 2


async def test_republish_after_crash_is_idempotent(tmp_path, factory, parse, monkeypatch):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    article = factory.article(assets=(factory.photo(),))

    def crash(self, manifest):
        raise RuntimeError("proses mati")

    # Dies after the page is written but before the index is rebuilt.
    monkeypatch.setattr(StaticSitePublisher, "_write_index", crash)
    with pytest.raises(RuntimeError):
        await pub.publish(article, None)
    monkeypatch.undo()
    assert (root / "artikel" / "7-rapat-koordinasi" / "index.html").exists()

    result = await pub.publish(article, None)
    again = await pub.publish(article, PriorPublication(result.remote_id, result.url, result.remote))
    assert again.url == result.url
    assert _index_links(parse, root) == ["artikel/7-rapat-koordinasi/index.html"]
    assert list(_manifest(root)["articles"]) == ["7"]
    assert not _tmp_files(root)


async def test_crash_before_page_never_lists_missing_page(tmp_path, factory, parse, monkeypatch):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    await pub.publish(factory.article(1, slug="1-ada"), None)

    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith(os.path.join("2-baru", "index.html")):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(static_site.os, "replace", failing_replace)
    with pytest.raises(PublishError) as exc_info:
        await pub.publish(factory.article(2, slug="2-baru"), None)
    assert exc_info.value.retryable is True
    # Another article published meanwhile must not list the half-published one.
    await pub.publish(factory.article(3, slug="3-lain"), None)
    monkeypatch.undo()

    assert not (root / "artikel" / "2-baru" / "index.html").exists()
    assert not _tmp_files(root)
    assert _index_links(parse, root) == ["artikel/3-lain/index.html", "artikel/1-ada/index.html"]


async def test_failed_update_keeps_old_page(tmp_path, factory, monkeypatch):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    first = await pub.publish(factory.article(body="Versi satu."), None)
    page = Path(first.remote["path"])
    before = page.read_bytes()

    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == page:
            raise OSError(5, "I/O error")
        return real_replace(src, dst)

    monkeypatch.setattr(static_site.os, "replace", failing_replace)
    with pytest.raises(PublishError):
        await pub.publish(factory.article(revision_number=2, body="Versi dua."), None)
    monkeypatch.undo()
    assert page.read_bytes() == before
    assert not _tmp_files(root)


async def test_withdraw_removes_page_entry_and_unshared_media(tmp_path, factory, parse):
    root = tmp_path / "site"
    pub = StaticSitePublisher(root)
    shared, own = factory.photo("bersama"), factory.photo("sendiri", color=(1, 2, 3))
    doc = factory.pdf()
    a = factory.article(1, slug="1-satu", assets=(shared, own, doc))
    b = factory.article(2, slug="2-dua", assets=(shared,))
    ra = await pub.publish(a, None)
    await pub.publish(b, None)

    await pub.withdraw(a, PriorPublication(ra.remote_id, ra.url, ra.remote))
    assert not (root / "artikel" / "1-satu").exists()
    assert _index_links(parse, root) == ["artikel/2-dua/index.html"]
    assert list(_manifest(root)["articles"]) == ["2"]
    assert (root / "media" / f"{shared.sha256}.jpg").exists()
    assert not list((root / "media").glob(f"{own.sha256}*"))
    assert not (root / "media" / doc.sha256).exists()

    # Withdrawing again (retry) is harmless; so is withdrawing with prior lost.
    await pub.withdraw(a, PriorPublication(ra.remote_id, ra.url, ra.remote))
    await pub.withdraw(b, PriorPublication())
    assert _index_links(parse, root) == []
    assert "Belum ada artikel." in (root / "index.html").read_text("utf-8")
    assert not [p for p in (root / "media").iterdir()]


@pytest.mark.parametrize("slug", ["../etc", "Judul", "a/b", "", "-", "x" * 201, "ä-1"])
async def test_bad_slug_refused(tmp_path, factory, slug):
    with pytest.raises(PublishError) as exc_info:
        await StaticSitePublisher(tmp_path / "site").publish(factory.article(slug=slug), None)
    assert exc_info.value.retryable is False
    assert not (tmp_path / "site").exists() or not (tmp_path / "site" / "artikel").exists()


async def test_missing_original_is_not_retryable(tmp_path, factory):
    doc = factory.pdf()
    doc.original.unlink()
    with pytest.raises(PublishError) as exc_info:
        await StaticSitePublisher(tmp_path / "site").publish(factory.article(assets=(doc,)), None)
    assert exc_info.value.retryable is False


async def test_concurrent_publishes_all_listed(tmp_path, factory, parse):
    import asyncio

    root = tmp_path / "site"
    pub, other = StaticSitePublisher(root), StaticSitePublisher(root)  # two instances, one root
    articles = [factory.article(i, slug=f"{i}-a", approved_at=datetime(2026, 11, i, tzinfo=UTC))
                for i in range(1, 7)]
    await asyncio.gather(*((pub if a.submission_id % 2 else other).publish(a, None) for a in articles))
    assert _index_links(parse, root) == [f"artikel/{i}-a/index.html" for i in range(6, 0, -1)]
