"""The command menu on each phone: the commands of the person's roles, in
Indonesian, changed when their roles change, and not sent again at a restart
when nothing changed."""
from __future__ import annotations

from sqlalchemy import select
from telegram import BotCommandScopeChat

from storage.models import Person
from tests.flow.harness import ADMIN_ID, Office, make_settings, running, staffed_office
from texts.id import admin as A
from texts.id import common as C

WRITER_MENU = ["baru", "draf", "status", "perbarui", "riwayat", "batal", "bantuan"]
KASUBBAG_MENU = ["antrian", "riwayat", "laporan", "plh", "terbitan", "dip", "kamus", "batal", "bantuan"]
KEPALA_MENU = ["antrian", "riwayat", "laporan", "plh", "terbitan", "dip", "batal", "bantuan"]
ADMIN_MENU = ["perbarui", "antrian", "riwayat", "laporan", "plh", "terbitan", "tarik", "undang", "pengguna",
              "bagian", "kesehatan", "tempat", "kip", "dip", "kamus", "batal", "bantuan"]


async def menus_refreshed(o) -> None:
    """Start-up sets the people's menus in a job: wait until it ran."""
    await o.tg.wait_until(lambda: not o.app.job_queue.get_jobs_by_name("command-menus"), what="the menu job")
    await o.tg.settle()


def chat_menu_calls(tg) -> list:
    return [c for c in tg.calls_to("setMyCommands") if "chat" in str(c.params.get("scope", ""))]


async def test_each_person_sees_the_commands_of_their_roles(office):
    tg = office.tg
    assert tg.commands_for() == ["start", "bantuan"]  # not registered: how to get in, and help
    assert tg.commands_for(office.writer.id) == WRITER_MENU
    assert tg.commands_for(office.kasubbag.id) == KASUBBAG_MENU
    assert tg.commands_for(office.kepala.id) == KEPALA_MENU
    assert tg.commands_for(office.admin.id) == ADMIN_MENU
    stranger = tg.user(6666, "Orang Luar")
    await office.say(stranger, "halo")
    assert tg.commands_for(stranger.id) == ["start", "bantuan"]
    # In Indonesian, as the phone shows them (read back through the Bot API).
    shown = await office.app.bot.get_my_commands(scope=BotCommandScopeChat(office.writer.id))
    assert [(c.command, c.description) for c in shown] == [(n, C.COMMANDS[n]) for n in WRITER_MENU]


async def test_granting_and_revoking_a_role_changes_the_menu(office):
    tg, admin, ks = office.tg, office.admin, office.kasubbag
    people = await office.say(admin, "/pengguna")
    m = await office.press(admin, people, "⚙️ Kasim Kasubbag")
    assert admin.callback_answers[-1]["text"] == A.POPUP_MANAGE.format(name="Kasim Kasubbag")
    m = await office.press(admin, m, "➕ Penulis (Humas)")
    assert tg.commands_for(ks.id) == ["baru", "draf", "status", "perbarui", "antrian", "riwayat", "laporan", "plh",
                                      "terbitan", "dip", "kamus", "batal", "bantuan"]
    m = await office.press(admin, admin.last_message, "❌ Cabut Kasubbag")
    assert tg.commands_for(ks.id) == WRITER_MENU
    m = await office.press(admin, admin.last_message, "❌ Cabut Penulis (Humas)")
    assert tg.commands_for(ks.id) == ["start", "bantuan"]  # no role left: the menu of anyone not registered


async def test_a_restart_sends_only_the_menus_that_changed(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        await staffed_office(o)
        assert fake_telegram.commands_for(o.writer.id) == WRITER_MENU
    before = len(chat_menu_calls(fake_telegram))
    async with running(o):
        await menus_refreshed(o)
        await o.say(o.writer, "/status")
        assert len(chat_menu_calls(fake_telegram)) == before  # nothing changed: nothing sent
        assert fake_telegram.commands_for(o.writer.id) == WRITER_MENU
        # The Kasubbag's menu is not what their roles call for any more (as after a
        # role changed while the bot was down, or a new version's menu texts) ...
        async with o.app.bot_data["terbit"].sessions.begin() as s:
            (await s.scalar(select(Person).where(Person.telegram_id == o.kasubbag.id))).menu = "older"
    async with running(o):
        await menus_refreshed(o)
        # ... so the restart sends that one menu, and only that one.
        sent = chat_menu_calls(fake_telegram)[before:]
        assert [c.params["scope"] for c in sent] == [{"type": "chat", "chat_id": o.kasubbag.id}]
        assert fake_telegram.commands_for(o.kasubbag.id) == KASUBBAG_MENU


async def test_an_admin_from_the_settings_gets_their_menu_when_they_first_open_the_bot(fake_telegram, tmp_path):
    o = Office(fake_telegram, make_settings(fake_telegram, tmp_path / "data"))
    async with running(o):
        # ADMIN_IDS makes them an admin before they ever wrote: Telegram has no chat to set a menu for yet.
        admin = fake_telegram.user(ADMIN_ID, "Ani Admin", "ani")
        await o.tg.settle()
        assert fake_telegram.commands_for(admin.id) == ["start", "bantuan"]
        await o.say(admin, "/start")
        assert fake_telegram.commands_for(admin.id) == ADMIN_MENU


async def test_help_lists_every_command_of_the_menu(office):
    """/bantuan names exactly the commands the person's menu has (one table), each with how to use it."""
    import re
    for person in (office.writer, office.kasubbag, office.kepala, office.admin):
        m = await office.say(person, "/bantuan")
        listed = re.findall(r"^/(\w+)", m.text, flags=re.M)
        assert listed and sorted(listed) == sorted(office.tg.commands_for(person.id)), person.first_name
    from handlers.menus import MENU
    assert {name for name, _ in MENU} <= set(C.HELP_LINES)  # a command added to the menu has its help line
    admin_help = office.admin.last_message.text
    for line in ("/terbitan — keadaan penerbitan", "/tarik <nomor> <alasan>", "/laporan [bulan|rentang]", "/plh —",
                 "/perbarui <nomor>"):
        assert line in admin_help
