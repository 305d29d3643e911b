"""Benchmark of publishing to a real WordPress (run: ``python -m bench.publish_bench``).

Issue 4: time from the Kepala's approval to the post being live on WordPress,
for an article with 5 photos (12 MP originals) and 1 multi-page PDF, against
the floor (the same bytes sent with bare HTTP calls).

What it does:

* starts a throwaway WordPress 6.1 (``scripts/wordpress/wp_server.py``: PHP's
  built-in server ``php -S`` with ``PHP_CLI_SERVER_WORKERS`` as configured
  there, private MariaDB); skipped with a clear message when it cannot start;
* builds, in a temp dir, 5 x 12 MP JPEGs with EXIF (orientation, camera, GPS)
  and a multi-page PDF (scanned pages + text pages, merged with pypdf);
  every repetition gets its own bytes (a unique EXIF ``ImageUniqueID`` / PDF
  title), so no upload can be reused through the publisher's media lookup;
* **conversion**: runs them through our real intake (``ContentStore`` +
  ``media.pipeline.process`` -> web renditions).  In the bot this happens when
  the writer uploads, *before* approval, so it is reported on its own and is
  not part of approval -> live;
* builds the :class:`Article` the way ``services.website.articles.build_article`` does
  (``Asset.web`` = the web rendition) and times
  ``WordPressPublisher.publish(article, None)`` with the bot's settings
  (editor account, ``create_categories=False``: the category exists), then the
  **live check**: an anonymous GET of the returned link must answer 200 with
  the title.  approval -> live = publish() + live check;
* the breakdown comes from a transport wrapper handed to the publisher
  (``transport=``), which records each request's method, route and duration
  (body fully read); the publisher itself is not modified;
* **floor**: the same web renditions and the same PDF uploaded with bare
  ``POST /wp/v2/media`` calls (same auth, same headers), then one bare
  ``POST /wp/v2/posts`` and the same live check.  The publisher uploads
  ``upload_concurrency`` (4) files at a time, so the like-for-like floor, the
  one the goal is checked against, is the concurrent one (as many uploads in
  flight as ``php -S`` has workers); the sequential floor is printed too.

Ours and the floor alternate within each repetition (the order flips every
other repetition), so a slow drift of the server hits both alike.  One
untimed warm-up round comes first (it also creates the tag).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from PIL import Image

from bench.media_bench import photo_like
from domain.kinds import Kind
from media.pipeline import Processed, process
from media.store import ContentStore
from publishers.base import Article, Asset, Person
from publishers.wordpress import WordPressPublisher, ascii_filename, paragraphs_html

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "scripts" / "wordpress"))
from wp_server import INSTALL_CMD, WordPressServer, WordPressUnavailable  # noqa: E402

GOAL_SECONDS = 3.0
GOAL_RATIO = 1.3
N_PHOTOS = 5
SECTION = "Berita Daerah"
KIND = Kind.LAPORAN_KEGIATAN
TITLE = "Kunjungan Kerja Kepala Dinas ke Lokasi Banjir Kecamatan {n}"
BODY = (
    "Kepala Dinas meninjau lokasi banjir di tiga desa pada Senin pagi dan bertemu warga terdampak.\n\n"
    "Bantuan berupa sembako, selimut dan obat-obatan diserahkan kepada posko & relawan setempat.\n"
    "Pendataan rumah rusak berlanjut hingga akhir pekan.\n\n"
    "Notulen rapat koordinasi terlampir dalam bentuk PDF."
)


# --- inputs ----------------------------------------------------------------------


def make_bases() -> list[Image.Image]:
    """Five distinct 12 MP (4000 x 3000) photo-like images (pixels only)."""
    return [photo_like(4000, 3000, seed=7 * i) for i in range(N_PHOTOS)]


def photo_file(img: Image.Image, path: Path, tag: str) -> Path:
    """A camera-like JPEG: q90, EXIF orientation 6, make/model, GPS, unique id."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 CW
    exif[0x010F] = "BenchCam"
    exif[0x0110] = "BC-12"
    exif[0x0132] = "2026:01:05 09:30:00"
    ifd = exif.get_ifd(0x8769)
    ifd[0xA420] = tag[:32]  # ImageUniqueID: makes each repetition's originals distinct
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 10.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 49.0, 12.0)
    img.save(path, "JPEG", quality=90, exif=exif)
    return path


def pdf_file(path: Path, tag: str, scans: list[bytes], text_pages: int = 5) -> Path:
    """A multi-page PDF: scanned pages (image PDF from Pillow) + text pages, merged with pypdf."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for scan in scans:
        writer.append(PdfReader(io.BytesIO(scan)))
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })
    font_ref = writer._add_object(font)
    for n in range(text_pages):
        page = writer.add_blank_page(595, 842)  # A4 in points
        lines = [f"Notulen Rapat Koordinasi - halaman {n + 1}"] + [
            f"{i + 1}. Butir pembahasan nomor {i + 1}: pendataan, distribusi bantuan, laporan harian."
            for i in range(40)
        ]
        ops = ["BT", "/F1 10 Tf", "14 TL", "50 800 Td"] + [f"({line}) Tj T*" for line in lines] + ["ET"]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref}),
        })
    writer.add_metadata({"/Title": f"Notulen Rapat {tag}", "/Author": "Sekretariat"})
    with open(path, "wb") as f:
        writer.write(f)
    return path


def make_scans() -> list[bytes]:
    """Three scanned A4 pages (150 dpi, grey, JPEG inside), as one-page PDFs."""
    out = []
    for i in range(3):
        page = photo_like(1240, 1754, seed=100 + i).convert("L")
        buf = io.BytesIO()
        page.save(buf, "PDF", resolution=150.0, quality=75)
        out.append(buf.getvalue())
    return out


# --- conversion (the bot's intake) and the Article -------------------------------


@dataclass
class Upload:
    path: Path
    name: str
    caption: str


async def convert(store: ContentStore, renditions: Path, uploads: list[Upload]) -> list[tuple[Upload, Processed]]:
    """What the bot does for each uploaded file: store by SHA-256, then process().

    An album arrives as several messages handled concurrently; process()
    bounds the CPU work itself (media.pipeline.set_max_parallel).
    """

    async def one(u: Upload) -> tuple[Upload, Processed]:
        blob = await store.ingest_file(u.path)
        return u, await process(blob, original_name=u.name, out_dir=renditions)

    return list(await asyncio.gather(*(one(u) for u in uploads)))


def asset_of(i: int, u: Upload, p: Processed, store: ContentStore) -> Asset:
    """Mirror of services.website.articles.asset_of (which reads the DB row services.writing.intake records)."""
    web = p.rendition("web") or p.rendition("audio_web")
    thumb = p.rendition("thumb")
    renditions = [{"role": d.role, "path": str(d.path), "mime": d.mime, "size": d.size, "sha256": d.sha256,
                   "parent": p.sha256, "width": d.width, "height": d.height} for d in p.derived]
    return Asset(
        id=i, kind=p.kind, sha256=p.sha256, original=store.path_for(p.sha256), filename=p.display_name,
        mime=p.mime, size=p.size, caption=u.caption,
        web=web.path if web else None, web_mime=web.mime if web else None, thumb=thumb.path if thumb else None,
        meta=dict(p.meta) | {"label": p.label, "renditions": renditions},
    )


def build_article(sub_id: int, installation: str, items: list[tuple[Upload, Processed]],
                  store: ContentStore) -> Article:
    return Article(
        submission_id=sub_id,
        revision_number=1,
        slug=f"kunjungan-kerja-banjir-{sub_id}",
        kind=KIND.value,
        kind_label=KIND.label,
        section=SECTION,
        title=TITLE.format(n=sub_id),
        body=BODY,
        author=Person("Siti Rahma", 111, "siti"),
        approved_by=Person("Budi Santoso", 222, "budi"),
        approved_at=datetime.now(UTC),
        assets=tuple(asset_of(i, u, p, store) for i, (u, p) in enumerate(items, 1)),
        record={"submission_id": sub_id},
        key=f"terbit-{installation}-{sub_id}",
    )


# --- instrumentation -------------------------------------------------------------


@dataclass
class Call:
    method: str
    route: str
    status: int
    t0: float
    t1: float
    up: int
    ctype: str = ""

    @property
    def dt(self) -> float:
        return self.t1 - self.t0

    @property
    def phase(self) -> str:
        r = self.route
        if r.startswith("/wp/v2/users/me") or (r == "/wp/v2/posts" and self.method == "GET"):
            return "preflight"
        if r.startswith("/wp/v2/media"):
            return "upload" if self.method == "POST" else "lookup"
        if r.startswith(("/wp/v2/categories", "/wp/v2/tags")):
            return "terms"
        if r.startswith("/wp/v2/posts"):
            return "post"
        return "other"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport; records each request with its body fully read."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.calls: list[Call] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        t0 = time.perf_counter()
        resp = await self.inner.handle_async_request(request)
        try:
            raw = b"".join([chunk async for chunk in resp.stream])
        finally:
            await resp.aclose()
        t1 = time.perf_counter()
        path = request.url.path
        route = path.split("/wp-json", 1)[1] if "/wp-json" in path else path
        up = len(request.content) if isinstance(request.stream, httpx.ByteStream) else 0
        self.calls.append(Call(request.method, route, resp.status_code, t0, t1, up,
                               request.headers.get("content-type", "")))
        return httpx.Response(resp.status_code, headers=resp.headers, stream=httpx.ByteStream(raw),
                              extensions=resp.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()


def busy(calls: list[Call]) -> float:
    """Time during which at least one request was in flight (union of intervals)."""
    total, end = 0.0, float("-inf")
    for c in sorted(calls, key=lambda c: c.t0):
        if c.t1 > end:
            total += c.t1 - max(c.t0, end)
            end = c.t1
    return total


async def live_check(url: str, title: str) -> float:
    """An anonymous reader opens the link: 200 and the title in the page."""
    t = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, follow_redirects=True) as c:
        r = await c.get(url)
    dt = time.perf_counter() - t
    if r.status_code != 200 or html.escape(title, quote=False) not in r.text:
        raise RuntimeError(f"post not live at {url}: HTTP {r.status_code}")
    return dt


# --- ours and the floor ----------------------------------------------------------


async def run_ours(wp: WordPressServer, article: Article) -> dict[str, float]:
    user, pw = wp.credentials["editor"]
    rec = RecordingTransport()
    pub = WordPressPublisher(wp.url, user, pw, transport=rec)  # the bot's defaults (publishers/registry.py)
    try:
        t0 = time.perf_counter()
        res = await pub.publish(article, None)
        t1 = time.perf_counter()
    finally:
        await pub.aclose()
    live = await live_check(res.url, article.title)
    calls = rec.calls
    sums: dict[str, float] = {}
    for c in calls:
        sums[c.phase] = sums.get(c.phase, 0.0) + c.dt
    media = [c for c in calls if c.phase in ("lookup", "upload")]
    post = [c for c in calls if c.phase == "post" and c.method == "POST"]
    bad = [c for c in calls if c.status >= 400]
    if bad:
        raise RuntimeError(f"unexpected HTTP errors: {[(c.method, c.route, c.status) for c in bad]}")
    return {
        "publish": t1 - t0,
        "live": live,
        "total": t1 - t0 + live,
        "preflight": sums.get("preflight", 0.0),
        "lookups": sums.get("lookup", 0.0),
        "uploads": sums.get("upload", 0.0),
        "media_phase": (media[-1].t1 - media[0].t0) if media else 0.0,
        "upload_photo": statistics.mean(c.dt for c in calls if c.phase == "upload" and c.ctype.startswith("image/")),
        "upload_pdf": sum(c.dt for c in calls if c.phase == "upload" and c.ctype == "application/pdf"),
        "terms": sum(c.dt for c in calls if c.phase == "terms"),
        "post": post[-1].dt if post else 0.0,
        "client": (t1 - t0) - busy(calls),
        "requests": float(len(calls)),
        "upload_bytes": float(sum(c.up for c in calls if c.phase == "upload")),
    }


def _media_files(article: Article) -> list[tuple[bytes, str, str]]:
    out = []
    for a in article.assets:
        path = a.web if a.web is not None else a.original
        mime = (a.web_mime if a.web is not None else None) or a.mime
        out.append((path.read_bytes(), mime, ascii_filename(a.filename, mime)))
    return out


async def run_floor(wp: WordPressServer, article: Article, concurrency: int) -> dict[str, float]:
    """Bare uploads of the same bytes, then one bare post, then the live check."""
    user, pw = wp.credentials["editor"]
    files = _media_files(article)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=wp.rest_url, auth=(user, pw), timeout=300) as c:

        async def up(data: bytes, mime: str, name: str) -> dict:
            async with sem:
                r = await c.post("/wp/v2/media", content=data, headers={
                    "Content-Type": mime, "Content-Disposition": f'attachment; filename="{name}"'})
            r.raise_for_status()
            return r.json()

        t0 = time.perf_counter()
        if concurrency == 1:
            media = [await up(*f) for f in files]
        else:
            media = await asyncio.gather(*(up(*f) for f in files))
        t1 = time.perf_counter()
        figures = "".join(f'<figure><img src="{html.escape(m["source_url"])}"></figure>' for m in media[1:-1])
        content = paragraphs_html(article.body) + figures + (
            f'<ul><li><a href="{html.escape(media[-1]["source_url"])}">Notulen</a></li></ul>')
        r = await c.post("/wp/v2/posts", json={"title": article.title, "content": content, "status": "publish",
                                               "slug": article.slug + "-floor", "featured_media": media[0]["id"]})
        r.raise_for_status()
        t2 = time.perf_counter()
        link = r.json()["link"]
    live = await live_check(link, article.title)
    return {"uploads": t1 - t0, "post": t2 - t1, "floor": t2 - t0, "live": live, "floor_live": t2 - t0 + live}


# --- the run ---------------------------------------------------------------------


def php_workers(wp: WordPressServer) -> tuple[str, int]:
    """PHP_CLI_SERVER_WORKERS as the php -S process got it, and its live worker children (Linux)."""
    pid = wp._php.pid if wp._php else None
    configured = "?"
    children = 0
    if pid:
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            configured = next((e.split(b"=", 1)[1].decode() for e in env
                               if e.startswith(b"PHP_CLI_SERVER_WORKERS=")), "unset (1)")
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                        children += 1
                except (OSError, ValueError, IndexError):
                    pass
        except OSError:
            pass
    return configured, children


def fmt_row(name: str, values: list[float], unit: str = "ms", note: str = "") -> str:
    if unit == "ms":
        b, m = min(values) * 1e3, statistics.median(values) * 1e3
        return f"  {name:<34} {b:9.0f} {m:9.0f}   {note}".rstrip()
    b, m = min(values), statistics.median(values)
    return f"  {name:<34} {b:9.2f} {m:9.2f}   {note}".rstrip()


async def bench(wp: WordPressServer, n: int, d: Path) -> None:
    configured, children = php_workers(wp)
    try:
        workers = int(configured)
    except ValueError:
        workers = 1
    installation = secrets.token_hex(3)

    # The category exists, as in production (the bot runs with create_categories=False).
    admin, admin_pw = wp.credentials["administrator"]
    async with httpx.AsyncClient(base_url=wp.rest_url, auth=(admin, admin_pw), timeout=60) as c:
        (await c.post("/wp/v2/categories", json={"name": SECTION})).raise_for_status()

    t = time.perf_counter()
    bases = make_bases()
    scans = make_scans()
    print(f"inputs: {N_PHOTOS} x 12 MP JPEG + 1 PDF per repetition, built in {time.perf_counter() - t:.1f}s "
          f"(pixels once; new EXIF id / PDF title per repetition)")

    rows: dict[str, list[float]] = {}
    sizes: dict[str, float] = {}

    def add(prefix: str, data: dict[str, float]) -> None:
        for k, v in data.items():
            rows.setdefault(f"{prefix}.{k}", []).append(v)

    for rep in range(n + 1):  # rep 0: warm-up, not counted
        sub_id = 5000 + rep
        rd = d / f"rep{rep}"
        rd.mkdir()
        uploads = [Upload(photo_file(img, rd / f"IMG_{2000 + i}.JPG", f"{installation}-{rep}-{i}"),
                          f"IMG_{2000 + i}.JPG", f"Kepala Dinas meninjau lokasi banjir, foto {i + 1}")
                   for i, img in enumerate(bases)]
        uploads.append(Upload(pdf_file(rd / "Notulen Rapat.pdf", f"{installation}-{rep}", scans),
                              "Notulen Rapat Koordinasi.pdf", "Notulen rapat koordinasi"))
        if rep == 1:
            sizes["orig_photo"] = statistics.mean(u.path.stat().st_size for u in uploads[:-1])
            sizes["pdf"] = uploads[-1].path.stat().st_size
        store = ContentStore(rd / "data" / "files")
        t = time.perf_counter()
        items = await convert(store, store.root / "renditions", uploads)
        conversion = time.perf_counter() - t
        article = build_article(sub_id, installation, items, store)
        if rep == 1:
            webs = [a.web.stat().st_size for a in article.photos]
            sizes["web_photo"] = statistics.mean(webs)
            sizes["pages"] = items[-1][1].meta.get("pages", 0)

        if rep % 2:
            ours = await run_ours(wp, article)
            seq = await run_floor(wp, article, 1)
            par = await run_floor(wp, article, workers)
        else:
            par = await run_floor(wp, article, workers)
            seq = await run_floor(wp, article, 1)
            ours = await run_ours(wp, article)
        if rep == 0:
            print(f"warm-up done (publish {ours['publish']:.2f}s, {int(ours['requests'])} requests)")
            continue
        rows.setdefault("conversion", []).append(conversion)
        add("ours", ours)
        add("seq", seq)
        add("par", par)
        print(f"rep {rep}: conversion {conversion:.2f}s  approval->live {ours['total']:.2f}s  "
              f"floor(seq) {seq['floor']:.2f}s  floor({workers} at once) {par['floor']:.2f}s")

    r = rows
    ratio = [o / f for o, f in zip(r["ours.publish"], r["seq.floor"])]
    ratio_live = [o / f for o, f in zip(r["ours.total"], r["seq.floor_live"])]
    ratio_par = [o / f for o, f in zip(r["ours.publish"], r["par.floor"])]
    nreq = int(statistics.median(r["ours.requests"]))
    print()
    print(f"Inputs: photo originals {sizes['orig_photo'] / 1e6:.1f} MB each -> web renditions "
          f"{sizes['web_photo'] / 1e3:.0f} KB each; PDF {sizes['pdf'] / 1e3:.0f} KB, {sizes['pages']} pages "
          f"(uploaded as is); {int(statistics.median(r['ours.upload_bytes'])) / 1e6:.2f} MB uploaded per article")
    print(f"{n} repetitions; times in ms (ratios plain)     {'best':>9} {'median':>9}")
    print(" before approval (writer's upload, not in approval->live):")
    print(fmt_row("conversion (intake, 6 files)", r["conversion"], note="ContentStore + media.pipeline.process"))
    print(" ours: WordPressPublisher.publish(article, None)")
    print(fmt_row("approval -> live", r["ours.total"], note="publish() + live check"))
    print(fmt_row("publish()", r["ours.publish"], note=f"{nreq} HTTP requests"))
    print(fmt_row("  preflight (users/me + search)", r["ours.preflight"]))
    print(fmt_row("  media slug lookups (6 GET, sum)", r["ours.lookups"]))
    print(fmt_row("  uploads (6 POST /media, sum)", r["ours.uploads"]))
    print(fmt_row("    one photo upload (mean)", r["ours.upload_photo"], note="WordPress makes 5 sub-sizes with GD"))
    print(fmt_row("    the PDF upload", r["ours.upload_pdf"]))
    print(fmt_row("  media phase, wall", r["ours.media_phase"], note="first lookup to last upload"))
    print(fmt_row("  terms (category + tag GET)", r["ours.terms"]))
    print(fmt_row("  post creation (POST /posts)", r["ours.post"]))
    print(fmt_row("  client side (rest of publish)", r["ours.client"],
                  note="no request in flight: file reads, HTML, nh3"))
    print(fmt_row("live check (GET link)", r["ours.live"]))
    print(" floor: bare httpx, same bytes, same auth")
    print(fmt_row("uploads, sequential (6 POST)", r["seq.uploads"], note="one at a time"))
    print(fmt_row("post (1 POST /posts)", r["seq.post"]))
    print(fmt_row("floor = uploads + post", r["seq.floor"]))
    print(fmt_row("floor + live check", r["seq.floor_live"]))
    print(fmt_row(f"uploads, {workers} at once", r["par.uploads"],
                  note=f"php -S workers: {workers}; like the publisher"))
    print(fmt_row(f"floor, {workers} at once + post", r["par.floor"]))
    print(" ratios (per repetition, then best/median)")
    print(fmt_row("publish() / floor", ratio, unit="x"))
    print(fmt_row("approval->live / (floor + live)", ratio_live, unit="x"))
    print(fmt_row(f"publish() / floor({workers} at once)", ratio_par, unit="x"))
    med_total, med_ratio = statistics.median(r["ours.total"]), statistics.median(ratio_par)
    print()
    print(f"Goal: approval -> live < {GOAL_SECONDS:.0f} s: median {med_total:.2f} s -> "
          f"{'MET' if med_total < GOAL_SECONDS else 'NOT MET'} (best {min(r['ours.total']):.2f} s)")
    print(f"Goal: within {GOAL_RATIO}x of the floor: median publish()/floor({workers} at once) {med_ratio:.2f}x -> "
          f"{'MET' if med_ratio <= GOAL_RATIO else 'NOT MET'} (best {min(ratio_par):.2f}x)")
    print(f"php -S: PHP_CLI_SERVER_WORKERS={configured} ({children} worker processes seen), "
          f"{os.cpu_count()} CPU(s); conversion not included in approval -> live")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="timed repetitions (after one warm-up)")
    ap.add_argument("--no-install", action="store_true", help=f"do not run {INSTALL_CMD} when something is missing")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="terbit-pubbench-") as tmp:
        d = Path(tmp)
        server = WordPressServer(d / "wp", auto_install=not args.no_install)
        try:
            t = time.perf_counter()
            server.setup()
        except WordPressUnavailable as e:
            server.close()
            print(f"SKIPPED: real WordPress not available: {e}", file=sys.stderr)
            return 0
        except Exception as e:
            server.close()
            print(f"SKIPPED: WordPress did not start ({type(e).__name__}: {str(e)[:500]}); "
                  f"try: {INSTALL_CMD}", file=sys.stderr)
            return 0
        try:
            import PIL
            import pypdf
            print(f"WordPress 6.1 (php -S) at {server.url}, started in {time.perf_counter() - t:.1f}s; "
                  f"Python {sys.version.split()[0]}, httpx {httpx.__version__}, Pillow {PIL.__version__}, "
                  f"pypdf {pypdf.__version__}, {os.cpu_count()} CPU(s)")
            asyncio.run(bench(server, args.n, d))
        finally:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
