"""Errors raised by the media module."""

from __future__ import annotations

from typing import Any


class MediaRejected(Exception):
    """An upload that cannot become a valid, web-ready document.

    ``code`` is a stable machine-readable reason (see
    ``texts.id.media.MESSAGES`` for the user-facing texts) and ``params``
    are the values the message is formatted with (limits, labels, ...).
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code}({detail})" if detail else code)


# The complete set of codes this package may raise; the i18n module has one
# message per code and a test keeps both lists in sync.
REJECTION_CODES = frozenset(
    {
        "empty",
        "too_large",
        "download_failed",
        "unknown_type",
        "type_not_allowed",
        "image_corrupt",
        "image_too_large_pixels",
        "heic_unsupported",
        "pdf_encrypted",
        "pdf_broken",
        "office_broken",
        "office_macro",
        "av_broken",
    }
)
