"""Alembic environment: the models' metadata, batch mode on SQLite, an external connection when given one."""
from __future__ import annotations

from alembic import context
from sqlalchemy import TypeDecorator

from adapters.slack.installation_tables import installation_metadata
from core.models import Base
from core.storage import create_db_engine

config = context.config
target_metadata = [Base.metadata, installation_metadata()]  # + slack-sdk's installation tables (0002)


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our TypeDecorators as their plain column type, so migrations don't import model code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    """The configured URL, else the one `invoicebot` itself would use (DATABASE_URL or the embedded SQLite)."""
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from bot.settings import Settings

    return Settings.from_env().database_url


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
