"""A learning circle across two municipalities, by keyboard: a facilitator creates a circle,
invites the coordinator of another municipality, both post, a document is shared. axe-core on
every page; every page reflows at 320 px wide."""

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from weerbaar.circles.demo import load_circles_demo
from weerbaar.circles.models import Circle

from .conftest import check_axe
from .test_journeys import login_by_keyboard


def check_page(page, label):
    check_axe(page, label)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, f"{label}: {width}px wide at a 320px viewport"


def activate(page, locator):
    """Reach a link or button by keyboard focus and press Enter, as a keyboard user does."""
    locator.focus()
    page.keyboard.press("Enter")


def type_into(page, locator, text):
    locator.focus()
    page.keyboard.type(text)


def test_two_municipalities_run_a_circle_by_keyboard(live_server, demo, browser, page):
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    activate(page, nav.get_by_role("link", name="Leerkringen"))
    page.wait_for_url("**/g/demostad/leerkringen/")
    check_page(page, "my circles (empty)")

    activate(page, page.get_by_role("link", name="Nieuwe leerkring"))
    page.wait_for_url("**/leerkringen/nieuw/")
    check_page(page, "new circle form")
    activate(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_role("alert").filter(has_text="Controleer het formulier")).to_be_visible()
    check_page(page, "new circle form with errors")
    type_into(page, page.get_by_label("Naam"), "Regio Utrecht-Oost")
    page.get_by_label("Soort leerkring").focus()
    page.keyboard.press("ArrowDown")  # regio -> thema
    type_into(page, page.get_by_label("Omschrijving"), "Coördinatoren uit de regio leren van elkaar.")
    activate(page, page.get_by_role("button", name="Opslaan"))
    page.wait_for_url("**/deelnemers/")
    check_page(page, "members (facilitator)")

    type_into(page, page.get_by_label("E-mailadres"), "coordinator@voorbeeldrecht.example")
    type_into(page, page.get_by_label("Persoonlijk bericht"), "Doet u mee?")
    activate(page, page.get_by_role("button", name="Uitnodigen"))
    expect(page.get_by_text("De uitnodiging staat klaar")).to_be_visible()
    assert page.get_by_text("Coördinator Voorbeeldrecht (Voorbeeldrecht): uitgenodigd").is_visible()

    activate(page, page.get_by_role("link", name="Discussie"))
    page.wait_for_url("**/discussie/")
    check_page(page, "threads")
    type_into(page, page.get_by_role("textbox", name="Onderwerp"), "Tafeloefening in het voorjaar")
    type_into(page, page.get_by_label("Eerste bericht"), "Wie doet mee? @Coördinator Voorbeeldrecht, u ook?")
    activate(page, page.get_by_role("button", name="Onderwerp plaatsen"))
    page.wait_for_url("**/leerkringen/onderwerp/*/")
    check_page(page, "thread")

    activate(page, page.get_by_role("link", name="Documenten"))
    page.wait_for_url("**/documenten/")
    check_page(page, "documents")
    type_into(page, page.get_by_label("Titel"), "Draaiboek tafeloefening")
    page.get_by_label("Bestand").set_input_files(
        files=[{"name": "draaiboek.txt", "mimeType": "text/plain", "buffer": b"Stap 1: scenario kiezen.\n"}]
    )
    activate(page, page.get_by_role("button", name="Delen"))
    page.wait_for_url("**/leerkringen/document/*/")
    check_page(page, "document")
    assert page.get_by_role("link", name="draaiboek.txt downloaden").is_visible()

    # The coordinator of Voorbeeldrecht accepts and replies.
    other_context = browser.new_context(bypass_csp=True, locale="nl-NL")
    other = other_context.new_page()
    other.set_default_timeout(15000)
    try:
        login_by_keyboard(other, base, "coordinator@voorbeeldrecht.example")
        activate(other, other.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leerkringen"))
        other.wait_for_url("**/g/voorbeeldrecht/leerkringen/")
        check_page(other, "my circles with an invitation")
        activate(other, other.get_by_role("button", name="Meedoen met Regio Utrecht-Oost"))
        other.wait_for_url("**/leerkringen/*/")
        check_page(other, "circle overview")
        activate(other, other.get_by_role("link", name="Tafeloefening in het voorjaar"))
        other.wait_for_url("**/leerkringen/onderwerp/*/")
        assert other.get_by_text("Coördinator Demostad (Demostad)").first.is_visible()
        type_into(other, other.get_by_label("Uw reactie"), "Ja, wij doen mee. Ons **draaiboek** volgt.")
        activate(other, other.get_by_role("button", name="Reactie plaatsen"))
        expect(other.locator("strong", has_text="draaiboek")).to_be_visible()
        check_page(other, "thread after reply")

        activate(other, other.get_by_role("link", name="Documenten"))
        other.wait_for_url("**/documenten/")
        activate(other, other.get_by_role("link", name="Draaiboek tafeloefening"))
        other.wait_for_url("**/leerkringen/document/*/")
        with other.expect_download() as download:
            activate(other, other.get_by_role("link", name="draaiboek.txt downloaden"))
        assert download.value.suggested_filename == "draaiboek.txt"
    finally:
        other_context.close()

    activate(page, page.get_by_role("link", name="Discussie"))
    page.wait_for_url("**/discussie/")
    activate(page, page.get_by_role("link", name="Tafeloefening in het voorjaar"))
    page.wait_for_url("**/leerkringen/onderwerp/*/")
    assert page.get_by_text("Coördinator Voorbeeldrecht (Voorbeeldrecht)").first.is_visible()
    assert page.get_by_text("Ja, wij doen mee.").is_visible()


def test_circle_pages_of_the_demo_are_accessible_and_reflow(live_server, demo, page):
    with scopes_disabled():
        load_circles_demo(demo)
        circle = Circle.objects.get(name="Regio Utrecht-West")
        meeting = circle.meetings.order_by("starts_at").first()
        thread = circle.threads.first()
        own_post = thread.posts.get(author__email="coordinator@demostad.example")
        document = circle.documents.first()
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")
    for url in [
        f"/leerkringen/{circle.pk}/",
        f"/leerkringen/{circle.pk}/wijzigen/",
        f"/leerkringen/{circle.pk}/bijeenkomsten/",
        f"/leerkringen/{circle.pk}/bijeenkomsten/nieuw/",
        f"/leerkringen/bijeenkomst/{meeting.pk}/",
        f"/leerkringen/bijeenkomst/{meeting.pk}/wijzigen/",
        f"/leerkringen/onderwerp/{thread.pk}/",
        f"/leerkringen/bericht/{own_post.pk}/kennisbank/",
        f"/leerkringen/document/{document.pk}/",
        f"/leerkringen/{circle.pk}/deelnemers/",
        f"/leerkringen/{circle.pk}/e-mail/",
        f"/leerkringen/{circle.pk}/verlaten/",
        "/leerkringen/",
    ]:
        page.goto(base + url)
        assert page.get_by_role("heading", level=1).is_visible(), url
        check_page(page, url)
