from types import SimpleNamespace

from handlers.render import TEXT_LIMIT, card_messages, esc, split_body
from tests.fakebot.html import parse_html


def _sub(body, title="Judul <b>berani</b> & \"kutip\""):
    sub = SimpleNamespace(id=7, section=SimpleNamespace(name="Humas <x>"), author=SimpleNamespace(full_name="A&B"))
    rev = SimpleNamespace(title=title, body=body, kind="berita")
    return sub, rev


def test_user_text_is_escaped_and_valid_telegram_html():
    sub, rev = _sub("<script>alert(1)</script>\n\nA & B > C")
    [msg] = card_messages("<b>Header</b>", sub, rev, [], ["<i>tail</i>"])
    parse_html(msg, strict=True)  # raises on anything Telegram would refuse
    assert "&lt;script&gt;" in msg and "<script>" not in msg
    assert esc("<&>") == "&lt;&amp;&gt;"


def test_long_bodies_are_split_within_limits_and_never_inside_an_entity():
    body = "\n\n".join(("Paragraf & <kata> " * 60).strip() for _ in range(12))
    sub, rev = _sub(body)
    msgs = card_messages("<b>Header</b>", sub, rev, [], ["checklist"])
    assert len(msgs) > 1
    for m in msgs:
        assert len(m) <= TEXT_LIMIT
        parse_html(m, strict=True)
    assert "Header" in msgs[-1] and "checklist" in msgs[-1]
    joined = "".join(split_body(body, 1000))
    assert joined.count("&lt;kata&gt;") == body.count("<kata>")
