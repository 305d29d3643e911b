from __future__ import annotations

import hashlib
import io
import tracemalloc
import zlib

import media_factories as f
import pytest
from media_asserts import expect_rejected
from PIL import Image, ImageFile

from media import MediaPolicy
from media.images import heif_available

FORBIDDEN_JPEG_MARKERS = {0xE1: "APP1 (EXIF/XMP)", 0xE2: "APP2 (ICC)", 0xED: "APP13 (IPTC)", 0xFE: "COM"}


def assert_no_metadata(path):
    data = path.read_bytes()
    if data[:2] == b"\xff\xd8":
        markers = [m for m, _ in f.jpeg_segments(data)]
        bad = [FORBIDDEN_JPEG_MARKERS[m] for m in markers if m in FORBIDDEN_JPEG_MARKERS]
        assert not bad, f"metadata left in {path.name}: {bad}"
        assert 0xC2 in markers, "expected a progressive JPEG (SOF2)"
    else:
        assert data[8:12] == b"WEBP"
        for chunk in (b"EXIF", b"XMP ", b"ICCP"):
            assert chunk not in data
    with Image.open(path) as im:
        assert not im.getexif()
        assert "icc_profile" not in im.info and "exif" not in im.info
        assert "comment" not in im.info and "xmp" not in im.info
    assert b"secret-comment" not in data and b"TestCam" not in data


async def test_exif_orientation_and_gps(run, store):
    original = f.jpeg_with_exif_gps(orientation=6)
    res = await run(original, "IMG_0001.JPG")
    assert res.kind == "photo" and res.mime == "image/jpeg"
    # stored 400x200, displayed (and rendered) 200x400
    assert (res.meta["width"], res.meta["height"]) == (200, 400)
    assert res.meta["orientation"] == 6
    web, thumb = res.rendition("web"), res.rendition("thumb")
    with Image.open(web.path) as im:
        assert im.size == (200, 400) == (web.width, web.height)
        im = im.convert("RGB")
        top, bottom = im.getpixel((100, 20)), im.getpixel((100, 380))
    # orientation 6 = rotate 90 deg clockwise: the stored left (red) ends up on top
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    assert_no_metadata(web.path)
    assert_no_metadata(thumb.path)
    # the original is untouched in the store, GPS and all
    orig = store.path_for(res.sha256)
    assert orig.read_bytes() == original
    assert hashlib.sha256(original).hexdigest() == res.sha256
    with Image.open(orig) as im:
        assert im.getexif().get_ifd(0x8825)[1] == "S"
    # derived files are hashed and linked to the parent
    for d in (web, thumb):
        assert d.sha256 == hashlib.sha256(d.path.read_bytes()).hexdigest() and d.size == d.path.stat().st_size
        assert res.sha256 in d.path.name


async def test_large_photo_is_scaled_and_thumb_made(run):
    im = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    res = await run(f.jpeg_bytes(im, quality=80))
    web, thumb = res.rendition("web"), res.rendition("thumb")
    assert (web.width, web.height) == (1600, 1200)
    assert (thumb.width, thumb.height) == (400, 300)
    assert (res.meta["width"], res.meta["height"]) == (4000, 3000)


async def test_webp_output(run):
    policy = MediaPolicy(image_format="WEBP")
    res = await run(f.jpeg_with_exif_gps(3), policy=policy)
    web = res.rendition("web")
    assert web.mime == "image/webp" and web.path.suffix == ".webp"
    assert_no_metadata(web.path)
    with Image.open(web.path) as im:
        px = im.convert("RGB").getpixel((10, 100))
    assert px[2] > 200  # orientation 3 = 180 deg: the blue right half is now on the left


async def test_png_with_alpha_flattened_on_white(run):
    im = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    im.paste((0, 128, 0, 255), (0, 0, 150, 200))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    res = await run(buf.getvalue(), "logo.png")
    assert res.mime == "image/png" and res.meta["had_alpha"]
    with Image.open(res.rendition("web").path) as out:
        assert out.mode == "RGB"
        assert out.getpixel((250, 100)) >= (250, 250, 250)  # transparent -> white
        g = out.getpixel((50, 100))
        assert g[1] > 100 and g[0] < 30


async def test_png_alpha_kept_for_webp(run):
    im = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    res = await run(buf.getvalue(), policy=MediaPolicy(image_format="WEBP"))
    with Image.open(res.rendition("web").path) as out:
        assert out.mode == "RGBA" and out.getpixel((5, 5))[3] == 0


async def test_cmyk_jpeg_converted_to_rgb(run):
    im = Image.new("CMYK", (320, 240), (0, 255, 255, 0))  # pure red in CMYK
    res = await run(f.jpeg_bytes(im, quality=95))
    assert res.meta["source_mode"] == "CMYK"
    with Image.open(res.rendition("web").path) as out:
        assert out.mode == "RGB"
        r, g, b = out.getpixel((160, 120))
    assert r > 200 and g < 60 and b < 60


async def test_embedded_icc_profile_converted_to_srgb(run):
    from PIL import ImageCms

    srgb_icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    im = Image.new("RGB", (64, 64), (10, 200, 30))
    res = await run(f.jpeg_bytes(im, icc_profile=srgb_icc, quality=95))
    assert res.meta["icc_converted"] is True
    with Image.open(res.rendition("web").path) as out:
        assert "icc_profile" not in out.info
        r, g, _b = out.getpixel((32, 32))
    assert abs(g - 200) < 12 and r < 40


def _mad(a: Image.Image, b: Image.Image) -> float:
    from PIL import ImageChops, ImageStat

    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def test_srgb_profile_detection():
    from PIL import ImageCms

    from media.images import _is_srgb

    assert _is_srgb(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert _is_srgb(f.srgb_iec_icc())
    assert not _is_srgb(f.display_p3_icc())
    assert not _is_srgb(b"not an icc profile")


async def test_srgb_tagged_jpeg_skips_conversion_and_matches_untagged(run, monkeypatch):
    # sRGB-tagged photos (most cameras and editors) take the same path as untagged ones:
    # no LittleCMS pass over the photo, and the same pixels come out.
    from media import images

    applied = []
    real = images._icc_transform

    def spy(icc, in_mode, out_mode):
        t = real(icc, in_mode, out_mode)

        class Spy:
            def apply(self, im):
                applied.append(im.size)
                return t.apply(im)

        return Spy()

    monkeypatch.setattr(images, "_icc_transform", spy)
    images._is_srgb.cache_clear()
    photo = f.two_tone((1200, 900), left=(200, 120, 60), right=(40, 90, 180))
    tagged = await run(f.jpeg_bytes(photo, quality=92, icc_profile=f.srgb_iec_icc()))
    plain = await run(f.jpeg_bytes(photo, quality=92))
    assert tagged.meta["icc_converted"] is True and plain.meta["icc_converted"] is False
    assert all(max(size) <= 17 * 17 for size in applied), applied  # only the colour-cube probe
    for role in ("web", "thumb"):
        with Image.open(tagged.rendition(role).path) as a, Image.open(plain.rendition(role).path) as b:
            assert "icc_profile" not in a.info
            assert a.size == b.size and _mad(a, b) < 0.5


async def test_display_p3_jpeg_converted_to_srgb(run):
    from PIL import ImageCms

    p3 = f.display_p3_icc()
    colour = (100, 200, 100)  # a P3 green that is more saturated than sRGB can show
    im = Image.new("RGB", (640, 480), colour)
    res = await run(f.jpeg_bytes(im, quality=95, icc_profile=p3))
    assert res.meta["icc_converted"] is True
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour), ImageCms.ImageCmsProfile(io.BytesIO(p3)), ImageCms.createProfile("sRGB")
    ).getpixel((0, 0))
    assert abs(expected[0] - colour[0]) > 30  # the conversion is far from an identity
    for role in ("web", "thumb"):
        with Image.open(res.rendition(role).path) as out:
            assert "icc_profile" not in out.info
            got = out.convert("RGB").getpixel((out.width // 2, out.height // 2))
        assert all(abs(g - e) <= 4 for g, e in zip(got, expected)), (got, expected)


async def test_gif_first_frame(run):
    frames = [Image.new("P", (120, 80), 0) for _ in range(2)]
    frames[0].putpalette([255, 0, 0] + [0] * 765)
    frames[1].putpalette([0, 0, 255] + [0] * 765)
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    res = await run(buf.getvalue(), "anim.gif")
    assert res.meta["animated"] and "first_frame_only" in res.notes
    with Image.open(res.rendition("web").path) as out:
        r, _g, b = out.convert("RGB").getpixel((60, 40))
    assert r > 200 and b < 60


@pytest.mark.skipif(not heif_available(), reason="pillow-heif not installed")
async def test_heic(run):
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (0, 0, 255)).save(buf, "HEIF", quality=90)
    res = await run(buf.getvalue(), "IMG_1234.HEIC")
    assert res.mime == "image/heic" and res.display_name == "IMG_1234.heic"
    web = res.rendition("web")
    assert web.mime == "image/jpeg" and (web.width, web.height) == (640, 480)
    assert_no_metadata(web.path)


async def test_heic_without_pillow_heif_has_its_own_code(tmp_path, monkeypatch):
    from media import images

    p = tmp_path / "x"
    p.write_bytes(f.ftyp(b"heic", b"mif1", b"heic") + b"\x00" * 100)
    monkeypatch.setattr(images, "_HEIF", False)
    monkeypatch.setattr(images, "_PIL_FORMATS", ["JPEG", "PNG", "WEBP", "GIF"])
    with pytest.raises(images.MediaRejected) as e:
        images.make_renditions(p, tmp_path / "o")
    assert e.value.code == "heic_unsupported"


# --- bad images -----------------------------------------------------------------


async def test_truncated_jpeg(run):
    data = f.jpeg_bytes(Image.effect_noise((800, 600), 60).convert("RGB"), quality=90)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    await expect_rejected(run(data[: len(data) * 6 // 10], "foto.jpg"), "image_corrupt")


async def test_corrupt_header(run):
    data = bytearray(f.jpeg_bytes(Image.new("RGB", (64, 64))))
    data[20:200] = b"\xff" * 180
    await expect_rejected(run(bytes(data)), "image_corrupt")


async def test_decompression_bomb_png_30000(run):
    # IHDR claims 30000 x 30000 (900 MP); the file is a few hundred bytes.
    data = f.png_raw(30000, 30000, idat=zlib.compress(b"\x00" * 1000))
    assert len(data) < 1000
    tracemalloc.start()
    try:
        await expect_rejected(run(data, "peta.png"), "image_too_large_pixels")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


async def test_pixel_limit_from_policy(run):
    # 9000 x 9000 = 81 MP: below Pillow's own bomb limit, above our 60 MP policy.
    data = f.png_raw(9000, 9000, idat=zlib.compress(b"\x00" * 1000))
    e = await expect_rejected(run(data), "image_too_large_pixels")
    assert e.params["max_mp"] == 60 and e.params["width"] == 9000
    small = MediaPolicy(max_pixels=1000)
    await expect_rejected(run(f.png_raw(40, 40), policy=small), "image_too_large_pixels")


async def test_png_text_chunk_bomb(run):
    # zTXt that inflates to 200 MB: Pillow's MAX_TEXT_CHUNK stops it; memory stays low.
    bomb = f.png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"\x00" * (200 << 20), 9))
    data = f.png_raw(16, 16, extra=bomb)
    assert len(data) < 300_000
    tracemalloc.start()
    try:
        await expect_rejected(run(data), "image_corrupt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024


async def test_png_big_plain_text_chunk_is_stripped(run):
    # a 3 MB tEXt chunk (bigger than MAX_TEXT_CHUNK) is read, bounded by the file size, and dropped
    big = f.png_chunk(b"tEXt", b"Comment\x00" + b"A" * (3 << 20))
    res = await run(f.png_raw(32, 32, extra=big))
    web = res.rendition("web").path.read_bytes()
    assert b"AAAAAAAA" not in web and len(web) < 10_000
