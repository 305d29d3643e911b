"""Play the whole SOP against the fake Bot API and print what everyone saw.

    .venv/bin/python scripts/transcript.py

The README's transcript comes from this; it uses the test harness, so what it
prints is what the tests exercise.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakebot.server import FakeTelegram
from tests.flow.harness import (
    Office,
    jpeg,
    make_settings,
    ogg_opus,
    running,
    staffed_office,
    tiny_pdf,
)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram() as tg:
            o = Office(tg, make_settings(tg, Path(tmp) / "data"))
            async with running(o):
                await staffed_office(o)
                o.log.clear()
                w, ks, kp = o.writer, o.kasubbag, o.kepala
                m = await o.say(w, "/baru")
                m = await o.press(w, m, "📰 Berita")
                m = await o.say(w, "Sosialisasi Keterbukaan Informasi Publik")
                m = await o.press(w, m, "🧭 Dipandu (5W1H)")
                for answer in ["sosialisasi keterbukaan informasi publik", "seluruh pegawai dan perwakilan warga",
                               "Senin, 23 November 2026 pukul 09.00 WIB", "aula kantor",
                               "agar warga tahu cara meminta informasi publik",
                               "paparan narasumber, tanya jawab, dan pembagian brosur; hubungi 0812-3456-7890"]:
                    m = await o.say(w, answer)
                before = o._seen()
                await w.send_album([jpeg((200, 0, 0)), jpeg((0, 200, 0)), jpeg((0, 0, 200))], caption="Suasana acara")
                await w.wait_for_message(lambda x: "Album" in (x.text or ""), timeout=10)
                o._record(w, "(mengirim album 3 foto)", before)
                await o.upload(w, "Notulen.pdf", w.send_document(tiny_pdf(3), "Notulen.pdf"))
                await o.upload(w, "pesan suara", w.send_voice(ogg_opus(), duration=1))
                m = await o.press(w, w.last_message, "✅ Selesai, lihat pratinjau")
                m = await o.press(w, m, "✅ Ajukan ke Kasubbag")
                await o.press(ks, ks.last_message, "↩️ Kembalikan")
                await o.say(ks, "Nomor HP narasumber jangan diterbitkan.")
                m = await o.press(w, w.last_message, "✏️ Perbaiki")
                m = await o.press(w, m, "🛡 Samarkan data pribadi")
                m = await o.press(w, w.last_message, "✅ Ajukan ke Kasubbag")
                await o.press(ks, ks.last_message, "✅ Teruskan ke Kepala")
                await o.press(kp, kp.last_message, "✅ Setujui & Terbitkan")
                before = o._seen()
                await w.wait_for_message(lambda x: "Terbit:" in (x.text or ""), timeout=15)
                await o.tg.settle()
                o._record(kp, "(beberapa detik kemudian)", before)
            print("\n".join(o.log))


if __name__ == "__main__":
    asyncio.run(main())
