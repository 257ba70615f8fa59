import re

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from weerbaar.core.models import AuditEntry, Invitation, Membership, Role
from weerbaar.knowledge.models import Theme

from .conftest import member
from .factories import MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("local", "members", "audit", "settings_page", "tokens"),
    [
        ("coordinator", 200, 200, 200, 200),
        ("expert", 200, 403, 403, 200),
        ("bestuur", 200, 403, 403, 200),
        ("auditor", 200, 200, 403, 200),
        ("lezer", 200, 403, 403, 200),
    ],
)
def test_role_matrix_for_workspace_pages(demostad, login, local, members, audit, settings_page, tokens):
    client = login(member(demostad, local).user)
    assert client.get("/g/demostad/").status_code == 200
    assert client.get("/g/demostad/leden/").status_code == members
    assert client.get("/g/demostad/audit/").status_code == audit
    assert client.get("/g/demostad/instellingen/").status_code == settings_page
    assert client.get("/g/demostad/api-sleutels/").status_code == tokens


def test_only_coordinator_sees_invite_form_and_viewer_cannot_post_it(demostad, login):
    viewer = login(member(demostad, "lezer").user)
    page = viewer.get("/g/demostad/leden/").content.decode()
    assert "Iemand uitnodigen" not in page
    response = viewer.post("/g/demostad/leden/", {"email": "x@demostad.example", "role": "viewer"})
    assert response.status_code == 403
    with scopes_disabled():
        assert not Invitation.objects.filter(email="x@demostad.example").exists()


def test_coordinator_invites_member_who_creates_account_and_joins(
    demostad, coordinator_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            "/g/demostad/leden/", {"email": "Nieuwe.Collega@demostad.example", "role": "auditor"}, follow=True
        )
    assert "Uitnodiging verstuurd" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuwe.collega@demostad.example"]
    assert "Demostad" in message.subject
    link = re.search(r"http://testserver(/uitnodiging/\S+/)", message.body).group(1)

    coordinator_client.logout()
    page = client.get(link)
    assert page.status_code == 200
    # Bad input: a Dutch message next to the field, and the name typed is kept.
    bad = client.post(link, {"full_name": "Nieuwe Collega", "password1": "lang-genoeg-1", "password2": "anders-1234"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "De wachtwoorden zijn niet gelijk." in body
    assert 'value="Nieuwe Collega"' in body

    ok = client.post(link, {"full_name": "Nieuwe Collega", "password1": "lang-genoeg-1", "password2": "lang-genoeg-1"})
    assert ok.status_code == 302
    assert ok["Location"] == "/g/demostad/"
    with scopes_disabled():
        joined = Membership.objects.get(organisation=demostad, user__email="nieuwe.collega@demostad.example")
    assert joined.role == Role.AUDITOR
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 404


def test_inviting_an_existing_member_is_refused_with_the_typed_address_kept(demostad, coordinator_client):
    response = coordinator_client.post("/g/demostad/leden/", {"email": "lezer@demostad.example", "role": "viewer"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "is al lid van deze gemeente" in body
    assert 'value="lezer@demostad.example"' in body
    assert len(mail.outbox) == 0


def test_invalid_email_gets_dutch_message(demostad, coordinator_client):
    response = coordinator_client.post("/g/demostad/leden/", {"email": "geen-adres", "role": "viewer"})
    assert response.status_code == 400
    assert "Voer een geldig e-mailadres in." in response.content.decode()


def test_coordinator_changes_role_and_limits_expert_to_themes(demostad, coordinator_client):
    lezer = member(demostad, "lezer")
    with scopes_disabled():
        theme = Theme.objects.get(slug="fysieke-beveiliging")
    response = coordinator_client.post(f"/g/demostad/leden/{lezer.pk}/", {"role": "expert", "themes": [theme.pk]})
    assert response.status_code == 302
    with scopes_disabled():
        lezer.refresh_from_db()
        assert lezer.role == Role.EXPERT
        assert list(lezer.themes.values_list("slug", flat=True)) == ["fysieke-beveiliging"]
        entries = AuditEntry.objects.filter(organisation=demostad, object_type="core.membership", object_id=lezer.pk)
        role_change = entries.get(action="update", before__role="viewer")
        assert role_change.after["role"] == "expert"
        assert role_change.actor.email == "coordinator@demostad.example"
        assert entries.filter(after__themes__isnull=False).exists()


def test_last_coordinator_cannot_be_demoted_or_removed(demostad, coordinator_client):
    me = member(demostad, "coordinator")
    response = coordinator_client.post(f"/g/demostad/leden/{me.pk}/", {"role": "viewer"})
    assert response.status_code == 400
    assert "minstens één coördinator" in response.content.decode()
    response = coordinator_client.post(f"/g/demostad/leden/{me.pk}/verwijderen/")
    assert response.status_code == 400
    with scopes_disabled():
        assert Membership.objects.filter(pk=me.pk, role=Role.COORDINATOR).exists()


def test_coordinator_removes_member_after_confirmation(demostad, coordinator_client):
    lezer = member(demostad, "lezer")
    confirm = coordinator_client.get(f"/g/demostad/leden/{lezer.pk}/verwijderen/")
    assert "verwijderen?" in confirm.content.decode()
    response = coordinator_client.post(f"/g/demostad/leden/{lezer.pk}/verwijderen/")
    assert response.status_code == 302
    with scopes_disabled():
        assert not Membership.objects.filter(pk=lezer.pk).exists()
        assert AuditEntry.objects.filter(organisation=demostad, action="delete", object_id=lezer.pk).exists()
    # The former member no longer gets in.
    lezer_client = coordinator_client
    lezer_client.force_login(lezer.user, backend="django.contrib.auth.backends.ModelBackend")
    assert lezer_client.get("/g/demostad/").status_code == 404


def test_user_with_two_memberships_switches_between_municipalities(demostad, voorbeeldrecht, login):
    with scopes_disabled():
        user = UserFactory(email="gedeeld@regio.example")
        MembershipFactory(organisation=demostad, user=user, role=Role.EXPERT)
        MembershipFactory(organisation=voorbeeldrecht, user=user, role=Role.COORDINATOR)
    client = login(user)
    home = client.get("/")
    assert home.status_code == 200
    assert "Demostad" in home.content.decode() and "Voorbeeldrecht" in home.content.decode()
    switched = client.get("/?gemeente=voorbeeldrecht")
    assert switched["Location"] == "/g/voorbeeldrecht/"
    page = client.get("/g/voorbeeldrecht/").content.decode()
    assert "Integrale beveiliging Voorbeeldrecht" in page
    assert 'id="gemeente-wissel"' in page
    # Afterwards, the start page remembers the last municipality.
    assert client.get("/")["Location"] == "/g/voorbeeldrecht/"
    # A municipality the user does not belong to is not offered: back to the last one.
    assert client.get("/?gemeente=demostad-niet")["Location"] == "/g/voorbeeldrecht/"


def test_members_page_query_count_does_not_grow_with_members(
    demostad, coordinator_client, django_assert_max_num_queries
):
    with scopes_disabled():
        themes = list(Theme.objects.all()[:2])
        for i in range(120):
            m = MembershipFactory(organisation=demostad, user=UserFactory(email=f"m{i}@veel.example"), role=Role.EXPERT)
            m.themes.set(themes)
    with django_assert_max_num_queries(14):
        response = coordinator_client.get("/g/demostad/leden/")
    body = response.content.decode()
    rows = body.count('<tr class="utrecht-table__row">') - 1  # minus the header row
    assert rows == 50
    assert "Leden van Demostad (125)" in body
    with django_assert_max_num_queries(14):
        last = coordinator_client.get("/g/demostad/leden/?pagina=3").content.decode()
    assert last.count('<tr class="utrecht-table__row">') - 1 == 25
