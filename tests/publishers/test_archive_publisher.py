from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest

from publishers import archive as archive_mod
from publishers.archive import ArchivePublisher, verify_folder
from publishers.base import Person, PriorPublication, PublishError

CLOCK = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
# 20:30 UTC on 30 November is 1 December 03:30 in Jakarta.
APPROVED = datetime(2026, 11, 30, 20, 30, tzinfo=UTC)


def _pub(root: Path) -> ArchivePublisher:
    return ArchivePublisher(root, clock=lambda: CLOCK)


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _visible(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if not p.relative_to(root).as_posix().startswith(".") and p.is_dir())


def _assets(factory):
    return (factory.photo("Suasana"), factory.pdf(filename="Surat Undangan.pdf"),
            factory.audio(with_web=True))


async def test_layout_and_files(tmp_path, factory):
    root = tmp_path / "arsip"
    photo, doc, audio = assets = _assets(factory)
    article = factory.article(approved_at=APPROVED, assets=assets)
    pub = _pub(root)
    assert (pub.name, pub.label, pub.stage) == ("archive", "Arsip elektronik", 1)

    result = await pub.publish(article, None)

    folder = root / "2026" / "12" / "7-rapat-koordinasi" / "v1"
    assert result.remote_id == "2026/12/7-rapat-koordinasi/v1"
    assert result.remote["version"] == 1 and result.remote["path"] == str(folder)
    assert result.url == folder.resolve().as_uri()
    assert sorted(_snapshot(folder)) == sorted([
        "SHA256SUMS", "artikel.html", "artikel.md", "metadata.json",
        "lampiran/asli/01-IMG_0001.jpg", "lampiran/asli/02-Surat_Undangan.pdf",
        "lampiran/asli/03-pesan_suara.ogg",
        "lampiran/web/01-IMG_0001.jpg", "lampiran/web/01-IMG_0001.thumb.png",
        "lampiran/web/03-pesan_suara.mp3",
    ])
    # Originals byte-identical; renditions copied.
    assert (folder / "lampiran/asli/01-IMG_0001.jpg").read_bytes() == photo.original.read_bytes()
    assert (folder / "lampiran/asli/02-Surat_Undangan.pdf").read_bytes() == doc.original.read_bytes()
    assert (folder / "lampiran/web/03-pesan_suara.mp3").read_bytes() == audio.web.read_bytes()
    # Files are read-only; no staging left visible.
    assert not os.stat(folder / "artikel.html").st_mode & 0o222
    assert _visible(root) == ["2026", "2026/12", "2026/12/7-rapat-koordinasi",
                              "2026/12/7-rapat-koordinasi/v1", "2026/12/7-rapat-koordinasi/v1/lampiran",
                              "2026/12/7-rapat-koordinasi/v1/lampiran/asli",
                              "2026/12/7-rapat-koordinasi/v1/lampiran/web"]
    assert not list((root / ".staging").iterdir())


async def test_standalone_html_and_markdown(tmp_path, factory, parse, hostile):
    root = tmp_path / "arsip"
    photo = factory.photo(hostile)
    doc = factory.pdf(filename="[klik](javascript:alert(1)).pdf")
    body = f"{hostile}\n# bukan judul\n\n- bukan daftar\n<b>tebal</b> [x](http://evil)"
    article = factory.article(title=hostile, body=body, assets=(photo, doc))
    result = await _pub(root).publish(article, None)
    folder = Path(result.remote["path"])

    html = (folder / "artikel.html").read_text("utf-8")
    p = parse(html)
    assert not p.find("script") and not p.find("link", rel="stylesheet")
    assert p.find("style")  # inline CSS: no external assets
    assert " ".join(hostile.split()) in p.text
    for _tag, attrs in p.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            if value and not value.startswith(("http://", "https://", "artikel.html")):
                assert (folder / unquote(value)).resolve().is_file(), value
    assert p.find("img")[0]["src"] == "lampiran/web/01-IMG_0001.jpg"

    md = (folder / "artikel.md").read_text("utf-8")
    assert md.startswith("# \\<script\\>alert\\(\"x\"\\)\\</script\\> \\& \"kutip\" 'satu' — Ωμέγα 日本語 اختبار\n")
    assert "\\# bukan judul" in md and "\n\\- bukan daftar\\\n" in md
    assert "\\<b\\>tebal\\</b\\> \\[x\\]\\(http://evil\\)" in md
    # Linked by its label, never by the (hostile) file name; the path is percent-encoded.
    assert "- [Dokumen 1](<lampiran/asli/02-klik_%28javascript_alert%281%29%29.pdf>)" in md
    assert "javascript:alert" not in md


async def test_metadata_json(tmp_path, factory):
    root = tmp_path / "arsip"
    photo, doc, audio = assets = _assets(factory)
    record = {
        "revisions": [{"number": 1, "title": "Judul", "at": datetime(2026, 11, 29, 8, 0, tzinfo=UTC)}],
        "audit": [{"at": datetime(2026, 11, 30, 1, 2, 3), "actor": "Kepala Dinas", "action": "setujui",
                   "note": "Sudah sesuai — lanjutkan ✓"}],
        "nested": {"ids": (1, 2), "flag": True, "none": None},
    }
    article = factory.article(approved_at=APPROVED, assets=assets, title="Kunjungan ke Ωμέγα", record=record)
    result = await _pub(root).publish(article, None)
    raw = (Path(result.remote["path"]) / "metadata.json").read_text("utf-8")
    assert "Ωμέγα" in raw and "✓" in raw  # ensure_ascii=False
    assert raw.startswith("{\n  ")  # indented
    meta = json.loads(raw)

    assert meta["version"] == 1 and meta["folder"] == "2026/12/7-rapat-koordinasi/v1"
    assert meta["archived_at"] == "2026-12-02T08:00:00+07:00"
    a = meta["article"]
    assert a["submission_id"] == 7 and a["revision_number"] == 1
    assert a["title"] == "Kunjungan ke Ωμέγα" and a["body"] == article.body
    assert (a["kind"], a["kind_label"], a["section"], a["slug"]) == ("berita", "Berita", "Sekretariat", "7-rapat-koordinasi")
    assert a["approved_at"] == "2026-12-01T03:30:00+07:00"
    assert meta["people"]["author"] == {"name": "Siti Aminah", "telegram_id": 1001, "username": "siti"}
    assert meta["people"]["approved_by"]["name"] == "Drs. Kepala"

    assert [x["sha256"] for x in meta["assets"]] == [photo.sha256, doc.sha256, audio.sha256]
    first = meta["assets"][0]
    assert first["original_name"] == "IMG_0001.jpg" and first["mime"] == "image/jpeg"
    assert first["size"] == photo.size and first["meta"] == {"width": 80, "height": 60}
    assert first["files"] == {"original": "lampiran/asli/01-IMG_0001.jpg",
                              "web": "lampiran/web/01-IMG_0001.jpg",
                              "thumb": "lampiran/web/01-IMG_0001.thumb.png"}
    assert meta["assets"][1]["meta"] == {"pages": 3}

    assert meta["record"]["revisions"][0]["at"] == "2026-11-29T08:00:00+00:00"
    assert meta["record"]["audit"][0]["at"] == "2026-11-30T01:02:03+00:00"  # naive = UTC
    assert meta["record"]["audit"][0]["note"] == "Sudah sesuai — lanjutkan ✓"
    assert meta["record"]["nested"] == {"ids": [1, 2], "flag": True, "none": None}


async def test_sha256sums_verifies_and_detects_tampering(tmp_path, factory):
    root = tmp_path / "arsip"
    assets = (*_assets(factory), factory.pdf(filename="Laporan Ωμέγα 日本語 (final).pdf", pad_to=10),)
    result = await _pub(root).publish(factory.article(assets=assets), None)
    folder = Path(result.remote["path"])
    assert (folder / "lampiran/asli/04-Laporan_Ωμέγα_日本語_(final).pdf").is_file()
    sums = (folder / "SHA256SUMS").read_text("utf-8")
    lines = sums.splitlines()
    assert lines == sorted(lines, key=lambda line: line[66:])
    assert {line[66:] for line in lines} == set(_snapshot(folder)) - {"SHA256SUMS"}
    for line in lines:
        digest, rel = line.split("  ", 1)
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest
    assert verify_folder(folder) == []

    tool = shutil.which("sha256sum")
    if tool:
        ok = subprocess.run([tool, "-c", "--quiet", "SHA256SUMS"], cwd=folder, capture_output=True)
        assert ok.returncode == 0, ok.stdout + ok.stderr

    target = folder / "lampiran/asli/02-Surat_Undangan.pdf"
    os.chmod(target, 0o644)
    with open(target, "r+b") as fh:
        fh.seek(10)
        fh.write(b"X")
    assert verify_folder(folder) == ["lampiran/asli/02-Surat_Undangan.pdf: isi berubah"]
    if tool:
        bad = subprocess.run([tool, "-c", "--quiet", "SHA256SUMS"], cwd=folder, capture_output=True)
        assert bad.returncode != 0 and b"02-Surat_Undangan.pdf: FAILED" in bad.stdout

    (folder / "tambahan.txt").write_text("x")
    (folder / "artikel.md").unlink()
    assert set(verify_folder(folder)) == {
        "lampiran/asli/02-Surat_Undangan.pdf: isi berubah", "artikel.md: hilang",
        "tambahan.txt: tidak tercatat di SHA256SUMS"}

    # Publishing the same revision again refuses to paper over the damage.
    with pytest.raises(PublishError) as exc_info:
        await _pub(root).publish(factory.article(assets=()), None)
    assert exc_info.value.retryable is False


async def test_update_creates_v2_beside_untouched_v1(tmp_path, factory):
    root = tmp_path / "arsip"
    pub = _pub(root)
    assets = _assets(factory)
    v1 = factory.article(approved_at=APPROVED, assets=assets, title="Judul lama")
    r1 = await pub.publish(v1, None)
    before = _snapshot(Path(r1.remote["path"]))

    # Next revision approved in another month, with a new slug and the prior lost.
    v2 = factory.article(revision_number=3, approved_at=APPROVED + timedelta(days=40),
                         slug="7-judul-baru", title="Judul baru", assets=assets[:2])
    r2 = await pub.publish(v2, None)
    assert r2.remote_id == "2026/12/7-rapat-koordinasi/v2" and r2.remote["version"] == 2
    assert _snapshot(Path(r1.remote["path"])) == before
    meta2 = json.loads((Path(r2.remote["path"]) / "metadata.json").read_text("utf-8"))
    assert meta2["article"]["title"] == "Judul baru" and meta2["article"]["revision_number"] == 3
    assert meta2["article"]["first_published_at"] == "2026-12-01T03:30:00+07:00"
    assert verify_folder(Path(r2.remote["path"])) == []

    # Retrying either revision (with or without prior) creates nothing new.
    again2 = await pub.publish(v2, PriorPublication(r2.remote_id, r2.url, r2.remote))
    again1 = await pub.publish(v1, None)
    assert again2.remote_id == r2.remote_id and again1.remote_id == r1.remote_id
    assert sorted(p.name for p in (root / "2026/12/7-rapat-koordinasi").iterdir()) == ["v1", "v2"]
    assert not (root / "2027").exists()
    assert _snapshot(Path(r1.remote["path"])) == before


async def test_withdraw_marks_and_keeps_everything(tmp_path, factory):
    root = tmp_path / "arsip"
    pub = _pub(root)
    article = factory.article(assets=_assets(factory))
    r1 = await pub.publish(article, None)
    folder = Path(r1.remote["path"])
    before = _snapshot(folder)

    prior = PriorPublication(r1.remote_id, r1.url, {**r1.remote, "withdraw_reason": "Data keliru"})
    await pub.withdraw(article, prior, withdrawn_by=Person("Admin Humas", telegram_id=5))
    marker = json.loads((folder / "DITARIK.json").read_text("utf-8"))
    assert marker["status"] == "ditarik" and marker["reason"] == "Data keliru"
    assert marker["withdrawn_at"] == "2026-12-02T08:00:00+07:00"
    assert marker["withdrawn_by"]["name"] == "Admin Humas"
    assert marker["version"] == 1 and marker["revision_number"] == 1
    after = _snapshot(folder)
    assert {k: v for k, v in after.items() if k not in ("DITARIK.json", "SHA256SUMS")} == {
        k: v for k, v in before.items() if k != "SHA256SUMS"}
    assert "DITARIK.json" in (folder / "SHA256SUMS").read_text("utf-8")
    assert verify_folder(folder) == []
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder).returncode == 0

    # Idempotent, also with the prior record lost; the first marker is kept.
    await pub.withdraw(article, PriorPublication(), reason="lain")
    assert json.loads((folder / "DITARIK.json").read_text("utf-8"))["reason"] == "Data keliru"
    assert verify_folder(folder) == []


async def test_withdraw_marks_latest_version_only(tmp_path, factory):
    root = tmp_path / "arsip"
    pub = _pub(root)
    r1 = await pub.publish(factory.article(), None)
    r2 = await pub.publish(factory.article(revision_number=2), None)
    await pub.withdraw(factory.article(revision_number=2), PriorPublication(r2.remote_id, r2.url, r2.remote),
                       reason="Permintaan Kepala")
    assert not (Path(r1.remote["path"]) / "DITARIK.json").exists()
    assert (Path(r2.remote["path"]) / "DITARIK.json").exists()


async def test_withdraw_without_archive_is_noop(tmp_path, factory):
    await _pub(tmp_path / "arsip").withdraw(factory.article(), PriorPublication())
    assert _visible(tmp_path / "arsip") == []


async def test_crash_mid_write_leaves_no_visible_folder(tmp_path, factory, monkeypatch):
    root = tmp_path / "arsip"
    pub = _pub(root)
    article = factory.article(assets=_assets(factory))
    real_copy = archive_mod.copy_file
    calls = []

    def flaky_copy(src, dst, **kw):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_copy(src, dst, **kw)

    monkeypatch.setattr(archive_mod, "copy_file", flaky_copy)
    with pytest.raises(PublishError) as exc_info:
        await pub.publish(article, None)
    assert exc_info.value.retryable is True
    monkeypatch.undo()
    assert _visible(root) == []

    # A hard crash (no cleanup ran) leaves a staging folder behind: it is
    # invisible, never mistaken for a version, and removed by the next run.
    junk = root / ".staging" / "7-v1-dead"
    (junk / "lampiran").mkdir(parents=True)
    (junk / "metadata.json").write_text('{"article": {"revision_number": 1}}')
    result = await pub.publish(article, None)
    assert result.remote["version"] == 1
    assert not list((root / ".staging").iterdir())
    assert verify_folder(Path(result.remote["path"])) == []


async def test_crash_during_rename_keeps_nothing_half_done(tmp_path, factory, monkeypatch):
    root = tmp_path / "arsip"
    pub = _pub(root)

    def boom(src, dst):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(archive_mod.os, "rename", boom)
    with pytest.raises(PublishError):
        await pub.publish(factory.article(assets=_assets(factory)), None)
    monkeypatch.undo()
    assert not list((root / "2026/11/7-rapat-koordinasi").glob("v*"))
    assert not list((root / ".staging").iterdir())


async def test_hash_mismatch_refused(tmp_path, factory):
    doc = factory.pdf()
    doc.original.write_bytes(b"bukan berkas yang sama")
    with pytest.raises(PublishError) as exc_info:
        await _pub(tmp_path / "arsip").publish(factory.article(assets=(doc,)), None)
    assert exc_info.value.retryable is False
    assert _visible(tmp_path / "arsip") == []


async def test_folder_name_is_clean(tmp_path, factory):
    pub = _pub(tmp_path / "arsip")
    r = await pub.publish(factory.article(12, slug="judul-tanpa-id"), None)
    assert r.remote_id == "2026/11/12-judul-tanpa-id/v1"
    r = await pub.publish(factory.article(13, slug="13-"), None)
    assert r.remote_id == "2026/11/13-artikel/v1"
