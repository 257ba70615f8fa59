from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.knowledge import content


class Command(BaseCommand):
    help = (
        "Load the knowledge content that ships with Weerbaar (themes, building blocks, glossary, laws, examples, "
        "catalogue) and rebuild the search index. Safe to re-run; items editors changed are kept."
    )

    def handle(self, *args, **options):
        with acting_as(None, via="command"):
            counts = content.load_all()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
