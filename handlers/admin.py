"""The admin's tools: invitations, people and their roles, sections."""
from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.workflow import Role
from handlers import menus
from handlers.callbacks import Callback
from handlers.common import Buttons, answer, button, edit, on, pressed, reply
from handlers.context import TerbitContext
from handlers.ops import Op
from handlers.render import esc, fmt, local_time
from services.errors import ServiceError
from services.staff import people as people_svc
from services.staff.people import GrantView, Managed, NeedRole, NeedSection, PersonView, SectionView
from texts.id import admin as A
from texts.id import common as C

BUTTON_OPS = (Op.INVITE_ROLE, Op.INVITE_SECTION, Op.PERSON_MANAGE, Op.PERSON_REVOKE, Op.PERSON_GRANT,
              Op.PERSON_GRANT_SECTION, Op.SECTION_OFF)


def _role_label(role: Role) -> str:
    return C.ROLE_LABELS[role] if role != Role.KASUBBAG else "Kasubbag"


def _grant_label(g: GrantView) -> str:
    label = _role_label(g.role)
    return f"{label} ({g.section_name})" if g.section_name else label


def _roles_line(p: PersonView) -> str:
    return ", ".join(_grant_label(g) for g in p.grants) or A.NO_ROLES


def _error(exc: ServiceError) -> str:
    """The admin's error messages, and the shared ones."""
    if exc.code == "role_unknown":
        return fmt(A.UNKNOWN_ROLE, **exc.params)
    if exc.code == "section_unknown_name":
        return fmt(A.UNKNOWN_SECTION, **exc.params)
    return fmt(C.ERRORS[exc.code], **exc.params)


async def _invite_step(update: Update, context: TerbitContext,
                       step: NeedRole | NeedSection | people_svc.Invited) -> None:
    """Show what the invitation needs next: a role, a section, or the link itself."""
    t = context.terbit
    if isinstance(step, NeedRole):
        await reply(update, A.INVITE_PICK_ROLE,
                    [[button(context, _role_label(r), Op.INVITE_ROLE, r.value)] for r in step.roles])
    elif isinstance(step, NeedSection):
        if not step.sections:
            await reply(update, A.NO_SECTIONS)
            return
        await reply(update, A.INVITE_PICK_SECTION,
                    [[button(context, sec.name, Op.INVITE_SECTION, sec.id)] for sec in step.sections])
    else:
        link = f"https://t.me/{context.bot.username}?start={step.code}"
        await reply(update, A.INVITE_LINK.format(
            role=esc(C.ROLE_LABELS[step.role]),
            section=f" — bagian {esc(step.section)}" if step.section else "",
            until=esc(local_time(step.expires_at, t.settings.timezone)),
            link=esc(link),
        ))


def _ttl(context: TerbitContext) -> timedelta:
    return timedelta(hours=context.terbit.settings.invite_ttl_hours)


async def invite(update: Update, context: TerbitContext) -> None:
    """/undang [peran] [bagian]: a one-time link, or asks for the role and the section."""
    t = context.terbit
    args = context.args or []
    try:
        step = await t.run(people_svc.invite, telegram_id=update.effective_user.id,
                                       role=args[0] if args else None, section_name=" ".join(args[1:]),
                                       now=t.now(), ttl=_ttl(context))
    except ServiceError as exc:
        await reply(update, _error(exc))
        return
    await _invite_step(update, context, step)


async def people_list(update: Update, context: TerbitContext) -> None:
    """/pengguna: everyone with their roles, and a ⚙️ button each."""
    t = context.terbit
    try:
        everyone = await t.run(people_svc.roster, telegram_id=update.effective_user.id)
    except ServiceError as exc:
        await reply(update, _error(exc))
        return
    lines = [A.PEOPLE_HEADER.format(n=len(everyone))]
    for p in everyone:
        username = f" (@{p.username})" if p.username else ""
        lines.append(fmt(A.PEOPLE_ITEM, name=p.full_name, username=username, roles=_roles_line(p)))
    rows = [[button(context, fmt(A.BTN_MANAGE, name=p.full_name[:30]), Op.PERSON_MANAGE, p.id)]
            for p in everyone[:40]]
    await reply(update, "\n".join(lines), rows)


def _manage_view(context: TerbitContext, m: Managed) -> tuple[str, Buttons]:
    p = m.person
    rows = [[button(context, fmt(A.BTN_REVOKE, role=_grant_label(g)), Op.PERSON_REVOKE, g.id)] for g in p.grants]
    for r in (Role.KASUBBAG, Role.KEPALA, Role.ADMIN):
        if r not in p.roles:
            rows.append([button(context, fmt(A.BTN_GRANT, role=_role_label(r)), Op.PERSON_GRANT, p.id, r.value)])
    writer_sections = {g.section_id for g in p.grants if g.role == Role.WRITER}
    for sec in m.sections:
        if sec.id not in writer_sections:
            rows.append([button(context, fmt(A.BTN_GRANT, role=f"Penulis ({sec.name})"), Op.PERSON_GRANT_SECTION,
                                p.id, sec.id)])
    text = A.MANAGE_PERSON.format(name=esc(p.full_name), roles=esc(_roles_line(p)))
    return text, rows


async def sections_command(update: Update, context: TerbitContext) -> None:
    """/bagian: the sections with a 🗑 button each; /bagian tambah <nama> adds one."""
    t = context.terbit
    args = context.args or []
    try:
        if args and args[0].lower() == "tambah":
            sec = await t.run(people_svc.add_section_as, telegram_id=update.effective_user.id,
                                                  name=" ".join(args[1:]))
            await reply(update, fmt(A.SECTION_ADDED, name=sec.name))
            return
        sections = await t.run(people_svc.section_list, telegram_id=update.effective_user.id)
    except ServiceError as exc:
        await reply(update, _error(exc))
        return
    await _show_sections(update, context, sections)


async def _show_sections(update: Update, context: TerbitContext,
                         sections: tuple[SectionView, ...]) -> None:
    if not sections:
        await reply(update, A.SECTIONS_EMPTY)
        return
    lines = [A.SECTIONS_HEADER.format(n=len(sections))] + [fmt(A.SECTION_ITEM, name=x.name) for x in sections]
    rows = [[button(context, fmt(A.BTN_SECTION_OFF, name=x.name[:40]), Op.SECTION_OFF, x.id)] for x in sections]
    await reply(update, "\n".join(lines), rows)


async def on_button(update: Update, context: TerbitContext) -> None:
    """The admin's buttons: invitation steps, a person's roles, removing a section."""
    cb = await pressed(update, context, *BUTTON_OPS)
    if cb is None:
        return
    try:
        if cb.op in (Op.INVITE_ROLE, Op.INVITE_SECTION):
            await _invite_button(update, context, cb)
        elif cb.op is Op.SECTION_OFF:
            sec = await context.terbit.run(people_svc.remove_section_as, telegram_id=update.effective_user.id,
                                                     section_id=cb.int(0))
            await answer(update, fmt(A.SECTION_REMOVED, name=sec.name))
        else:
            await _manage(update, context, cb)
    except ServiceError as exc:
        await answer(update, C.ERRORS[exc.code].format(**exc.params), alert=True)
    except ValueError:
        await answer(update, C.BUTTON_UNKNOWN, alert=True)


async def _invite_button(update: Update, context: TerbitContext, cb: Callback) -> None:
    """A role (then, for a writer, a section) chosen for an invitation."""
    t = context.terbit
    if cb.op is Op.INVITE_ROLE:
        role, section_id = Role(cb.args[0]).value, None
    else:
        role, section_id = Role.WRITER.value, cb.int(0)
    step = await t.run(people_svc.invite, telegram_id=update.effective_user.id, role=role,
                                   section_id=section_id, now=t.now(), ttl=_ttl(context))
    await answer(update, _invite_popup(step))
    await _invite_step(update, context, step)


def _invite_popup(step: NeedRole | NeedSection | people_svc.Invited) -> str:
    """What a press in the invitation steps did: the next step is the message below."""
    if isinstance(step, NeedSection):
        return A.POPUP_PICK_SECTION if step.sections else A.POPUP_NO_SECTIONS
    return A.POPUP_LINK_READY


async def _manage(update: Update, context: TerbitContext, cb: Callback) -> None:
    """⚙️ shows a person's roles; ➕ / ❌ change them and redraw that message."""
    t = context.terbit
    me = update.effective_user.id
    if cb.op is Op.PERSON_REVOKE:
        revoked = await t.run(people_svc.revoke, telegram_id=me, grant_id=cb.int(0))
        managed = revoked.managed
        await answer(update, A.REVOKED.format(role=_grant_label(revoked.grant), name=managed.person.full_name))
    elif cb.op in (Op.PERSON_GRANT, Op.PERSON_GRANT_SECTION):
        role = Role.WRITER if cb.op is Op.PERSON_GRANT_SECTION else Role(cb.args[1])
        section_id = cb.int(1) if cb.op is Op.PERSON_GRANT_SECTION else None
        managed = await t.run(people_svc.grant, telegram_id=me, person_id=cb.int(0), role=role,
                                         section_id=section_id, now=t.now())
        await answer(update, A.GRANTED.format(name=managed.person.full_name, role=C.ROLE_LABELS[role]))
    else:
        managed = await t.run(people_svc.manage, telegram_id=me, person_id=cb.int(0))
        await answer(update, A.POPUP_MANAGE.format(name=managed.person.full_name)[:200])
    if cb.op is not Op.PERSON_MANAGE:  # their roles changed: so does their menu, and maybe their office
        t.deployment.current.clear()  # who works where is read again, once per person
        await menus.refresh_for(context, person_ids=[managed.person.id])
    text, rows = _manage_view(context, managed)
    if cb.op is Op.PERSON_MANAGE:
        await reply(update, text, rows)
    else:
        msg = update.callback_query.message
        await edit(context, msg.chat_id, msg.message_id, text, rows)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("undang", invite))
    app.add_handler(CommandHandler("pengguna", people_list))
    app.add_handler(CommandHandler("bagian", sections_command))
    app.add_handler(on(on_button, *BUTTON_OPS))
