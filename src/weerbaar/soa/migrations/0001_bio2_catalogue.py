"""Load the BIO2 v1.3 catalogue (numbers, chapters, statuses, our own descriptions)."""

from django.db import migrations


def load(apps, schema_editor):
    from weerbaar.soa.catalogue import load_catalogue

    load_catalogue(apps.get_model("knowledge", "Bio2Measure"))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_bio2measure")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
