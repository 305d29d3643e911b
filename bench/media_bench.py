"""Benchmark of the photo path of ``media`` (run: ``python -m bench.media_bench``).

Builds its own inputs in a temp dir (12 MP and 24 MP JPEGs with EXIF
orientation + GPS, the 12 MP one again tagged with an embedded sRGB ICC
profile as most cameras and editors write it, a 12 MP PNG) and prints, per image, the best of N wall
times for:

* ours      - ``media.images.make_renditions`` (web 1600 px + 400 px thumb, progressive JPEG;
              the default policy)
* ours-base - the same with baseline (non-progressive) JPEG output
* ours-webp - the same with WebP output
* naive     - full decode, exif_transpose, resize to 1600, save; thumbnail from the full image, save
* floor     - decode only, with ``draft()`` to the web size for JPEG (plain decode for PNG)

Quality: mean absolute difference (0-255, averaged over R, G, B) between the
decoded output files (what a visitor's browser shows) and a reference made
the slow way: full-resolution decode, EXIF orientation, LANCZOS straight to
the same size, no compression. Lower is closer; JPEG q82 alone accounts for
a good part of it (see the "ref+q82" row: the reference itself saved as
baseline JPEG q82).

Peak memory is measured as the peak RSS (``VmHWM`` from /proc, reset with
``clear_refs`` after the imports; Linux only) of a fresh subprocess that
pushes one 24 MP JPEG through ``media.pipeline.process``. Pillow's pixel
buffers are not visible to tracemalloc, RSS is; ``ru_maxrss`` is useless
here because Linux carries it over from the forking parent.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat

from media.images import make_renditions

WEB, THUMB, QUALITY = 1600, 400, 82


def photo_like(w: int, h: int, seed: int = 0) -> Image.Image:
    """Smooth structure + sensor-like noise: compresses and decodes like a photo."""
    base = Image.effect_noise((w // 8, h // 8), 64).convert("L")
    grad = Image.linear_gradient("L").resize((w // 8, h // 8))
    rot = base.rotate(90 + seed, expand=False)
    small = Image.merge("RGB", [base, grad, rot])
    big = small.resize((w, h), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((w, h), 14).convert("RGB")
    return Image.blend(big, noise, 0.12)


def make_inputs(d: Path) -> dict[str, Path]:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "BenchCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 10.0, 30.0)
    out = {}
    for name, (w, h) in {"12MP JPEG": (4000, 3000), "24MP JPEG": (6000, 4000)}.items():
        p = d / f"{w}x{h}.jpg"
        photo_like(w, h).save(p, "JPEG", quality=90, exif=exif)
        out[name] = p
    p = d / "4000x3000-srgb.jpg"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo_like(4000, 3000).save(p, "JPEG", quality=90, exif=exif, icc_profile=srgb)
    out["12MP sRGB"] = p
    p = d / "4000x3000.png"
    photo_like(4000, 3000, seed=1).save(p, "PNG", compress_level=3)
    out["12MP PNG"] = p
    return out


def best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def ours(src: Path, out: Path, progressive: bool = True, fmt: str = "JPEG", stem: str = "ours"):
    return make_renditions(src, out, max_side=WEB, thumb_side=THUMB, quality=QUALITY, progressive=progressive,
                           fmt=fmt, stem=stem)


def naive(src: Path, out: Path) -> None:
    with Image.open(src) as im:
        im.load()
        im = ImageOps.exif_transpose(im).convert("RGB")
        w, h = im.size
        s = WEB / max(w, h)
        web = im.resize((round(w * s), round(h * s)))
        web.save(out / "naive.web.jpg", "JPEG", quality=QUALITY, progressive=True)
        th = im.copy()
        th.thumbnail((THUMB, THUMB))
        th.save(out / "naive.thumb.jpg", "JPEG", quality=QUALITY, progressive=True)


def reference(src: Path) -> Image.Image:
    with Image.open(src) as im:
        im.load()
        return ImageOps.exif_transpose(im).convert("RGB")


def mad(path: Path, ref: Image.Image) -> float:
    """Mean absolute difference (0-255) of the image in ``path`` vs ``ref`` resized with LANCZOS to its size."""
    with Image.open(path) as im:
        im = im.convert("RGB")
        r = ref.resize(im.size, Image.Resampling.LANCZOS)
        return sum(ImageStat.Stat(ImageChops.difference(im, r)).mean) / 3


def ref_q82(ref: Image.Image, size: tuple[int, int], out: Path) -> Path:
    p = out / f"ref-{size[0]}.jpg"
    ref.resize(size, Image.Resampling.LANCZOS).save(p, "JPEG", quality=QUALITY)
    return p


def floor(src: Path) -> None:
    with Image.open(src) as im:
        if im.format == "JPEG":
            w, h = im.size
            s = WEB / max(w, h)
            im.draft("RGB", (round(w * s), round(h * s)))
        im.load()


_MEM_HELPERS = r"""
import json, sys
from pathlib import Path

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])  # kB

def reset_peak():
    # Linux >= 4.0: writing 5 resets VmHWM (peak RSS) to the current RSS
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")

src, root = Path(sys.argv[1]), Path(sys.argv[2])
"""

_CHILD = _MEM_HELPERS + r"""
import asyncio, media.pipeline, media.store
store = media.store.ContentStore(root / "store", fsync=False)
blob = store.ingest_file_sync(src)
reset_peak()
before = status("VmRSS")
asyncio.run(media.pipeline.process(blob, original_name="x.jpg", out_dir=root / "out"))
print(json.dumps({"before_kb": before, "peak_kb": status("VmHWM")}))
"""

_CHILD_NAIVE = _MEM_HELPERS + r"""
from bench.media_bench import naive
reset_peak()
before = status("VmRSS")
naive(src, root)
print(json.dumps({"before_kb": before, "peak_kb": status("VmHWM")}))
"""


def peak_rss(code: str, src: Path, root: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    res = subprocess.run(
        [sys.executable, "-c", code, str(src), str(root)], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="repetitions (best of N)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="terbit-bench-") as tmp:
        d = Path(tmp)
        out = d / "out"
        out.mkdir()
        t0 = time.perf_counter()
        inputs = make_inputs(d)
        print(f"Pillow {Image.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); "
              f"inputs built in {time.perf_counter() - t0:.1f}s; best of {args.n}; times in ms")
        hdr = (f"{'image':<10} {'bytes':>10} {'floor':>7} {'ours':>7} {'ours-base':>9} {'ours-webp':>9}"
               f" {'naive':>7} {'ours/floor':>10} {'base/floor':>10} {'naive/ours':>10}")
        print(hdr)
        print("-" * len(hdr))
        quality = {}
        for name, src in inputs.items():
            fl = best_of(args.n, lambda s=src: floor(s))
            o = best_of(args.n, lambda s=src: ours(s, out))
            ob = best_of(args.n, lambda s=src: ours(s, out, progressive=False))
            ow = best_of(args.n, lambda s=src: ours(s, out, fmt="WEBP"))
            nv = best_of(args.n, lambda s=src: naive(s, out))
            print(f"{name:<10} {src.stat().st_size:>10} {fl*1e3:7.1f} {o*1e3:7.1f} {ob*1e3:9.1f} {ow*1e3:9.1f}"
                  f" {nv*1e3:7.1f} {o/fl:10.2f} {ob/fl:10.2f} {nv/o:10.2f}")
            ref = reference(src)
            rows = {}
            for label, kw in (("ours", {}), ("ours-base", {"progressive": False}), ("ours-webp", {"fmt": "WEBP"})):
                info = ours(src, out, stem=label, **kw)
                rows[label] = (info.web, info.thumb)
            naive(src, out)
            rows["naive"] = (out / "naive.web.jpg", out / "naive.thumb.jpg")
            with Image.open(rows["ours"][0]) as w, Image.open(rows["ours"][1]) as t:
                rows["ref+q82"] = (ref_q82(ref, w.size, out), ref_q82(ref, t.size, out))
            quality[name] = {k: (mad(wp, ref), mad(tp, ref), wp.stat().st_size, tp.stat().st_size)
                             for k, (wp, tp) in rows.items()}

        print()
        print("Quality: mean absolute difference (0-255) vs a full-resolution LANCZOS reference; file sizes in bytes")
        qhdr = f"{'image':<10} {'output':<10} {'web MAD':>8} {'thumb MAD':>9} {'web bytes':>10} {'thumb bytes':>11}"
        print(qhdr)
        print("-" * len(qhdr))
        for name, rows in quality.items():
            for label, (wm, tm, ws, ts) in rows.items():
                print(f"{name:<10} {label:<10} {wm:8.2f} {tm:9.2f} {ws:>10} {ts:>11}")

        src = inputs["24MP JPEG"]
        ours_mem = peak_rss(_CHILD, src, d / "mem-ours")
        naive_mem = peak_rss(_CHILD_NAIVE, src, out)
        mb = lambda kb: kb / 1024  # noqa: E731
        print()
        print("Peak memory, one 24 MP JPEG: peak RSS (VmHWM, reset after imports) of a fresh subprocess:")
        print(f"  ours (media.pipeline.process): peak {mb(ours_mem['peak_kb']):.0f} MB"
              f" (RSS after interpreter + imports: {mb(ours_mem['before_kb']):.0f} MB,"
              f" added by the photo: {mb(ours_mem['peak_kb'] - ours_mem['before_kb']):.0f} MB)")
        print(f"  naive:                         peak {mb(naive_mem['peak_kb']):.0f} MB"
              f" (before: {mb(naive_mem['before_kb']):.0f} MB,"
              f" added: {mb(naive_mem['peak_kb'] - naive_mem['before_kb']):.0f} MB)")


if __name__ == "__main__":
    main()
