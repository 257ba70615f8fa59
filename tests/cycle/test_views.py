"""The yearly plan's and the checks' pages, as the roles see them."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.cycle.models import Action, Check, Deviation, Finding
from weerbaar.framework.demo import load_framework_demo
from weerbaar.knowledge.content import load_laws
from weerbaar.risks.models import Measure, Risk

from ..conftest import member
from .conftest import get, theme

BASE = "/g/demostad/jaarplan/"


@pytest.fixture
def as_(cycle, login):
    return lambda local: login(member(cycle, local).user)


def test_every_page_answers_for_every_role(cycle, as_):
    with scopes_disabled():
        action = Action.objects.filter(organisation=cycle).first()
        check = Check.objects.filter(organisation=cycle).first()
        finding = Finding.objects.filter(organisation=cycle).first()
        deviation = Deviation.objects.filter(organisation=cycle).first()
    year = timezone.localdate().year
    pages = [
        f"{BASE}?jaar={year}",
        f"{BASE}voortgang/",
        f"{BASE}te-laat/",
        f"{BASE}meerjarig/",
        f"{BASE}acties/{action.pk}/",
        f"{BASE}controles/",
        f"{BASE}controles/{check.pk}/",
        f"{BASE}bevindingen/",
        f"{BASE}bevindingen/{finding.pk}/",
        f"{BASE}afwijkingen/",
        f"{BASE}afwijkingen/{deviation.pk}/",
        f"{BASE}import/",
    ]
    for local in ("coordinator", "expert", "bestuur", "auditor", "lezer"):
        client = as_(local)
        for url in pages:
            assert client.get(url).status_code == 200, (local, url)
    # Read-only roles are offered no changes, and are refused them.
    client = as_("bestuur")
    page = client.get(f"{BASE}controles/{check.pk}/").content.decode()
    assert "Bevinding vastleggen" not in page
    assert client.get(f"{BASE}acties/nieuw/").status_code == 403
    assert client.get(f"{BASE}volgend-jaar/").status_code == 403
    assert client.post(f"{BASE}acties/{action.pk}/status/", {"status": "done"}).status_code == 403


def test_plan_redirects_to_this_year_and_marks_overdue_actions(cycle, as_):
    client = as_("coordinator")
    year = timezone.localdate().year
    response = client.get(BASE)
    assert response.status_code == 302 and response["Location"].endswith(f"?jaar={year}")
    page = client.get(f"{BASE}?jaar={year}").content.decode()
    assert "Extra bewustwordingssessie burgerzaken" in page
    assert "te laat" in page
    overdue = client.get(f"{BASE}te-laat/").content.decode()
    assert "Extra bewustwordingssessie burgerzaken" in overdue
    assert "Phishingsimulatie en e-learning" not in overdue  # done


def test_coordinator_creates_an_action_from_a_measure_not_yet_in_place(cycle, as_):
    client = as_("coordinator")
    measure = get(Measure, organisation=cycle, reference="M-009")
    detail = client.get(f"/g/demostad/risico/maatregelen/{measure.pk}/").content.decode()
    assert f"{BASE}acties/nieuw/?maatregel={measure.pk}" in detail
    form = client.get(f"{BASE}acties/nieuw/?maatregel={measure.pk}").content.decode()
    assert "Invoeren: Crisisoefening cyberincident met het college" in form
    owner = member(cycle, "expert")
    response = client.post(
        f"{BASE}acties/nieuw/",
        {
            "title": "Invoeren: crisisoefening",
            "year": 2027,
            "owner": owner.pk,
            "due_date": "2027-03-31",
            "status": "planned",
            "themes": [theme("informatiebeveiliging")],
            "measures": [measure.pk],
        },
    )
    assert response.status_code == 302
    action = get(Action, organisation=cycle, title="Invoeren: crisisoefening")
    assert action.year == 2027 and action.owner_id == owner.pk
    with scopes_disabled():
        assert list(action.measures.values_list("pk", flat=True)) == [measure.pk]


def test_bad_input_is_shown_at_the_field_and_kept(cycle, as_):
    client = as_("coordinator")
    response = client.post(f"{BASE}acties/nieuw/", {"title": "Behouden tekst", "year": 1500, "status": "planned"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Behouden tekst" in page and "2000" in page


def test_theme_expert_is_refused_actions_outside_their_themes(cycle, as_):
    client = as_("expert")
    response = client.post(
        f"{BASE}acties/nieuw/",
        {"title": "Buiten", "year": 2026, "status": "planned", "themes": [theme("fysieke-beveiliging")]},
    )
    assert response.status_code == 403
    physical = get(Action, organisation=cycle, title="Noodstroomaggregaat testen onder belasting")
    assert client.get(f"{BASE}acties/{physical.pk}/bewerken/").status_code == 403
    page = client.get(f"{BASE}acties/{physical.pk}/").content.decode()
    assert "Actie bewerken" not in page


def test_check_with_a_finding_that_becomes_an_action_then_closed(cycle, as_):
    client = as_("coordinator")
    response = client.post(
        f"{BASE}controles/nieuw/",
        {"title": "Ontruiming december", "kind": "evacuation", "date": "2026-12-01", "status": "done"},
    )
    assert response.status_code == 302
    check = get(Check, organisation=cycle, title="Ontruiming december")
    response = client.post(
        f"{BASE}controles/{check.pk}/bevinding/", {"title": "Nooduitgang geblokkeerd", "severity": 3}
    )
    assert response.status_code == 302
    finding = get(Finding, organisation=cycle, title="Nooduitgang geblokkeerd")
    form = client.get(f"{BASE}bevindingen/{finding.pk}/actie/").content.decode()
    assert "Verbeteren: Nooduitgang geblokkeerd" in form
    response = client.post(
        f"{BASE}bevindingen/{finding.pk}/actie/",
        {"title": "Nooduitgangen vrijhouden", "year": 2026, "status": "planned"},
    )
    assert response.status_code == 302
    finding = get(Finding, pk=finding.pk)
    assert finding.action.title == "Nooduitgangen vrijhouden"
    action = finding.action
    response = client.post(f"{BASE}acties/{action.pk}/status/", {"status": "done", "revision": action.revision})
    assert response.status_code == 302
    action = get(Action, pk=action.pk)
    assert action.status == "done" and action.completed_at is not None
    page = client.get(f"{BASE}controles/{check.pk}/").content.decode()
    assert "Nooduitgangen vrijhouden" in page and "(afgerond)" in page


def test_finding_leads_to_a_new_risk_or_an_accepted_deviation(cycle, as_):
    client = as_("coordinator")
    finding = get(Finding, organisation=cycle, title="Meldknop voor verdachte mail weinig gebruikt")
    with scopes_disabled():
        before = Risk.objects.filter(organisation=cycle).count()
    response = client.post(
        f"{BASE}bevindingen/{finding.pk}/risico/",
        {
            "title": "Phishingmail wordt niet gemeld",
            "themes": [theme("informatiebeveiliging")],
            "inherent_likelihood": 3,
            "inherent_impact": 3,
            "treatment": "reduce",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = get(Finding, pk=finding.pk)
    with scopes_disabled():
        assert Risk.objects.filter(organisation=cycle).count() == before + 1
        assert finding.risk.title == "Phishingmail wordt niet gemeld"
    # A deviation needs its reason, acceptor, owner and expiry; the errors are at the fields.
    response = client.post(f"{BASE}afwijkingen/nieuw/?bevinding={finding.pk}", {"title": "Meldknop"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Waarom accepteert de gemeente" in page or "Dit veld is verplicht" in page
    response = client.post(
        f"{BASE}afwijkingen/nieuw/?bevinding={finding.pk}",
        {
            "title": "Meldknop",
            "reason": "Nieuwe mailclient komt in het voorjaar",
            "accepted_by": "CISO",
            "owner": member(cycle, "coordinator").pk,
            "expires_on": "2027-04-01",
        },
    )
    assert response.status_code == 302
    deviation = get(Deviation, organisation=cycle, title="Meldknop")
    assert deviation.finding_id == finding.pk and deviation.expires_on == datetime.date(2027, 4, 1)


def test_starting_next_years_plan_asks_first_and_carries_open_actions(cycle, as_):
    client = as_("coordinator")
    year = timezone.localdate().year
    with scope(organisation=cycle.pk):
        still_open = Action.objects.filter(year=year, status__in=Action.OPEN).count()
    page = client.get(f"{BASE}volgend-jaar/?jaar={year}").content.decode()
    assert f"Jaarplan {year + 1} starten" in page and f"{still_open} acties uit het jaarplan {year}" in page
    with scope(organisation=cycle.pk):
        assert not Action.objects.filter(year=year + 1).exists()  # the GET changed nothing
    response = client.post(f"{BASE}volgend-jaar/", {"jaar": year})
    assert response.status_code == 302
    with scope(organisation=cycle.pk):
        assert Action.objects.filter(year=year + 1).count() == still_open
        assert not Action.objects.filter(year=year, status__in=Action.OPEN).exists()


def test_progress_per_theme_and_multi_year_view(cycle, as_):
    client = as_("bestuur")
    year = timezone.localdate().year
    page = client.get(f"{BASE}voortgang/?jaar={year}").content.decode()
    assert "Informatiebeveiliging" in page and "Totaal" in page
    page = client.get(f"{BASE}meerjarig/").content.decode()
    assert str(year - 1) in page and str(year) in page and "Doorgeschoven" in page
    assert "Er is nog geen vastgesteld strategisch kader" in page
    # With an adopted framework, its multi-year plans (step vision) are shown and linked.
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(cycle)
    page = client.get(f"{BASE}meerjarig/").content.decode()
    assert "/g/demostad/kader/versies/1/stap/visie/" in page
    assert "/g/demostad/kader/versies/1/stap/kwaliteitssysteem/" in page


def test_dashboard_card_shows_due_overdue_and_new(cycle, as_):
    page = as_("coordinator").get("/g/demostad/").content.decode()
    assert "Jaarplan en controles" in page
    assert "te laat" in page and "binnen 14 dagen" in page and "nieuwe acties" in page
