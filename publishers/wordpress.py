"""Publish articles to a WordPress site through its REST API.

Authentication is an Application Password (WordPress 5.6+, core, no plugin)
sent as HTTP Basic auth.  The account needs the *editor* role (or *author*
when ``create_categories`` is off and every section already has a
category); a *contributor* may only submit with ``status="pending"`` and
cannot upload media.

Exactly-once
------------
Every article has an idempotency key, ``terbit-<submission_id>``.  It is
written into the post content as an HTML comment, ``<!-- terbit:KEY -->``
(invisible to readers, kept by WordPress for every role: kses preserves
comments).  Publishing then goes:

1. ``prior.remote_id`` known -> update that post in place
   (``POST /wp/v2/posts/<id>``); if WordPress no longer has it (404), fall
   through to 2.
2. No id (first publish, or a crash between the remote create and the local
   record) -> ``GET /wp/v2/posts?search=KEY&status=publish,future,draft,
   pending,private,trash&context=edit`` and keep only posts whose raw content
   holds the exact marker; update the newest one if found.  Search looks in
   the raw ``post_content``, so this works on a stock WordPress 6.1 with no
   plugin and no registered meta, for posts in every status.  (Looking up by
   slug does not: WordPress keeps no slug for pending/draft posts created
   through the REST API, renames trashed ones to ``slug__trashed`` and
   suffixes ``-2`` when a page already uses the slug.)
3. Nothing found -> create.

Media are uploaded with the slug ``<KEY>-<sha256[:16]>`` (one copy per
article, so withdrawing one article never takes another's files down) and
looked up by it (``GET /wp/v2/media?slug=...``) before uploading, so a retry
after a crash reuses them too; ``prior.remote["media"]`` maps sha256 -> media
id to skip even that lookup.  Once the post exists every media item is
attached to it (``post``); that is a plain "set" and is repeated on every
publish, so a crash between the post and the attaching heals on the retry.
Files are named after the title (``sosialisasi-kip-1.jpg``).

The body is Gutenberg block markup (paragraph, image with its id, width and
height, audio, video, file), so block and classic themes both lay it out.
With blocks in the content WordPress does not run ``wpautop``, so the marker
(a non-block comment after the last block) never becomes an empty ``<p>``.

Withdrawing turns the post into a draft (or trashes it) and then, by
``withdraw_media``, deletes its attached media for good (``delete``, the
default: the file URLs answer 404) or makes them private (``private``: gone
from the media listings and attachment pages, but a file URL someone kept
still works, since the web server serves uploads directly).  Re-publishing
uploads deleted media again, or makes private ones public again.
"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import mimetypes
import re
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Any, Literal

import httpx
import nh3

from domain.labels import human_size
from publishers.base import (
    Article,
    Asset,
    PriorPublication,
    Publisher,
    PublishError,
    PublishResult,
    unreachable_reason,
)

log = logging.getLogger(__name__)

#: Tags and attributes the post body may contain after sanitising.
ALLOWED_TAGS = {
    "p", "br", "a", "ul", "ol", "li", "h2", "h3", "strong", "em", "div",
    "figure", "figcaption", "img", "audio", "video", "source",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "class", "download"},
    "div": {"class"},
    "figcaption": {"class"},
    "img": {"src", "alt", "width", "height", "class", "loading"},
    "audio": {"src", "controls", "preload", "class"},
    "video": {"src", "controls", "preload", "class", "width", "height", "poster"},
    "source": {"src", "type"},
    "figure": {"class"},
    "ul": {"class"},
    "li": {"class"},
    "p": {"class"},
    "h2": {"class"},
}
SEARCH_STATUSES = "publish,future,draft,pending,private,trash"
#: Media statuses an editor can list (a withdrawn article's media may be private).
MEDIA_STATUSES = "inherit,private"
#: WordPress's "large" sub-size; smaller images only have the full size.
IMAGE_SIZE = "large"

Status = Literal["publish", "pending", "draft", "private"]
WithdrawMedia = Literal["delete", "private"]
WITHDRAW_MEDIA_MODES: tuple[str, ...] = ("delete", "private")


def idempotency_key(article: Article) -> str:
    return article.idempotency_key


def marker(key: str) -> str:
    return f"<!-- terbit:{key} -->"


def doc_type_label(asset: Asset) -> str:
    ext = Path(asset.filename).suffix.lstrip(".")
    if not ext:
        ext = (mimetypes.guess_extension(asset.mime) or "").lstrip(".")
    return ext.upper() or "Berkas"


def ascii_filename(name: str, mime: str | None = None) -> str:
    """A filename safe for Content-Disposition, extension matching ``mime``."""
    stem, ext = Path(name).stem, Path(name).suffix.lower()
    if mime:
        wanted = mimetypes.guess_extension(mime, strict=False)
        if wanted == ".jpe":
            wanted = ".jpg"
        known = mimetypes.guess_type("x" + ext, strict=False)[0] if ext else None
        if wanted and known != mime:
            ext = wanted
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "berkas"
    return stem[:80] + ext


def paragraphs_html(text: str) -> str:
    """Plain text -> ``<p>`` per blank-line-separated paragraph, all escaped."""
    out = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        para = para.strip()
        if para:
            lines = [html.escape(line.strip()) for line in para.split("\n")]
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "\n".join(out)


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener",
        strip_comments=True,
    )


#: Words the post itself shows (the site's readers are the office's public).
BYLINE = "Penulis: {name}"
DOCUMENTS_HEADING = "Dokumen"
DOWNLOAD = "Unduh"


def slugify(text: str, limit: int = 60) -> str:
    """ASCII, lower-case, hyphenated; cut at a word boundary; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug or "berkas"


def media_filename(article: Article, asset: Asset, mime: str, number: int) -> str:
    """``sosialisasi-kip-1.jpg``: the title, the asset's number, the extension its type has."""
    ext = Path(ascii_filename(asset.filename, mime)).suffix
    return f"{slugify(article.title)}-{number}{ext}"


def media_fields(article: Article, asset: Asset, number: int) -> dict[str, str]:
    """Title, caption and alt text of an uploaded asset: alt text only for photos
    (a screen reader says nothing useful about "the title" for a PDF link)."""
    caption = asset.caption.strip()
    numbered = f"{article.title} ({number})"
    return {
        "title": caption or (numbered if asset.kind != "document" else Path(asset.filename).stem or numbered),
        "caption": caption,
        "alt_text": (caption or numbered) if asset.kind == "photo" else "",
    }


def _block_attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Gutenberg serialises them: JSON that cannot end the comment."""
    text = json.dumps(attrs, separators=(",", ":"), ensure_ascii=False)
    for char, code in (("--", "\\u002d\\u002d"), ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return " " + text


def block(name: str, inner: str, attrs: dict[str, Any] | None = None) -> str:
    """One Gutenberg block: its sanitised HTML between its comments."""
    opts = _block_attrs(attrs) if attrs else ""
    return f"<!-- wp:{name}{opts} -->\n{sanitize(inner)}\n<!-- /wp:{name} -->"


def paragraph_blocks(text: str) -> list[str]:
    """Plain text -> a paragraph block per blank-line-separated paragraph, all escaped."""
    out = []
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [html.escape(line.strip()) for line in para.strip().split("\n")]
        if any(lines):
            out.append(block("paragraph", "<p>" + "<br>".join(lines) + "</p>"))
    return out


def _caption(text: str) -> str:
    return f'<figcaption class="wp-element-caption">{html.escape(text)}</figcaption>' if text else ""


def image_block(media: dict[str, Any], alt: str, caption: str) -> str:
    """An image block with the uploaded size's own width and height, so any theme
    reserves its box and the block CSS keeps it inside the column."""
    mid, size, w, h = media["id"], media["size"], media.get("width"), media.get("height")
    attrs: dict[str, Any] = {"id": mid}
    dims = ""
    if w and h:
        attrs.update(width=w, height=h)
        dims = f' width="{int(w)}" height="{int(h)}"'
    attrs.update(sizeSlug=size, linkDestination="none")
    resized = " is-resized" if dims else ""
    return block("image", (
        f'<figure class="wp-block-image size-{size}{resized}"><img src="{html.escape(media["src"])}" '
        f'alt="{html.escape(alt)}" class="wp-image-{int(mid)}"{dims}/>{_caption(caption)}</figure>'
    ), attrs)


def player_block(tag: Literal["audio", "video"], media: dict[str, Any], caption: str) -> str:
    """An audio or video block; nothing is fetched until the reader presses play."""
    return block(tag, (
        f'<figure class="wp-block-{tag}"><{tag} controls preload="none" '
        f'src="{html.escape(media["url"])}"></{tag}>{_caption(caption)}</figure>'
    ), {"id": media["id"], "preload": "none"})


def file_block(media: dict[str, Any], asset: Asset) -> str:
    """A file block: the document's name, type and size, and a download button."""
    url = html.escape(media["url"])
    label = html.escape(f"{asset.caption or asset.filename} ({doc_type_label(asset)}, {human_size(asset.size)})")
    return block("file", (
        f'<div class="wp-block-file"><a href="{url}">{label}</a>'
        f'<a href="{url}" class="wp-block-file__button" download>{DOWNLOAD}</a></div>'
    ), {"id": media["id"], "href": media["url"]})


def media_view(media: dict[str, Any]) -> dict[str, Any]:
    """What the publisher keeps of a media item: id, file URL, parent post and,
    for images, the URL and size of the rendition the body shows."""
    details = media.get("media_details") or {}
    sizes = details.get("sizes") or {}
    size = IMAGE_SIZE if IMAGE_SIZE in sizes else "full"
    chosen = sizes.get(size) or {}
    return {
        "id": int(media["id"]),
        "url": media.get("source_url"),
        "post": int(media.get("post") or 0),
        "status": media.get("status"),
        "size": size,
        "src": chosen.get("source_url") or media.get("source_url"),
        "width": chosen.get("width") or details.get("width"),
        "height": chosen.get("height") or details.get("height"),
    }


class WordPressPublisher(Publisher):
    name = "wordpress"
    label = "WordPress"
    stage = 0

    def __init__(
        self,
        base_url: str,
        username: str,
        app_password: str,
        *,
        status: Status = "publish",
        create_categories: bool = False,
        create_tags: bool = True,
        category_map: dict[str, str | int] | None = None,
        withdraw_mode: Literal["draft", "trash"] = "draft",
        withdraw_media: WithdrawMedia = "delete",
        api_root: str | None = None,
        timeout: float = 30.0,
        upload_timeout: float = 300.0,
        upload_concurrency: int = 4,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """
        ``base_url``: the site, e.g. ``https://dinas.example.go.id``.
        ``api_root``: REST root; default ``<base_url>/wp-json``.  For a site
        without pretty permalinks use ``<base_url>/?rest_route=``.
        ``category_map``: section -> category name or id (default: the
        section's own name).
        ``withdraw_media``: what withdrawing does to the post's media, ``delete``
        (the files are gone; re-publishing uploads them again) or ``private``.
        """
        if status not in ("publish", "pending", "draft", "private"):
            raise ValueError(f"unknown status {status!r}")
        if withdraw_mode not in ("draft", "trash"):
            raise ValueError(f"unknown withdraw_mode {withdraw_mode!r}")
        if withdraw_media not in WITHDRAW_MEDIA_MODES:
            raise ValueError(f"unknown withdraw_media {withdraw_media!r}")
        self.base_url = base_url.rstrip("/")
        self.api_root = (api_root or f"{self.base_url}/wp-json").rstrip("/")
        self.status = status
        self.create_categories = create_categories
        self.create_tags = create_tags
        self.category_map = dict(category_map or {})
        self.withdraw_mode = withdraw_mode
        self.withdraw_media = withdraw_media
        self.timeout = httpx.Timeout(timeout, connect=min(10.0, timeout))
        self.upload_timeout = httpx.Timeout(upload_timeout, connect=min(10.0, timeout))
        self.upload_concurrency = max(1, upload_concurrency)
        self._auth = httpx.BasicAuth(username, app_password)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def __repr__(self) -> str:  # never show the password
        return f"WordPressPublisher({self.base_url!r}, status={self.status!r})"

    # -- HTTP ----------------------------------------------------------
    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                auth=self._auth,
                timeout=self.timeout,
                transport=self._transport,
                headers={"User-Agent": "Terbit/0.1 (+wordpress publisher)", "Accept": "application/json"},
                follow_redirects=False,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _target(self, route: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None]:
        """URL and query for a route, for both "<site>/wp-json" and
        "<site>/?rest_route=" roots (httpx replaces, not merges, a query)."""
        if "rest_route=" in self.api_root:
            base, _, query = self.api_root.partition("?")
            merged = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            merged["rest_route"] = merged.get("rest_route", "") + route
            merged.update(params or {})
            return base, merged
        return f"{self.api_root}{route}", params

    async def _call(
        self,
        method: str,
        route: str,
        *,
        action: str,
        ok_missing: bool = False,
        **kwargs: Any,
    ) -> Any:
        """One REST call; maps every failure to :class:`PublishError`.

        With ``ok_missing``, 404/410 return ``None`` instead of raising.
        """
        try:
            url, params = self._target(route, kwargs.pop("params", None))
            resp = await self.client.request(method, url, params=params, **kwargs)
        except httpx.TimeoutException as e:
            raise PublishError(
                f"WordPress tidak menjawab tepat waktu saat {action}; akan dicoba lagi.", retryable=True
            ) from e
        except httpx.TransportError as e:
            raise PublishError(
                f"WordPress tidak dapat dihubungi saat {action}: {unreachable_reason(e)}; akan dicoba lagi.",
                retryable=True,
            ) from e
        code = resp.status_code
        if ok_missing and code in (404, 410):
            return None
        if 200 <= code < 300:
            try:
                return resp.json()
            except ValueError as e:
                raise PublishError(
                    f"Jawaban WordPress saat {action} bukan JSON (HTTP {code}); periksa alamat REST API "
                    f"({self.api_root}).",
                    retryable=False,
                ) from e
        wp_code = ""
        try:
            body = resp.json()
            if isinstance(body, dict):
                wp_code = str(body.get("code") or "")[:60]
        except ValueError:
            pass
        detail = f": {wp_code}" if wp_code else ""
        log.warning("wordpress: %s %s -> HTTP %s %s", method, route.split("?")[0], code, wp_code)
        if code == 401:
            raise PublishError(
                "Kata sandi aplikasi WordPress ditolak (401). Periksa nama pengguna dan "
                "Application Password di pengaturan Terbit.",
                retryable=False,
            )
        if code == 403:
            raise PublishError(
                f"Akun WordPress tidak berhak menerbitkan (403{detail}) saat {action}. "
                "Minta admin WordPress memberi peran Editor.",
                retryable=False,
            )
        if code == 429:
            raise PublishError("WordPress membatasi jumlah permintaan (429); akan dicoba lagi.", retryable=True)
        if code in (408, 425) or code >= 500:
            raise PublishError(
                f"WordPress sedang bermasalah (HTTP {code}) saat {action}; akan dicoba lagi.", retryable=True
            )
        if code == 413:
            raise PublishError(
                f"Berkas terlalu besar untuk WordPress (413) saat {action}; naikkan batas unggah di server.",
                retryable=False,
            )
        if code == 404:
            raise PublishError(
                f"Alamat WordPress tidak ditemukan (404{detail}) saat {action}; periksa alamat situs "
                f"({self.base_url}).",
                retryable=False,
            )
        raise PublishError(f"WordPress menolak permintaan (HTTP {code}{detail}) saat {action}.", retryable=False)

    # -- steps ---------------------------------------------------------
    async def _me(self) -> dict[str, Any]:
        """Check the credentials first: WordPress answers a wrong password on
        most routes as if the request were anonymous (e.g. 400 for
        ``status=any``), /users/me says 401 clearly."""
        me: dict[str, Any] = await self._call("GET", "/wp/v2/users/me", action="memeriksa akun",
                                              params={"context": "edit"})
        return me

    async def _find_post(self, key: str) -> dict[str, Any] | None:
        found: list[dict[str, Any]] | None = await self._call(
            "GET",
            "/wp/v2/posts",
            action="mencari tulisan yang sudah ada",
            params={"search": key, "status": SEARCH_STATUSES, "context": "edit", "per_page": 100,
                    "orderby": "id", "order": "desc"},
        )
        mark = marker(key)
        for post in found or []:
            if mark in ((post.get("content") or {}).get("raw") or ""):
                return post
        return None

    async def _term_id(self, taxonomy: str, name: str | int, create: bool) -> int | None:
        if isinstance(name, int):
            return name
        wanted = name.strip()
        if not wanted:
            return None
        found = await self._call(
            "GET", f"/wp/v2/{taxonomy}", action=f"mencari {taxonomy}", params={"search": wanted, "per_page": 100}
        )
        for term in found or []:
            if html.unescape(term.get("name", "")).strip().casefold() == wanted.casefold():
                return int(term["id"])
        if not create:
            return None
        try:
            term = await self._call("POST", f"/wp/v2/{taxonomy}", action=f"membuat {taxonomy}", json={"name": wanted})
            return int(term["id"])
        except PublishError:
            # A concurrent create: WordPress says 400 term_exists; look again.
            found = await self._call(
                "GET", f"/wp/v2/{taxonomy}", action=f"mencari {taxonomy}", params={"search": wanted, "per_page": 100}
            )
            for term in found or []:
                if html.unescape(term.get("name", "")).strip().casefold() == wanted.casefold():
                    return int(term["id"])
            raise

    async def _media(self, article: Article, asset: Asset, number: int, known: dict[str, Any],
                     post_id: int | None) -> dict[str, Any]:
        """Upload one asset (or find it uploaded before), labelled and, when the
        post exists already, attached to it; returns :func:`media_view`."""
        path = asset.web if asset.web is not None else asset.original
        mime = (asset.web_mime if asset.web is not None else None) or asset.mime
        slug = f"{idempotency_key(article)}-{asset.sha256[:16]}"
        wanted: dict[str, Any] = media_fields(article, asset, number)
        if post_id is not None:
            wanted["post"] = post_id

        media = None
        prev = known.get(asset.sha256)
        if prev and prev.get("id"):
            media = await self._call(
                "GET", f"/wp/v2/media/{int(prev['id'])}", action="memeriksa media", ok_missing=True,
                params={"context": "edit"},
            )
        if media is None:
            found = await self._call(
                "GET", "/wp/v2/media", action="mencari media",
                params={"slug": slug, "status": MEDIA_STATUSES, "context": "edit"},
            )
            media = found[0] if found else None
        if media is not None:
            have = {
                "alt_text": media.get("alt_text") or "",
                "caption": ((media.get("caption") or {}).get("raw") or ""),
                "title": ((media.get("title") or {}).get("raw") or ""),
                "post": int(media.get("post") or 0),
            }
            change = {k: v for k, v in wanted.items() if have.get(k) != v}
            if media.get("status") == "private":  # withdrawn with withdraw_media="private"
                change["status"] = "publish"  # WordPress stores an attachment's "publish" as "inherit"
            if change:
                media = await self._call(
                    "POST", f"/wp/v2/media/{media['id']}", action="memperbarui keterangan media", json=change
                )
            return media_view(media)

        data = await asyncio.to_thread(Path(path).read_bytes)
        filename = media_filename(article, asset, mime, number)
        # Metadata as query parameters: WordPress applies them in the same
        # request, so a crash cannot leave an unlabelled, unfindable upload.
        media = await self._call(
            "POST",
            "/wp/v2/media",
            action=f"mengunggah {asset.filename}",
            params={"slug": slug, **wanted},
            content=data,
            headers={"Content-Type": mime, "Content-Disposition": f'attachment; filename="{filename}"'},
            timeout=self.upload_timeout,
        )
        log.info("wordpress: uploaded media %s (%s, %d bytes)", media.get("id"), asset.kind, len(data))
        return media_view(media)

    def _content(self, article: Article, uploaded: dict[str, dict[str, Any]], key: str) -> str:
        """The post body in block markup; the first photo is the featured image."""
        numbers = self._numbers(article)
        parts = paragraph_blocks(article.body)
        for asset in article.photos[1:]:
            caption = asset.caption.strip()
            alt = caption or f"{article.title} ({numbers[asset.sha256]})"
            parts.append(image_block(uploaded[asset.sha256], alt, caption))
        for asset in article.assets:
            if asset.kind in ("audio", "voice", "video"):
                tag: Literal["audio", "video"] = "video" if asset.kind == "video" else "audio"
                parts.append(player_block(tag, uploaded[asset.sha256], asset.caption.strip()))
        docs = [a for a in article.assets if a.kind == "document"]
        if docs:
            parts.append(block("heading", f"<h2>{DOCUMENTS_HEADING}</h2>"))
            parts.extend(file_block(uploaded[a.sha256], a) for a in docs)
        byline = html.escape(BYLINE.format(name=article.author.name))
        parts.append(block("paragraph", f'<p class="terbit-penulis">{byline}</p>', {"className": "terbit-penulis"}))
        # The marker is a comment outside every block: WordPress keeps it in the
        # raw content (for _find_post) and, the content having blocks, does not
        # run wpautop on it, so it never becomes an empty <p>.
        return "\n\n".join(parts) + "\n\n" + marker(key)

    @staticmethod
    def _numbers(article: Article) -> dict[str, int]:
        """Each distinct file's number in the article (1, 2, ...), for its file name and label."""
        numbers: dict[str, int] = {}
        for asset in article.assets:
            numbers.setdefault(asset.sha256, len(numbers) + 1)
        return numbers

    async def _upload_all(self, article: Article, known: dict[str, Any],
                          post_id: int | None) -> dict[str, dict[str, Any]]:
        """Uploads run a few at a time: WordPress spends most of each one making
        sub-sizes, and several PHP workers do that in parallel (measured: 28 %
        faster approval -> live for 5 photos + 1 PDF, bench/publish_bench.py).
        Every upload finishes before the first error is raised, so a retry finds
        what was uploaded by its slug instead of uploading twice."""
        unique = list({a.sha256: a for a in article.assets}.values())
        numbers = self._numbers(article)
        gate = asyncio.Semaphore(self.upload_concurrency)

        async def one(asset: Asset) -> dict[str, Any]:
            async with gate:
                return await self._media(article, asset, numbers[asset.sha256], known, post_id)

        results = await asyncio.gather(*(one(a) for a in unique), return_exceptions=True)
        uploaded: dict[str, dict[str, Any]] = {}
        for a, r in zip(unique, results, strict=True):
            if isinstance(r, BaseException):
                raise r
            uploaded[a.sha256] = r
        return uploaded

    async def _attach(self, uploaded: dict[str, dict[str, Any]], post_id: int) -> None:
        """Attach every media item to the post (a plain "set": repeating it is harmless)."""
        gate = asyncio.Semaphore(self.upload_concurrency)

        async def one(m: dict[str, Any]) -> None:
            async with gate:
                await self._call("POST", f"/wp/v2/media/{m['id']}", action="melampirkan media ke tulisan",
                                 json={"post": post_id})
            m["post"] = post_id

        await asyncio.gather(*(one(m) for m in uploaded.values() if m["post"] != post_id))

    # -- Publisher -----------------------------------------------------
    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        key = idempotency_key(article)
        me = await self._me()
        caps = me.get("capabilities") or {}
        if self.status in ("publish", "private") and caps and not caps.get("publish_posts"):
            raise PublishError(
                "Akun WordPress tidak berhak menerbitkan (403): perannya hanya boleh mengirim untuk ditinjau. "
                "Beri peran Editor, atau atur status 'pending'.",
                retryable=False,
            )
        if article.assets and caps and not caps.get("upload_files"):
            raise PublishError(
                "Akun WordPress tidak berhak mengunggah berkas (403). Beri peran Author atau Editor.",
                retryable=False,
            )

        post_id: int | None = None
        if prior is not None and prior.remote_id:
            post_id = int(prior.remote_id)
        else:
            existing = await self._find_post(key)
            if existing is not None:
                post_id = int(existing["id"])
                log.info("wordpress: %s already exists as post %s; updating it", key, post_id)

        known = dict((prior.remote.get("media") if prior else None) or {})
        uploaded = await self._upload_all(article, known, post_id)

        section = self.category_map.get(article.section, article.section)
        cat_id = await self._term_id("categories", section, self.create_categories)
        if cat_id is None:
            raise PublishError(
                f"Kategori WordPress untuk rubrik '{article.section}' belum ada. Buat kategorinya di WordPress "
                "atau aktifkan pembuatan kategori otomatis.",
                retryable=False,
            )
        tag_id = await self._term_id("tags", article.kind_label, self.create_tags)

        photos = article.photos
        payload: dict[str, Any] = {
            "title": html.escape(article.title, quote=False),
            "content": self._content(article, uploaded, key),
            "status": self.status,
            "slug": article.slug,
            "categories": [cat_id],
            "tags": [tag_id] if tag_id else [],
            "featured_media": uploaded[photos[0].sha256]["id"] if photos else 0,
            "comment_status": "closed",
            "ping_status": "closed",
        }

        post = None
        if post_id is not None:
            post = await self._call(
                "POST", f"/wp/v2/posts/{post_id}", action="memperbarui tulisan", ok_missing=True, json=payload
            )
            if post is None:  # deleted on the WordPress side meanwhile
                log.info("wordpress: post %s is gone; looking again", post_id)
                existing = await self._find_post(key)
                if existing is not None:
                    post = await self._call(
                        "POST", f"/wp/v2/posts/{existing['id']}", action="memperbarui tulisan", json=payload
                    )
        if post is None:
            post = await self._call("POST", "/wp/v2/posts", action="membuat tulisan", json=payload)
            log.info("wordpress: created post %s for %s", post.get("id"), key)
        await self._attach(uploaded, int(post["id"]))

        media = {sha: {"id": m["id"], "url": m["url"]} for sha, m in uploaded.items()}
        return PublishResult(
            url=post.get("link"),
            remote_id=str(post["id"]),
            remote={
                "media": media,
                "idempotency_key": key,
                "status": post.get("status"),
                "featured_media": payload["featured_media"] or None,
                "category": cat_id,
                "tag": tag_id,
            },
        )

    async def withdraw(self, article: Article, prior: PriorPublication) -> None:
        post_id = prior.remote_id if prior is not None else None
        if not post_id:
            existing = await self._find_post(idempotency_key(article))
            if existing is None:
                return
            post_id = existing["id"]
        if self.withdraw_mode == "trash":
            await self._call("DELETE", f"/wp/v2/posts/{int(post_id)}", action="menarik tulisan", ok_missing=True)
        else:
            await self._call(
                "POST", f"/wp/v2/posts/{int(post_id)}", action="menarik tulisan", ok_missing=True,
                json={"status": "draft"},
            )
        await self._withdraw_media(int(post_id), prior)
        log.info("wordpress: withdrew post %s (%s, media %s)", post_id, self.withdraw_mode, self.withdraw_media)

    async def _withdraw_media(self, post_id: int, prior: PriorPublication | None) -> None:
        """After the post: its files stop being public (a draft post hides its
        attached media from listings, but the web server still serves the files)."""
        attached: list[dict[str, Any]] = list(await self._call(
            "GET", "/wp/v2/media", action="mencari media tulisan",
            params={"parent": post_id, "status": MEDIA_STATUSES, "context": "edit", "per_page": 100},
        ) or [])
        # Published before media were attached (post 0): the record still names them.
        seen = {int(m["id"]) for m in attached}
        for ref in ((prior.remote.get("media") if prior else None) or {}).values():
            if ref.get("id") and int(ref["id"]) not in seen:
                media = await self._call("GET", f"/wp/v2/media/{int(ref['id'])}", action="memeriksa media",
                                         ok_missing=True, params={"context": "edit"})
                if media is not None and int(media.get("post") or 0) in (0, post_id):
                    attached.append(media)
        gate = asyncio.Semaphore(self.upload_concurrency)

        async def one(media: dict[str, Any]) -> None:
            async with gate:
                if self.withdraw_media == "delete":
                    # Media have no trash unless MEDIA_TRASH is defined: force is required.
                    await self._call("DELETE", f"/wp/v2/media/{int(media['id'])}", action="menghapus media",
                                     ok_missing=True, params={"force": "true"})
                elif media.get("status") != "private":
                    await self._call("POST", f"/wp/v2/media/{int(media['id'])}", action="menyembunyikan media",
                                     ok_missing=True, json={"status": "private"})

        await asyncio.gather(*(one(m) for m in attached))
