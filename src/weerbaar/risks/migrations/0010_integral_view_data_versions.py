"""Data version triggers for the figures the integral view keeps (core.dataversion.kept): the
conflicts between measures it counts, the framework's chosen goals and the catalogue's goals
its overlaps name."""

from django.db import migrations

from weerbaar.core import dataversion

OWN = (("risks", "MeasureConflict"), ("framework", "ChosenGoal"))
NATIONAL = (("knowledge", "SecurityGoal"),)


def _tables(apps):
    own = tuple(apps.get_model(*name)._meta.db_table for name in OWN)
    national = tuple(apps.get_model(*name)._meta.db_table for name in NATIONAL)
    return own, national


def install(apps, schema_editor):
    own, national = _tables(apps)
    dataversion.install(schema_editor, own=own, national=national)


def uninstall(apps, schema_editor):
    own, national = _tables(apps)
    dataversion.uninstall(schema_editor, tables=(*own, *national))


class Migration(migrations.Migration):
    dependencies = [("risks", "0009_register_data_versions")]

    operations = [migrations.RunPython(install, uninstall)]
