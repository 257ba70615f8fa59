"""Measures link to the goals and principles of the municipality's own framework.

The old links to the national catalogue become ``catalogue_goals``/``catalogue_principles``
(kept only while a municipality has no framework); where a framework exists, each link moves to
the effective version's chosen item with the same catalogue identity.
"""

from django.db import migrations, models


def move_links(apps, schema_editor):
    FrameworkVersion = apps.get_model("framework", "FrameworkVersion")
    ChosenGoal = apps.get_model("framework", "ChosenGoal")
    ChosenPrinciple = apps.get_model("framework", "ChosenPrinciple")
    Measure = apps.get_model("risks", "Measure")
    effective = {}
    for version in FrameworkVersion.objects.order_by("number"):
        current = effective.get(version.organisation_id)
        if version.status == "adopted" or (current is None or current.status != "adopted") and version.status in (
            "draft",
            "submitted",
        ):
            effective[version.organisation_id] = version
    for org_id, version in effective.items():
        goals = dict(
            ChosenGoal.objects.filter(version=version, catalogue_goal__isnull=False).values_list("catalogue_goal_id", "pk")
        )
        principles = dict(
            ChosenPrinciple.objects.filter(version=version, catalogue_principle__isnull=False).values_list(
                "catalogue_principle_id", "pk"
            )
        )
        for measure in Measure.objects.filter(organisation_id=org_id):
            for g in list(measure.catalogue_goals.all()):
                if g.pk in goals:
                    measure.goals.add(goals[g.pk])
                    measure.catalogue_goals.remove(g)
            for p in list(measure.catalogue_principles.all()):
                if p.pk in principles:
                    measure.principles.add(principles[p.pk])
                    measure.catalogue_principles.remove(p)


class Migration(migrations.Migration):
    dependencies = [
        ("framework", "0005_thread_lineage_and_link_report"),
        ("risks", "0006_overlap_summary_rows"),
    ]

    operations = [
        migrations.RenameField(model_name="measure", old_name="goals", new_name="catalogue_goals"),
        migrations.RenameField(model_name="measure", old_name="principles", new_name="catalogue_principles"),
        migrations.AlterField(
            model_name="measure",
            name="catalogue_goals",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="knowledge.securitygoal",
                verbose_name="beveiligingsdoelen (landelijke catalogus)",
            ),
        ),
        migrations.AlterField(
            model_name="measure",
            name="catalogue_principles",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="knowledge.principle",
                verbose_name="uitgangspunten (landelijke catalogus)",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="goals",
            field=models.ManyToManyField(
                blank=True,
                db_table="risks_measure_framework_goals",
                related_name="measures",
                to="framework.chosengoal",
                verbose_name="beveiligingsdoelen",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="principles",
            field=models.ManyToManyField(
                blank=True,
                db_table="risks_measure_framework_principles",
                related_name="measures",
                to="framework.chosenprinciple",
                verbose_name="uitgangspunten",
            ),
        ),
        migrations.RunPython(move_links, migrations.RunPython.noop),
    ]
