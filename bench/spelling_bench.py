"""Benchmark of the spelling check on a 10,000-character body (run: ``python -m bench.spelling_bench``).

The check runs on every preview, so the goal is < 100 ms per 10,000-character body.
Bodies are made of realistic government-news sentences, shuffled, with a few typos,
non-standard forms, names, numbers and links mixed in.  Printed, as the median of N runs:

* load   - loading the Hunspell id_ID dictionary (once per process; not part of a preview)
* cold   - a body checked with every memoized lookup and suggestion forgotten first
           (the first preview after the bot starts)
* new    - a different body each run, lookups kept between runs (a new draft in a running bot)
* repeat - the same body again (the next preview of the same draft)

Without hunspell-id only the standard-form list is checked; the figures say so.
"""
from __future__ import annotations

import argparse
import random
import statistics
import time

from domain import spelling

GOAL_MS = 100.0
SIZE = 10_000

SENTENCES = [
    "Dinas Komunikasi dan Informatika menggelar rapat koordinasi perencanaan program kerja tahun depan.",
    "Kegiatan ini dihadiri oleh seluruh kepala bidang, kepala seksi dan staf pelaksana.",
    "Dalam sambutannya, kepala dinas menyampaikan bahwa pelayanan publik harus terus ditingkatkan.",
    "Masyarakat diharapkan dapat memanfaatkan layanan daring yang telah disediakan pemerintah daerah.",
    "Peserta mengikuti pelatihan dengan antusias dan menyelesaikan seluruh materi yang diberikan.",
    "Sosialisasi keterbukaan informasi publik dilaksanakan di aula kantor pada 12 Desember 2026.",
    "Informasi lengkap tersedia di https://contoh.go.id/berita atau melalui humas@contoh.go.id.",
    "Bupati Sumba Timur meminta BPBD dan OPD terkait meningkatkan kesiapsiagaan menghadapi musim hujan.",
    "Panitia merubah jadwal kegiatan karena resiko cuaca buruk, dan ijin lokasi sudah diperoleh.",
    "Para pegawai mengikuti kegiaatan senam bersama setiap hari Jumat pagi di halaman kantor.",
    "Anggaran sebesar Rp1.250.000.000 dialokasikan untuk pembangunan jaringan internet desa.",
    "Kepala bidang menjelaskan tahapan penyusunan laporan kinerja instansi pemerintah secara rinci.",
    "Warga yang membutuhkan bantuan dapat menghubungi petugas pada jam kerja.",
    "Evaluasi pelaksanaan program dilakukan setiap triwulan bersama seluruh pemangku kepentingan.",
]


def body(rng: random.Random, typo: str) -> str:
    """About 10,000 characters of paragraphs (three sentences each), with one fresh typo."""
    out: list[str] = []
    size = 0
    while size < SIZE:
        para = " ".join(rng.choice(SENTENCES) for _ in range(3))
        out.append(para)
        size += len(para) + 2
    out.append(f"Pelaksanaan {typo} dilaporkan kepada pimpinan.")
    return "\n\n".join(out)[:SIZE]


def timed(text: str) -> float:
    start = time.perf_counter()
    spelling.check(text)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="runs per figure (the median is printed)")
    args = parser.parse_args()
    rng = random.Random(20261201)

    start = time.perf_counter()
    lexicon = spelling.dictionary()
    load_ms = (time.perf_counter() - start) * 1000
    where = spelling.dictionary_path() or "none (hunspell-id not installed: standard forms only)"
    print(f"dictionary: {where}")
    print(f"standard forms: {len(spelling.standard_forms())} pairs")
    if lexicon is not None:
        print(f"load   {load_ms:8.1f} ms  (once per process)")

    texts = [body(rng, f"pelaksanaa{'n' * (2 + i % 3)}{chr(98 + i % 20)}") for i in range(args.n)]
    cold = []
    for text in texts:
        spelling.forget()
        cold.append(timed(text))
    spelling.forget()
    timed(texts[0])
    new = [timed(body(rng, f"kegiat{chr(98 + i)}an")) for i in range(args.n)]
    repeat = [timed(texts[0]) for _ in range(args.n)]

    n_chars = len(texts[0])
    print(f"per {n_chars}-character body, median of {args.n}:")
    for name, runs in (("cold", cold), ("new", new), ("repeat", repeat)):
        print(f"{name:6} {statistics.median(runs):8.1f} ms  (max {max(runs):.1f})")
    verdict = "met" if statistics.median(new) < GOAL_MS and statistics.median(repeat) < GOAL_MS else "MISSED"
    print(f"goal   < {GOAL_MS:.0f} ms per preview (new and repeat): {verdict}")


if __name__ == "__main__":
    main()
