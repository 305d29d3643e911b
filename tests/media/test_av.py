from __future__ import annotations

import shutil

import media_factories as f
import pytest
from media_asserts import expect_rejected


async def test_wav(run):
    res = await run(f.wav(seconds=1.5), "rekaman.wav")
    assert (res.kind, res.mime) == ("audio", "audio/wav")
    assert res.meta["duration"] == pytest.approx(1.5, abs=0.01)
    assert res.meta["sample_rate"] == 8000 and res.meta["channels"] == 1
    assert res.meta["bitrate"] == 128000


async def test_ogg_opus_voice_note_without_ffmpeg(run, monkeypatch):
    from media import av

    monkeypatch.setattr(av, "ffmpeg_path", lambda: None)
    res = await run(f.ogg_opus(seconds=2.0), "voice.oga")
    assert (res.kind, res.mime) == ("voice", "audio/ogg")
    assert res.meta["duration"] == pytest.approx(2.0, abs=0.05)
    assert res.meta["channels"] == 1
    assert res.derived == [] and "voice_kept_as_ogg" in res.notes
    assert res.display_name == "voice.ogg"


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not on PATH; voice transcoding is optional")
async def test_ogg_opus_transcoded_with_ffmpeg(run):
    res = await run(f.ogg_opus(seconds=2.0))
    d = res.rendition("audio_web")
    assert d is not None and d.mime == "audio/mp4" and d.size > 0


async def test_mp3(run):
    res = await run(f.mp3_frames(40), "lagu.mp3")
    assert res.mime == "audio/mpeg"
    assert res.meta["duration"] == pytest.approx(40 * 1152 / 44100, abs=0.05)
    assert res.meta["bitrate"] == 128000


async def test_mp4_detection_and_duration(run):
    res = await run(f.mp4_minimal(seconds=2), "video.mp4")
    assert (res.kind, res.mime) == ("video", "video/mp4")
    assert res.meta["duration"] == pytest.approx(2.0)


async def test_mp4_with_only_ftyp_is_broken(run):
    await expect_rejected(run(f.ftyp(b"isom", b"isom", b"mp41") + b"\x00" * 64), "av_broken")


async def test_garbage_after_ogg_magic(run):
    data = f.ogg_opus()[:60] + b"\x00" * 200
    await expect_rejected(run(data), "av_broken")
