"""Persistence: SQLAlchemy models, sessions, repositories, migrations, files."""
