"""The review desk's HTTP routes (issue 22), served on the webhook's own listener (bot/web.py).

Every route answers with :func:`handlers.desk.page.response_headers`.  The routes call use cases
through the item's office's services (``Terbit.for_office``), exactly as the card's buttons do
(handlers/review.py), and wake the same workers afterwards, so the chat card is redrawn as if the
button had been pressed.

What the desk decides: Teruskan, Setujui (asked again over open comments, as the chat asks),
Setujui & jadwalkan (a moment in office time), Kembalikan with a note, and the Kepala's Koreksi
of the title or the whole body (``review.correct_as``: a new revision, and a new card).

The writer's preview opens the same desk read-only (``drafting.own_preview`` says whether the item is
theirs to see: its writer, while it is theirs to edit, at its current revision): the page with no
decision form, and every decision posted with that session refused.
"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import mimetypes
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import tornado.web
from telegram.ext import Application

from domain.workflow import EDITABLE, WAITING_FOR, WorkflowError
from handlers.claims import claim_error
from handlers.context import KEY, Terbit
from handlers.desk import page
from handlers.desk.initdata import MAX_LENGTH, InitDataRefused, WebAppUser, validate
from handlers.desk.page import DeskAction, desk_actions
from handlers.desk.sessions import DeskSession, DeskSessions, SessionRefused, Visit
from handlers.review import refusal_for
from handlers.review_cards import STEP, clock_line
from publishers.base import Article, Asset
from publishers.render import PLAYABLE_KINDS
from publishers.static_site import StaticSitePublisher
from services.errors import ServiceError
from services.reviewing import cards, comments, review
from services.reviewing.cards import CardView
from services.reviewing.review import Field
from services.staff import offices
from services.writing import drafting
from services.writing.drafting import DraftView
from texts.id import clock as T
from texts.id import comments as M
from texts.id import common as C
from texts.id import desk as K
from texts.id import review as R

log = logging.getLogger(__name__)

#: What the desk decides: every decision of the card (handlers/review.py, schedule.py, correction.py).
OFFERED = tuple(DeskAction)
#: What the page says when it is done, as the card's popups say it.
DONE = {DeskAction.TERUSKAN: R.POPUP_FORWARDED, DeskAction.SETUJUI: R.POPUP_APPROVED,
        DeskAction.JADWALKAN: R.POPUP_SCHEDULED, DeskAction.KEMBALIKAN: R.POPUP_RETURNED,
        DeskAction.KOREKSI: R.POPUP_CORRECTED}
#: The variants of a file the preview may link, by the kinds that have them.
VARIANTS = {"web", "thumb", "play", "poster", "download"}
#: A decision's JSON at most (a corrected body included).
MAX_BODY = 256 * 1024
FILE_CSP = "default-src 'none'; sandbox"


@dataclass
class Desk:
    """What the routes need: the application (its services, by office), the sessions, the settings."""

    application: Application
    sessions: DeskSessions
    bot_token: str
    init_max_age: timedelta
    enabled: bool = True
    #: (person, item) → the revision the session was opened for.
    revisions: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def house(self) -> Terbit:
        found: Terbit = self.application.bot_data[KEY]
        return found

    async def office(self, submission_id: int) -> Terbit | None:
        """The services of the office the item belongs to (None: no such item)."""
        house = self.house
        office_id = await house.across_offices(offices.office_of_submission, submission_id)
        if office_id is None:
            return None
        try:
            return house.for_office(office_id)
        except LookupError:
            return None


class DeskHandler(tornado.web.RequestHandler):
    desk: Desk
    csp = FILE_CSP

    def initialize(self, desk: Desk) -> None:
        self.desk = desk

    def set_default_headers(self) -> None:
        for k, v in page.response_headers(self.csp).items():
            self.set_header(k, v)

    def policy(self, csp: str) -> None:
        self.set_header("Content-Security-Policy", csp)

    def answer(self, payload: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(payload, ensure_ascii=False))

    def notice(self, text: str, status: int) -> None:
        """A friendly page for a refused visit (no script, no style from elsewhere)."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.policy("default-src 'none'; base-uri 'none'; form-action 'none'; "
                    f"frame-ancestors {page.TELEGRAM_WEB}")
        self.finish(f'<!doctype html><html lang="id"><head><meta charset="utf-8">'
                    f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                    f"<title>{html.escape(K.GATE_TITLE)}</title></head><body><main><h1>{html.escape(K.GATE_TITLE)}"
                    f"</h1><p>{html.escape(text)}</p></main></body></html>")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.notice(K.OFFLINE if status_code >= 500 else K.GATE_REFUSED, status_code)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return
        log.error("review desk: %s", value, exc_info=(typ, value, tb))

    def viewed(self, key: str) -> Visit | None:
        """The session of a view key (person, item, read-only or not); the friendly page (and None)
        when it is refused."""
        try:
            return self.desk.sessions.check_view(key)
        except SessionRefused as exc:
            self.notice(K.SESSION_REFUSED[exc.reason.value], 403)
            return None


async def own_draft(t: Terbit, user_id: int, sid: int, rid: int) -> DraftView | None:
    """The writer's own draft at this revision while it is theirs to edit (services/writing's rule)."""
    found: DraftView | None = await t.run(drafting.own_preview, telegram_id=user_id, submission_id=sid,
                                          revision_id=rid, policy=t.checks)
    return found


class Off(DeskHandler):
    """MINIAPP_ENABLED off: every desk address says so."""

    async def get(self, *_: str) -> None:
        self.notice(K.DESK_OFF, 503)

    async def post(self, *_: str) -> None:
        self.answer({"ok": False, "message": K.DESK_OFF}, 503)


class Gate(DeskHandler):
    """GET /meja/<sid>/<rid>/: the page that trades the fragment's initData for a session."""

    async def get(self, sid: str, rid: str) -> None:
        nonce = page.new_nonce()
        self.policy(page.content_security_policy(nonce))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page.render_gate(nonce=nonce, submission_id=int(sid), revision_id=int(rid)))


class Exchange(DeskHandler):
    """POST /meja/api/<sid>/<rid>/sesi: Telegram's raw initData → a session, for the reviewer of the item now;
    or, while the item is a draft (or returned) its writer may edit, a read-only session for that writer
    (the writer's preview's button, handlers/drafting.py)."""

    async def post(self, sid_: str, rid_: str) -> None:
        sid, rid, desk = int(sid_), int(rid_), self.desk
        t = await desk.office(sid)
        raw = self.request.body[:MAX_LENGTH + 1].decode("utf-8", "replace")  # longer: refused as malformed
        try:
            user = validate(raw, desk.bot_token, now=desk.house.now(), max_age=desk.init_max_age)
        except InitDataRefused as exc:
            log.info("review desk: initData refused (%s)", exc)
            self.answer({"ok": False, "message": K.INIT_REFUSED[exc.reason.value]}, 403)
            return
        state = await t.run(review.state_of, sid) if t is not None else None
        if t is not None and state in EDITABLE:
            await self.writer(t, user, sid, rid)
            return
        if t is None or state not in WAITING_FOR:
            self.answer({"ok": False, "message": K.FORBIDDEN}, 403)
            return
        refusal: str | None = K.FORBIDDEN
        for offered in desk_actions(state):  # the person may take one of this step's decisions now
            try:
                await t.run(review.check_may, telegram_id=user.id, submission_id=sid, revision_id=rid,
                            action=offered.action, now=t.now())
            except ServiceError as exc:  # someone else is on it (a claim): said as the card says it
                refusal = claim_error(exc) if exc.code in R.REVIEW_ERRORS else K.FORBIDDEN
                break
            except WorkflowError:
                continue
            refusal = None
            break
        if refusal is not None:
            self.answer({"ok": False, "message": refusal}, 403)
            return
        try:
            session = desk.sessions.exchange(user, sid, init_max_age=desk.init_max_age)
        except SessionRefused as exc:
            self.answer({"ok": False, "message": K.SESSION_REFUSED[exc.reason.value]}, 403)
            return
        self.opened(session, rid)

    async def writer(self, t: Terbit, user: WebAppUser, sid: int, rid: int) -> None:
        """A read-only session for the item's own writer, while it is theirs to edit."""
        if await own_draft(t, user.id, sid, rid) is None:
            self.answer({"ok": False, "message": K.WRITER_FORBIDDEN}, 403)
            return
        try:
            session = self.desk.sessions.exchange(user, sid, init_max_age=self.desk.init_max_age, read_only=True)
        except SessionRefused as exc:
            self.answer({"ok": False, "message": K.SESSION_REFUSED[exc.reason.value]}, 403)
            return
        self.opened(session, rid)

    def opened(self, session: DeskSession, rid: int) -> None:
        self.desk.revisions[(session.user_id, session.submission_id)] = rid
        self.answer({"ok": True, "token": session.token, "view": page.view_path(session.view_key)})


class View(DeskHandler):
    """GET /meja/v/<key>/: the desk."""

    async def get(self, key: str) -> None:
        seen = self.viewed(key)
        if seen is None:
            return
        user_id, sid = seen.user_id, seen.submission_id
        t = await self.desk.office(sid)
        rid = self.desk.revisions.get((user_id, sid))
        if seen.read_only:
            await self.writer(t, user_id, sid, rid)
            return
        view = await t.run(cards.card_view, sid, rid, t.checks) if t is not None and rid is not None else None
        if t is None or view is None:
            self.notice(K.NO_DECISION, 410)
            return
        open_ = await t.run(comments.open_list, sid)
        offered = [a for a in desk_actions(view.state) if a in OFFERED]
        nonce = page.new_nonce()
        self.policy(page.content_security_policy(nonce))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page.render_desk(
            view, nonce=nonce, clock=clock_line(t, view.submission, t.now()),
            standard=T.format_working(t.standards[STEP[view.state]], t.calendar), tz=t.settings.timezone,
            open_comments=open_, actions=offered))

    async def writer(self, t: Terbit | None, user_id: int, sid: int, rid: int | None) -> None:
        """The writer's own draft, by the same page with no decision (its DraftView as the page's view)."""
        draft = await own_draft(t, user_id, sid, rid) if t is not None and rid is not None else None
        if t is None or draft is None:
            self.notice(K.WRITER_FORBIDDEN, 410)
            return
        view = CardView(draft.submission, draft.revision, draft.attachments, draft.submission.state,
                        list(draft.findings), None)
        open_ = await t.run(comments.open_list, sid)
        nonce = page.new_nonce()
        self.policy(page.content_security_policy(nonce))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page.render_desk(view, nonce=nonce, clock="", standard="", tz=t.settings.timezone,
                                     open_comments=open_, actions=(), writer=True))


def static_site(t: Terbit) -> StaticSitePublisher | None:
    """The office's static site (the desk's preview is its page), when it has one."""
    return next((p for p in t.outbox.publishers_of().values() if isinstance(p, StaticSitePublisher)), None)


async def article_of(desk: Desk, key: str, handler: DeskHandler) -> tuple[Terbit, Article] | None:
    seen = handler.viewed(key)
    if seen is None:
        return None
    user_id, sid = seen.user_id, seen.submission_id
    t = await desk.office(sid)
    rid = desk.revisions.get((user_id, sid))
    if t is None or rid is None:
        handler.notice(K.NO_DECISION, 410)
        return None
    if seen.read_only and await own_draft(t, user_id, sid, rid) is None:  # no longer the writer's to see
        handler.notice(K.WRITER_FORBIDDEN, 410)
        return None
    return t, await t.outbox.article(sid, rid)


class Preview(DeskHandler):
    """GET /meja/v/<key>/artikel/pratinjau/: the article as the site's own templates render it."""

    csp = page.preview_content_security_policy()

    async def get(self, key: str) -> None:
        found = await article_of(self.desk, key, self)
        if found is None:
            return
        t, article = found
        site = static_site(t)
        if site is None:
            self.notice(K.NO_DECISION, 404)
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(await site.preview(article, page.preview_media_url))


class Stylesheet(DeskHandler):
    """GET /meja/v/<key>/<name>: the site's style.css and logo, as the preview links them."""

    async def get(self, key: str, name: str) -> None:
        seen = self.viewed(key)
        if seen is None:
            return
        t = await self.desk.office(seen.submission_id)
        site = static_site(t) if t is not None else None
        if site is None:
            raise tornado.web.HTTPError(404)
        if name == "style.css":
            self.set_header("Content-Type", "text/css; charset=utf-8")
            self.finish(site.stylesheet())
            return
        logo = site.logo()
        if logo is None or logo[0] != name:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", mimetypes.guess_type(name)[0] or "application/octet-stream")
        self.finish(await asyncio.to_thread(logo[1].read_bytes))


def file_of(asset: Asset, variant: str) -> tuple[Path, str] | None:
    """The file and type of one of an item's files, as the preview links it (the variants the static
    site publishes: StaticSitePublisher._media_plan); None: no such variant."""
    path: Path | None = None
    mime: str | None = None
    if asset.kind == "photo":
        if variant == "web":
            path, mime = asset.web, asset.web_mime
        elif variant == "thumb":
            path = asset.thumb
    elif asset.kind in PLAYABLE_KINDS:
        if variant == "play":
            path, mime = (asset.web, asset.web_mime) if asset.web is not None else (asset.original, asset.mime)
        elif variant == "poster":
            path = asset.thumb
    elif variant == "download":
        path, mime = asset.original, asset.mime
    if path is None:
        return None
    return path, mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class File(DeskHandler):
    """GET /meja/v/<key>/berkas/<att>/<variant>: a file of this item's revision only."""

    async def get(self, key: str, att: str, variant: str) -> None:
        found = await article_of(self.desk, key, self)
        if found is None:
            return
        _t, article = found
        asset = next((a for a in article.assets if a.id == int(att)), None)
        source = file_of(asset, variant) if asset is not None and variant in VARIANTS else None
        if source is None:
            raise tornado.web.HTTPError(404)
        path, mime = source
        self.set_header("Content-Type", mime)
        if variant == "download":
            self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(asset.filename)}")
        self.finish(await asyncio.to_thread(path.read_bytes))


class Decide(DeskHandler):
    """POST /meja/api/<sid>/<rid>/<action> with X-Meja-Sesi: a decision, by the card's own use cases."""

    async def post(self, sid_: str, rid_: str, name: str) -> None:
        sid, rid, desk = int(sid_), int(rid_), self.desk
        try:
            visit = desk.sessions.visit(self.request.headers.get(page.TOKEN_HEADER, ""), sid)
        except SessionRefused as exc:
            self.answer({"ok": False, "message": K.SESSION_REFUSED[exc.reason.value]}, 403)
            return
        if visit.read_only:  # a writer's look at their own draft decides nothing
            self.answer({"ok": False, "message": K.WRITER_READ_ONLY}, 403)
            return
        user_id = visit.user_id
        if len(self.request.body) > MAX_BODY:
            self.answer({"ok": False, "message": C.BUTTON_STALE}, 413)
            return
        try:
            action = DeskAction(name)
            body = json.loads(self.request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError:
            self.answer({"ok": False, "message": C.BUTTON_STALE}, 400)
            return
        t = await desk.office(sid)
        if t is None or action not in OFFERED:
            self.answer({"ok": False, "message": C.BUTTON_STALE}, 404)
            return
        note = str(body.get("note") or "").strip() or None
        publish_at = None
        if action is DeskAction.KEMBALIKAN and note is None:
            self.answer({"ok": False, "message": K.NOTE_NEEDED}, 400)
            return
        if action is DeskAction.JADWALKAN:
            try:
                publish_at = page.at_local(str(body.get("publish_at") or ""), t.settings.timezone)
            except ValueError:
                self.answer({"ok": False, "message": K.SCHEDULE_NEEDED}, 400)
                return
        if action is DeskAction.SETUJUI and body.get("confirmed") is not True:
            n = await t.run(comments.open_count, sid)
            if n:
                self.answer({"ok": False, "confirm": M.ASK_APPROVE_OPEN.format(n=n, id=sid)})
                return
        try:
            if action is DeskAction.KOREKSI:
                field, text = str(body.get("field") or ""), str(body.get("text") or "")
                if field not in (Field.TITLE, Field.BODY) or len(text) > MAX_BODY:
                    self.answer({"ok": False, "message": C.BUTTON_STALE}, 400)
                    return
                outcome = await t.run(review.correct_as, telegram_id=user_id, submission_id=sid, revision_id=rid,
                                      field=field, text=text, now=t.now())
            else:
                outcome = await t.run(review.decide_as, telegram_id=user_id, submission_id=sid, revision_id=rid,
                                      action=action.action, note=note if action is DeskAction.KEMBALIKAN else None,
                                      now=t.now(), targets=t.targets, publish_at=publish_at)
        except (WorkflowError, ServiceError) as exc:
            self.answer({"ok": False, "message": await refused(t, exc, sid, rid, user_id)}, 409)
            return
        for worker in outcome.wake if outcome is not None else ():
            t.wake(worker)
        # Decided (or corrected: a new revision, a new card): this session has done its work.
        desk.sessions.close(self.request.headers.get(page.TOKEN_HEADER, ""))
        self.answer({"ok": True, "message": DONE[action]})


async def refused(t: Terbit, exc: Exception, sid: int, rid: int, telegram_id: int) -> str:
    """Why a decision records nothing, in the words the card's buttons use (handlers/review.py's
    refusal_for; a schedule in the past and a correction's own errors as handlers/schedule.py and
    handlers/correction.py say them)."""
    if isinstance(exc, ServiceError) and exc.code not in R.REVIEW_ERRORS:
        if exc.code == "schedule_past":
            return R.WHEN_PAST
        if exc.code in C.ERRORS:
            return C.ERRORS[exc.code]
    return await refusal_for(t, exc, telegram_id, sid, rid)


def routes(desk: Desk) -> list[tuple[str, type[DeskHandler], dict[str, Any]]]:
    """The desk's routes under /meja/ (when switched off: one route saying so)."""
    p, given = page.PREFIX, {"desk": desk}
    if not desk.enabled:
        return [(rf"{p}(/.*)?", Off, given)]
    return [
        (rf"{p}/(\d{{1,12}})/(\d{{1,12}})/", Gate, given),
        (rf"{p}/api/(\d{{1,12}})/(\d{{1,12}})/sesi", Exchange, given),
        (rf"{p}/api/(\d{{1,12}})/(\d{{1,12}})/([a-z]{{1,20}})", Decide, given),
        (rf"{p}/v/([A-Za-z0-9_-]{{20,100}})/", View, given),
        (rf"{p}/v/([A-Za-z0-9_-]{{20,100}})/{page.PREVIEW_PATH}", Preview, given),
        (rf"{p}/v/([A-Za-z0-9_-]{{20,100}})/berkas/(\d{{1,12}})/([a-z]{{1,10}})", File, given),
        (rf"{p}/v/([A-Za-z0-9_-]{{20,100}})/([A-Za-z0-9_.-]{{1,80}})", Stylesheet, given),
    ]
