"""PostgreSQL: the Dutch vector of the title alone, stored, with a GIN index of its own.

The search shows documents with a query word in the title first. With this column PostgreSQL
finds those through a small index and checks them against a small vector, without reading
every matching document's full vector, so a broad query ("risico" in most of 10,000
documents) ranks only its best candidates (``knowledge.search._PostgresResults``). Like
``search_vector`` it is a generated column unknown to the ORM. Nothing to do on SQLite
(FTS5 ranks title matches first through bm25's column weights).
"""

from django.db import migrations

CREATE = [
    "ALTER TABLE knowledge_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('dutch'::regconfig, coalesce(folded_title, ''))) STORED",
    "CREATE INDEX knowledge_searchdocument_title_vector ON knowledge_searchdocument USING gin (title_vector)",
]
DROP = [
    "DROP INDEX IF EXISTS knowledge_searchdocument_title_vector",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0006_search_vector_inline")]

    operations = [migrations.RunPython(forwards, backwards)]
