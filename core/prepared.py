"""The few statements every logged phrase runs, executed on the session's own DBAPI connection.

Through ``Session.execute`` a statement costs 30–70 µs of SQLAlchemy's Python around the database's 10–15 µs on
SQLite, and a phrase runs five (bench/bench_phrase.py). A :class:`Prepared` statement is still built and compiled
by SQLAlchemy — once per dialect — and its parameters still go through the columns' own bind processors, so dates,
UTC instants and Decimal text are stored exactly as through the ORM; only the per-execution machinery is skipped.
It runs on the cursor of the connection the session's transaction holds: the same transaction, the same locks.
While anything listens to the engine's cursor events (a test counting statements), it goes through
``Connection.exec_driver_sql`` instead, so they see it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Numeric, Select, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapper, Session, configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import NullType

from core.models import Base

M = TypeVar("M", bound=Base)


class _Compiled:
    """One statement's SQL for one dialect, with what turns named values into the driver's parameters."""

    __slots__ = ("sql", "names", "keys", "constants", "writers", "positional", "readers", "returns")

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.literal_execute_params or compiled.post_compile_params:  # rendered anew at each execution
            raise ValueError("a prepared statement takes plain bound parameters only")
        self.sql = compiled.string
        self.positional = compiled.positional
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ()) if self.positional else tuple(compiled.binds)
        binds = [compiled.binds[name] for name in self.names]
        untyped = [bind.key for bind in binds if isinstance(bind.type, NullType)]
        if untyped:  # a value of unknown type would reach the driver unconverted
            raise ValueError(f"parameters without a column type: {untyped}")
        self.keys: tuple[str | tuple[str], ...] = tuple(bind.key if bind.required else (name,)
                                                        for name, bind in zip(self.names, binds, strict=True))
        """Where each parameter's value is found: the caller's name for it, or a value written in the statement
        (``+ 1``) under a key no caller's name can be."""
        self.constants = {key: bind.effective_value for key, bind in zip(self.keys, binds, strict=True)
                          if not bind.required}
        self.writers = tuple((place, process, bind.type.should_evaluate_none)
                             for place, bind in enumerate(binds)
                             if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None)
        """The parameters a column type converts (a UTC instant to SQLite's text, a Decimal to its text): NULL
        stays NULL unless the type says it converts None too."""
        columns = statement.selected_columns if isinstance(statement, Select) else compiled.effective_returning or ()
        if any(isinstance(column.type, Numeric) for column in columns):  # converted by the driver's column type
            raise ValueError("a prepared statement reads no Numeric column (money is integer minor units or text)")
        self.readers = tuple((place, process) for place, column in enumerate(columns)
                             if (process := column.type.dialect_impl(dialect).result_processor(dialect, None)))
        self.returns = bool(columns)

    def row(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """A row as the driver gives it, converted as SQLAlchemy converts a result (a UTC instant, a Decimal …)."""
        if not self.readers:
            return tuple(values)
        converted = list(values)
        for place, process in self.readers:
            converted[place] = process(converted[place])
        return tuple(converted)

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        given: Mapping[Any, Any] = {**values, **self.constants} if self.constants else values
        converted = [given[key] for key in self.keys]
        for place, process, converts_none in self.writers:
            if converts_none or converted[place] is not None:
                converted[place] = process(converted[place])
        return tuple(converted) if self.positional else dict(zip(self.names, converted, strict=True))


class Prepared:
    """A statement compiled once per dialect and run on the session's DBAPI connection (see the module's note).

    ``statement`` is the statement, or a function building it for a dialect name (``INSERT … ON CONFLICT`` is
    written with each dialect's own ``insert``). Its parameters are bound by name, each of a column's type; what it
    returns (a SELECT's columns, RETURNING's) is converted by the columns' own result processors."""

    __slots__ = ("_build", "_compiled")

    def __init__(self, statement: Executable | Callable[[str], Executable]) -> None:
        self._build = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            statement = self._build if isinstance(self._build, Executable) else self._build(dialect.name)
            assert isinstance(statement, ClauseElement)
            compiled = self._compiled[dialect.name] = _Compiled(statement, dialect)
        return compiled

    def rows(self, session: Session, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run the statement in the session's transaction; the rows it returns (none without RETURNING)."""
        connection = _connection(session)
        compiled = self._for(connection.dialect)
        parameters = compiled.parameters(values)
        if _observed(connection):
            result = connection.exec_driver_sql(compiled.sql, parameters)
            return [compiled.row(row) for row in result] if compiled.returns else []
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, parameters)
            return [compiled.row(row) for row in cursor.fetchall()] if compiled.returns else []
        except connection.dialect.loaded_dbapi.Error as exc:  # the error SQLAlchemy would raise for it
            raise DBAPIError.instance(compiled.sql, parameters, exc, connection.dialect.loaded_dbapi.Error,
                                      dialect=connection.dialect) from exc
        finally:
            cursor.close()

    def one(self, session: Session, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The one row the statement returns (an id, a counter's new values)."""
        (row,) = self.rows(session, values)
        return row

    def first(self, session: Session, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The row the statement returns, None when there is none (at most one: a lookup by a unique key)."""
        rows = self.rows(session, values)
        return rows[0] if rows else None


def _connection(session: Session) -> Connection:
    """``session.connection()``, looked up once per transaction: a phrase runs five statements on it, and the
    session's lookup walks its transaction's bookkeeping each time."""
    transaction = session.get_transaction()
    kept = session.info.get(_CONNECTION)
    if kept is not None and transaction is not None and kept[0] is transaction:
        return cast(Connection, kept[1])
    connection = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), connection)
    return connection


_CONNECTION = "invoicebot_prepared_connection"


def loaded(session: Session, model: type[M], values: Mapping[str, Any]) -> M:
    """The ``model`` object of a row a :class:`Prepared` statement read or wrote, in the session as if the ORM had
    loaded it: ``values`` are its attributes by name, columns and any related object already at hand (a
    :func:`detached` one comes into the session with it). Building it so costs a fraction of the ORM's loading;
    one already in the session is returned as it is, as the ORM's loading would."""
    mapper, primary_key = _mapped(model)
    existing = session.identity_map.get(mapper.identity_key_from_primary_key(
        tuple(values[key] for key in primary_key)))
    if existing is not None:
        return cast(M, existing)
    instance = detached(model, values)
    session.add(instance)
    return instance


def detached(model: type[M], values: Mapping[str, Any]) -> M:
    """The ``model`` object of a row, as if loaded by a session since closed (any attribute left out of ``values``
    is unloaded): for an object that comes into a session with another (:func:`loaded`)."""
    instance = cast(M, _mapped(model)[0].class_manager.new_instance())
    instance_dict(instance).update(values)  # as the ORM's loading sets them: no change events, nothing to flush
    make_transient_to_detached(instance)
    return instance


@cache
def _mapped(model: type[Base]) -> tuple[Mapper[Any], tuple[str, ...]]:
    """The model's mapper and its primary key's attribute names. The mappers are configured first, as the ORM's
    first query would: in a process whose first message logs work, no query has done it yet."""
    configure_mappers()
    mapper = inspect(model)
    return mapper, tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def _observed(connection: Connection) -> bool:
    """Whether anything listens to the engine's cursor events (what records statements listens there)."""
    dispatch = connection.engine.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)
