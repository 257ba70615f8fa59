"""Measures point at BIO2 government measures from the list instead of free-text numbers.

The old free text ``bio2_refs`` is read number by number: a government measure of the list is
linked; a number the BIO2 moved is linked to where it went; anything else (typos, withdrawn
numbers, words) stays in ``bio2_unmatched`` so nobody loses what was typed.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from weerbaar.risks.bio2 import normalise, split

    Measure = apps.get_model("risks", "Measure")
    Bio2Measure = apps.get_model("knowledge", "Bio2Measure")
    catalogue = {b.number: b for b in Bio2Measure.objects.all()}
    through = Measure.bio2_measures.through
    links = []
    for measure in Measure.objects.exclude(bio2_unmatched="").iterator():
        keep, linked = [], set()
        for word in split(measure.bio2_unmatched):
            number = normalise(word)
            entry = catalogue.get(number) if number else None
            if entry is not None and entry.status == "moved" and entry.moved_to in catalogue:
                entry = catalogue[entry.moved_to]
            if entry is not None and entry.status == "measure":
                if entry.pk not in linked:
                    linked.add(entry.pk)
                    links.append(through(measure_id=measure.pk, bio2measure_id=entry.pk))
            else:
                keep.append(word)
        measure.bio2_unmatched = ", ".join(keep)[:200]
        measure.save(update_fields=["bio2_unmatched"])
    through.objects.bulk_create(links, ignore_conflicts=True)


def backwards(apps, schema_editor):
    Measure = apps.get_model("risks", "Measure")
    for measure in Measure.objects.prefetch_related("bio2_measures"):
        numbers = [b.number for b in measure.bio2_measures.all()]
        if measure.bio2_unmatched:
            numbers.append(measure.bio2_unmatched)
        measure.bio2_unmatched = ", ".join(numbers)[:200]
        measure.save(update_fields=["bio2_unmatched"])


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0002_revision_and_matrix_bounds"),
        ("knowledge", "0004_bio2measure"),
        ("soa", "0001_bio2_catalogue"),
    ]

    operations = [
        migrations.RenameField("measure", "bio2_refs", "bio2_unmatched"),
        migrations.AlterField(
            model_name="measure",
            name="bio2_unmatched",
            field=models.CharField(
                blank=True,
                help_text="Eerder ingevoerde nummers die niet in de BIO2-lijst staan. Kies de juiste maatregelen en maak dit veld leeg.",
                max_length=200,
                verbose_name="BIO2-nummers buiten de lijst",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="bio2_measures",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="knowledge.bio2measure", verbose_name="BIO2-maatregelen"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
