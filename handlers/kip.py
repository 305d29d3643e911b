"""Public-information classes (UU 14/2008): the writer's button in the
preview, the reviewer's row on the card, the admin's per-kind defaults
(/kip), and the Daftar Informasi Publik (/dip, PerKI 1/2021)."""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import date, datetime, time

from telegram import Bot, InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from domain.kinds import Kind
from domain.kip import GROUNDS, ExemptionError, KipClass, clean_reason, parse_exempt_period
from domain.workflow import WorkflowError
from handlers import drafting as drafting_handlers
from handlers.common import Buttons, answer, answer_in_place, button, keyboard, on, pressed, reply, rows_of
from handlers.context import Terbit, TerbitContext
from handlers.ops import Op
from handlers.render import esc, fmt, local_time
from handlers.review_cards import card_class_row, review_rows, with_desk
from reports import Period, PeriodError, parse_period
from reports.dip import render_dip
from services.errors import ServiceError
from services.writing import drafting, kip
from texts.id import kip as K

log = logging.getLogger(__name__)

_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def class_options(current: KipClass, data_for: Callable[[KipClass], str]) -> Buttons:
    """The four classes as buttons, two a row, the current one ticked, the excepted one marked ⛔."""
    def label(c: KipClass) -> str:
        if c is current:
            return K.OPTION_CURRENT.format(label=c.label)
        return (K.OPTION if c.publishable else K.OPTION_EXCEPTED).format(label=c.label)

    classes = list(KipClass)
    return [[(label(c), data_for(c)) for c in classes[i:i + 2]] for i in range(0, len(classes), 2)]


async def show_options(update: Update, options: Buttons) -> None:
    """Open a class button in place: its row becomes the four classes, the message's other buttons stay."""
    q = update.callback_query
    markup = getattr(q.message, "reply_markup", None) if q.message is not None else None
    rows = rows_of(markup)  # a web_app button (the desk's, the preview's) stays one
    at = next((i for i, row in enumerate(rows) if any(data == q.data for _, data in row)), None)
    if at is None:  # the message changed meanwhile: nothing to open
        await answer(update)
        return
    await answer(update, K.CHOOSE_CLASS)
    try:
        await q.edit_message_reply_markup(keyboard([*rows[:at], *options, *rows[at + 1:]]))
    except BadRequest as exc:  # decided or deleted meanwhile
        log.info("class options not shown: %s", exc.message)


#: A button that opens into the four classes, and the op each class is then pressed as (the same
#: arguments, plus the class): the preview's, a card's, a kind's default in /kip.
CHOICES = {Op.KIP_CLASS_MENU: Op.KIP_CLASS, Op.KIP_CARD_MENU: Op.KIP_CARD, Op.KIP_DEFAULT_MENU: Op.KIP_DEFAULT}


async def on_class_menu(update: Update, context: TerbitContext) -> None:
    """A "🏷 Kelas: … ▾" (or /kip's kind) button: the four classes to choose from; nothing is set yet."""
    cb = await pressed(update, context, *CHOICES)
    if cb is None:
        return
    t = context.terbit
    try:
        if cb.op is Op.KIP_DEFAULT_MENU:
            current = dict(await t.run(kip.defaults, telegram_id=update.effective_user.id))[Kind(cb.args[0])]
        else:
            current = await t.run(kip.class_of, cb.int(0))
    except (ServiceError, ValueError):
        await answer(update, K.ADMIN_ONLY if cb.op is Op.KIP_DEFAULT_MENU else K.FORBIDDEN, alert=True)
        return
    choice = CHOICES[cb.op]
    await show_options(update, class_options(current, lambda c: t.codec.encode(choice, *cb.args, c.value)))


async def on_preview_class(update: Update, context: TerbitContext) -> None:
    """The writer chooses a class: it is set, the preview is drawn again."""
    cb = await pressed(update, context, Op.KIP_CLASS)
    if cb is None:
        return
    t = context.terbit
    me, sid = update.effective_user.id, cb.int(0)
    try:
        chosen = await t.run(kip.set_class, telegram_id=me, submission_id=sid,
                                     kip_class=KipClass(cb.args[1]), now=t.now())
        out = await t.run(drafting.open_draft, telegram_id=me, submission_id=sid, policy=t.checks, now=t.now())
    except (ServiceError, WorkflowError, ValueError):
        await answer(update, K.FORBIDDEN, alert=True)
        return
    await answer(update)
    await answer_in_place(update)
    lead = fmt(K.CLASS_SET, label=chosen.kip_class.label)
    if not chosen.kip_class.publishable:
        lead += "\n\n" + K.EXCEPTED_REASON
    await drafting_handlers.send_preview(update, context, out.draft, lead)
    if not chosen.kip_class.publishable:
        await ask_ground(update, context, sid)


async def on_card_class(update: Update, context: TerbitContext) -> None:
    """A reviewer chooses a class on a card: the class changes, the card's buttons are redrawn."""
    cb = await pressed(update, context, Op.KIP_CARD)
    if cb is None:
        return
    t = context.terbit
    sid, rid = cb.int(0), cb.int(1)
    try:
        chosen = await t.run(kip.set_class, telegram_id=update.effective_user.id, submission_id=sid,
                                     kip_class=KipClass(cb.args[2]), now=t.now())
    except (ServiceError, ValueError):
        await answer(update, K.FORBIDDEN, alert=True)
        return
    popup = K.CARD_EXCEPTED if not chosen.kip_class.publishable else K.CLASS_SET.format(label=chosen.kip_class.label)
    await answer(update, popup, alert=not chosen.kip_class.publishable)
    rows: Buttons = [*review_rows(t, chosen.state, sid, rid), card_class_row(t, sid, rid, chosen.kip_class)]
    rows = with_desk(t, update.effective_chat.id if update.effective_chat else 0, rows, sid, rid)
    try:
        await update.callback_query.edit_message_reply_markup(keyboard(rows))
    except BadRequest as exc:  # the card was decided or deleted meanwhile
        log.info("class row not redrawn: %s", exc.message)
    if not chosen.kip_class.publishable:
        await ask_ground(update, context, sid)


# --- the exemption's record (PerKI 1/2017): ground, reason, period, asked right after "Dikecualikan" ---

REASON, PERIOD = "kip_reason", "kip_period"
END = ConversationHandler.END
#: user_data: the record being answered (kept in the persisted user_data across restarts).
EXEMPTION = "kip_exemption"


async def ask_ground(update: Update, context: TerbitContext, sid: int) -> None:
    """1/3: the Pasal 17 letters as buttons."""
    rows = [[button(context, K.BTN_GROUND.format(letter=g, words=K.GROUNDS[g]), Op.KIP_GROUND, sid, g)]
            for g in GROUNDS]
    await reply(update, fmt(K.ASK_GROUND, id=sid), rows)


async def on_ground(update: Update, context: TerbitContext) -> str | None:
    """A ground chosen: 2/3, the consequence test's reason, typed."""
    cb = await pressed(update, context, Op.KIP_GROUND)
    if cb is None or cb.args[1] not in GROUNDS:
        if cb is not None:
            await answer(update, K.FORBIDDEN, alert=True)
        return None
    if context.user_data is not None:
        context.user_data[EXEMPTION] = {"sid": cb.int(0), "ground": cb.args[1]}
    await answer(update)
    await answer_in_place(update)
    await reply(update, fmt(K.ASK_REASON, ground=K.ground_label(cb.args[1])))
    return REASON


async def on_reason(update: Update, context: TerbitContext) -> str | int:
    """The reason (required): 3/3, how long."""
    data = context.user_data
    pending = data.get(EXEMPTION) if data is not None else None
    if data is None or not pending:
        return END
    try:
        pending["reason"] = clean_reason(update.effective_message.text or "")
    except ExemptionError:
        await reply(update, K.REASON_EMPTY)
        return REASON
    data[EXEMPTION] = pending  # stored again: the persisted user_data sees the change
    await reply(update, K.ASK_PERIOD)
    return PERIOD


async def on_period(update: Update, context: TerbitContext) -> str | int:
    """The period (years, or until a date): the record is stored, and said back."""
    t = context.terbit
    pending = context.user_data.get(EXEMPTION) if context.user_data is not None else None
    if not pending:
        return END
    now = t.now()
    try:
        period = parse_exempt_period(update.effective_message.text or "", now.astimezone(t.calendar.tz).date())
    except ExemptionError as exc:
        await reply(update, {"past": K.PERIOD_PAST, "years": K.PERIOD_YEARS}.get(exc.code, K.PERIOD_UNREADABLE))
        return PERIOD
    context.user_data.pop(EXEMPTION, None)
    sid = pending["sid"]
    try:
        x = await t.run(kip.record_exemption, telegram_id=update.effective_user.id, submission_id=sid,
                                       ground=pending["ground"], reason=pending.get("reason", ""), period=period,
                                       now=now)
    except ServiceError:
        await reply(update, fmt(K.EXEMPTION_NOT_SAVED, id=sid))
        return END
    await reply(update, fmt(K.EXEMPTION_SAVED, id=sid, ground=K.ground_label(x.ground), reason=x.reason,
                            period=K.period_label(x.years, x.until), name=x.decided_by))
    return END


async def on_exemption_cancel(update: Update, context: TerbitContext) -> int:
    """/batal while answering: nothing recorded (the class stays)."""
    if context.user_data is not None:
        context.user_data.pop(EXEMPTION, None)
    await reply(update, K.EXEMPTION_CANCELLED)
    return END


def exemption_history(t: Terbit, records: list[kip.Exemption]) -> list[tuple[datetime, list[str]]]:
    """/riwayat's lines of the exemption records (PerKI 1/2017), each at its moment; a later class lifts one."""
    out: list[tuple[datetime, list[str]]] = []
    for x in records:
        out.append((x.decided_at, [fmt(K.HISTORY_EXEMPTION, time=local_time(x.decided_at, t.settings.timezone),
                                       name=x.decided_by, ground=K.ground_label(x.ground), reason=x.reason,
                                       period=K.period_label(x.years, x.until))]))
        if x.lifted_at is not None:
            out.append((x.lifted_at, [fmt(K.HISTORY_EXEMPTION_LIFTED, name=x.lifted_by or "",
                                          time=local_time(x.lifted_at, t.settings.timezone))]))
    return out


def exemption_conversation() -> ConversationHandler:
    """Registered before the drafting conversation: the writer's typed reason is not taken as a draft's text."""
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        name="kip_exemption",
        persistent=True,
        allow_reentry=True,
        entry_points=[on(on_ground, Op.KIP_GROUND)],
        states={REASON: [MessageHandler(text, on_reason)], PERIOD: [MessageHandler(text, on_period)]},
        fallbacks=[CommandHandler("batal", on_exemption_cancel)],
    )


def _default_rows(context: TerbitContext, defaults: tuple[tuple[Kind, KipClass], ...]) -> Buttons:
    return [[button(context, K.BTN_DEFAULT.format(kind=k.label, label=c.label), Op.KIP_DEFAULT_MENU, k.value)]
            for k, c in defaults]


def _defaults_text(defaults: tuple[tuple[Kind, KipClass], ...]) -> str:
    lines = [fmt(K.DEFAULT_LINE, kind=k.label, label=c.label) for k, c in defaults]
    return K.DEFAULTS_HEADER + "\n\n" + "\n".join(lines)


async def cmd_kip(update: Update, context: TerbitContext) -> None:
    """/kip (admin): each kind's default class, with a button to change it."""
    t = context.terbit
    try:
        defaults = await t.run(kip.defaults, telegram_id=update.effective_user.id)
    except ServiceError:
        await reply(update, K.ADMIN_ONLY)
        return
    await reply(update, _defaults_text(defaults), _default_rows(context, defaults))


async def on_default(update: Update, context: TerbitContext) -> None:
    """The admin chooses a kind's default class; the list is drawn again."""
    cb = await pressed(update, context, Op.KIP_DEFAULT)
    if cb is None:
        return
    t = context.terbit
    try:
        kind, cls = Kind(cb.args[0]), KipClass(cb.args[1])
        defaults = await t.run(kip.set_default, telegram_id=update.effective_user.id, kind=kind,
                                         kip_class=cls, now=t.now())
    except (ServiceError, ValueError):
        await answer(update, K.ADMIN_ONLY, alert=True)
        return
    await answer(update, K.DEFAULT_SET.format(kind=kind.label, label=cls.label))
    await answer_in_place(update)
    await reply(update, _defaults_text(defaults), _default_rows(context, defaults))


def year_period(year: int, t: Terbit) -> Period:
    tz = t.calendar.tz
    return Period(datetime.combine(date(year, 1, 1), time(0), tzinfo=tz),
                  datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz))


def parse_dip_period(text: str, t: Terbit, now: datetime) -> tuple[Period, str, str]:
    """(period, label, file slug) of what follows /dip: a year, anything /laporan takes, or this year."""
    local = now.astimezone(t.calendar.tz)
    m = _YEAR.match(text or str(local.year))
    if m:
        year = int(m[1])
        if not 2000 <= year <= local.year:
            raise PeriodError("unknown", text=text)
        return year_period(year, t), K.YEAR_LABEL.format(year=year), str(year)
    period = parse_period(text, local, t.calendar.tz)
    return period, period.label, period.slug


async def dip_file(t: Terbit, dip: kip.Dip, label: str) -> bytes:
    """The workbook, the excepted items on a second sheet (built off the event loop)."""
    return await asyncio.to_thread(render_dip, dip.published, period_label=label, tz=t.calendar.tz,
                                   place=t.settings.office_name, retention=t.settings.dip_retention,
                                   excepted=dip.excepted)


async def send_dip(bot: Bot, chat_id: int, xlsx: bytes, slug: str, caption: str) -> int:
    """The workbook as a document; the id of its message."""
    msg = await bot.send_document(chat_id, InputFile(xlsx, filename=K.DIP_FILENAME.format(slug=slug)),
                                  caption=caption)
    return msg.message_id


async def cmd_dip(update: Update, context: TerbitContext) -> None:
    """/dip [tahun|bulan] (admin, Kasubbag, Kepala): the Daftar Informasi Publik as an XLSX."""
    t = context.terbit
    now = t.now()
    text = " ".join(context.args or [])
    try:
        period, label, slug = parse_dip_period(text, t, now)
    except PeriodError as exc:
        await reply(update, esc(str(exc)) + "\n\n" + K.DIP_USAGE)
        return
    try:
        dip = await t.run(kip.dip_entries, telegram_id=update.effective_user.id, start=period.start,
                                    end=period.end, now=now)
    except ServiceError:
        await reply(update, K.DIP_FORBIDDEN)
        return
    if not dip.published:
        await reply(update, fmt(K.DIP_EMPTY, period=label))
    xlsx = await dip_file(t, dip, label)
    try:
        await send_dip(context.bot, update.effective_chat.id, xlsx, slug,
                       K.DIP_CAPTION.format(period=label, n=len(dip.published)))
    except Forbidden as exc:  # the person blocked the bot meanwhile
        log.warning("cannot send the DIP to %s: %s", update.effective_chat.id, exc.message)


async def monthly_dip(t: Terbit, period: Period) -> tuple[bytes, str]:
    """The month's DIP for the monthly report: the workbook and its caption."""
    dip = await t.run(kip.dip_between, period.start, period.end)
    return await dip_file(t, dip, period.label), K.DIP_CAPTION.format(period=period.label, n=len(dip.published))


def build() -> list[BaseHandler]:
    return [CommandHandler("kip", cmd_kip), CommandHandler("dip", cmd_dip),
            on(on_preview_class, Op.KIP_CLASS), on(on_card_class, Op.KIP_CARD), on(on_default, Op.KIP_DEFAULT),
            on(on_class_menu, *CHOICES)]

