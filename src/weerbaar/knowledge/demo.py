"""Demo data of the knowledge base: an example that Demostad offered to the editors."""

from django_scopes import scope

from weerbaar.core.models import Membership, Organisation, Role

from . import services
from .models import Submission, Theme


def load_knowledge_demo(organisation: Organisation) -> None:
    theme = Theme.objects.filter(slug="awareness").first()
    if theme is None:
        return  # the content is not loaded
    with scope(organisation=organisation.pk):
        if Submission.objects.filter(organisation=organisation).exists():
            return
        coordinator = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).first()
        if coordinator is None:
            return
        services.submission_create(
            organisation=organisation,
            membership=coordinator,
            theme=theme,
            kind="example",
            title="Beveiligingsquiz bij de nieuwjaarsbijeenkomst",
            body=(
                "Tijdens de nieuwjaarsbijeenkomst speelden alle medewerkers in teams een korte quiz over "
                "phishing, bezoekers begeleiden en melden van incidenten. De winnaars kozen het onderwerp "
                "van de volgende awarenesscampagne."
            ),
            anonymous=False,
        )


def load_for_demo(organisations: dict[str, Organisation]) -> None:
    """The demo loader that ``load_demo`` runs (registered in :mod:`weerbaar.knowledge.apps`)."""
    if "demostad" in organisations:
        load_knowledge_demo(organisations["demostad"])
