"""WordPressPublisher against a real WordPress 6.1 (see conftest.py)."""
from __future__ import annotations

import html
import re
from dataclasses import replace

import httpx
import pytest

from publishers.base import PriorPublication, PublishError
from publishers.wordpress import WordPressPublisher, marker, slugify


def publisher(wp, role="editor", **kw):
    user, pw = wp.credentials[role]
    kw.setdefault("create_categories", True)
    return WordPressPublisher(wp.url, user, pw, **kw)


def posts_with_key(rest, key):
    """All posts (any status, trash included) carrying the idempotency marker."""
    r = rest.get("/wp/v2/posts", params={"search": key, "context": "edit", "per_page": 100,
                                          "status": "publish,future,draft,pending,private,trash"})
    r.raise_for_status()
    return [p for p in r.json() if marker(key) in p["content"]["raw"]]


def media_count(rest):
    r = rest.get("/wp/v2/media", params={"per_page": 1})
    r.raise_for_status()
    return int(r.headers["X-WP-Total"])


def prior_of(result):
    return PriorPublication(remote_id=result.remote_id, url=result.url, remote=result.remote)


async def test_publish_with_photos_document_and_audio(wp, rest, make_article, submission_id):
    article = make_article(submission_id)
    pub = publisher(wp)
    try:
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()

    assert res.remote_id and res.remote_id.isdigit()
    assert res.url == f"{wp.url}/{article.slug}/"
    assert res.remote["idempotency_key"] == f"terbit-{submission_id}"
    media = res.remote["media"]
    assert set(media) == {a.sha256 for a in article.assets}

    post = rest.get(f"/wp/v2/posts/{res.remote_id}", params={"context": "edit"}).json()
    assert post["status"] == "publish"
    photo1, photo2, doc, audio = article.assets
    # Featured image = first photo, with alt text and caption from the asset.
    assert post["featured_media"] == media[photo1.sha256]["id"]
    m1 = rest.get(f"/wp/v2/media/{post['featured_media']}", params={"context": "edit"}).json()
    assert m1["alt_text"] == photo1.caption
    assert m1["caption"]["raw"] == photo1.caption
    assert m1["mime_type"] == "image/jpeg"
    # The web rendition was uploaded, not the original.
    up = httpx.get(m1["source_url"])
    assert up.status_code == 200 and up.content == photo1.web.read_bytes()
    # Category from the section, tag from the kind label.
    cats = [rest.get(f"/wp/v2/categories/{c}").json()["name"] for c in post["categories"]]
    tags = [rest.get(f"/wp/v2/tags/{t}").json()["name"] for t in post["tags"]]
    assert cats == ["Berita Daerah"] and tags == ["Berita"]
    # The body: escaped plain text, paragraphs, <br> inside a paragraph.
    raw = post["content"]["raw"]
    assert "<p>Dinas menggelar rapat" in raw
    assert "&lt;b&gt;tanpa&lt;/b&gt;" in raw and "<b>" not in raw
    assert "camat &amp; lurah" in raw
    assert "se-kabupaten &lt;b&gt;tanpa&lt;/b&gt; kecuali.<br>Baris kedua" in raw

    # The post is live.
    page = httpx.get(res.url, follow_redirects=True)
    assert page.status_code == 200
    text = page.text
    assert article.title in html.unescape(text)
    assert media[photo1.sha256]["url"] in text  # featured image shown by the theme
    assert media[photo2.sha256]["url"] in text  # second photo in the body
    doc_url = media[doc.sha256]["url"]
    assert re.search(rf'<a href="{re.escape(doc_url)}"[^>]*>Notulen rapat \(PDF, [\d,]+ [KM]?B\)</a>', text)
    assert httpx.get(doc_url).content == doc.original.read_bytes()
    assert f'src="{media[audio.sha256]["url"]}"' in text and "<audio" in text


async def test_update_in_place(wp, rest, make_article, submission_id):
    article = make_article(submission_id)
    pub = publisher(wp)
    try:
        first = await pub.publish(article, None)
        n_media = media_count(rest)
        revised = replace(article, revision_number=2, title="Rapat Koordinasi (Revisi)",
                          body="Isi yang sudah diperbaiki.\n\nParagraf baru.")
        second = await pub.publish(revised, prior_of(first))
    finally:
        await pub.aclose()
    assert second.remote_id == first.remote_id
    assert second.remote["media"] == first.remote["media"]
    assert media_count(rest) == n_media, "media re-uploaded on update"
    posts = posts_with_key(rest, f"terbit-{submission_id}")
    assert [p["id"] for p in posts] == [int(first.remote_id)]
    assert posts[0]["title"]["raw"] == "Rapat Koordinasi (Revisi)"
    assert "<p>Paragraf baru.</p>" in posts[0]["content"]["raw"]
    assert "Dinas menggelar" not in posts[0]["content"]["raw"]
    page = httpx.get(second.url)
    assert "Paragraf baru." in page.text and "Rapat Koordinasi (Revisi)" in html.unescape(page.text)


async def test_crash_between_remote_create_and_local_record(wp, rest, make_article, submission_id):
    """publish() succeeded remotely but its result was lost: a second call
    with prior=None must find the post (and the media) instead of duplicating."""
    article = make_article(submission_id)
    pub = publisher(wp)
    try:
        lost = await pub.publish(article, None)
        n_media = media_count(rest)
        again = await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert again.remote_id == lost.remote_id
    assert again.remote["media"] == lost.remote["media"]
    assert media_count(rest) == n_media
    assert len(posts_with_key(rest, f"terbit-{submission_id}")) == 1


async def test_crash_recovery_also_for_pending_posts(wp, rest, make_article, submission_id):
    """WordPress keeps no slug for pending posts: the marker search must still find it."""
    article = make_article(submission_id, photos=0, pdf=False, audio=False)
    pub = publisher(wp, status="pending")
    try:
        first = await pub.publish(article, None)
        again = await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert first.remote["status"] == "pending"
    assert again.remote_id == first.remote_id
    assert len(posts_with_key(rest, f"terbit-{submission_id}")) == 1


async def test_withdraw_to_draft_then_republish(wp, rest, make_article, submission_id):
    article = make_article(submission_id, audio=False)
    pub = publisher(wp)
    try:
        res = await pub.publish(article, None)
        assert httpx.get(res.url).status_code == 200
        await pub.withdraw(article, prior_of(res))
        post = rest.get(f"/wp/v2/posts/{res.remote_id}", params={"context": "edit"}).json()
        assert post["status"] == "draft"
        assert httpx.get(res.url).status_code == 404
        await pub.withdraw(article, prior_of(res))  # idempotent
        back = await pub.publish(article, prior_of(res))
    finally:
        await pub.aclose()
    assert back.remote_id == res.remote_id
    assert httpx.get(back.url).status_code == 200


async def test_withdraw_to_trash_then_republish_without_record(wp, rest, make_article, submission_id):
    article = make_article(submission_id, photos=1, pdf=False, audio=False)
    pub = publisher(wp, withdraw_mode="trash")
    try:
        res = await pub.publish(article, None)
        await pub.withdraw(article, prior_of(res))
        post = rest.get(f"/wp/v2/posts/{res.remote_id}", params={"context": "edit"}).json()
        assert post["status"] == "trash"
        assert httpx.get(res.url).status_code == 404
        await pub.withdraw(article, prior_of(res))  # already trashed: no error
        back = await pub.publish(article, None)  # record lost: found in the trash
    finally:
        await pub.aclose()
    assert back.remote_id == res.remote_id
    assert back.url == res.url
    assert httpx.get(back.url).status_code == 200
    assert len(posts_with_key(rest, f"terbit-{submission_id}")) == 1


async def test_bad_credentials_are_not_retryable(wp, make_article, submission_id):
    user, _ = wp.credentials["editor"]
    secret = "AAAA BBBB CCCC DDDD EEEE FFFF"
    pub = WordPressPublisher(wp.url, user, secret, create_categories=True)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(make_article(submission_id), None)
    finally:
        await pub.aclose()
    assert exc.value.retryable is False
    assert "401" in exc.value.message and "ditolak" in exc.value.message
    assert secret not in str(exc.value) and "AAAA" not in repr(exc.value)
    assert secret not in repr(pub)


async def test_contributor_cannot_publish(wp, rest, make_article, submission_id):
    # What WordPress itself says to a contributor asking for "publish":
    user, pw = wp.credentials["contributor"]
    r = httpx.post(f"{wp.rest_url}/wp/v2/posts", auth=(user, pw),
                   json={"title": "x", "content": "y", "status": "publish"})
    assert r.status_code == 403 and r.json()["code"] == "rest_cannot_publish"

    pub = publisher(wp, role="contributor", create_categories=False)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(make_article(submission_id, photos=0, pdf=False, audio=False), None)
    finally:
        await pub.aclose()
    assert exc.value.retryable is False
    assert "403" in exc.value.message and "tidak berhak menerbitkan" in exc.value.message
    assert posts_with_key(rest, f"terbit-{submission_id}") == []


async def test_contributor_may_submit_for_review(wp, rest, make_article, submission_id):
    # The category exists already (contributors cannot create categories).
    article = make_article(submission_id, photos=0, pdf=False, audio=False)
    pub = publisher(wp, role="contributor", status="pending", create_categories=False)
    try:
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()
    post = rest.get(f"/wp/v2/posts/{res.remote_id}", params={"context": "edit"}).json()
    assert post["status"] == "pending"
    assert post["author"] == wp.user_ids["contributor"]


async def test_contributor_cannot_upload_media(wp, make_article, submission_id):
    pub = publisher(wp, role="contributor", status="pending", create_categories=False)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(make_article(submission_id, photos=1, pdf=False, audio=False), None)
    finally:
        await pub.aclose()
    assert exc.value.retryable is False and "403" in exc.value.message


async def test_missing_category_without_permission_to_create(wp, make_article, submission_id):
    pub = publisher(wp, create_categories=False)
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(make_article(submission_id, section="Rubrik Tak Dikenal",
                                           photos=0, pdf=False, audio=False), None)
    finally:
        await pub.aclose()
    assert exc.value.retryable is False and "Rubrik Tak Dikenal" in exc.value.message


async def test_wordpress_down_then_back_publishes_exactly_once(wp, rest, make_article, submission_id):
    article = make_article(submission_id)
    pub = publisher(wp)
    wp.stop()
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(article, None)
        assert exc.value.retryable is True
        assert "tidak dapat dihubungi" in exc.value.message
    finally:
        wp.start()
    try:
        res = await pub.publish(article, None)
        again = await pub.publish(article, None)  # a duplicate delivery by the outbox
    finally:
        await pub.aclose()
    assert again.remote_id == res.remote_id
    assert len(posts_with_key(rest, f"terbit-{submission_id}")) == 1
    assert httpx.get(res.url).status_code == 200


async def test_wordpress_down_midway_then_back(wp, rest, make_article, submission_id):
    """Down after the media went up: the retry reuses them and creates one post."""
    article = make_article(submission_id)
    pub = publisher(wp)
    calls = {"n": 0}
    orig = pub._call

    async def flaky(method, route, **kw):
        if method == "POST" and route == "/wp/v2/posts":
            calls["n"] += 1
            if calls["n"] == 1:
                wp.stop()
        return await orig(method, route, **kw)

    pub._call = flaky
    try:
        with pytest.raises(PublishError) as exc:
            await pub.publish(article, None)
        assert exc.value.retryable is True
        wp.start()
        n_media = media_count(rest)
        res = await pub.publish(article, None)
    finally:
        wp.start()
        await pub.aclose()
    assert media_count(rest) == n_media
    assert len(posts_with_key(rest, f"terbit-{submission_id}")) == 1
    assert set(res.remote["media"]) == {a.sha256 for a in article.assets}


async def test_hostile_text_is_escaped(wp, rest, make_article, submission_id):
    article = make_article(
        submission_id, photos=0, pdf=False, audio=False,
        title='Judul <script>alert(1)</script> & "kutip"',
        body='<img src=x onerror=alert(1)>\n\n[embed]http://evil.example/[/embed] <a href="javascript:x">k</a>',
    )
    pub = publisher(wp)
    try:
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()
    page = httpx.get(res.url).text
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page and 'href="javascript:' not in page
    post = rest.get(f"/wp/v2/posts/{res.remote_id}", params={"context": "edit"}).json()
    assert "&lt;img src=x onerror=alert(1)&gt;" in post["content"]["raw"]
    assert post["title"]["raw"] == html.escape(article.title, quote=False)
    assert "<script>" not in post["title"]["rendered"]
    assert "Judul &lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_rest_route_fallback(wp, make_article, submission_id):
    """Sites without pretty permalinks: api_root '<site>/?rest_route='."""
    user, pw = wp.credentials["editor"]
    pub = WordPressPublisher(wp.url, user, pw, api_root=f"{wp.url}/?rest_route=", create_categories=True)
    try:
        res = await pub.publish(make_article(submission_id, photos=1, pdf=False, audio=False), None)
        again = await pub.publish(make_article(submission_id, photos=1, pdf=False, audio=False), None)
    finally:
        await pub.aclose()
    assert res.remote_id == again.remote_id


def anonymous_media(wp, post_id):
    """What a visitor (no login) gets listing the post's media."""
    r = httpx.get(f"{wp.rest_url}/wp/v2/media", params={"parent": post_id})
    r.raise_for_status()
    return r.json()


def edit_media(rest, media_id):
    return rest.get(f"/wp/v2/media/{media_id}", params={"context": "edit"}).json()


async def test_media_attached_named_and_labelled_body_in_blocks(wp, rest, make_article, submission_id):
    """Issue 11: media belong to their post, carry the title in their file names,
    alt text only on photos, the body is block markup WordPress parses, the
    writer is named, and no empty paragraph anywhere."""
    article = make_article(submission_id, title="Sosialisasi KIP: Keterbukaan Informasi Publik", photos=3)
    photo1, photo2, photo3, doc, audio = article.assets
    article = replace(article, assets=(photo1, replace(photo2, caption=""), photo3, doc, audio))
    pub = publisher(wp)
    try:
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()
    pid = int(res.remote_id)
    media = {sha: edit_media(rest, m["id"]) for sha, m in res.remote["media"].items()}

    # Attached: WordPress lists them as the post's media, for anyone while it is live.
    assert all(m["post"] == pid for m in media.values())
    assert {m["id"] for m in anonymous_media(wp, pid)} == {m["id"] for m in media.values()}

    # File names from the title, numbered in the article's order; ASCII.
    stem = "sosialisasi-kip-keterbukaan-informasi-publik"
    assert slugify(article.title) == stem
    names = [media[a.sha256]["source_url"].rsplit("/", 1)[1] for a in article.assets]
    assert names == [f"{stem}-1.jpg", f"{stem}-2.jpg", f"{stem}-3.jpg", f"{stem}-4.pdf", f"{stem}-5.wav"]

    # Alt text: the caption, else the title and number; none for the PDF and the audio.
    assert media[photo1.sha256]["alt_text"] == "Suasana rapat, foto 1"
    assert media[photo2.sha256]["alt_text"] == f"{article.title} (2)"
    assert media[photo2.sha256]["caption"]["raw"] == ""
    assert media[doc.sha256]["alt_text"] == "" and media[audio.sha256]["alt_text"] == ""
    assert media[doc.sha256]["title"]["raw"] == "Notulen rapat"
    assert media[audio.sha256]["caption"]["raw"] == "Sambutan kepala dinas"

    # Block markup, parsed by WordPress: raw has the block comments with ids and sizes.
    post = rest.get(f"/wp/v2/posts/{pid}", params={"context": "edit"}).json()
    raw = post["content"]["raw"]
    assert raw.count("<!-- wp:paragraph -->") == 2
    for photo in (photo2, photo3):
        m = media[photo.sha256]
        w, h = m["media_details"]["width"], m["media_details"]["height"]
        assert (f'<!-- wp:image {{"id":{m["id"]},"width":{w},"height":{h},"sizeSlug":"full",'
                f'"linkDestination":"none"}} -->') in raw
        assert f'class="wp-image-{m["id"]}"' in raw
    assert f'<!-- wp:audio {{"id":{media[audio.sha256]["id"]},"preload":"none"}} -->' in raw
    assert f'<!-- wp:file {{"id":{media[doc.sha256]["id"]},' in raw
    assert raw.rstrip().endswith(marker(f"terbit-{submission_id}"))
    rendered = post["content"]["rendered"]
    img2 = re.search(rf'<img[^>]*wp-image-{media[photo2.sha256]["id"]}[^>]*>', rendered).group(0)
    assert 'width="320"' in img2 and 'height="240"' in img2
    assert f'alt="{article.title} (2)"' in html.unescape(img2)
    assert "<p></p>" not in rendered.replace("\n", "").replace(" ", "")

    # The page a reader sees: the writer named, the image block's CSS loaded, no empty paragraph.
    page = httpx.get(res.url).text
    assert '<p class="terbit-penulis">Penulis: Siti Rahma</p>' in page
    assert "<style id='wp-block-image-inline-css'>" in page  # the theme loads the image block's CSS
    assert not re.search(r"<p>\s*</p>", page)


async def test_withdraw_takes_the_files_down_and_republish_brings_them_back(wp, rest, make_article,
                                                                            submission_id):
    article = make_article(submission_id)
    pub = publisher(wp)  # withdraw_media="delete", the default
    try:
        res = await pub.publish(article, None)
        pid = int(res.remote_id)
        urls = [m["url"] for m in res.remote["media"].values()]
        assert len(anonymous_media(wp, pid)) == 4
        assert all(httpx.get(u).status_code == 200 for u in urls)

        await pub.withdraw(article, prior_of(res))
        assert anonymous_media(wp, pid) == []
        assert [httpx.get(u).status_code for u in urls] == [404] * 4
        assert rest.get("/wp/v2/media", params={"parent": pid, "status": "inherit,private"}).json() == []
        await pub.withdraw(article, prior_of(res))  # idempotent

        back = await pub.publish(article, prior_of(res))
    finally:
        await pub.aclose()
    assert back.remote_id == res.remote_id
    listed = anonymous_media(wp, pid)
    assert {m["id"] for m in listed} == {m["id"] for m in back.remote["media"].values()}
    assert len(listed) == 4 and all(m["post"] == pid for m in listed)
    page = httpx.get(back.url).text
    for m in back.remote["media"].values():
        assert httpx.get(m["url"]).status_code == 200
    photo2 = article.assets[1]
    assert back.remote["media"][photo2.sha256]["url"] in page
    post = rest.get(f"/wp/v2/posts/{pid}", params={"context": "edit"}).json()
    assert post["featured_media"] == back.remote["media"][article.assets[0].sha256]["id"]


async def test_withdraw_media_private_then_republish(wp, rest, make_article, submission_id):
    """withdraw_media="private": gone from every listing while withdrawn (the
    files themselves stay reachable by their URL, as documented), public again
    on re-publish without uploading anything."""
    article = make_article(submission_id, audio=False)
    pub = publisher(wp, withdraw_media="private", withdraw_mode="trash")
    try:
        res = await pub.publish(article, None)
        pid = int(res.remote_id)
        n_media = media_count(rest)
        await pub.withdraw(article, prior_of(res))
        assert anonymous_media(wp, pid) == []
        assert all(edit_media(rest, m["id"])["status"] == "private" for m in res.remote["media"].values())
        for m in res.remote["media"].values():
            assert httpx.get(f"{wp.rest_url}/wp/v2/media/{m['id']}").status_code in (401, 403, 404)
        back = await pub.publish(article, None)  # record lost: the post is found in the trash
    finally:
        await pub.aclose()
    assert back.remote_id == res.remote_id and back.remote["media"] == res.remote["media"]
    assert media_count(rest) == n_media
    assert len(anonymous_media(wp, pid)) == 3
    assert httpx.get(back.url).status_code == 200


async def test_crash_before_media_are_attached(wp, rest, make_article, submission_id):
    """The post was created but attaching its media failed: the retry (record
    lost) finds post and media again, attaches them, duplicates nothing."""
    article = make_article(submission_id)
    pub = publisher(wp)
    orig = pub._call

    async def broken_attach(method, route, **kw):
        if method == "POST" and route.startswith("/wp/v2/media/") and set(kw.get("json") or {}) == {"post"}:
            raise PublishError("WordPress tidak dapat dihubungi", retryable=True)
        return await orig(method, route, **kw)

    pub._call = broken_attach
    try:
        with pytest.raises(PublishError):
            await pub.publish(article, None)
        (post,) = posts_with_key(rest, f"terbit-{submission_id}")
        n_media = media_count(rest)
        pub._call = orig
        res = await pub.publish(article, None)
    finally:
        await pub.aclose()
    assert int(res.remote_id) == post["id"]
    assert media_count(rest) == n_media
    assert len(posts_with_key(rest, f"terbit-{submission_id}")) == 1
    assert all(edit_media(rest, m["id"])["post"] == post["id"] for m in res.remote["media"].values())


async def test_withdraw_also_takes_down_media_published_before_they_were_attached(wp, rest, make_article,
                                                                                  submission_id):
    """Articles published by an older Terbit have unattached media (post 0): the
    record names them, and withdrawing deletes them too."""
    article = make_article(submission_id, audio=False)
    pub = publisher(wp)
    try:
        res = await pub.publish(article, None)
        for m in res.remote["media"].values():  # as the older publisher left them
            rest.post(f"/wp/v2/media/{m['id']}", json={"post": 0}).raise_for_status()
        assert anonymous_media(wp, int(res.remote_id)) == []
        await pub.withdraw(article, prior_of(res))
    finally:
        await pub.aclose()
    assert [httpx.get(m["url"]).status_code for m in res.remote["media"].values()] == [404] * 3
