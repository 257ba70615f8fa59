"""The account pages (allauth's) speak to the user as 'u', like the rest of Weerbaar."""

import re

import pytest

from ..conftest import member

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_login_error_and_account_pages_use_u(client, demostad, login):
    response = client.post("/account/login/", {"login": "coordinator@demostad.example", "password": "fout"})
    text = main_text(response)
    assert "dat u opgaf" in text and not INFORMAL.search(text), text
    assert not INFORMAL.search(main_text(client.get("/account/password/reset/")))

    login(member(demostad, "coordinator").user)
    for url in ("/account/password/change/", "/account/2fa/", "/account/email/", "/account/sessies/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        found = INFORMAL.search(main_text(response))
        assert not found, f"{url}: {found.group(0)!r} in {main_text(response)[:400]}"
