"""Audio/video: technical metadata via mutagen, optional ffmpeg rendition for voice notes.

Synchronous; ``media.pipeline`` runs it in a worker thread.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MediaRejected
from .sniff import AAC, M4A, MOV, MP3, MP4, OPUS, VORBIS, WAV, Detected

__all__ = ["AvInfo", "ffmpeg_path", "probe", "transcode_voice"]

log = logging.getLogger(__name__)


@dataclass
class AvInfo:
    duration: float | None  # seconds
    bitrate: int | None  # bits per second
    sample_rate: int | None
    channels: int | None
    codec: str | None
    container: str


def _loader(detected: Detected) -> Callable[[Path | str], Any] | None:
    """The mutagen class that reads ``detected`` (mutagen has no type hints)."""
    from mutagen.aac import AAC as MAAC
    from mutagen.mp3 import MP3 as MMP3
    from mutagen.mp4 import MP4 as MMP4
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis
    from mutagen.wave import WAVE

    return {
        MP3: MMP3, M4A: MMP4, MP4: MMP4, MOV: MMP4, AAC: MAAC,
        OPUS: OggOpus, VORBIS: OggVorbis, WAV: WAVE,
    }.get(detected)


def probe(path: Path | str, detected: Detected) -> AvInfo:
    """Duration/bitrate/format; ``MediaRejected("av_broken")`` if unreadable."""
    cls = _loader(detected)
    if cls is None:
        raise ValueError(f"not an audio/video type: {detected.mime}")
    try:
        f = cls(path)
    except Exception as exc:  # mutagen raises its own MutagenError family and more
        raise MediaRejected("av_broken", reason=type(exc).__name__) from None
    i = f.info
    duration = getattr(i, "length", None)
    if duration is not None and (duration != duration or duration < 0):  # NaN / negative
        duration = None
    codec = getattr(i, "codec", None) or {OPUS: "opus", VORBIS: "vorbis", MP3: "mp3", AAC: "aac", WAV: "pcm"}.get(
        detected
    )
    if detected in (MP4, MOV) and duration is None:
        raise MediaRejected("av_broken", reason="no_duration")
    bitrate = getattr(i, "bitrate", None) or None
    if bitrate is None and duration:
        bitrate = int(os.path.getsize(path) * 8 / duration)
    return AvInfo(
        duration=round(duration, 3) if duration is not None else None,
        bitrate=int(bitrate) if bitrate else None,
        sample_rate=getattr(i, "sample_rate", None) or None,
        channels=getattr(i, "channels", None) or None,
        codec=str(codec) if codec else None,
        container=detected.label,
    )


def ffmpeg_path() -> str | None:
    return shutil.which("ffmpeg")


def transcode_voice(src: Path | str, out_dir: Path | str, *, stem: str, timeout: float = 120.0) -> Path | None:
    """OGG/Opus voice note -> AAC in M4A (plays in every browser, Safari included).

    Returns the new file, or ``None`` when ffmpeg is not installed or fails
    (the original OGG stays the only copy; most browsers play it anyway).
    """
    exe = ffmpeg_path()
    if exe is None:
        log.info("ffmpeg not on PATH: keeping voice note as OGG/Opus only")
        return None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / f"{stem}.audio.m4a"
    fd, tmp = tempfile.mkstemp(prefix=".a-", suffix=".m4a", dir=out_dir)
    os.close(fd)
    cmd = [
        exe, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", str(src), "-vn", "-map_metadata", "-1",
        "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", tmp,
    ]
    try:
        subprocess.run(cmd, check=True, timeout=timeout, capture_output=True)
        if os.path.getsize(tmp) == 0:
            raise OSError("empty output")
        os.replace(tmp, dest)
        return dest
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("voice transcode failed: %s", type(exc).__name__)
        return None
    finally:
        Path(tmp).unlink(missing_ok=True)
