"""A comment's words found in the draft, and followed into the next revision."""
from __future__ import annotations

from domain.anchors import WHOLE, Anchor, Part, follow, locate, utf16_to_index

TITLE = "Rapat Koordinasi Program Kerja 2027"
BODY = "Rapat dibuka oleh Kepala Dinas.\n\nPeserta rapat berdiskusi. Rapat ditutup pukul 12.00."
#: A card as the reviewer reads it: its header, the title, the meta line, the body, a checklist.
CARD = f"🔎 Pengajuan #7 — menunggu pemeriksaan Kasubbag\n\n{TITLE}\n\nArtikel · Humas\n\n{BODY}\n\n✅ Rapat aman"


def u16(text: str, words: str, n: int = 0) -> int:
    at = -1
    for _ in range(n + 1):
        at = text.find(words, at + 1)
    return len(text[:at].encode("utf-16-le")) // 2


def test_utf16_positions_count_astral_characters_twice():
    assert utf16_to_index("🔎 a", 3) == 2 and utf16_to_index("ab", 9) == 2


def test_the_selected_occurrence_is_the_paragraph_and_place_it_shows():
    # "Rapat" is in the title, both paragraphs and the checklist: the one selected counts.
    assert locate(CARD, "Rapat", u16(CARD, "Rapat", 0), title=TITLE, body=BODY) == Anchor(Part.TITLE, "Rapat")
    assert locate(CARD, "Rapat", u16(CARD, "Rapat", 1), title=TITLE, body=BODY) == Anchor(Part.BODY, "Rapat", 0, 0)
    assert locate(CARD, "Rapat", u16(CARD, "Rapat", 2), title=TITLE, body=BODY) == Anchor(Part.BODY, "Rapat", 1, 26)


def test_no_quote_is_the_whole_draft_and_the_cards_own_words_keep_the_quote():
    assert locate(CARD, None, None, title=TITLE, body=BODY) == WHOLE
    assert locate(CARD, "Rapat aman", u16(CARD, "Rapat aman"), title=TITLE, body=BODY) == Anchor(
        Part.WHOLE, "Rapat aman")


def test_a_position_from_another_rendering_still_finds_the_words():
    assert locate("(1/2) Peserta rapat berdiskusi.", "berdiskusi", 999, title=TITLE, body=BODY) == Anchor(
        Part.BODY, "berdiskusi", 1, 14)


def test_followed_when_the_text_around_changes_outdated_when_the_words_change():
    anchor = Anchor(Part.BODY, "pukul 12.00", 1, 40)
    moved = "Paragraf baru di awal.\n\nRapat dibuka.\n\nPeserta rapat berdiskusi lama. Rapat ditutup pukul 12.00."
    assert follow(anchor, title=TITLE, body=moved) == Anchor(Part.BODY, "pukul 12.00", 2, 45)
    assert follow(anchor, title=TITLE, body=BODY.replace("12.00", "13.00")) is None
    assert follow(Anchor(Part.TITLE, "2027"), title="Rapat 2028", body=BODY) is None
    assert follow(WHOLE, title="", body="") == WHOLE


def test_paragraphs_alike_are_told_apart_by_their_order():
    body = "Sama.\n\nSama.\n\nLain."
    shown = "Judul\n\nSama.\n\nSama.\n\nLain."
    assert locate(shown, "Sama", u16(shown, "Sama", 1), title="Judul", body=body) == Anchor(Part.BODY, "Sama", 1, 0)
