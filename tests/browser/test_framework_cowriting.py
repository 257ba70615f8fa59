"""Co-writing by keyboard: the coordinator gives the reader the vision step, the reader writes it,
a theme expert who was not asked can only comment. Every page passes axe-core."""

import re

from django_scopes import scope, scopes_disabled

from weerbaar.core.models import Membership
from weerbaar.framework import services
from weerbaar.framework.models import Step
from weerbaar.knowledge.content import load_catalogue, load_laws

from .conftest import check_axe
from .test_framework import logout
from .test_journeys import login_by_keyboard


def press_enter_on(page, locator):
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_coordinator_delegates_the_vision_and_only_that_member_edits_it(live_server, demo, page):
    org = demo["demostad"]
    with scopes_disabled():
        load_laws()
        load_catalogue()
    with scope(organisation=org.pk):
        coordinator = Membership.objects.get(organisation=org, user__email="coordinator@demostad.example")
        framework = services.framework_start(organisation=org, membership=coordinator)
        number = framework.versions.get().number
    base = live_server.url
    version_url = f"{base}/g/demostad/kader/versies/{number}/"

    # The coordinator gives the reader (a policy adviser) the vision step.
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(version_url)
    check_axe(page, "version page with co-writing")
    form = page.get_by_role("form", name="Een lid laten meeschrijven")
    step = form.get_by_label(re.compile("^Stap"))
    step.focus()
    page.keyboard.type("Visie")
    assert step.input_value() == Step.VISION
    who = form.get_by_label(re.compile("^Meeschrijver"))
    who.focus()
    page.keyboard.type("Lezer")
    assert who.input_value()
    press_enter_on(page, form.get_by_role("button", name="Rechten geven"))
    assert page.get_by_text("Lezer Demostad mag nu stap Visie bewerken.").is_visible()
    table = page.get_by_role("table", name="Wie welke stap mag bewerken")
    assert table.get_by_role("cell", name=re.compile("^Lezer Demostad")).is_visible()
    check_axe(page, "version page after delegating")
    logout(page)

    # The reader is told, opens the vision and writes it.
    login_by_keyboard(page, base, "lezer@demostad.example")
    page.goto(version_url)
    mine = page.locator("#mijn-stappen")
    assert mine.is_visible()
    press_enter_on(page, mine.get_by_role("link", name="Visie"))
    assert "gevraagd mee te schrijven aan deze stap" in page.content()
    check_axe(page, "vision step for the co-writer")
    page.get_by_label("Onze visie op integrale beveiliging", exact=True).focus()
    page.keyboard.type("Demostad beschermt mensen, informatie en gebouwen in samenhang.")
    page.get_by_role("button", name="Stap opslaan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Stap Visie is opgeslagen.").is_visible()
    check_axe(page, "vision saved by the co-writer")
    # Another step stays read-only for them.
    page.goto(f"{version_url}stap/{Step.SCOPE}/")
    assert page.get_by_role("button", name="Stap opslaan").count() == 0
    logout(page)

    # The theme expert was not asked: they read the vision and can comment, not edit.
    login_by_keyboard(page, base, "expert@demostad.example")
    page.goto(f"{version_url}stap/{Step.VISION}/")
    check_axe(page, "vision step for a member who was not asked")
    assert page.get_by_role("button", name="Stap opslaan").count() == 0
    assert page.get_by_label("Onze visie op integrale beveiliging", exact=True).count() == 0
    assert page.get_by_text("Demostad beschermt mensen, informatie en gebouwen in samenhang.").is_visible()
    page.get_by_label(re.compile("^Uw opmerking")).focus()
    page.keyboard.type("Mooi; noem ook de raad.")
    press_enter_on(page, page.get_by_role("button", name="Opmerking plaatsen"))
    assert page.get_by_text("Uw opmerking is geplaatst.").is_visible()
