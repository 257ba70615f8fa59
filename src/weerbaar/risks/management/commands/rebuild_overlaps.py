"""Rebuild every municipality's overlap summary now (never required: a read rebuilds it when out of date)."""

from django.core.management.base import BaseCommand

from weerbaar.core.models import Organisation
from weerbaar.risks import summary


class Command(BaseCommand):
    help = "Bouwt de samenvatting 'mogelijke overlap' van elke gemeente opnieuw op."

    def handle(self, *args, **options):
        for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True):
            summary.invalidate(pk)
            _, total = summary.rebuild(pk)
            self.stdout.write(f"{pk}: {total}")
