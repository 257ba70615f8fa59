from django.core.management import call_command
from django.core.management.base import BaseCommand

from weerbaar.core.audit import acting_as
from weerbaar.core.demo import DEMO_PASSWORD, load_demo
from weerbaar.framework.demo import load_demo_frameworks
from weerbaar.framework.demo_documents import load_document_demo
from weerbaar.knowledge.demo import load_knowledge_demo
from weerbaar.risks.demo import load_risks_demo


class Command(BaseCommand):
    help = (
        "Load the demo municipalities (demostad, voorbeeldrecht) with one user per role, and Demostad's "
        "framework, risk register and a knowledge-base contribution. Safe to re-run; never overwrites changes."
    )

    def handle(self, *args, **options):
        call_command("load_content", stdout=self.stdout)
        with acting_as(None, via="command"):
            orgs = {o.slug: o for o in load_demo()}
            load_demo_frameworks()
            load_document_demo(orgs["demostad"])
            load_risks_demo(orgs["demostad"])
            load_knowledge_demo(orgs["demostad"])
        self.stdout.write(
            f"Demo loaded: {', '.join(orgs)}; log in as coordinator@demostad.example (password {DEMO_PASSWORD})."
        )
