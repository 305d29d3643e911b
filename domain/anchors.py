"""Where in a draft a comment points: the words a person selected, as paragraph and position.

Telegram tells the bot the words quoted from a message and where they start in it (in UTF-16
code units).  :func:`locate` turns that into a place in the draft (the title, or a paragraph
of the body and an offset in it), whatever else the message showed around the draft (a card's
header, its checklist).  :func:`follow` finds the same words in a later revision: kept when
only the text around them changed (in the same paragraph, or moved to another), outdated when
the words themselves are gone.  Nothing here knows Telegram or SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from domain.paragraphs import paragraphs


class Part(StrEnum):
    """What of the item a comment is about."""

    #: The whole draft (a reply without a quote, or a quote of the card's own words).
    WHOLE = "semua"
    TITLE = "judul"
    BODY = "isi"
    #: A photo or a file, by replying to it.
    ATTACHMENT = "lampiran"


@dataclass(frozen=True)
class Anchor:
    part: Part
    #: The quoted words (None: nothing was selected).
    quote: str | None = None
    #: The body's paragraph (0-based) and where the words start in it (characters).
    paragraph: int | None = None
    offset: int | None = None
    attachment_id: int | None = None

    @property
    def paragraph_number(self) -> int | None:
        """The paragraph as people count it (1-based)."""
        return None if self.paragraph is None else self.paragraph + 1


WHOLE = Anchor(Part.WHOLE)


def utf16_to_index(text: str, position: int) -> int:
    """The index in ``text`` of the character at ``position`` UTF-16 code units from its start."""
    units = 0
    for i, ch in enumerate(text):
        if units >= position:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _occurrences(text: str, words: str) -> list[int]:
    out, at = [], text.find(words)
    while at >= 0:
        out.append(at)
        at = text.find(words, at + 1)
    return out


def _spans(shown: str, paras: list[str]) -> list[tuple[int, int]]:
    """Where the message shows each paragraph it holds, in order: (paragraph, start).  The first
    paragraph found begins the run (a long body's later part starts in the middle), and each next
    one is looked for after the one before (two paragraphs alike are told apart by their order)."""
    for first, p in enumerate(paras):
        at = shown.find(p)
        if at < 0:
            continue
        spans = []
        for i in range(first, len(paras)):
            start = shown.find(paras[i], at)
            if start < 0:
                break
            spans.append((i, start))
            at = start + len(paras[i])
        return spans
    return []


def locate(shown: str, quote: str | None, position: int | None, *, title: str, body: str) -> Anchor:
    """The place in the draft (``title``, ``body``) of the words ``quote`` selected at
    ``position`` (UTF-16 units) in the message text ``shown``.  Without a quote: the whole draft;
    a quote of words that are not the draft's own (a card's header): the whole draft, with them."""
    words = (quote or "").strip()
    if not words:
        return WHOLE
    paras = paragraphs(body)
    at = utf16_to_index(shown, position) if position is not None else -1
    if shown[at:at + len(words)] != words:  # a position from another rendering: nearest occurrence
        found = _occurrences(shown, words)
        at = min(found, key=lambda i: abs(i - at)) if found else -1
    if at >= 0:
        # Which paragraph of the body, as the message showed it, holds the selection?
        for i, start in _spans(shown, paras):
            if start <= at and at + len(words) <= start + len(paras[i]):
                return Anchor(Part.BODY, words, i, at - start)
        if title and any(s <= at and at + len(words) <= s + len(title) for s in _occurrences(shown, title)):
            return Anchor(Part.TITLE, words)
    # The message showed the draft another way (a part of a long body, a correction view).
    for i, p in enumerate(paras):
        if words in p:
            return Anchor(Part.BODY, words, i, p.find(words))
    if words in (title or ""):
        return Anchor(Part.TITLE, words)
    return Anchor(Part.WHOLE, words)


def follow(anchor: Anchor, *, title: str, body: str) -> Anchor | None:
    """The same words in another revision, or None when they are gone (the comment is outdated).
    The nearest occurrence wins: the same paragraph first, then the closest one."""
    if anchor.part is Part.TITLE:
        return anchor if anchor.quote and anchor.quote in (title or "") else None
    if anchor.part is not Part.BODY or not anchor.quote:
        return anchor
    old_p, old_at = anchor.paragraph or 0, anchor.offset or 0
    best: tuple[int, int, int, int] | None = None
    for i, p in enumerate(paragraphs(body)):
        for at in _occurrences(p, anchor.quote):
            key = (abs(i - old_p), abs(at - old_at), i, at)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    return replace(anchor, paragraph=best[2], offset=best[3])
