"""/laporan [bulan|rentang]: the SOP report as a chart (sendPhoto), a short
summary and a workbook (sendDocument); and the monthly report the SOP clock
sends by itself on the first working day of a month."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from handlers import kip as kip_cmds
from handlers.common import reply
from handlers.context import Terbit, terbit
from handlers.render import esc, fmt
from reports import (
    Period,
    PeriodError,
    SubmissionRecord,
    compute,
    month_period,
    parse_period,
    render_chart,
    render_summary,
    render_xlsx,
)
from reports import texts as report_texts
from services import sop_records
from services.errors import ServiceError
from texts.id import clock as T

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    period: Period
    png: bytes
    xlsx: bytes
    summary: str
    empty: bool


async def render_report(t: Terbit, period: Period, recs: Sequence[SubmissionRecord], *,
                        skip_empty: bool = False) -> Rendered | None:
    """Figures, chart and workbook of the period; None for an empty period when ``skip_empty``."""
    fig = compute(list(recs), period, t.calendar, t.standards)
    if skip_empty and fig.empty:
        return None
    # Rendering takes a moment (matplotlib); keep the bot answering meanwhile.
    png, xlsx = await asyncio.to_thread(lambda: (render_chart(fig), render_xlsx(fig)))
    return Rendered(period, png, xlsx, render_summary(fig), fig.empty)


async def deliver(context: ContextTypes.DEFAULT_TYPE, chat_id: int, r: Rendered) -> bool:
    caption = fmt(T.REPORT_CAPTION, title=T.REPORT_TITLE, period=r.period.label)
    try:
        await context.bot.send_photo(chat_id, InputFile(r.png, filename=f"laporan-{r.period.slug}.png"),
                                     caption=caption, parse_mode=ParseMode.HTML)
        await context.bot.send_message(chat_id, esc(r.summary), parse_mode=ParseMode.HTML)
        # Telegram recompresses a photo: the chart also goes as a file, sharp for printing.
        chart = InputFile(r.png, filename=report_texts.CHART_FILENAME.format(slug=r.period.slug))
        await context.bot.send_document(chat_id, chart, disable_content_type_detection=True)
        workbook = InputFile(r.xlsx, filename=T.REPORT_FILENAME.format(slug=r.period.slug))
        await context.bot.send_document(chat_id, workbook)
    except Forbidden as exc:
        log.warning("cannot send the report to %s: %s", chat_id, exc.message)
        return False
    return True


async def cmd_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/laporan [periode]: the report of a month or a range (this month without one)."""
    t = terbit(context)
    now = t.now()
    me = update.effective_user.id
    text = " ".join(context.args or []) or "bulan ini"
    try:
        period = parse_period(text, now.astimezone(t.calendar.tz), t.calendar.tz)
    except PeriodError as exc:
        if not await sop_records.may_report(t.sessions, telegram_id=me, now=now):
            await reply(update, T.REPORT_FORBIDDEN)
            return
        await reply(update, esc(str(exc)) + "\n\n" + fmt(T.REPORT_USAGE, examples=T.PERIOD_EXAMPLES))
        return
    try:
        recs = await sop_records.report_records(t.sessions, telegram_id=me, start=period.start, end=period.end,
                                                now=now)
    except ServiceError:
        await reply(update, T.REPORT_FORBIDDEN)
        return
    await reply(update, fmt(T.REPORT_WORKING, period=period.label))
    rendered = await render_report(t, period, recs)
    if rendered is not None:
        await deliver(context, update.effective_chat.id, rendered)


async def send_monthly(context: ContextTypes.DEFAULT_TYPE, year: int, month: int) -> int:
    """The report of ``year-month`` to the Kasubbag(s) and admins; skipped when that month had nothing."""
    t = terbit(context)
    period = month_period(year, month, t.calendar.tz)
    recs = await sop_records.records_between(t.sessions, period.start, period.end)
    rendered = await render_report(t, period, recs, skip_empty=True)
    if rendered is None:  # nothing happened that month (or the bot is new): no report
        return 0
    # The month's Daftar Informasi Publik (PerKI 1/2021) goes with it.
    dip, dip_caption = await kip_cmds.monthly_dip(t, period)
    n = 0
    for chat in await sop_records.monthly_audience(t.sessions, t.now()):
        try:
            await context.bot.send_message(chat, fmt(T.REPORT_MONTHLY_INTRO, period=period.label),
                                           parse_mode=ParseMode.HTML)
        except Forbidden:
            continue
        sent = await deliver(context, chat, rendered)
        if sent:
            await kip_cmds.send_dip(context, chat, dip, period.slug, dip_caption)
        n += sent
    return n


def build() -> list[BaseHandler]:
    return [CommandHandler("laporan", cmd_report)]
