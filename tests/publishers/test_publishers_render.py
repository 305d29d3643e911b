from __future__ import annotations

from datetime import UTC, datetime

from publishers import render


def test_format_date_id_uses_jakarta_time():
    dt = datetime(2026, 11, 24, 3, 5, tzinfo=UTC)
    assert render.format_date_id(dt) == "24 November 2026"
    assert render.format_date_id(dt, time=True) == "24 November 2026 pukul 10.05 WIB"
    assert render.format_date_id(dt, weekday=True) == "Selasa, 24 November 2026"
    # 20:00 UTC on 31 Dec is already New Year in Jakarta.
    assert render.format_date_id(datetime(2026, 12, 31, 20, 0, tzinfo=UTC)) == "1 Januari 2027"
    # Naive datetimes are UTC.
    assert render.format_date_id(datetime(2026, 8, 16, 18, 30), time=True) == "17 Agustus 2026 pukul 01.30 WIB"


def test_human_size_indonesian():
    assert render.human_size(0) == "0 B"
    assert render.human_size(1023) == "1.023 B"
    assert render.human_size(1024) == "1 KB"
    assert render.human_size(1536) == "1,5 KB"
    assert render.human_size(150 * 1024) == "150 KB"
    assert render.human_size(1_258_291) == "1,2 MB"
    assert render.human_size(1024 * 1024 - 1) == "1 MB"
    assert render.human_size(int(3.4 * 1024**3)) == "3,4 GB"


def test_paragraphs():
    body = "  satu\r\ndua  \r\n\r\n \t \n\n tiga\n\n\n"
    assert render.paragraphs(body) == ["satu\ndua", "tiga"]
    assert render.paragraphs("") == []
    assert render.paragraphs("a\x00b\u202ec") == ["abc"]


def test_body_html_escapes_and_links_only_http():
    html = render.body_html(
        'Lihat https://example.go.id/a?b=1&c="2" dan javascript:alert(1)\n'
        "<script>x</script> (https://x.id/p).\n\nbaru"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'href="https://example.go.id/a?b=1&amp;c="' in html  # stops at the quote
    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'href="https://x.id/p"' in html  # trailing ")." not part of the URL
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert html.count("<p>") == 2 and "<br>" in html


def test_body_html_no_linkify():
    html = render.body_html("https://a.id", linkify=False)
    assert html == "<p>https://a.id</p>"


def test_md_escape_blocks_structure():
    text = "# bukan judul\n- bukan daftar\n1. bukan nomor\n    kode?\n> kutipan\n[tautan](http://x) ![g](y) <b>tebal</b> *m* _m_ `k` | t ~~c~~ &amp;\n==="
    out = render.md_escape(text).split("\n")
    assert out[0] == r"\# bukan judul"
    assert out[1] == r"\- bukan daftar"
    assert out[2] == r"1\. bukan nomor"
    assert out[3] == "kode?"
    assert out[4] == r"\> kutipan"
    assert out[5] == (r"\[tautan\]\(http://x\) \!\[g\]\(y\) \<b\>tebal\</b\> \*m\* \_m\_ "
                      r"\`k\` \| t \~\~c\~\~ \&amp;")
    assert out[6] == r"\==="


def test_article_markdown(factory):
    doc = factory.pdf(filename="Laporan [final].pdf")
    article = factory.article(title="Judul *penting*", body="# Bukan judul\nbaris\n\nlagi", assets=(doc,))
    md = render.article_markdown(article, lambda a, v: "lampiran/asli/01-Laporan_final_.pdf")
    lines = md.split("\n")
    assert lines[0] == r"# Judul \*penting\*"
    assert "\\# Bukan judul\\\nbaris" in md
    assert "- [Dokumen 1](<lampiran/asli/01-Laporan_final_.pdf>) — PDF, 3 halaman, 1,2 MB" in md
    assert "Selasa, 24 November 2026 pukul 10.05 WIB · Oleh Siti Aminah" in md


def test_describe_file(factory):
    assert render.describe_file(factory.pdf()) == "PDF, 3 halaman, 1,2 MB"
    assert render.describe_file(factory.audio()).startswith("OGG, 1:23, ")
    pptx = factory.pdf(filename="Paparan.pptx", pad_to=2048)
    pptx = type(pptx)(**{**pptx.__dict__, "mime": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                         "meta": {"slides": 12}})
    assert render.describe_file(pptx) == "PPTX, 12 slide, 2 KB"


def test_article_html_fragment(factory, parse, hostile):
    photo = factory.photo(caption=hostile)
    article = factory.article(title=hostile, body=hostile, assets=(photo,))
    frag = render.article_html(article, lambda a, v: f"m/{v}.jpg", image_size=lambda a, v: (40, 30))
    p = parse(frag)
    assert not p.find("script")
    assert hostile in p.text
    img = p.find("img")[0]
    assert img["alt"] == " ".join(hostile.split()) and img["loading"] == "lazy"
    assert img["width"] == "40" and img["height"] == "30"
