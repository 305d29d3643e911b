from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base

target_metadata = Base.metadata
config = context.config


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    # Command-line use (`alembic -c ...`): a sync driver on the same URL.
    url = (config.get_main_option("sqlalchemy.url") or "").replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    with create_engine(url).connect() as conn:
        _configure(conn)
        conn.commit()
