"""A static website that works with zero setup (SOP step 6).

Layout under ``root`` (normally ``DATA_DIR/site``)::

    index.html                     list of published articles, newest first
    style.css
    _manifest.json                 what is published (source of index.html)
    artikel/<slug>/index.html      one page per article
    media/<sha256>.<ext>           web rendition of a photo / audio / video
    media/<sha256>.thumb.<ext>     its thumbnail
    media/<sha256>/<file name>     original documents (and audio/video
                                   without a web rendition)

Photo originals are never published: they may carry EXIF/GPS data.  Every
file is written to a temporary name in the same directory and moved into
place with ``os.replace``, so a crash leaves either the old or the new file.
The manifest is keyed by submission id, which keeps the URL stable across
revisions and makes ``publish`` idempotent even when the outbox lost the
prior record.  All links inside the site are relative, so it can be opened
from disk or served from any path.

File helpers shared with the archive are in :mod:`publishers.files`.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publishers import render
from publishers.base import (
    Article,
    Asset,
    PriorPublication,
    Publisher,
    PublishError,
    PublishResult,
)
from publishers.files import (
    atomic_write_text,
    check_sha256,
    copy_file,
    dir_lock,
    dump_json,
    ext_for,
    fsync_dir,
    os_error,
    probe_image_size,
    publish_filename,
)

log = logging.getLogger(__name__)

SLUG_RE = re.compile(r"[a-z0-9-]{1,200}")
MANIFEST_FORMAT = 1

# --------------------------------------------------------------------------
# The publisher
# --------------------------------------------------------------------------


def _check_slug(slug: str | None) -> str:
    if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug) or set(slug) == {"-"}:
        raise PublishError(
            f"Slug artikel tidak sah: {slug!r} (hanya huruf kecil, angka dan tanda hubung).",
            retryable=False,
        )
    return slug


class StaticSitePublisher(Publisher):
    name = "static_site"
    label = "Situs web (statis)"
    stage = 0

    def __init__(
        self,
        root: Path,
        base_url: str | None = None,
        site_title: str = "Berita dan Informasi",
    ) -> None:
        self.root = Path(root)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.site_title = site_title
        self._lock = asyncio.Lock()

    # -- public API ---------------------------------------------------------

    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        _check_slug(article.slug)
        async with self._lock:
            try:
                return await asyncio.to_thread(self._publish_sync, article, prior)
            except OSError as exc:
                raise os_error(exc, "Gagal menulis situs") from exc

    async def withdraw(self, article: Article, prior: PriorPublication) -> None:
        async with self._lock:
            try:
                await asyncio.to_thread(self._withdraw_sync, article, prior)
            except OSError as exc:
                raise os_error(exc, "Gagal menarik artikel dari situs") from exc

    async def rebuild_index(self) -> None:
        """Rewrite ``index.html`` (and ``style.css``) from the manifest."""
        async with self._lock:
            await asyncio.to_thread(self._rebuild_index_sync)

    def url_for(self, slug: str) -> str:
        _check_slug(slug)
        if self.base_url:
            return f"{self.base_url}/artikel/{slug}/"
        return self._page_path(slug).resolve().as_uri()

    # -- paths ----------------------------------------------------------------

    def _page_path(self, slug: str) -> Path:
        return self.root / "artikel" / _check_slug(slug) / "index.html"

    def _abs_url(self, rel: str) -> str | None:
        return f"{self.base_url}/{rel}" if self.base_url else None

    def _article_href(self, slug: str, prefix: str = "") -> str:
        # Opened from disk a directory link shows a listing, so link the file.
        return f"{prefix}artikel/{slug}/" if self.base_url else f"{prefix}artikel/{slug}/index.html"

    def _home_href(self, prefix: str) -> str:
        if self.base_url:
            return prefix or "./"
        return f"{prefix}index.html"

    @staticmethod
    def _media_plan(asset: Asset) -> dict[str, tuple[Path, str]]:
        """variant -> (source file, path relative to root) for one asset."""
        sha = check_sha256(asset)
        plan: dict[str, tuple[Path, str]] = {}
        if asset.kind == "photo":
            if asset.web is not None:
                plan["web"] = (asset.web, f"media/{sha}.{ext_for(asset.web_mime, asset.web)}")
            if asset.thumb is not None:
                plan["thumb"] = (asset.thumb, f"media/{sha}.thumb.{ext_for(None, asset.thumb)}")
        elif asset.kind in render.PLAYABLE_KINDS:
            if asset.web is not None:
                plan["play"] = (asset.web, f"media/{sha}.{ext_for(asset.web_mime, asset.web)}")
            else:
                name = publish_filename(asset.filename, fallback=f"berkas.{ext_for(asset.mime, asset.original)}")
                plan["play"] = (asset.original, f"media/{sha}/{name}")
            if asset.thumb is not None:
                plan["poster"] = (asset.thumb, f"media/{sha}.thumb.{ext_for(None, asset.thumb)}")
        else:
            name = publish_filename(asset.filename, fallback=f"berkas.{ext_for(asset.mime, asset.original)}")
            plan["download"] = (asset.original, f"media/{sha}/{name}")
        return plan

    def _article_media(self, article: Article) -> set[str]:
        out: set[str] = set()
        for asset in article.assets:
            with contextlib.suppress(PublishError):
                out.update(rel for _src, rel in self._media_plan(asset).values())
        return out

    # -- manifest -----------------------------------------------------------------

    def _load_manifest(self) -> dict[str, Any]:
        path = self.root / "_manifest.json"
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return {"format": MANIFEST_FORMAT, "articles": {}}
        except (ValueError, UnicodeDecodeError) as exc:
            raise PublishError(
                f"Berkas _manifest.json situs rusak dan harus diperiksa admin: {exc}", retryable=False
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
            raise PublishError("Berkas _manifest.json situs tidak berformat benar.", retryable=False)
        return data

    def _save_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_text(self.root / "_manifest.json", dump_json(manifest))

    # -- publish -------------------------------------------------------------------

    def _choose_slug(self, article: Article, prior: PriorPublication | None,
                     entry: dict[str, Any] | None, manifest: dict[str, Any]) -> str:
        if entry and isinstance(entry.get("slug"), str):
            return _check_slug(entry["slug"])
        slug = article.slug
        if prior and prior.remote_id and SLUG_RE.fullmatch(prior.remote_id):
            slug = prior.remote_id
        key = str(article.submission_id)
        for other_key, other in manifest["articles"].items():
            if other_key != key and other.get("slug") == slug:
                raise PublishError(
                    f"Slug {slug!r} sudah dipakai artikel lain (#{other_key}).", retryable=False
                )
        return slug

    def _copy_media(self, article: Article) -> tuple[dict[tuple[int, str], str], set[str]]:
        """Copy every file the page needs; return (asset id, variant) -> rel path."""
        urls: dict[tuple[int, str], str] = {}
        used: set[str] = set()
        for asset in article.assets:
            plan = self._media_plan(asset)
            if asset.kind == "photo" and "web" not in plan:
                log.warning("photo %s of submission %s has no web rendition; not published",
                            asset.id, article.submission_id)
                continue
            for variant, (src, rel) in plan.items():
                dst = self.root / rel
                try:
                    src_size = os.stat(src).st_size
                except FileNotFoundError as exc:
                    raise PublishError(
                        f"Berkas {render.display_name(asset)!r} (#{asset.id}) tidak ditemukan di penyimpanan.",
                        retryable=False,
                    ) from exc
                try:
                    same = dst.stat().st_size == src_size
                except FileNotFoundError:
                    same = False
                if not same:  # content-addressed: same name and size = same file
                    copy_file(src, dst)
                urls[(asset.id, variant)] = rel
                used.add(rel)
        return urls, used

    def _publish_sync(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        with dir_lock(self.root):
            (self.root / "artikel").mkdir(parents=True, exist_ok=True)
            (self.root / "media").mkdir(parents=True, exist_ok=True)
            self._clean_stale_tmp(self.root)
            self._clean_stale_tmp(self.root / "media")
            self._write_css()
            manifest = self._load_manifest()
            key = str(article.submission_id)
            old = manifest["articles"].get(key)
            slug = self._choose_slug(article, prior, old, manifest)
            page = self._page_path(slug)

            # 1. Files the page refers to.
            urls, used = self._copy_media(article)
            old_media = set(old.get("media", [])) if old else set()

            # 2. Reserve the entry (slug, every file it may use) before the
            #    page exists; an entry not yet "live" is not listed.
            published_at = (old or {}).get("published_at") or render.to_wib(article.approved_at).isoformat()
            entry = self._entry(article, slug, published_at, urls)
            entry["live"] = bool(old and old.get("live")) and page.exists()
            entry["media"] = sorted(used | old_media)
            manifest["articles"][key] = entry
            self._save_manifest(manifest)

            # 3. The page itself.
            self._clean_stale_tmp(page.parent)
            html = self._render_page(article, slug, datetime.fromisoformat(published_at), urls, entry)
            atomic_write_text(page, html)

            # 4. Go live; 5. the index; 6. files no article uses any more.
            entry["live"] = True
            entry["media"] = sorted(used)
            self._save_manifest(manifest)
            self._write_index(manifest)
            self._collect_garbage(manifest, old_media - used)

        return PublishResult(
            url=self.url_for(slug),
            remote_id=slug,
            remote={"path": str(page), "slug": slug, "revision": article.revision_number},
        )

    def _entry(self, article: Article, slug: str, published_at: str,
               urls: dict[tuple[int, str], str]) -> dict[str, Any]:
        thumb = None
        for photo in article.photos:
            rel = urls.get((photo.id, "thumb")) or urls.get((photo.id, "web"))
            if rel:
                size = probe_image_size(self.root / rel)
                thumb = {"path": rel, "width": size[0] if size else None,
                         "height": size[1] if size else None,
                         "alt": render.one_line(photo.caption) or render.one_line(article.title)}
                break
        return {
            "submission_id": article.submission_id,
            "revision": article.revision_number,
            "slug": slug,
            "title": render.one_line(article.title),
            "kind": article.kind,
            "kind_label": render.one_line(article.kind_label),
            "section": render.one_line(article.section),
            "author": render.one_line(article.author.name),
            "published_at": published_at,
            "updated_at": render.to_wib(article.approved_at).isoformat(),
            "excerpt": render.excerpt(article.body),
            "thumb": thumb,
        }

    def _render_page(self, article: Article, slug: str, published_at: datetime,
                     urls: dict[tuple[int, str], str], entry: dict[str, Any]) -> str:
        prefix = "../../"

        def media_url(asset: Asset, variant: str) -> str | None:
            rel = urls.get((asset.id, variant))
            if rel is None and variant == "large":
                rel = urls.get((asset.id, "web"))
            return prefix + render.url_path(*rel.split("/")) if rel else None

        sizes: dict[str, tuple[int, int] | None] = {}

        def image_size(asset: Asset, variant: str) -> tuple[int, int] | None:
            rel = urls.get((asset.id, variant))
            if rel is None or asset.kind == "video":
                return None
            if rel not in sizes:
                sizes[rel] = probe_image_size(self.root / rel)
            return sizes[rel]

        fragment = render.article_html(
            article, media_url, image_size=image_size, published_at=published_at
        )
        og_image = og_size = None
        photo = next((p for p in article.photos if (p.id, "web") in urls), None)
        if photo is not None:
            rel = urls[(photo.id, "web")]
            og_image = self._abs_url(render.url_path(*rel.split("/")))
            og_size = image_size(photo, "web")
        return render.html_page(
            title=f"{render.one_line(article.title)} — {self.site_title}",
            content=fragment,
            site_title=self.site_title,
            home_href=self._home_href(prefix),
            css_href=prefix + "style.css",
            description=entry["excerpt"],
            canonical_url=self._abs_url(f"artikel/{slug}/"),
            og_type="article",
            og_title=render.one_line(article.title),
            og_image=og_image,
            og_image_size=og_size if og_image else None,
            footer=self.site_title,
        )

    # -- index ----------------------------------------------------------------------

    def _write_css(self) -> None:
        css = self.root / "style.css"
        try:
            if css.read_text("utf-8") == render.SITE_CSS:
                return
        except (FileNotFoundError, UnicodeDecodeError):
            pass
        atomic_write_text(css, render.SITE_CSS)

    @staticmethod
    def _sort_key(entry: dict[str, Any]) -> tuple[datetime, int]:
        try:
            when = datetime.fromisoformat(entry["published_at"])
        except (KeyError, TypeError, ValueError):
            when = datetime.min.replace(tzinfo=UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when, int(entry.get("submission_id") or 0)

    def render_index(self, manifest: dict[str, Any]) -> str:
        entries = sorted(
            (e for e in manifest["articles"].values() if e.get("live")),
            key=self._sort_key, reverse=True,
        )
        esc = render.esc
        items: list[str] = []
        for e in entries:
            slug = e["slug"]
            if not SLUG_RE.fullmatch(str(slug)):
                continue
            href = self._article_href(slug)
            when = self._sort_key(e)[0]
            thumb = ""
            t = e.get("thumb")
            if t and t.get("path"):
                dims = (f' width="{int(t["width"])}" height="{int(t["height"])}"'
                        if t.get("width") and t.get("height") else "")
                thumb = (f'<a href="{esc(href)}" tabindex="-1" aria-hidden="true">'
                         f'<img src="{esc(render.url_path(*t["path"].split("/")))}"{dims} '
                         f'alt="" loading="lazy" decoding="async"></a>')
            stamp = f'<time datetime="{esc(render.to_wib(when).isoformat())}">{esc(render.format_date_id(when))}</time>'
            meta = [stamp, esc(e.get("kind_label", ""))]
            if e.get("section"):
                meta.append(esc(e["section"]))
            items.append(
                '<li class="entri">' + thumb + "<div>"
                f'<h2><a href="{esc(href)}">{esc(e.get("title", ""))}</a></h2>'
                f'<p class="meta">{" · ".join(meta)}</p>'
                + (f"<p>{esc(e['excerpt'])}</p>" if e.get("excerpt") else "")
                + "</div></li>"
            )
        content = ["<h1>" + esc(self.site_title) + "</h1>"]
        if items:
            content.append('<ul class="daftar">\n' + "\n".join(items) + "\n</ul>")
        else:
            content.append("<p>Belum ada artikel.</p>")
        latest = entries[0] if entries else None
        og_image = None
        if latest and latest.get("thumb"):
            og_image = self._abs_url(render.url_path(*latest["thumb"]["path"].split("/")))
        return render.html_page(
            title=self.site_title,
            content="\n".join(content),
            site_title=self.site_title,
            home_href=self._home_href(""),
            css_href="style.css",
            description=f"{self.site_title}: artikel terbaru.",
            canonical_url=self._abs_url(""),
            og_image=og_image,
            footer=self.site_title,
        )

    def _write_index(self, manifest: dict[str, Any]) -> None:
        atomic_write_text(self.root / "index.html", self.render_index(manifest))

    def _rebuild_index_sync(self) -> None:
        with dir_lock(self.root):
            self._write_css()
            self._write_index(self._load_manifest())

    # -- withdraw / cleanup --------------------------------------------------------------

    def _withdraw_sync(self, article: Article, prior: PriorPublication) -> None:
        with dir_lock(self.root):
            manifest = self._load_manifest()
            key = str(article.submission_id)
            entry = manifest["articles"].pop(key, None)
            if entry and SLUG_RE.fullmatch(str(entry.get("slug"))):
                slug = entry["slug"]
            elif prior and prior.remote_id and SLUG_RE.fullmatch(prior.remote_id):
                slug = prior.remote_id
            else:
                slug = _check_slug(article.slug)
            # Unlist first, then delete: a crash leaves a page nobody links to,
            # and the retry finishes the job.
            self._save_manifest(manifest)
            self._write_index(manifest)
            page_dir = self._page_path(slug).parent
            if page_dir.is_dir():
                shutil.rmtree(page_dir)
                fsync_dir(page_dir.parent)
            candidates = set(entry.get("media", [])) if entry else set()
            candidates |= self._article_media(article)
            self._collect_garbage(manifest, candidates)

    def _collect_garbage(self, manifest: dict[str, Any], candidates: set[str]) -> None:
        """Delete media files in ``candidates`` that no listed article uses."""
        in_use: set[str] = set()
        for e in manifest["articles"].values():
            in_use.update(e.get("media", []))
        media_root = (self.root / "media").resolve()
        for rel in sorted(candidates - in_use):
            path = (self.root / rel).resolve()
            if media_root not in path.parents:
                continue  # never touch anything outside media/
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            parent = path.parent
            if parent != media_root:
                with contextlib.suppress(OSError):
                    parent.rmdir()  # only if empty

    @staticmethod
    def _clean_stale_tmp(directory: Path) -> None:
        """Remove temporary files a crashed run left behind (we hold the lock)."""
        if not directory.is_dir():
            return
        for tmp in directory.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()
