"""A lineage for chosen goals and principles, and the adoption's report of links that no longer map.

Existing rows get their lineage from the version they were copied from: a catalogue item by
its catalogue identity, an own goal by its name and an own principle by its text (what the copy
of ``version_create_from`` kept unchanged). Anything else starts a lineage of its own.
"""

import uuid

from django.db import migrations, models


def set_lineages(apps, schema_editor):
    FrameworkVersion = apps.get_model("framework", "FrameworkVersion")
    ChosenGoal = apps.get_model("framework", "ChosenGoal")
    ChosenPrinciple = apps.get_model("framework", "ChosenPrinciple")
    seen: dict[int, tuple[dict, dict]] = {}
    for version in FrameworkVersion.objects.order_by("framework_id", "number"):
        before = seen.get(version.based_on_id, ({}, {}))
        goal_keys, principle_keys = {}, {}
        for goal in ChosenGoal.objects.filter(version=version):
            key = ("c", goal.catalogue_goal_id) if goal.catalogue_goal_id else ("o", goal.name.strip().lower())
            goal.lineage = before[0].get(key) or uuid.uuid4()
            goal_keys[key] = goal.lineage
            goal.save(update_fields=["lineage"])
        for principle in ChosenPrinciple.objects.filter(version=version):
            key = (
                ("c", principle.catalogue_principle_id)
                if principle.catalogue_principle_id
                else ("o", principle.text.strip().lower())
            )
            principle.lineage = before[1].get(key) or uuid.uuid4()
            principle_keys[key] = principle.lineage
            principle.save(update_fields=["lineage"])
        seen[version.pk] = (goal_keys, principle_keys)


class Migration(migrations.Migration):
    dependencies = [
        ("framework", "0004_subplans_scope_assets_cowriting"),
    ]

    operations = [
        migrations.AddField(
            model_name="chosengoal",
            name="lineage",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddField(
            model_name="chosenprinciple",
            name="lineage",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddField(
            model_name="frameworkversion",
            name="link_report",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(set_lineages, migrations.RunPython.noop),
    ]
