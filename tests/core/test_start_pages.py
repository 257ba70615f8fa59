"""Each role's start page says what the role may do; the board gets the risk picture and its decisions."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from weerbaar.core.models import Membership, Organisation, Role
from weerbaar.framework.models import FrameworkVersion
from weerbaar.risks.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return Organisation.objects.get(slug="demostad")


def login(client, org, role):
    with scopes_disabled():
        membership = Membership.objects.filter(organisation=org, role=role).select_related("user").first()
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    return membership


def test_board_start_page_shows_risk_picture_decisions_overdue_measures_and_budget(client, demo):
    with scope(organisation=demo):
        version = FrameworkVersion.objects.filter(organisation=demo).order_by("-number").first()
        version.status = FrameworkVersion.Status.SUBMITTED
        version.submitted_at = timezone.now()
        version.save()
        overdue = Measure.objects.filter(organisation=demo).exclude(status__in=Measure.EFFECTIVE).first()
        overdue.deadline = timezone.localdate().replace(year=timezone.localdate().year - 1)
        overdue.save()
    login(client, demo, Role.BOARD)
    html = client.get("/g/demostad/").content.decode()
    assert "overzicht voor het bestuur" in html
    assert "Besluiten die op u wachten" in html and f"Strategisch kader, versie {version.number}" in html
    assert html.count("weerbaar-heatmap") >= 2  # bruto and netto side by side
    assert "Risico&#x27;s boven de acceptatiegrens" in html or "Risico's boven de acceptatiegrens" in html
    assert overdue.title in html
    assert "Eenmalige kosten van alle maatregelen" in html
    # The board does not get the technical change log of the coordinator's page.
    assert "Laatste wijzigingen" not in html


def test_coordinator_keeps_the_work_overview_and_expert_sees_their_themes(client, demo):
    login(client, demo, Role.COORDINATOR)
    html = client.get("/g/demostad/").content.decode()
    assert "overzicht voor het bestuur" not in html and "U werkt aan alles" in html
    expert = login(client, demo, Role.EXPERT)
    html = client.get("/g/demostad/").content.decode()
    themes = [t.name for t in expert.themes.all()]
    assert themes and all(name in html for name in themes)
    assert "Uw thema" in html


def test_account_tools_sit_in_the_user_menu_not_the_main_menu(client, demo):
    login(client, demo, Role.VIEWER)
    html = client.get("/g/demostad/").content.decode()
    nav = html[html.index('aria-label="Hoofdmenu"') :]
    nav = nav[: nav.index("</nav>")]
    assert "Tweestapsverificatie" not in nav and "API-sleutels" not in nav
    menu = html[html.index("weerbaar-usermenu") : html.index('aria-label="Hoofdmenu"')]
    for label in ("Tweestapsverificatie", "Mijn sessies", "API-sleutels", "Wachtwoord wijzigen"):
        assert label in menu


def test_a_visitor_starts_on_the_public_welcome_page(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/welkom/"
    assert client.get("/welkom/").status_code == 200
    assert 'href="/welkom/"' in client.get("/account/login/").content.decode()


def test_national_editor_reaches_the_scan_questionnaire_national_view_and_circles_from_the_menu(client, demo):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(email="redacteur@weerbaar.example")
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/kennisbank/").content.decode()
    nav = html[html.index('aria-label="Hoofdmenu"') :]
    nav = nav[: nav.index("</nav>")]
    for href in ("/zelfscan/vragenlijst/", "/zelfscan/landelijk/", "/leerkringen/"):
        assert f'href="{href}"' in nav
        assert client.get(href).status_code == 200
