"""The desk's pages: what they show (drawn by the card's own code), what they may load (CSP), and
that nothing a person typed can become markup."""
from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from domain.workflow import State
from handlers.desk.page import (
    DeskAction,
    action_path,
    at_local,
    content_security_policy,
    desk_actions,
    gate_path,
    new_nonce,
    preview_content_security_policy,
    render_desk,
    render_gate,
    response_headers,
)
from handlers.render import diff_block
from tests.desk import sample
from tests.publishers.conftest import Parsed

NONCE = "bm9uY2UtZm9yLXRlc3Rz"
HOSTILE = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)> & "kutip"'


def desk(view=None, **kw) -> str:
    kw.setdefault("clock", "🟢 2 jam dari standar 1 hari kerja")
    kw.setdefault("standard", "1 hari kerja")
    kw.setdefault("tz", "Asia/Makassar")
    return render_desk(view or sample.card_view(), nonce=NONCE, **kw)


def scripts(page: str) -> list[dict]:
    return Parsed(page).find("script")


def test_the_desk_shows_the_step_the_clock_the_checks_the_comments_and_the_changes():
    view = sample.card_view(diff=sample.a_diff(12))
    page = desk(view, open_comments=[sample.comment(1), sample.comment(2, text="Foto kedua buram.")])
    p = Parsed(page)
    text = " ".join(p.text.split())
    assert "Pengajuan #12 — menunggu persetujuan Kepala (standar 1 hari kerja)" in text
    assert "⏱ 🟢 2 jam dari standar 1 hari kerja" in text
    assert "Pemeriksaan otomatis" in text and "Ada 1 nomor telepon" in text
    assert "Mohon sebutkan jumlah peserta." in text and "Foto kedua buram." in text and "seluruh bidang" in text
    # The whole diff (the card shows 8 paragraphs, cut at 300 characters; the desk all of it).
    assert all(f"Paragraf {i} " in text for i in range(12)) and "perubahan lain" not in text
    assert diff_block(view.diff, lines_shown=None, clip=None) in page
    assert p.find("details", id="perubahan") and "🔁 Perubahan (14)" in text  # the title, 12 paragraphs, a photo
    # The preview: the site's page in a sandboxed frame of the desk's origin.
    assert p.find("iframe", id="pratinjau", src="artikel/pratinjau/", sandbox="allow-same-origin")


def test_a_first_round_has_no_changes_to_show():
    assert "Ini versi pertama yang Anda periksa." in desk(sample.card_view(diff=None))


@pytest.mark.parametrize(("state", "decisions", "correct"), [
    (State.WAIT_KEPALA, ["setujui", "jadwalkan", "kembalikan"], True),
    (State.WAIT_KASUBBAG, ["teruskan", "kembalikan"], False),
])
def test_the_decisions_post_where_the_card_buttons_decide(state, decisions, correct):
    p = Parsed(desk(sample.card_view(state)))
    buttons = [b for b in p.find("button") if b.get("type") == "submit" and b.get("value") != "koreksi"]
    assert [b["value"] for b in buttons] == decisions
    assert [b["formaction"] for b in buttons] == [action_path(12, 34, d) for d in decisions]
    assert bool(p.find("details", **{"class": "koreksi"})) is correct
    assert bool(p.find("input", id="waktu", type="datetime-local")) is ("jadwalkan" in decisions)
    assert p.find("button", value="kembalikan")[0]["data-perlu"] == "note"


def test_the_desk_offers_what_the_card_offers():
    """Both read the workflow table: the same decisions, the same words."""
    from handlers.review_cards import review_rows

    t = SimpleNamespace(codec=SimpleNamespace(encode=lambda op, *ids: op.name))
    for state in (State.WAIT_KASUBBAG, State.WAIT_KEPALA):
        card = {label for row in review_rows(t, state, 12, 34) for label, _data in row}  # type: ignore[arg-type]
        assert {a.label for a in desk_actions(state)} == card
    assert desk_actions(State.DRAFT) == [] and desk_actions(State.PUBLISHED) == []
    assert DeskAction.JADWALKAN.action is DeskAction.SETUJUI.action


def test_someone_elses_claim_leaves_no_decision():
    p = Parsed(desk(actions=(), claim_line="🙋 Sedang diperiksa <b>Budi</b>"))
    assert not p.find("form") and "Tidak ada keputusan" in p.text and "Sedang diperiksa Budi" in p.text


def test_a_writers_draft_shows_the_article_and_no_decision():
    """The writer's preview: the same page for a draft (no step, no clock, no changes, no form)."""
    from texts.id import desk as K

    p = Parsed(desk(sample.card_view(State.DRAFT), clock="", standard="", actions=(), writer=True,
                    open_comments=[sample.comment()]))
    assert not p.find("form") and K.WRITER_NO_DECISION in p.text and "Pratinjau #12" in p.text
    assert not p.find("details") and "standar" not in p.text and "Mohon sebutkan jumlah peserta." in p.text
    assert p.find("iframe", id="pratinjau")


def test_nothing_typed_becomes_markup():
    view = sample.card_view(title=HOSTILE, body=HOSTILE + "\n\n" + HOSTILE,
                            diff=sample.a_diff(2).__class__(HOSTILE, HOSTILE, [("+", HOSTILE)], [HOSTILE], []))
    page = desk(view, open_comments=[sample.comment(text=HOSTILE, quote=HOSTILE)])
    assert "<script>alert" not in page and "<img src=x" not in page and "</textarea><script" not in page
    assert [s.get("nonce") for s in scripts(page)] == [None, NONCE]  # the data block and ours: nothing else
    p = Parsed(page)
    assert p.find("input", id="koreksi-judul")[0]["value"] == HOSTILE  # the reviewer edits the real title
    assert not [t for t, a in p.tags if any(k.startswith("on") for k in a)]


def test_the_page_loads_nothing_from_elsewhere():
    page = desk()
    p = Parsed(page)
    assert not [a for _t, a in p.tags if a.get("src") and not a["src"].startswith("artikel/")]
    assert not p.find("link") and "telegram-web-app.js" not in page and "http://" not in page
    assert len(re.findall(r"https://", page)) == page.count("https://web.telegram.org")  # postMessage's target only
    assert p.find("style", nonce=NONCE) and p.find("script", nonce=NONCE)


def test_the_gate_holds_nothing_of_the_item():
    page = render_gate(nonce=NONCE, submission_id=12, revision_id=34)
    assert sample.LONG_TITLE not in page and "Rapat" not in page
    assert '"exchange":"/meja/api/12/34/sesi"' in page
    assert [s.get("nonce") for s in scripts(page)] == [None, NONCE]
    assert gate_path(12, 34) == "/meja/12/34/"


def test_the_content_security_policy():
    csp = dict(d.split(" ", 1) for d in content_security_policy(NONCE).split("; "))
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == f"'nonce-{NONCE}'"      # never 'self': writers' files are served here
    assert csp["style-src"] == f"'nonce-{NONCE}'"
    assert csp["connect-src"] == "'self'" and csp["frame-src"] == "'self'" and csp["img-src"] == "'self' data:"
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert csp["frame-ancestors"] == "https://web.telegram.org"
    assert csp["require-trusted-types-for"] == "'script'"
    assert "unsafe" not in content_security_policy(NONCE)
    for bad in ("", "a b", "x'; script-src *"):
        with pytest.raises(ValueError):
            content_security_policy(bad)
    preview = preview_content_security_policy()
    assert "script-src 'none'" in preview and "sandbox" in preview
    # Every ancestor counts: the desk (same origin), and Telegram's web client around it.
    assert "frame-ancestors 'self' https://web.telegram.org" in preview
    assert response_headers("x")["Cache-Control"] == "no-store"
    assert new_nonce() != new_nonce() and len(new_nonce()) >= 24


def test_every_refusal_has_its_words():
    from handlers.desk.initdata import Refusal
    from handlers.desk.sessions import SessionRefusal
    from texts.id import desk as K

    assert set(K.INIT_REFUSED) == {r.value for r in Refusal}
    assert set(K.SESSION_REFUSED) == {r.value for r in SessionRefusal}


def test_a_scheduled_moment_is_the_offices_time():
    assert at_local("2026-12-01T08:00", "Asia/Makassar") == datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    with pytest.raises(ValueError):
        at_local("2026-12-01T08:00+07:00", "Asia/Makassar")
