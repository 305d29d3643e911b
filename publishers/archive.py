"""Electronic archive of published articles (SOP step 7).

Layout under ``root``::

    <yyyy>/<mm>/<submission_id>-<name>/     yyyy/mm of the first archiving (office time)
        v1/                                 first published revision
            artikel.html                    standalone (inline CSS, local files)
            artikel.md
            metadata.json                   article, people, assets, record
            lampiran/asli/<nn>-<file>       originals, byte-identical
            lampiran/web/<nn>-<file>.<ext>  web renditions (and .thumb.)
            SHA256SUMS                      ``sha256sum -c`` compatible
            DITARIK.json                    only once withdrawn
        v2/                                 a later approved revision

A version folder is built in ``root/.staging/`` and renamed into place, so a
folder under its final name is always complete; once there it is never
changed, except that withdrawal adds ``DITARIK.json`` (and its line in
``SHA256SUMS``).  Files are written read-only.

Publishing the same revision again finds its folder (by the revision number
in ``metadata.json``), verifies it and returns it; nothing is duplicated.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from publishers import render
from publishers.base import (
    Article,
    Asset,
    Person,
    PriorPublication,
    Publisher,
    PublishError,
    PublishResult,
    article_fields,
    person_dict,
)
from publishers.files import (
    atomic_write_bytes,
    check_sha256,
    copy_file,
    dir_lock,
    dump_json,
    ext_for,
    fsync_dir,
    os_error,
    probe_image_size,
    publish_filename,
    sha256_file,
)

log = logging.getLogger(__name__)

SUMS = "SHA256SUMS"
MARKER = "DITARIK.json"
FORMAT = "terbit-arsip/1"
FILE_MODE = 0o444
DIR_MODE = 0o755
_VERSION_RE = re.compile(r"v([1-9][0-9]{0,5})")
_SUM_LINE = re.compile(r"([0-9a-f]{64})  (.+)")


# --------------------------------------------------------------------------
# SHA256SUMS
# --------------------------------------------------------------------------


def withdrawal_steps(remote: dict[str, Any], tz: tzinfo | None = None) -> dict[str, Any]:
    """DITARIK.json's record of the withdrawal from the job's ``remote``: the admin's
    request (who asked, why, when) and the Kepala's decision (who, when), as the
    audit trail has them; times in the archive's zone like ``withdrawn_at``."""
    out: dict[str, Any] = {}
    for key, name in (("withdraw_request", "request"), ("withdraw_decision", "decision")):
        step = remote.get(key)
        if isinstance(step, dict):
            step = dict(step)
            if isinstance(step.get("at"), str):
                step["at"] = render.iso(datetime.fromisoformat(step["at"]), tz)
            out[name] = step
    return out


def _files_under(folder: Path) -> list[str]:
    out = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            out.append(path.relative_to(folder).as_posix())
    return sorted(out)


def sums_text(entries: dict[str, str]) -> str:
    """``<hex>  <path>`` lines sorted by path, the ``sha256sum`` format."""
    for rel in entries:
        if "\n" in rel or "\\" in rel:
            raise ValueError(f"unsupported file name in archive: {rel!r}")
    return "".join(f"{entries[rel]}  {rel}\n" for rel in sorted(entries))


def read_sums(folder: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in (folder / SUMS).read_text("utf-8").splitlines():
        m = _SUM_LINE.fullmatch(line)
        if not m:
            raise ValueError(f"bad line in {SUMS}: {line!r}")
        entries[m.group(2)] = m.group(1)
    return entries


def verify_folder(folder: Path) -> list[str]:
    """Check a version folder against its SHA256SUMS.

    Returns a list of problems in plain words (empty = intact): missing
    checksum file, changed or missing files, and files not listed.
    """
    folder = Path(folder)
    try:
        entries = read_sums(folder)
    except FileNotFoundError:
        return [f"{SUMS} tidak ada"]
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"{SUMS} rusak: {exc}"]
    problems = []
    for rel, expected in sorted(entries.items()):
        path = folder / rel
        if not path.is_file():
            problems.append(f"{rel}: hilang")
        elif sha256_file(path) != expected:
            problems.append(f"{rel}: isi berubah")
    for rel in _files_under(folder):
        if rel != SUMS and rel not in entries:
            problems.append(f"{rel}: tidak tercatat di {SUMS}")
    return problems


# --------------------------------------------------------------------------
# The publisher
# --------------------------------------------------------------------------


def _clean_name(article: Article) -> str:
    slug = article.slug or ""
    prefix = f"{article.submission_id}-"
    if slug.startswith(prefix):
        slug = slug[len(prefix):]
    slug = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:80].strip("-")
    return slug or "artikel"


#: Keys of the record (revisions, audit trail) that hold a time.
_TIME_KEYS = frozenset({"at", "created_at", "frozen_at", "approved_at", "withdrawn_at", "decided_at", "lifted_at"})


def local_record(value: Any, tz: tzinfo) -> Any:
    """The record with its times (stored as UTC) in the office's zone, like every other time in metadata.json."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            when = render.parse_iso(item) if key in _TIME_KEYS and isinstance(item, str) else None
            out[key] = render.iso(when, tz) if when is not None else local_record(item, tz)
        return out
    if isinstance(value, list):
        return [local_record(item, tz) for item in value]
    return value


def _write_file(path: Path, data: bytes) -> None:
    """Plain write for files inside the (invisible) staging folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, FILE_MODE)


class ArchivePublisher(Publisher):
    name = "archive"
    label = "Arsip elektronik"
    stage = 1

    def __init__(self, root: Path, *, clock: Callable[[], datetime] | None = None,
                 timezone: str | tzinfo | None = None) -> None:
        self.root = Path(root)
        self._clock = clock or (lambda: datetime.now(UTC))
        #: The office's zone (TIMEZONE): folder months, pages and every time in metadata.json.
        self.tz = render.zone(timezone)
        self._lock = asyncio.Lock()

    # -- public API ---------------------------------------------------------

    async def prepare(self) -> None:
        """A new office's archive folder, there from the first minute."""
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)

    async def publish(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        async with self._lock:
            try:
                return await asyncio.to_thread(self._publish_sync, article, prior)
            except OSError as exc:
                raise os_error(exc, "Gagal menulis arsip") from exc

    async def withdraw(
        self,
        article: Article,
        prior: PriorPublication,
        *,
        reason: str | None = None,
        withdrawn_by: Person | str | None = None,
    ) -> None:
        """Mark the latest archived version withdrawn; never deletes anything.

        ``reason`` / ``withdrawn_by`` may also come from ``prior.remote``
        (keys ``withdraw_reason`` and ``withdrawn_by``).
        """
        remote = prior.remote if prior else {}
        reason = reason or remote.get("withdraw_reason") or remote.get("reason")
        by = withdrawn_by if withdrawn_by is not None else remote.get("withdrawn_by")
        steps = withdrawal_steps(remote, self.tz)
        async with self._lock:
            try:
                await asyncio.to_thread(self._withdraw_sync, article, prior, reason, by, steps)
            except OSError as exc:
                raise os_error(exc, "Gagal menandai arsip sebagai ditarik") from exc

    @staticmethod
    def verify(folder: Path) -> list[str]:
        return verify_folder(folder)

    # -- locating ---------------------------------------------------------------

    def _base_re(self, submission_id: int) -> re.Pattern[str]:
        return re.compile(rf"\d{{4}}/\d{{2}}/{submission_id}-[a-z0-9-]{{1,80}}")

    def _find_base(self, article: Article, prior: PriorPublication | None) -> str | None:
        """The article's folder relative to root, if it was archived before."""
        pattern = self._base_re(article.submission_id)
        if prior is not None:
            for cand in (prior.remote.get("base"),
                         re.sub(r"/v\d+$", "", prior.remote_id or "")):
                if isinstance(cand, str) and pattern.fullmatch(cand):
                    return cand
        prefix = f"{article.submission_id}-"
        found: list[str] = []
        for year in sorted(self.root.glob("[0-9][0-9][0-9][0-9]")):
            for month in sorted(year.glob("[0-9][0-9]")):
                with contextlib.suppress(OSError):
                    for entry in os.scandir(month):
                        rel = f"{year.name}/{month.name}/{entry.name}"
                        if entry.name.startswith(prefix) and entry.is_dir() and pattern.fullmatch(rel):
                            found.append(rel)
        return found[0] if found else None  # oldest month first

    def _new_base(self, article: Article) -> str:
        d = render.to_local(article.approved_at, self.tz)
        return f"{d.year:04d}/{d.month:02d}/{article.submission_id}-{_clean_name(article)}"

    @staticmethod
    def _versions(base: Path) -> dict[int, Path]:
        out: dict[int, Path] = {}
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(base):
                m = _VERSION_RE.fullmatch(entry.name)
                if m and entry.is_dir():
                    out[int(m.group(1))] = Path(entry.path)
        return out

    @staticmethod
    def _revision_of(folder: Path) -> int | None:
        try:
            data = json.loads((folder / "metadata.json").read_text("utf-8"))
            return int(data["article"]["revision_number"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _result(self, base_rel: str, version: int, revision: int) -> PublishResult:
        rel = f"{base_rel}/v{version}"
        folder = self.root / rel
        return PublishResult(
            url=folder.resolve().as_uri(),
            remote_id=rel,
            remote={"path": str(folder), "version": version, "base": base_rel, "revision": revision},
        )

    def _clean_staging(self) -> Path:
        staging = self.root / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        for leftover in staging.iterdir():  # we hold the lock: all are stale
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return staging

    # -- publish -------------------------------------------------------------------

    def _publish_sync(self, article: Article, prior: PriorPublication | None) -> PublishResult:
        with dir_lock(self.root):
            staging_root = self._clean_staging()
            base_rel = self._find_base(article, prior) or self._new_base(article)
            base = self.root / base_rel
            versions = self._versions(base)
            for n, folder in sorted(versions.items()):
                if self._revision_of(folder) == article.revision_number:
                    problems = verify_folder(folder)
                    if problems:
                        raise PublishError(
                            f"Arsip {base_rel}/v{n} sudah ada tetapi tidak lolos pemeriksaan "
                            f"SHA-256 ({'; '.join(problems[:5])}). Periksa secara manual.",
                            retryable=False,
                        )
                    return self._result(base_rel, n, article.revision_number)

            version = max(versions, default=0) + 1
            staging = Path(tempfile.mkdtemp(prefix=f"{article.submission_id}-v{version}-", dir=staging_root))
            try:
                self._build(staging, article, version, base_rel)
                os.chmod(staging, DIR_MODE)
                base.mkdir(parents=True, exist_ok=True)
                os.rename(staging, base / f"v{version}")
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            fsync_dir(base)
            fsync_dir(staging_root)
            return self._result(base_rel, version, article.revision_number)

    def _build(self, folder: Path, article: Article, version: int, base_rel: str) -> None:
        asli = folder / "lampiran" / "asli"
        web = folder / "lampiran" / "web"
        width = max(2, len(str(len(article.assets))))
        files: dict[tuple[int, str], str] = {}  # (asset id, variant) -> rel path
        assets_meta: list[dict[str, Any]] = []

        for n, asset in enumerate(article.assets, start=1):
            sha = check_sha256(asset)
            name = publish_filename(asset.filename, fallback=f"berkas.{ext_for(asset.mime, asset.original)}")
            original_rel = f"lampiran/asli/{n:0{width}d}-{name}"
            try:
                digest = copy_file(asset.original, folder / original_rel, mode=FILE_MODE, atomic=False)
            except FileNotFoundError as exc:
                raise PublishError(
                    f"Berkas asli {render.display_name(asset)!r} (#{asset.id}) tidak ditemukan.",
                    retryable=False,
                ) from exc
            if digest != sha:
                raise PublishError(
                    f"Berkas asli {render.display_name(asset)!r} (#{asset.id}) tidak cocok dengan "
                    "sidik SHA-256 yang tercatat; arsip tidak dibuat.",
                    retryable=False,
                )
            entry_files = {"original": original_rel}
            files[(asset.id, "original")] = original_rel
            stem = Path(original_rel).name
            stem = stem.rsplit(".", 1)[0] if "." in stem else stem
            for variant, src, mime in (("web", asset.web, asset.web_mime), ("thumb", asset.thumb, None)):
                if src is None:
                    continue
                suffix = ".thumb" if variant == "thumb" else ""
                rel = f"lampiran/web/{stem}{suffix}.{ext_for(mime, src)}"
                try:
                    copy_file(src, folder / rel, mode=FILE_MODE, atomic=False)
                except FileNotFoundError as exc:
                    raise PublishError(
                        f"Rendisi web berkas #{asset.id} tidak ditemukan.", retryable=False
                    ) from exc
                entry_files[variant] = rel
                files[(asset.id, variant)] = rel
            assets_meta.append({
                "no": n,
                "id": asset.id,
                "kind": asset.kind,
                "sha256": sha,
                "original_name": asset.filename,
                "mime": asset.mime,
                "size": asset.size,
                "caption": asset.caption,
                "web_mime": asset.web_mime,
                "meta": asset.meta,
                "files": entry_files,
            })
        asli.mkdir(parents=True, exist_ok=True)
        web.mkdir(parents=True, exist_ok=True)

        def media_url(asset: Asset, variant: str) -> str | None:
            if variant == "web":
                rel = files.get((asset.id, "web")) or files.get((asset.id, "original"))
            elif variant == "thumb":
                rel = files.get((asset.id, "thumb"))
            elif variant == "large":
                rel = files.get((asset.id, "original"))
            elif variant == "poster":
                rel = files.get((asset.id, "thumb"))
            elif variant == "play":
                rel = files.get((asset.id, "web")) or files.get((asset.id, "original"))
            else:
                rel = files.get((asset.id, "original"))
            return render.url_path(*rel.split("/")) if rel else None

        def image_size(asset: Asset, variant: str) -> tuple[int, int] | None:
            if asset.kind != "photo":
                return None
            key = "thumb" if variant == "thumb" else "web"
            rel = files.get((asset.id, key)) or files.get((asset.id, "original"))
            return probe_image_size(folder / rel) if rel else None

        archived_at = render.to_local(self._clock(), self.tz)
        published_at = self._first_published(article, base_rel)
        fragment = render.article_html(article, media_url, image_size=image_size, published_at=published_at,
                                       tz=self.tz)
        footer = (f"Arsip elektronik · pengajuan #{article.submission_id} · revisi "
                  f"{article.revision_number} · versi arsip {version} · diarsipkan "
                  f"{render.format_date_id(archived_at, time=True, tz=self.tz)}")
        page = render.html_page(
            title=render.one_line(article.title),
            content=fragment,
            site_title="Arsip elektronik",
            home_href="artikel.html",
            inline_css=render.SITE_CSS,
            description=render.excerpt(article.body),
            og_type="article",
            footer=footer,
        )
        _write_file(folder / "artikel.html", page.encode("utf-8"))
        markdown = render.article_markdown(article, media_url, published_at=published_at, tz=self.tz)
        _write_file(folder / "artikel.md", markdown.encode("utf-8"))

        metadata = {
            "format": FORMAT,
            "version": version,
            "folder": f"{base_rel}/v{version}",
            "archived_at": render.iso(archived_at, self.tz),
            "article": {
                **article_fields(article),
                "approved_at": render.iso(article.approved_at, self.tz),
                "first_published_at": render.iso(published_at, self.tz),
            },
            "kip": {
                "class": article.kip_class or None,
                "label": article.kip_label or None,
                "unit": article.section or None,
            },
            "people": {
                "author": person_dict(article.author),
                "approved_by": person_dict(article.approved_by),
            },
            "assets": assets_meta,
            "record": local_record(article.record, self.tz),
        }
        _write_file(folder / "metadata.json", dump_json(metadata).encode("utf-8"))

        entries = {rel: sha256_file(folder / rel) for rel in _files_under(folder) if rel != SUMS}
        _write_file(folder / SUMS, sums_text(entries).encode("utf-8"))
        for d in (folder / "lampiran", asli, web):
            os.chmod(d, DIR_MODE)
            fsync_dir(d)
        fsync_dir(folder)

    def _first_published(self, article: Article, base_rel: str) -> datetime:
        """approved_at of v1 if this article was archived before."""
        v1 = self.root / base_rel / "v1" / "metadata.json"
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            data = json.loads(v1.read_text("utf-8"))
            return datetime.fromisoformat(data["article"]["approved_at"])
        return article.approved_at

    # -- withdraw ---------------------------------------------------------------------

    def _withdraw_sync(self, article: Article, prior: PriorPublication | None,
                       reason: str | None, by: Person | str | None,
                       steps: dict[str, Any] | None = None) -> None:
        with dir_lock(self.root):
            base_rel = self._find_base(article, prior)
            versions = self._versions(self.root / base_rel) if base_rel else {}
            if not versions:
                log.warning("withdraw: submission %s has no archive folder; nothing to mark",
                            article.submission_id)
                return
            version = max(versions)
            folder = versions[version]
            marker = folder / MARKER
            if not marker.exists():
                data = {
                    "status": "ditarik",
                    "withdrawn_at": render.iso(self._clock(), self.tz),
                    "reason": reason,
                    "withdrawn_by": person_dict(by) if isinstance(by, Person) else by,
                    "submission_id": article.submission_id,
                    "revision_number": self._revision_of(folder),
                    "version": version,
                    **(steps or {}),
                }
                atomic_write_bytes(marker, dump_json(data).encode("utf-8"), mode=FILE_MODE)
            # Add the marker's line; keep every other line as it was so a
            # tampered file is never blessed with a fresh checksum.
            try:
                entries = read_sums(folder)
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                log.error("withdraw: %s of %s unreadable (%s); marker written, sums left as is",
                          SUMS, folder, exc)
                return
            digest = sha256_file(marker)
            if entries.get(MARKER) != digest:
                entries[MARKER] = digest
                atomic_write_bytes(folder / SUMS, sums_text(entries).encode("utf-8"), mode=FILE_MODE)
