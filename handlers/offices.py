"""Offices (kantor, OPD): which office each update is for, and /kantor.

Before any handler runs, :func:`choose_office` says which office the update is
for: the office a pressed button was drawn for, else the office its sender
works in now.  Every use case the handlers then call runs in that office's
scope.  With one office nobody is asked anything.
"""
from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CommandHandler, TypeHandler

from config.offices import FIRST_OFFICE, write_template
from handlers import menus
from handlers.callbacks import office_in
from handlers.common import answer, button, on, pressed, reply
from handlers.context import Terbit, TerbitContext
from handlers.ops import Op
from handlers.render import fmt, local_time
from services.errors import ServiceError
from services.staff import offices
from texts.id import common as C
from texts.id import offices as K


async def choose_office(update: Update, context: TerbitContext) -> None:
    """Runs before everything: the office this update is for (see the module's docstring)."""
    house = context.terbit.deployment
    if not house.many_offices:
        # One office: every row is its own, so its scope would filter nothing but cost every query
        # its criteria.  The deployment's services are that office's (its settings, buttons and
        # targets are the deployment's own); the second office, once added, turns the scope on.
        context.office_id = None
        return
    query = update.callback_query
    pressed_office = office_in(query.data) if query is not None else None
    if pressed_office is not None and pressed_office in house.offices:
        context.office_id = pressed_office
        return
    user = update.effective_user
    if user is None:
        return
    replied = update.message.reply_to_message if update.message is not None else None
    if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
        about = await house.across_offices(offices.office_of_message, chat_id=replied.chat_id,
                                           message_id=replied.message_id)
        if about is not None and about in house.offices:  # a comment on that office's item
            context.office_id = about
            return
    current = house.current.get(user.id)
    if current is None:
        current = await house.across_offices(offices.current_office, telegram_id=user.id)
        if current is not None:
            house.current[user.id] = current
    # Someone who works nowhere yet (a new person with an invitation) is looked at in office no. 1,
    # where they hold nothing: never in the deployment's scope, which sees every office.
    context.office_id = current if current in house.offices else FIRST_OFFICE


def office_rows(context: TerbitContext, mine: offices.MyOffices) -> list[list[tuple[str, str]]]:
    current = mine.current.id if mine.current else None
    return [[button(context, K.BTN_SWITCH.format(name=o.name), Op.OFFICE_SWITCH, o.id)]
            for o in mine.offices if o.id != current]


def mine_text(mine: offices.MyOffices) -> str:
    if not mine.offices:
        lines = [K.MINE_NONE]
    else:
        current = mine.current.id if mine.current else None
        lines = [K.MINE_HEADER]
        lines += [fmt(K.MINE_ITEM_CURRENT if o.id == current else K.MINE_ITEM, name=o.name) for o in mine.offices]
        if len(mine.offices) > 1:
            lines += ["", K.MINE_SWITCH_HINT]
    if mine.deployment_admin:
        lines += ["", K.ADMIN_HINT]
    return "\n".join(lines)


def _error(exc: ServiceError) -> str:
    template = K.ERRORS.get(exc.code) or C.ERRORS.get(exc.code) or C.NOT_ALLOWED
    return fmt(template, **exc.params) if exc.params else template


async def kantor(update: Update, context: TerbitContext) -> None:
    """/kantor: one's offices (and a button to switch); /kantor tambah <nama> (deployment admins)."""
    t = context.terbit
    args = context.args or []
    if args and args[0].lower() == "tambah":
        await _add(update, context, " ".join(args[1:]))
        return
    try:
        mine = await t.across_offices(offices.mine, telegram_id=update.effective_user.id,
                                      admin_ids=frozenset(t.settings.admin_ids))
    except ServiceError as exc:
        await reply(update, _error(exc))
        return
    await reply(update, mine_text(mine), office_rows(context, mine))


async def _add(update: Update, context: TerbitContext, name: str) -> None:
    t = context.terbit
    try:
        created = await t.across_offices(
            offices.create, telegram_id=update.effective_user.id, name=name,
            admin_ids=frozenset(t.settings.admin_ids), now=t.now(),
            ttl=timedelta(hours=t.deployment.settings.invite_ttl_hours))
    except ServiceError as exc:
        await reply(update, _error(exc))
        return
    house = t.deployment
    settings_path = await asyncio.to_thread(write_template, t.settings.data_dir, created.office.slug,
                                            created.office.name)
    house.know_offices(await house.across_offices(offices.all_offices))
    office = house.for_office(created.office.id)
    await office.outbox.prepare()  # its static site and archive, there from the first minute
    link = f"https://t.me/{context.bot.username}?start={created.invitation}"
    await reply(update, fmt(K.CREATED, name=created.office.name, slug=created.office.slug,
                            until=local_time(created.expires_at, t.settings.timezone), link=link,
                            file=settings_path))


async def on_switch(update: Update, context: TerbitContext) -> None:
    """🏛 <office>: work in that office from now on."""
    cb = await pressed(update, context, Op.OFFICE_SWITCH)
    if cb is None:
        return
    house = context.terbit.deployment
    try:
        office = await house.across_offices(offices.switch, telegram_id=update.effective_user.id,
                                            office_id=cb.int(0))
    except ServiceError as exc:
        await answer(update, _error(exc), alert=True)
        return
    house.current[update.effective_user.id] = office.id
    context.office_id = office.id
    await answer(update, K.POPUP_SWITCHED.format(name=office.name))
    await reply(update, fmt(K.SWITCHED, name=office.name))
    await menus.refresh_for(context, telegram_id=update.effective_user.id)  # the commands of their roles there


def office_line(t: Terbit) -> str:
    """"🏛 <office>" on what the bot says about an item, when the deployment serves several offices."""
    if not t.many_offices or t.office is None:
        return ""
    return fmt(K.OFFICE_LINE, name=t.office.name)


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, choose_office), group=-3)  # before the gate (-2)
    app.add_handler(CommandHandler("kantor", kantor))
    app.add_handler(on(on_switch, Op.OFFICE_SWITCH))

