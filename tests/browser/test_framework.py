"""A coordinator walks the five steps by keyboard, a board member adopts, Word and PDF download."""

import re

from django_scopes import scopes_disabled

from weerbaar.framework.models import FrameworkVersion
from weerbaar.knowledge.content import load_catalogue, load_laws

from .conftest import check_axe
from .test_journeys import login_by_keyboard


def type_into(page, label, text, within=None):
    (within or page).get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def tick(page, label, within=None):
    box = (within or page).get_by_label(label, exact=True)
    box.focus()
    if not box.is_checked():
        page.keyboard.press("Space")
    assert box.is_checked()


def checklist(page, who="Coördinator integrale beveiliging"):
    type_into(page, "Minimale variant", "De kleinste stap.")
    type_into(page, "Maximale variant", "Alles in één keer.")
    tick(page, "Minimale en maximale variant afgewogen")
    type_into(page, "Opgesteld door", who)
    type_into(page, "Vastgesteld door", "College van B&W")
    type_into(page, "Ambtelijk betrokken", "Gemeentesecretaris en thema-eigenaren")
    page.get_by_label("Werksessie gehouden op", exact=True).fill("2026-03-12")


def save_step(page, label):
    page.get_by_role("button", name="Stap opslaan").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(f"Stap {label} is opgeslagen.").is_visible()
    check_axe(page, f"{label} saved")


def next_step(page):
    page.get_by_role("link", name="Volgende stap").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile("/account/login/"))


def test_coordinator_builds_framework_board_adopts_and_documents_download(live_server, demo, page):
    with scopes_disabled():
        load_laws()
        load_catalogue()
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Strategisch kader").click()
    check_axe(page, "framework overview, empty")
    page.get_by_role("button", name="Strategisch kader starten").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/stap/visie/$"))

    # Step 1: vision, starting from a catalogue example.
    check_axe(page, "vision")
    page.get_by_role("button", name=re.compile("^Voorbeeld .* invoegen als begintekst")).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_label("Onze visie op integrale beveiliging").input_value().strip()
    check_axe(page, "vision with example")
    page.get_by_label("Onze visie op integrale beveiliging").focus()
    page.keyboard.press("End")
    page.keyboard.type(" Demostad blijft open en gastvrij.")
    type_into(page, "Onderbouwing", "Intimidatie van medewerkers neemt toe.")
    type_into(page, "Koppeling met meerjarenplannen", "Coalitieakkoord 2026-2030")
    checklist(page)
    save_step(page, "Visie")
    next_step(page)

    # Step 2: scope, without sub-plans yet.
    check_axe(page, "scope")
    type_into(page, "Toelichting op de bedrijfsmiddelen", "Gemeentehuis, werf, ICT en informatie.")
    type_into(page, "Medewerkers en groepen", "Alle medewerkers en ambtsdragers.")
    type_into(page, "Derden", "Leveranciers en inhuur.")
    type_into(page, "Onderbouwing", "Eén scope voor alle thema's.")
    tick(page, "Wij hebben nog geen deelplannen")
    tick(page, re.compile("^Arbeidsomstandighedenwet"))
    checklist(page)
    save_step(page, "Scope")
    next_step(page)

    # Step 3: security goals.
    check_axe(page, "goals")
    goal = page.get_by_role("group", name="Beschermen", exact=True)
    tick(page, "Opnemen", within=goal)
    type_into(page, "Waarom dit doel voor ons geldt", "Medewerkers moeten veilig kunnen werken.", within=goal)
    checklist(page)
    save_step(page, "Beveiligingsdoelen")
    next_step(page)

    # Step 4: principles, linked to the goal they serve.
    check_axe(page, "principles")
    # One category at a time, with its own save.
    page.get_by_role("link", name="Beleid", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page, "principles: one category")
    principle = page.get_by_role("group", name=re.compile("^De aanpak is risicogericht"))
    tick(page, "Opnemen", within=principle)
    tick(page, "Beschermen", within=principle)
    page.get_by_role("button", name="Opslaan", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("De uitgangspunten over Beleid zijn opgeslagen.").is_visible()
    page.get_by_role("link", name="Terug naar alle categorieën en de rest van deze stap").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("1 gekozen", exact=False).first.is_visible()
    checklist(page)
    save_step(page, "Uitgangspunten")
    assert page.get_by_text("Elk gekozen doel wordt door minstens één uitgangspunt gediend.").is_visible()
    next_step(page)

    # Step 5: quality system.
    check_axe(page, "quality system")
    type_into(page, "Beschrijving van de PDCA-cyclus", "Jaarplan, uitvoering in de lijn, audits, bijsturen.")
    page.get_by_label("Gekozen governancevariant").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_label("Frequentie van herziening").focus()
    page.keyboard.press("ArrowDown")
    type_into(page, "Eigenaar van de herziening", "Gemeentesecretaris")
    type_into(page, "Verankering in de planning-en-controlcyclus", "Programmabegroting en jaarrekening.")
    checklist(page)
    save_step(page, "Kwaliteitssysteem")

    page.get_by_role("link", name="Naar indienen en vaststellen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page, "version")
    assert page.get_by_text("Alles is ingevuld.").is_visible()
    page.get_by_role("link", name="Indienen ter besluitvorming").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # A confirmation page says what will happen before anything happens.
    assert page.get_by_role("heading", level=1).inner_text() == "Versie 1 indienen ter besluitvorming?"
    check_axe(page, "confirm submit")
    page.get_by_role("button", name="Ja, indienen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("De versie ligt nu ter besluitvorming bij het bestuur.").is_visible()
    version_url = page.url
    logout(page)

    # A board member records the college's decision, on its own page; a mistake is shown at the field.
    login_by_keyboard(page, base, "bestuur@demostad.example")
    page.goto(version_url)
    check_axe(page, "version for the board")
    page.get_by_role("link", name="Vaststellen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page, "adopt page")
    page.get_by_label("Datum van het collegebesluit").fill("2026-04-14")
    type_into(page, re.compile("^Kenmerk van het besluit"), "x")
    page.get_by_role("button", name="Vaststellen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#foutoverzicht").is_visible()
    assert page.get_by_label("Datum van het collegebesluit").input_value() == "2026-04-14"
    check_axe(page, "adopt page with an error")
    page.get_by_label(re.compile("^Kenmerk van het besluit")).fill("")
    type_into(page, re.compile("^Kenmerk van het besluit"), "B&W 2026/0412")
    page.get_by_role("button", name="Vaststellen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Versie 1 is vastgesteld.").is_visible()
    check_axe(page, "adopted version")
    logout(page)

    # The coordinator downloads the adopted framework.
    login_by_keyboard(page, base, "coordinator@demostad.example")
    page.goto(version_url)
    with page.expect_download() as word:
        page.get_by_role("link", name="Download als Word").click()
    assert word.value.suggested_filename == "strategisch-kader-demostad-v1.docx"
    assert open(word.value.path(), "rb").read(2) == b"PK"
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download als PDF").click()
    assert pdf.value.suggested_filename == "strategisch-kader-demostad-v1.pdf"
    assert open(pdf.value.path(), "rb").read(4) == b"%PDF"
    page.get_by_role("link", name="Bekijk als webpagina").click()
    check_axe(page, "document as web page")
    with scopes_disabled():
        assert FrameworkVersion.objects.get().status == "adopted"
