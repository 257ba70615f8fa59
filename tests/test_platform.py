import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from weerbaar.core.audit import acting_as
from weerbaar.core.demo import load_demo
from weerbaar.core.models import AuditEntry, Membership, Organisation

from .conftest import member

ROOT = Path(__file__).resolve().parent.parent


def test_query_on_municipal_data_outside_a_scope_raises(demostad):
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with scope(organisation=demostad.pk):
        assert {m.organisation_id for m in Membership.objects.all()} == {demostad.pk}


def test_audit_entries_cannot_be_changed_or_deleted(demostad):
    with scopes_disabled():
        entry = AuditEntry.objects.filter(organisation=demostad).first()
    entry.object_repr = "vervalst"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_settings_change_is_recorded_with_before_and_after(demostad, coordinator_client):
    response = coordinator_client.post(
        "/g/demostad/instellingen/",
        {"require_mfa": "", "primary_colour": "#154273", "primary_text_colour": "#ffffff"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        entry = AuditEntry.objects.filter(organisation=demostad, object_type="core.organisation", action="update").get()
    assert entry.before["primary_colour"] == ""
    assert entry.after["primary_colour"] == "#154273"
    assert entry.actor_name == "Coördinator Demostad"
    assert entry.via == "web"
    # The house style is applied to the municipality's pages.
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "--weerbaar-brand-background:#154273" in page


def test_low_contrast_house_style_is_refused_and_input_kept(demostad, coordinator_client):
    response = coordinator_client.post(
        "/g/demostad/instellingen/", {"primary_colour": "#777777", "primary_text_colour": "#888888"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het contrast tussen tekst en achtergrond is te laag" in body
    assert 'value="#777777"' in body and 'value="#888888"' in body


def test_audit_log_filters_by_person_and_shows_before_after(demostad, coordinator_client):
    lezer = member(demostad, "lezer")
    coordinator_client.post(f"/g/demostad/leden/{lezer.pk}/", {"role": "auditor"})
    coordinator = member(demostad, "coordinator")
    page = coordinator_client.get(f"/g/demostad/audit/?actor={coordinator.user_id}&action=update")
    body = page.content.decode()
    assert page.status_code == 200
    assert "1 wijzigingen" in body
    with scopes_disabled():
        entry = AuditEntry.objects.get(
            organisation=demostad, action="update", object_id=lezer.pk, before__role="viewer"
        )
    detail = coordinator_client.get(f"/g/demostad/audit/{entry.pk}/").content.decode()
    assert "viewer" in detail and "auditor" in detail
    # Filtering by the system (demo loader) actor shows none of the coordinator's changes.
    htmx = coordinator_client.get(
        "/g/demostad/audit/?action=delete", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="audit-results"
    )
    assert "<html" not in htmx.content.decode()
    assert "Geen wijzigingen gevonden" in htmx.content.decode()


def test_audit_page_query_count_is_constant(demostad, coordinator_client, django_assert_max_num_queries):
    with scopes_disabled(), acting_as(member(demostad, "coordinator").user, via="web"):
        org = Organisation.objects.get(pk=demostad.pk)
        for i in range(300):
            org.primary_colour = f"#{i:06x}"
            org.primary_text_colour = "#ffffff"
            org.save()
    with django_assert_max_num_queries(16):
        response = coordinator_client.get("/g/demostad/audit/")
    assert response.status_code == 200
    assert "Pagina 1 van" in response.content.decode()


def test_mandatory_two_factor_blocks_members_without_it(demostad, login):
    with scopes_disabled():
        Organisation.objects.filter(pk=demostad.pk).update(require_mfa=True)
    user = member(demostad, "lezer").user
    client = login(user)
    response = client.get("/g/demostad/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Stel eerst tweestapsverificatie in" in body
    assert "/account/2fa/totp/activate/" in body
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/g/demostad/").status_code == 200


def test_sso_login_is_exempt_from_mandatory_two_factor(demostad, login):
    with scopes_disabled():
        Organisation.objects.filter(pk=demostad.pk).update(require_mfa=True)
    user = member(demostad, "lezer").user
    client = login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [{"method": "socialaccount", "provider": "entra", "at": 1}]
    session.save()
    assert client.get("/g/demostad/").status_code == 200


def test_failed_logins_are_rate_limited(demo, client):
    for _ in range(5):
        response = client.post("/account/login/", {"login": "lezer@demostad.example", "password": "fout"})
        assert response.status_code == 200
        assert "Het e-mailadres en/of wachtwoord dat u opgaf, klopt niet." in response.content.decode()
    blocked = client.post("/account/login/", {"login": "lezer@demostad.example", "password": "weerbaar-demo"})
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_login_with_demo_password_lands_on_municipality(demo, client):
    response = client.post("/account/login/", {"login": "coordinator@demostad.example", "password": "weerbaar-demo"})
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/g/demostad/"


def test_pages_have_csp_without_inline_script_and_security_headers(demo, coordinator_client):
    response = coordinator_client.get("/g/demostad/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def test_error_pages_are_dutch(demo, coordinator_client):
    missing = coordinator_client.get("/bestaat-niet/")
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in missing.content.decode()
    viewer = coordinator_client
    viewer.force_login(
        get_user_model().objects.get(email="lezer@demostad.example"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    forbidden = viewer.get("/g/demostad/instellingen/")
    assert forbidden.status_code == 403
    assert "Uw rol geeft geen toegang" in forbidden.content.decode()


def test_expired_session_htmx_request_redirects_whole_page_to_login(demo, client):
    response = client.get("/g/demostad/audit/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/account/login/")


def test_post_without_csrf_token_gets_dutch_explanation(demo):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(
        get_user_model().objects.get(email="coordinator@demostad.example"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    response = csrf_client.post("/g/demostad/leden/", {"email": "a@b.nl", "role": "viewer"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()


def test_administrator_creates_municipality_and_others_may_not(demo, login):
    admin = login(get_user_model().objects.get(email="beheer@weerbaar.example"))
    bad = admin.post("/beheer/gemeenten/", {"name": "Nieuwegein", "slug": "nieuwegein", "cbs_code": "0356"})
    assert bad.status_code == 400
    assert "GM0363" in bad.content.decode()
    ok = admin.post("/beheer/gemeenten/", {"name": "Nieuwegein", "slug": "nieuwegein", "cbs_code": "GM0356"})
    assert ok.status_code == 302
    assert Organisation.objects.filter(slug="nieuwegein").exists()
    editor = login(get_user_model().objects.get(email="redacteur@weerbaar.example"))
    assert editor.get("/beheer/gemeenten/").status_code == 403
    # The administrator is no member of any municipality and sees none of their data.
    assert admin.get("/g/demostad/").status_code == 404


def test_demo_loader_is_idempotent_and_keeps_changes(demostad):
    with scopes_disabled():
        lezer = Membership.objects.get(organisation=demostad, user__email="lezer@demostad.example")
        lezer.role = "auditor"
        lezer.save()
        counts = (get_user_model().objects.count(), Membership.objects.count())
        load_demo()
        assert (get_user_model().objects.count(), Membership.objects.count()) == counts
        lezer.refresh_from_db()
        assert lezer.role == "auditor"


def test_english_can_be_selected(demo, coordinator_client):
    response = coordinator_client.post("/taal/", {"language": "en", "next": "/g/demostad/"})
    assert response.status_code == 302
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert 'lang="en"' in page
    assert "Members" in page
    assert "Skip to content" in page


def test_production_profile_passes_deploy_check():
    env = {
        **os.environ,
        "WEERBAAR_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40 + "-Q7!kz",
        "ALLOWED_HOSTS": "weerbaar.example.nl",
        "DATABASE_URL": "sqlite:////tmp/weerbaar-deploy-check.sqlite3",
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**os.environ, "WEERBAAR_ENV": "production", "SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_single_sign_on_is_off_by_default_and_configurable(db, client, settings):
    assert "Of log in via uw gemeente" not in client.get("/account/login/").content.decode()
    settings.SSO_ENABLED = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "demostad-entra",
                    "name": "Demostad (Entra ID)",
                    "client_id": "weerbaar",
                    "secret": "geheim",
                    "settings": {"server_url": "https://login.example.org/tenant/v2.0"},
                }
            ]
        }
    }
    page = client.get("/account/login/").content.decode()
    assert "Of log in via uw gemeente" in page
    assert "Demostad (Entra ID)" in page
    assert "/account/oidc/demostad-entra/login/" in page


def test_server_error_page_is_dutch_and_needs_no_database(rf):
    from weerbaar.core.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_dutch_is_the_default_even_for_an_english_browser(demo, coordinator_client):
    page = coordinator_client.get("/g/demostad/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nl"' in page.content.decode()
    assert "Naar de inhoud" in page.content.decode()


def test_pages_outside_a_municipality_keep_its_menu(demostad, coordinator_client):
    coordinator_client.get("/g/demostad/")
    page = coordinator_client.get("/toegankelijkheid").content.decode()
    assert 'href="/g/demostad/leden/"' in page
    assert "Actieve gemeente" in page
