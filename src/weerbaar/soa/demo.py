"""Demo data: the BIO2 catalogue (idempotent, also after a test database was emptied) and a
statement of applicability for Demostad that is partly done, as a coordinator would have it
a few months in."""

from django_scopes import scopes_disabled

from weerbaar.core.models import Organisation
from weerbaar.knowledge.models import Bio2Measure

from .catalogue import load_catalogue
from .models import Applicability

# Not applicable in Demostad, with the reason a coordinator would write down.
NOT_APPLICABLE = {
    "7.10.03": "Demostad verstuurt geen gerubriceerde informatie; koeriers vervoeren alleen openbare stukken.",
    "5.14.03": "De gemeente gebruikt geen geavanceerde elektronische handtekeningen; besluiten worden "
    "ondertekend in het zaaksysteem van de regio, dat onder de verantwoordelijkheid van de regio valt.",
    "8.30.01": "Demostad laat geen software voor zichzelf ontwikkelen; zie de risicoanalyse uitbesteding 2025.",
}
# Chapters decided so far; the technological chapter is still open.
DECIDED_CHAPTERS = ("organisatorisch", "mensgericht", "fysiek")


def ensure_catalogue(organisations=None):
    return load_catalogue(Bio2Measure)


def load_for_demo(organisations: dict[str, Organisation]) -> dict:
    ensure_catalogue()
    org = organisations.get("demostad")
    if org is None:
        return {"applicability": 0}
    created = 0
    with scopes_disabled():
        bio2 = Bio2Measure.objects.filter(status=Bio2Measure.Status.MEASURE)
        for b in bio2:
            if b.number in NOT_APPLICABLE:
                decision, reason = Applicability.Decision.NOT_APPLICABLE, NOT_APPLICABLE[b.number]
            elif b.chapter in DECIDED_CHAPTERS:
                decision, reason = Applicability.Decision.APPLICABLE, ""
            else:
                continue
            _row, new = Applicability.objects.get_or_create(
                organisation=org, bio2=b, defaults={"decision": decision, "reason": reason}
            )
            created += new
    return {"applicability": created}
