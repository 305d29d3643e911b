"""Rendering domain objects as Telegram HTML, within Telegram's limits.

Every piece of user text passes through :func:`esc` here; handlers never
format user text themselves.
"""
from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.checks import SPELLING, Finding, Severity, passed
from domain.diffing import RevisionDiff
from domain.kinds import Kind
from domain.labels import human_size
from domain.workflow import State
from publishers.render import format_date_id
from texts.id import common as C
from texts.id import drafting as D
from texts.id import review as R


class Attachment(Protocol):
    """What rendering reads of a received file (a read model from the services)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def caption(self) -> str: ...
    @property
    def original_name(self) -> str: ...
    @property
    def meta(self) -> dict[str, Any]: ...


class Named(Protocol):
    @property
    def name(self) -> str: ...


class Person(Protocol):
    @property
    def full_name(self) -> str: ...


class Submission(Protocol):
    """What rendering reads of a submission."""

    @property
    def id(self) -> int: ...
    @property
    def section(self) -> Named | None: ...
    @property
    def author(self) -> Person: ...


class Revision(Protocol):
    """What rendering reads of a revision."""

    @property
    def kind(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def body(self) -> str | None: ...

TEXT_LIMIT = 4096


def esc(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=False)


def fmt(template: str, **params: object) -> str:
    """Format an HTML template, escaping every parameter."""
    return template.format(**{k: esc(v) for k, v in params.items()})


def local_time(dt: datetime, tz: str) -> str:
    """The one way people read a time: «Sabtu, 5 Desember 2026 pukul 20.38 WIB», in the office's zone."""
    return format_date_id(dt, time=True, weekday=True, tz=tz)


def kind_label(kind: str | None) -> str:
    return Kind(kind).label if kind else "—"


def attachment_label(a: Attachment) -> str:
    meta = a.meta or {}
    if a.kind == "document":
        extra = f"{meta['pages']} hlm" if meta.get("pages") else human_size(a.size)
        return f"{a.label or 'Dokumen'}, {extra}"
    if a.kind in ("audio", "voice", "video") and meta.get("duration"):
        secs = int(meta["duration"])
        return f"{D.MEDIA_KIND_LABELS[a.kind]} {secs // 60}:{secs % 60:02d}"
    return D.MEDIA_KIND_LABELS.get(a.kind, a.kind)


def attachments_summary(atts: Sequence[Attachment]) -> str:
    if not atts:
        return R.CARD_NO_ATTACHMENTS
    counts = Counter(D.MEDIA_KIND_LABELS.get(a.kind, a.kind).lower() for a in atts)
    return fmt(R.CARD_ATTACHMENTS, summary=", ".join(f"{n} {k}" for k, n in counts.items()))


def attachment_lines(atts: Sequence[Attachment]) -> list[str]:
    lines = []
    for i, a in enumerate(atts, 1):
        name = f" {esc(a.original_name)}" if a.original_name and a.kind == "document" else ""
        cap = f" — <i>{esc(a.caption)}</i>" if a.caption else ""
        lines.append(f"{i}. {esc(attachment_label(a))}{name}{cap}")
    return lines


#: At most this many doubtful words are named in the checklist line.
SPELLING_SHOWN = 10


def spelling_line(f: Finding) -> str:
    """"3 kata mungkin salah eja: ijin → izin, …", and how to fix or teach them."""
    pairs = list(f.params.get("words") or ())  # type: ignore[call-overload]
    words = ", ".join(fmt(D.SPELLING_WORD if s else D.SPELLING_WORD_ALONE, word=w, suggestion=s)
                      for w, s in pairs[:SPELLING_SHOWN])
    if len(pairs) > SPELLING_SHOWN:
        words += fmt(D.SPELLING_MORE, n=len(pairs) - SPELLING_SHOWN)
    line = D.CHECK_TEXTS[SPELLING].format(count=esc(f.params["count"]), words=words)
    if f.params.get("fixable"):
        line += D.SPELLING_FIXABLE
    if int(f.params["count"]) > int(f.params.get("fixable") or 0):  # type: ignore[call-overload]
        line += D.SPELLING_LEARN
    return line


def checklist(findings: Sequence[Finding], atts: Sequence[Attachment]) -> str:
    """What the checks found (❌ blocks, ⚠️ warns), then a ✅ for each check that passed."""
    lines = [D.CHECKS_HEADER]
    for f in findings:
        mark = "❌" if f.severity is Severity.ERROR else "⚠️"
        text = spelling_line(f) if f.code == SPELLING else fmt(D.CHECK_TEXTS[f.code], **f.params)
        lines.append(f"{mark} {text}")
    lines.extend(f"✅ {D.CHECK_OK[code]}" for code in passed(findings, sum(a.kind == "photo" for a in atts)))
    return "\n".join(lines)


def body_html(body: str | None) -> str:
    paragraphs = [p.strip() for p in (body or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "\n\n".join(esc(p) for p in paragraphs)


def split_body(body: str | None, limit: int) -> list[str]:
    """Escaped body chunks, each at most ``limit`` characters after escaping,
    cut at paragraph, then line, then word boundaries (never inside an entity)."""
    pieces: list[str] = []
    for para in (body or "").replace("\r\n", "\n").split("\n\n"):
        para = para.strip()
        if not para:
            continue
        while len(esc(para)) > limit:
            cut = para.rfind(" ", 0, limit // 2) or limit // 2
            cut = cut if cut > 0 else limit // 2
            pieces.append(para[:cut])
            para = para[cut:].lstrip()
        pieces.append(para)
    return pack([esc(piece) for piece in pieces], limit) if pieces else []


def pack(blocks: list[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Blocks (each within ``limit``) packed into as few messages as the limit allows."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit and current:
            messages.append(current)
            current = block
        else:
            current = candidate
    return [*messages, current]


def article_block(sub: Submission, rev: Revision, atts: Sequence[Attachment], *, body: bool = True) -> str:
    meta = fmt(
        R.CARD_META,
        kind=kind_label(rev.kind),
        section=sub.section.name if sub.section else "—",
        author=sub.author.full_name,
    )
    parts = [f"<b>{esc(rev.title or D.UNTITLED)}</b>", f"<i>{meta}</i>"]
    if body:
        parts.append(body_html(rev.body) or f"<i>{esc(D.UNTITLED)}</i>")
    parts.append(attachments_summary(atts))
    lines = attachment_lines(atts)
    if lines:
        parts.append("\n".join(lines[:20]) + (f"\n… +{len(lines) - 20}" if len(lines) > 20 else ""))
    return "\n\n".join(parts)


def thousands(n: int) -> str:
    """A count as Indonesians write it: 10.001."""
    return f"{n:,}".replace(",", ".")


def diff_block(diff: RevisionDiff | None, header: str = R.DIFF_HEADER, *, lines_shown: int | None = 8,
               clip: int | None = 300) -> str | None:
    """What changed, as the card says it: at most ``lines_shown`` changed paragraphs, each cut at
    ``clip`` characters (None: all of it, as the review desk shows it)."""
    if diff is None:
        return None
    if diff.empty:
        return R.DIFF_NONE
    lines = [header]
    if diff.new_title is not None:
        lines.append(fmt(R.DIFF_TITLE, old=diff.old_title, new=diff.new_title))
    for shown, (tag, text) in enumerate(diff.body_lines):
        if lines_shown is not None and shown >= lines_shown:
            lines.append(fmt(R.DIFF_MORE, n=len(diff.body_lines) - shown))
            break
        snippet = text if clip is None or len(text) <= clip else text[:clip - 3] + "…"
        lines.append(f"➖ <s>{esc(snippet)}</s>" if tag == "-" else f"➕ {esc(snippet)}")
    if diff.added:
        lines.append(fmt(R.DIFF_ADDED, names=", ".join(diff.added)))
    if diff.removed:
        lines.append(fmt(R.DIFF_REMOVED, names=", ".join(diff.removed)))
    return "\n".join(lines)


def card_messages(header: str, sub: Submission, rev: Revision, atts: Sequence[Attachment],
                  tail: list[str | None]) -> list[str]:
    """The card, and before it the body in parts when it would not fit.

    The last message is the one that carries buttons: it always holds the
    header, title and checklist, so a reviewer on a phone decides from one
    screen.
    """
    extra = "\n\n".join(t for t in tail if t)
    full = "\n\n".join(x for x in (header, article_block(sub, rev, atts), extra) if x)
    if len(full) <= TEXT_LIMIT:
        return [full]
    chunks = split_body(rev.body, TEXT_LIMIT - 200)
    parts = [f"{fmt(R.BODY_PART, id=sub.id, n=i, total=len(chunks))}\n\n{c}" for i, c in enumerate(chunks, 1)]
    card = "\n\n".join(x for x in (header, article_block(sub, rev, atts, body=False),
                                   f"<i>{esc(R.CARD_CONTINUED)}</i>", extra) if x)
    if len(card) > TEXT_LIMIT:  # a pathological diff or checklist: keep the decision screen intact
        card = card[: TEXT_LIMIT - 1]
        card = card[: card.rfind("\n")]
    return [*parts, card]


def state_label(state: str) -> str:
    """A state's words; a key this version does not know is shown as it is stored."""
    try:
        return C.STATE_LABELS[State(state)]
    except ValueError:
        return str(state)
