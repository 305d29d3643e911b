"""A static website that works with zero setup (SOP step 6).

Layout under ``root`` (normally ``DATA_DIR/site``)::

    index.html                     list of published articles, newest first
    halaman/<n>/index.html         its further pages (SITE_PAGE_SIZE a page)
    bagian/<slug>/index.html       the same per section (and .../halaman/<n>/)
    feed.xml, sitemap.xml          Atom feed and sitemap (only with SITE_BASE_URL:
                                   both need absolute URLs)
    style.css, logo.<ext>          the office's logo when OFFICE_LOGO is a file
    _manifest.json                 what is published (source of the listings)
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

Pages come from Jinja2 templates (autoescaped) in ``publishers/templates/static``;
an office can override any of them (``base.html``, ``index.html``,
``article.html``, ``feed.xml``, ``sitemap.xml``, ``style.css``) by putting a
file of the same name in STATIC_TEMPLATES_DIR.  Times are the office's
(TIMEZONE), formatted by :mod:`publishers.render`.

The review desk (issue 22) shows an article before it is approved through
:meth:`StaticSitePublisher.preview`: the same page, drawn by the same code, with
its files served by the desk, and nothing written.

File helpers shared with the archive are in :mod:`publishers.files`.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

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
    atomic_write_bytes,
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

if TYPE_CHECKING:
    from jinja2 import Environment

log = logging.getLogger(__name__)

SLUG_RE = re.compile(r"[a-z0-9-]{1,200}")
MANIFEST_FORMAT = 1
#: The templates shipped with Terbit (package data).
TEMPLATES = Path(__file__).resolve().parent / "templates" / "static"
#: Articles per listing page, and in the Atom feed.
PAGE_SIZE = 20
FEED_SIZE = 20
HOME_HEADING = "Artikel terbaru"


def section_slug(name: str) -> str:
    """A section's folder under ``bagian/``: ``Bidang Informasi & Komunikasi`` -> ``bidang-informasi-komunikasi``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")
    return slug or "bagian"


def _page_folder(folder: str, number: int) -> str:
    """Where page ``number`` of the listing in ``folder`` lives ("" is the root)."""
    if number <= 1:
        return folder
    return f"{folder}/halaman/{number}" if folder else f"halaman/{number}"


def _listing_order(rel: str) -> tuple[int, str]:
    """Home first, then its pages, then sections (for a tidy sitemap)."""
    return (0 if rel == "index.html" else 1 if rel.startswith("halaman/") else 2, rel)


@functools.cache
def template_environment(templates_dir: Path | None = None) -> Environment:
    """Jinja2 with autoescape for HTML and XML; ``templates_dir`` overrides the shipped templates.
    (Imported here: a bot that has not published yet never pays for Jinja2's import.)  One per
    templates folder, shared by every office's site that uses it: compiling the templates costs
    about 35 ms of CPU, and thirty offices' first publications would each pay it."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(("html", "xml"), default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )

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
        *,
        timezone: str | tzinfo | None = None,
        office_name: str = "",
        office_logo: str | None = None,
        office_url: str | None = None,
        templates_dir: Path | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.root = Path(root)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.site_title = render.one_line(site_title)
        #: The office's zone (TIMEZONE): every date on the site is in it.
        self.tz = render.zone(timezone)
        self.office_name = render.one_line(office_name)
        self.office_url = office_url.strip() if office_url and office_url.strip() else None
        self.page_size = max(1, int(page_size))
        if templates_dir and not Path(templates_dir).is_dir():
            # Not fatal: the shipped templates still make a working site.
            log.warning("STATIC_TEMPLATES_DIR %s is not a folder; using the shipped templates", templates_dir)
        self._templates_dir = Path(templates_dir) if templates_dir else None
        self._env_made: Environment | None = None
        logo = (office_logo or "").strip()
        self._logo_url = logo if re.match(r"https?://", logo, re.IGNORECASE) else None
        self._logo_path = Path(logo) if logo and not self._logo_url else None
        self._logo_name = f"logo.{ext_for(None, self._logo_path)}" if self._logo_path else ""
        self._logo_rel: str | None = None
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

    async def prepare(self) -> None:
        """A new office's site: its (empty) home page, style and logo, there from the first minute."""
        await self.rebuild_index()

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
            published_at = (old or {}).get("published_at") or render.to_local(article.approved_at, self.tz).isoformat()
            entry = self._entry(article, slug, published_at, urls)
            entry["live"] = bool(old and old.get("live")) and page.exists()
            entry["media"] = sorted(used | old_media)
            manifest["articles"][key] = entry
            self._save_manifest(manifest)

            # 3. The page itself.
            self._clean_stale_tmp(page.parent)
            first = render.parse_iso(published_at) or article.approved_at
            html = self._render_page(article, slug, first, urls, entry)
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
        thumb = image = None
        for photo in article.photos:
            rel = urls.get((photo.id, "thumb")) or urls.get((photo.id, "web"))
            if rel:
                size = probe_image_size(self.root / rel)
                alt = render.one_line(photo.caption) or render.one_line(article.title)
                thumb = {"path": rel, "width": size[0] if size else None,
                         "height": size[1] if size else None, "alt": alt}
                web = urls.get((photo.id, "web"), rel)
                wsize = probe_image_size(self.root / web)
                image = {"path": web, "width": wsize[0] if wsize else None,
                         "height": wsize[1] if wsize else None, "alt": alt}
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
            "updated_at": render.to_local(article.approved_at, self.tz).isoformat(),
            "excerpt": render.excerpt(article.body),
            "thumb": thumb,
            "image": image,
        }

    # -- templates -------------------------------------------------------------------

    def _site(self, prefix: str, *, logo_rel: str | None) -> dict[str, Any]:
        """What every page says about the site and the office (``prefix`` leads to the root);
        ``logo_rel``: the logo file's path under the root (``_logo_rel`` once ``_write_logo`` ran)."""
        logo = None
        if self._logo_url:
            logo = self._logo_url
        elif logo_rel:
            logo = prefix + logo_rel
        return {
            "title": self.site_title,
            "office_name": self.office_name,
            "office_url": self.office_url,
            "logo_src": logo,
            "feed_url": self._abs_url("feed.xml"),
        }

    def _href(self, prefix: str, folder: str) -> str:
        """Link from a page ``prefix`` deep to the listing or article in ``folder`` ("" = home)."""
        if not folder:
            return self._home_href(prefix)
        # Opened from disk a directory link shows a listing, so link the file.
        return f"{prefix}{folder}/" if self.base_url else f"{prefix}{folder}/index.html"

    def _media_href(self, prefix: str, rel: str) -> str:
        return prefix + render.url_path(*rel.split("/"))

    def _render(self, template: str, **context: Any) -> str:
        if self._env_made is None:
            self._env_made = template_environment(self._templates_dir)
        return self._env_made.get_template(template).render(**context)

    def _render_page(self, article: Article, slug: str, published_at: datetime,
                     urls: dict[tuple[int, str], str], entry: dict[str, Any]) -> str:
        """The article's page as published: its files where ``_copy_media`` put them under the root."""
        prefix = "../../"
        sizes: dict[str, tuple[int, int] | None] = {}

        def media_url(asset: Asset, variant: str) -> str | None:
            return self._media_href(prefix, urls[(asset.id, variant)])

        def image_size(asset: Asset, variant: str) -> tuple[int, int] | None:
            rel = urls[(asset.id, variant)]
            if rel not in sizes:
                sizes[rel] = probe_image_size(self.root / rel)
            return sizes[rel]

        return self._article_page(article, slug, published_at, urls, media_url, image_size,
                                  description=entry["excerpt"], logo_rel=self._logo_rel)

    def _article_page(self, article: Article, slug: str, published_at: datetime, urls: dict[tuple[int, str], str],
                      media_url: Callable[[Asset, str], str | None],
                      image_size: Callable[[Asset, str], tuple[int, int] | None],
                      *, description: str, logo_rel: str | None) -> str:
        """The one way an article page is drawn, for publishing and for the review desk's preview.

        ``urls`` is where each (asset id, variant) lives under the root (what the page may link;
        a variant not in it is not shown).  ``media_url`` and ``image_size`` are asked only for
        variants in ``urls``, ``"large"`` falling back to ``"web"``."""
        prefix = "../../"

        def variant_of(asset: Asset, variant: str) -> str | None:
            if (asset.id, variant) in urls:
                return variant
            return "web" if variant == "large" and (asset.id, "web") in urls else None

        def url(asset: Asset, variant: str) -> str | None:
            known = variant_of(asset, variant)
            return media_url(asset, known) if known else None

        def size(asset: Asset, variant: str) -> tuple[int, int] | None:
            if asset.kind == "video" or (asset.id, variant) not in urls:
                return None
            return image_size(asset, variant)

        fragment = render.article_html(
            article, url, image_size=size, published_at=published_at, tz=self.tz
        )
        og_image = og_size = og_alt = None
        photo = next((p for p in article.photos if (p.id, "web") in urls), None)
        if photo is not None:
            og_image = self._abs_url(render.url_path(*urls[(photo.id, "web")].split("/")))
            og_size = size(photo, "web")
            og_alt = render.one_line(photo.caption) or render.one_line(article.title)
        title = render.one_line(article.title)
        page = {
            "title": f"{title} — {self.site_title}",
            "og_title": title,
            "description": description,
            "canonical": self._abs_url(f"artikel/{slug}/"),
            "og_type": "article",
            "og_image": og_image,
            "og_image_alt": og_alt if og_image else None,
            "og_image_size": og_size if og_image else None,
            "published": render.iso(published_at, self.tz),
            "modified": render.iso(article.approved_at, self.tz),
        }
        section = render.one_line(article.section)
        return self._render(
            "article.html", site=self._site(prefix, logo_rel=logo_rel), page=page, prefix=prefix,
            home_href=self._home_href(prefix), sections=[],
            section={"name": section, "href": self._href(prefix, f"bagian/{section_slug(section)}")}
            if section else None,
            fragment=Markup(fragment),  # built by render.article_html, which escapes all user text
        )

    # -- the review desk's preview (issue 22) ------------------------------------------------

    async def preview(self, article: Article, media_url: Callable[[Asset, str], str | None]) -> str:
        """The article's page exactly as :meth:`publish` would write it now — the same template and
        context, the office's overrides included — with its files at ``media_url(asset, variant)``
        instead of under ``media/``.  Reads the manifest (an update of a live article keeps its slug
        and first date, as publishing would), writes nothing.

        ``media_url`` is asked only for files the published page would link (``"web"``, ``"thumb"``
        of a photo; ``"play"``, ``"poster"`` of audio and video; ``"download"`` of a document), and
        returns an already percent-encoded URL.  The page links ``../../style.css`` and the logo
        as the site does (:meth:`stylesheet`, :meth:`logo`): serve it two folders below them."""
        return await asyncio.to_thread(self._preview_sync, article, media_url)

    def _preview_sync(self, article: Article, media_url: Callable[[Asset, str], str | None]) -> str:
        try:
            old = self._load_manifest()["articles"].get(str(article.submission_id))
        except PublishError:  # a broken manifest stops publishing, not a look at the page
            old = None
        slug = old["slug"] if old and SLUG_RE.fullmatch(str(old.get("slug"))) else _check_slug(article.slug)
        first = (render.parse_iso(old.get("published_at")) if old else None) or article.approved_at
        urls: dict[tuple[int, str], str] = {}
        sources: dict[tuple[int, str], Path] = {}
        for asset in article.assets:
            plan = self._media_plan(asset)
            if asset.kind == "photo" and "web" not in plan:
                continue  # as _copy_media: a photo without its web rendition is not published
            for variant, (src, rel) in plan.items():
                urls[(asset.id, variant)] = rel
                sources[(asset.id, variant)] = src
        sizes: dict[Path, tuple[int, int] | None] = {}

        def image_size(asset: Asset, variant: str) -> tuple[int, int] | None:
            src = sources[(asset.id, variant)]  # the very file publishing copies under the root
            if src not in sizes:
                sizes[src] = probe_image_size(src)
            return sizes[src]

        return self._article_page(article, slug, first, urls, media_url, image_size,
                                  description=render.excerpt(article.body), logo_rel=self._logo_now())

    def stylesheet(self) -> str:
        """``style.css`` as the site has it (the office's override when there is one)."""
        return self._render("style.css")

    def logo(self) -> tuple[str, Path] | None:
        """The logo file the pages link (its name next to ``style.css``, and where it is read from);
        None when the logo is a URL, or none is set or readable."""
        name = self._logo_now()
        return (name, self._logo_path) if name and self._logo_path is not None else None

    def _logo_now(self) -> str | None:
        """What ``_write_logo`` would make the logo's path: the logo file's name when it is readable."""
        if self._logo_path is None:
            return None
        return self._logo_name if os.access(self._logo_path, os.R_OK) and self._logo_path.is_file() else None

    # -- listings: home, sections, feed, sitemap --------------------------------------------

    def _write_css(self) -> None:
        self._write_if_changed(self.root / "style.css", self._render("style.css"))
        self._write_logo()

    def _write_logo(self) -> None:
        """Copy a logo given as a file path next to the pages (a URL is linked as is)."""
        if self._logo_path is None:
            return
        try:
            data = self._logo_path.read_bytes()
        except OSError as exc:
            log.warning("OFFICE_LOGO %s unreadable (%s); pages go without a logo", self._logo_path, exc)
            self._logo_rel = None
            return
        dst = self.root / self._logo_name
        try:
            same = dst.read_bytes() == data
        except FileNotFoundError:
            same = False
        if not same:
            atomic_write_bytes(dst, data)
        self._logo_rel = self._logo_name

    @staticmethod
    def _write_if_changed(path: Path, text: str) -> None:
        """Replace ``path`` atomically, and only when its content changes."""
        try:
            if path.read_text("utf-8") == text:
                return
        except (FileNotFoundError, UnicodeDecodeError):
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)

    @staticmethod
    def _sort_key(entry: dict[str, Any]) -> tuple[datetime, int]:
        when = render.parse_iso(entry.get("published_at")) or datetime.min.replace(tzinfo=UTC)
        return when, int(entry.get("submission_id") or 0)

    def _live(self, manifest: dict[str, Any]) -> list[dict[str, Any]]:
        """Listed entries, newest first."""
        return sorted(
            (e for e in manifest["articles"].values()
             if e.get("live") and SLUG_RE.fullmatch(str(e.get("slug")))),
            key=self._sort_key, reverse=True,
        )

    @staticmethod
    def _section_slugs(entries: list[dict[str, Any]]) -> dict[str, str]:
        """Section name -> folder under ``bagian/``, alphabetical.  A name's folder depends on
        the name alone, so an article page links its section without knowing the others."""
        return {name: section_slug(name) for name in sorted({e["section"] for e in entries if e.get("section")})}

    def _listing(self, entries: list[dict[str, Any]], *, folder: str, number: int, pages: int,
                 heading: str, sections: dict[str, str], current_section: str | None) -> str:
        """One page of a listing in ``folder`` ("" or ``bagian/<slug>``), ``number`` of ``pages``."""
        here = _page_folder(folder, number)
        prefix = "../" * (here.count("/") + 1) if here else ""
        items = []
        for e in entries:
            when = self._sort_key(e)[0]
            t = e.get("thumb")
            thumb = None
            if t and t.get("path"):
                thumb = {"src": self._media_href(prefix, t["path"]),
                         "width": int(t["width"]) if t.get("width") else None,
                         "height": int(t["height"]) if t.get("height") else None}
            section = e.get("section") or ""
            items.append({
                "href": self._href(prefix, f"artikel/{e['slug']}"),
                "title": e.get("title", ""),
                "thumb": thumb,
                "datetime": render.iso(when, self.tz),
                "date_text": render.format_date_id(when, tz=self.tz),
                "kind_label": e.get("kind_label", ""),
                "section": section,
                "section_href": (self._href(prefix, f"bagian/{sections[section]}")
                                 if section in sections and sections[section] != sections.get(current_section or "")
                                 else None),
                "excerpt": e.get("excerpt", ""),
            })
        pager = {
            "pages": [{"number": n, "href": self._href(prefix, _page_folder(folder, n)), "current": n == number}
                      for n in range(1, pages + 1)],
            "prev_href": self._href(prefix, _page_folder(folder, number - 1)) if number > 1 else None,
            "next_href": self._href(prefix, _page_folder(folder, number + 1)) if number < pages else None,
        }
        current_slug = sections.get(current_section or "")
        nav, seen = [], set()
        for name, slug in sections.items():
            if slug not in seen:
                seen.add(slug)
                nav.append({"name": name, "href": self._href(prefix, f"bagian/{slug}"),
                            "current": slug == current_slug})
        title = heading if folder else self.site_title
        if number > 1:
            title = f"{heading} — halaman {number}"
        page_title = title if title == self.site_title else f"{title} — {self.site_title}"
        image = (entries[0].get("image") or entries[0].get("thumb")) if entries and number == 1 else None
        page = {
            "title": page_title,
            "description": (f"{heading}: artikel terbaru dari {self.office_name or self.site_title}."),
            "canonical": self._abs_url(f"{here}/" if here else ""),
            "og_type": "website",
            "og_image": self._abs_url(render.url_path(*image["path"].split("/"))) if image else None,
            "og_image_alt": image.get("alt") if image else None,
            "og_image_size": ((int(image["width"]), int(image["height"]))
                              if image and image.get("width") and image.get("height") else None),
        }
        return self._render(
            "index.html", site=self._site(prefix, logo_rel=self._logo_rel), page=page, prefix=prefix,
            home_href=self._home_href(prefix), sections=nav,
            heading=heading if number == 1 else f"{heading} (halaman {number})",
            entries=items, pager=pager,
        )

    def _listings(self, manifest: dict[str, Any]) -> dict[str, str]:
        """Every listing page by its path under the root: home pages and section pages."""
        entries = self._live(manifest)
        sections = self._section_slugs(entries)
        out: dict[str, str] = {}
        groups: list[tuple[str, str, str | None, list[dict[str, Any]]]] = [("", HOME_HEADING, None, entries)]
        by_slug: dict[str, str] = {}
        for name, slug in sections.items():
            by_slug.setdefault(slug, name)  # two names one folder ("Humas" and "HUMAS"): one page
        for slug, name in by_slug.items():
            groups.append((f"bagian/{slug}", name, name,
                           [e for e in entries if e.get("section") and sections[e["section"]] == slug]))
        for folder, heading, current, members in groups:
            pages = max(1, -(-len(members) // self.page_size))
            for number in range(1, pages + 1):
                chunk = members[(number - 1) * self.page_size: number * self.page_size]
                here = _page_folder(folder, number)
                out[f"{here}/index.html" if here else "index.html"] = self._listing(
                    chunk, folder=folder, number=number, pages=pages, heading=heading,
                    sections=sections, current_section=current)
        return out

    def _feed(self, entries: list[dict[str, Any]]) -> str:
        """Atom feed of the newest articles (absolute URLs: needs SITE_BASE_URL)."""
        items = []
        for e in entries[:FEED_SIZE]:
            published = self._sort_key(e)[0]
            updated = render.parse_iso(e.get("updated_at")) or published
            items.append({
                "title": e.get("title", ""), "url": self._abs_url(f"artikel/{e['slug']}/"),
                "published": render.iso(published, self.tz), "updated": render.iso(max(updated, published), self.tz),
                "author": e.get("author", ""), "section": e.get("section", ""), "excerpt": e.get("excerpt", ""),
            })
        latest = max((i["updated"] for i in items), default=None,
                     key=lambda s: render.parse_iso(s) or datetime.min.replace(tzinfo=UTC))
        return self._render("feed.xml", site=self._site("", logo_rel=self._logo_rel), home_url=self._abs_url(""),
                            entries=items, updated=latest or render.iso(datetime(1970, 1, 1, tzinfo=UTC), self.tz))

    def _sitemap(self, entries: list[dict[str, Any]], listings: list[str]) -> str:
        urls = []
        for path in listings:
            folder = path.removesuffix("index.html")
            urls.append({"loc": self._abs_url(folder), "lastmod": None})
        for e in entries:
            updated = render.parse_iso(e.get("updated_at")) or self._sort_key(e)[0]
            urls.append({"loc": self._abs_url(f"artikel/{e['slug']}/"), "lastmod": render.iso(updated, self.tz)})
        return self._render("sitemap.xml", urls=urls)

    def _write_index(self, manifest: dict[str, Any]) -> None:
        """Every listing page, the feed and the sitemap; pages no longer needed are removed."""
        listings = self._listings(manifest)
        for rel, html in listings.items():
            self._write_if_changed(self.root / rel, html)
        self._remove_stale_listings(set(listings))
        entries = self._live(manifest)
        for name, text in (("feed.xml", self._feed(entries)),
                           ("sitemap.xml", self._sitemap(entries, sorted(listings, key=_listing_order)))):
            if self.base_url:
                self._write_if_changed(self.root / name, text)
            else:  # relative links in a feed or sitemap are useless: none rather than a wrong one
                with contextlib.suppress(FileNotFoundError):
                    (self.root / name).unlink()

    def _remove_stale_listings(self, keep: set[str]) -> None:
        """Delete listing folders (``halaman/<n>``, ``bagian/<slug>``) no page needs any more."""
        keep_dirs = {str(Path(rel).parent) for rel in keep}
        candidates: list[Path] = []
        for top in (self.root / "halaman", *sorted((self.root / "bagian").glob("*/halaman"))):
            if top.is_dir():
                candidates += [d for d in top.iterdir() if d.is_dir() and d.name.isdigit()]
        if (self.root / "bagian").is_dir():
            candidates += [d for d in (self.root / "bagian").iterdir() if d.is_dir() and SLUG_RE.fullmatch(d.name)]
        for d in candidates:
            rel = d.relative_to(self.root).as_posix()
            if rel not in keep_dirs and not any(k.startswith(rel + "/") for k in keep_dirs):
                shutil.rmtree(d, ignore_errors=True)
                fsync_dir(d.parent)
        for top in (self.root / "halaman", self.root / "bagian"):
            with contextlib.suppress(OSError):
                top.rmdir()  # only if empty

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
