"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from adapters.slack.installation_tables import installation_metadata
from core.models import Base
from core.storage import alembic_config, migrate


def test_upgrade_head_on_an_empty_database_gives_every_table(engine) -> None:
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_models_and_migrations_agree(engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, [Base.metadata, installation_metadata()])
    assert diff == []


def test_the_database_is_at_the_single_head_and_migrating_again_is_harmless(engine) -> None:
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    assert len(script.get_heads()) == 1
    migrate(engine)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == script.get_current_head()


def test_the_start_up_check_finds_the_same_head_as_alembic(engine, monkeypatch) -> None:
    """A start skips alembic when the schema is at head, reading the head from the file names: they must agree."""
    from core.storage import newest_revision, schema_revision

    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    assert newest_revision() == script.get_current_head() == schema_revision(engine)

    import alembic.command

    def no_alembic(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("alembic ran for a schema at head")

    monkeypatch.setattr(alembic.command, "upgrade", no_alembic)
    migrate(engine)  # at head: nothing to do, and alembic is not asked
