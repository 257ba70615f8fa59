from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.knowledge import content


class Command(BaseCommand):
    help = "Load the knowledge content that ships with Weerbaar (themes, ...). Safe to re-run."

    def handle(self, *args, **options):
        with acting_as(None, via="command"):
            counts = content.load_all()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
