"""What the bot owes people, as recorded facts (delivered by the postman).

A :class:`Notice` names *what* a person must be told; the words and buttons
are drawn by the bot layer when it is delivered, so the record stays small
and the texts stay in one place per language.
"""
from __future__ import annotations

from enum import StrEnum


class Notice(StrEnum):
    #: A ready message (text + buttons): a reply in a conversation.
    TEXT = "text"
    #: The review card (media, content, checklist, buttons) for one reviewer.
    REVIEW_CARD = "review_card"
    #: A short reminder with the review buttons again.
    REVIEW_REMINDER = "review_reminder"
    #: A decided review card: its buttons replaced by the outcome.
    CARD_OUTCOME = "card_outcome"
    #: A decision told to the writer (or, for a withdrawal, to writer and admins).
    DECISION = "decision"
    #: Nobody holds (or can be reached in) the role an item waits for.
    NO_REVIEWER = "no_reviewer"
    #: The admin asks the Kepala to confirm a withdrawal (with buttons).
    WITHDRAW_REQUEST = "withdraw_request"
    #: Every target has the article (or took it down): the audience hears it once.
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    #: A target failed for good: the admins, with a retry button.
    PUBLISH_FAILED = "publish_failed"
    #: A target has kept failing for OUTBOX_OUTAGE_MINUTES: the admins, with a retry button.
    PUBLISH_OUTAGE = "publish_outage"
    #: ... and the writer hears once that publication is delayed, and why.
    PUBLISH_DELAYED = "publish_delayed"
    #: The target of a reported outage works again: the admins hear it.
    PUBLISH_RECOVERED = "publish_recovered"
    #: A message could not be delivered for the whole window: the admins hear it.
    UNDELIVERED = "undelivered"
    #: One acknowledgement per album, once none of its items is still being received.
    ALBUM_ACK = "album_ack"
    #: The running acknowledgement of a long body that arrived in several parts.
    BODY_PARTS = "body_parts"
    #: The SOP clock: past twice the standard (admins, the Kepala).
    ESCALATION = "escalation"
    #: The SOP clock: a returned draft waits, a draft is about to be / was archived.
    DRAFT_REMINDER = "draft_reminder"
    #: The SOP clock: last month's report (chart, summary, workbooks) to the Kasubbag and the admins.
    MONTHLY_REPORT = "monthly_report"
    #: A comment on a draft, to the people concerned (services/reviewing/comments.py).
    COMMENT = "comment"
    #: A copy of a review card redrawn as a claim stands: "sedang diperiksa oleh X", or its buttons back.
    CARD_CLAIM = "card_claim"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    #: Telegram refuses: the person never opened the bot, or blocked it (403).
    UNREACHABLE = "unreachable"
    #: Retried for the whole delivery window without success; the admins were told.
    FAILED = "failed"
    #: No longer true when its turn came (a card for an item decided meanwhile).
    OBSOLETE = "obsolete"


#: Notices that change a message already sent (a decided card's outcome): they
#: keep no order with the chat's new messages, so they never wait behind them.
IN_PLACE = frozenset({Notice.CARD_OUTCOME})

SETTLED = frozenset({DeliveryState.SENT, DeliveryState.UNREACHABLE, DeliveryState.FAILED, DeliveryState.OBSOLETE})
