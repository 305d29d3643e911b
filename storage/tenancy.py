"""Offices (tenancy): a session factory that cannot be had without an office.

One deployment serves many government offices (``offices``).  The rows of every model that is a
:class:`storage.models.Tenant` belong to one office; people, the postbox and inbox, the bot's
conversation state and said-once hints are the deployment's.

**An office's sessions.**  ``for_office(sessions, office_id)`` turns the deployment's factory
(``storage.db.make_sessionmaker``) into :class:`OfficeSessions`, used exactly like it
(``async with sessions() as s``, ``async with sessions.begin() as s``).  Its sessions carry the
office in ``session.info``, and the filter lives here, in the ORM, not in each use case:

* every ORM SELECT, and every ORM-enabled UPDATE and DELETE, gets
  ``with_loader_criteria(Tenant, office_id == <office>)``: plain, column and count selects, joins
  (the joined entity's ON clause), relationship loads (lazy, joined, selectin) and
  ``session.get`` of a row of another office (None);
* an ORM INSERT or UPDATE statement that names ``office_id`` must name this office, and an INSERT
  that names none gets it (the column's default reads the statement's office);
* ``before_flush`` stamps new Tenant objects with the office and refuses (:class:`CrossOffice`) a
  new, changed or deleted Tenant object of another office.

What the ORM does not see is not filtered: ``text()`` SQL, Core statements on ``Model.__table__``,
raw connections.  On PostgreSQL a second wall stands behind the first: row-level security.

**Row-level security (PostgreSQL; migration 0014).**  Every tenant table has RLS enabled and
forced (the table owner, which the bot connects as, is subject to it too) with one policy, for
reads and writes alike::

    office_id = terbit_office() OR terbit_everywhere()

``terbit_office()`` is the transaction's ``terbit.office`` setting when it is an office's number;
``terbit_everywhere()`` is true when the setting is ``*``.  Unset (NULL), empty (what a setting made
``SET LOCAL`` reads after its transaction ended), or anything else: neither, and the table is empty
and refuses every write: a connection nobody scoped sees nothing (fail closed).  Each session
transaction says which at its start (``after_begin``: ``set_config('terbit.office', v, true)``,
transaction-local, so a pooled connection carries nothing over): an office's sessions its
number, the deployment's sessions ``*``.  The wall guards against the code's own mistakes (a query
that escaped the ORM filter, raw SQL in an office's transaction): SQL that can call ``set_config``
itself can widen its own transaction, so this is not a boundary against injected SQL (separate
database roles would be).  Superusers and BYPASSRLS roles are never subject to RLS: the bot must
connect as an ordinary role (the owner of its tables) for the wall to stand.

**The deployment's factory** (``everywhere(sessions)``) has no office: it sees every office's rows.
It stays for what is genuinely the deployment's: the background workers (the postman, the publication
outbox, the SOP clock sweep) that serve every office from one queue, the deployment admin's roll-up,
migrations, the postbox and inbox.  Asking for it by name makes the choice visible in the code that
makes it; an office's factory does not widen to it (``everywhere`` refuses one).  Rows that such code
creates belong to the first office unless it names one: name it.

SQLite: write transactions of one process take turns (``storage.db.SqliteSessions``); an office's
factory shares the deployment's turns, so there is one writer per database file whatever the office.
"""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import Update, event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria
from sqlalchemy.sql.elements import BindParameter

from storage.models import OFFICE_OPTION, Tenant

if TYPE_CHECKING:
    from storage.db import WriterTurns

#: Where a session keeps its office (``session.info``).
OFFICE_KEY = "office_id"
#: The PostgreSQL setting the row-level security policies read (migration 0014), and its value for
#: the deployment's transactions.
SETTING = "terbit.office"
EVERYWHERE = "*"

_SET = text("SELECT set_config('terbit.office', :office, true)")


class CrossOffice(Exception):
    """A write in one office's session would touch a row of another office."""


class TerbitSession(Session):
    """The Session class of every factory of ``storage.db.make_sessionmaker`` (and so of every
    :class:`OfficeSessions`): the office scope's listeners are on it."""


def office_of(session: Session | AsyncSession) -> int | None:
    """The office a session is scoped to (None: the deployment's)."""
    office = session.info.get(OFFICE_KEY)
    return None if office is None else int(office)


def scoped_to(sessions: async_sessionmaker[AsyncSession]) -> int | None:
    """The office a session factory is scoped to (None: the deployment's)."""
    return sessions.office_id if isinstance(sessions, OfficeSessions) else None


def _check_office(office_id: object) -> int:
    if isinstance(office_id, bool) or not isinstance(office_id, int) or office_id <= 0:
        raise ValueError(f"an office id is a positive integer, not {office_id!r}")
    return office_id


# ---- the ORM filter --------------------------------------------------------------------------


def _is_tenant(state: ORMExecuteState) -> bool:
    mapper = state.bind_mapper
    return mapper is not None and issubclass(mapper.class_, Tenant)


def _named_offices(state: ORMExecuteState) -> Iterable[object]:
    """Every value an INSERT or UPDATE statement gives ``office_id`` (in ``values()``, multi-row
    values, ordered values, or the execute parameters)."""
    stmt: Any = state.statement
    rows: list[Mapping[Any, Any]] = [getattr(stmt, "_values", None) or {}]
    for multi in getattr(stmt, "_multi_values", ()) or ():
        rows.extend(multi)
    rows.append(dict(getattr(stmt, "_ordered_values", None) or ()))
    params = state.parameters
    if isinstance(params, Mapping):
        rows.append(params)
    elif params:
        rows.extend(params)
    for row in rows:
        for key, value in row.items():
            if getattr(key, "key", key) == "office_id":
                yield value.value if isinstance(value, BindParameter) else value


@event.listens_for(TerbitSession, "do_orm_execute")
def _only_this_office(state: ORMExecuteState) -> None:
    office = office_of(state.session)
    if office is None:
        return
    if (state.is_insert or state.is_update) and _is_tenant(state):
        for named in _named_offices(state):
            if named != office:
                raise CrossOffice(f"office {office}'s session writes office_id={named!r}")
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(Tenant, lambda cls: cls.office_id == office, include_aliases=True))
    if state.is_update and _is_tenant(state) and isinstance(state.parameters, list):
        # The ORM's bulk UPDATE by primary key (a list of rows with their keys) does not apply
        # loader criteria: its WHERE names the office itself.
        assert state.bind_mapper is not None and isinstance(state.statement, Update)
        model: Any = state.bind_mapper.class_
        state.statement = state.statement.where(model.office_id == office)
    state.update_execution_options(**{OFFICE_OPTION: office})


@event.listens_for(TerbitSession, "before_attach")
def _no_stranger(session: Session, instance: object) -> None:
    """An object of another office is not added (or merged) into an office's session: its identity
    map would hand it out (``session.get`` answers from the identity map without SQL)."""
    office = office_of(session)
    if office is None or not isinstance(instance, Tenant):
        return
    owner = inspect(instance).dict.get("office_id")  # as loaded: nothing is loaded here
    if owner is not None and owner != office:
        raise CrossOffice(f"office {office}'s session is given {instance!r} of office {owner}")


@event.listens_for(TerbitSession, "before_flush")
def _stamp_and_refuse(session: Session, _flush_context: object, _instances: object) -> None:
    office = office_of(session)
    if office is None:
        return
    for obj in session.new:
        if isinstance(obj, Tenant):
            if obj.office_id is None:
                obj.office_id = office
            elif obj.office_id != office:
                raise CrossOffice(f"office {office}'s session adds {obj!r} of office {obj.office_id}")
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Tenant) and obj.office_id != office:
            raise CrossOffice(f"office {office}'s session changes {obj!r} of office {obj.office_id}")


@event.listens_for(TerbitSession, "after_begin")
def _tell_postgresql(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    """Row-level security's setting, for this transaction only."""
    if connection.dialect.name != "postgresql":
        return
    office = office_of(session)
    connection.execute(_SET, {"office": EVERYWHERE if office is None else str(office)})


# ---- the factories -------------------------------------------------------------------------


class OfficeSessions(async_sessionmaker[AsyncSession]):
    """The sessions of one office: the deployment's factory, its sessions scoped to ``office_id``.
    Write transactions take the same turns as the deployment's (SQLite: one writer per file)."""

    def __init__(self, deployment: async_sessionmaker[AsyncSession], office_id: int) -> None:
        kw = dict(deployment.kw)
        info = {**(kw.pop("info", None) or {}), OFFICE_KEY: _check_office(office_id)}
        super().__init__(class_=deployment.class_, info=info, **kw)
        self.office_id = office_id
        self.turns: WriterTurns | None = getattr(deployment, "turns", None)

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:  # type: ignore[override]
        if self.turns is None:
            async with super().begin() as s:
                yield s
            return
        async with self.turns.take(), super().begin() as s:
            yield s

    def __repr__(self) -> str:
        return f"<OfficeSessions office={self.office_id}>"


#: One factory per (deployment factory, office): a use case's write batches (services.uow.group_commit)
#: are per factory, so per office.
_SCOPED: WeakKeyDictionary[async_sessionmaker[AsyncSession], dict[int, OfficeSessions]] = WeakKeyDictionary()


def for_office(sessions: async_sessionmaker[AsyncSession], office_id: int) -> OfficeSessions:
    """The deployment's session factory scoped to one office (a positive integer, else ValueError).
    An office's factory given again for its own office is itself; for another office, TypeError."""
    office_id = _check_office(office_id)
    if isinstance(sessions, OfficeSessions):
        if sessions.office_id == office_id:
            return sessions
        raise TypeError(f"{sessions!r} is one office's: scope the deployment's factory instead")
    if sessions.kw.get("sync_session_class") is not TerbitSession:
        raise TypeError("not a factory of storage.db.make_sessionmaker: its sessions would not be scoped")
    per_office = _SCOPED.setdefault(sessions, {})
    scoped = per_office.get(office_id)
    if scoped is None:
        scoped = per_office[office_id] = OfficeSessions(sessions, office_id)
    return scoped


async def narrow(session: AsyncSession, office_id: int) -> None:
    """A transaction of the deployment's that turns out to be one office's work (a publication job
    of that office settles): from here on it sees and writes that office's rows only, on
    PostgreSQL behind row-level security too.  Call it first in the transaction, before any row
    is loaded (what is loaded already stays in the identity map)."""
    office = _check_office(office_id)
    if office_of(session) not in (None, office):
        raise CrossOffice(f"a session of office {office_of(session)} cannot become office {office}'s")
    if session.identity_map:
        raise CrossOffice("narrow a transaction before it loads any row")
    session.info[OFFICE_KEY] = office
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_SET, {"office": str(office)})


def everywhere(sessions: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """The deployment's factory, which sees every office: asked for by name where the work is the
    deployment's (see the module's docstring).  An office's factory does not widen (TypeError)."""
    if isinstance(sessions, OfficeSessions):
        raise TypeError(f"{sessions!r} is one office's and does not widen to the deployment")
    return sessions
