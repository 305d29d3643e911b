"""Which drawer draws each owed message: one table, every Notice in it (a test says so).

The postman hands each owed message to :func:`deliver`; nothing registers itself by being
imported.
"""
from __future__ import annotations

from telegram import Bot

from config.offices import FIRST_OFFICE
from domain.messaging import Notice
from handlers import (
    clock_notices,
    comment_notices,
    decision_notices,
    drafting,
    publishing,
    reports,
    review_cards,
    uploads,
)
from handlers.context import Terbit
from handlers.notices import OFFICE_LINE, Drawer, draw_text
from handlers.offices import office_line
from services.delivery.postbox import Parcel

DRAWERS: dict[Notice, Drawer] = {
    Notice.TEXT: draw_text,
    Notice.REVIEW_CARD: review_cards.draw_card,
    Notice.REVIEW_REMINDER: review_cards.draw_reminder,
    Notice.CARD_CLAIM: review_cards.draw_card_claim,
    Notice.CARD_OUTCOME: decision_notices.draw_card_outcome,
    Notice.DECISION: decision_notices.draw_decision,
    Notice.NO_REVIEWER: decision_notices.draw_no_reviewer,
    Notice.WITHDRAW_REQUEST: decision_notices.draw_withdraw_request,
    Notice.PUBLISHED: publishing.draw_published,
    Notice.WITHDRAWN: publishing.draw_withdrawn,
    Notice.PUBLISH_FAILED: publishing.draw_failed,
    Notice.PUBLISH_OUTAGE: publishing.draw_outage,
    Notice.PUBLISH_DELAYED: publishing.draw_delayed,
    Notice.PUBLISH_RECOVERED: publishing.draw_recovered,
    Notice.UNDELIVERED: publishing.draw_undelivered,
    Notice.ALBUM_ACK: uploads.draw_album_ack,
    Notice.BODY_PARTS: drafting.draw_body_parts,
    Notice.ESCALATION: clock_notices.draw_escalation,
    Notice.DRAFT_REMINDER: clock_notices.draw_draft_reminder,
    Notice.MONTHLY_REPORT: reports.draw_monthly_report,
    Notice.COMMENT: comment_notices.draw_comment,
}


async def deliver(t: Terbit, bot: Bot, parcel: Parcel) -> int | None:
    """Draw and send one owed message (the postman's ``deliver``)."""
    draw = DRAWERS.get(parcel.notice)
    if draw is None:
        raise LookupError(f"no drawer for {parcel.notice}")
    # Drawn in the office that owed it: its rows, its buttons (a message owed before offices, or by
    # the deployment itself, is office no. 1's).
    office = parcel.office_id or FIRST_OFFICE
    if t.many_offices and office in t.deployment.offices:
        t = t.for_office(office)
    # A notice (not a reply to one's own command) names its office when there are several.
    named = office_line(t) if parcel.notice != Notice.TEXT else ""
    token = OFFICE_LINE.set(named)
    try:
        return await draw(t, bot, parcel.chat_id, parcel.params)
    finally:
        OFFICE_LINE.reset(token)
