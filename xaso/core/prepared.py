"""Reads whose SQL the ORM compiles once per database connection, then runs with new values.

For the hottest public read — the citizen's lookup, hundreds a second on a province's busy day —
compiling the SQL (the columns of every joined model, the deferred-field mask, the ordering, the
converters) cost the ORM several times what the database took to answer (bench/README.md, issue
22). The read is still written as a QuerySet, and its rows become model instances the usual way
(Django's own iterable, converters and select_related population); only the compilation is kept.
It is kept per connection (a connection belongs to one thread, and its backend decides the SQL)
and depends on nothing but the code: unlike a cache of results, it cannot go stale.

    lookup = PreparedRead(lambda key: Dossier.objects.filter(code_key=key), "")
    for dossier in lookup("DEMOPL2412070003"): ...

The placeholder values given with the builder stand for the real ones while compiling: each must
reach the SQL parameters unchanged (a str or an int compared to a column), once.
"""

import copy
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable

_SENTINEL_TEXT = "\x00xaso-prepared-{}\x00"
_SENTINEL_NUMBER = -7_300_000_000_000_000_000


@dataclass(frozen=True)
class _Compiled:
    compiler: Any  # the SQLCompiler after its first as_sql(): select, klass_info, col_count set
    sql: str
    params: tuple
    positions: tuple[int, ...]  # where each value goes in `params`
    converters: dict  # the columns' converters from the database's values (this connection's)


class _PreparedQuery:
    """What a QuerySet's iteration asks of its query: a compiler — here the one compiled earlier on
    the connection, with this call's values. Nothing else: a prepared read runs as it was built
    (filtering or ordering it further would need another SQL)."""

    def __init__(self, compiler_of: Callable[[Any], Any]):
        self._compiler_of = compiler_of

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler_of(connection if connection is not None else connections[using])

    def __getattr__(self, name):
        raise TypeError(f"a prepared read runs as it was built (asked for {name!r})")


def _server_prepared(connection, execute_sql, *args, **kwargs):
    """`execute_sql` with its statement prepared by PostgreSQL (parsed once per connection, and
    planned once when PostgreSQL finds a plan for any values as good): psycopg prepares no
    statement by itself here (settings.DATABASES: `prepare_threshold` None), so that the others
    are planned with their own values."""
    connection.ensure_connection()
    psycopg_connection = connection.connection
    psycopg_connection.prepare_threshold = 0  # prepare at the first run, reuse it after
    try:
        return execute_sql(*args, **kwargs)
    finally:
        psycopg_connection.prepare_threshold = None


class PreparedRead:
    def __init__(self, build: Callable[..., QuerySet], *placeholders: str | int):
        self._build = build
        self._types = tuple(type(value) for value in placeholders)
        if any(kind not in (str, int) for kind in self._types):
            raise TypeError("a prepared read's values are str or int")
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._model = None
        self._iterable = ModelIterable

    def __call__(self, *values: str | int) -> QuerySet:
        """A QuerySet of the read with these values, to iterate once (nothing is compiled, and
        the QuerySet is not rebuilt: only the values change)."""
        if tuple(type(value) for value in values) != self._types:
            raise TypeError(f"expected values of the types {self._types}")
        if self._model is None:
            template = self._build(*self._sentinels())
            if (
                template._iterable_class not in (ModelIterable, ValuesListIterable)
                or template._prefetch_related_lookups
            ):
                raise TypeError(
                    "a prepared read yields model instances or tuples (values_list) and "
                    "prefetches nothing"
                )
            self._model, self._iterable = template.model, template._iterable_class
        prepared = _PreparedQuery(lambda connection: self._compiler(connection, values))
        queryset = QuerySet(model=self._model, query=prepared)
        # Tuples in the order of the SQL's columns, which is the template's values_list order.
        queryset._iterable_class = self._iterable
        return queryset

    def _compiler(self, connection, values: tuple):
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        params = list(compiled.params)
        for position, value in zip(compiled.positions, values, strict=True):
            params[position] = value
        compiler = copy.copy(compiled.compiler)  # its own as_sql; the select lists are shared
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, tuple(params))
        compiler.get_converters = lambda expressions: compiled.converters
        if settings.XASO_DB_PREPARED_READS:
            execute_sql = compiler.execute_sql
            compiler.execute_sql = lambda *args, **kwargs: _server_prepared(
                connection, execute_sql, *args, **kwargs
            )
        return compiler

    def _sentinels(self) -> list[str | int]:
        """Values that stand for the real ones while compiling, found again in the parameters."""
        return [
            _SENTINEL_TEXT.format(number) if kind is str else _SENTINEL_NUMBER - number
            for number, kind in enumerate(self._types)
        ]

    def _compile(self, connection) -> _Compiled:
        sentinels = self._sentinels()
        queryset = self._build(*sentinels)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = tuple(params)
        positions = []
        for sentinel in sentinels:
            found = [index for index, param in enumerate(params) if param == sentinel]
            if len(found) != 1:
                raise ValueError(
                    "each value of a prepared read must reach its SQL parameters once, unchanged"
                )
            positions.append(found[0])
        selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        return _Compiled(compiler, sql, params, tuple(positions), converters)
