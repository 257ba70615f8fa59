"""Creating a circle, inviting, requesting to join, approving, leaving; roles; the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from weerbaar.circles import services
from weerbaar.circles.models import Circle, CircleMember, Post
from weerbaar.core.models import AuditEntry

from ..conftest import member
from .conftest import place_of


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_coordinator_creates_a_circle_on_the_page_and_becomes_its_facilitator(client, people):
    _login(client, people["facilitator"])
    response = client.post(
        "/leerkringen/nieuw/", {"name": "Regio Noord", "kind": "region", "description": "", "discoverable": ""}
    )
    assert response.status_code == 302
    circle = Circle.objects.get(name="Regio Noord")
    place = place_of(people["facilitator"], circle)
    assert place.role == CircleMember.Role.FACILITATOR and place.is_active
    assert place.organisation == people["demostad"]


def test_a_circle_without_a_name_is_refused_with_a_dutch_message_and_the_input_kept(client, people):
    _login(client, people["facilitator"])
    response = client.post("/leerkringen/nieuw/", {"name": "", "kind": "theme", "description": "Mijn omschrijving"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Controleer het formulier" in page
    assert "Dit veld is verplicht" in page
    assert "Mijn omschrijving" in page


def test_viewers_cannot_create_circles_and_are_not_offered_the_button(client, demo):
    lezer = member(demo["demostad"], "lezer").user
    _login(client, lezer)
    assert "Nieuwe leerkring" not in client.get("/g/demostad/leerkringen/").content.decode()
    assert client.get("/leerkringen/nieuw/").status_code == 403


def test_a_national_editor_may_create_a_circle(people, demo):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(email="redacteur@weerbaar.example")
    circle = services.circle_create(user=editor, name="Landelijke kring")
    assert place_of(editor, circle).organisation is None


def test_the_menu_links_to_my_circles(client, people, circle):
    _login(client, people["other"])
    page = client.get("/g/voorbeeldrecht/").content.decode()
    assert 'href="/g/voorbeeldrecht/leerkringen/"' in page
    mine = client.get("/g/voorbeeldrecht/leerkringen/").content.decode()
    assert "Regio Test" in mine


def test_inviting_someone_without_an_account_is_refused_at_the_field(client, people, circle):
    _login(client, people["facilitator"])
    response = client.post(f"/leerkringen/{circle.pk}/deelnemers/", {"email": "onbekend@nergens.example"})
    assert response.status_code == 400
    assert "geen gebruiker van Weerbaar" in response.content.decode()
    assert "onbekend@nergens.example" in response.content.decode()


def test_a_member_who_is_no_facilitator_may_not_invite_or_change_the_circle(client, people, circle):
    _login(client, people["other"])
    assert client.post(f"/leerkringen/{circle.pk}/deelnemers/", {"email": "expert@demostad.example"}).status_code == 403
    assert client.get(f"/leerkringen/{circle.pk}/wijzigen/").status_code == 403
    page = client.get(f"/leerkringen/{circle.pk}/deelnemers/").content.decode()
    assert "Iemand uitnodigen" not in page
    with pytest.raises(PermissionDenied):
        services.member_invite(user=people["other"], circle=circle, email="expert@demostad.example")


def test_a_request_to_join_is_approved_by_the_facilitator(client, people, circle):
    Circle.objects.filter(pk=circle.pk).update(discoverable=True)
    _login(client, people["outsider"])
    response = client.post("/leerkringen/aanmelden/", {"circle": circle.pk, "message": "Graag!"})
    assert response.status_code == 302
    place = place_of(people["outsider"], circle)
    assert place.state == CircleMember.State.REQUESTED
    assert client.get(f"/leerkringen/{circle.pk}/").status_code == 404  # not yet

    _login(client, people["facilitator"])
    assert "Graag!" in client.get(f"/leerkringen/{circle.pk}/deelnemers/").content.decode()
    assert client.post(f"/leerkringen/deelnemer/{place.pk}/toelaten/").status_code == 302
    place.refresh_from_db()
    assert place.is_active


def test_a_request_for_a_circle_that_is_not_open_is_refused(client, people, circle):
    _login(client, people["outsider"])
    client.post("/leerkringen/aanmelden/", {"circle": circle.pk})
    assert not CircleMember.objects.filter(circle=circle, user=people["outsider"]).exists()


def test_leaving_keeps_ones_posts_under_ones_name(client, people, circle):
    thread = services.thread_create(user=people["other"], circle=circle, title="Vraag", body="Mijn vraag")
    _login(client, people["other"])
    response = client.post(f"/leerkringen/{circle.pk}/verlaten/")
    assert response.status_code == 302
    assert place_of(people["other"], circle).state == CircleMember.State.LEFT
    post = Post.objects.get(thread=thread)
    assert post.author_name == "Coördinator Voorbeeldrecht" and post.author_organisation == "Voorbeeldrecht"
    _login(client, people["facilitator"])
    page = client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert "Coördinator Voorbeeldrecht (Voorbeeldrecht)" in page and "Mijn vraag" in page


def test_the_only_facilitator_cannot_leave_before_handing_over(client, people, circle):
    with pytest.raises(ValidationError):
        services.member_leave(user=people["facilitator"], circle=circle)
    services.member_set_role(
        user=people["facilitator"], place=place_of(people["other"], circle), role=CircleMember.Role.FACILITATOR
    )
    services.member_leave(user=people["facilitator"], circle=circle)
    assert place_of(people["facilitator"], circle).state == CircleMember.State.LEFT


def test_joins_and_leaves_are_in_the_audit_trail(people, circle):
    services.member_leave(user=people["other"], circle=circle)
    with scopes_disabled():
        events = list(AuditEntry.objects.filter(event__startswith="circle.").values_list("event", flat=True))
    assert {"circle.created", "circle.invited", "circle.joined", "circle.left"} <= set(events)


def test_a_stale_edit_of_the_circle_is_refused_with_409(client, people, circle):
    _login(client, people["facilitator"])
    services.circle_update(user=people["facilitator"], circle=circle, name="Nieuwe naam", kind="region")
    response = client.post(
        f"/leerkringen/{circle.pk}/wijzigen/", {"name": "Mijn naam", "kind": "region", "revision": 0}
    )
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.content.decode()
    circle.refresh_from_db()
    assert circle.name == "Nieuwe naam"
