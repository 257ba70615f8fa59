from django.core.management import call_command
from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.core.demo import DEMO_PASSWORD, load_demo
from weerbaar.core.registry import demo_loaders


class Command(BaseCommand):
    help = (
        "Load the demo municipalities (demostad, voorbeeldrecht) with one user per role, then the demo data "
        "each app registers (framework, risk register, knowledge-base contribution, ...). Safe to re-run; "
        "never overwrites changes."
    )

    def handle(self, *args, **options):
        call_command("load_content", stdout=self.stdout)
        with acting_as(None, via="command"):
            orgs = {o.slug: o for o in load_demo()}
            # Each app registers its loader from its AppConfig.ready(), in the order it needs.
            for identifier, loader in demo_loaders.items():
                loader(orgs)
                self.stdout.write(f"Demo data: {identifier}.")
        self.stdout.write(
            f"Demo loaded: {', '.join(orgs)}; log in as coordinator@demostad.example (password {DEMO_PASSWORD})."
        )
