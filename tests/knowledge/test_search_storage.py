"""PostgreSQL keeps each document's search vector inside its row (migration 0006): ranking a
broad query then reads no TOAST pages. Only meaningful on PostgreSQL (the SQLite index is FTS5)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_search_vector_is_stored_in_the_row_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite searches an FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'knowledge_searchdocument'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
