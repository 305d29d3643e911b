"""A review card's view and open comments as the desk gets them, built without a database."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.anchors import Anchor, Part
from domain.checks import Finding, Severity
from domain.diffing import RevisionDiff
from domain.kip import KipClass
from domain.workflow import State
from services.records import AttachmentRecord, PersonRecord, RevisionRecord, SectionRecord, SubmissionRecord
from services.reviewing.cards import CardView
from services.reviewing.comments import CommentView

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LONG_TITLE = ("Rapat Koordinasi Percepatan Penyelenggaraan Pelayanan Publik Terpadu Satu Pintu "
              "Dinas Komunikasi dan Informatika Kota Contoh Tahun Anggaran 2026")
BODY = ("Rapat koordinasi membahas standar pelayanan publik tahun 2026 bersama seluruh bidang.\n\n"
        "Setiap bidang menyampaikan capaian dan kendala pelayanan selama satu semester.\n\n"
        "Kepala Dinas menegaskan bahwa pelayanan harus selesai dalam waktu yang dijanjikan.")


def _attachment(aid: int, kind: str, **kw) -> AttachmentRecord:
    base = dict(id=aid, submission_id=12, kind=kind, sha256="0" * 64, path=f"media/{aid}", mime="image/jpeg",
                label="", size=120_000, original_name="", caption="", telegram_file_id=None, telegram_unique_id=None,
                media_group_id=None, meta={}, renditions=[], added_by=3, created_at=AT, office_id=1)
    return AttachmentRecord(**(base | kw))


def card_view(state: State = State.WAIT_KEPALA, *, title: str = LONG_TITLE, body: str = BODY,
              diff: RevisionDiff | None = None) -> CardView:
    author = PersonRecord(3, 1003, "Siti Aminah", "siti", True, AT, None, 1)
    sub = SubmissionRecord(12, 3, 1, state, 34, None, "12-rapat", AT, AT, AT - timedelta(hours=3), None, 4,
                           KipClass.BERKALA, None, None, 1, author, SectionRecord(1, "Sekretariat", True, 1))
    rev = RevisionRecord(34, 12, 2, "berita", title, body, {}, [], "resubmit", 3, AT, AT, 1)
    atts = (_attachment(51, "photo", caption="Suasana rapat"), _attachment(52, "photo", caption="Daftar hadir"),
            _attachment(53, "document", mime="application/pdf", original_name="notulen.pdf", label="Notulen",
                        meta={"pages": 3}))
    findings = [Finding("pii_phone", Severity.WARNING, {"count": 1})]
    return CardView(sub, rev, atts, state, findings, diff)


def a_diff(n: int = 12) -> RevisionDiff:
    lines = [("-" if i % 2 else "+", f"Paragraf {i} " + "kata " * 80) for i in range(n)]
    return RevisionDiff("Rapat Koordinasi", LONG_TITLE, lines, ["Foto 3"], [])


def comment(n: int = 1, *, text: str = "Mohon sebutkan jumlah peserta.", quote: str = "seluruh bidang") -> CommentView:
    return CommentView(id=900 + n, submission_id=12, title=LONG_TITLE, author="Kasubbag Umum", at=AT, text=text,
                       anchor=Anchor(Part.BODY, quote, 0, 60), thread_id=None, thread_quote=None, resolved=False,
                       deleted=False, outdated=False)
