"""The HTML validator against TDLib's own test vectors plus Terbit-relevant cases."""

import pytest

from tests.fakebot.html import HtmlParseError, parse_html

TDLIB_ERRORS = [
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba>", 'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
    ("&#57311;", "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
                 "surrogate code units"),
    # Terbit-ish mistakes
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
    ("line<br>next", 'Unsupported start tag "br" at byte offset 4'),
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
]


@pytest.mark.parametrize("text,error", TDLIB_ERRORS)
def test_errors_match_tdlib(text, error):
    with pytest.raises(HtmlParseError) as ei:
        parse_html(text)
    assert ei.value.message == error


@pytest.mark.parametrize("text,plain,entities", [
    ("&lt;&gt;&amp;&quot;&laquo;&#12345678;", '<>&"&laquo;&#12345678;', []),
    ("🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>", "🏟 🏟🏟 ><🏟",
     [{"type": "italic", "offset": 5, "length": 7}, {"type": "bold", "offset": 9, "length": 3}]),
    ("🏟 🏟&lt;<i>🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", [{"type": "italic", "offset": 6, "length": 6}]),
    ("<a href=telegram.org>x</a>", "x", [{"type": "text_link", "offset": 0, "length": 1,
                                          "url": "http://telegram.org/"}]),
    ('<pre><code class="language-python">x = 1</code></pre>', "x = 1",
     [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]),
    ("<pre>raw</pre>", "raw", [{"type": "pre", "offset": 0, "length": 3}]),
    ("<blockquote expandable>long</blockquote>", "long",
     [{"type": "expandable_blockquote", "offset": 0, "length": 4}]),
    ("<blockquote>q</blockquote>", "q", [{"type": "blockquote", "offset": 0, "length": 1}]),
    ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st",
     [{"type": "spoiler", "offset": 0, "length": 1}, {"type": "spoiler", "offset": 1, "length": 1}]),
    ("<B>X</B><STRONG>y</strong>", "Xy", [{"type": "bold", "offset": 0, "length": 1},
                                         {"type": "bold", "offset": 1, "length": 1}]),
    ("<u>u</u><ins>i</ins><s>s</s><strike>k</strike><del>d</del><em>e</em>", "uiskde", None),
    ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍",
     [{"type": "custom_emoji", "offset": 0, "length": 2, "custom_emoji_id": "5368324170671202286"}]),
    ("<b></b>", "", []),
    ("😀<b>x</b>", "😀x", [{"type": "bold", "offset": 2, "length": 1}]),  # UTF-16 offsets
])
def test_valid_html(text, plain, entities):
    got_plain, got_entities = parse_html(text)
    assert got_plain == plain
    if entities is not None:
        assert got_entities == entities


def test_strict_mode_catches_unescaped_text_that_telegram_tolerates():
    # Real Telegram accepts these (TDLib keeps them literally) ...
    assert parse_html("AT&T > you")[0] == "AT&T > you"
    assert parse_html("&amp")[0] == "&"
    # ... the fake's strict mode refuses them, because they always mean "forgot html.escape"
    for text in ("AT&T", "a > b", "&amp", "<a>telegram.org</a>"):
        with pytest.raises(HtmlParseError, match="fakebot strict mode"):
            parse_html(text, strict=True)
    assert parse_html("AT&amp;T &gt; &#39;you&#x27; &quot;q&quot;", strict=True)[0] == "AT&T > 'you' \"q\""


def test_html_escape_output_is_always_accepted():
    import html

    nasty = "<script>alert('x')</script> & \"quotes\" > <b>not bold</b> 😀 &amp;"
    plain, entities = parse_html(f"<b>{html.escape(nasty)}</b>", strict=True)
    assert plain == nasty
    assert entities == [{"type": "bold", "offset": 0, "length": len(nasty.encode("utf-16-le")) // 2}]
