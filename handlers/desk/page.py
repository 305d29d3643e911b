"""The review desk's pages: the gate that trades Telegram's initData for a session, and the desk.

Both are whole HTML documents with one inline script and one inline style, each carrying the
response's nonce; nothing is loaded from elsewhere (Telegram's ``telegram-web-app.js`` included:
the few calls the desk makes to its Telegram client are written out below, and the theme is read
from the ``tgWebAppThemeParams`` of the URL fragment).

What the desk shows is drawn by the code that draws the review card (handlers/render.py: the
checks, the changes; texts/id/review.py: the step's header; handlers/comment_notices.py: where a
comment points, the comments settled since), so the desk and the card never tell two stories.
The article itself is the site's own page (``StaticSitePublisher.preview``) in a sandboxed frame
of the same origin, with the site's own stylesheet: what citizens will see.

The decision form names its endpoints in ``formaction`` (``/meja/api/<sid>/<rid>/<action>``); the
script posts JSON there with the session token in the ``X-Meja-Sesi`` header.  The body:
``{"note": str, "publish_at": "YYYY-MM-DDTHH:MM" (office time, jadwalkan only), "field": "title" |
"body", "text": str (koreksi only), "confirmed": bool}``.  The answer: ``{"ok": bool, "message":
str}``, or ``{"ok": false, "confirm": str}`` when the server wants a second yes (the chat's own
question, e.g. before approving over open comments) — the page asks, and posts again with
``"confirmed": true``.
"""
from __future__ import annotations

import html
import json
import secrets
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from domain.workflow import WAITING_FOR, Action, Actor, State, allowed_actions
from handlers.comment_notices import clock as comment_clock
from handlers.comment_notices import settled_block, where
from handlers.render import checklist, diff_block, fmt, local_time
from publishers.base import Asset
from services.reviewing.cards import CardView
from services.reviewing.comments import CommentView
from texts.id import clock as T
from texts.id import comments as M
from texts.id import desk as K
from texts.id import review as R

#: Where the desk lives on the webhook's host.
PREFIX = "/meja"
#: The header a decision carries its session token in.
TOKEN_HEADER = "X-Meja-Sesi"
#: The preview, relative to the desk page (two folders deep: the site's page links ``../../style.css``).
PREVIEW_PATH = "artikel/pratinjau/"
#: Telegram's web client, the one Telegram client that shows a Mini App in a frame (web.telegram.org/k
#: and /a); the apps (Android, iOS, Desktop, macOS) open it top-level in a web view.
TELEGRAM_WEB = "https://web.telegram.org"


def gate_path(submission_id: int, revision_id: int) -> str:
    """The address the card's web_app button opens (under the webhook's public host)."""
    return f"{PREFIX}/{int(submission_id)}/{int(revision_id)}/"


def exchange_path(submission_id: int, revision_id: int) -> str:
    return f"{PREFIX}/api/{int(submission_id)}/{int(revision_id)}/sesi"


def action_path(submission_id: int, revision_id: int, action: str) -> str:
    return f"{PREFIX}/api/{int(submission_id)}/{int(revision_id)}/{action}"


def view_path(view_key: str) -> str:
    return f"{PREFIX}/v/{view_key}/"


def preview_media_url(asset: Asset, variant: str) -> str:
    """Where the preview (at ``<view>/artikel/pratinjau/``) finds a file: ``<view>/berkas/<id>/<variant>``."""
    return f"../../berkas/{int(asset.id)}/{variant}"


class DeskAction(StrEnum):
    """A decision the desk can post, and the workflow action it takes (as the card's buttons)."""

    TERUSKAN = "teruskan"
    SETUJUI = "setujui"
    JADWALKAN = "jadwalkan"  # Setujui & jadwalkan: an APPROVE with a moment to publish
    KEMBALIKAN = "kembalikan"
    KOREKSI = "koreksi"

    @property
    def action(self) -> Action:
        return _ACTION[self]

    @property
    def label(self) -> str:
        return _LABEL[self]


_ACTION = {DeskAction.TERUSKAN: Action.FORWARD, DeskAction.SETUJUI: Action.APPROVE,
           DeskAction.JADWALKAN: Action.APPROVE, DeskAction.KEMBALIKAN: Action.RETURN,
           DeskAction.KOREKSI: Action.CORRECT}
_LABEL = {DeskAction.TERUSKAN: R.BTN_FORWARD, DeskAction.SETUJUI: R.BTN_APPROVE,
          DeskAction.JADWALKAN: R.BTN_SCHEDULE, DeskAction.KEMBALIKAN: R.BTN_RETURN,
          DeskAction.KOREKSI: R.BTN_CORRECT}


def desk_actions(state: State) -> list[DeskAction]:
    """What the reviewer of this step may decide, from the workflow table, in the card's order:
    the advancing action, its scheduled variant, then the rest (handlers/review_cards.review_rows)."""
    role = WAITING_FOR.get(state)
    if role is None:
        return []
    allowed = set(allowed_actions(state, Actor(None, frozenset({role})), author_id=-1))
    return [d for d in DeskAction if d.action in allowed]


# --------------------------------------------------------------------------------------------
# Content-Security-Policy


def new_nonce() -> str:
    """A fresh nonce for one response (never reuse one: the page is sent with no-store)."""
    return secrets.token_urlsafe(18)


def content_security_policy(nonce: str) -> str:
    """The desk's and the gate's policy (send it as a header: frame-ancestors is ignored in a <meta>).

    * scripts and styles: this response's inline ones only — by nonce, never ``'self'``: the desk
      serves files writers uploaded from its own origin, and none of them may ever run as a script
      or a stylesheet here;
    * ``connect-src 'self'``: the exchange and the decisions; ``frame-src 'self'``: the preview;
    * ``frame-ancestors``: Telegram's web client only (the apps open the page top-level, where
      frame-ancestors does not apply); nobody else can frame the desk to trick a click;
    * Trusted Types: the script builds the page with ``textContent`` and attributes only, so no
      HTML string can ever become markup in the desk."""
    if not nonce or any(c in nonce for c in "'; \n"):
        raise ValueError("a nonce is base64 text")
    return "; ".join((
        "default-src 'none'",
        f"script-src 'nonce-{nonce}'",
        f"style-src 'nonce-{nonce}'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {TELEGRAM_WEB}",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ))


def preview_content_security_policy() -> str:
    """The preview's policy: the site's page as it is (its stylesheet, its photos, audio, video, inline
    styles an office's template may hold), no script at all, framed by the desk only.  (frame-ancestors
    checks every ancestor: in Telegram's web client the desk itself sits in web.telegram.org's frame.)"""
    return "; ".join((
        "default-src 'none'",
        "script-src 'none'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        f"frame-ancestors 'self' {TELEGRAM_WEB}",
        "sandbox allow-same-origin",
    ))


def response_headers(csp: str) -> dict[str, str]:
    """Headers for every desk response: its policy, and nothing cached, sniffed or referred."""
    return {
        "Content-Security-Policy": csp,
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }


# --------------------------------------------------------------------------------------------
# The pages


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _text(value: object) -> str:
    return html.escape(str(value), quote=False)


def _data(payload: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/json">`` block (``<`` escaped: no ``</script>`` inside)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _document(*, nonce: str, title: str, body: str, data: dict[str, Any], script: str) -> str:
    return "\n".join((
        "<!doctype html>",
        '<html lang="id">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover, '
        'interactive-widget=resizes-content">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_text(title)}</title>",
        f'<style nonce="{_attr(nonce)}">{DESK_CSS}</style>',
        "</head>",
        "<body>",
        body,
        f'<script type="application/json" id="meja-data">{_data(data)}</script>',
        f'<script nonce="{_attr(nonce)}">{script}</script>',
        "</body>",
        "</html>",
        "",
    ))


def render_gate(*, nonce: str, submission_id: int, revision_id: int) -> str:
    """The page the card's button opens: no part of the item, only the script that trades the
    fragment's initData for a session and moves on to the desk."""
    body = "\n".join((
        '<main class="gerbang">',
        f"<h1>{_text(K.GATE_TITLE)}</h1>",
        f'<p id="status" role="status" aria-live="polite">{_text(K.GATE_LOADING)}</p>',
        f"<noscript><p>{_text(K.NO_SCRIPT)}</p></noscript>",
        "</main>",
    ))
    data = {"item": int(submission_id), "exchange": exchange_path(submission_id, revision_id),
            "texts": {"no_data": K.GATE_NO_DATA, "refused": K.GATE_REFUSED, "offline": K.OFFLINE}}
    return _document(nonce=nonce, title=K.GATE_TITLE, body=body, data=data, script=GATE_JS)


def render_desk(
    view: CardView,
    *,
    nonce: str,
    clock: str,
    standard: str,
    tz: str,
    open_comments: Sequence[CommentView] = (),
    actions: Sequence[DeskAction] | None = None,
    claim_line: str = "",
    preview_src: str = PREVIEW_PATH,
    writer: bool = False,
) -> str:
    """The desk for the item a card shows (``view``: services.reviewing.cards.card_view).

    ``clock``: the SOP clock line as the card has it (review_cards.clock_line); ``standard``: the
    step's standard time in words; ``tz``: the office's zone.  ``actions``: what the reviewer may
    decide now (None: what the workflow allows at this step; () when someone else has claimed it,
    with ``claim_line`` saying who).  ``preview_src``: the preview frame's address.  ``writer``: the
    writer's look at their own draft (``view`` built from its DraftView): a writer's head, no clock,
    no changes, no decision (``clock`` and ``standard`` unused)."""
    sub, rev = view.submission, view.revision
    sid, rid = sub.id, rev.id
    shown = [] if writer else desk_actions(view.state) if actions is None else list(actions)

    if writer:
        head = [f'<p class="langkah">{fmt(K.WRITER_HEADER_HTML, id=sid)}</p>']
    else:
        head = [f'<p class="langkah">{fmt(R.CARD_HEADER[view.state], id=sid, std=standard)}</p>',
                f'<p class="jam">{fmt(T.CARD_CLOCK, clock=clock)}</p>']
    if sub.expires_at is not None:
        head.append(f'<p class="jam">{fmt(R.EXPIRY_LINE, when=local_time(sub.expires_at, tz))}</p>')
    if claim_line:
        head.append(f'<p class="klaim">{claim_line}</p>')  # Telegram HTML from review_cards.claim_rows

    changes = diff_block(view.diff, lines_shown=None, clip=None)
    main = [
        '<main class="utama">',
        *(() if writer else ('<details class="perubahan" id="perubahan">',
                             f"<summary>{_text(_changes_title(view))}</summary>",
                             f'<div class="tg">{changes or _text(K.CHANGES_FIRST)}</div>',
                             "</details>")),
        '<section class="pratinjau" aria-labelledby="judul-pratinjau">',
        f'<h2 id="judul-pratinjau">{_text(K.PREVIEW_HEADING)}</h2>',
        f'<iframe id="pratinjau" src="{_attr(preview_src)}" title="{_attr(K.PREVIEW_FRAME_TITLE)}" '
        'sandbox="allow-same-origin" referrerpolicy="no-referrer"></iframe>',
        "</section>",
        "</main>",
    ]

    side = ['<aside class="samping">', '<section class="periksa">', f"<h2>{_text(K.CHECKS_HEADING)}</h2>",
            f'<div class="tg">{checklist(view.findings, view.attachments)}</div>']
    settled = settled_block(view.settled)
    if settled:
        side.append(f'<div class="tg">{settled}</div>')
    side += ["</section>", '<section class="komentar">', f"<h2>{_text(K.COMMENTS_HEADING)}</h2>"]
    if open_comments:
        side.append("<ol>" + "".join(f'<li class="tg">{_comment(c, tz)}</li>' for c in open_comments) + "</ol>")
    else:
        side.append(f'<p class="redup">{_text(K.COMMENTS_NONE)}</p>')
    side += ["</section>", _decision(sid, rid, rev.title or "", rev.body or "", shown,
                                           K.WRITER_NO_DECISION if writer else K.NO_DECISION), "</aside>"]

    body = "\n".join(('<header class="kepala">', *head, "</header>", '<div class="meja">', *main, *side, "</div>"))
    data = {"item": sid, "revision": rid, "header": TOKEN_HEADER,
            "texts": {"sending": K.SENDING, "offline": K.OFFLINE, "yes": K.CONFIRM_YES, "close": K.CLOSE,
                      "note_needed": K.NOTE_NEEDED, "when_needed": K.SCHEDULE_NEEDED,
                      "no_session": K.SESSION_REFUSED["unknown"]}}
    return _document(nonce=nonce, title=K.PAGE_TITLE.format(id=sid), body=body, data=data, script=DESK_JS)


def _changes_title(view: CardView) -> str:
    d = view.diff
    if d is None or d.empty:
        return K.CHANGES
    return K.CHANGES_COUNT.format(n=(d.new_title is not None) + len(d.body_lines) + len(d.added) + len(d.removed))


def _comment(c: CommentView, tz: str) -> str:
    """An open comment as the chat tells it (who, about what, when, the quoted words, the text),
    without the item's number and title the desk already shows."""
    parts = [fmt(K.COMMENT_HEAD_HTML, author=c.author, where=where(c), at=comment_clock(c.at, tz))]
    quote = c.thread_quote if c.thread_id is not None else c.anchor.quote
    if quote:
        parts.append(fmt(M.QUOTE, quote=quote[:300]) + (f"\n{M.OUTDATED}" if c.outdated else ""))
    parts.append(fmt("{text}", text=c.text))
    return "\n".join(parts)


def _decision(sid: int, rid: int, title: str, body: str, actions: Sequence[DeskAction],
              none: str = K.NO_DECISION) -> str:
    out = ['<section class="keputusan" aria-labelledby="judul-keputusan">',
           f'<h2 id="judul-keputusan">{_text(K.DECISION_HEADING)}</h2>']
    decide = [a for a in actions if a is not DeskAction.KOREKSI]
    if not actions:
        out.append(f'<p class="redup">{_text(none)}</p>')
    if decide:
        first = _attr(action_path(sid, rid, decide[0]))
        out += [f'<form id="keputusan" class="putusan" method="post" action="{first}">',
                f'<label for="catatan">{_text(K.NOTE_LABEL)}</label>',
                f'<p class="redup" id="petunjuk-catatan">{_text(K.NOTE_HINT)}</p>',
                '<textarea id="catatan" name="note" rows="3" maxlength="3500" '
                'aria-describedby="petunjuk-catatan"></textarea>']
        if DeskAction.JADWALKAN in decide:
            out += [f'<label for="waktu">{_text(K.SCHEDULE_LABEL)}</label>',
                    '<input id="waktu" name="publish_at" type="datetime-local">']
        out.append('<div class="tombol">')
        for a in decide:
            kind = "maju" if a in (DeskAction.TERUSKAN, DeskAction.SETUJUI) else "lain"
            needs = {DeskAction.KEMBALIKAN: "note", DeskAction.JADWALKAN: "publish_at"}.get(a, "")
            out.append(f'<button type="submit" class="{kind}" value="{_attr(a.value)}" data-perlu="{needs}" '
                       f'formaction="{_attr(action_path(sid, rid, a.value))}">{_text(a.label)}</button>')
        out += ["</div>", "</form>"]
    if DeskAction.KOREKSI in actions:
        url = _attr(action_path(sid, rid, DeskAction.KOREKSI.value))
        out += ['<details class="koreksi">', f"<summary>{_text(K.CORRECT_SUMMARY)}</summary>",
                f'<form class="putusan" method="post" action="{url}">',
                '<input type="hidden" name="field" value="title">',
                f'<label for="koreksi-judul">{_text(K.CORRECT_TITLE_LABEL)}</label>',
                f'<input id="koreksi-judul" name="text" type="text" maxlength="300" value="{_attr(title)}">',
                f'<button type="submit" class="lain" value="koreksi" formaction="{url}">'
                f"{_text(K.CORRECT_TITLE_SAVE)}</button>",
                "</form>",
                f'<form class="putusan" method="post" action="{url}">',
                '<input type="hidden" name="field" value="body">',
                f'<label for="koreksi-isi">{_text(K.CORRECT_BODY_LABEL)}</label>',
                f'<textarea id="koreksi-isi" name="text" rows="10">{_text(body)}</textarea>',
                f'<button type="submit" class="lain" value="koreksi" formaction="{url}">'
                f"{_text(K.CORRECT_BODY_SAVE)}</button>",
                "</form>",
                "</details>"]
    out += ['<p id="status" class="status" role="status" aria-live="polite"></p>', "</section>"]
    return "\n".join(out)


def at_local(value: str, tz: str) -> datetime:
    """A ``datetime-local`` value ("2026-12-01T08:00") as the office's time (what jadwalkan posts)."""
    when = datetime.fromisoformat(value)
    if when.tzinfo is not None:
        raise ValueError("a local time carries no zone")
    return when.replace(tzinfo=ZoneInfo(tz))


# --------------------------------------------------------------------------------------------
# Style and scripts (inline, under the response's nonce)

DESK_CSS = """
:root{--latar:#f3f5f7;--panel:#fff;--teks:#1d232b;--redup:#5b6572;--tautan:#0b5cad;--tombol:#0b5cad;
--tombol-teks:#fff;--garis:#dde2e8;--bahaya:#b3261e;--papan:0px}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;background:var(--latar)}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--teks);
background:var(--latar);overflow-wrap:anywhere;min-height:100vh;min-height:100dvh;
padding-bottom:max(1rem,env(safe-area-inset-bottom,0px),env(keyboard-inset-height,0px),var(--papan))}
a{color:var(--tautan)}
h1,h2{line-height:1.25}
h2{font-size:1rem;margin:0 0 .5rem}
.kepala{padding:.6rem .9rem;background:var(--panel);border-bottom:1px solid var(--garis)}
.kepala p{margin:.1rem 0}
.jam,.redup,.klaim{color:var(--redup);font-size:.92rem}
.meja{display:grid;grid-template-columns:minmax(0,1fr);gap:.8rem;padding:.8rem;max-width:84rem;margin:0 auto}
.utama,.samping{min-width:0;display:grid;gap:.8rem;align-content:start}
section,details{background:var(--panel);border:1px solid var(--garis);border-radius:10px;padding:.8rem}
summary{cursor:pointer;font-weight:600;min-height:44px;display:flex;align-items:center}
.pratinjau{padding:0;overflow:hidden}
.pratinjau h2{padding:.6rem .8rem;margin:0;border-bottom:1px solid var(--garis)}
.pratinjau iframe{display:block;width:100%;height:75vh;height:75dvh;border:0;background:#fff}
.tg{white-space:pre-wrap;overflow-wrap:anywhere}
.tg blockquote{display:inline-block;width:100%;margin:.2rem 0;padding-left:.6rem;border-left:3px solid var(--garis)}
.komentar ol{margin:0;padding-left:1.2rem;display:grid;gap:.6rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
.putusan p{margin:.1rem 0 .3rem}
textarea,input,button{font:inherit;max-width:100%}
textarea,input[type=text],input[type=datetime-local]{width:100%;padding:.5rem;border:1px solid var(--garis);
border-radius:8px;background:var(--panel);color:var(--teks);scroll-margin-bottom:35vh}
textarea{resize:vertical}
.tombol{display:grid;gap:.5rem;margin-top:.8rem}
button{min-height:44px;padding:.55rem .9rem;border-radius:8px;border:1px solid var(--tombol);
background:var(--panel);color:var(--tombol);font-weight:600;cursor:pointer;text-align:center}
button.maju{background:var(--tombol);color:var(--tombol-teks)}
button:disabled{opacity:.55;cursor:default}
.koreksi form+form{margin-top:1rem}
.status{min-height:1.5rem;margin:.6rem 0 0;font-weight:600}
.status.gagal{color:var(--bahaya)}
.gerbang{max-width:34rem;margin:0 auto;padding:1.5rem 1rem}
@media (min-width:60rem){
.meja{grid-template-columns:minmax(0,1fr) 23rem;align-items:start}
.samping{position:sticky;top:.8rem;max-height:calc(100vh - 1.6rem);overflow:auto}
.tombol{grid-template-columns:1fr}
}
"""

# The few client calls a Mini App makes, as telegram-web-app.js makes them (not loaded: see above).
_BRIDGE_JS = r"""
function tgPost(type, data) {
  var payload = JSON.stringify(data || {});
  try {
    if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
      window.TelegramWebviewProxy.postEvent(type, payload);            // Android, iOS
    } else if (window.external && "notify" in window.external) {
      window.external.notify(JSON.stringify({eventType: type, eventData: data || {}}));  // Windows Phone
    } else if (window.parent !== window) {
      window.parent.postMessage(JSON.stringify({eventType: type, eventData: data || {}}), TG_WEB);  // web
    }
  } catch (e) { /* outside Telegram: nothing to tell */ }
}
var TG_WEB = "https://web.telegram.org";
var COLOURS = {bg_color: "--panel", secondary_bg_color: "--latar", section_bg_color: "--panel",
  text_color: "--teks", hint_color: "--redup", link_color: "--tautan", button_color: "--tombol",
  button_text_color: "--tombol-teks", destructive_text_color: "--bahaya", section_separator_color: "--garis"};
var themeNow = "";
function applyTheme(raw) {
  // theme_changed also fires when nothing changed: apply only a new, valid palette, and touch nothing else.
  var theme = raw;
  if (typeof raw === "string") { try { theme = JSON.parse(raw); } catch (e) { return; } }
  if (!theme || typeof theme !== "object") return;
  var keep = {};
  Object.keys(COLOURS).forEach(function (k) {
    if (typeof theme[k] === "string" && /^#[0-9a-fA-F]{6}$/.test(theme[k])) keep[k] = theme[k].toLowerCase();
  });
  var key = JSON.stringify(keep);
  if (key === themeNow || key === "{}") return;
  themeNow = key;
  Object.keys(keep).forEach(function (k) { document.documentElement.style.setProperty(COLOURS[k], keep[k]); });
  try { sessionStorage.setItem("meja:tema", JSON.stringify(keep)); } catch (e) {}
}
function receive(type, data) {
  if (type === "theme_changed" && data) applyTheme(data.theme_params);
  if (type === "viewport_changed" && data && typeof data.height === "number") {
    // With the keyboard up the client's viewport shrinks: keep the field in view.
    var hidden = Math.max(0, window.innerHeight - data.height);
    document.documentElement.style.setProperty("--papan", hidden + "px");
  }
}
window.Telegram = window.Telegram || {};
window.Telegram.WebView = window.Telegram.WebView || {};
window.Telegram.WebView.receiveEvent = receive;                          // the apps call this
window.addEventListener("message", function (e) {                       // the web client posts
  if (e.origin !== TG_WEB || typeof e.data !== "string") return;
  try { var m = JSON.parse(e.data); receive(m.eventType, m.eventData); } catch (err) {}
});
var fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("tgWebAppThemeParams")) applyTheme(fragment.get("tgWebAppThemeParams"));
else { try { applyTheme(sessionStorage.getItem("meja:tema")); } catch (e) {} }
var DATA = JSON.parse(document.getElementById("meja-data").textContent);
"""

GATE_JS = "(function () {\n\"use strict\";" + _BRIDGE_JS + r"""
var status = document.getElementById("status");
function say(text) { status.textContent = text; }
var slot = "meja:" + DATA.item;
var saved = null;
try { saved = JSON.parse(sessionStorage.getItem(slot) || "null"); } catch (e) {}
function go(view, token) {
  var theme = fragment.get("tgWebAppThemeParams");
  location.replace(view + "#sesi=" + encodeURIComponent(token) +
                   (theme ? "&tgWebAppThemeParams=" + encodeURIComponent(theme) : ""));
}
tgPost("web_app_ready");
tgPost("web_app_expand");
var raw = fragment.get("tgWebAppData");  // the raw initData, exactly as Telegram signed it
if (!raw) {
  if (saved && saved.view) go(saved.view, saved.token); else say(DATA.texts.no_data);
  return;
}
fetch(DATA.exchange, {method: "POST", body: raw, credentials: "omit", cache: "no-store",
                      headers: {"Content-Type": "text/plain;charset=UTF-8"}})
  .then(function (r) { return r.json().catch(function () { return {}; }); })
  .then(function (j) {
    if (j && j.token && j.view) {
      try { sessionStorage.setItem(slot, JSON.stringify({token: j.token, view: j.view})); } catch (e) {}
      go(j.view, j.token);
    } else if (saved && saved.view) {
      go(saved.view, saved.token);  // Telegram Desktop reopening with initData already exchanged
    } else {
      say((j && j.message) || DATA.texts.refused);
    }
  })
  .catch(function () { say(DATA.texts.offline); });
})();
"""

DESK_JS = "(function () {\n\"use strict\";" + _BRIDGE_JS + r"""
var slot = "meja:" + DATA.item;
var token = fragment.get("sesi");
if (token) {
  try {
    var saved = JSON.parse(sessionStorage.getItem(slot) || "{}");
    saved.token = token; saved.view = location.pathname;
    sessionStorage.setItem(slot, JSON.stringify(saved));
  } catch (e) {}
  // The token leaves the address bar: a screenshot or a shared link never shows it.
  fragment.delete("sesi");
  history.replaceState(null, "", location.pathname + location.search +
                       (fragment.toString() ? "#" + fragment.toString() : ""));
} else {
  try { token = (JSON.parse(sessionStorage.getItem(slot) || "{}")).token || null; } catch (e) {}
}
tgPost("web_app_ready");
tgPost("web_app_expand");

// The preview frame grows to its page's height (same origin, no script inside it).
var frame = document.getElementById("pratinjau");
function fit() {
  try {
    var doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    var h = doc.documentElement.scrollHeight;
    if (h > 0) frame.style.height = h + "px";
  } catch (e) {}
}
if (frame) {
  frame.addEventListener("load", function () {
    fit();
    try { new ResizeObserver(fit).observe(frame.contentDocument.documentElement); } catch (e) {}
  });
  fit();
}

// Fields stay in view above an on-screen keyboard.
document.addEventListener("focusin", function (e) {
  var el = e.target;
  if (el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT")) {
    setTimeout(function () { el.scrollIntoView({block: "center", behavior: "smooth"}); }, 300);
  }
});

var status = document.getElementById("status");
function say(text, failed) {
  status.textContent = text || "";
  status.className = "status" + (failed ? " gagal" : "");
}
var forms = Array.prototype.slice.call(document.querySelectorAll("form.putusan"));
function busy(on) {
  forms.forEach(function (f) {
    Array.prototype.forEach.call(f.elements, function (el) { if (el.tagName === "BUTTON") el.disabled = on; });
  });
}
var pressed = null;
document.addEventListener("click", function (e) {
  var b = e.target && e.target.closest ? e.target.closest("button[type=submit]") : null;
  if (b) pressed = b;
});
function confirmThen(question, again) {
  say(question, false);
  var yes = document.createElement("button");
  yes.type = "button"; yes.className = "maju"; yes.textContent = DATA.texts.yes;
  yes.addEventListener("click", function () { yes.remove(); again(); });
  status.appendChild(document.createElement("br"));
  status.appendChild(yes);
}
function post(url, body) {
  if (!token) { say(DATA.texts.no_session, true); return; }
  var headers = {"Content-Type": "application/json"};
  headers[DATA.header] = token;
  busy(true);
  say(DATA.texts.sending, false);
  fetch(url, {method: "POST", headers: headers, body: JSON.stringify(body), credentials: "omit",
              cache: "no-store"})
    .then(function (r) { return r.json().catch(function () { return {}; }); })
    .then(function (j) {
      if (j && j.confirm) {
        busy(false);
        confirmThen(j.confirm, function () { body.confirmed = true; post(url, body); });
      } else if (j && j.ok) {
        say(j.message || "", false);
        var close = document.createElement("button");
        close.type = "button"; close.textContent = DATA.texts.close;
        close.addEventListener("click", function () { tgPost("web_app_close"); });
        status.appendChild(document.createElement("br"));
        status.appendChild(close);
      } else {
        busy(false);
        say((j && j.message) || DATA.texts.offline, true);
      }
    })
    .catch(function () { busy(false); say(DATA.texts.offline, true); });
}
forms.forEach(function (form) {
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var button = e.submitter || pressed;
    if (!button) return;
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.tagName !== "BUTTON") body[el.name] = el.value;
    });
    var needs = button.getAttribute("data-perlu");
    if (needs === "note" && !(body.note || "").trim()) {
      say(DATA.texts.note_needed, true); document.getElementById("catatan").focus(); return;
    }
    if (needs === "publish_at" && !body.publish_at) {
      say(DATA.texts.when_needed, true); document.getElementById("waktu").focus(); return;
    }
    if (needs !== "publish_at") delete body.publish_at;
    post(button.formAction || form.action, body);
  });
});
document.documentElement.setAttribute("data-meja", "siap");
})();
"""
