from django.core.management.base import BaseCommand

from weerbaar.knowledge.tasks import check_links


class Command(BaseCommand):
    help = "Queue the check of every outside address in the knowledge base (run it nightly)."

    def handle(self, *args, **options):
        result = check_links.enqueue()
        self.stdout.write(f"Link check queued ({result.id}).")
