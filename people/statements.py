"""A cursor for the hot paths' plain SQL that keeps each statement's plan on its connection.

The synchronized start runs the same few statements thousands of times a minute. Django binds the
values on the client, so each statement reaches PostgreSQL as new text and is planned afresh; for the
start's read (four joins, a dozen subqueries) planning cost four times what running it did (1.3 ms
against 0.3 ms, docs/performance.md). :func:`prepared_cursor` binds the values on the server and has
psycopg prepare each statement once per connection (psycopg keeps up to 100 per connection; the pool
keeps the connections), so a start runs plans made earlier.

Only statements run through this cursor are prepared: Django's own cursors bind on the client, which
psycopg never prepares. The database's ``OPTIONS["prepare_threshold"]`` switches it (set in
``config/settings/base.py``; ``DB_PREPARED_STATEMENTS=off`` for a pooler in transaction mode that does
not carry prepared statements): when None the statements still bind on the server, unprepared. On
other databases (SQLite) this is Django's own cursor.

A statement run here names its columns (never ``*``): a prepared statement whose result would change
shape after a migration fails ("cached plan must not change result type").
"""

import contextlib
import functools

from django.db import connection


@contextlib.contextmanager
def prepared_cursor():
    """Django's cursor (query logging, execute wrappers, error wrapping), preparing what it runs."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    # As BaseDatabaseWrapper._cursor(), with a cursor that binds on the server and prepares.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor_class = _preparing_cursor_classes()[connection.queries_logged]
        cursor = connection._prepare_cursor(cursor_class(connection.connection))
    with cursor:
        yield cursor


@functools.cache
def _preparing_cursor_classes():
    """Django's server-binding cursor class (psycopg 3) asking psycopg to prepare every statement: the
    plain one, and the one for a logged connection (DEBUG, tests counting queries)."""
    from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg: PostgreSQL only

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    class LoggedPreparingCursor(PreparingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            super().execute(query, params, prepare=prepare, binary=binary)
            if self._query is None:
                # psycopg keeps no text of a statement it ran prepared; Django's query log reads it.
                self._query = self._convert_query(query, params)
            return self

    return {False: PreparingCursor, True: LoggedPreparingCursor}
