from django.core.management.base import BaseCommand

from weerbaar.circles.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Enqueue the daily e-mail digest of new posts in learning circles (run once a day from cron or a "
        "systemd timer; the job itself runs in the task worker)."
    )

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"Digest job enqueued ({result.id}).")
