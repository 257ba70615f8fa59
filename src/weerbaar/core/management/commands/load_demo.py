from django.core.management import call_command
from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo municipalities (demostad, voorbeeldrecht) with one user per role. Safe to re-run."

    def handle(self, *args, **options):
        call_command("load_content", stdout=self.stdout)
        with acting_as(None, via="command"):
            orgs = load_demo()
            from weerbaar.framework.demo import load_demo_frameworks

            load_demo_frameworks()
        self.stdout.write(
            f"Demo loaded: {', '.join(o.slug for o in orgs)}; log in as coordinator@demostad.example "
            f"(password {DEMO_PASSWORD})."
        )
