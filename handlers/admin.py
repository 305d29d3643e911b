"""The admin's tools: invitations, people and their roles, sections."""
from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import admin as A
from bot.i18n.id import common as C
from domain.workflow import Role
from handlers.common import answer, button, edit, person_of, pressed, reply
from handlers.render import esc, fmt, local_time
from services import people as people_svc
from services.errors import ServiceError
from storage.models import Person, RoleGrant, Section

ROLE_WORDS = {"penulis": Role.WRITER, "kasubbag": Role.KASUBBAG, "kepala": Role.KEPALA, "admin": Role.ADMIN}
OPS = {"iv": 1, "ivs": 1, "pm": 1, "pr": 1, "pg": 2, "pgs": 2, "so": 1}


async def _admin(update: Update, context, s) -> Person | None:
    person = await person_of(update, context, s)
    if person is None or Role.ADMIN not in people_svc.roles_of(person):
        if update.callback_query:
            await answer(update, C.ADMIN_ONLY, alert=True)
        else:
            await reply(update, C.ADMIN_ONLY)
        return None
    return person


def _grant_label(g: RoleGrant) -> str:
    label = C.ROLE_LABELS[g.role] if g.role != Role.KASUBBAG else "Kasubbag"
    return f"{label} ({g.section.name})" if g.section else label


def _roles_line(p: Person) -> str:
    return ", ".join(_grant_label(g) for g in p.grants) or A.NO_ROLES


async def _send_invite(update, context, s, admin: Person, role: Role, section) -> None:
    t = terbit(context)
    inv = await people_svc.create_invitation(
        s, admin, role, section, t.now(), timedelta(hours=t.settings.invite_ttl_hours))
    link = f"https://t.me/{context.bot.username}?start={inv.code}"
    await reply(update, A.INVITE_LINK.format(
        role=esc(C.ROLE_LABELS[role]),
        section=f" — bagian {esc(section.name)}" if section and role == Role.WRITER else "",
        until=esc(local_time(inv.expires_at, t.settings.timezone)),
        link=esc(link),
    ))


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    async with t.sessions.begin() as s:
        admin = await _admin(update, context, s)
        if admin is None:
            return
        if not context.args:
            rows = [[button(context, C.ROLE_LABELS[r] if r != Role.KASUBBAG else "Kasubbag", "iv", r.value)]
                    for r in people_svc.ASSIGNABLE]
            await reply(update, A.INVITE_PICK_ROLE, rows)
            return
        role = ROLE_WORDS.get(context.args[0].lower())
        if role is None:
            await reply(update, fmt(A.UNKNOWN_ROLE, role=context.args[0]))
            return
        section = None
        if role == Role.WRITER:
            name = " ".join(context.args[1:])
            if not name:
                await _pick_section(update, context, s)
                return
            section = await people_svc.section_by_name(s, name)
            if section is None or not section.active:
                await reply(update, fmt(A.UNKNOWN_SECTION, name=name))
                return
        await _send_invite(update, context, s, admin, role, section)


async def _pick_section(update, context, s) -> None:
    sections = await people_svc.sections(s)
    if not sections:
        await reply(update, A.NO_SECTIONS)
        return
    await reply(update, A.INVITE_PICK_SECTION, [[button(context, sec.name, "ivs", sec.id)] for sec in sections])


async def people_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    async with t.sessions() as s:
        if await _admin(update, context, s) is None:
            return
        everyone = await people_svc.people(s)
        lines = [A.PEOPLE_HEADER.format(n=len(everyone))]
        for p in everyone:
            username = f" (@{p.username})" if p.username else ""
            lines.append(fmt(A.PEOPLE_ITEM, name=p.full_name, username=username, roles=_roles_line(p)))
        rows = [[button(context, fmt(A.BTN_MANAGE, name=p.full_name[:30]), "pm", p.id)] for p in everyone[:40]]
    await reply(update, "\n".join(lines), rows)


def _manage_view(context, p: Person, sections) -> tuple[str, list]:
    held = {g.role for g in p.grants}
    rows = [[button(context, fmt(A.BTN_REVOKE, role=_grant_label(g)), "pr", g.id)] for g in p.grants]
    for r in (Role.KASUBBAG, Role.KEPALA, Role.ADMIN):
        if r not in held:
            rows.append([button(context, fmt(A.BTN_GRANT, role=C.ROLE_LABELS[r] if r != Role.KASUBBAG
                                              else "Kasubbag"), "pg", p.id, r.value)])
    writer_sections = {g.section_id for g in p.grants if g.role == Role.WRITER}
    for sec in sections:
        if sec.id not in writer_sections:
            rows.append([button(context, fmt(A.BTN_GRANT, role=f"Penulis ({sec.name})"), "pgs", p.id, sec.id)])
    text = A.MANAGE_PERSON.format(name=esc(p.full_name), roles=esc(_roles_line(p)))
    return text, rows


async def sections_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    async with t.sessions.begin() as s:
        if await _admin(update, context, s) is None:
            return
        args = context.args or []
        if args and args[0].lower() == "tambah":
            try:
                sec = await people_svc.add_section(s, " ".join(args[1:]))
            except ServiceError as exc:
                await reply(update, fmt(C.ERRORS[exc.code], **exc.params))
                return
            await reply(update, fmt(A.SECTION_ADDED, name=sec.name))
            return
        sections = await people_svc.sections(s)
    if not sections:
        await reply(update, A.SECTIONS_EMPTY)
        return
    lines = [A.SECTIONS_HEADER.format(n=len(sections))] + [fmt(A.SECTION_ITEM, name=x.name) for x in sections]
    rows = [[button(context, fmt(A.BTN_SECTION_OFF, name=x.name[:40]), "so", x.id)] for x in sections]
    await reply(update, "\n".join(lines), rows)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    cb = await pressed(update, context, OPS)
    if cb is None:
        return
    async with t.sessions.begin() as s:
        admin = await _admin(update, context, s)
        if admin is None:
            return
        try:
            if cb.op == "iv":
                role = Role(cb.args[0])
                await answer(update)
                if role == Role.WRITER:
                    await _pick_section(update, context, s)
                else:
                    await _send_invite(update, context, s, admin, role, None)
            elif cb.op == "ivs":
                section = await s.get(Section, cb.int(0))
                await answer(update)
                await _send_invite(update, context, s, admin, Role.WRITER, section)
            elif cb.op in ("pm", "pr", "pg", "pgs"):
                await _manage(update, context, s, admin, cb)
            elif cb.op == "so":
                sec = await people_svc.deactivate_section(s, cb.int(0))
                await answer(update, fmt(A.SECTION_REMOVED, name=sec.name))
        except ServiceError as exc:
            await answer(update, C.ERRORS[exc.code].format(**exc.params), alert=True)
        except ValueError:
            await answer(update, C.BUTTON_UNKNOWN, alert=True)


async def _manage(update, context, s, admin: Person, cb) -> None:
    t = terbit(context)
    if cb.op == "pr":
        grant = await people_svc.revoke_grant(s, admin, cb.int(0))
        person = await s.get(Person, grant.person_id)
        await s.refresh(person, ["grants"])
        await answer(update, A.REVOKED.format(role=_grant_label(grant), name=person.full_name))
    else:
        person = await s.get(Person, cb.int(0))
        if person is None:
            raise ServiceError("grant_unknown")
        if cb.op in ("pg", "pgs"):
            role = Role.WRITER if cb.op == "pgs" else Role(cb.args[1])
            section_id = cb.int(1) if cb.op == "pgs" else None
            if not any(g.role == role and g.section_id == section_id for g in person.grants):
                person.grants.append(RoleGrant(role=role, section_id=section_id, granted_by=admin.id,
                                               granted_at=t.now()))
                await s.flush()
                await s.refresh(person, ["grants"])
            await answer(update, A.GRANTED.format(name=person.full_name, role=C.ROLE_LABELS[role]))
        else:
            await answer(update)
    text, rows = _manage_view(context, person, await people_svc.sections(s))
    msg = update.callback_query.message
    if cb.op == "pm":
        await reply(update, text, rows)
    else:
        await edit(context, msg.chat_id, msg.message_id, text, rows)


def register(app) -> None:
    codec_ops = ("iv", "ivs", "pm", "pr", "pg", "pgs", "so")
    app.add_handler(CommandHandler("undang", invite))
    app.add_handler(CommandHandler("pengguna", people_list))
    app.add_handler(CommandHandler("bagian", sections_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^1:(?:{'|'.join(codec_ops)}):"))
