"""`terbit kantor list|add|check`: the deployment's offices, from the server's shell.

In chat, a deployment admin adds an office with ``/kantor tambah <nama>`` (no restart, and an
invitation link for its admin).  Here, the admin of the server lists them, adds one (its
settings file, site and archive made ready; the running bot learns of it at its next start) and
checks every office's settings file before a restart.
"""
from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from config import offices as office_settings
from config.settings import Settings
from publishers.registry import make_publishers
from services.errors import ServiceError
from services.staff import offices
from storage.db import make_engine, make_sessionmaker, upgrade
from texts.id import offices as K
from texts.id import ops as T

OK, PROBLEMS = 0, 1


def add_commands(subparsers: Any) -> None:
    """Add `kantor` to terbit's sub-commands."""
    k = subparsers.add_parser("kantor", help="kantor (OPD) dalam instalasi ini: list, add, check")
    sub = k.add_subparsers(dest="kantor_command", required=True)
    sub.add_parser("list", help="daftar kantor, folder dan berkas pengaturannya")
    a = sub.add_parser("add", help="tambah kantor (berkas pengaturan, situs dan arsipnya disiapkan)")
    a.add_argument("name", nargs="+", help="nama kantor, mis. Dinas Pendidikan")
    c = sub.add_parser("check", help="periksa berkas pengaturan setiap kantor (atau satu)")
    c.add_argument("slug", nargs="?", help="hanya kantor ini (nama foldernya)")


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url, busy_timeout=settings.sqlite_busy_timeout_seconds)
    try:
        await upgrade(engine)
        sessions = make_sessionmaker(engine)
        if args.kantor_command == "add":
            return await _add(sessions, settings, " ".join(args.name))
        found = await offices.all_offices(sessions)
        if args.kantor_command == "list":
            print(render_list(settings, found))
            return OK
        return check(settings, [o for o in found if args.slug in (None, o.slug)], args.slug)
    finally:
        await engine.dispose()


def _folder(settings: Settings, office: offices.OfficeView) -> str:
    if office.id == office_settings.FIRST_OFFICE:
        return f"{settings.data_dir} (.env)"
    return str(office_settings.home(settings.data_dir, office.slug))


def render_list(settings: Settings, found: tuple[offices.OfficeView, ...]) -> str:
    lines = [T.OFFICES_HEADER.format(n=len(found))]
    lines += [T.OFFICES_ITEM.format(id=o.id, slug=o.slug, name=o.name, folder=_folder(settings, o)) for o in found]
    return "\n".join(lines)


async def _add(sessions: Any, settings: Settings, name: str) -> int:
    now = datetime.now(ZoneInfo(settings.timezone))
    try:
        office = await offices.add(sessions, name=name, admin_ids=settings.admin_ids, now=now)
    except ServiceError as exc:
        template = K.ERRORS.get(exc.code, exc.code)
        print(template.format(**exc.params) if exc.params else template)
        return PROBLEMS
    path = office_settings.write_template(settings.data_dir, office.slug, office.name)
    own = office_settings.for_office(settings, office.id, office.slug)
    # Its site and archive, ready before its first article (its other targets are set in its file).
    targets = make_publishers(replace(own.publisher_config(), targets=("static_site", "archive")))
    try:
        for publisher in targets.values():
            await publisher.prepare()
    finally:
        for publisher in targets.values():
            await publisher.aclose()
    print(T.OFFICE_ADDED.format(name=office.name, slug=office.slug, file=path, site=own.site_dir))
    return OK


def check(settings: Settings, found: list[offices.OfficeView], slug: str | None) -> int:
    """Every office's settings (its own file on top of .env); 1 on a problem.  `terbit doctor` also
    tries each office's targets."""
    if slug is not None and not found:
        print(T.OFFICE_UNKNOWN.format(slug=slug))
        return PROBLEMS
    problems = 0
    for office in found:
        try:
            own = office_settings.for_office(settings, office.id, office.slug)
        except office_settings.OfficeSettingsProblem as exc:
            problems += 1
            print(T.OFFICE_CHECK_BAD.format(name=office.name, slug=office.slug))
            print("\n".join(f"   {line}" for line in exc.lines))
            continue
        print(T.OFFICE_CHECK_OK.format(name=office.name, slug=office.slug, targets=", ".join(own.publishers),
                                       site=own.site_dir))
    return PROBLEMS if problems else OK
