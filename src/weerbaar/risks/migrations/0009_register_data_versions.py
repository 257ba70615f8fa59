"""Data version triggers on the tables the API's register lists are built from (core.dataversion).

The assets, risks and measures of a municipality with their link tables, the framework versions
(which goals a measure's ids refer to), and the national themes, threats and BIO2 measures whose
slugs and numbers the lists print.
"""

from django.db import migrations

from weerbaar.core import dataversion

LISTED = (("risks", "Asset"), ("risks", "Risk"), ("risks", "Measure"))
OWN = (*LISTED, ("framework", "FrameworkVersion"))
NATIONAL = (("knowledge", "Theme"), ("risks", "Threat"), ("knowledge", "Bio2Measure"))


def _tables(apps):
    own = tuple(apps.get_model(*name)._meta.db_table for name in OWN)
    links = []
    for name in LISTED:
        model = apps.get_model(*name)
        for field in model._meta.many_to_many:
            links.append((field.remote_field.through._meta.db_table, field.m2m_column_name(), model._meta.db_table))
    national = tuple(apps.get_model(*name)._meta.db_table for name in NATIONAL)
    return own, tuple(links), national


def install(apps, schema_editor):
    own, links, national = _tables(apps)
    dataversion.install(schema_editor, own=own, links=links, national=national)


def uninstall(apps, schema_editor):
    own, links, national = _tables(apps)
    dataversion.uninstall(schema_editor, tables=(*own, *(table for table, _, _ in links), *national))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_dataversion"),
        ("risks", "0008_list_order_indexes"),
        ("framework", "0005_thread_lineage_and_link_report"),
        ("knowledge", "0007_search_title_index"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
