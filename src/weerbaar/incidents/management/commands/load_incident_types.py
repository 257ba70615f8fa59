from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.incidents.content import load_incident_types


class Command(BaseCommand):
    help = "Load the catalogue of incident types (incidents/content/incident_types.yaml). Safe to re-run."

    def handle(self, *args, **options):
        with acting_as(None, via="command"):
            count = load_incident_types()
        self.stdout.write(f"incident types: {count}")
