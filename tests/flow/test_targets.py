"""Real targets through the real bot: WordPress on 127.0.0.1, a webhook CMS that
fails and is retried from the admin's button."""
from __future__ import annotations

import httpx

from tests.flow.harness import Office, make_settings, retitle_published, running, staffed_office, submit_new
from tests.webhook.conftest import SECRET, receiver  # noqa: F401  (fixture)
from tests.wordpress.conftest import wp  # noqa: F401  (fixture)
from texts.id import publishing as P
from texts.id import review as R


async def approve(office, **kw) -> int:
    card = await submit_new(office, **kw)
    sid = int(card.text.split("#", 1)[1].split()[0])
    await office.press(office.kasubbag, card, R.BTN_FORWARD)
    await office.press(office.kepala, office.kepala.last_message, R.BTN_APPROVE)
    return sid


def wordpress_office(fake_telegram, tmp_path, site) -> Office:
    """An office publishing to the static site, the real test WordPress (as its editor) and the archive."""
    user, password = site.credentials["editor"]
    settings = make_settings(fake_telegram, tmp_path / "data", publishers=["static_site", "wordpress", "archive"],
                             wordpress_url=site.url, wordpress_user=user, wordpress_app_password=password,
                             wordpress_create_categories=True)
    return Office(fake_telegram, settings)


def wordpress_link(done) -> str:
    """The WordPress address in a "Terbit" notice."""
    return next(line.split(": ", 1)[1] for line in done.text.splitlines() if line.startswith("• WordPress"))


async def test_published_to_a_real_wordpress_and_updated_in_place(fake_telegram, tmp_path, wp):  # noqa: F811
    o = wordpress_office(fake_telegram, tmp_path, wp)
    async with running(o):
        await staffed_office(o)
        sid = await approve(o, title="Musyawarah Perencanaan Pembangunan Kecamatan", photos=2)
        done = await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=30)
        link = wordpress_link(done)
        async with httpx.AsyncClient() as http:
            page = (await http.get(link, follow_redirects=True)).text
        assert "Musyawarah Perencanaan Pembangunan Kecamatan" in page
        # Update: same post, new title.
        w = o.writer
        await retitle_published(o, sid, "Musyawarah Perencanaan Pembangunan Kecamatan 2027")
        done2 = await w.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=30)
        link2 = wordpress_link(done2)
        async with httpx.AsyncClient(auth=wp.credentials["administrator"]) as http:
            posts = (await http.get(f"{wp.rest_url}/wp/v2/posts", params={
                "search": "Musyawarah Perencanaan", "status": "any", "context": "edit"})).json()
        assert len(posts) == 1 and posts[0]["title"]["raw"].endswith("2027")
        assert link2.rstrip("/").split("/")[-1] != "" and posts[0]["featured_media"]


async def test_withdrawn_from_wordpress_with_its_photos(fake_telegram, tmp_path, wp):  # noqa: F811
    """Issue 11 through the bot: the photos belong to the post, carry the title in their
    names, the writer is named; after /tarik nobody can list or open the photos."""
    o = wordpress_office(fake_telegram, tmp_path, wp)
    async with running(o):
        await staffed_office(o)
        sid = await approve(o, title="Sosialisasi KIP di Kecamatan", photos=2)
        done = await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=30)
        link = wordpress_link(done)
        async with httpx.AsyncClient() as anon, httpx.AsyncClient(auth=wp.credentials["administrator"]) as admin:
            (post,) = (await admin.get(f"{wp.rest_url}/wp/v2/posts", params={
                "search": "Sosialisasi KIP di Kecamatan", "status": "any", "context": "edit"})).json()
            media = (await anon.get(f"{wp.rest_url}/wp/v2/media", params={"parent": post["id"]})).json()
            names = sorted(m["source_url"].rsplit("/", 1)[1] for m in media)
            assert names == ["sosialisasi-kip-di-kecamatan-1.jpg", "sosialisasi-kip-di-kecamatan-2.jpg"]
            page = (await anon.get(link)).text
            assert "Penulis: Wulan Penulis" in page and "<!-- wp:" in post["content"]["raw"]

            await o.say(o.admin, f"/tarik {sid} Acara ditunda")
            await o.press(o.kepala, o.kepala.last_message, P.BTN_CONFIRM_WITHDRAW)
            await o.writer.wait_for_message(lambda m: "Ditarik:" in (m.text or ""), timeout=30)
            assert (await anon.get(link)).status_code == 404
            assert (await anon.get(f"{wp.rest_url}/wp/v2/media", params={"parent": post["id"]})).json() == []
            for m in media:
                assert (await anon.get(m["source_url"])).status_code == 404


async def test_a_failing_target_reaches_the_admin_with_a_retry_button(fake_telegram, tmp_path, receiver):  # noqa: F811
    receiver.script = [500]
    settings = make_settings(fake_telegram, tmp_path / "data", publishers=["static_site", "webhook", "archive"],
                             webhook_url=receiver.endpoint, webhook_secret=SECRET, outbox_max_attempts=1)
    o = Office(fake_telegram, settings)
    async with running(o):
        await staffed_office(o)
        await approve(o, title="Pengumuman Libur Nasional dan Cuti Bersama")
        alert = await o.admin.wait_for_message(lambda m: "gagal" in (m.text or ""), timeout=15)
        assert "CMS (webhook)" in alert.text and "500" in alert.text
        await o.tg.settle()
        assert not [m for m in o.writer.messages if "Terbit:" in (m.text or "")]  # not while a target failed
        assert not list(o.settings.archive_dir.rglob("SHA256SUMS"))  # the archive waits for every target
        await o.press(o.admin, alert, R.BTN_RETRY)
        done = await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
        assert receiver.url in done.text and "Diarsipkan" in done.text
        assert len(receiver.items) == 1
        assert len([m for m in o.writer.messages if "Terbit:" in (m.text or "")]) == 1
        # The writer heard once why it was late; the admin heard it is back.
        delayed = [m.text for m in o.writer.messages if "tertunda" in (m.text or "")]
        assert len(delayed) == 1 and "CMS (webhook)" in delayed[0] and "500" in delayed[0]
        await o.tg.wait_until(lambda: any("pulih:" in (m.text or "") for m in o.admin.messages), what="recovery")
        await o.tg.settle()
        assert len([m for m in o.admin.messages if "pulih:" in (m.text or "")]) == 1
        listing = await o.say(o.admin, "/terbitan")
        assert "✅ CMS (webhook)" in listing.text


async def test_published_to_the_public_channel_and_edited_on_update(fake_telegram, tmp_path):
    channel_id = -1001234567890
    fake_telegram.add_channel(channel_id, "humas_kantor")
    settings = make_settings(fake_telegram, tmp_path / "data", publishers=["static_site", "telegram_channel", "archive"],
                             telegram_channel="@humas_kantor")
    o = Office(fake_telegram, settings)
    async with running(o):
        await staffed_office(o)
        sid = await approve(o, title="Pelayanan Terpadu Satu Pintu Buka Sabtu", photos=2)
        done = await o.writer.wait_for_message(lambda m: "Terbit:" in (m.text or ""), timeout=15)
        assert "https://t.me/humas_kantor/" in done.text
        posts = fake_telegram.messages(channel_id)
        assert sum(1 for m in posts if m.kind == "photo") == 2
        assert any("Pelayanan Terpadu Satu Pintu Buka Sabtu" in (m.text or "") for m in posts)
        before = len(posts)
        w = o.writer
        await retitle_published(o, sid, "Pelayanan Terpadu Satu Pintu Kini Buka Sabtu")
        await w.wait_for_message(lambda m: "Terbit:" in (m.text or "") and m.message_id != done.message_id,
                                 timeout=15)
        posts = fake_telegram.messages(channel_id)
        assert len(posts) == before  # edited in place, not posted again
        assert any("Kini Buka Sabtu" in (m.text or "") for m in posts)
