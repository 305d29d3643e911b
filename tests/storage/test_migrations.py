"""Alembic: an empty database goes to head, and head is what the models say."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.db import make_engine, upgrade
from storage.models import Base

#: On SQLite the submissions <-> revisions cycle is closed only in the models
#: (the migration cannot ALTER-add a constraint there); see 0001_initial_schema.
SQLITE_CYCLE_FKS = {"fk_submissions_current_revision", "fk_submissions_published_revision"}


def _head() -> str:
    """The newest migration (each issue adds one; the test should not name it)."""
    from alembic.script import ScriptDirectory

    from storage.db import MIGRATIONS, alembic_config
    cfg = alembic_config("sqlite://")
    assert cfg.get_main_option("script_location") == str(MIGRATIONS)
    return ScriptDirectory.from_config(cfg).get_current_head()


def _compare(sync_conn):
    ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True, "compare_server_default": False})
    return compare_metadata(ctx, Base.metadata)


def _describe(diff) -> str:
    return repr(diff)


def _fk_name(diff) -> str | None:
    if isinstance(diff, tuple) and diff and diff[0] == "add_fk":
        return diff[1].name
    return None


async def test_empty_database_upgrades_to_head_matching_the_models(db_url):
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(lambda c: inspect(c).get_table_names()) == []
        await upgrade(engine)
        await upgrade(engine)  # idempotent: a second start changes nothing
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all() == [_head()]
            diffs = await conn.run_sync(_compare)
            fks = await conn.run_sync(lambda c: {fk["name"]: fk for fk in inspect(c).get_foreign_keys("submissions")})
        if engine.dialect.name == "sqlite":
            assert {_fk_name(d) for d in diffs} == SQLITE_CYCLE_FKS, [_describe(d) for d in diffs]
            assert not SQLITE_CYCLE_FKS & set(fks)
        else:
            assert diffs == [], [_describe(d) for d in diffs]
            # On a real server the cycle is closed by the migration itself.
            assert fks["fk_submissions_current_revision"]["referred_table"] == "revisions"
            assert fks["fk_submissions_published_revision"]["referred_table"] == "revisions"
    finally:
        await engine.dispose()


async def test_timestamp_columns_are_timezone_aware_in_the_schema(db):
    async with db.engine.connect() as conn:
        cols = await conn.run_sync(lambda c: inspect(c).get_columns("publication_jobs"))
    types = {c["name"]: c["type"] for c in cols}
    if db.dialect == "postgresql":
        for name in ("next_attempt_at", "lease_until", "created_at", "updated_at", "done_at"):
            assert types[name].timezone is True, (name, types[name])


async def test_downgrade_to_base_and_up_again(db_url, request):
    """The migration is reversible: base leaves only alembic_version, head comes back."""
    from storage.db import downgrade

    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        await downgrade(engine, "base")  # as upgrade runs them (SQLite: foreign keys off meanwhile)
        async with engine.connect() as conn:
            assert await conn.run_sync(lambda c: inspect(c).get_table_names()) == ["alembic_version"]
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_compare) == [] or engine.dialect.name == "sqlite"
    finally:
        await engine.dispose()
