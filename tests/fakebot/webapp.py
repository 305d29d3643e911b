"""What a Telegram client hands a Mini App, made the way Telegram makes it (for tests only).

``sign_init_data`` builds the ``initData`` query string Telegram signs for a bot: the fields, ``hash``
= hex HMAC-SHA256 of the data-check-string (every other field, sorted, ``key=value`` joined by
``\\n``) under HMAC-SHA256(key="WebAppData", msg=bot_token).  Like Telegram it percent-encodes with
``%20`` (never ``+``), writes ``user`` as compact JSON with ``/`` escaped as ``\\/``, and adds a
``signature`` field (Telegram's Ed25519 signature for third parties; random bytes here, since only
Telegram holds that key — the bot-token hash covers it like any other field).

``launch_fragment`` is what Telegram appends to the Mini App's URL: ``#tgWebAppData=…&tgWebAppVersion=…``.

The signing is written out here on purpose, not imported from handlers.desk.initdata: a mistake
shared by the signer and the checker must not make the tests pass.  The tests also check published
reference vectors that neither produced.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from datetime import datetime
from typing import Any
from urllib.parse import quote


def _quote(value: str) -> str:
    return quote(value, safe="-_.!~*'()")  # encodeURIComponent's safe set, as Telegram's clients use


def user_json(user: dict[str, Any]) -> str:
    """A user object as Telegram writes it: compact, UTF-8, ``/`` escaped."""
    return json.dumps(user, separators=(",", ":"), ensure_ascii=False).replace("/", "\\/")


def sign_init_data(bot_token: str, *, user: dict[str, Any] | None, auth_date: int | datetime,
                   query_id: str | None = "AAHdF6IQAAAAAN0XohDhrOrc", signature: bool = True,
                   extra: dict[str, str] | None = None) -> str:
    """A signed initData query string (hash last, as Telegram sends it)."""
    when = int(auth_date.timestamp()) if isinstance(auth_date, datetime) else int(auth_date)
    fields: dict[str, str] = {}
    if query_id is not None:
        fields["query_id"] = query_id
    if user is not None:
        fields["user"] = user_json(user)
    fields["auth_date"] = str(when)
    if signature:
        fields["signature"] = base64.urlsafe_b64encode(os.urandom(64)).decode("ascii").rstrip("=")
    fields.update(extra or {})
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode("utf-8"), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode("utf-8"), hashlib.sha256).hexdigest()
    return "&".join(f"{k}={_quote(v)}" for k, v in fields.items())


#: The colours a light Telegram theme passes (tgWebAppThemeParams).
LIGHT_THEME = {"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#707579", "link_color": "#3390ec",
               "button_color": "#3390ec", "button_text_color": "#ffffff", "secondary_bg_color": "#f4f4f5"}


def launch_fragment(init_data: str, *, theme: dict[str, str] | None = None, platform: str = "android",
                    version: str = "8.0") -> str:
    """The URL fragment (without ``#``) a Telegram client opens a Mini App with."""
    parts = [f"tgWebAppData={_quote(init_data)}", f"tgWebAppVersion={_quote(version)}",
             f"tgWebAppPlatform={_quote(platform)}"]
    if theme is not None:
        parts.append(f"tgWebAppThemeParams={_quote(json.dumps(theme, separators=(',', ':')))}")
    return "&".join(parts)
