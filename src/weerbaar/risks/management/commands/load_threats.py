from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.risks.content import load_threats


class Command(BaseCommand):
    help = "Load the national threat catalogue (risks/content/threats.yaml). Safe to re-run."

    def handle(self, *args, **options):
        with acting_as(None, via="command"):
            count = load_threats()
        self.stdout.write(f"threats: {count}")
