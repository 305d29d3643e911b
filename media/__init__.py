"""Upload handling for Terbit (SOP step 2): sniff, store, validate, render.

Pure: knows nothing of Telegram or SQL. Typical use by the drafting
conversation::

    blob = await stream_download(client, file_url, store, policy.max_bytes)
    result = await process(blob, original_name=doc.file_name, out_dir=..., policy=policy)
    # on MediaRejected as e: reply texts.id.media.rejection_text(e.code, **e.params)
"""

from .download import stream_download
from .errors import REJECTION_CODES, MediaRejected
from .names import safe_filename
from .pipeline import Derived, MediaPolicy, Processed, process, set_max_parallel
from .sniff import DEFAULT_ALLOWED_MIMES, Detected, detect, identify
from .store import Blob, ContentStore

__all__ = [
    "DEFAULT_ALLOWED_MIMES",
    "REJECTION_CODES",
    "Blob",
    "ContentStore",
    "Derived",
    "Detected",
    "MediaPolicy",
    "MediaRejected",
    "Processed",
    "detect",
    "identify",
    "process",
    "safe_filename",
    "set_max_parallel",
    "stream_download",
]
