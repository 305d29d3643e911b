"""Rendering of an approved :class:`~publishers.base.Article` to HTML and Markdown.

Shared by the static site and the archive so both show the article the same
way.  Everything here is pure: no file or network access.  Callers pass a
``media_url(asset, variant)`` callback that says where each file lives for
them (relative URL, already percent-encoded) or ``None`` when that variant is
not available; and optionally ``image_size(asset, variant)`` for the
``width``/``height`` attributes.

Variants asked of ``media_url``:

``"web"``       the image shown inline (photos)
``"thumb"``     gallery thumbnail (photos; falls back to ``"web"``)
``"large"``     what a click on a photo opens (falls back to ``"web"``)
``"poster"``    poster image of a video (optional)
``"play"``      the file an ``<audio>``/``<video>`` player plays
``"download"``  the file a document link points at

All user text (titles, body, captions, names, file names) is HTML-escaped.
The body is plain text: blank lines separate paragraphs, single newlines
become ``<br>``; ``http(s)`` URLs are linked and the result is sanitised
with nh3 as a second line of defence.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import nh3
from babel.dates import format_date as babel_date

from domain.labels import human_size as human_size  # one size format for chat, site and CMS
from publishers.base import Article, Asset

#: The office's zone when none is given (TIMEZONE's default).
DEFAULT_TZ = "Asia/Jakarta"

MediaUrl = Callable[[Asset, str], "str | None"]
ImageSize = Callable[[Asset, str], "tuple[int, int] | None"]

PLAYABLE_KINDS = ("audio", "voice", "video")

# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------

# C0/C1 controls except tab and newline, plus bidi overrides/isolates that
# can disguise text ("gpj.exe"), plus U+FEFF.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def clean_text(text: str | None) -> str:
    """NFC-normalise and drop control / bidi-override characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _BAD_CHARS.sub("", text)


def one_line(text: str | None) -> str:
    """Clean text collapsed to one line (titles, names, captions in attributes)."""
    return " ".join(clean_text(text).split())


def esc(text: str | None) -> str:
    """HTML-escape text for element content and quoted attribute values."""
    return html.escape(clean_text(text), quote=True)


def paragraphs(body: str | None) -> list[str]:
    """Split a plain-text body into paragraphs.

    Paragraphs are separated by one or more blank (or whitespace-only) lines;
    each returned paragraph keeps its single line breaks as ``"\\n"`` with
    every line stripped.  Empty paragraphs are dropped.
    """
    text = clean_text(body)
    out: list[str] = []
    for block in re.split(r"\n[^\S\n]*(?:\n[^\S\n]*)+", text):
        lines = [line.strip() for line in block.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para:
            out.append(para)
    return out


def excerpt(body: str | None, limit: int = 200) -> str:
    """A one-line summary: the first paragraph cut at a word boundary."""
    paras = paragraphs(body)
    if not paras:
        return ""
    text = " ".join(paras[0].split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


# --------------------------------------------------------------------------
# Dates and sizes, Indonesian style
# --------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _zone_named(name: str) -> tzinfo:
    return ZoneInfo(name)


def zone(tz: str | tzinfo | None = None) -> tzinfo:
    """The office's zone: an IANA name (TIMEZONE), a tzinfo, or None for Asia/Jakarta."""
    if tz is None:
        return _zone_named(DEFAULT_TZ)
    return _zone_named(tz) if isinstance(tz, str) else tz


def to_local(dt: datetime, tz: str | tzinfo | None = None) -> datetime:
    """Convert to the office's zone; a naive datetime is taken to be UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(zone(tz))


def iso(dt: datetime, tz: str | tzinfo | None = None) -> str:
    """ISO 8601 in the office's zone, whole seconds, with its offset (valid in ``datetime=``)."""
    return to_local(dt, tz).replace(microsecond=0).isoformat()


def parse_iso(text: str | None) -> datetime | None:
    """A stored ISO time back as an aware datetime (naive = UTC); None when unreadable."""
    try:
        dt = datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def zone_abbr(d: datetime) -> str:
    """WIB / WITA / WIT for Indonesia's zones; else the zone's own abbreviation or offset."""
    name = d.tzname() or ""
    if re.fullmatch(r"[A-Za-z]{2,6}", name):
        return name
    return "UTC" + d.strftime("%z")[:3] + (":" + d.strftime("%z")[3:] if d.strftime("%z")[3:] != "00" else "")


def format_date_id(dt: datetime, *, time: bool = False, weekday: bool = False,
                   tz: str | tzinfo | None = None) -> str:
    """``24 November 2026``; ``weekday=True`` adds ``Selasa, ``; ``time=True`` adds
    `` pukul 10.05 WIB``.  The date and time are the office's (``tz``, the
    TIMEZONE setting), month and day names from Babel's Indonesian locale;
    naive datetimes are taken as UTC.  The one date formatter of the publishers.
    """
    d = to_local(dt, tz)
    text = babel_date(d, "EEEE, d MMMM y" if weekday else "d MMMM y", locale="id")
    if time:
        text += f" pukul {d.hour:02d}.{d.minute:02d} {zone_abbr(d)}"
    return text


def format_duration(seconds: float | int | None) -> str:
    if not seconds or seconds < 0:
        return ""
    total = round(float(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


_TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/zip": "ZIP",
    "text/plain": "Teks",
    "text/csv": "CSV",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "audio/ogg": "OGG",
    "audio/mpeg": "MP3",
    "video/mp4": "MP4",
}


def type_label(mime: str | None, filename: str | None = None) -> str:
    """Short reader-facing file type, e.g. ``PDF`` or ``DOCX``."""
    label = _TYPE_LABELS.get((mime or "").split(";")[0].strip().lower())
    if label:
        return label
    name = clean_text(filename)
    if "." in name:
        ext = name.rsplit(".", 1)[1]
        if re.fullmatch(r"[A-Za-z0-9]{1,6}", ext):
            return ext.upper()
    return "Berkas"


def describe_file(asset: Asset) -> str:
    """``PDF, 3 halaman, 1,2 MB`` — type, pages or duration, size."""
    parts = [type_label(asset.mime, asset.filename)]
    pages = asset.meta.get("pages") if isinstance(asset.meta, dict) else None
    slides = asset.meta.get("slides") if isinstance(asset.meta, dict) else None
    if isinstance(pages, int) and not isinstance(pages, bool) and pages > 0:
        parts.append(f"{pages} halaman")
    elif isinstance(slides, int) and not isinstance(slides, bool) and slides > 0:
        parts.append(f"{slides} slide")
    duration = format_duration(asset.meta.get("duration")) if isinstance(asset.meta, dict) else ""
    if duration:
        parts.append(duration)
    parts.append(human_size(asset.size))
    return ", ".join(parts)


def display_name(asset: Asset) -> str:
    return one_line(asset.filename) or f"berkas-{asset.id}"


_KIND_NOUNS = {"voice": "Rekaman suara", "audio": "Rekaman suara", "video": "Video"}


def attachment_labels(assets: tuple[Asset, ...] | list[Asset]) -> dict[int, str]:
    """Asset id -> what readers see for a non-photo attachment.

    The writer's caption, else "Rekaman suara 1", "Video 1" or "Dokumen 1",
    numbered per noun in order.  Never the stored file name: a voice note's is
    a made-up "berkas.ogg" and a document's may be a scanner's "IMG_0001.pdf".
    """
    counts: dict[str, int] = {}
    out: dict[int, str] = {}
    for asset in assets:
        if asset.kind == "photo":
            continue
        noun = _KIND_NOUNS.get(asset.kind, "Dokumen")
        counts[noun] = counts.get(noun, 0) + 1
        out[asset.id] = one_line(asset.caption) or f"{noun} {counts[noun]}"
    return out


def is_update(published_at: datetime, approved_at: datetime) -> bool:
    """Whether ``approved_at`` is a later revision than the first publication (to the second)."""
    def whole(dt: datetime) -> datetime:
        return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).replace(microsecond=0)
    return whole(published_at) != whole(approved_at)


# --------------------------------------------------------------------------
# Body HTML
# --------------------------------------------------------------------------

_URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"»)]}"


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _linkify_line(line: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _URL_RE.finditer(line):
        url = _trim_url(m.group(0))
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            continue
        out.append(html.escape(line[pos:m.start()], quote=True))
        out.append(
            f'<a href="{html.escape(url, quote=True)}">{html.escape(url, quote=True)}</a>'
        )
        pos = m.start() + len(url)
    out.append(html.escape(line[pos:], quote=True))
    return "".join(out)


def body_html(body: str | None, *, linkify: bool = True) -> str:
    """The body as ``<p>`` paragraphs with ``<br>`` line breaks, sanitised."""
    paras = []
    for para in paragraphs(body):
        lines = [
            _linkify_line(line) if linkify else html.escape(line, quote=True)
            for line in para.split("\n")
        ]
        paras.append("<p>" + "<br>\n".join(lines) + "</p>")
    raw = "\n".join(paras)
    return nh3.clean(
        raw,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


# --------------------------------------------------------------------------
# Article fragment
# --------------------------------------------------------------------------

def _attr(url: str) -> str:
    return html.escape(url, quote=True)


def _img(asset: Asset, src: str, alt: str, size: tuple[int, int] | None, cls: str = "") -> str:
    dims = f' width="{int(size[0])}" height="{int(size[1])}"' if size else ""
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<img src="{_attr(src)}"{dims} alt="{esc(alt)}"{klass} '
        f'loading="lazy" decoding="async">'
    )


def _photo_alt(asset: Asset, n: int, article: Article) -> str:
    return one_line(asset.caption) or f"Foto {n}: {one_line(article.title)}"


def kip_line(article: Article) -> str:
    """The public-information class and the unit responsible for it (UU 14/2008), as readers see it."""
    line = f"Kelas informasi: {article.kip_label}"
    return f"{line} · Unit penanggung jawab: {one_line(article.section)}" if one_line(article.section) else line


def article_html(
    article: Article,
    media_url: MediaUrl,
    *,
    image_size: ImageSize | None = None,
    published_at: datetime | None = None,
    heading_level: int = 1,
    linkify: bool = True,
    tz: str | tzinfo | None = None,
) -> str:
    """The article as an ``<article>`` HTML fragment.

    ``published_at`` is the first publication time; when it differs from the
    revision's ``approved_at`` the latter is shown as "Diperbarui".  Times are
    shown in ``tz``, the office's zone.
    """
    size_of = image_size or (lambda _a, _v: None)
    h = max(1, min(5, heading_level))
    first = published_at or article.approved_at
    out: list[str] = ['<article class="artikel">', "<header>"]
    out.append(
        f'<p class="rubrik"><span class="jenis">{esc(one_line(article.kind_label))}</span>'
        + (f' · <span class="bagian">{esc(one_line(article.section))}</span>' if one_line(article.section) else "")
        + "</p>"
    )
    out.append(f"<h{h}>{esc(one_line(article.title))}</h{h}>")
    if article.kip_label:
        out.append(f'<p class="kip">{esc(kip_line(article))}</p>')
    meta = [
        f'<time datetime="{iso(first, tz)}">{format_date_id(first, time=True, weekday=True, tz=tz)}</time>'
    ]
    if one_line(article.author.name):
        meta.append(f'<span class="penulis">Oleh {esc(one_line(article.author.name))}</span>')
    if published_at is not None and is_update(published_at, article.approved_at):
        meta.append(
            f'<span class="diperbarui">Diperbarui <time datetime="{iso(article.approved_at, tz)}">'
            f"{format_date_id(article.approved_at, time=True, tz=tz)}</time></span>"
        )
    out.append('<p class="meta">' + " · ".join(meta) + "</p>")
    out.append("</header>")

    photos = [a for a in article.photos if media_url(a, "web")]
    if photos:
        lead = photos[0]
        web = media_url(lead, "web") or ""
        large = media_url(lead, "large") or web
        out.append('<figure class="foto-utama">')
        img = _img(lead, web, _photo_alt(lead, 1, article), size_of(lead, "web"))
        out.append(f'<a href="{_attr(large)}">{img}</a>')
        if one_line(lead.caption):
            out.append(f"<figcaption>{esc(one_line(lead.caption))}</figcaption>")
        out.append("</figure>")

    body = body_html(article.body, linkify=linkify)
    if body:
        out.append(f'<div class="isi">\n{body}\n</div>')

    if len(photos) > 1:
        out.append(f'<section class="galeri"><h{h + 1}>Galeri foto</h{h + 1}>')
        out.append("<ul>")
        for n, photo in enumerate(photos[1:], start=2):
            thumb = media_url(photo, "thumb")
            variant = "thumb" if thumb else "web"
            src = thumb or media_url(photo, "web") or ""
            large = media_url(photo, "large") or media_url(photo, "web") or src
            cap = one_line(photo.caption)
            out.append(
                f'<li><figure><a href="{_attr(large)}">'
                f"{_img(photo, src, _photo_alt(photo, n, article), size_of(photo, variant))}</a>"
                + (f"<figcaption>{esc(cap)}</figcaption>" if cap else "")
                + "</figure></li>"
            )
        out.append("</ul></section>")

    labels = attachment_labels(article.assets)
    players = [a for a in article.assets if a.kind in PLAYABLE_KINDS and media_url(a, "play")]
    if players:
        out.append(f'<section class="media"><h{h + 1}>Audio dan video</h{h + 1}>')
        for asset in players:
            src = media_url(asset, "play") or ""
            mime = (asset.web_mime if asset.web else asset.mime) or ""
            tag = "video" if asset.kind == "video" else "audio"
            poster = media_url(asset, "poster") if tag == "video" else None
            poster_attr = f' poster="{_attr(poster)}"' if poster else ""
            size_attr = ""
            if tag == "video":
                dims = size_of(asset, "play")
                if dims:
                    size_attr = f' width="{int(dims[0])}" height="{int(dims[1])}"'
            label = labels[asset.id]
            type_attr = f' type="{_attr(mime)}"' if mime else ""
            out.append(
                f'<figure class="{tag}"><{tag} controls preload="metadata"{poster_attr}{size_attr}>'
                f'<source src="{_attr(src)}"{type_attr}>'
                f'<a href="{_attr(src)}">Unduh {esc(label)}</a></{tag}>'
                f"<figcaption>{esc(label)} <span class=\"ket\">({esc(describe_file(asset))})</span></figcaption>"
                "</figure>"
            )
        out.append("</section>")

    docs = [
        a for a in article.assets
        if a.kind not in PLAYABLE_KINDS and a.kind != "photo" and media_url(a, "download")
    ]
    if docs:
        out.append(f'<section class="lampiran"><h{h + 1}>Dokumen</h{h + 1}>')
        out.append("<ul>")
        for doc in docs:
            href = media_url(doc, "download") or ""
            mime = (doc.mime or "").split(";")[0].strip()
            type_attr = f' type="{_attr(mime)}"' if mime else ""
            out.append(
                f'<li><a href="{_attr(href)}"{type_attr}>{esc(labels[doc.id])}</a> '
                f'<span class="ket">({esc(describe_file(doc))})</span></li>'
            )
        out.append("</ul></section>")

    out.append("</article>")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Whole pages
# --------------------------------------------------------------------------

SITE_CSS = """\
:root{--teks:#1d232b;--redup:#5b6572;--garis:#dde2e8;--aksen:#0b5cad;--latar:#fbfbfc}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;\
color:var(--teks);background:var(--latar)}
a{color:var(--aksen)}
.situs{background:#fff;border-bottom:1px solid var(--garis)}
.situs a{display:block;max-width:46rem;margin:0 auto;padding:.8rem 1rem;font-weight:700;font-size:1.15rem;\
text-decoration:none;color:var(--teks)}
main{max-width:46rem;margin:0 auto;padding:1rem}
footer{max-width:46rem;margin:2rem auto;padding:1rem;color:var(--redup);font-size:.85rem;\
border-top:1px solid var(--garis)}
h1{font-size:1.75rem;line-height:1.25;margin:.3rem 0 .5rem}
h2{font-size:1.25rem;line-height:1.3}
.rubrik{margin:0;text-transform:uppercase;letter-spacing:.04em;font-size:.8rem;color:var(--redup)}
.jenis{color:var(--aksen);font-weight:700}
.meta{margin:0 0 1rem;color:var(--redup);font-size:.9rem}
.isi p{margin:0 0 1em;overflow-wrap:anywhere}
figure{margin:0 0 1.2rem}
img,video{max-width:100%;height:auto;display:block;border-radius:4px;background:#eef1f4}
audio{width:100%}
figcaption{font-size:.9rem;color:var(--redup);margin-top:.35rem}
.galeri ul{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem}
.galeri figure{margin:0}
.lampiran ul{padding-left:1.2rem}
.lampiran li{margin:.4rem 0;overflow-wrap:anywhere}
.ket,.keterangan{color:var(--redup);font-size:.9rem}
.daftar{list-style:none;padding:0;margin:0}
.entri{display:flex;gap:1rem;padding:1rem 0;border-bottom:1px solid var(--garis)}
.entri img{width:7.5rem;height:5.5rem;object-fit:cover;flex:none}
.entri h2{margin:0 0 .2rem;font-size:1.15rem}
.entri h2 a{text-decoration:none;color:var(--teks)}
.entri p{margin:.2rem 0}
.ditarik{padding:1rem;border:2px solid #b3261e;color:#b3261e;font-weight:700}
@media (max-width:30rem){body{font-size:16px}.entri{flex-direction:column}.entri img{width:100%;height:auto}}
@media print{.situs,footer{display:none}body{background:#fff}}
"""

# No script ever belongs on these pages: forbid it even if escaping failed.
_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"


def html_page(
    *,
    title: str,
    content: str,
    site_title: str,
    home_href: str,
    css_href: str | None = None,
    inline_css: str | None = None,
    description: str = "",
    canonical_url: str | None = None,
    og_type: str = "website",
    og_image: str | None = None,
    og_image_size: tuple[int, int] | None = None,
    footer: str = "",
    og_title: str | None = None,
) -> str:
    """A complete HTML5 document (``lang="id"``) around ``content``.

    ``title``, ``site_title``, ``description`` and ``footer`` are plain text;
    ``content`` is trusted HTML produced by this module.  Open Graph URLs
    should be absolute; they are emitted only when given.
    """
    head = [
        "<!doctype html>",
        '<html lang="id">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{esc(one_line(title))}</title>",
    ]
    if description:
        head.append(f'<meta name="description" content="{esc(one_line(description))}">')
    head.append('<meta name="generator" content="Terbit">')
    head.append(f'<meta property="og:title" content="{esc(one_line(og_title or title))}">')
    if description:
        head.append(f'<meta property="og:description" content="{esc(one_line(description))}">')
    head.append(f'<meta property="og:type" content="{esc(og_type)}">')
    head.append(f'<meta property="og:site_name" content="{esc(one_line(site_title))}">')
    head.append('<meta property="og:locale" content="id_ID">')
    if canonical_url:
        head.append(f'<meta property="og:url" content="{_attr(canonical_url)}">')
        head.append(f'<link rel="canonical" href="{_attr(canonical_url)}">')
    if og_image:
        head.append(f'<meta property="og:image" content="{_attr(og_image)}">')
        if og_image_size:
            head.append(f'<meta property="og:image:width" content="{int(og_image_size[0])}">')
            head.append(f'<meta property="og:image:height" content="{int(og_image_size[1])}">')
    if css_href:
        head.append(f'<link rel="stylesheet" href="{_attr(css_href)}">')
    if inline_css:
        head.append(f"<style>\n{inline_css}</style>")
    head.append("</head>")
    body = [
        "<body>",
        f'<header class="situs"><a href="{_attr(home_href)}">{esc(one_line(site_title))}</a></header>',
        "<main>",
        content,
        "</main>",
        f"<footer>{esc(footer)}</footer>" if footer else "",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(head + [line for line in body if line != ""]) + "\n"


def url_path(*parts: str) -> str:
    """Join path segments into a percent-encoded relative URL."""
    return "/".join(quote(p, safe="") for p in parts)


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------

# Backslash-escape every ASCII punctuation that can start or close Markdown
# (CommonMark + GFM) inline structure.  '.', ',', ':', ';', '?', '"', "'",
# '/', '%', '@', '$', '=' stay readable; line-start constructs are handled
# per line below.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#!|~&(){}])")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def md_escape(text: str | None) -> str:
    """Escape plain text so Markdown renders it literally.

    Keeps line breaks; strips leading indentation (which would start a code
    block) and escapes list / heading / quote / rule / setext markers at the
    start of each line.
    """
    lines = []
    for line in clean_text(text).split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line.strip())
        if line[:1] in ("-", "+", "=", ":"):
            line = "\\" + line
        line = _MD_ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def _md_url(url: str) -> str:
    # media_url results are percent-encoded, so they hold no spaces or '<>'.
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def article_markdown(
    article: Article,
    media_url: MediaUrl | None = None,
    *,
    published_at: datetime | None = None,
    tz: str | tzinfo | None = None,
) -> str:
    """The article as Markdown (CommonMark); user text cannot add structure; times in ``tz``."""
    url = media_url or (lambda _a, _v: None)
    first = published_at or article.approved_at
    out = [f"# {md_escape(one_line(article.title))}", ""]
    rubrik = f"**{md_escape(one_line(article.kind_label))}**"
    if one_line(article.section):
        rubrik += f" · {md_escape(one_line(article.section))}"
    out.append(rubrik + "\\")
    if article.kip_label:
        out.append(md_escape(kip_line(article)) + "\\")
    meta = format_date_id(first, time=True, weekday=True, tz=tz)
    if one_line(article.author.name):
        meta += f" · Oleh {md_escape(one_line(article.author.name))}"
    if published_at is not None and is_update(published_at, article.approved_at):
        meta += f" · Diperbarui {format_date_id(article.approved_at, time=True, tz=tz)}"
    out.append(meta)
    out.append("")
    for para in paragraphs(article.body):
        # A trailing backslash is a CommonMark hard line break.
        out.append("\\\n".join(md_escape(line) for line in para.split("\n")))
        out.append("")

    photos = article.photos
    if photos:
        out += ["## Foto", ""]
        for n, photo in enumerate(photos, start=1):
            alt = md_escape(_photo_alt(photo, n, article))
            src = url(photo, "web") or url(photo, "large")
            if src:
                line = f"![{alt}]({_md_url(src)})"
                large = url(photo, "large")
                if large and large != src:
                    line = f"[{line}]({_md_url(large)})"
                out.append(line)
            else:
                out.append(alt)
            if one_line(photo.caption):
                out.append("")
                out.append(f"*{md_escape(one_line(photo.caption))}*")
            out.append("")

    others = [a for a in article.assets if a.kind != "photo"]
    labels = attachment_labels(article.assets)
    if others:
        out += ["## Lampiran", ""]
        for asset in others:
            variant = "play" if asset.kind in PLAYABLE_KINDS else "download"
            href = url(asset, variant)
            name = md_escape(labels[asset.id])
            item = f"[{name}]({_md_url(href)})" if href else name
            item += f" — {md_escape(describe_file(asset))}"
            out.append(f"- {item}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
