"""House style by keyboard: the coordinator uploads a logo and a Word style template, and the adopted
framework downloads as a complete Word document in that style (every chapter), axe-core clean."""

import io

from django.core.management import call_command
from django_scopes import scopes_disabled
from docx import Document

from weerbaar.framework.demo_documents import DEMO_FONT, DEMO_HEADER_TEXT, demo_logo_png, demo_style_template
from weerbaar.framework.models import FrameworkVersion

from .conftest import check_axe, check_reflow
from .test_journeys import login_by_keyboard

CHAPTERS = [
    "1. Visie",
    "2. Scope",
    "3. Beveiligingsdoelen",
    "4. Uitgangspunten",
    "5. Kwaliteitssysteem",
    "Bijlage: wettelijk kader",
]


def press_enter_on(locator):
    locator.focus()
    locator.page.keyboard.press("Enter")


def test_coordinator_dresses_the_adopted_framework_in_the_house_style(live_server, demo, page, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        adopted = FrameworkVersion.objects.get(organisation__slug="demostad", status=FrameworkVersion.Status.ADOPTED)
    logo = tmp_path / "logo-demostad.png"
    logo.write_bytes(demo_logo_png())
    template = tmp_path / "huisstijl.dotx"
    template.write_bytes(demo_style_template())
    base = live_server.url
    login_by_keyboard(page, base, "coordinator@demostad.example")

    # The logo, in the municipality's settings.
    page.goto(f"{base}/g/demostad/instellingen/")
    check_axe(page, "settings")
    page.get_by_label("Logo", exact=True).focus()
    page.get_by_label("Logo", exact=True).set_input_files(str(logo))
    press_enter_on(page.get_by_role("button", name="Opslaan"))
    page.get_by_text("De instellingen zijn opgeslagen.").wait_for()
    header_logo = page.locator("header").get_by_role("img", name="Demostad")
    assert header_logo.is_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", header_logo.element_handle())
    check_axe(page, "settings with logo")
    check_reflow(page, "settings with logo")

    # The style template, on the framework's template page.
    page.goto(f"{base}/g/demostad/kader/sjabloon/")
    check_axe(page, "word template")
    style = page.get_by_label("Opmaaksjabloon")
    style.focus()
    page.keyboard.press("Space")
    assert style.is_checked()
    page.get_by_label("Word-bestand (.dotx of .docx)").set_input_files(str(template))
    press_enter_on(page.get_by_role("button", name="Uploaden en controleren"))
    page.get_by_text("Het Word-sjabloon is opgeslagen en werkt.").wait_for()
    assert page.get_by_text("huisstijl.dotx: Opmaaksjabloon").is_visible()
    check_axe(page, "word template uploaded")

    # The adopted version, downloaded as Word (made by a job, which runs inline here).
    page.goto(f"{base}/g/demostad/kader/versies/{adopted.number}/")
    press_enter_on(page.get_by_role("link", name="Download als Word"))
    page.get_by_text("Het document is klaar.").wait_for()
    check_axe(page, "document ready")
    with page.expect_download() as download:
        press_enter_on(page.get_by_role("link", name="downloaden"))
    doc = Document(download.value.path())
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for chapter in CHAPTERS:
        assert chapter in headings
    assert doc.styles["Heading 1"].font.name == DEMO_FONT
    assert DEMO_HEADER_TEXT in " ".join(p.text for p in doc.sections[0].header.paragraphs)
