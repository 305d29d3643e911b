from __future__ import annotations

import asyncio
import io

import media_factories as f
from media_asserts import assert_message, expect_rejected
from PIL import Image

from media import REJECTION_CODES, MediaPolicy, process
from media.errors import MediaRejected
from media.store import Blob
from texts.id.media import MESSAGES, rejection_text


def test_every_code_has_an_indonesian_message():
    assert set(MESSAGES) == set(REJECTION_CODES)
    for code in REJECTION_CODES:
        assert_message(code)
    text = rejection_text("too_large", max_mb=20.0, max_bytes=20 << 20)
    assert "20 MB" in text and "tautan" in text
    assert "EXE" in rejection_text("type_not_allowed", label="program Windows (EXE/DLL)")
    assert "PDF" in rejection_text("unknown_type")  # lists the accepted formats
    assert rejection_text("no_such_code")  # fallback, never an exception


async def test_zero_byte_file(run):
    await expect_rejected(run(b"", "kosong.jpg"), "empty")


async def test_zero_byte_blob_passed_directly(tmp_path):
    p = tmp_path / "empty"
    p.write_bytes(b"")
    blob = Blob("0" * 64, p, 0)
    await expect_rejected(process(blob, original_name=None, out_dir=tmp_path / "o"), "empty")


async def test_exe_renamed_pdf(run):
    exe = b"MZ\x90\x00" + b"\x00" * 56 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
    e = await expect_rejected(run(exe, "Laporan Tahunan.pdf"), "type_not_allowed")
    assert "EXE" in e.params["label"]


async def test_html_renamed_jpg(run):
    html = b"<!doctype html><html><body onload=alert(1)>hi</body></html>"
    e = await expect_rejected(run(html, "foto.jpg"), "type_not_allowed")
    assert "HTML" in e.params["label"]


async def test_svg_with_script(run):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>fetch("//x")</script></svg>'
    e = await expect_rejected(run(svg, "logo.svg"), "type_not_allowed")
    assert "SVG" in e.params["label"]


async def test_unknown_binary(run):
    await expect_rejected(run(bytes(range(256)) * 10, "data.jpg"), "unknown_type")


async def test_disallowed_by_policy(run):
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "GIF")
    e = await expect_rejected(run(buf.getvalue(), policy=MediaPolicy(allowed_mimes=frozenset({"image/jpeg"}))), "type_not_allowed")
    assert e.params["label"] == "GIF"


async def test_over_policy_size(run):
    e = await expect_rejected(run(f.pdf(), policy=MediaPolicy(max_bytes=100)), "too_large")
    assert e.params["max_bytes"] == 100


async def test_same_photo_twice_stored_once(run, store):
    data = f.jpeg_with_exif_gps(1)
    a = await run(data, "a.jpg")
    b = await run(data, "b.jpg")
    assert a.sha256 == b.sha256
    assert len(list(store.iter_objects())) == 1
    assert a.rendition("web").sha256 == b.rendition("web").sha256
    assert (a.display_name, b.display_name) == ("a.jpg", "b.jpg")


async def test_twenty_photos_concurrently_keep_the_loop_free(store, out_dir):
    datas = []
    for i in range(20):
        im = Image.linear_gradient("L").resize((1200 + 10 * i, 900)).convert("RGB")
        datas.append(f.jpeg_bytes(im, quality=85))
    blobs = await asyncio.gather(*(store.ingest_bytes(d) for d in datas))
    assert len({b.sha256 for b in blobs}) == 20

    ticks = 0
    stop = asyncio.Event()

    async def ticker():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker())
    results = await asyncio.gather(
        *(process(b, original_name=f"album_{i}.jpg", out_dir=out_dir) for i, b in enumerate(blobs))
    )
    stop.set()
    await t
    assert ticks > 20  # the event loop kept running while images were decoded in threads
    assert [r.display_name for r in results] == [f"album_{i}.jpg" for i in range(20)]
    webs = {r.rendition("web").path for r in results}
    assert len(webs) == 20 and all(p.exists() for p in webs)
    assert all(r.rendition("thumb").width == 400 for r in results)


async def test_display_name_traversal_and_non_latin(run):
    res = await run(f.pdf(), "../../../etc/تقرير 报告 Laporan.exe")
    assert res.display_name == "تقرير 报告 Laporan.pdf"
    res = await run(f.pdf(pages=2), None)
    assert res.display_name == "berkas.pdf"


async def test_rejection_carries_code_and_params():
    e = MediaRejected("too_large", max_mb=20)
    assert e.code == "too_large" and e.params == {"max_mb": 20}
    assert "too_large" in str(e)


async def test_capture_time_and_position_are_read_before_the_renditions_drop_them(run):
    from tests.flow.harness import jpeg

    p = await run(jpeg(taken="2026:11:30 09:15:00", offset="+08:00", at=(-8.6505, 115.2163)), "foto.jpg")
    assert p.meta["taken_at"] == "2026-11-30T09:15:00" and p.meta["taken_offset"] == "+08:00"
    assert p.meta["gps"] == [-8.6505, 115.2163]
    for d in p.derived:  # the renditions carry none of it
        with Image.open(d.path) as im:
            assert not im.getexif()
    bare = await run(jpeg((10, 10, 10)), "polos.jpg")
    assert not {"taken_at", "taken_offset", "gps"} & set(bare.meta)
    half = await run(jpeg((20, 20, 20), exif_gps=True), "separuh.jpg")  # a latitude alone is no position
    assert "gps" not in half.meta


def test_malformed_capture_tags_are_ignored():
    from media.images import read_capture

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "0000:00:00 00:00:00"
    exif.get_ifd(0x8769)[0x9011] = "bogus"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (0.0, 0.0, 0.0), "E", (0.0, 0.0, 0.0)
    assert read_capture(exif) == type(read_capture(exif))()
