"""Send today's reminder digests (for cron), or start the worker's daily chain (``--schedule``)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from weerbaar.agenda import services, tasks


class Command(BaseCommand):
    help = "Stuur de dagelijkse herinneringen, of plan de dagelijkse taak voor de achtergrondwerker in."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Plan de volgende dagelijkse run in (db_worker).")
        parser.add_argument("--day", help="Verstuur voor deze dag (JJJJ-MM-DD) in plaats van vandaag.")
        parser.add_argument(
            "--base-url", default="", help="Begin van de links in de e-mail, bv. https://weerbaar.gemeente.nl"
        )

    def handle(self, *args, schedule=False, day=None, base_url="", **options):
        if schedule:
            queued = tasks.schedule_next()
            self.stdout.write(
                "Volgende run ingepland." if queued else "Er staat al een run klaar (of geen databasewerker)."
            )
            return
        try:
            when = datetime.date.fromisoformat(day) if day else None
        except ValueError as e:
            raise CommandError("Geef de dag als JJJJ-MM-DD.") from e
        sent = services.send_reminders(when, base_url=base_url)
        self.stdout.write(f"{sent} herinnering(en) verstuurd.")
