"""The full-text index, per database.

SQLite: an FTS5 table (accent folding by the tokenizer), filled by the search service.
PostgreSQL: a generated ``dutch`` tsvector over the folded copies, with a GIN index.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_search_fts"
POSTGRES_CREATE = [
    "ALTER TABLE knowledge_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch'::regconfig, coalesce(folded_title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, coalesce(folded_body, '')), 'B')) STORED",
    "CREATE INDEX knowledge_searchdocument_vector ON knowledge_searchdocument USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS knowledge_searchdocument_vector",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": [SQLITE_CREATE], "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": [SQLITE_DROP], "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_content_models")]

    operations = [migrations.RunPython(create_index, drop_index)]
