"""/laporan [bulan|rentang]: the SOP report as a chart (sendPhoto), a short
summary and a workbook (sendDocument); and the monthly report the SOP clock
sends by itself on the first working day of a month."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CommandHandler

from config.offices import FIRST_OFFICE
from handlers import kip as kip_cmds
from handlers.common import reply
from handlers.context import Terbit, TerbitContext
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
from reports.pemda import OfficeLine, pemda_figures, render_pemda_chart, render_pemda_summary, render_pemda_xlsx
from services.delivery.postbox import Obsolete
from services.errors import ServiceError
from services.sop_clock import sop_records
from services.writing import kip
from texts.id import clock as T

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    period: Period
    png: bytes
    xlsx: bytes
    summary: str
    empty: bool
    #: The report's title: with several offices, it names the office.
    title: str = T.REPORT_TITLE


async def render_report(t: Terbit, period: Period, recs: Sequence[SubmissionRecord], *,
                        skip_empty: bool = False) -> Rendered | None:
    """Figures, chart and workbook of the period; None for an empty period when ``skip_empty``."""
    fig = compute(list(recs), period, t.calendar, t.standards)
    if skip_empty and fig.empty:
        return None
    # Rendering takes a moment (matplotlib); keep the bot answering meanwhile.
    png, xlsx = await asyncio.to_thread(lambda: (render_chart(fig), render_xlsx(fig)))
    title = f"{T.REPORT_TITLE} — {t.office.name}" if t.many_offices and t.office is not None else T.REPORT_TITLE
    return Rendered(period, png, xlsx, render_summary(fig), fig.empty, title)


async def deliver(bot: Bot, chat_id: int, r: Rendered) -> int:
    """The chart (as a photo, and as a file sharp for printing), the summary and the workbook;
    the id of the first message."""
    caption = fmt(T.REPORT_CAPTION, title=r.title, period=r.period.label)
    first = await bot.send_photo(chat_id, InputFile(r.png, filename=f"laporan-{r.period.slug}.png"),
                                 caption=caption, parse_mode=ParseMode.HTML)
    await bot.send_message(chat_id, esc(r.summary), parse_mode=ParseMode.HTML)
    # Telegram recompresses a photo: the chart also goes as a file, sharp for printing.
    chart = InputFile(r.png, filename=report_texts.CHART_FILENAME.format(slug=r.period.slug))
    await bot.send_document(chat_id, chart, disable_content_type_detection=True)
    workbook = InputFile(r.xlsx, filename=T.REPORT_FILENAME.format(slug=r.period.slug))
    await bot.send_document(chat_id, workbook)
    return first.message_id


async def cmd_report(update: Update, context: TerbitContext) -> None:
    """/laporan [periode]: the report of a month or a range (this month without one);
    /laporan pemda [periode]: every office side by side (the deployment's admins)."""
    t = context.terbit
    now = t.now()
    me = update.effective_user.id
    args = list(context.args or [])
    if args and args[0].lower() == "pemda":
        await _pemda(update, context, " ".join(args[1:]) or "bulan ini")
        return
    text = " ".join(args) or "bulan ini"
    try:
        period = parse_period(text, now.astimezone(t.calendar.tz), t.calendar.tz)
    except PeriodError as exc:
        if not await t.run(sop_records.may_report, telegram_id=me, now=now):
            await reply(update, T.REPORT_FORBIDDEN)
            return
        await reply(update, esc(str(exc)) + "\n\n" + fmt(T.REPORT_USAGE, examples=T.PERIOD_EXAMPLES))
        return
    try:
        recs = await t.run(sop_records.report_records, telegram_id=me, start=period.start, end=period.end,
                                                now=now)
    except ServiceError:
        await reply(update, T.REPORT_FORBIDDEN)
        return
    await reply(update, fmt(T.REPORT_WORKING, period=period.label))
    rendered = await render_report(t, period, recs)
    if rendered is not None:
        try:
            await deliver(context.bot, update.effective_chat.id, rendered)
        except Forbidden as exc:  # the person blocked the bot meanwhile
            log.warning("cannot send the report to %s: %s", update.effective_chat.id, exc.message)


@dataclass(frozen=True)
class Monthly:
    """A month's report as every recipient gets it: rendered once, sent to each."""

    office: int | None
    year: int
    month: int
    rendered: Rendered | None
    dip: bytes
    dip_caption: str


#: The last month rendered (one slot: the recipients of one month share it; it never grows).
_last_monthly: list[Monthly] = []


async def _monthly(t: Terbit, year: int, month: int) -> Monthly:
    office = t.office.id if t.office is not None else None
    for m in _last_monthly:
        if (m.office, m.year, m.month) == (office, year, month):  # each office its own report
            return m
    period = month_period(year, month, t.calendar.tz)
    recs = await t.run(sop_records.records_between, period.start, period.end)
    rendered = await render_report(t, period, recs, skip_empty=True)
    # The month's Daftar Informasi Publik (PerKI 1/2021) goes with it.
    dip, dip_caption = await kip_cmds.monthly_dip(t, period) if rendered is not None else (b"", "")
    _last_monthly[:] = [Monthly(office, year, month, rendered, dip, dip_caption)]
    return _last_monthly[0]


async def draw_monthly_report(t: Terbit, bot: Bot, chat_id: int, params: dict[str, Any]) -> int | None:
    """The monthly report (owed by the SOP clock on the first working day of a month): an
    introduction, the report and the month's DIP; nothing for a month in which nothing happened."""
    if t.many_offices and chat_id in t.settings.admin_ids and t.office is not None and t.office.id == FIRST_OFFICE:
        # A deployment admin reads the month of every office as one roll-up, owed with office no. 1's
        # report (the other offices' go to their own admins: people.office_admins).
        period = month_period(int(params["year"]), int(params["month"]), t.deployment.calendar.tz)
        return await send_pemda(bot, chat_id, t.deployment, period)
    m = await _monthly(t, int(params["year"]), int(params["month"]))
    if m.rendered is None:  # nothing happened that month (or the bot is new): no report
        raise Obsolete(f"nothing to report for {m.year}-{m.month:02d}")
    first = await bot.send_message(chat_id, fmt(T.REPORT_MONTHLY_INTRO, period=m.rendered.period.label),
                                   parse_mode=ParseMode.HTML)
    await deliver(bot, chat_id, m.rendered)
    await kip_cmds.send_dip(bot, chat_id, m.dip, m.rendered.period.slug, m.dip_caption)
    return first.message_id


async def office_line(house: Terbit, office_id: int, period: Period) -> OfficeLine:
    """One office's row of the roll-up: its month against its own standard times and calendar."""
    ot = house.for_office(office_id)
    recs = await ot.run(sop_records.records_between, period.start, period.end)
    dip = await ot.run(kip.dip_between, period.start, period.end)
    last = await ot.run(sop_records.last_publication)
    name = ot.office.name if ot.office is not None else ot.settings.office_name
    return OfficeLine(office_id, name, compute(list(recs), period, ot.calendar, ot.standards),
                      len(dip.published), last)


async def render_pemda(house: Terbit, period: Period) -> tuple[bytes, bytes, str]:
    """The roll-up's chart (PNG), workbook (XLSX) and summary (HTML) of every office."""
    lines = [await office_line(house, office_id, period) for office_id in sorted(house.offices)]
    pf = pemda_figures(lines, period=period, now=house.now(), tz=house.calendar.tz)
    png, xlsx = await asyncio.to_thread(lambda: (render_pemda_chart(pf), render_pemda_xlsx(pf)))
    return png, xlsx, render_pemda_summary(pf)


async def _pemda(update: Update, context: TerbitContext, text: str) -> None:
    """/laporan pemda [periode]: one row per office, for the deployment's admins (ADMIN_IDS)."""
    house = context.terbit.deployment
    if update.effective_user.id not in house.settings.admin_ids:
        await reply(update, T.PEMDA_FORBIDDEN)
        return
    try:
        period = parse_period(text, house.now().astimezone(house.calendar.tz), house.calendar.tz)
    except PeriodError as exc:
        await reply(update, esc(str(exc)) + "\n\n" + fmt(T.REPORT_USAGE, examples=T.PERIOD_EXAMPLES))
        return
    await reply(update, fmt(T.REPORT_WORKING, period=period.label))
    chat = update.effective_chat.id
    try:
        await send_pemda(context.bot, chat, house, period)
    except Forbidden as exc:  # the person blocked the bot meanwhile
        log.warning("cannot send the pemda roll-up to %s: %s", chat, exc.message)


async def send_pemda(bot: Bot, chat_id: int, house: Terbit, period: Period) -> int:
    """The roll-up's chart, summary and workbook; the id of the first message."""
    png, xlsx, summary = await render_pemda(house, period)
    first = await bot.send_photo(chat_id, InputFile(png, filename=report_texts.PEMDA_CHART_FILENAME.format(
        slug=period.slug)), caption=fmt(T.REPORT_CAPTION, title=report_texts.PEMDA_TITLE, period=period.label),
        parse_mode=ParseMode.HTML)
    await bot.send_message(chat_id, summary, parse_mode=ParseMode.HTML)
    await bot.send_document(chat_id, InputFile(xlsx, filename=report_texts.PEMDA_FILENAME.format(slug=period.slug)))
    return first.message_id


def build() -> list[BaseHandler]:
    return [CommandHandler("laporan", cmd_report)]
