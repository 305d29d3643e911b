"""The command menu each person sees (Telegram's BotCommandScopeChat), from their roles.

:data:`MENU` is the one table of which command is offered to which roles (the
descriptions are Indonesian texts in texts/id/common.py).  People who are
not registered see :data:`DEFAULT`, the bot-wide menu.

A person's menu is set when their roles change (an invitation accepted, a role
granted or revoked), when they send /start, and at start-up for everyone whose
menu is not the one their roles call for now.  What was set is remembered as a
signature (``people.menu``), so a restart sends nothing for people whose roles
and menu texts did not change: Telegram's limits are respected by not calling.
A call that fails (the person never opened the bot: "chat not found") is not
remembered, and is tried again at the next of those moments.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application

from domain.workflow import Role
from handlers.context import Terbit, TerbitContext
from services.staff import people
from services.staff.people import MenuHolder
from texts.id import common as C

log = logging.getLogger(__name__)

W, KS, KP, A = Role.WRITER, Role.KASUBBAG, Role.KEPALA, Role.ADMIN
ANYONE = frozenset({W, KS, KP, A})
REVIEWERS = frozenset({KS, KP, A})

#: Every command a menu offers, in menu order, and the roles it is offered to.
MENU: tuple[tuple[str, frozenset[Role]], ...] = (
    ("baru", frozenset({W})),
    ("draf", frozenset({W})),
    ("status", frozenset({W})),
    ("perbarui", frozenset({W, A})),
    ("antrian", REVIEWERS),
    ("riwayat", ANYONE),
    ("laporan", REVIEWERS),
    ("plh", REVIEWERS),
    ("terbitan", REVIEWERS),
    ("tarik", frozenset({A})),
    ("undang", frozenset({A})),
    ("pengguna", frozenset({A})),
    ("bagian", frozenset({A})),
    ("kesehatan", frozenset({A})),
    ("tempat", frozenset({A})),
    ("kip", frozenset({A})),
    ("dip", REVIEWERS),
    ("kamus", frozenset({KS, A})),
    ("batal", ANYONE),
    ("bantuan", ANYONE),
)
#: The bot-wide menu: for people not registered (or left without a role).
DEFAULT: tuple[str, ...] = ("start", "bantuan")


def menu_for(roles: Iterable[Role]) -> list[tuple[str, str]]:
    """(command, description) for someone holding these roles."""
    held = frozenset(roles)
    names = [name for name, who in MENU if who & held] or list(DEFAULT)
    return [(name, C.COMMANDS[name]) for name in names]


#: /bantuan's groups, in order: a command is listed under the first group whose roles the
#: person holds and the command is offered to; what is offered to everyone comes last.
HELP_GROUPS: tuple[tuple[str, frozenset[Role]], ...] = (
    ("penulis", frozenset({W})),
    ("pemeriksa", frozenset({KS, KP})),
    ("admin", frozenset({A})),
)


def help_sections(roles: Iterable[Role]) -> list[tuple[str, list[str]]]:
    """/bantuan for someone holding these roles: (group, commands) — exactly the commands of
    their menu (:func:`menu_for`), grouped."""
    held, offered = frozenset(roles), dict(MENU)
    sections: dict[str, list[str]] = {}
    for name, _ in menu_for(held):
        who = offered.get(name, ANYONE)  # the bot-wide menu's /start is everyone's
        group = next((g for g, group_roles in HELP_GROUPS if who != ANYONE and group_roles & held & who), "umum")
        sections.setdefault(group, []).append(name)
    order = [g for g, _ in HELP_GROUPS] + ["umum"]
    return sorted(sections.items(), key=lambda item: order.index(item[0]))


def help_text(roles: Iterable[Role]) -> str:
    """/bantuan: every command of the person's menu, one line each, under its group's heading."""
    return "\n\n".join("\n".join([C.HELP_HEADINGS[group], *(C.HELP_LINES[n] for n in names)])
                       for group, names in help_sections(roles))


def signature(menu: Sequence[tuple[str, str]]) -> str:
    """Short and stable: changes when a command or its description does."""
    return hashlib.sha256(json.dumps(list(menu), ensure_ascii=False).encode()).hexdigest()[:32]


def _commands(menu: Sequence[tuple[str, str]]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in menu]


async def set_default(bot: Bot) -> None:
    """The bot-wide menu (one call at start-up)."""
    await bot.set_my_commands(_commands(menu_for(())))


async def _refresh_one(bot: Bot, t: Terbit, holder: MenuHolder) -> bool:
    """Set this person's menu if it is not the one their roles call for; True if it was set."""
    menu = menu_for(holder.roles)
    sig = signature(menu)
    if sig == holder.menu:
        return False
    try:
        await bot.set_my_commands(_commands(menu), scope=BotCommandScopeChat(holder.telegram_id))
    except TelegramError as exc:  # never opened the bot, blocked it, or Telegram is away: tried again later
        log.info("menu for %s not set: %s", holder.telegram_id, exc)
        return False
    await t.run(people.remember_menu, person_id=holder.person_id, signature=sig)
    return True


async def refresh(bot: Bot, t: Terbit, *, person_ids: Iterable[int] | None = None,
                  telegram_id: int | None = None) -> int:
    """Bring the menus of these people (everyone, without a choice) in step with their roles; how many were set."""
    holders = await t.run(people.menu_holders, person_ids=person_ids, telegram_id=telegram_id)
    changed = 0
    for holder in holders:
        changed += await _refresh_one(bot, t, holder)
    return changed


async def refresh_for(context: TerbitContext, *, person_ids: Iterable[int] | None = None,
                      telegram_id: int | None = None) -> None:
    """After a role change (or /start): the menus of the people concerned."""
    await refresh(context.bot, context.terbit, person_ids=person_ids, telegram_id=telegram_id)


async def refresh_everyone(context: TerbitContext) -> None:
    """Start-up (a JobQueue job, so start-up does not wait): every menu that differs from what its roles call for."""
    changed = await refresh(context.bot, context.terbit)
    if changed:
        log.info("command menus set for %d person(s)", changed)


async def start_up(app: Application) -> None:
    """The default menu now; the people's menus in the background."""
    await set_default(app.bot)
    if app.job_queue is not None:
        app.job_queue.run_once(refresh_everyone, 0, name="command-menus")
