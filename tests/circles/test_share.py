"""Sharing an example from a circle with the national knowledge base goes through the knowledge
base's own submission and review flow."""

from django_scopes import scopes_disabled

from weerbaar.circles import services
from weerbaar.knowledge.models import Submission, Theme

from ..conftest import member


def test_an_author_offers_their_post_to_the_knowledge_base_as_a_submission(client, people, circle):
    thread = services.thread_create(
        user=people["other"], circle=circle, title="Oefenen met de raad", body="Wij oefenen met dilemmakaarten."
    )
    post = thread.posts.get()
    theme = Theme.objects.order_by("order").first()
    client.force_login(people["other"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert "Dit bericht aanbieden aan de kennisbank" in page
    with scopes_disabled():
        membership_id = people["other"].memberships.get().pk
    response = client.post(
        f"/leerkringen/bericht/{post.pk}/kennisbank/",
        {
            "membership": membership_id,
            "theme": theme.pk,
            "kind": "example",
            "title": "Dilemmakaarten",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        submission = Submission.objects.get()
    assert submission.organisation == people["voorbeeldrecht"]
    assert submission.state == Submission.State.SUBMITTED
    assert submission.body == "Wij oefenen met dilemmakaarten."
    assert submission.submitted_by == people["other"]


def test_only_the_author_may_offer_a_post(client, people, circle):
    thread = services.thread_create(user=people["other"], circle=circle, title="Vraag", body="Tekst")
    client.force_login(people["facilitator"], backend="django.contrib.auth.backends.ModelBackend")
    assert "aanbieden aan de kennisbank" not in client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert client.get(f"/leerkringen/bericht/{thread.posts.get().pk}/kennisbank/").status_code == 403
    with scopes_disabled():
        assert not Submission.objects.exists()


def test_a_member_who_may_not_submit_is_not_offered_sharing(client, people, circle):
    """A board member may not submit to the knowledge base: the thread does not offer it (it would be a 403)."""
    board = member(people["demostad"], "bestuur").user
    place = services.member_invite(user=people["facilitator"], circle=circle, email=board.email)
    services.invitation_answer(user=board, place=place, accept=True)
    thread = services.thread_create(user=board, circle=circle, title="Vraag van het bestuur", body="Hoe doet u dit?")
    client.force_login(board, backend="django.contrib.auth.backends.ModelBackend")
    assert "Vraag van het bestuur" in client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert "aanbieden aan de kennisbank" not in client.get(f"/leerkringen/onderwerp/{thread.pk}/").content.decode()
    assert client.get(f"/leerkringen/bericht/{thread.posts.get().pk}/kennisbank/").status_code == 403
