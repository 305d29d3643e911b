"""/laporan [bulan|rentang]: the SOP report as a chart (sendPhoto), a short
summary and a workbook (sendDocument); and the monthly report the SOP clock
sends by itself on the first working day of a month."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import CommandHandler, ContextTypes

from bot.context import terbit
from bot.i18n.id import clock as T
from domain.workflow import Role
from handlers.common import reply
from handlers.render import esc, fmt
from reports import (
    Period,
    PeriodError,
    compute,
    month_period,
    parse_period,
    render_chart,
    render_summary,
    render_xlsx,
)
from services import acting, sop_records
from services.people import by_telegram_id, people_with_role, roles_of

log = logging.getLogger(__name__)

ALLOWED = {Role.KASUBBAG, Role.KEPALA, Role.ADMIN}


@dataclass(frozen=True)
class Rendered:
    period: Period
    png: bytes
    xlsx: bytes
    summary: str
    empty: bool


async def build_report(context, period: Period, *, skip_empty: bool = False) -> Rendered | None:
    t = terbit(context)
    async with t.sessions() as s:
        recs = await sop_records.records(s, period.start, period.end)
    fig = compute(recs, period, t.calendar, t.standards)
    if skip_empty and fig.empty:
        return None
    # Rendering takes a moment (matplotlib); keep the bot answering meanwhile.
    png, xlsx = await asyncio.to_thread(lambda: (render_chart(fig), render_xlsx(fig)))
    return Rendered(period, png, xlsx, render_summary(fig), fig.empty)


async def deliver(context, chat_id: int, r: Rendered) -> bool:
    caption = fmt(T.REPORT_CAPTION, title=T.REPORT_TITLE, period=r.period.label)
    try:
        await context.bot.send_photo(chat_id, InputFile(r.png, filename=f"laporan-{r.period.slug}.png"),
                                     caption=caption, parse_mode=ParseMode.HTML)
        await context.bot.send_message(chat_id, esc(r.summary), parse_mode=ParseMode.HTML)
        await context.bot.send_document(chat_id, InputFile(r.xlsx, filename=T.REPORT_FILENAME.format(slug=r.period.slug)))
    except Forbidden as exc:
        log.warning("cannot send the report to %s: %s", chat_id, exc.message)
        return False
    return True


async def cmd_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = terbit(context)
    now = t.now()
    async with t.sessions() as s:
        me = await by_telegram_id(s, update.effective_user.id)
        roles = roles_of(me) | frozenset(await acting.acting_roles(s, me, now))
    if not roles & ALLOWED:
        await reply(update, T.REPORT_FORBIDDEN)
        return
    text = " ".join(context.args or []) or "bulan ini"
    try:
        period = parse_period(text, now.astimezone(t.calendar.tz), t.calendar.tz)
    except PeriodError as exc:
        await reply(update, esc(str(exc)) + "\n\n" + fmt(T.REPORT_USAGE, examples=T.PERIOD_EXAMPLES))
        return
    await reply(update, fmt(T.REPORT_WORKING, period=period.label))
    rendered = await build_report(context, period)
    await deliver(context, update.effective_chat.id, rendered)


async def send_monthly(context, year: int, month: int) -> int:
    """The report of ``year-month`` to the Kasubbag(s) and admins; skipped when that month had nothing."""
    t = terbit(context)
    period = month_period(year, month, t.calendar.tz)
    rendered = await build_report(context, period, skip_empty=True)
    if rendered is None:  # nothing happened that month (or the bot is new): no report
        return 0
    async with t.sessions() as s:
        holders = await people_with_role(s, Role.KASUBBAG)
        audience = await acting.route(s, Role.KASUBBAG, holders, t.now())
        audience += await people_with_role(s, Role.ADMIN)
    chats = list(dict.fromkeys(p.telegram_id for p in audience))
    n = 0
    for chat in chats:
        try:
            await context.bot.send_message(chat, fmt(T.REPORT_MONTHLY_INTRO, period=period.label),
                                           parse_mode=ParseMode.HTML)
        except Forbidden:
            continue
        n += await deliver(context, chat, rendered)
    return n


def build() -> list:
    return [CommandHandler("laporan", cmd_report)]
