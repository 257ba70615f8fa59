from django.db import migrations


def create_rows(apps, schema_editor):
    """Every existing municipality gets its (not yet built) overlap summary row."""
    Organisation = apps.get_model("core", "Organisation")
    OverlapSummary = apps.get_model("risks", "OverlapSummary")
    OverlapSummary.objects.bulk_create(
        [OverlapSummary(organisation_id=pk) for pk in Organisation.objects.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("risks", "0005_overlap_summary")]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
