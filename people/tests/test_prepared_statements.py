"""``people.statements.prepared_cursor``: the hot paths' plain SQL, prepared once per connection on
PostgreSQL, still logged, counted and wrapped like any statement of Django's, and still right when
preparing is switched off (``DB_PREPARED_STATEMENTS=off``) or the database is SQLite."""

import contextlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from people.statements import prepared_cursor

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)

STATEMENT = "SELECT %s + 1, %s"


def run(value, text="раз"):
    with prepared_cursor() as cursor:
        cursor.execute(STATEMENT, [value, text])
        return cursor.fetchone()


def prepared_on_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1 + 1%%'")
        return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def preparing_switched_off():
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


@on_postgresql
def test_a_statement_is_prepared_once_on_its_connection_and_reused():
    assert connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None  # the settings' default
    assert run(1) == (2, "раз")
    assert run(41, "два") == (42, "два")
    assert run(99) == (100, "раз")
    assert prepared_on_connection() == ["SELECT $1 + 1, $2"]


@on_postgresql
def test_switched_off_the_statement_runs_bound_on_the_server_but_unprepared():
    with preparing_switched_off():
        assert run(1) == (2, "раз")
        assert run(2) == (3, "раз")
        assert prepared_on_connection() == []


def test_the_query_log_and_the_query_counts_see_every_run():
    with CaptureQueriesContext(connection) as captured:
        run(1)
        run(2)  # prepared by now on PostgreSQL: psycopg keeps no text of it, the log still shows it
    statements = [query["sql"] for query in captured]
    assert len(statements) == 2
    assert all(sql and sql.startswith("SELECT") and "+ 1" in sql for sql in statements), statements


def test_a_failing_statement_raises_djangos_database_error_and_the_connection_goes_on():
    with pytest.raises(DatabaseError), transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM people_user WHERE id = %s", [1])
    assert run(1) == (2, "раз")


def test_zero_and_an_empty_text_are_bound_as_values_not_as_nothing():
    assert run(0, "") == (1, "")
