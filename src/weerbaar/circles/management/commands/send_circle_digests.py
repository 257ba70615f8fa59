from django.core.management.base import BaseCommand

from weerbaar.circles.tasks import schedule_daily_digests, send_digests


class Command(BaseCommand):
    help = (
        "Stuur de dagelijkse samenvatting van nieuwe berichten in leerkringen (als achtergrondtaak), "
        "of plan met --schedule de dagelijkse taak voor de achtergrondwerker in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Plan de volgende dagelijkse run in (db_worker).")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = schedule_daily_digests()
            self.stdout.write(
                "Volgende run ingepland." if queued else "Er staat al een run klaar (of geen databasewerker)."
            )
            return
        result = send_digests.enqueue()
        self.stdout.write(f"Samenvatting in de wachtrij gezet ({result.id}).")
