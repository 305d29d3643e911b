"""The review desk ("Buka meja periksa", issue 22): a Telegram Mini App in which the Kasubbag and the
Kepala see an item exactly as the website will show it, and decide it.

Pure building blocks; the HTTP routes and the card button are wired elsewhere:

* :mod:`handlers.desk.initdata` — Telegram's signed ``initData``, checked as Telegram documents it.
* :mod:`handlers.desk.sessions` — a validated ``initData`` exchanged once for a short server session
  (a token for the API, a read-only key for the page, its preview and its files).
* :mod:`handlers.desk.page` — the pages (the gate that makes the exchange, the desk itself) and their
  Content-Security-Policy.

How one visit goes (``/meja`` is the desk's prefix on the webhook's host)::

    GET  /meja/<sid>/<rid>/                  the gate: nothing of the item; its script reads
                                             #tgWebAppData=… and posts it, raw, to
    POST /meja/api/<sid>/<rid>/sesi          validate() (HMAC, age), the person holds the role for the
                                             item now → DeskSessions.exchange() → {token, view}
    GET  /meja/v/<view key>/                 the desk (render_desk): header, checks, comments, changes,
                                             decision form, and the preview in a sandboxed frame:
    GET  /meja/v/<view key>/artikel/pratinjau/   StaticSitePublisher.preview(), the site's own templates
    GET  /meja/v/<view key>/style.css, logo.*    the site's stylesheet and logo, as the page links them
    GET  /meja/v/<view key>/berkas/<att>/<variant>   the renditions the preview shows
    POST /meja/api/<sid>/<rid>/<action>      a decision; header X-Meja-Sesi: <token>; the same use cases
                                             as the card's buttons

The view key stands in the path because an ``<img>`` or a frame cannot send a header; it only reads,
only this item, and dies with the session.
"""
