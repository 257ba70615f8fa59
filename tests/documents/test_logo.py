"""The municipality's logo: checked on upload (PNG for real, SVG drawing only), shown in the header,
served only to members of its own municipality."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from weerbaar.core import services
from weerbaar.core.logo import MAX_LOGO_BYTES, UnsafeImage, check_logo
from weerbaar.core.models import AuditEntry, Organisation, OrganisationLogo

from ..conftest import member


def png(width=120, height=60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 85, 99)).save(out, format="PNG")
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Wapen</title>'
    b'<rect width="10" height="10" fill="#0b5563"/></svg>'
)
INKSCAPE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
    b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.3" viewBox="0 0 10 10">'
    b'<sodipodi:namedview id="base"/><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
    b'<circle cx="5" cy="5" r="4" fill="url(#g)"/><use href="#g"/></svg>'
)

MALICIOUS_SVGS = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "event handler": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "handler on a child": b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>',
    "javascript link": b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    "xlink to outside": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="https://evil.example/x.svg#a"/></svg>'
    ),
    "external image": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/t.png"/></svg>',
    "foreignObject": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
        b"<iframe src='https://evil.example'/></div></foreignObject></svg>"
    ),
    "css import": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://evil.example/a.css";</style></svg>',
    "css url": b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>',
    "animation rewriting a link": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="#x"><set attributeName="href" to="javascript:alert(1)"/>'
        b"</a></svg>"
    ),
    "entity expansion": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    ),
    "xhtml script": b'<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script></svg>',
}


def test_a_real_png_and_a_plain_drawing_are_accepted():
    assert check_logo("logo.PNG", png()) == "image/png"
    assert check_logo("wapen.svg", SVG) == "image/svg+xml"
    assert check_logo("inkscape.svg", INKSCAPE_SVG) == "image/svg+xml"


@pytest.mark.parametrize("kind", sorted(MALICIOUS_SVGS))
def test_an_svg_with_anything_but_a_drawing_is_refused(kind):
    with pytest.raises(UnsafeImage) as caught:
        check_logo("logo.svg", MALICIOUS_SVGS[kind])
    assert "SVG" in caught.value.message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "beschadigd"),
        ("logo.png", b"GIF89a" + b"\x00" * 100, "geen PNG"),
        ("logo.png", SVG, "geen PNG"),
        ("logo.jpg", png(), "PNG- of SVG"),
        ("logo.svg", b"<html><body>hoi</body></html>", "geen geldig SVG"),
        ("logo.svg", b"niet eens xml", "geen geldig SVG"),
        ("logo.png", png(4001, 10), "beeldpunten"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_LOGO_BYTES, "te groot"),
        ("logo.png", b"", "leeg"),
    ],
)
def test_fake_broken_and_oversized_logos_are_refused_in_dutch(name, content, message):
    with pytest.raises(UnsafeImage) as caught:
        check_logo(name, content)
    assert message in caught.value.message


def _settings_post(client, logo, **extra):
    data = {"primary_colour": "#0b5563", "primary_text_colour": "#ffffff", **extra}
    if logo is not None:
        data["logo"] = logo
    return client.post("/g/demostad/instellingen/", data)


def test_coordinator_uploads_a_logo_shown_in_the_header_with_the_municipality_name(demostad, coordinator_client):
    response = _settings_post(coordinator_client, SimpleUploadedFile("logo.png", png(), content_type="image/png"))
    assert response.status_code == 302
    with scopes_disabled():
        demostad.refresh_from_db()
        assert demostad.logo_type == "image/png" and demostad.primary_colour == "#0b5563"
        assert AuditEntry.objects.filter(organisation=demostad, event="logo_uploaded").exists()
    html = coordinator_client.get("/g/demostad/").content.decode()
    assert 'class="weerbaar-header__logo" src="/g/demostad/logo/?v=' in html
    assert f'alt="{demostad.name}"' in html
    logo = coordinator_client.get("/g/demostad/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png" and logo.content == png()
    assert "sandbox" in logo["Content-Security-Policy"] and logo["X-Content-Type-Options"] == "nosniff"


def test_a_malicious_svg_is_refused_at_the_field_and_nothing_is_stored(demostad, coordinator_client):
    evil = SimpleUploadedFile("logo.svg", MALICIOUS_SVGS["event handler"], content_type="image/svg+xml")
    response = _settings_post(coordinator_client, evil)
    assert response.status_code == 400
    html = response.content.decode()
    assert "om veiligheidsredenen geweigerd" in html and 'value="#0b5563"' in html
    with scopes_disabled():
        assert not OrganisationLogo.objects.exists()
        assert Organisation.objects.get(pk=demostad.pk).logo_type == ""


def test_the_logo_can_be_removed(demostad, coordinator_client):
    with scopes_disabled():
        services.organisation_logo_set(organisation=demostad, name="wapen.svg", content=SVG)
    assert coordinator_client.get("/g/demostad/logo/")["Content-Type"] == "image/svg+xml"
    assert _settings_post(coordinator_client, None, remove_logo="on").status_code == 302
    assert coordinator_client.get("/g/demostad/logo/").status_code == 404
    assert "weerbaar-header__logo" not in coordinator_client.get("/g/demostad/").content.decode()


def test_another_municipality_never_sees_the_logo(demostad, voorbeeldrecht, login):
    with scopes_disabled():
        services.organisation_logo_set(organisation=demostad, name="logo.png", content=png())
    client = login(member(voorbeeldrecht, "coordinator").user)
    assert client.get("/g/demostad/logo/").status_code == 404


def test_only_the_coordinator_changes_the_logo(demostad, login):
    client = login(member(demostad, "lezer").user)
    response = _settings_post(client, SimpleUploadedFile("logo.png", png(), content_type="image/png"))
    assert response.status_code in (403, 404)
    with scopes_disabled():
        assert not OrganisationLogo.objects.exists()
    assert client.get("/g/demostad/logo/").status_code == 404  # a member may see it, but there is none
