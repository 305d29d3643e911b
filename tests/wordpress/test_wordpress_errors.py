"""Error classification of WordPressPublisher, without a server (MockTransport)."""
from __future__ import annotations

import httpx
import pytest

from publishers.base import PriorPublication, PublishError
from publishers.wordpress import WordPressPublisher, paragraphs_html, sanitize

SECRET = "abcd EFGH ijkl MNOP qrst UVWX"

ME = {"id": 2, "capabilities": {"publish_posts": True, "upload_files": True}}


def make(handler, **kw):
    return WordPressPublisher("https://situs.example", "editor", SECRET,
                              transport=httpx.MockTransport(handler), create_categories=True, **kw)


@pytest.mark.parametrize(
    "status, retryable, words",
    [
        (500, True, "HTTP 500"),
        (502, True, "HTTP 502"),
        (503, True, "HTTP 503"),
        (429, True, "429"),
        (401, False, "Kata sandi aplikasi WordPress ditolak (401)"),
        (403, False, "tidak berhak menerbitkan (403"),
        (400, False, "HTTP 400"),
        (413, False, "413"),
    ],
)
async def test_status_classification(make_article, status, retryable, words):
    def handler(request: httpx.Request):
        assert request.headers["authorization"].startswith("Basic ")
        return httpx.Response(status, json={"code": "some_code", "message": "x"})

    pub = make(handler)
    with pytest.raises(PublishError) as exc:
        await pub.publish(make_article(1, photos=0, pdf=False, audio=False), None)
    await pub.aclose()
    assert exc.value.retryable is retryable
    assert words in exc.value.message
    assert SECRET not in exc.value.message and "abcd" not in exc.value.message


@pytest.mark.parametrize("error", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"),
                                   httpx.RemoteProtocolError("eof")])
async def test_network_errors_are_retryable(make_article, error):
    def handler(request):
        raise error

    pub = make(handler)
    with pytest.raises(PublishError) as exc:
        await pub.publish(make_article(1, photos=0, pdf=False, audio=False), None)
    await pub.aclose()
    assert exc.value.retryable is True


async def test_error_after_auth_on_update(make_article):
    """A 5xx while updating the recorded post is retryable too."""
    def handler(request: httpx.Request):
        p = request.url.path
        if p.endswith("/users/me"):
            return httpx.Response(200, json=ME)
        if p.endswith("/categories"):
            return httpx.Response(200, json=[{"id": 3, "name": "Berita Daerah"}])
        if p.endswith("/tags"):
            return httpx.Response(200, json=[{"id": 4, "name": "Berita"}])
        if p.endswith("/posts/77"):
            return httpx.Response(504, text="gateway timeout")
        raise AssertionError(f"unexpected {request.method} {request.url}")

    pub = make(handler)
    with pytest.raises(PublishError) as exc:
        await pub.publish(make_article(1, photos=0, pdf=False, audio=False), PriorPublication(remote_id="77"))
    await pub.aclose()
    assert exc.value.retryable is True and "504" in exc.value.message


async def test_non_json_answer_is_not_retryable(make_article):
    pub = make(lambda r: httpx.Response(200, text="<html>not wordpress</html>"))
    with pytest.raises(PublishError) as exc:
        await pub.publish(make_article(1, photos=0, pdf=False, audio=False), None)
    await pub.aclose()
    assert exc.value.retryable is False and "bukan JSON" in exc.value.message


def test_body_is_escaped_and_sanitised():
    out = paragraphs_html("a <b>x</b> & y\nbaris 2\n\n\n<script>z</script>")
    assert out == "<p>a &lt;b&gt;x&lt;/b&gt; &amp; y<br>baris 2</p>\n<p>&lt;script&gt;z&lt;/script&gt;</p>"
    assert sanitize('<p onclick="x">a</p><script>b</script><a href="javascript:1">c</a><iframe></iframe>') == \
        "<p>a</p><a rel=\"noopener\">c</a>"
