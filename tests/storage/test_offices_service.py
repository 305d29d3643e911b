"""The deployment's use cases about offices (services/staff/offices.py), on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.workflow import Role
from services.errors import ServiceError
from services.staff import offices
from services.staff.people import roles_of
from storage.models import Invitation, Person
from storage.tenancy import for_office
from tests.storage.office import T0, WRITER, seed_office

TTL = timedelta(hours=72)
ADMIN = 9001  # ADMIN_IDS


async def _office_one(db) -> None:
    await seed_office(db)
    await offices.ensure_every_office_admins(db.sessions, [ADMIN], T0)  # what the bot does at start


async def test_the_first_office_takes_the_installations_name_and_its_admins_every_office(db) -> None:
    await _office_one(db)
    await offices.rename_first(db.sessions, "  Dinas   Komunikasi dan Informatika ")
    assert [o.name for o in await offices.all_offices(db.sessions)] == ["Dinas Komunikasi dan Informatika"]
    await offices.rename_first(db.sessions, "")  # no OFFICE_NAME: the name stays
    assert (await offices.all_offices(db.sessions))[0].name == "Dinas Komunikasi dan Informatika"

    added = await offices.add(db.sessions, name="Dinas Kesehatan", admin_ids=[ADMIN], now=T0)
    assert (added.id, added.slug) == (2, "dinas-kesehatan")
    async with for_office(db.sessions, added.id)() as s:
        admin = await s.scalar(select(Person).where(Person.telegram_id == ADMIN))
        assert admin is not None and roles_of(admin) == {Role.ADMIN}  # admin there, nothing else
    # A deployment admin named later (ADMIN_IDS grew) becomes an admin of every office at start.
    await offices.ensure_every_office_admins(db.sessions, [ADMIN, 4242], T0)
    for office in (1, 2):
        async with for_office(db.sessions, office)() as s:
            newcomer = await s.scalar(select(Person).where(Person.telegram_id == 4242))
            assert newcomer is not None and Role.ADMIN in roles_of(newcomer)


async def test_adding_an_office_is_for_deployment_admins_and_names_are_checked(db) -> None:
    await _office_one(db)
    admins = frozenset({ADMIN})
    with pytest.raises(ServiceError) as refused:
        await offices.create(db.sessions, telegram_id=WRITER, name="Dinas Sosial", admin_ids=admins, now=T0, ttl=TTL)
    assert refused.value.code == "deployment_admin_only"
    created = await offices.create(db.sessions, telegram_id=ADMIN, name="Dinas Sosial", admin_ids=admins, now=T0,
                                   ttl=TTL)
    async with for_office(db.sessions, created.office.id)() as s:
        invitation = await s.get(Invitation, created.invitation)
        assert invitation is not None and invitation.role == Role.ADMIN and invitation.office_id == created.office.id
    for name, code in (("dinas sosial", "office_exists"), ("   ", "office_name_needed"),
                       ("x" * 121, "office_name_too_long")):
        with pytest.raises(ServiceError) as bad:
            await offices.create(db.sessions, telegram_id=ADMIN, name=name, admin_ids=admins, now=T0, ttl=TTL)
        assert bad.value.code == code
    # The same slug twice (two names that fold alike) gets a number.
    other = await offices.add(db.sessions, name="Dinas Sosial!", admin_ids=[ADMIN], now=T0)
    assert other.slug == "dinas-sosial-2"


async def test_a_person_works_in_their_offices_only(db) -> None:
    await _office_one(db)
    b = await offices.add(db.sessions, name="Dinas Kesehatan", admin_ids=[ADMIN], now=T0)
    admins = frozenset({ADMIN})
    # The writer of office 1 works there; switching to an office they hold nothing in is refused.
    assert await offices.current_office(db.sessions, telegram_id=WRITER) == 1
    with pytest.raises(ServiceError) as refused:
        await offices.switch(db.sessions, telegram_id=WRITER, office_id=b.id)
    assert refused.value.code == "office_not_yours"
    mine = await offices.mine(db.sessions, telegram_id=WRITER, admin_ids=admins)
    assert [o.id for o in mine.offices] == [1] and not mine.deployment_admin
    # The deployment admin holds a role in both and switches.
    mine = await offices.mine(db.sessions, telegram_id=ADMIN, admin_ids=admins)
    assert [o.id for o in mine.offices] == [1, b.id] and mine.deployment_admin
    assert (await offices.switch(db.sessions, telegram_id=ADMIN, office_id=b.id)).id == b.id
    assert await offices.current_office(db.sessions, telegram_id=ADMIN) == b.id
    assert await offices.current_office(db.sessions, telegram_id=999_999) is None  # nobody
